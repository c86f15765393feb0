"""The leak guard: a raw account number never reaches the built site, whatever the channel.

Masking covers what the plugin renders; the guard covers everything else MkDocs writes. Each
channel is tested with a real build: hand-written files of every kind, a theme override, the
404 page, the sitemap (plain and gzipped), file names, notes and attached documents.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import (
    EXAMPLE_DEAL,
    EXAMPLE_SLUG,
    ROOT,
    Room,
    mkdocs,
    no_raw_number,
    site_text,
)
from dealroom.guard import Guard
from dealroom.numbers import Secret

FBO = "instructions[company-wire].fbo_account_number"  # 066-198038
FURTHER = "instructions[company-wire].further_credit_account_number"  # 561-04051-19-103
ACCOUNT = "instructions[purchaser-dwac].account_number"  # 1233932118
DWAC_FBO = "instructions[purchaser-dwac].fbo_account_number"  # 313-12878
SECRETS = [Secret("066-198038", "d", FBO), Secret("GB29 NWBK 6016 1331 9268 19", "d", "iban")]


@pytest.mark.parametrize("written", [
    "066198038", "066 198 038", "066-198-038", "066.198.038", "0 6 6 1 9 8 0 3 8", "066/198038",
    "A/C066198038", r"\u0030\u0036\u0036198038", "&#48;&#x36;6198038", "%30%366-198038",
    "<b>066</b><i>198</i>038", "066&nbsp;198&nbsp;038", "０６６１９８０３８", "066\u200b198038",
    "gb29nwbk60161331926819", "GB29 NWBK 6016 1331 9268 19",
    # gaps of any length, as a browser collapses them: padding, wide separators, entities
    "066  -  198038", "066 -- 198 -- 038", "066\n        198038", "066&nbsp;&nbsp;&nbsp;&nbsp;198038",
    "066,,,,198038", "066\u034f198038", "066\ufe0f198\ufe0e038",
    # digits as a reader reads them: look-alike letters, numerals, circled digits
    "O66-l98-O38", "〇六六一九八〇三八", "⓪⑥⑥①⑨⑧⓪③⑧", "GB29 NWBK 6O16 l33l 9268 l9",
    "066-19\u2787038", "\u24ff\u2785\u2785-\u2780\u2788\u2787\u24ff\u2782\u2787",  # dingbat numerals
    "\u3007\u3026\u3026-\u3021\u3029\u3028\u3007\u3023\u3028",  # Suzhou numerals
    # markup a browser does not show between the digits
    "066<!-- > -->198038", "066<span hidden>999</span>198038", "066<script>x=1</script>198038",
    # right to left: the reader sees the digits reversed, or the groups reordered
    "\u202e830891-660", "<bdo dir=rtl>830891660</bdo>", '<p dir="rtl">038 198 066</p>',
    '<p dir="&#114;tl">038 198 066</p>', '<p style="direction: \\72 tl">038 198 066</p>',
    '<p style="direction: r\\tl">038 198 066</p>',
    '<p style="display: flex; flex-direction: row-reverse"><b>038</b> <b>198</b> <b>066</b></p>',
    "66198038",  # the number without its leading zero
    "&amp;#48;66198038", "%2530%2536%2536198038",  # escapes of escapes
])
def test_the_guard_finds_a_number_in_any_written_form(written: str) -> None:
    assert list(Guard(SECRETS).find(f"<p>Pay to {written} today</p>"))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_page_with_a_utf16_byte_order_mark_is_read_as_utf16(encoding: str) -> None:
    """A browser reads a page by its byte-order mark, whatever its `<meta charset>` says."""
    page = '<meta charset="utf-8"><p>Pay to &#48;66<span hidden>9</span>198038</p>'
    mark = "\ufeff".encode(encoding)
    assert Guard(SECRETS).read("wire/index.html", mark + page.encode(encoding)).secrets


@pytest.mark.parametrize("page", ['<ol start="066198037"><li>a</li><li>b</li></ol>',
                                  "<ol><li value='1233932118'>a</li></ol>", "<OL/START=066198037>"])
def test_a_list_numbered_from_a_long_number_is_not_published(page: str) -> None:
    """A list marker is a number a reader sees that no view of the text holds."""
    assert not Guard(SECRETS).read("wire/index.html", page.encode()).clean


@pytest.mark.parametrize("page", ['<ol start="3"><li>a</li></ol>', '<input value="12345">',
                                  '<p>Repo rates, non-reverse: 5678 1234</p>'])
def test_short_lists_other_values_and_words_are_read_as_usual(page: str) -> None:
    assert Guard([*SECRETS, Secret("12345678", "e", "account_number")]).read("wire/index.html",
                                                                              page.encode()).clean


@pytest.mark.parametrize("written", ["•••••8038", "06619803", "198038", "066 198 Oak 038", "Oil 66198",
                                     "06619 shares"])
def test_the_guard_ignores_masked_partial_and_other_numbers(written: str) -> None:
    assert not list(Guard(SECRETS[:1]).find(written))


@pytest.fixture(scope="module")
def leaky_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Room, subprocess.CompletedProcess[str]]:
    """One build with a raw number in a text file, JSON, an HTML attribute and URL, and the 404 page."""
    room = Room(tmp_path_factory.mktemp("leaky") / "room")
    pages = room.path / "content" / "pages"
    pages.mkdir(parents=True)
    shutil.copytree(ROOT / "site_overrides", room.path / "site_overrides")
    shutil.copytree(EXAMPLE_DEAL, room.deals / EXAMPLE_SLUG)
    shutil.copy(ROOT / "content" / "deals" / ".dealroom", room.deals)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (room.path / "mkdocs.yml").write_text(config + "  wire: 561.04051.19.103\n", encoding="utf-8")
    (room.path / "site_overrides" / "404.html").write_text(
        '{% extends "main.html" %}{% block content %}<p>{{ config.extra.wire }}</p>{% endblock %}')
    (pages / "wire.txt").write_text("Send to A/C 066.198.038\n")
    (pages / "data.json").write_text('{"acct": "\\u0031\\u0032\\u0033\\u0033932118"}\n')
    (pages / "pay.html").write_text('<a href="https://bank.example/pay?acct=313%2D12878">Pay</a>\n')
    result = mkdocs("build", "--strict", cwd=room.path)
    return room, result


def reported(result: subprocess.CompletedProcess[str], file: str, field: str) -> bool:
    return f"site/{file}: raw account number from deal '{EXAMPLE_SLUG}', field {field}; the file " \
        "was removed" in result.stderr


def test_a_leak_fails_the_build_without_a_traceback(leaky_build: tuple[Room, Any]) -> None:
    _, result = leaky_build
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "dealroom: the leak guard stopped the build" in result.stderr


def test_a_number_in_a_hand_written_text_file_is_caught(leaky_build: tuple[Room, Any]) -> None:
    room, result = leaky_build
    assert reported(result, "wire.txt", FBO) and not (room.site / "wire.txt").exists()


def test_a_number_in_json_escapes_is_caught(leaky_build: tuple[Room, Any]) -> None:
    room, result = leaky_build
    assert reported(result, "data.json", ACCOUNT) and not (room.site / "data.json").exists()


def test_a_number_in_a_url_of_an_attribute_is_caught(leaky_build: tuple[Room, Any]) -> None:
    room, result = leaky_build
    assert reported(result, "pay.html", DWAC_FBO) and not (room.site / "pay.html").exists()


def test_a_number_from_mkdocs_extra_in_the_404_page_is_caught(leaky_build: tuple[Room, Any]) -> None:
    room, result = leaky_build
    assert reported(result, "404.html", FURTHER) and not (room.site / "404.html").exists()


def test_the_guard_never_prints_the_number(leaky_build: tuple[Room, Any]) -> None:
    _, result = leaky_build
    assert no_raw_number(result.stdout + result.stderr)


def test_no_file_left_in_the_site_shows_a_raw_number(leaky_build: tuple[Room, Any]) -> None:
    room, _ = leaky_build
    assert all(no_raw_number(text) for text in site_text(room.site).values())


def test_a_number_in_a_page_name_is_caught_in_the_sitemap_and_not_printed(
        make_room: Callable[..., Room]) -> None:
    room = make_room()
    config = room.path / "mkdocs.yml"  # with a site URL, MkDocs lists every page in the sitemap
    config.write_text("site_url: https://deals.example/\n" + config.read_text(encoding="utf-8"))
    (room.path / "content" / "pages" / "wire-066198038.md").write_text("# Wire\n\nSee the memo.\n")
    result = room.build()
    assert result.returncode == 1
    assert reported(result, "sitemap.xml", FBO) and reported(result, "sitemap.xml.gz", FBO)
    assert "site/wire-•••••••••/index.html: raw account number" in result.stderr
    assert no_raw_number(result.stderr)
    assert not (room.site / "sitemap.xml.gz").exists()


def test_a_number_written_in_a_note_is_masked_on_the_built_page(make_room: Callable[..., Room]) -> None:
    room = make_room()
    room.edit("    further_credit_name: Neotherapeutics, Inc.\n",
              "    further_credit_name: Neotherapeutics, Inc.\n"
              "    notes: Confirm 066 198 038 and 561.04051.19.103 by phone.\n")
    assert room.build().returncode == 0
    assert "Confirm •••••8038 and •••••••••9103 by phone." in room.page("instructions")
    assert all(no_raw_number(text) for text in site_text(room.site).values())


def test_an_attached_markdown_document_is_published_redacted_as_inert_text(
        make_room: Callable[..., Room]) -> None:
    room = make_room()
    folder = room.deals / EXAMPLE_SLUG
    (folder / "memo.md").write_text("# Memo\n\n<script>alert(1)</script>\n\nWire to 066-198038.\n")
    room.edit("documents:\n", "documents:\n  - id: memo\n    title: Memo\n    file: memo.md\n")
    assert room.build().returncode == 0
    published = room.site / "deals" / EXAMPLE_SLUG / "files" / "memo.md.txt"
    assert published.read_text() == "# Memo\n\n<script>alert(1)</script>\n\nWire to •••••8038.\n"
    assert not (room.site / "deals" / EXAMPLE_SLUG / "files" / "memo").exists()  # not a page
    exhibits = room.page("exhibits")
    assert 'href="../files/memo.md.txt"' in exhibits and "<script>alert(1)" not in exhibits
    assert "Wire to •••••8038." in exhibits
    gz = gzip.decompress((room.site / "sitemap.xml.gz").read_bytes()).decode()
    assert "memo" not in gz


def test_an_attached_text_document_is_published_with_every_number_redacted(
        example_site: Path) -> None:
    text = (example_site / "deals" / EXAMPLE_SLUG / "files" / "agreement.txt").read_text()
    assert no_raw_number(text) and "•••••8038" in text


def packed_attachments(folder: Path) -> None:
    """A PDF whose page is a zlib stream, and a Word file (a zip), each quoting a raw number."""
    page = zlib.compress(b"BT /F1 12 Tf (Wire to 066-198038) Tj ET")
    header = f"%PDF-1.4\n1 0 obj <</Length {len(page)} /Filter /FlateDecode>>\nstream\n".encode()
    (folder / "wire.pdf").write_bytes(header + page + b"\nendstream\nendobj\n%%EOF\n")
    with zipfile.ZipFile(folder / "wire.docx", "w", zipfile.ZIP_DEFLATED) as word:
        word.writestr("word/document.xml", "<w:p><w:t>A/C 1233</w:t><w:t>932118</w:t></w:p>")


def test_a_number_inside_a_compressed_pdf_or_word_attachment_is_caught(
        make_room: Callable[..., Room]) -> None:
    room = make_room()
    packed_attachments(room.deals / EXAMPLE_SLUG)
    room.edit("    description: The five-year warrant to purchase up to 200,000 shares of Common Stock.\n",
              "    description: The five-year warrant to purchase up to 200,000 shares of Common Stock.\n"
              "    file: wire.pdf\n")
    room.edit("    description: Regarding the issuance and sale of the Shares and the Warrant.\n",
              "    description: Regarding the issuance and sale of the Shares and the Warrant.\n"
              "    file: wire.docx\n")
    result = room.build()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    files = room.site / "deals" / EXAMPLE_SLUG / "files"
    # This PDF is a bare stream no PDF reader opens: refused as unreadable, with the records.
    assert "file: the leak guard cannot read all of 'wire.pdf'" in result.stderr
    assert not (files / "wire.pdf").exists()
    room.edit("    file: wire.pdf\n", "")
    result = room.build()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert reported(result, f"deals/{EXAMPLE_SLUG}/files/wire.docx", ACCOUNT)
    assert not (files / "wire.docx").exists()


def test_a_number_in_a_deal_name_is_masked_in_the_nav_too(make_room: Callable[..., Room]) -> None:
    room = make_room()
    room.edit("name: NeoTherapeutics – Omicron Partners securities purchase",
              "name: NeoTherapeutics – Omicron wire to 066-198038")
    result = room.build()
    assert result.returncode == 0, result.stderr
    assert "NeoTherapeutics – Omicron wire to •••••8038" in (room.site / "index.html").read_text()
    assert all(no_raw_number(text) for text in site_text(room.site).values())


def test_a_number_in_a_deal_folder_name_is_refused_without_printing_it(
        make_room: Callable[..., Room]) -> None:
    room = make_room()
    (room.deals / EXAMPLE_SLUG).rename(room.deals / "omicron-066198038")
    result = room.build()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert ("content/deals/omicron-•••••••••/deal.yml:1:1: <record>: the deal's folder or file name "
            "holds one of the room's account numbers, and would publish it in every URL of the deal "
            "(fix: rename it)") in result.stderr
    assert no_raw_number(result.stdout + result.stderr)


def test_the_folder_name_check_follows_the_configured_masked_fields(
        make_room: Callable[..., Room]) -> None:
    room = make_room("      mask:\n        fields: [aba_number]\n")
    (room.deals / EXAMPLE_SLUG).rename(room.deals / "omicron-021000021")
    result = room.build()
    assert result.returncode == 1
    assert "content/deals/omicron-•••••••••/deal.yml:1:1: <record>: the deal's folder" in result.stderr


def test_a_page_of_unclosed_markup_is_read_in_one_pass(make_room: Callable[..., Room]) -> None:
    """Hand-written pages of tags, style elements, scripts, comments and hidden elements that
    never close, escaped or quoted angle brackets, two megabytes each: read to their end once,
    not once from each `<`, nor each part again with all those before it (minutes a page)."""
    room = make_room()
    for name, piece in [("lt", "<"), ("style", "<style "), ("script", "<script "), ("comment", "<!"),
                        ("hidden", "<a hidden "), ("words", "hidden display "), ("tag", "<ol start=1 "),
                        ("open-comment", "<!--\n    word text here"), ("lines", "<\n    word text here"),
                        ("escaped", "&lt;a&gt; <b>x</b> &lt;\n    word\n"),
                        ("quoted", '<abbr title="a > b">x</abbr><td>12,000</td>\n    more <b>text</b>\n'),
                        ("items", "<p hidden>x\n"), ("cells", "<td hidden>x\n"), ("data", "data:;x")]:
        body = "<p>content: counter-</p><a " + piece * (2_000_000 // len(piece))
        (room.path / "content" / "pages" / f"{name}.html").write_text(
            f'<meta charset="utf-8"><body>{body}', encoding="utf-8")
    result = mkdocs("build", "--strict", cwd=room.path, timeout=240)
    assert result.returncode == 0, result.stderr
