"""What text a published file shows a reader, or that it cannot be read.

The leak guard must read each published file as a browser, a PDF reader, a spreadsheet or an
archive manager would show it, and refuse what it cannot read in full. This module gives it the
texts: PDFs through pypdf; zips and Office files member by member (XML text joined across runs,
spreadsheet numbers as their format shows them); gzip, bzip2, xz and tar unpacked; mail parts
decoded; image metadata read from the file's own chunks and segments (EXIF values decoded by
Pillow). What cannot be read in full (encrypted, damaged, over the limits, text only in pixels, a
format not read) is reported as incomplete, with the reason.

A reason may name a member of an archive as the archive spells it: the caller masks it before
showing it. Nothing here logs or raises on a file's content.
"""

from __future__ import annotations

import base64
import binascii
import bz2
import contextlib
import email
import email.policy
import io
import lzma
import mimetypes
import re
import struct
import tarfile
import urllib.parse
import warnings
import xml.etree.ElementTree as ElementTree
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePosixPath
from typing import Protocol

from PIL import ExifTags, Image

from dealroom.extract_pdf import Unread, pdf_parts

_TEXT_SUFFIXES = frozenset({
    ".txt", ".text", ".md", ".markdown", ".rst", ".csv", ".tsv", ".json", ".jsonl", ".geojson",
    ".xml", ".rels", ".html", ".htm", ".xhtml", ".yml", ".yaml", ".toml", ".ini", ".cfg", ".conf",
    ".ics", ".vcf", ".vcs", ".eml", ".mht", ".mhtml", ".svg", ".css", ".js", ".mjs", ".cjs", ".map",
    ".webmanifest", ".rss", ".atom", ".log", ".srt", ".vtt", ".tex", ".sh", ".py", ".j2",
})
_XML_SUFFIXES = frozenset({".xml", ".rels", ".svg", ".xhtml", ".vml", ".opf", ".ncx", ".rss", ".atom"})
_FOLDED_SUFFIXES = frozenset({".ics", ".vcf", ".vcs"})  # RFC 5545/6350: a line continues after CRLF+space
_MAIL_SUFFIXES = frozenset({".eml", ".mht", ".mhtml"})
_ZIP_SUFFIXES = frozenset({
    ".zip", ".docx", ".docm", ".dotx", ".xlsx", ".xlsm", ".xltx", ".pptx", ".pptm", ".potx",
    ".odt", ".ods", ".odp", ".odg", ".epub", ".jar",
})
# Images whose pixels only are shown (no metadata read here).
_OTHER_IMAGE_SUFFIXES = frozenset({".bmp", ".ico", ".cur", ".tif", ".tiff", ".avif", ".heic", ".heif",
                                   ".jxl", ".jp2"})
_UNPACKED_NAMES = {".gz": "", ".tgz": ".tar", ".svgz": ".svg", ".bz2": "", ".tbz2": ".tar", ".xz": "",
                   ".txz": ".tar"}
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_XMP_PREFIXES = (b"http://ns.adobe.com/xap/1.0/\x00", b"http://ns.adobe.com/xmp/extension/\x00")
_DRAWN_BY_OFFICE = re.compile(r"docProps/thumbnail\.|Thumbnails/thumbnail\.png$")
_BASE64_DATA_URI = re.compile(r"data:([\w.+-]*/?[\w.+-]*)(?:;[^,;\s\"'()<>]*)*?;base64,([A-Za-z0-9+/=%]+)",
                              re.IGNORECASE)
_RTF_UNICODE = re.compile(r"\\u(-?\d+) ?(?:\\'[0-9a-fA-F]{2}|[^\\{}])?")
_RTF_HEX = re.compile(r"\\'([0-9a-fA-F]{2})")
_RTF_CONTROL = re.compile(r"\\[a-zA-Z]+-?\d* ?|\\[*~_-]|[{}]")
_RTF_DRAWN = re.compile(r"\\(?:pict|objdata|object)\b")
_COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PROBLEMS_SHOWN = 5
_EXIF_DIRECTORIES = (ExifTags.IFD.Exif, ExifTags.IFD.GPSInfo, ExifTags.IFD.Interop, ExifTags.IFD.IFD1)


