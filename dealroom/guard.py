"""Guard stage: scan every built file for a raw account number, after MkDocs has written them.

Masking should make this find nothing. It exists for what masking cannot see: a number pasted
into a hand-written page, a theme override, an asset, a plugin's output. It reads each file as
written and also decoded (HTML entities, JSON and URL escapes, tags removed), and matches
digits across any separators. Messages name the file and the field, never the number.
"""

from __future__ import annotations

import gzip
import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from dealroom.mask import Secret

# A run of digits, allowing up to three non-alphanumeric characters between any two.
_DIGIT_RUN = re.compile(r"\d(?:[^0-9A-Za-z]{0,3}\d)*")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_TAG = re.compile(r"<[^>]*>")
_MAX_GZIP = 512 * 1024 * 1024


@dataclass(frozen=True)
class Leak:
    file: Path
    secret: Secret

    def __str__(self) -> str:
        return (f"{self.file}: raw account number from deal {self.secret.deal!r}, field "
                f"{self.secret.field}; the file was removed (mask or delete the number at its source)")


def _views(text: str) -> Iterator[str]:
    yield text
    decoded = unquote(html.unescape(_JSON_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)))
    yield decoded
    yield _TAG.sub("", decoded)


def _read(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # sitemap.xml.gz and any other gzip file
        with gzip.open(path) as stream:
            data = stream.read(_MAX_GZIP)
    # Latin-1 maps every byte to one character, so binary files are scanned too.
    return data.decode("utf-8") if data.isascii() else data.decode("latin-1") + \
        data.decode("utf-8", errors="replace")


class Guard:
    def __init__(self, secrets: Iterable[Secret]) -> None:
        self.by_digits: dict[str, Secret] = {}
        for secret in secrets:
            self.by_digits.setdefault("".join(ch for ch in secret.number if ch.isdigit()), secret)
        self.lengths = sorted({len(d) for d in self.by_digits})

    def find(self, text: str) -> Iterator[Secret]:
        for view in _views(text):
            for run in _DIGIT_RUN.finditer(view):
                digits = "".join(ch for ch in run[0] if ch.isdigit())
                for length in self.lengths:
                    for start in range(len(digits) - length + 1):
                        secret = self.by_digits.get(digits[start:start + length])
                        if secret:
                            yield secret

    def scan(self, site_dir: Path) -> list[Leak]:
        """Every file of `site_dir` that shows a raw number, one leak per file and field."""
        leaks: list[Leak] = []
        if not self.by_digits:
            return leaks
        for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
            found = {s.field + s.deal: s for s in self.find(_read(path))}
            leaks.extend(Leak(path, s) for _, s in sorted(found.items()))
        return leaks


def scan_and_remove(site_dir: Path, secrets: Iterable[Secret]) -> list[Leak]:
    """Scan `site_dir`; delete each leaking file so no server can publish it."""
    leaks = Guard(secrets).scan(site_dir)
    for path in {leak.file for leak in leaks}:
        path.unlink(missing_ok=True)
    return leaks
