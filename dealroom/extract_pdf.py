"""The text a PDF reader shows, through pypdf, and what of it cannot be read.

Pages (pypdf joins kerned TJ arrays and decodes hex, UTF-16 and object-stream strings), the
document information and XMP metadata, outline titles, page labels, annotation contents and link
addresses, form field values, XFA forms, and embedded files (for the caller to read in turn).
An encrypted PDF is read when its empty user password opens it. A page that shows images but no
text, or text in a font with no map to Unicode, cannot be read: its text is in the drawing.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject, StreamObject

_ANNOTATION_TEXTS = ("/Contents", "/T", "/Subj", "/RC", "/TU", "/CA")
_FIELD_TEXTS = ("/T", "/TU", "/V", "/DV", "/Opt")
_INLINE_IMAGE = re.compile(rb"(?:^|\s)BI\s")
_MAX_NESTED_FORMS = 20


@dataclass(frozen=True)
class Embedded:
    """A file embedded in the PDF, to be read as a file of its own."""
    name: str
    data: bytes


@dataclass(frozen=True)
class Unread:
    reason: str


def pdf_parts(data: bytes) -> Iterator[str | Embedded | Unread]:
    """Everything a reader of this PDF can see, and what it cannot be read for."""
    _quiet_pypdf()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                opened = reader.decrypt("")
                if opened == PasswordType.NOT_DECRYPTED:
                    yield Unread("encrypted PDF (a password is needed)")
                    return
            pages = list(reader.pages)
        except DependencyError:
            yield Unread("encrypted PDF (its cipher needs the cryptography package)")
            return
        except Exception as error:  # pypdf raises many kinds on a damaged or hostile file
            yield Unread(f"damaged PDF ({type(error).__name__})")
            return
        yield from _parts(reader, pages)


def _parts(reader: PdfReader, pages: list[PageObject]) -> Iterator[str | Embedded | Unread]:
    for number, page in enumerate(pages, 1):
        yield from _guarded(f"PDF page {number}", _page(number, page))
    yield from _guarded("PDF metadata", _metadata(reader))
    yield from _guarded("PDF outline", _outline(reader.outline))
    yield from _guarded("PDF form", _fields(reader))
    yield from _guarded("PDF embedded files", _embedded(reader))


def _guarded(what: str, parts: Iterator[str | Embedded | Unread]) -> Iterator[str | Embedded | Unread]:
    """`parts` until one cannot be read; then why, in our words (a message may quote the file)."""
    try:
        yield from parts
    except DependencyError:
        yield Unread(f"{what}: its cipher needs the cryptography package")
    except Exception as error:  # pypdf raises many kinds on a damaged or hostile file
        kind = "limit reached" if type(error).__name__ == "LimitReachedError" else type(error).__name__
        yield Unread(f"{what} cannot be read ({kind})")


def _page(number: int, page: PageObject) -> Iterator[str | Embedded | Unread]:
    text = page.extract_text()
    yield text
    contents = page.get_contents()
    if contents is not None and _UNSEEN_TEXT.search(contents.get_data()):
        yield _seen_text(page)
    if not text.strip() and _draws_images(page):
        yield Unread(f"PDF page {number} shows images and no text: text in pixels cannot be read")
    elif not text.strip() and _draws_shapes(page):
        yield Unread(f"PDF page {number} draws shapes and no text: text drawn as outlines cannot "
                     "be read")
    if _unmapped_fonts(_resolved(page.get("/Resources")), 0) and _draws_with_unmapped_font(page):
        yield Unread(f"PDF page {number} draws text in a font with no map to Unicode")
    for annotation in _resolved(page.get("/Annots")) or []:
        annotation = _resolved(annotation)
        if not isinstance(annotation, DictionaryObject):
            continue
        yield from _strings(annotation, _ANNOTATION_TEXTS)
        action = _resolved(annotation.get("/A"))
        if isinstance(action, DictionaryObject):
            yield from _strings(action, ("/URI", "/F"))
        attached = _resolved(annotation.get("/FS"))
        if isinstance(attached, DictionaryObject):
            yield from _file_specification(attached)


# Operators that may draw text a reader does not see: render mode 3 (invisible), and a fill in
# white (gray 1, RGB 1 1 1, CMYK 0 0 0 0) on a white page.
_UNSEEN_TEXT = re.compile(rb"(?<![^\s\])>])(?:Tr|g|rg|k|sc|scn)(?=[\s\[(<]|$)")
_WHITE = ([1.0], [1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0])


def _seen_text(page: PageObject) -> str:
    """The page's strings without those it draws invisible or in white: `066`, an invisible
    `4`, `198038` shows 066198038 (a view besides the page's text, not instead of it)."""
    state: dict[str, Any] = {"mode": 0.0, "white": False}
    saved: list[dict[str, Any]] = []  # `q` saves the graphics state, `Q` restores it

    seen: list[str] = []

    def operator(op: bytes, args: list[Any], cm: Any, tm: Any) -> None:
        if op == b"q":
            saved.append(dict(state))
        elif op == b"Q" and saved:
            state.update(saved.pop())
        elif op == b"Tr" and args:
            state["mode"] = float(args[0])
        elif op in (b"g", b"rg", b"k", b"sc", b"scn"):
            try:
                state["white"] = [float(a) for a in args] in _WHITE
            except (TypeError, ValueError):  # a pattern's name: not white
                state["white"] = False
        elif op in (b"Tj", b"TJ", b"'", b'"') and state["mode"] not in (3.0, 7.0) and not state["white"]:
            # The strings as written (a simple font's codes read as Latin-1): pypdf hands its
            # visitor the text only where a line ends, after the state it was drawn in changed.
            for arg in args:
                for string in arg if isinstance(arg, list) else [arg]:
                    if isinstance(string, bytes | str):
                        seen.append(string.decode("latin-1") if isinstance(string, bytes) else string)

    page.extract_text(visitor_operand_before=operator)
    return "".join(seen)


def _draws_images(page: PageObject) -> bool:
    contents = page.get_contents()
    if contents is not None and _INLINE_IMAGE.search(contents.get_data()):
        return True
    return _has_images(_resolved(page.get("/Resources")), 0)


# A path's segments and rectangles (`l`, `c`, `v`, `y`, `re`), as operators of a content stream:
# a page "converted to outlines" draws its text so, and shows it with no text to extract.
_SHAPE = re.compile(rb"(?<![^\s\])>])(?:re|[lcvy])(?=[\s\[(<]|$)")


def _draws_shapes(page: PageObject) -> bool:
    contents = page.get_contents()
    if contents is not None and _SHAPE.search(contents.get_data()):
        return True
    return _forms_draw_shapes(_resolved(page.get("/Resources")), 0)


def _forms_draw_shapes(resources: PdfObject | None, depth: int) -> bool:
    if depth > _MAX_NESTED_FORMS:
        return True  # as `_has_images`
    objects = _resolved(resources.get("/XObject")) if isinstance(resources, DictionaryObject) else None
    if not isinstance(objects, DictionaryObject):
        return False
    for reference in objects.values():
        drawn = _resolved(reference)
        if isinstance(drawn, StreamObject) and drawn.get("/Subtype") == "/Form" and (
                _SHAPE.search(drawn.get_data())
                or _forms_draw_shapes(_resolved(drawn.get("/Resources")), depth + 1)):
            return True
    return False


def _has_images(resources: PdfObject | None, depth: int) -> bool:
    if depth > _MAX_NESTED_FORMS:
        return True  # forms nested past reason: taken to draw images, not guessed not to
    if not isinstance(resources, DictionaryObject):
        return False
    objects = _resolved(resources.get("/XObject"))
    if not isinstance(objects, DictionaryObject):
        return False
    for reference in objects.values():
        drawn = _resolved(reference)
        if not isinstance(drawn, StreamObject):
            continue
        if drawn.get("/Subtype") == "/Image":
            return True
        if drawn.get("/Subtype") == "/Form" and (
                _INLINE_IMAGE.search(drawn.get_data())
                or _has_images(_resolved(drawn.get("/Resources")), depth + 1)):
            return True
    return False


def _unmapped_fonts(resources: PdfObject | None, depth: int) -> bool:
    """Whether the page or a form it draws has a font with no map to Unicode (used or not)."""
    if depth > _MAX_NESTED_FORMS:
        return True
    if not isinstance(resources, DictionaryObject):
        return False
    fonts = _resolved(resources.get("/Font"))
    if isinstance(fonts, DictionaryObject) and not all(
            _maps_to_unicode(_resolved(font)) for font in fonts.values()):
        return True
    objects = _resolved(resources.get("/XObject"))
    return isinstance(objects, DictionaryObject) and any(
        isinstance(form := _resolved(drawn), StreamObject) and form.get("/Subtype") == "/Form"
        and _unmapped_fonts(_resolved(form.get("/Resources")), depth + 1) for drawn in objects.values())


def _draws_with_unmapped_font(page: PageObject) -> bool:
    """Whether the page draws text in such a font (read again, noting each text's font: slower)."""
    unmapped: list[bool] = []

    def note_font(text: str, _cm: Any, _tm: Any, font: DictionaryObject | None, _size: Any) -> None:
        if text.strip() and (font is None or not _maps_to_unicode(font)):
            unmapped.append(True)

    page.extract_text(visitor_text=note_font)
    return bool(unmapped)


def _maps_to_unicode(font: Any) -> bool:
    """Whether pypdf can know which characters a font's codes are: a ToUnicode map, a simple
    font's encoding, or a predefined Unicode CMap. A Type 3 font or a composite font coded by
    glyph number (Identity-H) without one only draws shapes."""
    if not isinstance(font, DictionaryObject) or "/ToUnicode" in font:
        return True
    kind = font.get("/Subtype")
    if kind == "/Type3":
        return False
    if kind == "/Type0":
        encoding = _resolved(font.get("/Encoding"))
        return isinstance(encoding, NameObject) and encoding.startswith("/Uni")
    return True


def _metadata(reader: PdfReader) -> Iterator[str]:
    information = reader.metadata
    if information is not None:
        for key, value in information.items():
            yield str(key)
            yield str(_resolved(value))
    xmp = _resolved(reader.root_object.get("/Metadata"))
    if isinstance(xmp, StreamObject):
        yield xmp.get_data().decode("utf-8", "replace")
    yield from reader.page_labels
    for name, form in (reader.xfa or {}).items():
        yield str(name)
        yield form.decode("utf-8", "replace")


def _outline(items: Any) -> Iterator[str]:
    for item in items:
        if isinstance(item, list):
            yield from _outline(item)
        else:
            yield str(item.title or "")


def _fields(reader: PdfReader) -> Iterator[str]:
    for name, found in (reader.get_fields() or {}).items():
        yield str(name)
        yield from _strings(found, _FIELD_TEXTS)


def _embedded(reader: PdfReader) -> Iterator[str | Embedded]:
    for attached in reader.attachment_list:
        yield from (text for text in (attached.alternative_name, attached.description) if text)
        yield Embedded(attached.name, attached.content)


def _file_specification(specification: DictionaryObject) -> Iterator[str | Embedded]:
    yield from _strings(specification, ("/Desc",))
    name = str(specification.get("/UF") or specification.get("/F") or "attachment")
    streams = _resolved(specification.get("/EF"))
    if isinstance(streams, DictionaryObject):
        stream = _resolved(streams.get("/UF") or streams.get("/F"))
        if isinstance(stream, StreamObject):
            yield Embedded(name, stream.get_data())


def _strings(found: Any, keys: tuple[str, ...]) -> Iterator[str]:
    for key in keys:
        value = _resolved(found.get(key))
        if isinstance(value, ArrayObject):
            yield " ".join(str(_resolved(item)) for item in value)
        elif isinstance(value, StreamObject):  # rich text (/RC) may be a stream
            yield value.get_data().decode("utf-8", "replace")
        elif value is not None:
            yield str(value)


def _resolved(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _quiet_pypdf() -> None:
    """pypdf's log messages can quote a file's text, which must reach no log (principle 1)."""
    logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)
