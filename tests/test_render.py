"""Render stage: deal text is inert in HTML and Markdown; long attached texts are shown by their start."""

from __future__ import annotations

import html
from decimal import Decimal

import markdown

from dealroom.render import (
    SHOWN_TEXT_BYTES,
    TEXT_START_CHARS,
    escape,
    money,
    shown_whole,
    text_size,
    text_start,
)


def test_html_is_escaped() -> None:
    assert "<" not in escape("<script>alert(1)</script>")


def test_markdown_link_syntax_does_not_become_a_link() -> None:
    rendered = markdown.markdown(f"Name: {escape('[x](javascript:alert(1))')}")
    assert "<a" not in rendered and "[x](javascript:alert(1))" in html.unescape(rendered)


def test_jinja_syntax_in_data_is_shown_literally() -> None:
    assert markdown.markdown(str(escape("{{ config }}"))) == "<p>&#123;&#123; config &#125;&#125;</p>"


def test_money_keeps_the_precision_written() -> None:
    assert money(Decimal("280000"), "USD") == "$280,000"
    assert money(Decimal("0.001"), "USD") == "$0.001"
    assert money(Decimal("90000.00"), "EUR") == "€90,000.00"


def test_a_text_up_to_fifty_kilobytes_is_shown_whole() -> None:
    assert shown_whole("x" * SHOWN_TEXT_BYTES)
    assert not shown_whole("x" * (SHOWN_TEXT_BYTES + 1))
    assert not shown_whole("é" * (SHOWN_TEXT_BYTES // 2 + 1))  # counted in UTF-8 bytes, as published


def test_a_long_text_reads_as_its_size_in_kilobytes() -> None:
    assert text_size("x" * 312_596) == "313 KB"
    assert text_size("x" * 999) == "999 bytes"


def test_the_beginning_of_a_long_text_is_its_first_forty_lines() -> None:
    text = "".join(f"line {n}\n" for n in range(1, 1000))
    start = text_start(text)
    assert start.splitlines() == [f"line {n}" for n in range(1, 41)]


def test_the_beginning_of_a_text_of_long_lines_is_cut_at_a_space_within_the_limit() -> None:
    text = "word " * 100_000  # one line, as some filings are
    start = text_start(text)
    assert TEXT_START_CHARS - len("word ") <= len(start) <= TEXT_START_CHARS
    assert start.endswith("word") and text.startswith(start)
