"""Messages and command output mask every number of the room: another record's, and every
number an earlier version held (git), wherever a message may quote one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import Repo, run_git

from conftest import EXAMPLE_DEAL, digits_pattern

COMMAND = str(Path(sys.executable).parent / "dealroom")
NEO_FBO = "066-198038"  # the example deal's FBO account
QUOTED = "Funds previously routed via 066-198038 per the side letter."


def dealroom(repo: Repo | Path, *args: str) -> subprocess.CompletedProcess[str]:
    cwd = repo.path if isinstance(repo, Repo) else repo
    return subprocess.run([COMMAND, *args], cwd=cwd, capture_output=True, text=True, check=False,
                          timeout=120)


def shows(text: str, number: str) -> bool:
    return digits_pattern(number).search(text) is not None


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "room")
    repo.write("neo")
    shutil.copy(EXAMPLE_DEAL / "agreement.txt", repo.deals / "neo")
    shutil.copy(EXAMPLE_DEAL.parent / ".dealroom", repo.deals)
    repo.commit("Add the Omicron deal")
    return repo


def test_a_refused_record_quoting_a_number_only_an_earlier_version_held_is_masked(repo: Repo) -> None:
    repo.edit("neo", NEO_FBO, "066-777123")
    repo.commit("New FBO account")
    repo.edit("neo", "currency: USD", 'currency: "066198038"')
    result = dealroom(repo, "validate", "content/deals")
    assert result.returncode == 1 and "currency" in result.stderr
    assert not shows(result.stderr, NEO_FBO), result.stderr


def test_one_record_validated_alone_masks_the_numbers_of_the_others(repo: Repo) -> None:
    repo.write("other", repo.record("neo").read_text(encoding="utf-8")
               .replace(NEO_FBO, "066-555444").replace("currency: USD", 'currency: "066198038"'))
    shutil.copy(EXAMPLE_DEAL / "agreement.txt", repo.deals / "other")
    result = dealroom(repo, "validate", "content/deals/other/deal.yml")
    assert result.returncode == 1 and "currency" in result.stderr
    assert not shows(result.stderr, NEO_FBO), result.stderr


def quoting_other(repo: Repo) -> None:
    text = repo.record("neo").read_text(encoding="utf-8").replace(NEO_FBO, "066-555444")
    repo.write("other", text)
    repo.commit("Add a second deal")
    repo.edit("other", 'notes: The aggregate purchase price is the "Purchase Price".', f"notes: {QUOTED}")


def test_textconv_of_one_record_masks_a_number_of_another_record(repo: Repo) -> None:
    quoting_other(repo)
    result = dealroom(repo, "diff", "--textconv", "content/deals/other/deal.yml")
    assert result.returncode == 0 and "Funds previously routed via" in result.stdout
    assert not shows(result.stdout, NEO_FBO), result.stdout


def test_a_diff_in_a_shallow_clone_masks_a_number_of_a_record_that_did_not_change(
        repo: Repo, tmp_path: Path) -> None:
    quoting_other(repo)
    repo.commit("Quote the old routing")
    clone = tmp_path / "clone"
    run_git(tmp_path, "clone", "-q", "--depth", "2", f"file://{repo.path}", str(clone))
    result = dealroom(clone, "diff", "HEAD~1", "HEAD")
    assert result.returncode == 0 and "Funds previously routed via" in result.stdout, result.stderr
    assert not shows(result.stdout, NEO_FBO), result.stdout
