"""The README stays true: its YAML reference is the model's, and its examples are valid records."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from conftest import ROOT
from dealroom.errors import RecordError
from dealroom.field_titles import class_title, record_models
from dealroom.loader import load_text
from dealroom.pipeline import check

README = (ROOT / "README.md").read_text(encoding="utf-8")
SCRIPT = ROOT / "scripts" / "reference.py"
COMMAND = ".venv/bin/python scripts/reference.py --write"
# The parts of a financing the README shows by example (issue #11): one `# example:` block each.
EXAMPLES = {"minimal record", "note with a floating rate", "facility with two lenders and tranches",
            "preferred shares with conversion", "commitment shares for no cash",
            "groups and allocations", "closings with relative dates", "due rules",
            "international payment", "exemptions and registration rights", "fees as percent",
            "blanks", "currencies"}


def reference_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("reference", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generated_block(readme: str) -> str:
    return readme.split("<!-- reference:start -->\n")[1].split("<!-- reference:end -->")[0]


def test_readme_reference_is_generated_from_the_model() -> None:
    written, generated = generated_block(README), reference_script().reference()
    if written != generated:
        pairs = zip(written.splitlines(), generated.splitlines(), strict=False)
        line = next((n for n, (a, b) in enumerate(pairs) if a != b),
                    min(len(written.splitlines()), len(generated.splitlines())))
        start = README.splitlines().index("<!-- reference:start -->") + 2
        pytest.fail(f"README.md:{start + line}: the YAML reference differs from dealroom/model.py "
                    f"(fix: run {COMMAND})")


def test_readme_reference_documents_every_field_and_whether_it_is_required() -> None:
    documented: dict[str, dict[str, bool]] = {}
    for section in re.split(r"^#### ", generated_block(README), flags=re.M)[1:]:
        rows = re.findall(r"^\| `(\w+)` \| [^\n]*? \| (required|optional)[^|]* \|", section, re.M)
        documented[section.splitlines()[0]] = {name: kind == "required" for name, kind in rows}
    expected = {class_title(model): {name: info.is_required()
                                     for name, info in model.model_fields.items()}
                for model in record_models()}
    assert documented == expected


def test_reference_check_fails_with_the_command_to_run_and_write_repairs(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(README.replace("| The deal's display name. |", "| Its name. |"), encoding="utf-8")
    run = [sys.executable, str(SCRIPT), "--readme", str(readme)]
    failed = subprocess.run([*run, "--check"], capture_output=True, text=True, check=False)
    assert failed.returncode == 1 and COMMAND in failed.stderr
    assert subprocess.run([*run, "--write"], check=False).returncode == 0
    assert readme.read_text(encoding="utf-8") == README
    assert subprocess.run([*run, "--check"], check=False).returncode == 0


def test_reference_keeps_the_hand_written_text_around_the_markers() -> None:
    script = reference_script()
    readme = "intro\n<!-- reference:start -->\nold\n<!-- reference:end -->\nafter\n"
    assert script.replaced(readme, "new\n") == \
        "intro\n<!-- reference:start -->\nnew\n<!-- reference:end -->\nafter\n"


def test_readme_links_lead_to_its_headings() -> None:
    anchors = {reference_script().anchor(heading)
               for heading in re.findall(r"^#+ (.+)$", re.sub(r"```.*?```", "", README, flags=re.S),
                                         re.M)}
    links = set(re.findall(r"\]\(#([^)]+)\)", README))
    assert links and links <= anchors, links - anchors


def examples() -> dict[str, str]:
    blocks = re.findall(r"^```yaml\n# example: ([^\n]+)\n(.*?)^```", README, re.S | re.M)
    return {name: text for name, text in blocks}


def test_readme_has_an_example_for_each_part_of_a_financing() -> None:
    assert set(examples()) == EXAMPLES


def in_minimal_record(fragment: str) -> dict[str, Any]:
    """The README's minimal record with `fragment`'s fields: its lists added to the record's."""
    record: dict[str, Any] = load_text(Path("minimal.yml"), examples()["minimal record"]).data
    for key, value in load_text(Path("fragment.yml"), fragment).data.items():
        record[key] = record[key] + value if isinstance(value, list) and key in record else value
    return record


@pytest.mark.parametrize("name", sorted(EXAMPLES - {"minimal record"}))
def test_readme_example_is_a_valid_record_fragment(name: str, tmp_path: Path) -> None:
    file = tmp_path / "deals" / "example" / "deal.yml"
    file.parent.mkdir(parents=True)
    file.write_text(yaml.safe_dump(in_minimal_record(examples()[name]), sort_keys=False,
                                   allow_unicode=True), encoding="utf-8")
    try:
        check(file)
    except RecordError as error:
        line = README[:README.index(f"# example: {name}\n")].count("\n") + 1
        pytest.fail(f"README.md:{line}: example {name!r} is not valid in the minimal record:\n{error}")


def test_readme_minimal_record_is_valid_alone(tmp_path: Path) -> None:
    file = tmp_path / "deals" / "example" / "deal.yml"
    file.parent.mkdir(parents=True)
    file.write_text(examples()["minimal record"], encoding="utf-8")
    assert len(check(file)) == 1


def test_readme_gives_the_two_commands() -> None:
    assert "mkdocs serve --livereload" in README and "bash scripts/test" in README
    assert "bash scripts/test" in (ROOT / ".ci" / "run").read_text()


def test_readme_images_exist() -> None:
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (ROOT / image).is_file(), image
