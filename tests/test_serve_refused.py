"""`mkdocs serve --dirty` while the records are refused: the room is served as last built
from valid records, hand-written pages as they were, and nothing the records may hold a
number of is published (cases found by a red team)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from gitrepo import run_git
from test_dirty_rebuild import OTHER_SLUG, _serve_builder

from conftest import EXAMPLE_DEAL, EXAMPLE_SLUG, ROOT, Room, no_raw_number, site_text

QUOTE = ("\nThe Omicron purchase price is wired to Salomon Smith Barney, 066-198038, for further "
         "credit to 561-04051-19-103; the shares go to Banc of America, 1233932118.\n")


def _leaking(site: Path) -> list[str]:
    return [path.relative_to(site).as_posix() for path, text in site_text(site).items()
            if not no_raw_number(text)]


def _serving_other_deal(make_room: Callable[..., Room],
                        tmp_path: Path) -> tuple[Room, Path, Callable[[], None]]:
    room, site = make_room(with_example=False), tmp_path / "served"
    shutil.copytree(ROOT / "content" / "deals" / OTHER_SLUG, room.deals / OTHER_SLUG)
    rebuild = _serve_builder(room, site)
    rebuild()
    return room, site, rebuild


def test_a_new_deal_that_does_not_parse_has_numbers_written_below_their_keys_masked_while_serving(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room, site, rebuild = _serving_other_deal(make_room, tmp_path)
    shutil.copytree(EXAMPLE_DEAL, room.deals / EXAMPLE_SLUG)
    # Each number written on the line after its key (plain YAML), and a slip elsewhere that
    # makes the record fail to parse: the record is refused, the last room is served.
    record = room.record()
    text = record.read_text()
    for key, number in (("fbo_account_number", "066-198038"),
                        ("further_credit_account_number", "561-04051-19-103"),
                        ("account_number", "1233932118"), ("fbo_account_number", "313-12878")):
        text = text.replace(f"    {key}: {number}\n", f"    {key}:\n      {number}\n", 1)
    record.write_text(text.replace("status: signed", "status: [signed", 1))
    about = room.path / "content" / "pages" / "about.md"
    about.write_text(about.read_text() + QUOTE)
    rebuild()
    # Refused, the room is served as last built: the page as it was, its new text once fixed.
    assert "Salomon Smith Barney" not in (site / "about" / "index.html").read_text()
    assert _leaking(site) == []


def test_a_new_deal_written_under_an_id_already_used_has_its_numbers_masked_while_serving(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room, site, rebuild = _serving_other_deal(make_room, tmp_path)
    # The author starts the example deal from a copy saved as a flat record under the other
    # deal's id (to be renamed): the records are refused, "deal id ... is also used by", and
    # the last room is served. The copy is never read, not even for its numbers.
    (room.deals / f"{OTHER_SLUG}.yml").write_text((EXAMPLE_DEAL / "deal.yml").read_text())
    about = room.path / "content" / "pages" / "about.md"
    about.write_text(about.read_text() + QUOTE)
    rebuild()
    # Refused, the room is served as last built: the page as it was, its new text once fixed.
    assert "Salomon Smith Barney" not in (site / "about" / "index.html").read_text()
    assert _leaking(site) == []


def _scan_png(text: str) -> bytes:
    """A picture of `text` (a scanned wire instruction): the number is in its pixels only."""
    import io

    from PIL import Image, ImageDraw
    image = Image.new("L", (400, 40), 255)
    ImageDraw.Draw(image).text((10, 10), text, fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


REVIEWED = ("documents:\n  - id: wire-scan\n    title: Wire instructions (scan)\n    file: wire.png\n"
            "    reviewed_by: Jane Roe\n    reviewed_on: 2002-06-05\n")


def test_a_scan_replaced_while_refused_is_not_served_under_the_review_the_record_withdrew(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room, site = make_room(), tmp_path / "served"
    scan = room.deals / EXAMPLE_SLUG / "wire.png"
    scan.write_bytes(_scan_png("Wire instructions: see the agreement"))  # reviewed: no number
    room.edit("documents:\n", REVIEWED)
    rebuild = _serve_builder(room, site)
    rebuild()
    served = site / "deals" / EXAMPLE_SLUG / "files" / "wire.png"
    assert served.is_file()
    # A new scan, showing the account number in its pixels. Nobody reviewed it: the author
    # withdraws the review, and with a typo elsewhere the record is refused.
    new_scan = _scan_png("Account No. 1233932118")
    scan.write_bytes(new_scan)
    room.edit("    reviewed_by: Jane Roe\n    reviewed_on: 2002-06-05\n", "")
    room.edit("status: signed", "status: sigend")
    rebuild()
    # A whole build refuses the room; fixed, the unreviewed picture is never published (the
    # guard cannot read pixels). Served while refused, no review vouches for it either.
    assert not (served.is_file() and served.read_bytes() == new_scan)


def test_a_past_account_number_in_a_renamed_deal_folder_is_masked_in_the_served_error(
        make_room: Callable[..., Room], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    room, site = make_room(), tmp_path / "served"
    (room.path / ".gitignore").write_text("site/\n.cache/\n")
    run_git(room.path, "init", "-q", "-b", "main")
    run_git(room.path, "add", "-A")
    run_git(room.path, "commit", "-q", "-m", "Add the deal")
    # The DWAC account changes: 1233932118 is now a past number, masked wherever it is written.
    room.edit("account_number: 1233932118", "account_number: 4455667788")
    run_git(room.path, "add", "-A")
    run_git(room.path, "commit", "-q", "-m", "New DWAC account")
    rebuild = _serve_builder(room, site)
    rebuild()
    # While serving, the deal's folder is renamed after the old account, with capitals: not a
    # valid id, so the records are refused and the problem is logged.
    (room.deals / EXAMPLE_SLUG).rename(room.deals / "Omicron-1233932118")
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="dealroom.serve"):
        rebuild()
    assert "Serving the room as last built" in caplog.text
    # A name holding it as a valid id is refused with the number hidden (past numbers are
    # checked); this message prints it.
    assert no_raw_number(caplog.text), caplog.text


def test_a_number_committed_while_the_records_are_refused_is_masked_while_serving(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room, site = make_room(with_example=False), tmp_path / "served"
    shutil.copytree(ROOT / "content" / "deals" / OTHER_SLUG, room.deals / OTHER_SLUG)
    (room.path / ".gitignore").write_text("site/\n.cache/\n")
    run_git(room.path, "init", "-q", "-b", "main")
    run_git(room.path, "add", "-A")
    run_git(room.path, "commit", "-q", "-m", "The room")
    rebuild = _serve_builder(room, site)
    rebuild()
    # The example deal is added with a typo in its status, and committed (git does not check
    # records): refused, the last room is served, masked with the new deal's numbers too.
    shutil.copytree(EXAMPLE_DEAL, room.deals / EXAMPLE_SLUG)
    room.edit("status: signed", "status: sigend")
    run_git(room.path, "add", "-A")
    run_git(room.path, "commit", "-q", "-m", "Add the Omicron deal")
    rebuild()
    # The DWAC account is corrected in the working copy: 1233932118 is now a past number of
    # the room (the history holds it), and a hand-written page quotes it.
    room.edit("account_number: 1233932118", "account_number: 4455667788")
    about = room.path / "content" / "pages" / "about.md"
    about.write_text(about.read_text() + QUOTE)
    rebuild()
    # Refused, the room is served as last built: the page as it was, its new text once fixed.
    assert "Salomon Smith Barney" not in (site / "about" / "index.html").read_text()
    assert _leaking(site) == []
