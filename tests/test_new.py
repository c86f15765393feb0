"""`dealroom new KIND`: a commented starting record for a kind of deal, valid as written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, Room, value_at, value_paths
from dealroom.cli import STARTERS, starter
from dealroom.loader import load_text

KINDS = ("share-purchase", "note", "loan", "pipe")


def dealroom(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # The console script installed next to this Python: tests the entry point itself.
    command = str(Path(sys.executable).parent / "dealroom")
    return subprocess.run([command, *args], cwd=cwd, capture_output=True, text=True,
                          check=False, timeout=60)


@pytest.fixture
def room(tmp_path: Path) -> Path:
    """A folder with an empty, marked records folder at content/deals."""
    (tmp_path / "content" / "deals").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "deals" / ".dealroom", tmp_path / "content" / "deals")
    return tmp_path


def test_the_four_kinds_of_the_issue_have_a_starter() -> None:
    assert tuple(STARTERS) == KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_a_written_starter_validates_as_written(room: Path, kind: str) -> None:
    written = dealroom("new", kind, "--slug", f"new-{kind}", cwd=room)
    assert written.returncode == 0, written.stderr
    record = room / "content" / "deals" / f"new-{kind}" / "deal.yml"
    assert record.read_text(encoding="utf-8") == starter(kind)
    checked = dealroom("validate", "content/deals", cwd=room)
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "1 deal record(s) valid\n", "")


@pytest.mark.parametrize("kind", KINDS)
def test_a_printed_starter_is_the_record(room: Path, kind: str) -> None:
    printed = dealroom("new", kind, cwd=room)
    assert (printed.returncode, printed.stdout, printed.stderr) == (0, starter(kind), "")
    assert [p.name for p in (room / "content" / "deals").iterdir()] == [".dealroom"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_section_of_a_starter_is_explained_by_a_comment(kind: str) -> None:
    text = starter(kind)
    lines = text.splitlines()
    sections = list(load_text(Path("deal.yml"), text).data)
    for key in sections:
        at = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
        # A comment on the line itself, or a comment block right above it.
        assert "#" in lines[at] or lines[at - 1].startswith("#"), f"{kind}: `{key}` has no comment"


@pytest.mark.parametrize("kind", KINDS)
def test_no_comment_of_a_starter_is_read_as_part_of_a_value(kind: str) -> None:
    data = load_text(Path("deal.yml"), starter(kind)).data
    values = [value_at(data, path) for path in value_paths(data)]
    assert [value for value in values if isinstance(value, str) and "#" in value] == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_starter_leaves_the_users_facts_not_stated(kind: str) -> None:
    data = load_text(Path("deal.yml"), starter(kind)).data
    assert data["agreement"]["date"] == "not stated"
    assert all(party["name"].startswith("Example ") for party in data["parties"])
    # Account and routing numbers are never invented: a placeholder number could be paid.
    for instruction in data["instructions"]:
        assert instruction["aba_number"] == instruction["account_number"] == "not stated"


def test_a_starter_is_never_written_over_a_record(room: Path) -> None:
    record = room / "content" / "deals" / "acme" / "deal.yml"
    record.parent.mkdir()
    record.write_text("name: mine\n", encoding="utf-8")
    result = dealroom("new", "loan", "--slug", "acme", cwd=room)
    assert result.returncode == 1
    assert "already exists; not overwritten" in result.stderr
    assert record.read_text(encoding="utf-8") == "name: mine\n"


def test_a_starter_is_not_written_beside_a_record_of_the_same_id(room: Path) -> None:
    (room / "content" / "deals" / "acme.yml").write_text("name: mine\n", encoding="utf-8")
    result = dealroom("new", "note", "--slug", "acme", cwd=room)
    assert result.returncode == 1 and "acme.yml already exists" in result.stderr
    assert not (room / "content" / "deals" / "acme").exists()


def test_an_unknown_kind_is_a_usage_error_naming_the_kinds(room: Path) -> None:
    result = dealroom("new", "bond", cwd=room)
    assert result.returncode == 2
    assert "unknown kind 'bond'; the kinds are: share-purchase, note, loan, pipe" in result.stderr
    assert result.stdout == ""


def test_no_kind_lists_the_kinds(room: Path) -> None:
    result = dealroom("new", cwd=room)
    assert result.returncode == 0
    assert [line.split()[0] for line in result.stdout.splitlines()[1:]] == list(KINDS)


def test_a_slug_that_is_not_a_deal_id_is_a_usage_error(room: Path) -> None:
    result = dealroom("new", "pipe", "--slug", "Acme Deal", cwd=room)
    assert result.returncode == 2 and "is not a deal id" in result.stderr
    assert [p.name for p in (room / "content" / "deals").iterdir()] == [".dealroom"]


def test_a_folder_that_is_not_marked_as_records_is_refused(tmp_path: Path) -> None:
    result = dealroom("new", "pipe", "--slug", "acme", "--deals", "elsewhere", cwd=tmp_path)
    assert result.returncode == 1 and "the deals folder does not exist" in result.stderr
    assert not (tmp_path / "elsewhere").exists()


def test_the_starters_are_package_data() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^"dealroom\.starters" = \["\*\.yml"\]', pyproject, re.MULTILINE)
    shipped = {p.stem for p in (ROOT / "dealroom" / "starters").glob("*.yml")}
    assert shipped == set(KINDS)


def test_every_starter_builds_into_pages_that_say_what_is_not_stated(
        make_room: Callable[..., Room]) -> None:
    room = make_room(with_example=False)
    for kind in KINDS:
        written = dealroom("new", kind, "--slug", f"example-{kind}", "--deals", str(room.deals),
                           cwd=room.path)
        assert written.returncode == 0, written.stderr
    result = room.build()
    assert result.returncode == 0, result.stderr
    for kind in KINDS:
        assert "not stated" in room.page("terms", f"example-{kind}")
