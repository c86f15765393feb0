"""A records folder is marked, so that a build from any other folder stops instead of publishing
an empty room."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import EXAMPLE_DEAL, ROOT
from dealroom.marker import MARKER_NAME, check_marker


def test_the_example_records_folder_is_marked() -> None:
    assert check_marker(ROOT / "content" / "deals") is None


def test_the_marker_says_what_it_is_for() -> None:
    text = (ROOT / "content" / "deals" / MARKER_NAME).read_text(encoding="utf-8")
    assert "Dealroom deal records" in text and "empty deal room" in text


def test_records_without_the_marker_are_refused_with_where_and_the_fix(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE_DEAL, tmp_path / "deals" / EXAMPLE_DEAL.name)
    problem = check_marker(tmp_path / "deals")
    assert problem is not None
    assert problem.startswith(f"{tmp_path / 'deals' / MARKER_NAME}:1:1: ")
    assert "not marked as deal records" in problem
    assert re.search(r"\(fix: .*add a \.dealroom file.*\)$", problem)


def test_an_empty_folder_is_refused(tmp_path: Path) -> None:
    assert check_marker(tmp_path) is not None


def test_a_folder_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    problem = check_marker(tmp_path / "no-such-folder")
    assert problem is not None and "the deals folder does not exist" in problem


def test_a_folder_named_like_the_marker_is_no_marker(tmp_path: Path) -> None:
    (tmp_path / MARKER_NAME).mkdir()
    assert check_marker(tmp_path) is not None
