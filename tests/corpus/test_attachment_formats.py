"""Attached files that hide an account number the way real files do, built into one real room.

Each file is attached to the example deal as a document (marked reviewed, so that the records
are not refused first for an image the guard cannot read whole); the build must fail, name each
file and the field (never the number), and publish none of them. `tests/test_extract.py` tests each
reader alone; this is the same through `mkdocs build`.
"""

from __future__ import annotations

import shutil
import subprocess
import zlib

import pytest
from test_extract import SHOWN, chunk, page_objects, page_pdf, pdf, png, zipped

from conftest import EXAMPLE_DEAL, EXAMPLE_SLUG, ROOT, Room, mkdocs, no_raw_number

FIELD = "field instructions[company-wire].fbo_account_number"


def _utf16_annotation() -> bytes:
    objects = page_objects(b"BT /F1 12 Tf 72 700 Td (Terms) Tj ET", b"")
    objects[3] = objects[3].replace(b"/Contents 5 0 R", b"/Contents 5 0 R /Annots [6 0 R]")
    objects[6] = b"<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /Contents <FEFF%s> >>" % (
        SHOWN.encode("utf-16-be").hex().upper().encode())
    return pdf(objects)


FILES = {
    "kerned.pdf": page_pdf(b"[(066)-10(-19)(8038)] TJ"),  # a kerning array splits the number
    "hex.pdf": page_pdf(b"<%s> Tj" % SHOWN.encode().hex().encode()),
    "annotated.pdf": _utf16_annotation(),
    "marked.pdf": b"\xef\xbb\xbf" + page_pdf(b"(066-198038) Tj"),  # a byte-order mark before %PDF
    "nested.zip": zipped({"inner.zip": zipped({"statement.txt": f"Account {SHOWN}".encode()})}),
    "prefixed.zip": b"#!/bin/sh\nexit 0\n" + zipped({"statement.txt": f"Account {SHOWN}".encode()}),
    "compressed-chunk.png": png([chunk(b"zTXt", b"Comment\x00\x00" +
                                       zlib.compress(f"Acct {SHOWN}".encode()))]),
    "international-chunk.png": png([chunk(b"iTXt", b"Comment\x00\x01\x00en\x00\x00" +
                                          zlib.compress(f"Konto {SHOWN}".encode()))]),
}


@pytest.fixture(scope="module")
def attached(tmp_path_factory: pytest.TempPathFactory) -> tuple[Room, subprocess.CompletedProcess[str]]:
    room = Room(tmp_path_factory.mktemp("formats") / "room")
    (room.path / "content" / "pages").mkdir(parents=True)
    shutil.copytree(ROOT / "site_overrides", room.path / "site_overrides")
    shutil.copytree(EXAMPLE_DEAL, room.deals / EXAMPLE_SLUG)
    shutil.copy(ROOT / "content" / "deals" / ".dealroom", room.deals)
    shutil.copy(ROOT / "mkdocs.yml", room.path / "mkdocs.yml")
    entries = ""
    for index, (name, data) in enumerate(FILES.items()):
        (room.deals / EXAMPLE_SLUG / name).write_bytes(data)
        # Reviewed: an image is text in pixels, refused with the records unless a person
        # checked it; the guard reads what it can of a reviewed file all the same.
        entries += (f"  - id: file-{index}\n    title: Statement {index}\n    file: {name}\n"
                    "    reviewed_by: Jane Roe\n    reviewed_on: 2002-06-05\n")
    room.edit("documents:\n", f"documents:\n{entries}")
    return room, mkdocs("build", cwd=room.path)


@pytest.mark.parametrize("name", sorted(FILES))
def test_an_attached_file_hiding_the_number_is_not_published(
        attached: tuple[Room, subprocess.CompletedProcess[str]], name: str) -> None:
    room, result = attached
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"deals/{EXAMPLE_SLUG}/files/{name}: raw account number from deal '{EXAMPLE_SLUG}', {FIELD}" \
        in result.stderr
    assert not (room.site / "deals" / EXAMPLE_SLUG / "files" / name).exists()


def test_the_build_log_never_prints_the_number(
        attached: tuple[Room, subprocess.CompletedProcess[str]]) -> None:
    _, result = attached
    assert no_raw_number(result.stdout + result.stderr)
