"""`dealroom.extract`: what text a published file shows a reader, or that it cannot be read.

Every file here is built for real: PDFs printed by Debian's Chromium or written by hand (with
correct cross-reference tables), zips by zipfile and the `zip` command, images chunk by chunk.
"""

from __future__ import annotations

import base64
import gzip
import io
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader, PdfWriter

from dealroom.extract import Extraction, extract, is_text_format

NUMBER = "066198038"
SHOWN = "066-198038"
CHROMIUM = "/usr/bin/chromium"


def shows(extraction: Extraction, text: str) -> bool:
    return any(text in seen for seen in extraction.texts)


# PDFs written by hand: one page, Helvetica, objects numbered from 1, offsets counted from "%PDF".

def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), extra, data)


def pdf(objects: dict[int, bytes], trailer: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n"
                    for n in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (size, trailer, xref)
    return bytes(out)


def page_objects(content: bytes, page_extra: bytes = b"", font: bytes = b"") -> dict[int, bytes]:
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R "
           b"/Resources << /Font << /F1 4 0 R >> %s>> >>" % page_extra,
        4: font or b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        5: stream(content),
    }


def page_pdf(text_operations: bytes) -> bytes:
    return pdf(page_objects(b"BT /F1 12 Tf 72 700 Td " + text_operations + b" ET"))


