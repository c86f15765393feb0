"""Deal data is untrusted text: HTML, Markdown and Jinja in any text field render literally and inertly.

Every text field of the example record is found by trying it, then filled with each hostile
string; the room is rendered by the plugin's own pipeline (`build_in_memory`) and
Python-Markdown with the room's extensions, and once through the real `mkdocs build`.
"""

from __future__ import annotations

import copy
import html
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml

from conftest import EXAMPLE_DEAL, Room, value_at, value_paths, with_value
from dealroom.errors import RecordError
from dealroom.loader import Loaded, load_file
from dealroom.pipeline import build_in_memory
from dealroom.validate import validate

BASE = EXAMPLE_DEAL / "deal.yml"  # the richest record: notices, signatures, warrants, provisions


def _with_every_optional_text(data: dict[str, Any]) -> dict[str, Any]:
    """The example record plus the optional text fields it leaves out: notes, email, events."""
    data = copy.deepcopy(data)
    for section in ("parties", "warrants", "instructions", "obligations"):
        for item in data[section]:
            item["notes"] = "Plain note."
    data["parties"][0]["notices"].update(email="Plain email", phone="Plain phone")
    data["events"] = [{"date": "2002-06-07", "title": "Plain event", "notes": "Plain note."}]
    data["notes"] = "Plain note."
    return data


BASE_DATA = _with_every_optional_text(load_file(BASE).data)

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1))",
    '<a href="javascript:alert(1)">pay here</a>',
    "a | b | c",
    "# Not a heading",
    "<!-- hidden --> shown",
    "{{ config }} {% include 'main.html' %} {# c #}",
    '<div markdown="1">**raw HTML block**</div>',
    "&lt;script&gt; stays &amp;lt;",
    "`code` *emph* _under_ ~~strike~~ **bold**",
    "<https://evil.example/> and [ref][1]",
    '!!! warning "Not an admonition"',
    "{: onclick=alert(1) } [^1] $x$ \\(y\\)",
    "--- === > quote - item 1. item",
    "    four spaces, like a code block",
]
MULTILINE = "First paragraph.\n\n<script>alert(2)</script>\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n# H"
EXTENSIONS = ["tables", "toc", "admonition"]  # the room's mkdocs.yml






def accepts(data: Any) -> bool:
    try:
        validate(Loaded(BASE, data), BASE.parent.parent)
    except RecordError:
        return False
    return True


def text_fields(value: str) -> list[tuple[Any, ...]]:
    """The fields of the example record that take `value` as it is: free text, names, titles."""
    return [path for path in value_paths(BASE_DATA)
            if isinstance(value_at(BASE_DATA, path), str) and accepts(with_value(BASE_DATA, path, value))]


def write_room(folder: Path, data: Any) -> Path:
    deals = folder / "deals"
    shutil.copytree(BASE.parent, deals / "acme")  # with the attached agreement text
    (deals / "acme" / "deal.yml").write_text(yaml.safe_dump(data, allow_unicode=True, width=10_000),
                                             encoding="utf-8")
    return deals


def render(folder: Path, data: Any) -> dict[str, str]:
    """Every generated page of the room as HTML, the way MkDocs would convert it."""
    files = build_in_memory(write_room(folder, data))
    return {path: markdown.markdown(text, extensions=EXTENSIONS)
            for path, text in files.items() if path.endswith(".md") and isinstance(text, str)}


class Elements(HTMLParser):
    """Tags, attributes and table shape of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


def elements(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    return parser


def literal_text(pages: dict[str, str]) -> str:
    return " ".join(html.unescape(" ".join(pages.values())).split())


@pytest.fixture(scope="module")
def benign(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return render(tmp_path_factory.mktemp("benign"), BASE_DATA)


def test_the_base_record_has_many_text_fields() -> None:
    assert len(text_fields("Plain text")) >= 80


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_in_every_text_field_renders_literally_and_inertly(tmp_path: Path, hostile: str) -> None:
    fields = text_fields(hostile)
    assert len(fields) >= 60, fields
    data, plain = BASE_DATA, BASE_DATA
    for path in fields:
        data = with_value(data, path, hostile)
        # The same fields with plain text: the same page shape (one text in both parties'
        # `role` lists them under one role), so any element more came from the data.
        plain = with_value(plain, path, "Plain text")
    pages = render(tmp_path / "hostile", data)
    benign = render(tmp_path / "plain", plain)
    assert " ".join(hostile.split()) in literal_text(pages)
    for name, page in pages.items():
        shape, expected = elements(page), elements(benign[name])
        assert sorted(set(shape.tags)) == sorted(set(expected.tags)), name  # no element from data
        assert shape.tags.count("td") == expected.tags.count("td"), name  # no broken table
        assert not [a for a in shape.attributes if a[0].startswith("on")
                    or "javascript:" in a[1].lower()], name


def test_multi_line_notes_keep_their_paragraphs_and_stay_inert(
        tmp_path: Path, benign: dict[str, str]) -> None:
    fields = text_fields(MULTILINE)
    assert ("parties", 0, "notes") in fields and ("instructions", 0, "notes") in fields
    data = BASE_DATA
    for path in fields:
        data = with_value(data, path, MULTILINE)
    pages = render(tmp_path, data)
    text = literal_text(pages)
    for line in filter(None, MULTILINE.splitlines()):
        assert line in text
    for name, page in pages.items():
        assert "script" not in elements(page).tags
        assert elements(page).tags.count("td") == elements(benign[name]).tags.count("td"), name


def test_text_of_the_longest_allowed_length_is_shown_whole(tmp_path: Path) -> None:
    long_note = ("<b>x</b> " * 2500)[:20_000]
    data = with_value(BASE_DATA, ("parties", 0, "notes"), long_note)
    pages = render(tmp_path, data)
    assert " ".join(long_note.split()) in literal_text(pages)
    assert "b" not in elements(pages["deals/acme/parties.md"]).tags


def test_the_real_build_shows_hostile_text_literally(make_room: Any) -> None:
    room: Room = make_room(with_example=False)
    fields = text_fields("Plain text")
    data = BASE_DATA
    for index, path in enumerate(fields):
        data = with_value(data, path, HOSTILE[index % len(HOSTILE)])
    write_room(room.path / "content", data)
    result = room.build()
    assert result.returncode == 0, result.stderr
    pages = {p: p.read_text(encoding="utf-8") for p in (room.site / "deals" / "acme").rglob("*.html")}
    for path, page in pages.items():
        found = elements(page)
        assert not [a for a in found.attributes if a[0].startswith("on")
                    or "javascript:" in a[1].lower()], path
        assert "alert(1)</script>" not in page and "<img src=x" not in page, path
    text = literal_text({str(p): page for p, page in pages.items()})
    for hostile in HOSTILE:
        assert " ".join(hostile.split()) in text, hostile