@dataclass(frozen=True)
class Extraction:
    texts: list[str]          # every text a reader could see: body text, metadata, file names inside
    complete: bool            # False when any part could not be read
    problem: str | None       # why not, for the build error


def is_text_format(name: str) -> bool:
    """Whether a file of this name is text a browser or an editor shows as it is written."""
    return _suffix(name) in _TEXT_SUFFIXES


def extract(name: str, data: bytes, *, max_bytes: int = 512 * 1024 * 1024, max_depth: int = 5,
            attachment: bool = False) -> Extraction:
    """The texts of a published file, and whether they are all a reader could see.

    `max_bytes` bounds what is unpacked (zip members, decompressed streams) over the whole file;
    `max_depth` how deep containers nest. `attachment`: a file from a deal record, where an image
    or a format not read may show text we cannot see; a site asset (theme icon, font) may not.
    """
    reading = _Reading(max_depth=max_depth, budget=max_bytes)
    try:
        reading.read(PurePosixPath(name).name, data, "", 0, attachment)
    except Exception as error:  # the last guard: a hostile file must not crash the build
        reading.unreadable(f"could not be read ({type(error).__name__})", "")
    problems = reading.problems
    shown = "; ".join(problems[:_PROBLEMS_SHOWN])
    if len(problems) > _PROBLEMS_SHOWN:
        shown += f"; and {len(problems) - _PROBLEMS_SHOWN} more"
    return Extraction(texts=reading.texts, complete=not problems, problem=shown or None)


