"""Leak guard, detection: find a raw account number in a built file's name and bytes.

Masking should make this find nothing. It exists for what masking cannot see: a number pasted
into a hand-written page, a theme override, an asset, a plugin's output. It reads what a file
shows a reader (pages as written; PDF, Office, archive and image text through
`dealroom.extract`) and finds numbers with the rule of
`dealroom.numbers`, the one the mask uses. Messages name the file and the field, never the
number. Walking the built site, and removing what leaks, is `dealroom.scan`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dealroom.extract import extract, is_text_format
from dealroom.numbers import Finder, Secret


@dataclass(frozen=True)
class Leak:
    file: Path  # as shown: a number in the file's own name is masked there too
    secret: Secret

    def __str__(self) -> str:
        return (f"{self.file}: raw account number from deal {self.secret.deal!r}, field "
                f"{self.secret.field}; the file was removed (mask or delete the number at its source)")


@dataclass(frozen=True)
class Reading:
    """What the guard read of a file: the secrets in it, and why it could not read it whole."""

    secrets: list[Secret]
    unreadable: str | None = None


def _plain_text(name: str, data: bytes) -> bool:
    """A page, a script, a style sheet...: read as its bytes, the fast way. Containers (gzip, zip,
    PDF) and images are read through `dealroom.extract`, whatever their name says."""
    return is_text_format(name) and data[:2] != b"\x1f\x8b" and data[:4] != b"PK\x03\x04" and \
        b"%PDF" not in data[:1024]


class Guard(Finder):
    def read(self, name: str, data: bytes, attachment: bool = False) -> Reading:
        """The secrets in a file's name (published too, as its URL) and in what it shows a
        reader, one per field. `attachment`: a file from a deal record, which is not published
        unless every part of it can be read (or a person reviewed it: then pass False)."""
        found = [*self.find(name), *self.find_in_bytes(data)]
        if _plain_text(name, data):
            return Reading(_one_per_field(found))
        extraction = extract(name, data, attachment=attachment)
        for text in extraction.texts:
            found.extend(self.find(text))
        problem = None if extraction.complete else extraction.problem or "it cannot be read whole"
        return Reading(_one_per_field(found), problem)

    def found_in(self, name: str, data: bytes) -> list[Secret]:
        """The secrets in a file's name and what it shows, one per field."""
        return self.read(name, data).secrets


def _one_per_field(secrets: Iterable[Secret]) -> list[Secret]:
    found = {s.field + s.deal: s for s in secrets}
    return [s for _, s in sorted(found.items())]
