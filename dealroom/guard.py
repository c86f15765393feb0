"""Guard stage: scan every built file for a raw account number, after MkDocs has written them.

Masking should make this find nothing. It exists for what masking cannot see: a number pasted
into a hand-written page, a theme override, an asset, a plugin's output. It reads each file as
written and also decoded (HTML entities, JSON and URL escapes, tags removed), and matches
digits across any separators. Messages name the file and the field, never the number.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import html
import io
import multiprocessing
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from dealroom.mask import BULLET, Secret

# A run of digits, allowing up to three non-alphanumeric characters between any two.
_GAP = r"[^0-9A-Za-z]{0,3}"
_DIGIT_RUN = re.compile(rf"\d(?:{_GAP}\d)*")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_TAG = re.compile(r"<[^>]*>")
_MAX_GZIP = 512 * 1024 * 1024
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_MAX_SEEN_RUNS = 200_000
_PAGES_PER_BATCH = 50


@dataclass(frozen=True)
class Leak:
    file: Path  # as shown: a number in the file's own name is masked there too
    secret: Secret

    def __str__(self) -> str:
        return (f"{self.file}: raw account number from deal {self.secret.deal!r}, field "
                f"{self.secret.field}; the file was removed (mask or delete the number at its source)")


def _views(text: str) -> Iterator[str]:
    yield text
    decoded = unquote(html.unescape(_JSON_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)))
    yield decoded
    yield _TAG.sub("", decoded)
    if not decoded.isascii():  # full-width and other compatibility forms of digits
        yield unicodedata.normalize("NFKC", _TAG.sub("", decoded))


def _read(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # sitemap.xml.gz and any other gzip file
        with gzip.open(path) as stream:
            data = stream.read(_MAX_GZIP)
    return _decode(data + b"\n" + b"\n".join(_unpacked(data)))


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


def _decode(data: bytes) -> str:
    # Latin-1 maps every byte to one character, so binary files are scanned too.
    return data.decode("utf-8") if data.isascii() else data.decode("latin-1") + \
        data.decode("utf-8", errors="replace")


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
        self.runs = re.compile(rf"\d(?:{_GAP}\d){{{max(self.lengths[:1] or [1]) - 1},}}")
        self.lettered = [(re.compile(_GAP.join(re.escape(ch) for ch in d), re.IGNORECASE), secret)
                         for d, secret in lettered.items()]
        self.seen: dict[str, tuple[Secret, ...]] = {}  # run -> the secrets in it

    def __bool__(self) -> bool:
        return bool(self.by_digits or self.lettered)

    def _in_run(self, run: str) -> Iterator[Secret]:
        digits = "".join(str(int(ch)) for ch in run if ch.isdecimal())  # any script's digits
        for length in self.lengths:
            for start in range(len(digits) - length + 1):
                secret = self.by_digits.get(digits[start:start + length])
                if secret:
                    yield secret

    def _in_seen_run(self, run: str) -> tuple[Secret, ...]:
        # The same runs recur on every page (icons, dates): each is looked up once.
        found = self.seen.get(run)
        if found is None:
            if len(self.seen) >= _MAX_SEEN_RUNS:
                self.seen.clear()
            found = self.seen[run] = tuple(self._in_run(run))
        return found

    def find(self, text: str) -> Iterator[Secret]:
        for view in _views(text):
            for run in self.runs.finditer(view):
                yield from self._in_seen_run(run[0])
            for pattern, secret in self.lettered:
                if pattern.search(view):
                    yield secret

    def shown(self, path: Path) -> Path:
        """`path` for a message: digits of a number in a file or folder name become bullets."""
        text = _DIGIT_RUN.sub(lambda m: BULLET * len(m[0]) if any(self._in_run(m[0])) else m[0],
                              str(path))
        for pattern, _ in self.lettered:
            text = pattern.sub(lambda m: BULLET * len(m[0]), text)
        return Path(text)

    def found_in(self, name: str, text: str) -> list[Secret]:
        """The secrets in a file's name and text, one per field."""
        # The file's name is published too, as its URL: it is scanned with its content.
        found = {s.field + s.deal: s for s in self.find(f"{name}\n{text}")}
        return [s for _, s in sorted(found.items())]

    def scan(self, site_dir: Path, scanned: Mapping[str, Scanned] | None = None) -> list[Leak]:
        """Every file of `site_dir` that shows a raw number, one leak per file and field.

        `scanned` holds files already scanned as they were written (`PageScanner`): a file
        whose bytes are still those is not scanned again.
        """
        leaks: list[Leak] = []
        if not self:
            return leaks
        for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
            name = path.relative_to(site_dir).as_posix()
            known = (scanned or {}).get(name)
            if known and known.digest == hashlib.blake2b(path.read_bytes()).digest():
                found = known.secrets
            else:
                found = self.found_in(name, _read(path))
            leaks.extend(Leak(path, s) for s in found)
        return leaks


@dataclass(frozen=True)
class Scanned:
    digest: bytes  # BLAKE2b of the bytes scanned
    secrets: list[Secret]


_page_guard: Guard | None = None  # in a `PageScanner` process


def _start_page_guard(secrets: list[Secret]) -> None:
    global _page_guard
    _page_guard = Guard(secrets)


def _scan_pages(pages: list[tuple[str, bytes]]) -> list[tuple[str, Scanned]]:
    assert _page_guard is not None
    return [(name, Scanned(hashlib.blake2b(data).digest(), _page_guard.found_in(name, _decode(data))))
            for name, data in pages]


class PageScanner:
    """Scans pages as MkDocs writes them, in another process, while MkDocs renders the next.

    Scanning a large site after the build took a fifth of its time on one core; here the
    second core does it during the build. The final scan still reads every file: a page whose
    bytes changed after it was handed over (or that never was) is scanned again there.
    """

    def __init__(self, secrets: list[Secret]) -> None:
        self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_start_page_guard, initargs=(secrets,))
        self.futures: list[Future[list[tuple[str, Scanned]]]] = []
        self.batch: list[tuple[str, bytes]] = []

    def submit(self, name: str, data: bytes) -> None:
        self.batch.append((name, data))
        if len(self.batch) >= _PAGES_PER_BATCH:  # a handover per page cost more than its scan
            self._send()

    def _send(self) -> None:
        if self.batch:
            self.futures.append(self.pool.submit(_scan_pages, self.batch))
            self.batch = []

    def results(self) -> dict[str, Scanned]:
        """What was scanned; nothing if the process failed (every file is then scanned here)."""
        try:
            self._send()
            return dict(item for future in self.futures for item in future.result())
        except Exception:  # a scanner that died must not stop the build: the guard scans all
            return {}
        finally:
            self.close()

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def scan_and_remove(site_dir: Path, secrets: Iterable[Secret],
                    scanned: Mapping[str, Scanned] | None = None) -> list[Leak]:
    """Scan `site_dir`; delete each leaking file so no server can publish it."""
    guard = Guard(secrets)
    leaks = guard.scan(site_dir, scanned)
    for path in {leak.file for leak in leaks}:
        path.unlink(missing_ok=True)
    # A deal's id is a folder name, and may hold the number too: messages mask both.
    return [Leak(guard.shown(leak.file), dataclasses.replace(
        leak.secret, deal=str(guard.shown(Path(leak.secret.deal))))) for leak in leaks]