def _suffix(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def _within(inside: str, name: str) -> str:
    return f"{inside}/{name}" if inside else name


def _decoded(data: bytes) -> list[str]:
    """Text as a reader decodes it: by its BOM, as UTF-8, or else as Latin-1 and lossy UTF-8."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return [data[len(bom):].decode(codec)]
            except UnicodeDecodeError:
                return [data[len(bom):].decode(codec, "replace"), data.decode("latin-1"),
                        data.decode("utf-8", "replace")]
    try:
        return [data.decode("utf-8")]
    except UnicodeDecodeError:
        return [data.decode("latin-1"), data.decode("utf-8", "replace")]


def _byte_views(data: bytes) -> list[str]:
    """A binary file's bytes as text: every byte as Latin-1, and as lossy UTF-8."""
    return [data.decode("latin-1"), data.decode("utf-8", "replace")]


def _looks_like_text(data: bytes) -> bool:
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return True
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_pdf(data: bytes, text_named: bool) -> bool:
    """A PDF reader finds "%PDF-" after up to 1024 bytes of anything. A text page that merely
    mentions it near its start is shown as text, so there it must come first."""
    if data.lstrip(b"\xef\xbb\xbf\xfe\xff\x00 \t\r\n\x0c").startswith(b"%PDF-"):
        return True
    return not text_named and b"%PDF-" in data[:1024 + 5]


def _is_zip(data: bytes) -> bool:
    return zipfile.is_zipfile(io.BytesIO(data))


def _is_tar(data: bytes) -> bool:
    return data[257:262] == b"ustar"


class _Decompressor(Protocol):
    @property
    def eof(self) -> bool: ...
    @property
    def unused_data(self) -> bytes: ...
    def decompress(self, data: bytes, max_length: int, /) -> bytes: ...


class _Unreadable(Exception):
    """A structure that cannot be read: its reason is ours, never the file's text."""


@dataclass
class _Reading:
    """One file's reading: its texts, its problems, and what may still be unpacked."""
    max_depth: int
    budget: int
    texts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    over_limit: bool = False

    def unreadable(self, reason: str, inside: str) -> None:
        problem = f"{reason} (in '{inside}')" if inside else reason
        if problem not in self.problems:
            self.problems.append(problem)

    def take(self, size: int, inside: str) -> bool:
        """Counts `size` unpacked bytes against the limit; False past it (said once)."""
        if size <= self.budget and not self.over_limit:
            self.budget -= size
            return True
        if not self.over_limit:
            self.over_limit = True
            self.unreadable("more unpacked than the limit allows", inside)
        return False

    def read(self, name: str, data: bytes, inside: str, depth: int, attachment: bool) -> None:
        """Reads `data`, a file called `name` found at `inside` ("" for the published file)."""
        if depth > self.max_depth:
            self.unreadable(f"nested more than {self.max_depth} levels deep", inside)
            return
        suffix = _suffix(name)
        read_as_zip = False
        if data[:2] == b"\x1f\x8b":
            self._unpack(name, data, inside, depth, attachment, "gzip", lambda: zlib.decompressobj(wbits=31))
        elif data[:3] == b"BZh" and data[4:10] == b"1AY&SY":
            self._unpack(name, data, inside, depth, attachment, "bzip2", bz2.BZ2Decompressor)
        elif data[:6] == b"\xfd7zXZ\x00":
            self._unpack(name, data, inside, depth, attachment, "xz", lzma.LZMADecompressor)
        elif _is_pdf(data, is_text_format(name)):
            self._pdf(data, inside, depth, attachment)
        elif data[:8] == b"\x89PNG\r\n\x1a\n":
            self._image("PNG", self._png, data, inside, attachment)
        elif data[:3] == b"\xff\xd8\xff":
            self._image("JPEG", self._jpeg, data, inside, attachment)
        elif data[:6] in (b"GIF87a", b"GIF89a"):
            self._image("GIF", self._gif, data, inside, attachment)
        elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            self._image("WebP", self._webp, data, inside, attachment)
        elif data[:4] in (b"PK\x03\x04", b"PK\x05\x06") or suffix in _ZIP_SUFFIXES:
            read_as_zip = True
            self._zip(data, inside, depth, attachment)
        elif _is_tar(data):
            self._tar(data, inside, depth, attachment)
        elif suffix in _OTHER_IMAGE_SUFFIXES or data[:4] in (b"II*\x00", b"MM\x00*"):
            self.texts.extend(_byte_views(data))
            if attachment:
                self.unreadable("image: text in pixels cannot be read", inside)
        elif data[:5] == b"{\\rtf":
            self._rtf(data, inside, attachment)
        elif is_text_format(name) or _looks_like_text(data):
            self._text(suffix, data, inside, depth, attachment)
        else:
            self.texts.extend(_byte_views(data))
            if attachment:
                self.unreadable(f"format not read: {suffix or 'a name without extension'}", inside)
        if not read_as_zip and _is_zip(data):  # a self-extractor, or a zip appended to another file
            self._zip(data, inside, depth, attachment, appended=True)

    # Text

    def _text(self, suffix: str, data: bytes, inside: str, depth: int, attachment: bool) -> None:
        views = _decoded(data)
        self.texts.extend(views)
        if suffix in _XML_SUFFIXES or views[0].lstrip().startswith("<?xml"):
            self._xml(data, inside)
        if suffix in _FOLDED_SUFFIXES:
            self.texts.extend(re.sub(r"\r?\n[ \t]", "", view) for view in views)
        if suffix in _MAIL_SUFFIXES:
            self._mail(data, inside, depth, attachment)
        if "data:" in views[0]:
            self._data_uris(views[0], inside, depth, attachment)

    def _data_uris(self, text: str, inside: str, depth: int, attachment: bool) -> None:
        """Files written into the text in base64 (an image, a PDF), which a browser shows.

        Other data URIs show their text as written (URL escapes are the guard's to decode)."""
        for match in _BASE64_DATA_URI.finditer(text):
            payload = urllib.parse.unquote_to_bytes(match[2])
            try:
                data = base64.b64decode(payload + b"=" * (-len(payload) % 4))
            except binascii.Error:
                continue  # a browser shows nothing of it either
            if not self.take(len(data), inside):
                return
            kind = match[1].lower() or "text/plain"
            self.read(f"data{mimetypes.guess_extension(kind) or ''}", data,
                      _within(inside, f"data URI ({kind})"), depth + 1, attachment)

    def _rtf(self, data: bytes, inside: str, attachment: bool) -> None:
        """RTF as written, and as a word processor shows its escapes (\\'hh, \\uN) and groups."""
        views = _decoded(data)
        self.texts.extend(views)
        self.texts.append(_rtf_shown(views[0]))
        if attachment and _RTF_DRAWN.search(views[0]):
            self.unreadable("RTF with a picture or an embedded object: their text cannot be read", inside)

    def _xml(self, data: bytes, inside: str) -> None:
        """XML's text nodes joined, as a word processor joins a paragraph's runs, entities expanded."""
        try:
            root = ElementTree.fromstring(data)
        except (ElementTree.ParseError, ValueError, LookupError):
            # The text as written is already there. Only entities it declares are then unseen
            # (expat refuses billion laughs): a browser would show them expanded.
            if b"<!ENTITY" in data:
                self.unreadable("XML whose entities cannot be expanded", inside)
            return
        joined = "".join(root.itertext())
        if self.take(len(joined), inside):
            self.texts.append(joined)
            self.texts.extend(_word_shown(root))

    def _mail(self, data: bytes, inside: str, depth: int, attachment: bool) -> None:
        """A mail's headers decoded and each part decoded (base64, quoted-printable), read by type."""
        try:
            message = email.message_from_bytes(data, policy=email.policy.default)
            for number, part in enumerate(message.walk()):
                self.texts.extend(f"{key}: {value}" for key, value in part.items())
                if part.is_multipart():
                    continue
                payload = part.get_payload(decode=True)
                if not isinstance(payload, bytes) or not self.take(len(payload), inside):
                    continue
                kind = part.get_content_type()
                name = part.get_filename() or f"part{number}{mimetypes.guess_extension(kind) or '.bin'}"
                self.texts.append(name)
                charset = part.get_content_charset()
                if kind.startswith("text/") and charset:
                    with contextlib.suppress(LookupError):  # unknown: the part is read by its bytes below
                        self.texts.append(payload.decode(charset, "replace"))
                self.read(name, payload, _within(inside, name), depth + 1, attachment)
        except Exception as error:  # the email package raises many kinds on a hostile message
            self.unreadable(f"mail could not be read ({type(error).__name__})", inside)

    # Compressed files and archives

    def _unpack(self, name: str, data: bytes, inside: str, depth: int, attachment: bool, kind: str,
                decompressor: Callable[[], _Decompressor]) -> None:
        """A compressed file (every stream of it) unpacked within the limit, then read by content."""
        unpacked: list[bytes] = []
        size, rest = 0, data
        try:
            while rest:
                stream = decompressor()
                chunk = stream.decompress(rest, max(self.budget - size, 0) + 1)
                size += len(chunk)
                unpacked.append(chunk)
                if size > self.budget:
                    self.take(size, inside)
                    return
                if not stream.eof:
                    self.unreadable(f"truncated {kind} file", inside)
                    break
                rest = stream.unused_data
                if kind == "gzip" and rest[:2] != b"\x1f\x8b":
                    break  # gzip ignores trailing bytes after its last member
        except (zlib.error, OSError, EOFError, lzma.LZMAError) as error:
            self.unreadable(f"damaged {kind} file ({type(error).__name__})", inside)
        if not self.take(size, inside):
            return
        suffix = _suffix(name)
        inner = name[:-len(suffix)] + _UNPACKED_NAMES[suffix] if suffix in _UNPACKED_NAMES else name
        self.read(inner, b"".join(unpacked), inside, depth + 1, attachment)

    def _zip(self, data: bytes, inside: str, depth: int, attachment: bool, appended: bool = False) -> None:
        """A zip's names, comments and members. `appended`: found after another file's bytes,
        where a central directory that does not open is no archive any reader would show."""
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error) as error:
            if appended:
                return
            self.texts.extend(_byte_views(data))
            if data[:8] == _COMPOUND_FILE:  # how Office stores a file it encrypted with a password
                self.unreadable("encrypted Office file, or an old binary one", inside)
            else:
                self.unreadable(f"damaged zip ({type(error).__name__})", inside)
            return
        with archive:
            if archive.comment:
                self.texts.extend(_decoded(archive.comment))
            formats = _SpreadsheetFormats.of(archive, self, inside)
            for member in archive.infolist():
                self.texts.append(member.filename)
                if member.comment:
                    self.texts.extend(_decoded(member.comment))
                if member.is_dir():
                    continue
                self._zip_member(archive, member, formats, inside, depth, attachment)
                if self.over_limit:
                    return

    def _zip_member(self, archive: zipfile.ZipFile, member: zipfile.ZipInfo, formats: _SpreadsheetFormats,
                    inside: str, depth: int, attachment: bool) -> None:
        label = f"zip member '{member.filename}'"
        if member.flag_bits & 0x1:
            self.unreadable(f"password-protected {label}", inside)
            return
        if not self.take(member.file_size, inside):  # zipfile stops at the declared size
            return
        try:
            with archive.open(member) as stream:
                content = stream.read()
        except NotImplementedError:
            self.unreadable(f"{label} compressed by a method not read", inside)
            return
        except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, OSError, EOFError, ValueError,
                RuntimeError) as error:
            self.unreadable(f"damaged {label} ({type(error).__name__})", inside)
            return
        path = member.filename
        # A thumbnail Office draws of the first page, and printer settings, show nothing the
        # document's own text does not: they are read as site assets are.
        as_attachment = attachment and not _DRAWN_BY_OFFICE.match(path) and "printerSettings/" not in path
        if formats.applies_to(path):
            self.texts.extend(formats.shown_numbers(content))
        self.read(PurePosixPath(path).name, content, _within(inside, path), depth + 1, as_attachment)

    def _tar(self, data: bytes, inside: str, depth: int, attachment: bool) -> None:
        try:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
                for member in archive:
                    self.texts.append(member.name)
                    if member.linkname:
                        self.texts.append(member.linkname)
                    if not member.isfile():
                        continue
                    if not self.take(member.size, inside):
                        return
                    stream = archive.extractfile(member)
                    content = stream.read() if stream else b""
                    self.read(PurePosixPath(member.name).name, content, _within(inside, member.name),
                              depth + 1, attachment)
        except (tarfile.TarError, OSError, EOFError, ValueError, UnicodeError) as error:
            self.unreadable(f"damaged tar ({type(error).__name__})", inside)

    # PDF

    def _pdf(self, data: bytes, inside: str, depth: int, attachment: bool) -> None:
        # Offsets count from "%PDF" for a reader; pypdf finds its objects again if they do not.
        for part in pdf_parts(data[data.find(b"%PDF-"):]):
            if isinstance(part, str):
                self.texts.append(part)
            elif isinstance(part, Unread):
                self.unreadable(part.reason, inside)
            else:
                self.texts.append(part.name)
                if not self.take(len(part.data), inside):
                    return
                self.read(part.name, part.data, _within(inside, part.name), depth + 1, attachment)

    # Images: metadata as written in the file's chunks or segments; pixels are not read

    def _image(self, kind: str, parse: Callable[[bytes, str], None], data: bytes, inside: str,
               attachment: bool) -> None:
        try:
            parse(data, inside)
        except (_Unreadable, struct.error, IndexError) as error:
            reason = str(error) if isinstance(error, _Unreadable) else "truncated"
            self.unreadable(f"damaged {kind} image: {reason}", inside)
        if attachment:
            self.unreadable("image: text in pixels cannot be read", inside)

    def _inflated(self, data: bytes, inside: str) -> bytes:
        stream = zlib.decompressobj()
        try:
            inflated = stream.decompress(data, max(self.budget, 0) + 1)
        except zlib.error as error:
            raise _Unreadable("a compressed text chunk is damaged") from error
        if not self.take(len(inflated), inside):
            return b""
        return inflated

    def _png(self, data: bytes, inside: str) -> None:
        """tEXt (Latin-1), zTXt (compressed), iTXt (UTF-8, compressed or not) and eXIf chunks."""
        position = 8
        while position < len(data):
            length, kind = struct.unpack_from(">I4s", data, position)
            body = data[position + 8:position + 8 + length]
            if len(body) < length:
                raise _Unreadable("truncated")
            position += 12 + length
            if kind == b"tEXt":
                keyword, _, text = body.partition(b"\x00")
                self.texts += [keyword.decode("latin-1"), text.decode("latin-1")]
            elif kind == b"zTXt":
                keyword, _, rest = body.partition(b"\x00")
                self.texts += [keyword.decode("latin-1"), self._inflated(rest[1:], inside).decode("latin-1")]
            elif kind == b"iTXt":
                keyword, _, rest = body.partition(b"\x00")
                compressed = rest[0]
                language, _, rest = rest[2:].partition(b"\x00")
                translated, _, text = rest.partition(b"\x00")
                if compressed:
                    text = self._inflated(text, inside)
                self.texts += [keyword.decode("latin-1"), language.decode("latin-1"),
                               *_decoded(translated), *_decoded(text)]
            elif kind == b"eXIf":
                self._exif(body, inside)
            elif kind == b"IEND":
                break

    def _jpeg(self, data: bytes, inside: str) -> None:
        """Comments and APPn segments (EXIF, XMP, IPTC, ICC), in every scan's headers."""
        position = 2
        while position < len(data) - 1:
            if data[position] != 0xFF:
                raise _Unreadable("no marker where one belongs")
            marker = data[position + 1]
            if marker == 0xFF:  # fill byte
                position += 1
                continue
            if marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:
                position += 2
                continue
            if marker == 0xD9:
                break
            (length,) = struct.unpack_from(">H", data, position + 2)
            body = data[position + 4:position + 2 + length]
            if length < 2 or len(body) < length - 2:
                raise _Unreadable("truncated")
            position += 2 + length
            if marker == 0xFE:
                self.texts.extend(_decoded(body))
            elif 0xE0 <= marker <= 0xEF and body.startswith(b"Exif\x00"):
                self._exif(body, inside)
            elif 0xE0 <= marker <= 0xEF and body.startswith(_XMP_PREFIXES):
                self.texts.extend(_decoded(body.partition(b"\x00")[2]))
            elif 0xE0 <= marker <= 0xEF:
                self.texts.extend(_byte_views(body))
            if marker == 0xDA:  # entropy-coded data up to the next marker that is not a restart
                position = _after_scan(data, position)

    def _gif(self, data: bytes, inside: str) -> None:
        """Comment, plain text and application (XMP) extensions of every frame."""
        flags = data[10]
        position = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
        while True:
            block = data[position]
            if block == 0x3B:  # trailer
                return
            if block == 0x2C:  # an image: its descriptor, colour table, LZW code size, then data
                flags = data[position + 9]
                position += 10 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0) + 1
                position = _after_sub_blocks(data, position)
            elif block == 0x21:
                label, start = data[position + 1], position + 2
                position = _after_sub_blocks(data, start)
                if label in (0xFE, 0x01, 0xFF):  # comment, plain text, application (raw: XMP keeps its own)
                    self.texts.extend(_byte_views(data[start:position]))
            else:
                raise _Unreadable("unknown block")

    def _webp(self, data: bytes, inside: str) -> None:
        position = 12
        while position + 8 <= len(data):
            kind, length = struct.unpack_from("<4sI", data, position)
            body = data[position + 8:position + 8 + length]
            if len(body) < length:
                raise _Unreadable("truncated")
            position += 8 + length + (length & 1)
            if kind == b"EXIF":
                self._exif(body, inside)
            elif kind == b"XMP ":
                self.texts.extend(_decoded(body))

    def _exif(self, block: bytes, inside: str) -> None:
        """EXIF as written, and each value as a viewer shows it (numbers, UTF-16 comments)."""
        self.texts.extend(_byte_views(block))
        exif = Image.Exif()
        try:
            with warnings.catch_warnings():  # Pillow warns of each damaged tag: the build log is no place
                warnings.simplefilter("ignore")
                exif.load(block)
                directories = [dict(exif), *(exif.get_ifd(tag) for tag in _EXIF_DIRECTORIES)]
        except Exception:  # Pillow raises many kinds on a hostile block
            self.unreadable("image EXIF cannot be read", inside)
            return
        for directory in directories:
            for value in directory.values():
                self.texts.extend(_exif_shown(value))


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
# Word: run properties that hide a run (hidden text, unless set off), and those that may make
# it unseen (a character style, which may be hidden, a colour, a size, a position); deleted
# text and field codes, which a document's final view does not show.
_HIDING_RUN = frozenset(f"{_W}{name}" for name in ("vanish", "specVanish", "webHidden"))
_UNSEEN_RUN = {f"{_W}{name}" for name in ("rStyle", "color", "sz", "szCs", "highlight", "shd",
                                          "position", "spacing", "w")}
