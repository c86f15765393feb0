"""`dealroom diff`: the masked field changes between two commits, from the shell and in git."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import Repo, run_git

from conftest import RAW_ACCOUNT_NUMBERS, digits_pattern

SLUG = "neo"
COMMAND = str(Path(sys.executable).parent / "dealroom")  # the installed console script


def dealroom(repo: Repo, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([COMMAND, *args], cwd=repo.path, capture_output=True, text=True,
                          check=False, timeout=60)


def assert_no_raw_number(text: str, *more: str) -> None:
    for number in (*RAW_ACCOUNT_NUMBERS, *more):
        assert not digits_pattern(number).search(text), number


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "room")
    repo.write(SLUG)
    repo.commit("Add the Omicron deal")
    return repo


def test_diff_exits_0_and_lists_the_changed_fields_when_no_payment_instruction_changed(
        repo: Repo) -> None:
    repo.edit(SLUG, "fax: 212-508-7028", "fax: 212-508-0000")
    repo.commit("New fax", date="2024-02-01T10:00:00+00:00")
    result = dealroom(repo, "diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "content/deals/neo/deal.yml: changed (1 field)",
        "  parties[purchaser].notices.fax: 212-508-7028 -> 212-508-0000",
        "1 record(s) differ"]


def test_diff_exits_3_when_a_payment_instruction_changed_and_shows_it_masked(repo: Repo) -> None:
    repo.edit(SLUG, "066-198038", "066-777777")
    repo.commit("New account", date="2024-02-01T10:00:00+00:00")
    result = dealroom(repo, "diff", "HEAD~1", "HEAD")
    assert result.returncode == 3, result.stderr
    assert "  instructions[company-wire].fbo_account_number: •••••8038 -> •••••7777  [payment]" \
        in result.stdout.splitlines()
    assert_no_raw_number(result.stdout + result.stderr, "066-777777")


def test_diff_against_the_working_tree_includes_new_records(repo: Repo) -> None:
    repo.edit(SLUG, "fax: 212-508-7028", "fax: 212-508-0000")
    repo.write("second")
    result = dealroom(repo, "diff", "HEAD")
    assert result.returncode == 3  # the new record brings two instructions
    assert result.stdout.splitlines()[:3] == [
        "content/deals/neo/deal.yml: changed (1 field)",
        "  parties[purchaser].notices.fax: 212-508-7028 -> 212-508-0000",
        "content/deals/second/deal.yml: added: NeoTherapeutics – Omicron Partners securities "
        "purchase (15 fields), 2 instructions  [payment]"]


def test_diff_names_an_unknown_revision_in_one_line(repo: Repo) -> None:
    result = dealroom(repo, "diff", "no-such-branch")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "dealroom diff: unknown revision 'no-such-branch'\n"


def test_textconv_prints_one_masked_line_per_field(repo: Repo) -> None:
    result = dealroom(repo, "diff", "--textconv", str(repo.record(SLUG)))
    lines = result.stdout.splitlines()
    assert result.returncode == 0
    assert "instructions[company-wire].fbo_account_number: •••••8038" in lines
    assert "parties[purchaser].notices.address[0]: 153 East 53rd Street, 48th Floor" in lines
    assert_no_raw_number(result.stdout)


def test_git_diff_shows_masked_field_changes_through_textconv(repo: Repo) -> None:
    (repo.path / ".gitattributes").write_text("deal.yml diff=dealroom\n")
    run_git(repo.path, "config", "diff.dealroom.textconv", f"{COMMAND} diff --textconv")
    repo.edit(SLUG, "066-198038", "066-777777")
    result = run_git(repo.path, "diff", "--", "content/deals")
    changed = [line for line in result.splitlines() if line[:1] in "+-" and line[1:2] not in "+-"]
    assert changed == ["-instructions[company-wire].fbo_account_number: •••••8038",
                       "+instructions[company-wire].fbo_account_number: •••••7777"]
    assert_no_raw_number(result, "066-777777")
