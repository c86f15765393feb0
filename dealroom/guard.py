"""Leak guard, detection: find a raw account number in a built file's name and bytes.

Masking should make this find nothing. It exists for what masking cannot see: a number pasted
into a hand-written page, a theme override, an asset, a plugin's output. It reads what a file
shows a reader (pages as written; PDF, Office, archive and image text through
`dealroom.extract`) and finds numbers with the rule of
`dealroom.numbers`, the one the mask uses. Messages name the file and the field, never the
number. Walking the built site, and removing what leaks, is `dealroom.scan`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from dealroom.display import TAG_REACH, inserted_digits, style_sheets, tags_holding
from dealroom.extract import extract, is_text_format
from dealroom.numbers import TOO_DEEP, UNMASKED, UTF16_MARKS, Finder, Secret
from dealroom.verdicts import FILE


@dataclass(frozen=True)
class Leak:
    file: Path  # as shown: a number in the file's own name is masked there too
    secret: Secret

    def __str__(self) -> str:
        return (f"{self.file}: raw account number from deal {self.secret.deal!r}, field "
                f"{self.secret.field}; the file was removed (mask or delete the number at its source)")


@dataclass(frozen=True)
class Unclear:
    """A file that may show an account number the guard cannot rule out."""

    file: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}; the file was removed"


@dataclass(frozen=True)
class Reading:
    """What the guard read of a file: the secrets in it, why it could not read it whole, and
    why it may show a number no record holds."""

    secrets: list[Secret]
    unreadable: str | None = None
    unclear: str | None = None

    @property
    def clean(self) -> bool:
        return not self.secrets and self.unreadable is None and self.unclear is None


LABELLED = ("a number of 5 digits or more written after an account label (Account No., A/C, Acct, "
            "IBAN, Konto...) that the mask never saw; mask it where it is written (a theme "
            "override, a script, an asset), or if it is not an account, write the label apart")


def _plain_text(name: str, data: bytes) -> bool:
    """A page, a script, a style sheet...: read as its bytes, the fast way. Containers (gzip, zip,
    PDF) and images are read through `dealroom.extract`, whatever their name says."""
    return is_text_format(name) and data[:2] != b"\x1f\x8b" and data[:4] != b"PK\x03\x04" and \
        b"%PDF" not in data[:1024]


def _owned(secret: Secret, name: str) -> bool:
    """A run of the digits a deal's mask hides is a leak in that deal's own files, where the
    masked form stands beside it; elsewhere five digits are too few to tell (`hidden_runs`)."""
    return not secret.partial or name.startswith(f"deals/{secret.deal}/")


class Guard(Finder):
    def read(self, name: str, data: bytes, attachment: bool = False) -> Reading:
        """The secrets in a file's name (published too, as its URL) and in what it shows a
        reader, one per field. `name`: the file's path in the site. `attachment`: a file from a
        deal record, which is not published unless every part of it can be read (or a person
        reviewed it: then pass False)."""
        plain = _plain_text(name, data)
        page = name.endswith((".html", ".htm"))
        # A text file read clean in an earlier build, as it is (a theme's scripts, a search
        # index's pieces); a page is kept by its parts (`Finder.find_in_parts`).
        verdicts = self.verdicts if plain and not page else None
        digest = _file_digest(name, data, attachment) if verdicts is not None else b""
        if verdicts is not None and verdicts.get(FILE, digest) is not None:
            return Reading([])
        reading = self._read(name, data, attachment, plain, page)
        if verdicts is not None and reading.clean:
            verdicts.add(FILE, digest)
        return reading

    def _read(self, name: str, data: bytes, attachment: bool, plain: bool, page: bool) -> Reading:
        utf8 = page and _UTF8_PAGE.search(data, 0, 2048) is not None
        in_parts = self.find_in_parts(data, utf8) if plain and page else None
        # A container's raw bytes are noise: five digits count only in the text it shows.
        found = [*self.find(name), *(in_parts.secrets if in_parts is not None else (
            s for s in self.find_in_bytes(data, utf8) if plain or not s.partial))]
        problem = None
        if in_parts is not None and not in_parts.note_whole:
            unclear = in_parts.note
        elif plain:
            unclear = _inserted_digits(name, data)
        else:
            extraction = extract(name, data, attachment=attachment)
            for text in extraction.texts:
                found.extend(self.find(text))
            problem = None if extraction.complete else extraction.problem or "it cannot be read whole"
            unclear = None
        if TOO_DEEP in found:
            unclear = unclear or _TOO_DEEP
        if UNMASKED in found:
            unclear = unclear or LABELLED
        return Reading(one_per_field(s for s in found if s not in (UNMASKED, TOO_DEEP) and _owned(s, name)),
                       problem,
                       unclear)

    def _part_note(self, part: bytes) -> tuple[str | None, bool]:
        """Inserted digits (`_inserted_digits`) in a part of a page: a list numbered from a
        long number, found where the part holds its tag; style sheets in the whole page (a
        `style` attribute's value may hold a line break, where a part may end)."""
        lower = part.lower()
        if _CONTENT_RULE.search(lower) or b"counter-" in lower or b"list-style" in lower:
            return None, True
        numbered = _numbered_list(lower)
        return (_NUMBERED if numbered else None), numbered is None

    def found_in(self, name: str, data: bytes) -> list[Secret]:
        """The secrets in a file's name and what it shows, one per field."""
        return self.read(name, data).secrets


def _file_digest(name: str, data: bytes, attachment: bool) -> bytes:
    digest = hashlib.sha256(b"%s\0%d\0" % (name.encode("utf-8", "surrogateescape"), attachment))
    digest.update(data)
    return digest.digest()


def _inserted_digits(name: str, data: bytes) -> str | None:
    """Why a text file may show digits no view of its text holds: a style sheet inserts them
    beside the text."""
    if data[:2] in UTF16_MARKS:
        data = data.decode("utf-16", "replace").encode("utf-8")
    lower = data.lower()  # CSS properties are case-insensitive
    if _numbered_list(lower):
        return _NUMBERED
    if _CONTENT_RULE.search(lower) or b"counter-" in lower or b"list-style" in lower:
        for sheet in style_sheets(data, PurePosixPath(name).suffix.lower()):
            reason = inserted_digits(sheet)
            if reason is not None:
                return (f"{reason}, and the leak guard cannot tell what number a reader sees "
                        "there (write the digits in the page itself)")
    return None


_TOO_DEEP = ("it holds more documents in its attributes (iframes' `srcdoc`, data URLs), or nests "
             "them deeper, than the leak guard reads (write them as pages of their own)")
_NUMBERED = ("a list's numbering is set to a number of three digits or more (`<ol start>`, "
             "`<li value>`), and the leak guard cannot tell what number a reader sees there "
             "(write the number in the page itself)")
_CONTENT_RULE = re.compile(rb"content\s*:")  # a literal first: a fast search
# Three digits, or an escape that may be one (a browser decodes attribute values).
_LIST_NUMBER = re.compile(rb"\s*=\s*[\"']?\s*[+-]?(?:\d{3}|&)")


def _numbered_list(lower: bytes) -> bool | None:
    """Whether lower-cased HTML numbers a list from three digits or more (`<ol start>`,
    `<li value>`, or a value beginning with an escape): each attribute name found with `find`,
    and an `<ol` or `<li` whose tag runs on to it looked for at most `TAG_REACH` bytes back
    (`tags_holding`), so that the work stays linear in the page. None: no such tag within reach, and the reach
    runs past the start of `lower`, which may be part of a page (a tag begun before it)."""
    reaches_back = False
    for attribute, element in ((b"start", b"ol"), (b"value", b"li")):
        at = lower.find(attribute)
        while at >= 0:
            if lower[at - 1:at] in _BEFORE_ATTRIBUTE and _LIST_NUMBER.match(lower, at + len(attribute)):
                held = tags_holding(lower, at)
                if held is None or any(name == element for _, name in held):
                    return True  # too many tags to read there, or a list's
                reaches_back |= at < TAG_REACH
            at = lower.find(attribute, at + 1)
    return None if reaches_back else False


_BEFORE_ATTRIBUTE = frozenset(bytes([b]) for b in b" \t\n\r\f/\"'")
_UTF8_PAGE = re.compile(rb"<meta[^>]*charset=[\"']?utf-8", re.IGNORECASE)


def one_per_field(secrets: Iterable[Secret]) -> list[Secret]:
    found = {s.field + s.deal: s for s in secrets}
    return [s for _, s in sorted(found.items())]