_NOT_SHOWN_WORD = frozenset(f"{_W}{name}" for name in ("del", "delText", "instrText", "moveFrom"))
_OFF = frozenset({"0", "false", "off"})


def _word_shown(root: ElementTree.Element) -> list[str]:
    """An Office or OpenDocument file's text as its reader may see it, where formatting may
    hide part of it (`066`, a hidden `x`, `198038` shows 066198038): Word's without its hidden
    runs, and without those its formatting or paragraph style may hide; a slide's without runs
    of no fill or a tiny size, or of any fill; OpenDocument's without its styled spans (a style
    may say `text:display="none"`). Nothing of a file of none of these."""
    if root.tag.startswith(_W):
        hidden, unseen = _word_runs(root)
        return [_text_without(root, lambda e: e.tag in _NOT_SHOWN_WORD or id(e) in hidden),
                _text_without(root, lambda e: e.tag in _NOT_SHOWN_WORD or id(e) in unseen)]
    if any(True for _ in root.iter(f"{_A}r")):
        def slide_run(element: ElementTree.Element, every_fill: bool) -> bool:
            properties = element.find(f"{_A}rPr") if element.tag == f"{_A}r" else None
            if properties is None:
                return False
            size = properties.get("sz", "")
            return properties.find(f"{_A}noFill") is not None or (size.isdigit() and int(size) < 600) \
                or (every_fill and len(properties) > 0)
        return [_text_without(root, lambda e: slide_run(e, False)),
                _text_without(root, lambda e: slide_run(e, True))]
    if root.tag.startswith("{urn:oasis:names:tc:opendocument:xmlns:"):
        return [_text_without(root, lambda e: e.tag == f"{_ODF_TEXT}span" and
                              e.get(f"{_ODF_TEXT}style-name") is not None)]
    return []


