"""The whole-deal page is bound from its sections' pages (`dealroom.binder`), not converted from
Markdown a second time: each page of the room must still be, byte for byte, what plain MkDocs
makes of the same Markdown (the benchmark's baseline: the plugin's pages in a docs folder)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import BUILD_EPOCH, EXAMPLE_SLUG, ROOT, Room, benchmark_script, mkdocs


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
    for extra in [*room.path.glob("hooks.py"), *room.path.glob("*.snip")]:
        shutil.copy(extra, plain)
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


def _with_hooks(room: Room, code: str, settings: str = "") -> None:
    (room.path / "hooks.py").write_text(code, encoding="utf-8")
    config = room.path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks:\n  - hooks.py\n" + settings,
                      encoding="utf-8")


def test_a_whole_deal_page_whose_source_a_plugin_changed_is_that_source_converted(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room = make_room()
    # A plugin takes the routing numbers out of the printed binder: they stay out.
    _with_hooks(room, "def on_page_read_source(page, config):\n"
                      "    if page.file.src_uri.endswith('/print.md'):\n"
                      "        return '\\n'.join(line for line in page.file.content_string.split('\\n')\n"
                      "                         if 'ABA routing' not in line)\n")
    assert _pages_differing_from_plain_mkdocs(room, tmp_path, bound=0) == []
    assert "ABA routing" not in room.page("print") and "ABA routing" in room.page("instructions")


def test_a_section_whose_file_a_plugin_changed_is_printed_as_its_source_says(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room = make_room()
    _with_hooks(room, "from mkdocs.plugins import event_priority\n"
                      "@event_priority(-100)\n"
                      "def on_files(files, config):\n"
                      "    for file in files:\n"
                      "        if file.src_uri.endswith('/terms.md') and file.generated_by:\n"
                      "            file.content_string += '\\nEdited in on_files.\\n'\n"
                      "    return files\n")
    assert _pages_differing_from_plain_mkdocs(room, tmp_path, bound=0) == []
    assert "Edited in on_files." in room.page("terms") and "Edited in on_files." not in room.page("print")


def test_a_heading_an_extension_adds_to_every_page_leaves_each_section_under_its_own_heading(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room = make_room()
    (room.path / "foot.snip").write_text("## Disclaimer\n", encoding="utf-8")
    config = room.path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - admonition\n", "  - admonition\n  - pymdownx.snippets:\n      auto_append: [foot.snip]\n"),
        encoding="utf-8")
    (room.path / "content" / "pages" / "about.md").write_text("# About\n", encoding="utf-8")
    assert _pages_differing_from_plain_mkdocs(room, tmp_path, bound=0) == []
    whole = room.page("print")
    assert whole.count("Disclaimer<a") == 1 and whole.count("dealroom-last-changed") == 1


def test_a_link_to_an_anchor_the_whole_deal_page_lacks_fails_a_strict_build(
        make_room: Callable[..., Room]) -> None:
    room = make_room()
    config = room.path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "validation:\n  anchors: warn\n",
                      encoding="utf-8")
    # The overview's own page has `#in-this-deal`; the whole deal does not.
    (room.path / "content" / "pages" / "links.md").write_text(
        f"# Links\n\n[Whole deal](deals/{EXAMPLE_SLUG}/print.md#in-this-deal)\n"
        f"[Its parties](deals/{EXAMPLE_SLUG}/print.md#party-purchaser)\n", encoding="utf-8")
    built = room.build()
    assert built.returncode == 1
    assert "does not contain an anchor '#in-this-deal'" in built.stderr
    assert "#party-purchaser" not in built.stderr
