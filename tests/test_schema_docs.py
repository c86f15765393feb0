"""`dealroom schema` explains every field: an editor's hover shows a title and a description."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    # The console script installed next to this Python: what an editor's user runs.
    command = str(Path(sys.executable).parent / "dealroom")
    result = subprocess.run([command, "schema"], cwd=ROOT, capture_output=True, text=True,
                            check=True, timeout=60)
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def objects(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object schema with properties: the record itself and each part of it."""
    yield "Deal", schema
    yield from schema["$defs"].items()


def test_every_property_has_a_title_and_a_description(schema: dict[str, Any]) -> None:
    lacking = [f"{name}.{field}: {', '.join(key for key in ('title', 'description') if not prop.get(key))}"
               for name, part in objects(schema) for field, prop in part["properties"].items()
               if not (prop.get("title") and prop.get("description"))]
    assert lacking == []


def test_every_part_of_the_record_has_a_title_and_a_description(schema: dict[str, Any]) -> None:
    assert [name for name, part in objects(schema)
            if not (part.get("title") and part.get("description"))] == []


def test_titles_write_acronyms_as_such(schema: dict[str, Any]) -> None:
    instruction = schema["$defs"]["Instruction"]["properties"]
    titles = {field: instruction[field]["title"] for field in
              ("aba_number", "bic", "iban", "dtc_number", "fbo_account_number", "id")}
    assert titles == {"aba_number": "ABA number", "bic": "BIC", "iban": "IBAN",
                      "dtc_number": "DTC number", "fbo_account_number": "FBO account number",
                      "id": "ID"}
    assert schema["$defs"]["Registration"]["properties"]["file_number"]["title"] == "SEC file number"
    assert schema["$defs"]["SafeInstrument"]["title"] == "SAFE instrument"


def test_titles_are_distinct_within_each_part(schema: dict[str, Any]) -> None:
    for name, part in objects(schema):
        titles = [prop["title"] for prop in part["properties"].values()]
        assert len(titles) == len(set(titles)), name


def test_a_field_holding_a_part_keeps_its_reference_and_gains_a_description(
        schema: dict[str, Any]) -> None:
    agreement = schema["properties"]["agreement"]
    assert agreement["$ref"] == "#/$defs/Agreement"
    assert agreement["title"] == "Agreement" and agreement["description"]