def pdf_with_object_stream() -> bytes:
    """The document information in a compressed object stream, found by a cross-reference stream."""
    objects = page_objects(b"BT /F1 12 Tf 72 700 Td (Terms) Tj ET")
    info = b"<< /Subject (%s) >>" % NUMBER.encode()
    packed = b"6 0 " + info
    objects[7] = stream(zlib.compress(packed), b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode ")
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    offsets[8] = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    for number in range(1, 9):
        in_stream = number == 6
        rows.append(struct.pack(">BIH", 2, 7, 0) if in_stream else struct.pack(">BIH", 1, offsets[number], 0))
    xref = stream(b"".join(rows), b"/Type /XRef /Size 9 /W [1 4 2] /Root 1 0 R /Info 6 0 R ")
    out += b"8 0 obj\n%s\nendobj\nstartxref\n%d\n%%%%EOF\n" % (xref, offsets[8])
    return bytes(out)


def encrypted(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password, owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], bytes]:
    """HTML printed to PDF by Chromium itself, once per page of HTML."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    folder = tmp_path_factory.mktemp("chromium")
    made: dict[str, bytes] = {}

    def print_to_pdf(html: str) -> bytes:
        if html not in made:
            page, out = folder / f"{len(made)}.html", folder / f"{len(made)}.pdf"
            page.write_text(html, encoding="utf-8")
            subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            f"--user-data-dir={folder / 'profile'}", "--no-pdf-header-footer",
                            f"--print-to-pdf={out}", page.as_uri()],
                           capture_output=True, timeout=120, check=True)
            made[html] = out.read_bytes()
        return made[html]

    return print_to_pdf


ACCOUNT_PAGE = f"<html><body><h1>Payment</h1><p>Account {SHOWN}</p></body></html>"


def test_a_chromium_pdf_shows_its_text(printed: Callable[[str], bytes]) -> None:
    found = extract("payment.pdf", printed(ACCOUNT_PAGE), attachment=True)
    assert found.complete, found.problem
    assert shows(found, f"Account {SHOWN}")


def test_a_chromium_pdf_of_a_picture_alone_cannot_be_read(printed: Callable[[str], bytes]) -> None:
    pixel = ("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQED"
             "asKb6QAAAABJRU5ErkJggg==")
    page = f'<html><body><img style="width:300px" src="data:image/png;base64,{pixel}"></body></html>'
    found = extract("scan.pdf", printed(page), attachment=True)
    assert not found.complete
    assert "text in pixels" in (found.problem or "")


def test_a_kerning_array_is_read_as_one_number() -> None:
    data = page_pdf(b"[(066)-10(-19)(8038)] TJ")
    assert SHOWN.encode() not in data  # split as written
    assert shows(extract("kerned.pdf", data), SHOWN)


def test_a_hex_string_is_read() -> None:
    data = page_pdf(b"<%s> Tj" % NUMBER.encode().hex().encode())
    assert NUMBER.encode() not in data
    assert shows(extract("hex.pdf", data), NUMBER)


def test_an_annotation_in_utf16_is_read() -> None:
    objects = page_objects(b"BT /F1 12 Tf 72 700 Td (Terms) Tj ET", b"")
    objects[3] = objects[3].replace(b"/Contents 5 0 R", b"/Contents 5 0 R /Annots [6 0 R]")
    objects[6] = b"<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /Contents <FEFF%s> >>" % (
        NUMBER.encode("utf-16-be").hex().upper().encode())
    found = extract("annotated.pdf", pdf(objects))
    assert found.complete, found.problem
    assert shows(found, NUMBER)


def test_an_object_stream_is_read() -> None:
    data = pdf_with_object_stream()
    assert NUMBER.encode() not in data
    found = extract("packed.pdf", data)
    assert found.complete, found.problem
    assert shows(found, NUMBER)


def test_the_title_in_the_document_information_is_read() -> None:
    objects = page_objects(b"BT /F1 12 Tf 72 700 Td (Terms) Tj ET")
    data = pdf(objects | {6: b"<< /Title (%s) >>" % NUMBER.encode()}, b"/Info 6 0 R ")
    assert shows(extract("titled.pdf", data), NUMBER)


def test_a_pdf_after_a_byte_order_mark_is_read() -> None:
    found = extract("bom.pdf", b"\xef\xbb\xbf" + page_pdf(b"(Account 066-198038) Tj"))
    assert found.complete, found.problem
    assert shows(found, SHOWN)


def test_a_pdf_with_a_password_cannot_be_read() -> None:
    found = extract("locked.pdf", encrypted(page_pdf(b"(Account 066-198038) Tj"), "secret"))
    assert not found.complete
    assert found.problem == "encrypted PDF (a password is needed)"
    assert not shows(found, SHOWN)


def test_a_pdf_encrypted_with_an_empty_user_password_is_read() -> None:
    data = encrypted(page_pdf(b"(Account 066-198038) Tj"), "")
    assert SHOWN.encode() not in data
    found = extract("restricted.pdf", data)
    assert found.complete, found.problem
    assert shows(found, SHOWN)


def test_a_page_with_an_image_and_no_text_cannot_be_read() -> None:
    objects = page_objects(b"q 100 0 0 100 72 600 cm /Im1 Do Q", b"/XObject << /Im1 6 0 R >> ")
    objects[6] = stream(b"\x00", b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                                 b"/BitsPerComponent 8 ")
    found = extract("scan.pdf", pdf(objects))
    assert not found.complete
    assert found.problem == "PDF page 1 shows images and no text: text in pixels cannot be read"


def test_text_in_a_font_without_a_unicode_map_cannot_be_read() -> None:
    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /Secret /Encoding /Identity-H /DescendantFonts [<< "
            b"/Type /Font /Subtype /CIDFontType2 /BaseFont /Secret "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>] >>")
    data = pdf(page_objects(b"BT /F1 12 Tf 72 700 Td <0013001900190014> Tj ET", font=font))
    found = extract("glyphs.pdf", data)
    assert not found.complete
    assert found.problem == "PDF page 1 draws text in a font with no map to Unicode"


def test_a_damaged_pdf_cannot_be_read() -> None:
    found = extract("broken.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R")
    assert not found.complete
    assert (found.problem or "").startswith("damaged PDF")


def test_a_file_embedded_in_a_pdf_is_read() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(page_pdf(b"(Terms) Tj"))))
    writer.add_attachment("ledger.csv", f"account,{NUMBER}\n".encode())
    out = io.BytesIO()
    writer.write(out)
    found = extract("with-ledger.pdf", out.getvalue())
    assert found.complete, found.problem
    assert "ledger.csv" in found.texts
    assert shows(found, f"account,{NUMBER}")


# Zips and Office files

def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_zip_within_a_zip_is_read() -> None:
    inner = zipped({"statement.txt": f"Account {SHOWN}".encode()})
    found = extract("bundle.zip", zipped({"inner.zip": inner, "readme.txt": b"see inside"}))
    assert found.complete, found.problem
    assert {"inner.zip", "statement.txt"} <= set(found.texts)
    assert shows(found, SHOWN)


def test_a_zip_after_other_bytes_is_read() -> None:
    stub = b"#!/bin/sh\necho self-extracting\nexit 0\n"
    data = stub + zipped({"statement.txt": f"Account {SHOWN}".encode()})
    found = extract("installer.zip", data)
    assert found.complete, found.problem
    assert shows(found, SHOWN)


def password_protected(folder: Path) -> bytes:
    """A zip of a plain member and one protected by `zip -P`, or, without `zip`, by its flag bit."""
    (folder / "plain.txt").write_text("nothing here")
    (folder / "ledger.csv").write_text(f"account,{NUMBER}\n")
    if shutil.which("zip"):
        subprocess.run(["zip", "-q", "bundle.zip", "plain.txt"], cwd=folder, check=True)
        subprocess.run(["zip", "-q", "-P", "secret", "bundle.zip", "ledger.csv"], cwd=folder, check=True)
        return (folder / "bundle.zip").read_bytes()
    data = bytearray(zipped({"plain.txt": b"nothing here", "ledger.csv": f"account,{NUMBER}\n".encode()}))
    for header, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # the second member's headers
        at = data.rfind(header)
        data[at + flags_at] |= 0x1
    return bytes(data)


def test_a_password_protected_member_cannot_be_read(tmp_path: Path) -> None:
    found = extract("bundle.zip", password_protected(tmp_path))
    assert not found.complete
    assert found.problem == "password-protected zip member 'ledger.csv'"
    assert "nothing here" in found.texts


def test_a_problem_deep_inside_names_where_it_is(tmp_path: Path) -> None:
    found = extract("outer.zip", zipped({"docs/bundle.zip": password_protected(tmp_path)}))
    assert found.problem == "password-protected zip member 'ledger.csv' (in 'docs/bundle.zip')"


def test_a_number_split_across_word_runs_is_read_joined() -> None:
    document = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                b'<w:body><w:p><w:r><w:t xml:space="preserve">Account </w:t></w:r><w:r><w:t>066</w:t></w:r>'
                b'<w:r><w:rPr><w:b/></w:rPr><w:t>198038</w:t></w:r></w:p></w:body></w:document>')
    found = extract("terms.docx", zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": document}),
                    attachment=True)
    assert found.complete, found.problem
    assert shows(found, f"Account {NUMBER}")


def test_a_number_split_across_slide_runs_is_read_joined() -> None:
    slide = (b'<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
             b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody>'
             b'<a:p><a:r><a:t>Account 06</a:t></a:r><a:r><a:rPr b="1"/><a:t>6198038</a:t></a:r></a:p>'
             b'</p:txBody></p:sp></p:spTree></p:cSld></p:sld>')
    found = extract("deck.pptx", zipped({"ppt/slides/slide1.xml": slide}), attachment=True)
    assert shows(found, f"Account {NUMBER}")


def test_a_number_split_across_spans_of_an_open_document_is_read_joined() -> None:
    content = (b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
               b'<text:p>Account <text:span>066</text:span><text:span>198038</text:span></text:p>'
               b'</office:text></office:body></office:document-content>')
    found = extract("terms.odt", zipped({"mimetype": b"application/vnd.oasis.opendocument.text",
                                         "content.xml": content}), attachment=True)
    assert found.complete, found.problem
    assert shows(found, f"Account {NUMBER}")


def test_the_properties_of_an_office_file_are_read() -> None:
    core = (b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            b' xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Wire to 066-198038</dc:title>'
            b'</cp:coreProperties>')
    found = extract("terms.docx", zipped({"word/document.xml": b"<document/>", "docProps/core.xml": core}))
    assert "Wire to 066-198038" in found.texts


def xlsx(shared_strings: bytes, sheet_cells: bytes, styles: bytes = b"") -> bytes:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    members = {
        "[Content_Types].xml": b"<Types/>",
        "xl/sharedStrings.xml": f'<sst xmlns="{main}">'.encode() + shared_strings + b"</sst>",
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData><row r="1">'.encode()
                                    + sheet_cells + b"</row></sheetData></worksheet>",
    }
    if styles:
        members["xl/styles.xml"] = f'<styleSheet xmlns="{main}">'.encode() + styles + b"</styleSheet>"
    return zipped(members)


def test_a_shared_string_of_a_spreadsheet_is_read() -> None:
    data = xlsx(b"<si><t>Account</t></si><si><t>066-198038</t></si>",
                b'<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>')
    found = extract("payments.xlsx", data, attachment=True)
    assert found.complete, found.problem
    assert shows(found, SHOWN)


def test_a_spreadsheet_number_is_read_as_its_format_shows_it() -> None:
    styles = (b'<numFmts count="1"><numFmt numFmtId="164" formatCode="000-000000"/></numFmts>'
              b'<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs>')
    data = xlsx(b"", b'<c r="A1" s="1"><v>66198038</v></c>', styles)
    found = extract("payments.xlsx", data, attachment=True)
    assert found.complete, found.problem
    assert SHOWN in found.texts


@pytest.mark.parametrize("style, value, shown", [
    ('<xf numFmtId="1" applyNumberFormat="1"/>', "1233932117.6", "1233932118"),  # built-in "0"
    ('<xf numFmtId="164" applyNumberFormat="1"/>', "66198037.9", "066-198038"),  # rounded, then formatted
    ('<xf numFmtId="0"/>', "66198037.5", "66198038"),  # General in a narrow column
])
def test_a_spreadsheet_fraction_is_read_as_its_format_rounds_it(style: str, value: str, shown: str) -> None:
    styles = (b'<numFmts count="1"><numFmt numFmtId="164" formatCode="000-000000"/></numFmts>'
              b'<cellXfs count="2"><xf numFmtId="0"/>' + style.encode() + b"</cellXfs>")
    data = xlsx(b"", f'<c r="A1" s="1"><v>{value}</v></c>'.encode(), styles)
    found = extract("payments.xlsx", data, attachment=True)
    assert found.complete, found.problem
    assert shown in found.texts, found.texts


def test_a_word_file_encrypted_with_a_password_cannot_be_read() -> None:
    found = extract("terms.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), attachment=True)
    assert found.problem == "encrypted Office file, or an old binary one"


def test_an_image_in_a_word_file_cannot_be_read_as_an_attachment() -> None:
    data = zipped({"word/document.xml": b"<document/>", "word/media/image1.png": png([])})
    found = extract("terms.docx", data, attachment=True)
    assert found.problem == "image: text in pixels cannot be read (in 'word/media/image1.png')"


def test_an_office_thumbnail_is_not_taken_for_an_attached_image() -> None:
    data = zipped({"ppt/slides/slide1.xml": b"<sld/>", "docProps/thumbnail.jpeg": jpeg()})
    found = extract("deck.pptx", data, attachment=True)
    assert found.complete, found.problem


def test_a_zip_bomb_stops_at_the_limit_quickly() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("zeros.bin", "w") as member:
        for _ in range(64):
            member.write(bytes(1024 * 1024))
    bomb = zipped({f"layer{n}.zip": out.getvalue() for n in range(10)}, zipfile.ZIP_STORED)
    assert len(bomb) < 1024 * 1024
    found = extract("bomb.zip", bomb, max_bytes=16 * 1024 * 1024)
    assert not found.complete
    assert found.problem == "more unpacked than the limit allows (in 'layer0.zip')"


def test_a_gzip_bomb_stops_at_the_limit() -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join(packer.compress(bytes(1024 * 1024)) for _ in range(64)) + packer.flush()
    found = extract("sitemap.xml.gz", bomb, max_bytes=16 * 1024 * 1024)
    assert not found.complete
    assert found.problem == "more unpacked than the limit allows"


def test_containers_nested_past_the_depth_cannot_be_read() -> None:
    data = f"Account {SHOWN}".encode()
    for level in range(7):
        data = zipped({f"level{level}.zip" if level else "statement.txt": data})
    found = extract("deep.zip", data, max_depth=5)
    assert not found.complete
    assert (found.problem or "").startswith("nested more than 5 levels deep")


def test_a_gzipped_sitemap_is_read() -> None:
    sitemap = f"<urlset><url><loc>https://example.org/{NUMBER}/</loc></url></urlset>".encode()
    found = extract("sitemap.xml.gz", gzip.compress(sitemap))
    assert found.complete, found.problem
    assert shows(found, f"/{NUMBER}/")


def test_a_tar_in_gzip_is_read(tmp_path: Path) -> None:
    (tmp_path / "statement.txt").write_text(f"Account {SHOWN}")
    subprocess.run(["tar", "-czf", "records.tgz", "statement.txt"], cwd=tmp_path, check=True)
    found = extract("records.tgz", (tmp_path / "records.tgz").read_bytes(), attachment=True)
    assert found.complete, found.problem
    assert shows(found, SHOWN)


# Images: metadata read, pixels not

def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(chunks: list[bytes]) -> bytes:
    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    pixels = chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    return b"\x89PNG\r\n\x1a\n" + header + b"".join(chunks) + pixels + chunk(b"IEND", b"")


def jpeg(**exif_tags: object) -> bytes:
    exif = Image.Exif()
    for tag, value in exif_tags.items():
        exif[int(tag.removeprefix("tag_"), 16)] = value
    out = io.BytesIO()
    Image.new("RGB", (2, 2)).save(out, "JPEG", exif=exif.tobytes(), comment=b"drawn")
    return out.getvalue()


@pytest.mark.parametrize("text_chunk", [
    chunk(b"tEXt", b"Comment\x00Account " + SHOWN.encode()),
    chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"Account " + SHOWN.encode())),
    chunk(b"iTXt", b"Comment\x00\x01\x00en\x00Kommentar\x00" + zlib.compress(f"Account {SHOWN}".encode())),
    chunk(b"iTXt", b"Comment\x00\x00\x00en\x00\x00" + f"Konto {SHOWN} \u2713".encode()),
], ids=["tEXt", "zTXt", "iTXt-compressed", "iTXt"])
def test_a_png_text_chunk_is_read(text_chunk: bytes) -> None:
    found = extract("logo.png", png([text_chunk]))
    assert found.complete, found.problem
    assert shows(found, SHOWN)


def test_a_png_text_chunk_after_the_pixels_is_read() -> None:
    data = png([])
    data = data[:-12] + chunk(b"tEXt", b"Comment\x00" + SHOWN.encode()) + data[-12:]
    assert shows(extract("logo.png", data), SHOWN)


def test_a_jpeg_exif_comment_in_utf16_is_read() -> None:
    # Windows' XPComment (0x9C9C) is UTF-16LE: as written, its digits are apart.
    data = jpeg(tag_9C9C=SHOWN.encode("utf-16-le") + b"\x00\x00")
    assert SHOWN.encode() not in data
    found = extract("photo.jpg", data)
    assert found.complete, found.problem
    assert shows(found, SHOWN)


def test_a_jpeg_exif_description_is_read() -> None:
    assert shows(extract("photo.jpg", jpeg(tag_010E=f"Account {SHOWN}")), SHOWN)


def test_a_gif_comment_is_read() -> None:
    out = io.BytesIO()
    Image.new("P", (2, 2)).save(out, "GIF", comment=f"Account {SHOWN}".encode())
    found = extract("logo.gif", out.getvalue())
    assert found.complete, found.problem
    assert shows(found, SHOWN)


def test_webp_xmp_is_read() -> None:
    out = io.BytesIO()
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc>Account {SHOWN}</dc></x:xmpmeta>'.encode()
    Image.new("RGB", (2, 2)).save(out, "WEBP", xmp=xmp)
    found = extract("photo.webp", out.getvalue())
    assert found.complete, found.problem
    assert shows(found, SHOWN)


def test_an_attached_image_cannot_be_read() -> None:
    found = extract("statement.png", png([]), attachment=True)
    assert not found.complete
    assert found.problem == "image: text in pixels cannot be read"


def test_a_site_image_is_read_by_its_metadata() -> None:
    found = extract("favicon.png", png([chunk(b"tEXt", b"Software\x00drawn")]))
    assert found.complete
    assert "drawn" in found.texts


def test_a_truncated_png_cannot_be_read() -> None:
    found = extract("logo.png", png([chunk(b"tEXt", b"Comment\x00" + SHOWN.encode())])[:40])
    assert not found.complete
    assert found.problem == "damaged PNG image: truncated"


# Text and other files

def test_an_svg_is_read_as_text_with_its_text_joined() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><text>066<tspan>198038</tspan></text></svg>'
    found = extract("diagram.svg", svg, attachment=True)
    assert found.complete
    assert NUMBER in found.texts


def test_xml_entities_that_expand_past_reason_cannot_be_read() -> None:
    entities = "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 12))
    bomb = f'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY e0 "0661">{entities}]><svg>&e11;</svg>'
    found = extract("diagram.svg", bomb.encode())
    assert not found.complete
    assert found.problem == "XML whose entities cannot be expanded"


def test_utf16_text_with_a_byte_order_mark_is_decoded() -> None:
    found = extract("notes.txt", "\ufeffAccount 066-198038".encode("utf-16-le"))
    assert found.texts == ["Account 066-198038"]
    assert found.complete


def test_text_that_is_not_utf8_is_read_as_latin1_and_lossy_utf8() -> None:
    found = extract("notes.csv", b"Gl\xe4ubiger;066-198038")
    assert found.texts == ["Gläubiger;066-198038", "Gl\ufffdubiger;066-198038"]
    assert found.complete


def test_a_mail_part_in_base64_is_decoded() -> None:
    body = "QWNjb3VudCAwNjYtMTk4MDM4"  # base64 of "Account 066-198038"
    mail = (f"From: a@example.org\r\nSubject: =?utf-8?q?Konto_{SHOWN}?=\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{body}\r\n")
    found = extract("instructions.eml", mail.encode(), attachment=True)
    assert found.complete, found.problem
    assert "Account 066-198038" in found.texts
    assert f"Subject: Konto {SHOWN}" in found.texts


def test_rtf_escapes_are_read_as_their_characters() -> None:
    rtf = rb"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0 Account \'30\'36\'36-\u49?\u57?\u56?\'30\'33\'38\par}"
    assert SHOWN.encode() not in rtf
    found = extract("terms.rtf", rtf, attachment=True)
    assert found.complete, found.problem
    assert shows(found, f"Account {SHOWN}")


def test_a_picture_in_rtf_cannot_be_read_as_an_attachment() -> None:
    rtf = rb"{\rtf1\ansi Account {\pict\pngblip 89504e47}\par}"
    found = extract("terms.rtf", rtf, attachment=True)
    assert found.problem == "RTF with a picture or an embedded object: their text cannot be read"


def test_a_pdf_written_into_html_as_base64_is_read() -> None:
    inline = base64.b64encode(page_pdf(b"(Account 066-198038) Tj")).decode()
    html = f'<html><embed type="application/pdf" src="data:application/pdf;base64,{inline}"></html>'
    found = extract("exhibit.html", html.encode(), attachment=True)
    assert found.complete, found.problem
    assert shows(found, SHOWN)


def test_an_image_written_into_html_as_base64_is_read_by_its_metadata() -> None:
    inline = base64.b64encode(png([chunk(b"tEXt", b"Comment\x00" + SHOWN.encode())])).decode()
    found = extract("index.html", f'<img src="data:image/png;base64,{inline}">'.encode())
    assert found.complete, found.problem
    assert shows(found, SHOWN)


def test_a_page_that_mentions_the_pdf_header_is_read_as_text() -> None:
    found = extract("formats.md", b"# Formats\n\nA PDF starts with `%PDF-1.7`.\n", attachment=True)
    assert found.complete, found.problem
    assert found.texts == ["# Formats\n\nA PDF starts with `%PDF-1.7`.\n"]


def test_text_that_ends_like_a_zip_directory_is_read_as_text() -> None:
    directory_end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, 46, 0, 0)  # one member, nowhere
    text = b"notes, and then by chance: " + directory_end
    found = extract("notes.txt", text)
    assert found.complete, found.problem


def test_an_attached_format_not_read_cannot_be_read() -> None:
    found = extract("terms.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), attachment=True)
    assert not found.complete
    assert found.problem == "format not read: .doc"


def test_a_site_font_is_read_as_its_bytes() -> None:
    data = b"wOF2\x00\x01\x00\x00" + bytes(range(256))
    found = extract("assets/fonts/roboto.woff2", data)
    assert found.complete
    assert found.texts == [data.decode("latin-1"), data.decode("utf-8", "replace")]


@pytest.mark.parametrize("data", [b"", b"%PDF-", b"PK\x03\x04", b"\x1f\x8b", b"\x89PNG\r\n\x1a\n\x00",
                                  b"GIF89a", b"\xff\xd8\xff\xe1\xff", b"RIFF\x00\x00\x00\x00WEBPEXIF"])
def test_a_hostile_fragment_never_raises(data: bytes) -> None:
    found = extract("file.bin", data, attachment=True)
    assert found.complete is (found.problem is None)


def damaged_samples() -> dict[str, bytes]:
    secret = f"Account {SHOWN}".encode()
    return {
        "terms.pdf": page_pdf(b"(Account 066-198038) Tj"),
        "packed.pdf": pdf_with_object_stream(),
        "bundle.zip": zipped({"inner.zip": zipped({"statement.txt": secret})}),
        "logo.png": png([chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(secret))]),
        "photo.jpg": jpeg(tag_010E=secret.decode()),
        "sitemap.xml.gz": gzip.compress(b"<urlset>" + secret + b"</urlset>"),
    }


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(damaged_samples())), st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)),
                                                              min_size=1, max_size=6), st.booleans())
def test_a_damaged_file_gives_reasons_and_never_its_text(name: str, changes: list[tuple[float, int]],
                                                        cut: bool) -> None:
    data = bytearray(damaged_samples()[name])
    for where, byte in changes:
        data[int(where * (len(data) - 1))] = byte
    if cut:
        del data[int(changes[0][0] * len(data)):]
    found = extract(name, bytes(data), attachment=True)
    assert found.complete is (found.problem is None)
    assert not any(part in (found.problem or "") for part in ("066", "198", "038"))


def test_text_formats_are_known_by_name() -> None:
    names = ("a.txt", "b.MD", "c.csv", "d.json", "e.html", "f.ics", "g.eml", "h.svg")
    assert all(is_text_format(name) for name in names)
    assert not any(is_text_format(name) for name in ("a.pdf", "b.png", "c.zip", "d.woff2"))


@pytest.mark.parametrize("hiding", ["<w:vanish/>", '<w:rStyle w:val="Secret"/>', '<w:color w:val="FFFFFF"/>'])
def test_a_number_split_by_a_hidden_word_run_is_read_as_a_reader_sees_it(hiding: str) -> None:
    document = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                b'<w:body><w:p><w:r><w:t xml:space="preserve">Wire to FBO 066</w:t></w:r>'
                b'<w:r><w:rPr>' + hiding.encode() + b'</w:rPr><w:t>x</w:t></w:r>'
                b'<w:r><w:t xml:space="preserve">198038 at Chase.</w:t></w:r></w:p></w:body></w:document>')
    found = extract("terms.docx", zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": document}),
                    attachment=True)
    assert found.complete, found.problem
    assert shows(found, "Wire to FBO 066198038")


def test_a_page_that_draws_shapes_and_no_text_cannot_be_read() -> None:
    """A page "converted to outlines" draws its digits as shapes: nothing to extract."""
    found = extract("outlined.pdf", pdf(page_objects(
        b"q 72 700 m 80 720 l 88 700 l 76 710 m 84 710 l S 100 700 4 20 re f "
        b"120 700 m 130 730 140 730 150 700 c f Q")))
    assert not found.complete
    assert found.problem == "PDF page 1 draws shapes and no text: text drawn as outlines cannot be read"


def test_a_page_with_text_and_ruled_lines_is_read() -> None:
    content = b"72 690 m 300 690 l S BT /F1 12 Tf 72 700 Td (Terms) Tj ET"
    found = extract("ruled.pdf", pdf(page_objects(content)))
    assert found.complete, found.problem
    assert shows(found, "Terms")


WORD = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.mark.parametrize("name, member, content", [
    # A paragraph style that hides its runs, and runs that set hiding off again around a bare one.
    ("styled.docx", "word/document.xml",
     b'<w:document ' + WORD + b'><w:body><w:p><w:pPr><w:pStyle w:val="Hid"/></w:pPr>'
     b'<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>Pay to 066</w:t></w:r><w:r><w:t>4</w:t></w:r>'
     b'<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>198038 end</w:t></w:r></w:p></w:body></w:document>'),
    ("deleted.docx", "word/document.xml",
     b'<w:document ' + WORD + b'><w:body><w:p><w:r><w:t>Pay to 066</w:t></w:r><w:del><w:r><w:delText>4'
     b'</w:delText></w:r></w:del><w:r><w:t>198038 end</w:t></w:r></w:p></w:body></w:document>'),
    ("nofill.pptx", "ppt/slides/slide1.xml",
     b'<p:sld xmlns:p="p" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:p>'
     b'<a:r><a:t>Pay to 066</a:t></a:r><a:r><a:rPr sz="100"><a:noFill/></a:rPr><a:t>4</a:t></a:r>'
     b'<a:r><a:t>198038 end</a:t></a:r></a:p></p:sld>'),
    ("hidden.zip", "content.xml",
     b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
     b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><text:p>Pay to 066<text:span '
     b'text:style-name="H">4</text:span>198038 end</text:p></office:document-content>'),
])
def test_a_number_split_by_text_an_office_file_hides_is_read_as_a_reader_sees_it(
        name: str, member: str, content: bytes) -> None:
    found = extract(name, zipped({"[Content_Types].xml": b"<Types/>", member: content}), attachment=True)
    assert shows(found, "Pay to 066198038 end"), found.texts


@pytest.mark.parametrize("hiding, showing", [(b"3 Tr", b"0 Tr"), (b"1 1 1 rg", b"0 0 0 rg"),
                                             (b"1 g", b"0 g"), (b"ET q 1 g BT", b"ET Q BT")])
def test_a_number_split_by_pdf_text_drawn_invisible_or_in_white_is_read_as_a_reader_sees_it(
        hiding: bytes, showing: bytes) -> None:
    found = extract("letter.pdf", page_pdf(b"(Pay to 066) Tj " + hiding + b" (4) Tj " + showing +
                                           b" (198038 end) Tj"))
    assert found.complete, found.problem
    assert shows(found, "Pay to 066198038 end"), found.texts