def _word_runs(root: ElementTree.Element) -> tuple[set[int], set[int]]:
    """The runs (by `id`) Word hides, and those it may hide besides."""
    hidden: set[int] = set()
    unseen: set[int] = set()
    for paragraph in root.iter(f"{_W}p"):
        styled = paragraph.find(f"{_W}pPr/{_W}pStyle") is not None
        for run in paragraph.iter(f"{_W}r"):
            properties = run.find(f"{_W}rPr")
            tags = {child.tag: child.get(f"{_W}val", "") for child in properties} \
                if properties is not None else {}
            shown = any(tag in _HIDING_RUN and value.lower() in _OFF for tag, value in tags.items())
            if any(tag in _HIDING_RUN and value.lower() not in _OFF for tag, value in tags.items()):
                hidden.add(id(run))
            if id(run) in hidden or (tags.keys() & _UNSEEN_RUN) or (styled and not shown):
                unseen.add(id(run))
    return hidden, unseen


def _text_without(root: ElementTree.Element, skipped: Callable[[ElementTree.Element], bool]) -> str:
    """`root`'s text, as `itertext` joins it, without the elements `skipped` says (their tails kept)."""
    parts: list[str] = []
    pending: list[tuple[ElementTree.Element, bool]] = [(root, False)]  # element, its tail's turn
    while pending:
        element, tail = pending.pop()
        if tail:
            parts.append(element.tail or "")
            continue
        if element is not root:
            pending.append((element, True))
        if skipped(element):
            continue
        parts.append(element.text or "")
        pending.extend((child, False) for child in reversed(element))
    return "".join(parts)


