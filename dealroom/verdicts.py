"""The leak guard's clean verdicts, kept between builds in the cache folder.

A rebuild of an unchanged room (a CI job that keeps `.cache/`) would read the same 500 MB of
pages again. The guard keeps, for each part of a page and each text file it read and found
clean, a verdict: a keyed digest of the bytes, and what the guard noted of them besides
numbers. What it found a number in is never kept: it is read again, and stops the build again.

The key is made of every secret of the room and of the guard's own code (and the Python that
runs it): a verdict is used only under the rule and the guard that gave it, and a verdict
file cannot be written for other bytes without the account numbers themselves. The file holds
no number: only digests of bytes that hold none.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import sys
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dealroom.numbers import Secret

_DIGEST = 16  # bytes of a verdict's keyed digest, and of the tag that seals its flags
_RECORD = 2 * _DIGEST + 1  # digest, flags, tag
_MOST_KEPT = 1_000_000  # verdicts a file keeps at most: those of the last build first
_MOST_BYTES = _MOST_KEPT * _RECORD  # a larger file is not read
# What was read, as part of each digest's key: a part of a page and a whole file (its name and
# bytes) are never taken for one another, whatever their bytes.
PART, FILE = b"part", b"file"


@functools.cache
def _code_digest() -> bytes:
    """Every module of the package, and the Python (and its Unicode tables) they run on."""
    digest = hashlib.sha256(f"{sys.version}:{unicodedata.unidata_version}".encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    return digest.digest()


class Verdicts:
    """Clean verdicts by the digest of what was read (a part's SHA-256, a file's), each of a
    kind (`PART`, `FILE`). `file`: where they are kept between builds (None: this process only).

    A record is the keyed digest, the flags, and a keyed tag of both: flags changed in the file
    (a part said not to end inside a tag) make the record vouch for nothing."""

    def __init__(self, file: Path | None, secrets: Iterable[Secret]) -> None:
        self.file = file
        self._key = hashlib.sha256(_code_digest() + repr(sorted(
            (s.digits, s.deal, s.field, s.partial) for s in secrets)).encode()).digest()
        self._kept: dict[bytes, int] = {}  # keyed digest -> flags, as the file held them
        self._used: dict[bytes, int] = {}  # ... and those given or found in this process
        self._saved = True  # the file holds every verdict given since
        data = _read(file) if file is not None else b""
        if len(data) % _RECORD == 0:  # else a file cut short: nothing of it is used
            for at in range(0, len(data), _RECORD):
                keyed, flags = data[at:at + _DIGEST], data[at + _DIGEST]
                if data[at + _DIGEST + 1:at + _RECORD] == self._tag(keyed, flags):
                    self._kept[keyed] = flags

    def _keyed(self, kind: bytes, digest: bytes) -> bytes:
        return hashlib.blake2b(digest, key=self._key, person=kind, digest_size=_DIGEST).digest()

    def _tag(self, keyed: bytes, flags: int) -> bytes:
        return hashlib.blake2b(keyed + bytes((flags,)), key=self._key, person=b"flags",
                               digest_size=_DIGEST).digest()

    def get(self, kind: bytes, digest: bytes) -> int | None:
        """The flags of a clean verdict on the bytes of `digest`; None if none is kept."""
        if not self._kept:
            return None
        keyed = self._keyed(kind, digest)
        flags = self._kept.get(keyed)
        if flags is not None:
            self._used[keyed] = flags
        return flags

    def add(self, kind: bytes, digest: bytes, flags: int = 0) -> None:
        """A clean verdict on the bytes of `digest`, with up to eight flags of what was noted."""
        self._used[self._keyed(kind, digest)] = flags
        self._saved = False

    def given(self) -> dict[bytes, int]:
        """The verdicts given or used in this process (keyed: for a `Verdicts` of the same key)."""
        return dict(self._used)

    def update(self, given: dict[bytes, int]) -> None:
        """Verdicts another process gave (`given`), kept with this one's."""
        if given:
            self._used.update(given)
            self._saved = False

    def save(self) -> None:
        """Keep this process's verdicts for the next, and as many of the file's others (a page
        that changes back), so that a room that changes every day keeps a file of its size."""
        if self.file is None or self._saved:
            return  # a rebuild while serving that read nothing new: the file is as it should be
        kept = dict(self._used)
        most = min(_MOST_KEPT, 2 * len(kept))
        for keyed, flags in self._kept.items():
            if len(kept) >= most:
                break
            kept.setdefault(keyed, flags)
        self._kept = kept
        data = b"".join(keyed + bytes((flags,)) + self._tag(keyed, flags) for keyed, flags in kept.items())
        if _write(self.file, data):
            self._saved = True


def _read(file: Path) -> bytes:
    """The file's bytes if it is a regular file of a sane size, not a link; else none."""
    try:
        handle = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return b""
    with os.fdopen(handle, "rb") as opened:
        status = os.fstat(opened.fileno())
        if not stat.S_ISREG(status.st_mode) or status.st_size > _MOST_BYTES:
            return b""
        try:
            return opened.read(_MOST_BYTES + 1)
        except OSError:
            return b""


def _write(file: Path, data: bytes) -> bool:
    """`data` written to `file` whole or not at all, through a new file of its own name."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=f"{file.name}.", suffix=".tmp")
    except OSError:
        return False  # a read-only cache: the next build reads everything, as without one
    try:
        with os.fdopen(handle, "wb") as opened:
            opened.write(data)
        os.replace(temporary, file)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        return False
    return True
