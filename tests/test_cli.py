"""The `dealroom` command: the same checks as the build, from the shell."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from conftest import EXAMPLE_DEAL, EXAMPLE_SLUGS, ROOT, Room
from dealroom import __version__
from dealroom.cli import main
from dealroom.loader import load_file


def dealroom(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    # The console script installed next to this Python: tests the entry point itself.
    command = str(Path(sys.executable).parent / "dealroom")
    return subprocess.run([command, *args], cwd=cwd, capture_output=True, text=True,
                          check=False, timeout=60)


def test_validate_passes_on_the_example_room() -> None:
    result = dealroom("validate")
    assert (result.returncode, result.stdout) == (0, f"{len(EXAMPLE_SLUGS)} deal record(s) valid\n")
    assert len(EXAMPLE_SLUGS) == 8


def test_validate_accepts_a_single_record_file() -> None:
    assert dealroom("validate", str(EXAMPLE_DEAL / "deal.yml")).returncode == 0


def test_validate_exits_1_with_one_line_per_problem(make_room: Callable[..., Room]) -> None:
    room = make_room()
    room.edit("status: signed", "status: sold")
    room.edit("date: 2002-06-05", "date: 2002-6-5")
    result = dealroom("validate", "content/deals", cwd=room.path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "2 problem(s) found"
    assert all(line.startswith("content/deals/") for line in lines[:-1])
    assert "Traceback" not in result.stderr


def test_schema_is_json_schema_that_accepts_the_example() -> None:
    result = dealroom("schema")
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(load_file(EXAMPLE_DEAL / "deal.yml").data, schema)


def test_schema_refuses_unknown_fields() -> None:
    schema = json.loads(dealroom("schema").stdout)
    data = load_file(EXAMPLE_DEAL / "deal.yml").data
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "nmae": "typo"}, schema)


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.strip() == f"dealroom {__version__}"


def test_a_bare_call_prints_help_and_succeeds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "validate" in out and "schema" in out and out.startswith("usage: dealroom")
