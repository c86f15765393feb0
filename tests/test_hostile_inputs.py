"""Hostile inputs end in a clear error or a correct build, never a traceback or a raw number.

An account number in an attached file's name, in an id or in a deal's folder name, however
it is written (`066198038`, `066-198038`, `066    198038`, `066 -- 198 -- 038`), and a loop of
symbolic links as a record, a deal's folder, the deals folder or an attachment: each stops
`mkdocs build` with `file:line:column: field: message (fix: ...)` before MkDocs touches the
previous site, and `dealroom validate` with the same problem. A property test then feeds the
pipeline the example record with its ids, names, notes and file names replaced by generated
hostile text: the room validates and builds with no raw number in it, or is refused with
one-line problems that print no raw number.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from gitrepo import run_git
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE_DEAL, EXAMPLE_SLUG, RAW_ACCOUNT_NUMBERS, ROOT, Room, no_raw_number
from dealroom.errors import RecordError
from dealroom.pipeline import build_in_memory
from dealroom.render import Renderer

RECORD = f"content/deals/{EXAMPLE_SLUG}/deal.yml"
NUMBER_IN_NAME = ("the file's name holds one of the room's account numbers, and would publish it "
                  "in the file's link and address (fix: rename the file without the number, and "
                  "write its new name here)")
NUMBER_IN_ID = ("the id holds one of the room's account numbers, and would publish it in the deal's "
                "links and anchors (fix: choose an id without the number, and write it where the "
                "entry is named)")
NUMBER_IN_FOLDER = ("<record>: the deal's folder or file name holds one of the room's account "
                    "numbers, and would publish it in every URL of the deal (fix: rename it)")
LINK_LOOP = ("<record>: the record is a loop of symbolic links: it leads back to itself, never to "
             "a file (fix: replace the link with the record file itself)")


# --- real builds ---------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def built_room(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example deal's room with its site built once: each test copies both."""
    room = Room(tmp_path_factory.mktemp("hostile") / "room")
    (room.path / "content" / "pages").mkdir(parents=True)
    shutil.copytree(ROOT / "site_overrides", room.path / "site_overrides")
    shutil.copy(ROOT / "content" / "pages" / "about.md", room.path / "content" / "pages")
    room.deals.mkdir()
    shutil.copy(ROOT / "content" / "deals" / ".dealroom", room.deals)
    shutil.copytree(EXAMPLE_DEAL, room.deals / EXAMPLE_SLUG)
    shutil.copy(ROOT / "mkdocs.yml", room.path / "mkdocs.yml")
    result = room.build()
    assert result.returncode == 0, result.stderr
    return room.path


@pytest.fixture
def room(built_room: Path, tmp_path: Path) -> Room:
    copy = Room(tmp_path / "room")
    shutil.copytree(built_room, copy.path, symlinks=True)
    return copy


