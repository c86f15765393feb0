"""Guard stage: scan every built file for a raw account number, after MkDocs has written them.

Masking should make this find nothing. It exists for what masking cannot see: a number pasted
into a hand-written page, a theme override, an asset, a plugin's output. It reads each file as
written and also decoded (HTML entities, JSON and URL escapes, tags removed), and matches
digits across any separators. Messages name the file and the field, never the number.
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import hashlib
import html
import io
import math
import multiprocessing
import os
import queue
import re
import threading
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from dealroom.mask import BULLET, Secret

# A run of digits, allowing up to three non-alphanumeric characters between any two.
_GAP = r"[^0-9A-Za-z]{0,3}"
_DIGIT_RUN = re.compile(rf"\d(?:{_GAP}\d)*")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_URL_ESCAPES = re.compile(r"%[0-9a-fA-F]{2}(?:%[0-9a-fA-F]{2})*")  # a literal first: fast search
_TAG = re.compile(r"<[^>]*>")
_TAG_BYTES = re.compile(rb"<[^>]*>")
_JSON_ESCAPE_BYTES = re.compile(rb"\\u([0-9a-fA-F]{4})")
_URL_ESCAPES_BYTES = re.compile(rb"%[0-9a-fA-F]{2}(?:%[0-9a-fA-F]{2})*")
_MAX_GZIP = 512 * 1024 * 1024
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_MAX_SEEN_RUNS = 200_000

# Runs are searched in a copy of the text where every digit is "0", every ASCII letter "a"
# and everything else " ": the regex then starts on one literal byte, three times faster
# than on a class. Possessive repeats: a run ends at the first non-gap, nothing to retry.
_CLASSES = bytes(ord("0") if chr(b).isdigit() and b < 128 else ord("a") if chr(b).isalpha() and b < 128
                 else ord(" ") for b in range(256))
_NOT_DIGIT = bytes(b for b in range(256) if not 48 <= b <= 57)
# Latin-1 characters that NFKC turns into a digit or a letter (², ¼, ª, º...).
_LATIN1_TO_ALNUM = re.compile(rb"[\xaa\xb2\xb3\xb9\xba\xbc-\xbe]")
# Where a big file can be cut: after a ">" (no tag spans it in any view) and four separators
# that no escape can start with (so every view keeps them, and no match crosses four).
_SEAM = re.compile(rb">[^0-9A-Za-z\\&%<\x80-\xff]{4}")
_CHUNK = 2 * 1024 * 1024  # small enough for the two processes to finish together
_RACY_NS = 2_000_000_000  # file systems with coarse timestamps: FAT's are 2 s
_NAMES_PER_BATCH = 32
_STALL_S = 30.0  # a scanner that reports nothing for this long is given up (its files are scanned here)


class _Seen:
    """What `_reduced` met since `reset`: a non-ASCII digit or letter-like character, or one
    that NFKC might change in some context (anything but a plain symbol, space or letter)."""
    other = False
    unstable = False

    @classmethod
    def reset(cls) -> None:
        cls.other = cls.unstable = False


def _stable(ch: str) -> bool:
    # NFKC leaves a character with no compatibility form alone, unless it combines: combining
    # marks (and Hangul vowels and trailing consonants) join the character before them.
    return unicodedata.combining(ch) == 0 and unicodedata.is_normalized("NFKC", ch) and \
        unicodedata.category(ch) not in ("Mn", "Mc", "Me") and not "\u1100" <= ch <= "\u11ff"


@functools.lru_cache(maxsize=65536)
def _replacement(ch: str) -> tuple[str, bool, bool]:
    """A non-ASCII character's byte in a reduced view (its ASCII digit if it is a decimal
    digit, else a gap), whether it is a digit or letter-like, and whether NFKC may change it."""
    return (str(int(ch)) if ch.isdecimal() else "?", ch.isdecimal() or ch in _FOLDS,
            not _stable(ch))


_FOLDS = "\u0130\u0131\u017f\u212a"  # IGNORECASE matches these to I, I, S and K


def _reduced(view: str) -> bytes:
    """`view` as ASCII bytes, one byte per character, with the same runs of digits.

    The gap class holds every non-ASCII character and `\\d` only its decimal digits, so this
    keeps what the runs regex sees while the regex runs on bytes (UCS-2 text is much slower).
    Each distinct character is looked at once: a translation table, not a call per character.
    """
    if view.isascii():
        return view.encode("ascii")
    table: dict[int, str] = {}
    for ch in set(view):
        if ch >= "\x80":
            table[ord(ch)], other, unstable = _replacement(ch)
            _Seen.other |= other
            _Seen.unstable |= unstable
    if all(gap == "?" for gap in table.values()):  # no digit of another script: a C loop
        return view.encode("ascii", "replace")
    return view.translate(table).encode("ascii")


@dataclass(frozen=True)
class Leak:
    file: Path  # as shown: a number in the file's own name is masked there too
    secret: Secret

    def __str__(self) -> str:
        return (f"{self.file}: raw account number from deal {self.secret.deal!r}, field "
                f"{self.secret.field}; the file was removed (mask or delete the number at its source)")


def _json_unescaped(text: bytes) -> bytes | None:
    """JSON escapes decoded in UTF-8 `text`; None if an escape is half a surrogate pair."""
    chars = {escape: chr(int(escape, 16)) for escape in set(_JSON_ESCAPE_BYTES.findall(text))}
    if any("\ud800" <= ch <= "\udfff" for ch in chars.values()):
        return None
    utf8 = {escape: ch.encode("utf-8") for escape, ch in chars.items()}
    if len(chars) > 16 or any(ch in "\\u0123456789abcdefABCDEF" for ch in chars.values()):
        return _JSON_ESCAPE_BYTES.sub(lambda m: utf8[m[1]], text)
    # A few distinct escapes (a search index's bullets and dashes): one C-speed pass each.
    # Same as `sub` because no replacement can form or complete another escape.
    for escape, encoded in utf8.items():
        text = text.replace(b"\\u" + escape, encoded)
    return text


def _url_unescaped(text: str) -> str:
    # As `unquote`: each run of %XX escapes is decoded as UTF-8 bytes (errors replaced); a
    # literal character ends a multi-byte sequence, so runs are decoded one by one.
    return _URL_ESCAPES.sub(lambda m: bytes.fromhex(m[0].replace("%", "")).decode("utf-8", "replace"),
                            text)


def _decoded(text: str, utf8: bytes | None = None) -> str:
    """`unquote(html.unescape(json_unescape(text)))`, skipping each step with nothing to do.

    `utf8`: `text` encoded, if at hand; JSON and URL escapes are then decoded in bytes (a
    search index's text is 25 MB, and UCS-2 string operations are several times slower).
    """
    if "\\u" in text and utf8 is not None:
        utf8 = _json_unescaped(utf8)
    if utf8 is None:
        if "\\u" in text:
            text = _JSON_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)
    elif b"&" not in utf8:
        if b"%" in utf8:
            utf8 = _URL_ESCAPES_BYTES.sub(lambda m: bytes.fromhex(m[0].replace(b"%", b"").decode())
                                          .decode("utf-8", "replace").encode("utf-8"), utf8)
        return utf8.decode("utf-8")
    else:
        text = utf8.decode("utf-8")
    if "&" in text:
        text = html.unescape(text)
    if "%" in text:
        text = _url_unescaped(text)
    return text


def _separator(ch: str) -> bool:
    """`ch` is a separator in every view: non-ASCII, no digit, no case fold to a letter, no NFKC."""
    return ch > "\x7f" and not ch.isdecimal() and ch not in _FOLDS and \
        not "\ud800" <= ch <= "\udfff" and _stable(ch)


def _reduced_decoded(text: bytes) -> bytes | None:
    """`_reduced(_decoded(text))` for ASCII `text` whose JSON escapes are all separators and
    which has no entity; None otherwise. A search index's escapes are bullets and dashes, and
    this skips building its 25 MB of UCS-2 text."""
    if b"&" in text:
        return None
    if b"\\u" in text:
        if not all(_separator(chr(int(escape, 16))) for escape in set(_JSON_ESCAPE_BYTES.findall(text))):
            return None
        text = _JSON_ESCAPE_BYTES.sub(b"?", text)  # no "%" or hex digit: URL escapes stay as they are
    if b"%" in text:
        text = _URL_ESCAPES_BYTES.sub(lambda m: _reduced(bytes.fromhex(m[0].replace(b"%", b"").decode())
                                                         .decode("utf-8", "replace")), text)
    return text


def _gunzipped(data: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            return stream.read(_MAX_GZIP)
    except (OSError, EOFError, zlib.error):  # damaged: what can be read, and the bytes as written
        try:
            inside = zlib.decompressobj(wbits=31).decompress(data, _MAX_GZIP)
        except zlib.error:
            inside = b""
        return data + b"\n" + inside


def _content(data: bytes) -> bytes:
    """What a file publishes: its bytes, gunzipped, with the insides of PDF and Office files."""
    if data[:2] == b"\x1f\x8b":  # sitemap.xml.gz and any other gzip file
        data = _gunzipped(data)
    insides = list(_unpacked(data))
    return data + b"\n" + b"\n".join(insides) if insides else data


def _unpacked(data: bytes) -> Iterator[bytes]:
    """The compressed insides of an attachment: a number in them is published all the same.

    Word, Excel and PowerPoint files are zip archives; PDF pages are zlib streams. What cannot
    be unpacked is scanned as it is; the README says to attach such files redacted.
    """
    budget = _MAX_GZIP
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.infolist():
                    with archive.open(member) as stream:
                        inside = stream.read(budget)
                    budget -= len(inside)
                    yield inside
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError):
            return  # encrypted or damaged: scanned as written only
    elif data[:1024].lstrip().startswith(b"%PDF"):
        for match in _PDF_STREAM.finditer(data):
            try:
                inside = zlib.decompressobj().decompress(match[1], budget)
            except zlib.error:
                continue  # not a zlib stream (an image, say)
            budget -= len(inside)
            yield inside


def _is_plain(data: bytes) -> bool:
    """A file scanned as its bytes alone (nothing to unpack), so it can be cut into chunks."""
    return data[:2] != b"\x1f\x8b" and data[:4] != b"PK\x03\x04" and \
        not data[:1024].lstrip().startswith(b"%PDF")


class Guard:
    def __init__(self, secrets: Iterable[Secret]) -> None:
        self.by_digits: dict[str, Secret] = {}
        lettered: dict[str, Secret] = {}
        for secret in secrets:
            if secret.digits.isdigit():
                self.by_digits.setdefault(secret.digits, secret)
            else:  # letters break a run of digits: such numbers are matched by a pattern
                lettered.setdefault(secret.digits, secret)
        self.lengths = sorted({len(d) for d in self.by_digits})
        # Only runs with as many digits as the shortest number: most runs in a site are short
        # (dates, sizes, icon paths), and looking each one up was most of the guard's time.
        shortest = max(self.lengths[:1] or [1])
        self.runs = re.compile(rb"0(?: {0,3}+0){%d,}+" % (shortest - 1))
        self.lettered = [(re.compile(_GAP.join(re.escape(ch) for ch in d), re.IGNORECASE), secret)
                         for d, secret in lettered.items()]
        self.seen: dict[bytes, tuple[Secret, ...]] = {}  # a run's digits -> the secrets in them

    def __bool__(self) -> bool:
        return bool(self.by_digits or self.lettered)

    def _in_digits(self, digits: str) -> Iterator[Secret]:
        for length in self.lengths:
            for start in range(len(digits) - length + 1):
                secret = self.by_digits.get(digits[start:start + length])
                if secret:
                    yield secret

    def _in_run(self, run: str) -> Iterator[Secret]:
        return self._in_digits("".join(str(int(ch)) for ch in run if ch.isdecimal()))  # any script's

    def _in_reduced(self, view: bytes) -> Iterator[Secret]:
        """The secrets in the runs of a view reduced to bytes (`_reduced`)."""
        for match in self.runs.finditer(view.translate(_CLASSES)):
            digits = view[match.start():match.end()].translate(None, _NOT_DIGIT)
            # The same runs recur on every page (phone numbers, amounts): each is looked up once.
            found = self.seen.get(digits)
            if found is None:
                if len(self.seen) >= _MAX_SEEN_RUNS:
                    self.seen.clear()
                found = self.seen[digits] = tuple(self._in_digits(digits.decode("ascii")))
            yield from found

    def _in_view(self, view: str | None, reduced: bytes) -> Iterator[Secret]:
        yield from self._in_reduced(reduced)
        if view is not None:
            for pattern, secret in self.lettered:
                if pattern.search(view):
                    yield secret

    def _in_views(self, text: str, utf8: bytes | None = None,
                  seen_other: list[bool] | None = None) -> Iterator[Secret]:
        """The secrets in `text` as written, decoded, without tags, and NFKC-normalised.

        `utf8`: `text` encoded, if at hand. Views are scanned reduced to bytes (`_reduced`).
        `seen_other` gets whether the text shows non-ASCII digits or letter-like characters.
        """
        _Seen.reset()
        if utf8 is not None and utf8.isascii() and not self.lettered:
            fast = _reduced_decoded(utf8)
            if fast is not None and not _Seen.unstable:
                yield from self._in_reduced(utf8)
                if fast != utf8:
                    yield from self._in_reduced(fast)
                tagless = _TAG_BYTES.sub(b"", fast) if b"<" in fast else fast
                if len(tagless) != len(fast):
                    yield from self._in_reduced(tagless)
                return
            _Seen.reset()
        reduced = utf8 if utf8 is not None and utf8.isascii() else _reduced(text)
        decoded = _decoded(text, utf8)
        reduced_decoded = _reduced(decoded) if decoded != text else reduced
        unstable = _Seen.unstable
        if seen_other is not None:
            seen_other.append(_Seen.other)
        yield from self._in_view(text, reduced)
        if decoded != text:
            yield from self._in_view(decoded, reduced_decoded)
        reduced = reduced_decoded
        # `_Seen` now knows every character of `decoded`, and so of the text without tags.
        if self.lettered or unstable:
            tagless = _TAG.sub("", decoded) if "<" in decoded else decoded
            if len(tagless) != len(decoded):
                yield from self._in_view(tagless, _reduced(tagless))
            # Full-width and other compatibility forms of digits.
            if not decoded.isascii() and not unicodedata.is_normalized("NFKC", tagless):
                normal = unicodedata.normalize("NFKC", tagless)
                yield from self._in_view(normal, _reduced(normal))
        else:  # NFKC changes nothing; tags removed from the reduced bytes are the same bytes
            tagless_bytes = _TAG_BYTES.sub(b"", reduced) if b"<" in reduced else reduced
            if len(tagless_bytes) != len(reduced):
                yield from self._in_view(None, tagless_bytes)

    def find(self, text: str) -> Iterator[Secret]:
        """The secrets in `text`, in every view of it (a secret may come more than once)."""
        return self._in_views(text)

    def find_in_bytes(self, data: bytes) -> Iterator[Secret]:
        """The secrets in bytes as a file holds them (text, or binary read as Latin-1)."""
        if data.isascii():
            yield from self._in_views(data.decode("ascii"), data)
            return
        try:
            text, valid = data.decode("utf-8"), True
        except UnicodeDecodeError:
            text, valid = data.decode("utf-8", "replace"), False
        other: list[bool] = []
        yield from self._in_views(text, data if valid else None, other)
        # Read as Latin-1 too, so that every byte of a binary file counts. For valid UTF-8 that
        # finds nothing more: each character's bytes are that many separators instead of one,
        # unless UTF-8 shows other digits or letters there, or NFKC of Latin-1 makes digits.
        if not valid or any(other) or _LATIN1_TO_ALNUM.search(data):
            yield from self._in_views(data.decode("latin-1"))

    def shown(self, path: Path) -> Path:
        """`path` for a message: digits of a number in a file or folder name become bullets."""
        text = _DIGIT_RUN.sub(lambda m: BULLET * len(m[0]) if any(self._in_run(m[0])) else m[0],
                              str(path))
        for pattern, _ in self.lettered:
            text = pattern.sub(lambda m: BULLET * len(m[0]), text)
        return Path(text)

    def found_in(self, name: str, data: bytes) -> list[Secret]:
        """The secrets in a file's name (published too, as its URL) and bytes, one per field."""
        return _one_per_field([*self.find(name), *self.find_in_bytes(_content(data))])


def _one_per_field(secrets: Iterable[Secret]) -> list[Secret]:
    found = {s.field + s.deal: s for s in secrets}
    return [s for _, s in sorted(found.items())]


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


class Scanned(NamedTuple):  # a tuple: thousands cross from the scanner, unpickled in the caller
    """What was scanned of a file: enough to prove later that its bytes are still those."""
    size: int
    mtime_ns: int
    digest: bytes  # BLAKE2b of the bytes scanned
    secrets: list[Secret]


def _scan_file(guard: Guard, site_dir: Path, name: str) -> Scanned | None:
    try:
        with open(site_dir / name, "rb") as stream:
            stat = os.fstat(stream.fileno())
            data = stream.read()
        if len(data) != stat.st_size:
            return None  # being rewritten: scanned again by the final pass
        return Scanned(stat.st_size, stat.st_mtime_ns, _digest(data), guard.found_in(name, data))
    except Exception:  # gone, or a bug: the final pass scans what has no record (a bug shows there)
        return None


def _cut(data: bytes, size: int = _CHUNK) -> list[tuple[int, int]]:
    """`data` cut at seams into pieces of about `size` bytes; one piece if it has no seams."""
    cuts = [0]
    while len(data) - cuts[-1] > size * 3 // 2:
        seam = _SEAM.search(data, cuts[-1] + size)
        if seam is None:
            break
        cuts.append(seam.start() + 1)  # just after the ">"
    return list(zip(cuts, [*cuts[1:], len(data)], strict=True))


# A job is ("files", id, [name, ...]), ("bytes", id, data) or ("walk", id, [(folder, prefix), ...]);
# its report ("files", id, [(name, Scanned | None), ...]), ("bytes", id, [Secret, ...]) or
# ("walk", id, {name: (size, mtime_ns)}).
Job = tuple[str, int, Any]


def _serve(site_dir: str, secrets: Any, jobs: Any, reports: Any) -> None:
    """The scanner process: scans what it is sent until it is stopped."""
    guard = Guard(secrets.get())
    while True:
        job = jobs.get()
        if job is None:
            return
        reports.put(_do(guard, Path(site_dir), job))


class SiteScanner:
    """Scans built files from disk in another process, as MkDocs writes them.

    Scanning a large site after the build took a fifth of its time on one core; here the
    second core does it during the build. The final pass (`scan_and_remove`) trusts a record
    only for a file whose size, time and (if recent) bytes are still those scanned.
    """

    def __init__(self, site_dir: Path, secrets: list[Secret]) -> None:
        context = multiprocessing.get_context("spawn")
        self.site_dir = site_dir
        # Queues: `put` hands over to a feeder thread, so the caller never waits for the process.
        self.jobs: Any = context.Queue()
        self.reports: Any = context.Queue()
        # The secrets have their own queue: the final pass takes jobs from `jobs` too. Kept
        # while the process runs: its locks are removed with it, maybe before the process read.
        self.secrets: Any = context.Queue()
        self.secrets.put(list(secrets))
        self.process = context.Process(target=_serve, args=(str(site_dir), self.secrets, self.jobs,
                                                            self.reports),
                                       daemon=True, name="dealroom-guard")
        self.process.start()
        self.secrets.close()  # its thread still hands them over, then ends
        self.secrets.cancel_join_thread()  # (never waited for, if the process dies first)
        self.batch: list[str] = []
        self.sent: dict[int, Job] = {}  # jobs sent and not yet reported
        self.names: set[str] = set()  # every name sent
        self.count = 0  # batches sent: their job numbers
        self.received: list[tuple[str, int, Any]] = []  # reports not yet used by the final pass
        self.arrived: queue.Queue[tuple[str, int, Any]] = queue.Queue()  # read by `reader`
        self.reader: threading.Thread | None = None
        self.closed = False

    def written(self, name: str) -> None:
        """`name` (relative to the site) is written completely: scan it soon."""
        self.batch.append(name)
        if len(self.batch) >= _NAMES_PER_BATCH:  # a handover per page costs more than its scan
            self.flush()

    def flush(self) -> None:
        if self.batch:
            self.names.update(self.batch)
            self.count += 1
            self.send(("files", self.count, self.batch))
            self.batch = []

    def send(self, job: Job) -> None:
        self.sent[job[1]] = job
        if not self.closed:
            self.jobs.put(job)

    def take(self) -> Job | None:
        """A job the process has not started: the final pass does it here instead."""
        if not self.alive():  # it may have died halfway through reading one: not read after
            return None
        try:
            job = self.jobs.get(block=False)  # not while the process reads: it holds the lock then
        except Exception:  # empty, or closed
            return None
        return job if self.sent.pop(job[1], None) is not None else None  # not done meanwhile

    def pull(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for a report; keep it in `received`. False if none came."""
        if self.reader is None:
            self.reader = threading.Thread(target=self._read, daemon=True, name="dealroom-guard-reports")
            self.reader.start()
        try:
            report = self.arrived.get(timeout=timeout)
        except queue.Empty:
            return False
        if self.sent.pop(report[1], None) is not None:  # not done here meanwhile
            self.received.append(report)
        return True

    def _read(self) -> None:
        # In a thread: a process killed halfway through writing a report would leave a read
        # waiting forever for the rest; the final pass waits here with a timeout instead.
        # The thread ends soon after `close` (the process may be gone without a word).
        while not self.closed:
            try:
                self.arrived.put(self.reports.get(timeout=0.05))
            except queue.Empty:
                continue
            except Exception:  # closed
                return

    def idle(self, timeout: float) -> bool:
        """Wait until every file named so far is scanned (or `timeout` passed): True if so."""
        self.flush()
        deadline = time.monotonic() + timeout
        while self.sent and self.alive() and time.monotonic() < deadline:
            self.pull(min(0.05, max(0.0, deadline - time.monotonic())))
        return not self.sent

    def alive(self) -> bool:
        return not self.closed and self.process.is_alive()

    def close(self) -> None:
        """Stop the process without waiting for it (a build error, or the final pass done)."""
        if self.closed:
            return
        self.closed = True
        for channel in (self.jobs, self.reports):
            channel.cancel_join_thread()  # exiting must not wait to flush to a dead process
        if self.process.is_alive():
            self.process.kill()
        self.jobs.close()
        if self.reader is None:  # else the reader thread is using it, until it sees `closed`
            self.reports.close()


Stat = tuple[int, int]  # size, st_mtime_ns


def _walk(folders: list[tuple[str, str]], files: dict[str, Stat], until: int | None = None) -> None:
    """Files under `folders` (path, name prefix) as `rglob("*")` and `is_file()` see them, into
    `files`; breadth first, stopping with `until` folders left to walk (they stay in `folders`)."""
    while folders and (until is None or len(folders) < until):
        folder, prefix = folders.pop(0) if until else folders.pop()
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            continue  # as `rglob`: removed meanwhile, or unreadable
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_file():
                    stat = entry.stat()
                    files[prefix + entry.name] = (stat.st_size, stat.st_mtime_ns)
            except FileNotFoundError:
                continue  # removed meanwhile: not published


def _do(guard: Guard, site_dir: Path, job: Job) -> tuple[str, int, Any]:
    kind, number, payload = job
    if kind == "files":
        return kind, number, [(name, _scan_file(guard, site_dir, name)) for name in payload]
    if kind == "walk":
        files: dict[str, Stat] = {}
        _walk(payload, files)
        return kind, number, files
    return kind, number, list(guard.find_in_bytes(payload))


class _FinalPass:
    def __init__(self, guard: Guard, site_dir: Path, scanner: SiteScanner | None, since_ns: int | None):
        self.guard, self.site_dir = guard, site_dir
        self.scanner = scanner if scanner and scanner.alive() else None
        self.recent_ns = -math.inf if since_ns is None else since_ns - _RACY_NS
        self.files: dict[str, Stat] = {}
        self.records: dict[str, list[Scanned]] = {}
        self.found: dict[str, list[Secret]] = {}  # the name's secrets, for a file cut in pieces
        self.pieces: dict[int, tuple[str, int]] = {}  # a piece's job -> its file, its index
        self.piece_secrets: dict[str, list[list[Secret] | None]] = {}
        self.jobs = 0

    def run(self) -> dict[str, list[Secret]]:
        scanner = self.scanner
        folders = [(str(self.site_dir), "")]
        if scanner is None:
            _walk(folders, self.files)
            return self._all()
        scanner.flush()
        # Walking a large site takes a tenth of a second (a folder per page): half of it is
        # walked in the scanner's process, while the files found here are scanned.
        _walk(folders, self.files, until=64)
        if folders:
            folders.sort(key=lambda folder: folder[1].count("/"))  # the few shallow ones to each
            self._send(scanner, ("walk", self._number(), folders[1::2]))
            _walk(folders[::2], self.files)
        self._share([name for name in sorted(self.files) if name not in scanner.names], scanner)
        self._collect(scanner)
        return self._all()

    def _all(self) -> dict[str, list[Secret]]:
        # In the order of `sorted(rglob)`, as before: by path parts, so leaks are listed the same.
        return {name: self._secrets(name, stat)
                for name, stat in sorted(self.files.items(), key=lambda item: item[0].split("/"))}

    def _number(self) -> int:
        self.jobs += 1
        return -self.jobs  # the scanner's own batches count up from 1

    def _send(self, scanner: SiteScanner, job: Job) -> None:
        scanner.send(job)
        if not scanner.alive():  # done here, so that none is lost
            self._record(_do(self.guard, self.site_dir, job))
            scanner.sent.pop(job[1], None)

    def _share(self, names: list[str], scanner: SiteScanner) -> None:
        """Scan `names` now, split with the scanner: big plain files in pieces, the rest in batches."""
        jobs: list[Job] = []
        for name in names:
            if self.files[name][0] < _CHUNK * 3 // 2:
                continue
            data = (self.site_dir / name).read_bytes()
            if not _is_plain(data) or len(pieces := _cut(data)) == 1:
                continue
            self.files[name] = (len(data), self.files[name][1])  # the pieces are of these bytes
            self.found[name] = list(self.guard.find(name))
            self.piece_secrets[name] = [None] * len(pieces)
            for index, (start, end) in enumerate(pieces):
                number = self._number()
                self.pieces[number] = (name, index)
                jobs.append(("bytes", number, data[start:end]))
        rest = [name for name in names if name not in self.piece_secrets]
        jobs.extend(("files", self._number(), rest[i:i + 8]) for i in range(0, len(rest), 8))
        for job in jobs[1:]:
            self._send(scanner, job)
        if jobs:
            self._record(_do(self.guard, self.site_dir, jobs[0]))

    def _collect(self, scanner: SiteScanner) -> None:
        """Reports from the scanner until every job is done; jobs it has not started are done here."""
        last = time.monotonic()
        while True:
            while scanner.received:
                self._record(scanner.received.pop())
            if not scanner.sent:
                break
            if scanner.pull(timeout=0):
                last = time.monotonic()
                continue
            job = scanner.take()
            if job:
                self._record(_do(self.guard, self.site_dir, job))
                continue
            if not scanner.alive() or time.monotonic() - last > _STALL_S:
                for job in list(scanner.sent.values()):  # never reported: done here
                    scanner.sent.pop(job[1])
                    self._record(_do(self.guard, self.site_dir, job))
            elif scanner.pull(timeout=0.005):
                last = time.monotonic()

    def _record(self, report: tuple[str, int, Any]) -> None:
        kind, number, payload = report
        if kind == "files":
            for name, scanned in payload:
                if scanned is not None:
                    self.records.setdefault(name, []).append(scanned)
        elif kind == "walk":
            self.files.update(payload)
            assert self.scanner is not None
            self._share(sorted(name for name in payload if name not in self.scanner.names), self.scanner)
        else:
            name, index = self.pieces[number]
            self.piece_secrets[name][index] = payload

    def _secrets(self, name: str, stat: Stat) -> list[Secret]:
        pieces = self.piece_secrets.get(name)
        if pieces is not None and all(p is not None for p in pieces):
            return _one_per_field([*self.found[name], *(s for p in pieces for s in p or [])])
        data: bytes | None = None
        try:
            for scanned in self.records.get(name, []):
                if (scanned.size, scanned.mtime_ns) != stat:
                    continue
                if scanned.mtime_ns < self.recent_ns:
                    return scanned.secrets
                # Written within the file system's time resolution of the scan: a rewrite of the
                # same size would keep the time, so the bytes are compared.
                data = data if data is not None else (self.site_dir / name).read_bytes()
                if _digest(data) == scanned.digest:
                    return scanned.secrets
            data = data if data is not None else (self.site_dir / name).read_bytes()
        except FileNotFoundError:
            return []  # removed since the walk: not published
        return self.guard.found_in(name, data)


def scan_and_remove(site_dir: Path, secrets: Iterable[Secret], scanner: SiteScanner | None = None, *,
                    since_ns: int | None = None) -> list[Leak]:
    """Scan every file of `site_dir`; delete each leaking file so no server can publish it.

    `scanner` has scanned files as they were written; its records are used for files provably
    unchanged since (same size and time; same bytes too if written since `since_ns` - 2 s, or
    always when `since_ns` is None). The rest is scanned now, split with its process. A
    scanner that died or fell behind only makes this slower.
    """
    guard = Guard(secrets)
    try:
        found = _FinalPass(guard, site_dir, scanner, since_ns).run() if guard else {}
    finally:
        if scanner:
            scanner.close()
    leaks = [Leak(site_dir / name, secret) for name, secrets_ in found.items() for secret in secrets_]
    for path in {leak.file for leak in leaks}:
        path.unlink(missing_ok=True)
    # A deal's id is a folder name, and may hold the number too: messages mask both.
    return [Leak(guard.shown(leak.file), dataclasses.replace(
        leak.secret, deal=str(guard.shown(Path(leak.secret.deal))))) for leak in leaks]
