"""Properties over generated records: validation fails only with `RecordError`, and a rendered
room never shows a raw account number or markup from the data.

Rendering goes through the plugin's own pipeline (`build_in_memory`) and Python-Markdown with
the room's extensions, the same conversion MkDocs makes, so hundreds of records take seconds.
"""

from __future__ import annotations

import copy
import html
import shutil
import tempfile
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, value_paths, with_value
from dealroom.derive import derive
from dealroom.errors import RecordError
from dealroom.guard import Guard
from dealroom.loader import Loaded, load_file, load_text
from dealroom.numbers import Secret
from dealroom.pipeline import build_in_memory
from dealroom.validate import validate

BASE = ROOT / "tests" / "corpus" / "base" / "deal.yml"
BASE_TEXT = BASE.read_text(encoding="utf-8")
BASE_DATA = load_file(BASE).data
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


yaml_values = st.recursive(
    st.none() | st.text(max_size=30) | st.sampled_from(["021000021", "0x1F", "1_000", "12:30", "no",
                                                       ".inf", "~", "2002-02-30", "-1", "1e3",
                                                       "2199-12-31", "1900-01-01", "30"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10),
                                                                      children, max_size=3),
    max_leaves=8)




PATHS = list(value_paths(BASE_DATA))




def _accepted_or_refused(check: Any) -> None:
    try:
        check()
    except RecordError as error:
        assert error.problems and all(str(p).count("\n") == 0 for p in error.problems)


@FAST
@given(st.text(max_size=200))
def test_any_text_as_a_record_is_accepted_or_refused_with_record_error(text: str) -> None:
    _accepted_or_refused(lambda: validate(load_text(BASE, text), BASE.parent.parent))


@FAST
@given(st.integers(0, len(BASE_TEXT)), st.text(max_size=40))
def test_any_text_inserted_into_a_valid_record_is_accepted_or_refused(at: int, text: str) -> None:
    edited = BASE_TEXT[:at] + text + BASE_TEXT[at:]
    _accepted_or_refused(lambda: derive("acme", validate(load_text(BASE, edited), BASE.parent.parent)))


@FAST
@given(st.sampled_from(PATHS), yaml_values)
def test_any_value_anywhere_is_accepted_or_refused_with_record_error(
        path: tuple[Any, ...], value: Any) -> None:
    data = with_value(BASE_DATA, path, value)
    # Derived too: terms and business days counted from any accepted date must exist.
    _accepted_or_refused(lambda: derive("acme", validate(Loaded(BASE, data), BASE.parent.parent)))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_as_a_record_file_are_accepted_or_refused(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        record = Path(folder) / "deal.yml"
        record.write_bytes(raw)
        _accepted_or_refused(lambda: load_file(record))


# --- rendering ---------------------------------------------------------------------------------

# Text around the number holds no digits: a masked `••0000` next to a written `00` would read
# as the raw `000000` to the guard, which rightly refuses rather than guesses (a failed build).
names = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Co", "Cs", "Zl", "Zp",
                                                                  "Nd", "No")),
                min_size=1, max_size=60).filter(lambda t: t.strip())
notes = st.text(st.characters(codec="utf-8", exclude_categories=("Nd", "No")), max_size=80)
separators = st.sampled_from(["", " ", "-", ".", "/", " - "])
account_numbers = st.builds(
    lambda groups, sep: sep.join(groups),
    st.lists(st.text("0123456789", min_size=2, max_size=5), min_size=3, max_size=4), separators)


def _written(number: str, separator: str) -> str:
    """The same number as someone might type it in a note."""
    return separator.join(ch for ch in number if ch.isalnum())


def _render(data: Any) -> dict[str, str] | None:
    """The room's generated pages as HTML, or None when the record is refused."""
    with tempfile.TemporaryDirectory() as folder:
        deals = Path(folder) / "deals"
        shutil.copytree(BASE.parent, deals / "acme")
        (deals / "acme" / "deal.yml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
        try:
            files = build_in_memory(deals)
        except RecordError:
            return None
    pages = {path: markdown.markdown(text, extensions=["tables", "toc", "admonition"])
             for path, text in files.items() if path.endswith(".md") and isinstance(text, str)}
    pages.update({path: text if isinstance(text, str) else text.decode("utf-8", "replace")
                  for path, text in files.items() if not path.endswith(".md")})
    return pages


def _start_tags(page: str) -> set[str]:
    tags: set[str] = set()

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.add(tag)
            assert not [a for a, v in attrs if a.startswith("on") or "javascript:" in (v or "")]

    Collect().feed(page)
    return tags


@cache
def _template_tags() -> frozenset[str]:
    """Every element the templates write for the base record: data may add none."""
    pages = _render(BASE_DATA) or {}
    return frozenset().union(*(_start_tags(p) for name, p in pages.items() if name.endswith(".md")))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(party=names, bank=names, note=notes, account=account_numbers,
       separator=separators)
def test_a_rendered_room_never_shows_a_raw_number_or_markup_from_the_data(
        party: str, bank: str, note: str, account: str, separator: str) -> None:
    data = copy.deepcopy(BASE_DATA)
    data["parties"][0]["name"] = party
    data["instructions"][0]["bank"] = bank
    data["instructions"][0]["account_number"] = account
    data["instructions"][0]["notes"] = f"{note} Wire to {_written(account, separator)}. {note}"
    data["parties"][1]["notes"] = note or None
    pages = _render(data)
    if pages is None:
        return
    secret = Secret(account, "acme", "instructions[0].account_number")
    guard = Guard([secret])
    for path, page in pages.items():
        assert not list(guard.find(page)), path
        if path.endswith(".md"):
            assert _start_tags(page) <= _template_tags(), path
    shown = " ".join(html.unescape(" ".join(pages.values())).split())
    assert " ".join(party.split()) in shown and " ".join(bank.split()) in shown
