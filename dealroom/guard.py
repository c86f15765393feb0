"""Leak guard, detection: find a raw account number in a built file's name and bytes.

Masking should make this find nothing. It exists for what masking cannot see: a number pasted
into a hand-written page, a theme override, an asset, a plugin's output. It reads what a file
publishes (gzip, the insides of PDF and Office files) and finds numbers with the rule of
`dealroom.numbers`, the one the mask uses. Messages name the file and the field, never the
number. Walking the built site, and removing what leaks, is `dealroom.scan`.
"""

from __future__ import annotations

import gzip
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dealroom.numbers import Finder, Secret

_MAX_GZIP = 512 * 1024 * 1024
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)


@dataclass(frozen=True)
class Leak:
    file: Path  # as shown: a number in the file's own name is masked there too
    secret: Secret

    def __str__(self) -> str:
        return (f"{self.file}: raw account number from deal {self.secret.deal!r}, field "
                f"{self.secret.field}; the file was removed (mask or delete the number at its source)")


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


class Guard(Finder):
    def found_in(self, name: str, data: bytes) -> list[Secret]:
        """The secrets in a file's name (published too, as its URL) and bytes, one per field."""
        return _one_per_field([*self.find(name), *self.find_in_bytes(_content(data))])


def _one_per_field(secrets: Iterable[Secret]) -> list[Secret]:
    found = {s.field + s.deal: s for s in secrets}
    return [s for _, s in sorted(found.items())]
