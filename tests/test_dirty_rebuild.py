"""A rebuild while serving (`mkdocs serve --dirty`) writes the pages that changed, and only them.

The builds run in this process, as `mkdocs serve` runs them: one plugin object kept across
builds (it defines `on_startup`), one site folder, a new configuration each time.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from jinja2 import TemplateNotFound
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import EXAMPLE_DEAL, EXAMPLE_SLUG, EXAMPLE_SLUGS, ROOT, Room, no_raw_number, site_text

OTHER_SLUG = next(slug for slug in EXAMPLE_SLUGS if slug != EXAMPLE_SLUG)


def _serve_builder(room: Room, site: Path) -> Callable[[], None]:
    startup = load_config(config_file=str(room.path / "mkdocs.yml"), site_dir=str(site))
    startup.plugins.on_startup(command="serve", dirty=True)

    def rebuild() -> None:
        build(load_config(config_file=str(room.path / "mkdocs.yml"), site_dir=str(site)),
              dirty=True, serve_url="http://127.0.0.1:8000/")

    return rebuild


def _written(site: Path) -> dict[str, int]:
    return {path.relative_to(site).as_posix(): path.stat().st_mtime_ns
            for path in site.rglob("*.html")}


def _room_with_two_deals(make_room: Callable[..., Room]) -> Room:
    room = make_room()
    shutil.copytree(ROOT / "content" / "deals" / OTHER_SLUG, room.deals / OTHER_SLUG)
    return room


def test_a_dirty_rebuild_writes_the_edited_deal_and_no_other(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room, site = _room_with_two_deals(make_room), tmp_path / "served"
    rebuild = _serve_builder(room, site)
    rebuild()
    before = _written(site)
    room.edit("Omicron Partners, L.P. buys", "Omicron Partners, L.P. acquires")
    rebuild()
    after = _written(site)
    rewritten = {page for page, written in after.items() if before.get(page) != written}
    assert "acquires 800,000 shares" in (site / "deals" / EXAMPLE_SLUG / "index.html").read_text()
    assert f"deals/{EXAMPLE_SLUG}/index.html" in rewritten
    assert not [page for page in rewritten if page.startswith(f"deals/{OTHER_SLUG}/")]
    assert "acquires 800,000 shares" not in (site / "deals" / OTHER_SLUG / "index.html").read_text()


def test_a_dirty_rebuild_writes_again_a_page_the_guard_deleted(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room, site = _room_with_two_deals(make_room), tmp_path / "served"
    terms = site / "deals" / OTHER_SLUG / "terms" / "index.html"
    config = room.path / "mkdocs.yml"
    plain = config.read_text()
    # A theme override that shows a number of the room on one page, while the option is set.
    (room.path / "site_overrides" / "main.html").write_text(
        (room.path / "site_overrides" / "main.html").read_text() +
        '{% block footer %}{% if config.extra.leak and page.url == "deals/OTHER/terms/" %}'
        "Account 066-198038{% endif %}{{ super() }}{% endblock %}\n".replace("OTHER", OTHER_SLUG))
    config.write_text(plain.replace("extra:\n", "extra:\n  leak: true\n"))
    rebuild = _serve_builder(room, site)
    rebuild()  # while serving, a page the guard refuses is deleted, and the rest served
    assert not terms.exists() and (site / "deals" / OTHER_SLUG / "index.html").is_file()
    config.write_text(plain)
    room.edit("Omicron Partners, L.P. buys", "Omicron Partners, L.P. acquires")
    rebuild()
    assert terms.is_file() and "066-198038" not in terms.read_text()


def test_a_dirty_rebuild_after_a_failed_build_writes_what_that_build_rendered(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room, site = _room_with_two_deals(make_room), tmp_path / "served"
    rebuild = _serve_builder(room, site)
    rebuild()
    overview = site / "deals" / EXAMPLE_SLUG / "index.html"
    room.edit("Omicron Partners, L.P. buys", "Omicron Partners, L.P. acquires")
    hand_written = room.path / "content" / "pages" / "about.md"
    about = hand_written.read_text()
    # The hand-written page is built first, and fails the build before any deal page is written.
    hand_written.write_text("---\ntemplate: missing.html\n---\n" + about)
    with pytest.raises(TemplateNotFound):
        rebuild()
    assert "acquires" not in overview.read_text()
    hand_written.write_text(about)
    rebuild()
    assert "acquires 800,000 shares" in overview.read_text()


def test_a_page_of_a_dirty_rebuild_names_every_hand_written_page_in_its_nav(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room, site = _room_with_two_deals(make_room), tmp_path / "served"
    rebuild = _serve_builder(room, site)
    rebuild()
    room.edit("Omicron Partners, L.P. buys", "Omicron Partners, L.P. acquires")
    rebuild()
    overview = (site / "deals" / EXAMPLE_SLUG / "index.html").read_text()
    assert "acquires 800,000 shares" in overview
    assert "About this room" in overview  # MkDocs knows a page's title once it has read it
    assert ">None<" not in overview.replace(" ", "").replace("\n", "")


def test_every_page_after_rebuilds_while_serving_is_the_page_a_whole_build_writes(
        make_room: Callable[..., Room], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1022112000")  # as `mkdocs` runs in `Room.build`
    room, site = _room_with_two_deals(make_room), tmp_path / "served"
    rebuild = _serve_builder(room, site)
    rebuild()
    for edit in range(3):  # the pages of one rebuild are kept for the next
        room.edit("summary: ", f"summary: Edit {edit}. ", slug=(EXAMPLE_SLUG, OTHER_SLUG)[edit % 2])
        rebuild()
    assert room.build().returncode == 0
    whole = {path.relative_to(room.site): path.read_bytes() for path in room.site.rglob("*.html")}
    served = {path.relative_to(site): path.read_bytes() for path in site.rglob("*.html")}
    assert served.keys() == whole.keys()
    assert [page for page in whole if served[page] != whole[page]] == []
    assert b"Edit 2. Edit 0." in served[Path("deals", EXAMPLE_SLUG, "index.html")]
    assert b"Edit 1." in served[Path("deals", OTHER_SLUG, "index.html")]


def test_a_refused_edit_while_serving_keeps_the_last_room_as_it_was_masked(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room, site = make_room(), tmp_path / "served"
    room.edit('notes: The aggregate purchase price is the "Purchase Price".',
              'notes: The aggregate purchase price is the "Purchase Price". Reference 1233932118.')
    rebuild = _serve_builder(room, site)
    rebuild()
    # The account changes and an id now holds the new number: the records are refused (after
    # they were read), and the room of the last build is served.
    record = room.record()
    record.write_text(record.read_text().replace("account_number: 1233932118",
                                                 "account_number: 9876543210")
                      .replace("purchaser-dwac", "dwac-9876543210"))
    rebuild()
    pages = {page: page.read_text() for page in site.rglob("*.html")}
    assert "Reference" in pages[site / "deals" / EXAMPLE_SLUG / "terms" / "index.html"]
    assert [page for page, text in pages.items() if not no_raw_number(text)] == []


def test_a_page_whose_heading_is_left_out_of_search_stays_in_search_after_a_rebuild(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room, site = make_room(), tmp_path / "served"
    config = room.path / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - admonition\n", "  - admonition\n  - attr_list\n"))
    # First of the hand-written pages, so first of the pages a rebuild indexes.
    (room.path / "content" / "pages" / "a-memo.md").write_text(
        "# Memo { data-search-exclude }\n\n## Closing call\n\nThe closing call is at noon.\n")
    rebuild = _serve_builder(room, site)
    rebuild()
    room.edit("Omicron Partners, L.P. buys", "Omicron Partners, L.P. acquires")
    rebuild()
    index = json.loads((site / "search" / "search_index.json").read_text())
    assert "a-memo/#closing-call" in [entry["location"] for entry in index["docs"]]


def _leaking(site: Path) -> list[str]:
    return [path.relative_to(site).as_posix() for path, text in site_text(site).items()
            if not no_raw_number(text)]


def test_a_hand_written_page_quoting_a_refused_new_deals_number_waits_for_the_fix_masked(
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
    # A whole build refuses the room; the served one shows the page as it was, until fixed.
    assert _leaking(site) == []
    assert "Salomon Smith Barney" not in (site / "about" / "index.html").read_text()
    room.edit("status: sigend", "status: signed")
    rebuild()
    assert _leaking(site) == []
    assert "Salomon Smith Barney" in (site / "about" / "index.html").read_text()


def test_an_edit_built_by_mkdocs_build_beside_the_server_is_served_too(
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
    # The cache file already holds the new page, written by the other process: the server
    # writes it all the same, for it differs from what the server last showed.
    assert "Citibank, N.A." in instructions.read_text()
    assert "Banc of America, NA" not in instructions.read_text()


def _png(width: int) -> bytes:
    """A valid PNG of one row of `width` white pixels, no text in it."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + \
        chunk(b"IDAT", zlib.compress(b"\x00" + b"\xff" * width)) + chunk(b"IEND", b"")


