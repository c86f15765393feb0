"""The README stays true: its YAML reference documents exactly the record format."""

from __future__ import annotations

import re
from typing import Any, get_args

from pydantic import BaseModel

from conftest import ROOT
from dealroom.model import Deal

README = (ROOT / "README.md").read_text(encoding="utf-8")


def model_fields(model: type[BaseModel], prefix: str = "") -> dict[str, bool]:
    """Every field path of the record format (`parties[].notices.fax`) -> required."""
    fields: dict[str, bool] = {}
    for name, info in model.model_fields.items():
        annotation: Any = info.annotation
        candidates = [annotation, *get_args(annotation)]
        candidates += [inner for c in candidates for inner in get_args(c)]
        nested = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)),
                      None)
        is_list = getattr(annotation, "__origin__", None) is list
        path = f"{prefix}{name}{'[]' if is_list and nested else ''}"
        fields[path] = info.is_required()
        if nested:
            fields.update(model_fields(nested, f"{path}."))
    return fields


def documented_fields() -> dict[str, bool]:
    reference = README[README.index("## YAML reference"): README.index("## Configuration")]
    rows = re.findall(r"^\| `([^`]+)` \| (yes)? ?\|", reference, re.M)
    return {path: bool(required) for path, required in rows}


def test_readme_reference_documents_every_field_and_whether_it_is_required() -> None:
    assert documented_fields() == model_fields(Deal)


def test_readme_gives_the_two_commands() -> None:
    assert "mkdocs serve --livereload" in README and "bash scripts/test" in README
    assert "bash scripts/test" in (ROOT / ".ci" / "run").read_text()


def test_readme_images_exist() -> None:
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (ROOT / image).is_file(), image
