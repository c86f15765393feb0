"""Render stage: deal text is inert in HTML and Markdown."""

from __future__ import annotations

import html
from decimal import Decimal

import markdown

from dealroom.render import escape, money


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
