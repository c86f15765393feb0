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
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from dealroom.numbers import Secret

_DIGEST = 16  # bytes of a verdict's keyed digest
_RECORD = _DIGEST + 1  # ... and one byte of flags
_MOST_KEPT = 1_000_000  # verdicts a file keeps at most: those of the last build first


@functools.cache
def _code_digest() -> bytes:
    """Every module of the package, and the Python (and its Unicode tables) they run on."""
    digest = hashlib.sha256(f"{sys.version}:{unicodedata.unidata_version}".encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    return digest.digest()


class Verdicts:
    """Clean verdicts by the digest of what was read (a part's SHA-256, a file's). `file`:
    where they are kept between builds (None: this process only)."""

    def __init__(self, file: Path | None, secrets: Iterable[Secret]) -> None:
        self.file = file
        self._key = hashlib.sha256(_code_digest() + repr(sorted(
            (s.digits, s.deal, s.field, s.partial) for s in secrets)).encode()).digest()
        self._kept: dict[bytes, int] = {}  # keyed digest -> flags, as the file held them
        self._used: dict[bytes, int] = {}  # ... and those given or found in this process
        self._saved = True  # the file holds every verdict given since
        if file is not None:
            try:
                data = file.read_bytes()
            except OSError:
                data = b""
            if len(data) % _RECORD == 0:  # else a file cut short: nothing of it is used
                self._kept = {data[at:at + _DIGEST]: data[at + _DIGEST]
                              for at in range(0, len(data), _RECORD)}

    def _keyed(self, digest: bytes) -> bytes:
        return hashlib.blake2b(digest, key=self._key, digest_size=_DIGEST).digest()

    def get(self, digest: bytes) -> int | None:
        """The flags of a clean verdict on the bytes of `digest`; None if none is kept."""
        if not self._kept:
            return None
        keyed = self._keyed(digest)
        flags = self._kept.get(keyed)
        if flags is not None:
            self._used[keyed] = flags
        return flags

    def add(self, digest: bytes, flags: int = 0) -> None:
        """A clean verdict on the bytes of `digest`, with up to eight flags of what was noted."""
        self._used[self._keyed(digest)] = flags
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
        data = b"".join(keyed + bytes((flags,)) for keyed, flags in kept.items())
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.file.with_name(self.file.name + ".tmp")
            temporary.write_bytes(data)
            os.replace(temporary, self.file)
        except OSError:
            return  # a read-only cache: the next build reads everything, as without one
        self._saved = True
