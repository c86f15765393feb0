"""A representative subset of the corpus through the real `mkdocs build` and `dealroom validate`.

Each bad record must stop the build with exit 1, print its exact problem lines and no
traceback, and leave the previously built site byte for byte as it was.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus_cases import BASE, CASES, Case

from conftest import ROOT, Room, mkdocs

SLUG = "acme-fund-2024"
RECORD = f"content/deals/{SLUG}/deal.yml"
SUBSET = ["yaml_syntax_error", "binary_garbage", "billion_laughs", "duplicate_nested_key",
          "hexadecimal_quantity", "float_that_loses_precision", "impossible_date",
          "unknown_party", "file_above_the_deal_folder", "symbolic_link_out_of_the_content_folder",
          "bidi_override_in_a_name", "structural_and_cross_field_problems_together"]


def snapshot(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built_room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    """A room of the corpus's base deal, built once; each test breaks its record and restores it."""
    room = Room(tmp_path_factory.mktemp("corpus") / "room")
    (room.path / "content" / "pages").mkdir(parents=True)
    shutil.copytree(ROOT / "site_overrides", room.path / "site_overrides")
    shutil.copy(ROOT / "mkdocs.yml", room.path)
    shutil.copytree(BASE.parent, room.deals / SLUG)
    shutil.copy(ROOT / "content" / "deals" / ".dealroom", room.deals)  # the records folder's marker
    result = room.build()
    assert result.returncode == 0, result.stderr
    yield room


@pytest.fixture
def broken(built_room: Room, request: pytest.FixtureRequest) -> Iterator[tuple[Room, Case]]:
    case = next(c for c in CASES if c.name == request.param)
    folder = built_room.deals / SLUG
    saved = folder.parent.parent / "saved"
    shutil.copytree(folder, saved)
    (folder / "deal.yml").write_bytes(case.text())
    if case.setup:
        case.setup(folder)
    yield built_room, case
    shutil.rmtree(folder)
    saved.rename(folder)
    outside = built_room.path / "content" / "secret.txt"
    outside.unlink(missing_ok=True)


def expected_lines(case: Case) -> list[str]:
    return [f"{RECORD}:{error}" for error in case.errors]


def problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(RECORD)]


@pytest.mark.parametrize("broken", SUBSET, indirect=True)
def test_mkdocs_build_stops_on_the_bad_record_and_keeps_the_previous_site(
        broken: tuple[Room, Case]) -> None:
    room, case = broken
    before = snapshot(room.site)
    result = room.build()
    assert result.returncode == 1
    lines = problem_lines(result.stderr)
    assert len(lines) == len(case.errors), result.stderr
    for line, expected in zip(lines, expected_lines(case), strict=True):
        assert line.startswith(expected)
    assert "Traceback" not in result.stderr
    assert snapshot(room.site) == before


@pytest.mark.parametrize("broken", SUBSET[::3], indirect=True)
def test_dealroom_validate_prints_the_same_problems_and_exits_1(broken: tuple[Room, Case]) -> None:
    room, case = broken
    command = str(Path(sys.executable).parent / "dealroom")
    result = subprocess.run([command, "validate", "content/deals"], cwd=room.path,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    lines = problem_lines(result.stderr)
    assert len(lines) == len(case.errors)
    for line, expected in zip(lines, expected_lines(case), strict=True):
        assert line.startswith(expected)
    assert result.stderr.splitlines()[-1] == f"{len(case.errors)} problem(s) found"
    assert "Traceback" not in result.stderr


def test_several_broken_files_fail_one_build_with_all_their_problems(built_room: Room) -> None:
    for slug, text in [("b-syntax", b"name: [\n"), ("c-binary", b"\xff\xfe\x00")]:
        (built_room.deals / slug).mkdir()
        (built_room.deals / slug / "deal.yml").write_bytes(text)
    try:
        result = mkdocs("build", "--strict", cwd=built_room.path)
    finally:
        for slug in ("b-syntax", "c-binary"):
            shutil.rmtree(built_room.deals / slug)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "dealroom: 2 problem(s) in deal records:" in result.stderr
    assert "content/deals/b-syntax/deal.yml:2:1: <record>: YAML syntax error" in result.stderr
    assert "content/deals/c-binary/deal.yml:1:1: <record>: the file is not valid UTF-8" in result.stderr


def test_dealroom_validate_names_a_path_that_does_not_exist(tmp_path: Path) -> None:
    command = str(Path(sys.executable).parent / "dealroom")
    result = subprocess.run([command, "validate", "no-such-deal.yml"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert result.stderr == ("no-such-deal.yml:1:1: <record>: no such file or folder (fix: give a "
                             "deals folder or one record file)\n1 problem(s) found\n")
