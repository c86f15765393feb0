"""The whole-deal page is bound from its sections' pages (`dealroom.binder`), not converted from
Markdown a second time: each page of the room must still be, byte for byte, what plain MkDocs
makes of the same Markdown (the benchmark's baseline: the plugin's pages in a docs folder)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import BUILD_EPOCH, ROOT, Room, benchmark_script, mkdocs


def _with_every_example_deal(room: Room) -> None:
    shutil.rmtree(room.deals)
    shutil.copytree(ROOT / "content" / "deals", room.deals)


def _plain_project(room: Room, tmp_path: Path) -> Path:
    """The room's generated pages as a plain MkDocs project, made as of the day `mkdocs`
    builds are (`conftest.mkdocs`)."""
    plain = tmp_path / "plain"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        benchmark_script().make_baseline(room.path, plain)
    return plain


def _pages_differing_from_plain_mkdocs(room: Room, tmp_path: Path, bound: int) -> list[str]:
    """Build the room with the plugin, and its generated pages with plain MkDocs; the pages
    whose HTML differs (the search index is the plugin's own, repaired). `bound`: how many
    whole-deal pages the build says it bound."""
    built = room.build("--verbose")
    assert built.returncode == 0, built.stderr
    assert f"dealroom: {bound} of {len(list(room.deals.glob('*/deal.yml')))} whole-deal pages bound" \
        in built.stderr
    plain = _plain_project(room, tmp_path)
    if (room.path / "hooks.py").exists():
        shutil.copy(room.path / "hooks.py", plain)
    result = mkdocs("build", "--strict", cwd=plain)
    assert result.returncode == 0, result.stderr
    pages = sorted(p.relative_to(room.site) for p in room.site.rglob("*.html"))
    assert len(pages) > 12
    assert pages == sorted(p.relative_to(plain / "site") for p in (plain / "site").rglob("*.html"))
    return [str(page) for page in pages
            if (room.site / page).read_bytes() != (plain / "site" / page).read_bytes()]


def test_every_page_is_what_plain_mkdocs_makes_of_its_markdown(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room = make_room()
    _with_every_example_deal(room)
    assert _pages_differing_from_plain_mkdocs(room, tmp_path, bound=8) == []


def test_a_heading_repeated_across_sections_gets_the_id_markdown_gives_it_on_the_whole_page(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room = make_room()
    # An instruction titled like a section of the terms: `#shares` on its own page, and on
    # the whole-deal page the second `Shares` heading is `#shares_1`.
    room.edit("title: Company Wire Transfer Instructions", "title: Shares")
    room.edit("title: Purchaser DWAC Instructions", "title: Terms")
    assert _pages_differing_from_plain_mkdocs(room, tmp_path, bound=1) == []
    whole = room.page("print")
    assert 'id="shares_1"' in whole and 'id="terms_1"' in whole


def test_the_overview_notes_are_printed_and_the_links_between_pages_are_not(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room = make_room()
    room.edit("summary: >-", "notes: |\n  A note on the deal.\n\n  Its second paragraph.\nsummary: >-")
    assert _pages_differing_from_plain_mkdocs(room, tmp_path, bound=1) == []
    whole, overview = room.page("print"), room.page("")
    assert "Its second paragraph." in whole and "Its second paragraph." in overview
    assert "In this deal" in overview and "In this deal" not in whole
    # The whole deal links each fact where it stands on it.
    assert 'href="#party-purchaser"' in whole and 'href="../parties/#party-purchaser"' in room.page("terms")


def test_pages_without_directory_urls_are_what_plain_mkdocs_makes(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room = make_room()
    config = room.path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "use_directory_urls: false\n",
                      encoding="utf-8")
    built = room.build("--verbose")
    assert built.returncode == 0, built.stderr
    assert "dealroom: 1 of 1 whole-deal pages bound" in built.stderr
    plain = _plain_project(room, tmp_path)
    assert mkdocs("build", "--strict", cwd=plain).returncode == 0
    for page in ("print.html", "terms.html", "index.html"):
        ours = (room.site / "deals" / "neotherapeutics-omicron-2002" / page).read_bytes()
        assert ours == (plain / "site" / "deals" / "neotherapeutics-omicron-2002" / page).read_bytes()
    assert b'href="#party-purchaser"' in (room.site / "deals" / "neotherapeutics-omicron-2002" /
                                          "print.html").read_bytes()


def test_a_plugin_that_changes_the_pages_markdown_sees_the_whole_deal_page_converted_whole(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room = make_room()
    (room.path / "hooks.py").write_text(
        "def on_page_markdown(markdown, page, config, files):\n"
        "    return markdown + '\\n\\nAdded by a hook.\\n'\n", encoding="utf-8")
    config = room.path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks:\n  - hooks.py\n", encoding="utf-8")
    assert _pages_differing_from_plain_mkdocs(room, tmp_path, bound=0) == []
    # Once, at its end, as on every page: not once for each section it prints.
    assert room.page("print").count("Added by a hook.") == 1