def fingerprint(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def dealroom_validate(room: Room) -> subprocess.CompletedProcess[str]:
    command = str(Path(sys.executable).parent / "dealroom")
    return subprocess.run([command, "validate", "content/deals"], cwd=room.path, capture_output=True,
                          text=True, check=False, timeout=60)


def line_of(room: Room, text: str, slug: str = EXAMPLE_SLUG) -> int:
    """The line of the record `text` starts on: where a problem with it is reported."""
    record = room.record(slug).read_text(encoding="utf-8")
    assert text in record
    return record[: record.index(text)].count("\n") + 1


def assert_refused(room: Room, *problems: str) -> None:
    """`mkdocs build` and `dealroom validate` both stop with each problem, whole, on its own
    line; no traceback, no raw account number, and the previous site as it was."""
    before = fingerprint(room.site)
    build = room.build()
    validate = dealroom_validate(room)
    for result in (build, validate):
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        assert "Traceback" not in output
        assert no_raw_number(output), output
        lines = result.stderr.splitlines()
        for problem in problems:
            assert any(line.endswith(problem) for line in lines), (problem, result.stderr)
    assert fingerprint(room.site) == before


def attach(room: Room, name: str) -> str:
    """A second document, the file `name` in the deal's folder; its `file:` line's start."""
    (room.deals / EXAMPLE_SLUG / name).write_text("Statement of account.\n", encoding="utf-8")
    room.edit("    file: agreement.txt\n", f"    file: agreement.txt\n  - id: statement\n"
              f"    title: Bank statement\n    file: {json.dumps(name)}\n")
    return f"    file: {json.dumps(name)}"


@pytest.mark.parametrize("name", ["statement-066198038.csv", "statement-066-198038.csv",
                                  "statement 066    198038.csv", "statement 066 -- 198 -- 038.csv"])
def test_an_attached_file_named_with_an_account_number_is_refused(room: Room, name: str) -> None:
    line = line_of(room, attach(room, name))
    assert_refused(room, f"{RECORD}:{line}:11: documents[1].file: {NUMBER_IN_NAME}")


def test_an_exhibit_file_named_with_an_account_number_is_refused(room: Room) -> None:
    (room.deals / EXAMPLE_SLUG / "wire-1233932118.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    room.edit("    title: Form of Warrant\n", "    title: Form of Warrant\n    file: wire-1233932118.pdf\n")
    line = line_of(room, "    file: wire-1233932118.pdf")
    assert_refused(room, f"{RECORD}:{line}:11: exhibits[0].file: {NUMBER_IN_NAME}")


@pytest.mark.parametrize("obligation_id", ["wire-066198038", "wire-066-198038", "wire-561-04051-19-103"])
def test_an_obligation_id_holding_an_account_number_is_refused(room: Room, obligation_id: str) -> None:
    room.edit("id: wire-purchase-price", f"id: {obligation_id}")
    line = line_of(room, f"  - id: {obligation_id}")
    assert_refused(room, f"{RECORD}:{line}:9: obligations[1].id: {NUMBER_IN_ID}")


def test_an_instruction_id_holding_an_account_number_is_refused(room: Room) -> None:
    room.edit("id: company-wire", "id: wire-066198038")
    room.edit("instruction: company-wire", "instruction: wire-066198038")
    line = line_of(room, "  - id: wire-066198038")
    assert_refused(room, f"{RECORD}:{line}:9: instructions[0].id: {NUMBER_IN_ID}")


def test_an_exhibit_id_holding_an_account_number_is_refused(room: Room) -> None:
    room.edit("  - id: A\n", "  - id: A-313-12878\n")
    room.edit("form_exhibit: A\n", "form_exhibit: A-313-12878\n")
    for _ in range(2):
        room.edit("exhibit: A\n", "exhibit: A-313-12878\n")
    line = line_of(room, "  - id: A-313-12878")
    assert_refused(room, f"{RECORD}:{line}:9: exhibits[0].id: {NUMBER_IN_ID}")


def test_a_party_id_holding_an_account_number_is_refused(room: Room) -> None:
    record = room.record()
    text = record.read_text(encoding="utf-8")
    record.write_text(re.sub(r"(?m)(: )purchaser$", r"\g<1>omicron-1233932118", text), encoding="utf-8")
    line = line_of(room, "  - id: omicron-1233932118")
    assert_refused(room, f"{RECORD}:{line}:9: parties[1].id: {NUMBER_IN_ID}")


def test_an_id_holding_another_deal_s_account_number_is_refused(room: Room) -> None:
    other = ROOT / "content" / "deals" / "cadiz-lc-capital-2020"
    shutil.copytree(other, room.deals / other.name)
    record = room.record(other.name).read_text(encoding="utf-8")
    first_id = re.search(r"(?m)^obligations:\n  - id: (\S+)$", record)
    assert first_id is not None
    room.edit(f"  - id: {first_id[1]}\n", "  - id: fund-1233932118\n", slug=other.name)
    line = line_of(room, "  - id: fund-1233932118", slug=other.name)
    assert_refused(room, f"content/deals/{other.name}/deal.yml:{line}:9: obligations[0].id: {NUMBER_IN_ID}")


def test_an_id_holding_an_account_number_an_earlier_version_held_is_refused(room: Room) -> None:
    (room.path / ".gitignore").write_text("site/\n.cache/\n")
    run_git(room.path, "init", "-q", "-b", "main")
    run_git(room.path, "add", "-A")
    run_git(room.path, "commit", "-q", "-m", "Add the Omicron deal")
    room.edit("fbo_account_number: 066-198038", "fbo_account_number: 077-555123")
    run_git(room.path, "commit", "-q", "-am", "Update wire details")
    room.edit("id: wire-purchase-price", "id: wire-066198038")
    line = line_of(room, "  - id: wire-066198038")
    before = fingerprint(room.site)
    result = room.build()
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert f"{RECORD}:{line}:9: obligations[1].id: {NUMBER_IN_ID}" in result.stderr.splitlines()
    assert no_raw_number(result.stdout + result.stderr)
    assert fingerprint(room.site) == before


@pytest.mark.parametrize("folder", ["omicron-066198038", "omicron-066----198038"])
def test_a_deal_folder_named_with_an_account_number_is_refused(room: Room, folder: str) -> None:
    (room.deals / EXAMPLE_SLUG).rename(room.deals / folder)
    masked = folder.split("066")[0] + "•" * 9  # the number's nine digits, its gaps with them
    assert_refused(room, f"content/deals/{masked}/deal.yml:1:1: {NUMBER_IN_FOLDER}")


@pytest.mark.parametrize("folder", ["omicron 066    198038", "omicron 066 -- 198 -- 038"])
def test_a_deal_folder_name_with_wide_gaps_in_a_number_is_refused_without_printing_it(
        room: Room, folder: str) -> None:
    (room.deals / EXAMPLE_SLUG).rename(room.deals / folder)
    masked = folder.split("066")[0] + "•" * 9
    assert_refused(room, f"content/deals/{masked}/deal.yml:1:1: <record>: the deal's folder or file "
                   f"name '{masked}' is not a valid id (fix: rename it with lowercase letters, "
                   "digits and dashes)")


def test_a_record_that_is_a_link_to_itself_is_refused(room: Room) -> None:
    room.record().unlink()
    room.record().symlink_to("deal.yml")
    assert_refused(room, f"{RECORD}:1:1: {LINK_LOOP}")


def test_two_records_linking_to_each_other_are_refused(room: Room) -> None:
    (room.deals / "a.yml").symlink_to("b.yml")
    (room.deals / "b.yml").symlink_to("a.yml")
    assert_refused(room, f"content/deals/a.yml:1:1: {LINK_LOOP}", f"content/deals/b.yml:1:1: {LINK_LOOP}")


def test_a_deal_folder_that_is_a_link_to_itself_is_refused(room: Room) -> None:
    (room.deals / "loop").symlink_to("loop")
    assert_refused(room, "content/deals/loop:1:1: <record>: this link in the deals folder leads back "
                   "to itself or to nothing, so no deal can be read from it (fix: replace it with "
                   "the deal's folder, or remove it)")


def test_a_deals_folder_that_is_a_link_to_itself_is_refused(room: Room) -> None:
    shutil.rmtree(room.deals)
    room.deals.symlink_to("deals")
    before = fingerprint(room.site)
    build, validate = room.build(), dealroom_validate(room)
    assert build.returncode == validate.returncode == 1
    assert "Traceback" not in build.stdout + build.stderr + validate.stdout + validate.stderr
    assert "content/deals:1:1: <record>: the deals folder is a symbolic link that leads back to " \
           "itself or to nothing (fix: point `deals_dir` at the records folder itself, or mend " \
           "the link)" in build.stderr
    assert "content/deals:1:1: <record>: a symbolic link that leads back to itself or to nothing " \
           "(fix: give the deals folder or the record file itself)" in validate.stderr
    assert fingerprint(room.site) == before


def test_an_attachment_that_is_a_link_to_itself_is_refused(room: Room) -> None:
    (room.deals / EXAMPLE_SLUG / "loop.csv").symlink_to("loop.csv")
    room.edit("    file: agreement.txt\n", "    file: agreement.txt\n  - id: loop\n    title: Loop\n"
              "    file: loop.csv\n")
    line = line_of(room, "    file: loop.csv")
    assert_refused(room, f"{RECORD}:{line}:11: documents[1].file: file 'loop.csv' is a symbolic link "
                   "(fix: copy the file itself into the deal's folder)")


def test_an_attachment_in_a_folder_that_is_a_link_to_itself_is_refused(room: Room) -> None:
    (room.deals / EXAMPLE_SLUG / "scans").symlink_to("scans")
    room.edit("    file: agreement.txt\n", "    file: agreement.txt\n  - id: scan\n    title: Scan\n"
              "    file: scans/statement.csv\n")
    line = line_of(room, "    file: scans/statement.csv")
    assert_refused(room, f"{RECORD}:{line}:11: documents[1].file: file 'scans/statement.csv' cannot "
                   "be read: a folder of its path is a loop of symbolic links (fix: copy the file "
                   "itself into the deal's folder)")


def test_a_note_holding_a_number_with_wide_gaps_builds_masked(room: Room) -> None:
    room.edit("    fbo: Salomon Smith Barney\n", "    fbo: Salomon Smith Barney\n"
              "    notes: Call before wiring to 066    198038 (066 -- 198 -- 038).\n")
    result = room.build()
    assert result.returncode == 0, result.stderr
    assert "Call before wiring to •••••8038 (•••••8038)." in html.unescape(room.page("instructions"))
    assert all(no_raw_number(p.read_text("utf-8", "replace")) for p in room.site.rglob("*") if p.is_file())


# --- generated hostile records, through the plugin's pipeline -----------------------------------

EXAMPLE_TEXT = (EXAMPLE_DEAL / "deal.yml").read_text(encoding="utf-8")
RENDERER = Renderer()
# `file:line:column: field: message`, one line per problem (the editors' and CI's format).
PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: \S.*: \S.*$")

# Between two digits: gaps of a few characters, and wide ones.
narrow_gaps = st.sampled_from(["", "-", " ", ".", "/", "_", " - ", "\u200b", "\u00a0", "\t", "\u2014"])
wide_gaps = st.sampled_from(["    ", " -- ", "-\n  ", " / / ", "\u200b\u200b\u200b\u200b"])


def written(gaps: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One of the example deal's account numbers, as written in it or with other gaps."""
    return st.sampled_from(RAW_ACCOUNT_NUMBERS) | st.builds(
        lambda number, gap: gap.join(ch for ch in number if ch.isdigit()),
        st.sampled_from(RAW_ACCOUNT_NUMBERS), gaps)


# What YAML reads as something other than the text it looks like, or cannot read at all, and
# what a page could take for markup.
yaml_specials = st.sampled_from(["", "~", "null", "no", "on", "0x1F", "1e3", ".inf", "-", "?", ":",
                                 "- a", "[a", "{a: b}", "&a", "*a", "!!python/object/apply:os.system",
                                 "|", ">", "'", '"', "#", "a: b", "@", "`", "%", "\\", "\n", "\r\n",
                                 "\t", "---", "...", "<script>", "](javascript:x)", "{{ 7*7 }}"])
invisible = st.sampled_from(["\u200b", "\u200e", "\u202e", "\u2066", "\ufeff", "\x00", "\x07", "\x1b",
                             "\x85", "\u2028", "\u00ad", "\U000e0041"])
very_long = st.builds(lambda piece, count: piece * count,
                      st.sampled_from(["a", "9", "-", "é", "\u200b", "066198038 "]), st.integers(100, 3000))


def hostile(gaps: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Text made of generated text, numbers, YAML's special values, invisible characters and
    very long runs; and slug-shaped names a clerk might give a wire or a statement."""
    pieces = st.lists(st.one_of(st.text(max_size=12), written(gaps), yaml_specials, invisible,
                                very_long), min_size=1, max_size=4).map("".join)
    named = st.builds(lambda prefix, number, suffix: f"{prefix}{number}{suffix}",
                      st.sampled_from(["", "wire-", "a-", "statement "]), written(gaps),
                      st.sampled_from(["", "-b", ".csv", ".pdf", ".txt"]))
    return pieces | named


names = hostile(narrow_gaps | wide_gaps)  # ids and file names: published as written
texts = hostile(narrow_gaps | wide_gaps)  # names, titles and notes: masked where they hold a number
styles = st.sampled_from(["plain", "double", "single"])


def quoted(value: str, style: str) -> str:
    """`value` as a YAML scalar: written plain (as is, hostile to YAML too), or quoted."""
    if style == "double":
        return json.dumps(value, ensure_ascii=False)
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    return value


# Each field is a regex over the example record: its value (group 1) is replaced, and for an id
# every reference to it too, so a valid id keeps the record valid.
NAME_FIELDS = {
    "party id": r"(?m): (purchaser)$",
    "instruction id": r"(?m): (company-wire)$",
    "obligation id": r"(?m): (wire-purchase-price)$",
    "exhibit id": r"(?m)(?:id|exhibit): (A)$",
    "document file": r"(?m)^    file: (agreement\.txt)$",
}
TEXT_FIELDS = {
    "deal name": r"(?m)^name: (NeoTherapeutics – Omicron Partners securities purchase)$",
    "party name": r"(?m)^    name: (Omicron Partners, L\.P\.)$",
    "notes": r'(?m)^  notes: (The aggregate purchase price is the "Purchase Price"\.)$',
    "provision title": r"(?m)^    - title: (Counterparts)$",
    "bank": r"(?m)^    bank: (Chase Manhattan Bank)$",
}
FIELDS = {**NAME_FIELDS, **TEXT_FIELDS}
replacements = st.builds(
    lambda names, texts: {**names, **texts},
    st.dictionaries(st.sampled_from(sorted(NAME_FIELDS)), st.tuples(names, styles), max_size=2),
    st.dictionaries(st.sampled_from(sorted(TEXT_FIELDS)), st.tuples(texts, styles), max_size=2),
).filter(bool)


def hostile_record(replacements: dict[str, tuple[str, str]]) -> str:
    text = EXAMPLE_TEXT
    for field, (value, style) in replacements.items():
        found = list(re.finditer(FIELDS[field], text))
        assert found, field
        for match in reversed(found):  # from the end: earlier positions stay where they are
            text = text[:match.start(1)] + quoted(value, style) + text[match.end(1):]
    return text


def creatable(name: str) -> bool:
    return name not in ("", ".", "..") and "/" not in name and "\x00" not in name and \
        len(os.fsencode(name)) <= 200


slugs = st.just(EXAMPLE_SLUG) | names.filter(creatable)


def outcome(record: str, slug: str, attached: str | None) -> dict[str, str | bytes] | RecordError:
    """The room's generated files, as the plugin publishes them, or the error that refused it."""
    with tempfile.TemporaryDirectory() as folder:
        deal = Path(folder) / "deals" / slug
        shutil.copytree(EXAMPLE_DEAL, deal)
        (deal / "deal.yml").write_text(record, encoding="utf-8")
        if attached is not None:
            # A name the file system does not take is referenced all the same.
            with contextlib.suppress(OSError, ValueError):
                (deal / attached).write_text("Statement of account.\n", encoding="utf-8")
        try:
            return build_in_memory(deal.parent, renderer=RENDERER)
        except RecordError as error:
            return error


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(replacements=replacements, slug=slugs)
def test_a_hostile_record_is_built_without_a_raw_number_or_refused_without_printing_one(
        replacements: dict[str, tuple[str, str]], slug: str) -> None:
    attached = replacements.get("document file", (None, ""))[0]
    result = outcome(hostile_record(replacements), slug, attached)
    if isinstance(result, RecordError):
        message = str(result)
        assert no_raw_number(message), message
        assert all(PROBLEM_LINE.match(line) for line in message.split("\n")), message
        return
    for path, content in result.items():
        text = content if isinstance(content, str) else content.decode("utf-8", "replace")
        assert no_raw_number(path) and no_raw_number(text) and no_raw_number(html.unescape(text)), path


def test_the_generated_records_start_from_a_valid_room() -> None:
    """The property's base: the example record as it is builds (so a refusal is the edit's)."""
    result = outcome(hostile_record({}), EXAMPLE_SLUG, None)
    assert not isinstance(result, RecordError), result


def test_every_field_the_property_replaces_is_in_the_example_record() -> None:
    for field in FIELDS:
        assert re.search(FIELDS[field], EXAMPLE_TEXT), field



def test_a_field_whose_open_quote_swallows_the_instructions_is_refused_without_printing_them() -> None:
    """A quote left open makes the instructions part of another field's text, which that
    field's problem quotes: the numbers of the account lines it swallowed are hidden too."""
    record = (EXAMPLE_DEAL / "deal.yml").read_text(encoding="utf-8")
    record = record.replace("    form_exhibit: A\n", '    form_exhibit: "\n', 1)
    record = record.replace("\nobligations:", '\n"\nobligations:', 1)
    result = outcome(record, EXAMPLE_SLUG, None)
    assert isinstance(result, RecordError)
    assert "form_exhibit" in str(result) and "fbo_account_number" in str(result)
    assert no_raw_number(str(result)), str(result)