def test_an_attached_file_replaced_by_an_older_one_while_serving_is_served_new(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room, site = make_room(), tmp_path / "served"
    chart = room.deals / EXAMPLE_SLUG / "chart.png"
    chart.write_bytes(_png(4))
    room.edit("documents:\n", "documents:\n  - id: chart\n    title: Cap table chart\n"
              "    file: chart.png\n    reviewed_by: Jane Roe\n    reviewed_on: 2002-06-05\n")
    rebuild = _serve_builder(room, site)
    rebuild()
    served = site / "deals" / EXAMPLE_SLUG / "files" / "chart.png"
    assert served.read_bytes() == _png(4)
    # A new version moved in keeps its own, older time, as `mv` of a download does.
    replacement = tmp_path / "chart.png"
    replacement.write_bytes(_png(8))
    os.utime(replacement, ns=(10**18, 10**18))
    replacement.replace(chart)
    rebuild()
    assert served.read_bytes() == _png(8)


def test_a_changed_theme_setting_while_serving_shows_on_every_page(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room, site = _room_with_two_deals(make_room), tmp_path / "served"
    rebuild = _serve_builder(room, site)
    rebuild()
    config = room.path / "mkdocs.yml"
    config.write_text(config.read_text().replace("primary: blue grey", "primary: indigo"))
    rebuild()
    stale = [page for page in site.rglob("*.html") if 'data-md-color-primary="blue-grey"' in page.read_text()]
    assert stale == []
    assert 'data-md-color-primary="indigo"' in \
        (site / "deals" / OTHER_SLUG / "terms" / "index.html").read_text()


def test_an_edit_that_moves_no_page_leaves_the_sitemap_as_written(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room, site = _room_with_two_deals(make_room), tmp_path / "served"
    rebuild = _serve_builder(room, site)
    rebuild()
    rebuild()  # the guard has read the site: MkDocs's own time checks are no longer needed
    sitemap = (site / "sitemap.xml").stat().st_mtime_ns
    room.edit("Omicron Partners, L.P. buys", "Omicron Partners, L.P. acquires")
    rebuild()
    assert (site / "sitemap.xml").stat().st_mtime_ns == sitemap
    assert "acquires 800,000 shares" in (site / "deals" / EXAMPLE_SLUG / "index.html").read_text()


def _with_site_url(room: Room) -> Room:
    config = room.path / "mkdocs.yml"  # the sitemap lists pages by their address on the server
    config.write_text(config.read_text().replace("site_name:", "site_url: https://deals.example/\n"
                                                 "site_name:", 1))
    return room


def test_a_deal_added_while_serving_is_in_the_sitemap(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room, site = _with_site_url(make_room()), tmp_path / "served"
    rebuild = _serve_builder(room, site)
    rebuild()
    rebuild()
    assert f"deals/{EXAMPLE_SLUG}/terms/" in (site / "sitemap.xml").read_text()
    assert f"deals/{OTHER_SLUG}/" not in (site / "sitemap.xml").read_text()
    shutil.copytree(ROOT / "content" / "deals" / OTHER_SLUG, room.deals / OTHER_SLUG)
    rebuild()
    assert f"deals/{OTHER_SLUG}/terms/" in (site / "sitemap.xml").read_text()


def test_the_sitemap_takes_the_new_date_when_a_rebuild_while_serving_is_on_another_day(
        make_room: Callable[..., Room], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    room, site = _with_site_url(make_room()), tmp_path / "served"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1022112000")  # 2002-05-23
    rebuild = _serve_builder(room, site)
    rebuild()
    rebuild()
    assert "<lastmod>2002-05-23</lastmod>" in (site / "sitemap.xml").read_text()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1022198400")  # the next day
    room.edit("Omicron Partners, L.P. buys", "Omicron Partners, L.P. acquires")
    rebuild()
    assert "<lastmod>2002-05-24</lastmod>" in (site / "sitemap.xml").read_text()
