"""The mask and the guard read text as a reader sees it (issue: "The guard reads what a reader sees").

One real build of the example room with a hand-written page per trick, a theme override and a
deal note. Each page either shows the masked number (the mask read it as a reader does) or was
removed and named in the build's error (the guard did); no raw number is left in `site/`, in
any form, nor printed in the build's output.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from conftest import EXAMPLE_DEAL, EXAMPLE_SLUG, ROOT, Room, mkdocs

FBO = "066-198038"  # instructions[company-wire].fbo_account_number, masked •••••8038
DWAC = "1233932118"  # instructions[purchaser-dwac].account_number, masked ••••••2118

# Pages the mask must mask: the number as a reader sees it, however it is written.
MASKED_PAGES = {
    "padded": "Wired to 1233    932118 as agreed.",  # pasted with runs of spaces
    "wrapped": "Wired to 066\n    198038 as agreed.",  # a line break and indentation
    "wide-gaps": "Wired to 066 -- 198 -- 038 as agreed.",
    "entities": "Wired to 066&nbsp;&nbsp;&nbsp;&nbsp;198038 as agreed.",
    "invisible": "Wired to 066\u034f198\ufe0f038 as agreed.",  # combining grapheme joiner, variation selector
    "lookalikes": "Wired to O66-l98-O38 as agreed.",
    "cjk": "Wired to 〇六六一九八〇三八 as agreed.",
    "circled": "Wired to ⓪⑥⑥①⑨⑧⓪③⑧ as agreed.",
    "full-width": "Wired to ０６６－１９８０３８ as agreed.",
    "no-leading-zero": "Wired to 66198038 as agreed.",
    "reversed": "Wired to \u202e830891-660\u202c as agreed.",  # right-to-left override
    "bdo": "Wired to <bdo dir=\"rtl\">830891-660</bdo> as agreed.",
    "comment": "Wired to 066<!-- > -->198038 as agreed.",  # no letter between: one number
    "groups-right-to-left": 'Wired to <span dir="rtl">038 198 066</span> as agreed.',
}
# Pages only the guard can judge: raw HTML and CSS the mask does not interpret.
REFUSED_PAGES = {
    "hidden": "Wired to 066<span hidden>4</span>198038 as agreed.",
    "script": "Wired to 066<script>var x = 4;</script>198038 as agreed.",
    "css-content": '<style>.acct::before { content: "066" }</style>'
                   'Wired to <span class="acct">198038</span>.',
    "css-escaped-content": '<style>.acct::after { content: "\\31 98038" }</style>'
                           'Wired to <span class="acct">066</span>.',
}
PARTIAL_NOTE = "The account begins 066-19."
PARTIAL_SLUG = "second-deal"
THEME_OVERRIDE = ('{% extends "main.html" %}{% block content %}<p>Old account No. 4455 6677 88</p>'
                  '{% endblock %}')


@pytest.fixture(scope="module")
def tricked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Room, subprocess.CompletedProcess[str]]:
    room = Room(tmp_path_factory.mktemp("reader") / "room")
    pages = room.path / "content" / "pages"
    pages.mkdir(parents=True)
    shutil.copytree(ROOT / "site_overrides", room.path / "site_overrides")
    shutil.copytree(EXAMPLE_DEAL, room.deals / EXAMPLE_SLUG)
    shutil.copy(ROOT / "content" / "deals" / ".dealroom", room.deals)
    shutil.copy(ROOT / "mkdocs.yml", room.path / "mkdocs.yml")
    for name, text in {**MASKED_PAGES, **REFUSED_PAGES}.items():
        (pages / f"{name}.md").write_text(f"# {name}\n\n{text}\n", encoding="utf-8")
    (room.path / "site_overrides" / "404.html").write_text(THEME_OVERRIDE, encoding="utf-8")
    # A second deal paying to the same accounts, whose note gives away hidden digits.
    shutil.copytree(EXAMPLE_DEAL, room.deals / PARTIAL_SLUG)
    room.edit("    fbo_account_number: 066-198038\n",
              f"    fbo_account_number: 066-198038\n    notes: {PARTIAL_NOTE}\n", PARTIAL_SLUG)
    # Pasted from the agreement into a YAML block: the number wraps across lines.
    room.edit("    account_number: 1233932118\n",
              "    account_number: 1233932118\n"
              "    notes: |\n      Credit account 1233\n        932118 only.\n")
    # A file MkDocs copies as it is: the number spread over CSV columns.
    (pages / "columns.csv").write_text('bank,part 1,part 2,part 3\nChase,"066","198","038"\n')
    return room, mkdocs("build", cwd=room.path)


def _shown(html: str) -> str:
    """What a reader sees of a page, roughly: tags dropped, white space collapsed, NFKC."""
    text = re.sub(r"<[^>]*>", "", html)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")  # bidi controls
    return unicodedata.normalize("NFKC", re.sub(r"\s+", " ", text))


@pytest.mark.parametrize("name", sorted(MASKED_PAGES))
def test_the_mask_reads_the_number_as_a_reader_does(tricked: tuple[Room, subprocess.CompletedProcess[str]],
                                                     name: str) -> None:
    room, _ = tricked
    page = (room.site / name / "index.html").read_text(encoding="utf-8")
    shown = _shown(page)
    assert "Wired to" in shown and "as agreed." in shown
    assert re.search(r"Wired to •{4,}(8038|2118)? as agreed", shown), shown[-400:]


@pytest.mark.parametrize("name", sorted(REFUSED_PAGES))
def test_the_guard_refuses_a_number_only_a_browser_puts_together(
        tricked: tuple[Room, subprocess.CompletedProcess[str]], name: str) -> None:
    room, result = tricked
    assert result.returncode == 1
    assert not (room.site / name / "index.html").exists()
    assert f"site/{name}/index.html: " in result.stderr


def test_a_number_wrapped_in_a_yaml_block_is_masked(
        tricked: tuple[Room, subprocess.CompletedProcess[str]]) -> None:
    room, _ = tricked
    assert "Credit account ••••••2118 only." in _shown(room.page("instructions"))


def test_a_number_spread_over_csv_columns_is_refused(
        tricked: tuple[Room, subprocess.CompletedProcess[str]]) -> None:
    room, result = tricked
    assert not (room.site / "columns.csv").exists()
    assert "site/columns.csv: raw account number from deal" in result.stderr


def test_five_hidden_digits_beside_the_masked_number_fail_the_build(
        tricked: tuple[Room, subprocess.CompletedProcess[str]]) -> None:
    room, result = tricked
    assert not (room.site / "deals" / PARTIAL_SLUG / "instructions" / "index.html").exists()
    assert f"site/deals/{PARTIAL_SLUG}/instructions/index.html: raw account number from deal " \
        f"'{PARTIAL_SLUG}', field instructions[company-wire].fbo_account_number (5 or more of the " \
        "digits its mask hides)" in result.stderr
    assert (room.site / "deals" / EXAMPLE_SLUG / "instructions" / "index.html").exists()


def test_a_labelled_number_no_record_holds_in_a_theme_override_fails_the_build(
        tricked: tuple[Room, subprocess.CompletedProcess[str]]) -> None:
    room, result = tricked
    assert not (room.site / "404.html").exists()
    assert "site/404.html: a number of 5 digits or more written after an account label" in result.stderr
    assert "4455" not in result.stderr


def test_no_file_left_shows_a_number_in_any_form_and_the_log_prints_none(
        tricked: tuple[Room, subprocess.CompletedProcess[str]]) -> None:
    room, result = tricked
    from dealroom.guard import Guard
    from dealroom.numbers import Secret
    guard = Guard([Secret(FBO, EXAMPLE_SLUG, "fbo"), Secret(DWAC, EXAMPLE_SLUG, "dwac")])
    for path in sorted(p for p in room.site.rglob("*") if p.is_file()):
        assert not guard.found_in(path.relative_to(room.site).as_posix(), path.read_bytes()), path
    output = result.stdout + result.stderr
    assert not guard.found_in("log", output.encode()) and "Traceback" not in output


def test_the_guard_rule_is_not_fooled_by_words_between_digits() -> None:
    from dealroom.guard import Guard
    from dealroom.numbers import Secret
    guard = Guard([Secret(FBO, EXAMPLE_SLUG, "fbo")])
    for clean in ("066 shares at 198,038 dollars", "Oil 066198 Oak 038", "066é198038"):
        assert not guard.found_in("page.html", clean.encode()), clean


def test_the_hidden_digits_count_only_in_the_deals_own_files() -> None:
    from dealroom.guard import Guard
    from dealroom.numbers import Secret, hidden_runs
    secret = Secret(FBO, EXAMPLE_SLUG, "fbo")
    guard = Guard([secret, *hidden_runs([secret], 4)])
    page = b"<p>The account begins 066-19.</p>"
    assert guard.found_in(f"deals/{EXAMPLE_SLUG}/instructions/index.html", page)
    assert not guard.found_in("deals/another-deal/index.html", page)
    assert not guard.found_in("index.html", page)


def test_a_five_digit_account_shows_at_most_two_digits() -> None:
    from dealroom.numbers import mask_number
    assert mask_number("12345", 4) == "•••45"


def test_every_page_names_the_file_never_the_number(
        tricked: tuple[Room, subprocess.CompletedProcess[str]]) -> None:
    _, result = tricked
    for line in result.stderr.splitlines():
        if line.startswith("site/") or "site/" in line:
            assert not re.search(r"066\W*198\W*038|1233\W*932\W*118", line), line


def test_a_record_edit_that_writes_the_number_in_a_path_is_refused(tmp_path: Path) -> None:
    # Wide gaps in a deal's folder name: the folder name is in every URL of the deal.
    room = Room(tmp_path / "room")
    (room.path / "content" / "pages").mkdir(parents=True)
    shutil.copytree(ROOT / "site_overrides", room.path / "site_overrides")
    shutil.copytree(EXAMPLE_DEAL, room.deals / "wire-066----198----038")
    shutil.copy(ROOT / "content" / "deals" / ".dealroom", room.deals)
    shutil.copy(ROOT / "mkdocs.yml", room.path / "mkdocs.yml")
    result = mkdocs("build", cwd=room.path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "folder or file name holds one of the room's account numbers" in result.stderr
    assert "198" not in result.stderr
