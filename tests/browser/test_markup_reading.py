"""The leak guard reads markup as Chromium does: wherever the browser shows an account number
(around tags, hidden elements, comments, scripts, stray quotes and `<`, quoted values holding
`<` or `>`, escaped angle brackets), the guard finds it. It may refuse more than the browser
shows, never less."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Page

from dealroom.guard import Guard
from dealroom.numbers import Secret

ACCOUNT = Secret("066-198038", "d", "fbo")
_PIECES = ["066", "198", "038", "198038", "4", " ", "-", "x", "<b>", "</b>", "<span hidden>",
           "</span>", "<a b=c=",
           '"d>', '">', "'>", "<!--", "-->", "<", "</", ">", '"', "'", "=", '<i title="',
           "<p\n", " hidden", "<script>", "</script>", "<br>", "<span/hidden>", '<i title="x"hidden>',
           '<span title="a>b" hidden>', "<b title='<x'>", '<i title="&gt;" hidden>', "&lt;", "&gt;",
           '<span title="a>b"', "<ol>", "<li>", "</li>", "</ol>", "<video>", "</video>", "<!-->",
           "--!>", "%", "<li hidden>", "<span popover>", "</spanx>", "<span>",
           '<span hidden title="</span>">', '<span style="display:/**/none">', "&amp;#", ";", "<div>",
           "</div>", "<details>", "</details>", "<summary>", "</summary>", "<0", "<i>", "</i>", "<audio>"]


def _shown(page: Page, html: str) -> bool:
    """Whether Chromium shows the account's digits in a row, with no letter between them."""
    page.set_content(html)
    text = page.evaluate("() => document.body.innerText")
    return "066198038" in re.sub(r"[^0-9A-Za-z]", "", text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_PIECES), max_size=12))
@example(["066", "<span/hidden>", "4", "</span>", "198038"])
@example(["<script>", "'", '<i title="', "'", "</script>", "x ", "066", "<b>", "</b>", "198038 ",
          '<i title="', ">"])
@example(["<!--", " > ", '<i title="', " ", "-->", "x ", "066", "<b>", "</b>", "198038 ", '<i title="',
          ">"])
@example(["066", "<a b=c=", '"d>', "198038", '">'])
@example(["066", '<i title="', '"d>', "198038", '">'])
@example(["066", '<span title="a>b" hidden>', "4", "</span>", "198038"])
@example(["066", '<i title="&gt;" hidden>', "4", "</span>", "198038"])
@example(["&lt;", '<i title="', "066", "<b>", "</b>", "198038", '"', "&gt;"])
@example(["066", "<span hidden>", "4", "</span>", "198", "<span hidden>", "4", "</span>", "038"])
@example(["<ol>", "<li>", "066", "<li hidden>", "4", "<li>", "198038", "</ol>"])
@example(["066", "<span hidden>", "4", "<span>", "x", "</span>", "4", "</span>", "198038"])
@example(["066", '<span hidden title="</span>">', "4", "</span>", "198038"])
@example(["066", '<span style="display:/**/none">', "4", "</span>", "198038"])
@example(["066", "&amp;#", "198038", ";"])
@example(["066", "<span hidden>", "<div>", "</span>", "</div>", "4", "</span>", "198038"])
@example(["066", "<details>", "<summary>", "198", "</summary>", "4", "</details>", "038"])
@example(["<div>", "066", "<span hidden>", "4", "<i>", "5", "</i>", "</div>", "198038"])
def test_the_guard_finds_every_number_chromium_shows(page: Page, pieces: list[str]) -> None:
    html = '<meta charset="utf-8"><p>' + "".join(pieces) + "</p>"
    if _shown(page, html):
        assert Guard([ACCOUNT]).found_in("page.html", html.encode()), html