def _exif_shown(value: object) -> list[str]:
    """An EXIF value as text; bytes also as UTF-16 (UserComment "UNICODE", Windows XP tags)."""
    if isinstance(value, tuple) and all(isinstance(item, int) and 0 <= item < 256 for item in value):
        value = bytes(value)
    if isinstance(value, bytes):
        return [*_byte_views(value), value.decode("utf-16-le", "replace"),
                value.decode("utf-16-be", "replace")]
    if isinstance(value, tuple):
        return [" ".join(str(item) for item in value)]
    return [str(value)]


def _rtf_shown(text: str) -> str:
    """RTF's text: a Unicode escape stands for its character (its fallback is not shown), a hex
    escape for a Windows-1252 byte; control words and group braces show nothing."""
    text = _RTF_UNICODE.sub(lambda m: chr(int(m[1]) % 0x10000), text)
    text = _RTF_HEX.sub(lambda m: bytes.fromhex(m[1]).decode("cp1252", "replace"), text)
    return _RTF_CONTROL.sub("", text)


def _after_sub_blocks(data: bytes, position: int) -> int:
    while data[position]:
        position += 1 + data[position]
    return position + 1


def _after_scan(data: bytes, position: int) -> int:
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= len(data):
            return len(data)
        following = data[position + 1]
        if following and not 0xD0 <= following <= 0xD7 and following != 0xFF:
            return position
        position += 1 if following == 0xFF else 2


