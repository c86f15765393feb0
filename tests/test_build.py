"""The real `mkdocs build` on rooms made in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conftest import EXAMPLE_DEAL, EXAMPLE_SLUG, Room, no_raw_number, site_text

RECORD_TEXT = (EXAMPLE_DEAL / "deal.yml").read_text(encoding="utf-8")


def line_of(snippet: str) -> int:
    return RECORD_TEXT[: RECORD_TEXT.index(snippet)].count("\n") + 1

SECOND_DEAL = """\
name: Acme Bio – Fund IV bridge
status: draft
agreement:
  title: Note Purchase Agreement
  date: 2024-03-01
  governing_law: State of New York
parties:
  - id: issuer
    name: Acme Bio, Inc.
    role: Company
  - id: fund
    name: Fund IV, L.P.
    role: Purchaser
closing:
  deadline: 2024-03-04
instructions:
  - id: wire
    kind: wire
    title: Wire instructions
    payer: fund
    payee: issuer
    bank: First Bank
    aba_number: 021000021
    account_number: 987654321
"""


def snapshot(room: Room) -> dict[str, bytes]:
    return {str(p.relative_to(room.site)): p.read_bytes() for p in room.site.rglob("*") if p.is_file()}


def test_the_example_room_builds_strict_without_warnings(make_room: Callable[..., Room]) -> None:
    result = make_room().build()
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr


def test_a_broken_record_stops_the_build_and_leaves_the_previous_site(
        make_room: Callable[..., Room]) -> None:
    room = make_room()
    assert room.build().returncode == 0
    before = snapshot(room)
    room.edit("quantity: 800000", "quantity: 800,000")
    result = room.build()
    assert result.returncode == 1
    line = line_of("quantity: 8")
    assert (f"content/deals/{EXAMPLE_SLUG}/deal.yml:{line}:13: shares.quantity: '800,000' is not a "
            "whole number (fix: write 800000 without thousands separators)") in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(room) == before


def test_a_hand_written_page_where_a_deal_page_goes_stops_the_build_and_leaves_the_previous_site(
        make_room: Callable[..., Room]) -> None:
    room = make_room()
    assert room.build().returncode == 0
    before = snapshot(room)
    page = room.path / "content" / "pages" / "deals" / EXAMPLE_SLUG / "terms.md"
    page.parent.mkdir(parents=True)
    page.write_text("# Terms\n")
    result = room.build()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"deals/{EXAMPLE_SLUG}/terms.md is generated from the deal records" in result.stderr
    assert snapshot(room) == before


def test_a_raw_number_in_a_hand_written_file_fails_the_build_without_printing_it(
        make_room: Callable[..., Room]) -> None:
    room = make_room()
    (room.path / "content" / "pages" / "wire.txt").write_text("Send to A/C 066.198.038\n")
    result = room.build()
    assert result.returncode == 1
    assert "wire.txt: raw account number from deal" in result.stderr
    assert f"'{EXAMPLE_SLUG}', field instructions[company-wire].fbo_account_number" in result.stderr
    assert "198" not in result.stderr.replace("site/", "")
    assert not (room.site / "wire.txt").exists()


def test_a_link_spelling_a_number_with_url_escapes_is_masked_before_mkdocs_quotes_it(
        make_room: Callable[..., Room]) -> None:
    room = make_room()
    (room.path / "content" / "pages" / "wire.md").write_text(
        "See the [FBO wire](wires/066%20198038.md) and [here](#066%2D198038).\n")
    result = room.build("--verbose")
    assert "wires/" in result.stderr and "066" not in result.stderr.replace("site/", ""), result.stderr
    assert "198038" not in result.stderr


def test_a_raw_number_in_a_hand_written_page_is_masked(make_room: Callable[..., Room]) -> None:
    room = make_room()
    (room.path / "content" / "pages" / "memo.md").write_text("# Memo\n\nWire to 1233932118.\n")
    assert room.build().returncode == 0
    assert "Wire to ••••••2118." in (room.site / "memo" / "index.html").read_text()


def test_visible_digits_and_masked_fields_are_plugin_options(make_room: Callable[..., Room]) -> None:
    room = make_room("      mask:\n        fields: [fbo_account_number, aba_number]\n"
                     "        visible_digits: 2\n")
    assert room.build().returncode == 0
    page = room.page("instructions")
    assert "•••••••38" in page and "•••••••21" in page


def test_an_empty_list_of_masked_fields_still_masks_every_account_number(
        make_room: Callable[..., Room]) -> None:
    room = make_room("      mask:\n        fields: []\n")
    assert room.build().returncode == 0
    page = room.page("instructions")
    assert "••••••2118" in page and "1233932118" not in page


def test_a_room_of_two_deals_lists_both_on_the_home_page(make_room: Callable[..., Room]) -> None:
    room = make_room()
    room.add_deal("acme-bridge-2024", SECOND_DEAL)
    assert room.build().returncode == 0
    home = (room.site / "index.html").read_text()
    assert "This room holds 2 deals." in home
    assert home.index("Acme Bio") < home.index("NeoTherapeutics")  # newest first
    assert "•••••4321" in room.page("instructions", "acme-bridge-2024")


def test_a_hand_written_home_page_is_kept(make_room: Callable[..., Room]) -> None:
    room = make_room()
    (room.path / "content" / "pages" / "index.md").write_text("# Our deals\n")
    assert room.build().returncode == 0
    assert "Our deals" in (room.site / "index.html").read_text()
    assert "NeoTherapeutics" in (room.site / "deals" / "index.html").read_text()


def test_records_inside_docs_dir_are_refused(make_room: Callable[..., Room]) -> None:
    room = make_room("      deals_dir: content/pages/deals\n")
    (room.path / "content" / "pages" / "deals").mkdir()
    result = room.build()
    assert result.returncode == 1 and "is inside docs_dir" in result.stderr


def test_a_link_in_docs_dir_into_the_records_is_refused_before_anything_is_built(
        make_room: Callable[..., Room]) -> None:
    room = make_room()
    (room.path / "content" / "pages" / "raw").symlink_to(room.deals / EXAMPLE_SLUG)
    result = room.build()
    assert result.returncode == 1 and "is a link into the deal records" in result.stderr
    assert "Traceback" not in result.stderr and not room.site.exists()


@pytest.mark.parametrize("options, said", [
    ("      mask:\n        visible_digits: true\n", "Expected a whole number from 0 to 4, got True"),
    ("      alarm_window_days: -5\n", "Expected a whole number from 0 to 3660, got -5"),
    ("      cache_dir: mkdocs.yml\n", "cannot be made a folder"),
    ('      cache_dir: "a\\0b"\n', "A path cannot hold a NUL character"),
])
def test_a_wrong_plugin_option_is_a_message_not_a_traceback(
        make_room: Callable[..., Room], options: str, said: str) -> None:
    room = make_room("      deals_dir: content/deals\n" + options)
    result = room.build()
    assert result.returncode == 1 and said in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not room.site.exists()


def test_errors_of_several_records_are_reported_together(make_room: Callable[..., Room]) -> None:
    room = make_room()
    room.add_deal("acme-bridge-2024", SECOND_DEAL.replace("status: draft", "status: sold"))
    room.edit("aggregate_price: 280000", "aggregate_price: 280001")
    result = room.build()
    assert "acme-bridge-2024/deal.yml:2:9: status:" in result.stderr
    line = line_of("aggregate_price: 280000")
    assert f"{EXAMPLE_SLUG}/deal.yml:{line}:20: shares.aggregate_price:" in result.stderr


def test_the_leak_guard_reads_the_search_index_the_offline_plugin_writes(
        make_room: Callable[..., Room]) -> None:
    room = make_room()
    config = room.path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - dealroom:\n",
                                                                 "  - offline\n  - dealroom:\n"))
    (room.path / "content" / "pages" / "memo.md").write_text("---\ntitle: Wire to 1233932118\n---\n\nMemo.\n")
    result = room.build()
    assert result.returncode == 1
    assert "search/search_index.js: raw account number" in result.stderr
    assert all(no_raw_number(text) for text in site_text(room.site).values())


def test_an_empty_banner_option_removes_the_banner(make_room: Callable[..., Room]) -> None:
    room = make_room("      banner: ''\n")
    assert room.build().returncode == 0
    assert "dealroom-banner" not in (room.site / "index.html").read_text()


def test_the_banner_text_is_an_option_shown_escaped(make_room: Callable[..., Room]) -> None:
    room = make_room("      banner: Strictly <private>\n")
    assert room.build().returncode == 0
    assert '<p class="dealroom-banner" role="note">Strictly &lt;private&gt;</p>' in \
        (room.site / "index.html").read_text()


def test_every_generated_file_is_written_where_mkdocs_writes_a_file_of_its_name(
        make_room: Callable[..., Room]) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, get_files

    room = make_room()
    room.add_deal("acme-fund-iv", SECOND_DEAL)
    config = load_config(config_file=str(room.path / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    files = config.plugins.on_files(get_files(config), config=config)
    generated = [file for file in files if file.generated_by is not None]
    assert len([file for file in generated if file.is_documentation_page()]) > 16
    assert len([file for file in generated if not file.is_documentation_page()]) > 4
    for file in generated:
        plain = File(file.src_uri, src_dir=None, dest_dir=config.site_dir, use_directory_urls=True)
        assert (file.dest_uri, file.url) == (plain.dest_uri, plain.url)
