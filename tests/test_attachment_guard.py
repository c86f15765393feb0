"""The guard reads attached files as their readers do, and publishes none it cannot read whole."""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfWriter

from conftest import EXAMPLE_SLUG, Room, no_raw_number, site_text


def dealroom(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = str(Path(sys.executable).parent / "dealroom")
    return subprocess.run([command, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60)

CHROMIUM = "/usr/bin/chromium"
EXHIBIT_A = "    description: The five-year warrant to purchase up to 200,000 shares of Common Stock.\n"


def chromium_pdf(html: str) -> bytes:
    """HTML printed to PDF by Chromium itself: a PDF as a deal team's browser makes it."""
    with tempfile.TemporaryDirectory() as folder:
        page, out = Path(folder) / "page.html", Path(folder) / "page.pdf"
        page.write_text(html, encoding="utf-8")
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={Path(folder) / 'profile'}", "--no-pdf-header-footer",
                        f"--print-to-pdf={out}", page.as_uri()], capture_output=True, timeout=120, check=True)
        return out.read_bytes()


def password_protected_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.encrypt("secret", owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def attach(room: Room, name: str, data: bytes, reviewed: bool = False) -> Path:
    (room.deals / EXAMPLE_SLUG / name).write_bytes(data)
    review = "    reviewed_by: Jane Roe\n    reviewed_on: 2002-06-05\n" if reviewed else ""
    room.edit(EXHIBIT_A, f"{EXHIBIT_A}    file: {name}\n{review}")
    return room.site / "deals" / EXAMPLE_SLUG / "files" / name


def test_a_number_in_a_pdf_printed_by_chromium_stops_the_build(make_room: Callable[..., Room]) -> None:
    room = make_room()
    published = attach(room, "wire.pdf", chromium_pdf("<p>Wire to account 066-198038 today.</p>"))
    result = room.build()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"deals/{EXAMPLE_SLUG}/files/wire.pdf: raw account number" in result.stderr
    assert not published.exists() and no_raw_number(result.stderr)


def test_a_pdf_printed_by_chromium_without_numbers_is_published(make_room: Callable[..., Room]) -> None:
    room = make_room()
    published = attach(room, "warrant.pdf", chromium_pdf("<h1>Form of Warrant</h1><p>Exercise $0.45.</p>"))
    assert room.build().returncode == 0
    assert published.exists()


def test_a_password_protected_pdf_is_not_published_unless_reviewed(make_room: Callable[..., Room]) -> None:
    room = make_room()
    published = attach(room, "locked.pdf", password_protected_pdf())
    result = room.build()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "exhibits[0].file: the leak guard cannot read all of 'locked.pdf'" in result.stderr
    assert "`reviewed_by` and `reviewed_on`" in result.stderr
    assert not published.exists()


def test_an_attachment_the_guard_cannot_read_is_refused_at_its_entry_before_anything_is_built(
        make_room: Callable[..., Room]) -> None:
    room = make_room()
    assert room.build().returncode == 0
    before = {p: p.stat().st_mtime_ns for p in room.site.rglob("*")}
    attach(room, "locked.pdf", password_protected_pdf())
    line = room.record().read_text(encoding="utf-8").split("    file: locked.pdf")[0].count("\n") + 1
    for result in (room.build(), dealroom("validate", "content/deals", cwd=room.path)):
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert f"deal.yml:{line}:11: exhibits[0].file: the leak guard cannot read all of 'locked.pdf' " \
            "(encrypted PDF" in result.stderr, result.stderr
    assert {p: p.stat().st_mtime_ns for p in room.site.rglob("*")} == before


def test_a_reviewed_attachment_the_guard_cannot_read_is_published_and_says_who_reviewed_it(
        make_room: Callable[..., Room]) -> None:
    room = make_room()
    published = attach(room, "locked.pdf", password_protected_pdf(), reviewed=True)
    assert room.build().returncode == 0
    assert published.exists()
    assert "reviewed for account numbers by Jane Roe, June 5, 2002" in room.page("exhibits")
    assert all(no_raw_number(text) for text in site_text(room.site).values())


def test_an_image_attachment_is_text_in_pixels_and_needs_a_review(make_room: Callable[..., Room]) -> None:
    room = make_room()
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
           b"\x1f\x15\xc4\x89\x00\x00\x00\x00IEND\xaeB`\x82")
    attach(room, "scan.png", png)
    result = room.build()
    assert result.returncode == 1
    assert "exhibits[0].file: the leak guard cannot read all of 'scan.png' (image" in result.stderr


def test_a_review_needs_both_who_and_when(make_room: Callable[..., Room]) -> None:
    room = make_room()
    (room.deals / EXAMPLE_SLUG / "locked.pdf").write_bytes(password_protected_pdf())
    room.edit(EXHIBIT_A, f"{EXHIBIT_A}    file: locked.pdf\n    reviewed_by: Jane Roe\n")
    result = room.build()
    assert result.returncode == 1 and "`reviewed_by` and `reviewed_on` go together" in result.stderr