# Spreadsheets store a number and show it through its format: 66198038 under "000000000" is shown
# as 066198038. Integer cells under a format of digit placeholders and literals are shown as Excel
# would; other formats (dates, decimals, percentages) cannot hide digits a number lacks.

_SPREADSHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SECTION_CODES = re.compile(r'\[[^\]]*\]|"[^"]*"|\\.|_.|\*.|.', re.DOTALL)


def _shown_by_format(value: int, code: str) -> str | None:
    """`value` formatted by an Excel number format code of digit placeholders, or None."""
    section = code.split(";")[1 if value < 0 and ";" in code else 0]
    tokens = [t for t in _SECTION_CODES.findall(section) if not t.startswith("[")]
    placeholders = [i for i, t in enumerate(tokens) if t in ("0", "#", "?")]
    if not placeholders or any(t.lower() in ".e%/@ymdhs" for t in tokens if len(t) == 1 and t not in "0#?"):
        return None
    digits = str(abs(value))
    shown = [t[1:-1] if t.startswith('"') else t[1:] if t[0] in "\\" else "" if t[0] in "_*" else t
             for t in tokens]
    for index in reversed(placeholders):  # digits fill placeholders from the right
        token = tokens[index]
        shown[index] = digits[-1] if digits else "0" if token == "0" else " " if token == "?" else ""
        digits = digits[:-1]
    shown[placeholders[0]] = digits + shown[placeholders[0]]  # more digits than placeholders
    return ("-" if value < 0 and ";" not in code else "") + "".join(shown)


