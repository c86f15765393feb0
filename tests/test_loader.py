"""Load stage: YAML text becomes plain data without any of YAML's guesses."""

from __future__ import annotations

from pathlib import Path

import pytest

from dealroom.errors import RecordError
from dealroom.loader import load_text

FILE = Path("deal.yml")


def test_unquoted_routing_number_keeps_its_leading_zero() -> None:
    assert load_text(FILE, "aba: 021000021\n").data == {"aba": "021000021"}


def test_norway_and_times_stay_text() -> None:
    data = load_text(FILE, "country: no\ntime: 12:30\nflag: on\n").data
    assert data == {"country": "no", "time": "12:30", "flag": "on"}


def test_money_is_kept_as_written_not_as_a_float() -> None:
    assert load_text(FILE, "price: 0.1000000000000000055511\n").data["price"] == \
        "0.1000000000000000055511"


def test_empty_value_is_none() -> None:
    assert load_text(FILE, "notes:\nother: ''\n").data == {"notes": None, "other": ""}


def test_positions_point_at_each_value() -> None:
    loaded = load_text(FILE, "name: x\nparties:\n  - id: a\n    name: B\n")
    assert loaded.positions[("parties", 0, "name")] == (4, 11)
    assert loaded.position(("parties", 0, "missing")) == (3, 5)


@pytest.mark.parametrize("tail", ["", "notes: 'a\tb'\n"], ids=["libyaml", "pure-python"])
def test_key_positions_point_at_each_key(tail: str) -> None:
    # A tab in a value sends the text to PyYAML's own parser: both parsers give the same columns.
    loaded = load_text(FILE, "name: x\nparties:\n  - id: a\n    name:   B\n" + tail)
    assert loaded.keys[("parties", 0, "name")] == (4, 5)
    assert loaded.key_position(("parties", 0, "name")) == (4, 5)
    assert loaded.positions[("parties", 0, "name")] == (4, 13)


def test_duplicate_keys_are_refused_naming_both_lines() -> None:
    with pytest.raises(RecordError) as error:
        load_text(FILE, "name: a\nstatus: signed\nname: b\n")
    assert str(error.value) == ("deal.yml:3:1: name: duplicate key 'name' (first written on "
                                "line 1); YAML would silently keep only the last one (fix: remove "
                                "one of the two, or merge them)")


def test_anchors_are_refused() -> None:
    with pytest.raises(RecordError, match="anchors"):
        load_text(FILE, "a: &x 1\nb: 2\n")


def test_aliases_are_refused() -> None:
    with pytest.raises(RecordError, match="aliases"):
        load_text(FILE, "a: 1\nb: *x\n")


def test_explicit_tags_are_refused() -> None:
    with pytest.raises(RecordError, match="tag"):
        load_text(FILE, "a: !!python/object:os.system echo\n")


def test_syntax_error_gives_line_and_hint() -> None:
    with pytest.raises(RecordError) as error:
        load_text(FILE, "name: a\n  bad: [\n")
    problem = error.value.problems[0]
    assert (problem.file, problem.line) == (FILE, 2) and "YAML syntax error" in problem.message


def test_empty_record_is_refused() -> None:
    with pytest.raises(RecordError, match="the record is empty"):
        load_text(FILE, "# only a comment\n")


def test_lists_nested_thousands_deep_are_an_error_not_a_crash() -> None:
    with pytest.raises(RecordError, match="nests lists or mappings too deeply"):
        load_text(Path("deal.yml"), "name: " + "[" * 5000 + "]" * 5000 + "\n")


def test_an_escape_past_the_last_unicode_character_is_an_error_at_its_place_not_a_crash() -> None:
    with pytest.raises(RecordError) as error:
        load_text(Path("deal.yml"), 'name: x\nnotes: "ab\\U00110000"\n')
    [problem] = error.value.problems
    assert (problem.line, problem.column) == (2, 11) and "past U+10FFFF" in problem.message
