"""Red team of `mkdocs serve --dirty`: sequences a room author could do while serving, after
which the served site shows a raw account number or stale content. Real builds, in process, as
`mkdocs serve` runs them (`test_dirty_rebuild._serve_builder`)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from test_dirty_rebuild import OTHER_SLUG, _serve_builder

from conftest import EXAMPLE_DEAL, EXAMPLE_SLUG, ROOT, Room, no_raw_number, site_text


def _leaking(site: Path) -> list[str]:
    return [path.relative_to(site).as_posix() for path, text in site_text(site).items()
            if not no_raw_number(text)]


def test_a_hand_written_page_quoting_a_new_deals_number_is_served_raw_while_its_record_is_refused(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    # Serving a room of one deal.
    room, site = make_room(with_example=False), tmp_path / "served"
    shutil.copytree(ROOT / "content" / "deals" / OTHER_SLUG, room.deals / OTHER_SLUG)
    rebuild = _serve_builder(room, site)
    rebuild()
    # The author adds the example deal, with a typo in its status (the record is refused, the
    # last room is served), and writes about its wire in a hand-written page, which the room
    # masks with the room's rule.
    shutil.copytree(EXAMPLE_DEAL, room.deals / EXAMPLE_SLUG)
    room.edit("status: signed", "status: sigend")
    about = room.path / "content" / "pages" / "about.md"
    about.write_text(about.read_text() + "\nThe Omicron purchase price is wired to Salomon Smith "
                     "Barney, 066-198038, for further credit to 561-04051-19-103.\n")
    rebuild()
    # A whole build refuses the room; the served one shows both numbers, page and search index.
    assert _leaking(site) == []


def test_an_edit_built_by_mkdocs_build_while_serving_is_never_served(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room, site = make_room(), tmp_path / "served"
    rebuild = _serve_builder(room, site)
    rebuild()
    instructions = site / "deals" / EXAMPLE_SLUG / "instructions" / "index.html"
    assert "Banc of America, NA" in instructions.read_text()
    # The author corrects the DWAC bank and, before the server's rebuild, checks the room with
    # `mkdocs build` (its own site folder; the room's cache folder is the one serving uses).
    room.edit("bank: Banc of America, NA", "bank: Citibank, N.A.")
    assert room.build().returncode == 0
    rebuild()
    # The served page still shows the old bank: the cache file already held the new page, so
    # the serving process never counted it as rewritten.
    assert "Citibank, N.A." in instructions.read_text()
    assert "Banc of America, NA" not in instructions.read_text()