# Excel's built-in number formats of whole numbers, by id (a style may name one without
# writing its code).
_BUILT_IN_FORMATS = {"1": "0", "3": "#,##0", "37": "#,##0 ;(#,##0)", "38": "#,##0 ;[Red](#,##0)"}


@dataclass(frozen=True)
class _SpreadsheetFormats:
    codes: dict[int, str]  # a cell's style index -> its number format code

    @classmethod
    def of(cls, archive: zipfile.ZipFile, reading: _Reading, inside: str) -> _SpreadsheetFormats:
        try:
            info = archive.getinfo("xl/styles.xml")
        except KeyError:
            return cls({})
        if info.flag_bits & 0x1 or not reading.take(info.file_size, inside):
            return cls({})
        try:
            root = ElementTree.fromstring(archive.read(info))
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError,
                RuntimeError, ElementTree.ParseError):
            return cls({})  # the member itself is read, and its problem said, with the others
        custom = {**_BUILT_IN_FORMATS, **{element.get("numFmtId", ""): element.get("formatCode", "")
                                          for element in root.iter(f"{_SPREADSHEET_NS}numFmt")}}
        styles = root.find(f"{_SPREADSHEET_NS}cellXfs")
        codes = {} if styles is None else {
            index: custom[xf.get("numFmtId", "")] for index, xf in enumerate(styles)
            if xf.get("numFmtId", "") in custom}
        return cls(codes)

    def applies_to(self, path: str) -> bool:
        return path.startswith("xl/worksheets/") and path.endswith(".xml")

    def shown_numbers(self, sheet: bytes) -> Iterator[str]:
        try:
            root = ElementTree.fromstring(sheet)
        except ElementTree.ParseError:
            return
        for cell in root.iter(f"{_SPREADSHEET_NS}c"):
            style = cell.get("s", "0")
            code = self.codes.get(int(style)) if style.isdigit() else None
            value = cell.findtext(f"{_SPREADSHEET_NS}v")
            if value is None or cell.get("t", "n") != "n":
                continue
            try:
                number = Decimal(value)
            except InvalidOperation:
                continue
            if not number.is_finite() or abs(number) >= 10 ** 30:
                continue
            whole = number == number.to_integral_value()
            # A format without decimals, and a narrow column in General, show a fraction rounded
            # (1233932117.6 shows 1233932118): the rounded number is read too.
            rounded = int(number.to_integral_value(rounding=ROUND_HALF_UP))
            if not whole:
                yield str(rounded)
            if code is not None and (whole or "." not in code):
                shown = _shown_by_format(rounded, code)
                if shown is not None:
                    yield shown

