"""The guard reads a page in parts, each part's reading kept for the next page that holds it
(a room's pages share their navigation): what it finds is what reading the page whole finds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dealroom import numbers
from dealroom.display import plain_markup, separators_reduced
from dealroom.guard import Guard
from dealroom.numbers import Secret, hidden_runs

ACCOUNT = Secret("066-198038", "d", "fbo")
SECRETS = [ACCOUNT, Secret("12345678", "e", "account_number"), *hidden_runs([ACCOUNT], 4)]

# Where a page may be cut (a line break, spaces, a word) and everything that could run across
# one: digits, separators, escapes, tags, hidden text, look-alike letters, labels, markup that
# runs right to left, a CSS escape that ends at a line break.
_PIECES = ["\n  Xenon ", "\n\tbe", "\n  no. ", "\n  Number ", "\nXe", "\n", "  ", "066", "198",
           "038", "66198", "12345678", "0", "8", "O", "l", " ", "-", "\u2014", "\u2022",
           "&amp;", "&#48;", "&lt;", "&gt;", "&amp;#48;", "%30", "%26%2348%3B", "<b>", "</b>",
           "<span hidden>", "</span>", "<!--", "-->", "<script>", "</script>", "<style>",
           "</style>", '<p title="a>b', '">', "Account No. ", "A/C", "dir=rtl", "\\72", "tl",
           "<bdo>", "\\u2022", "Konto", '<ol start="999">', "<li value=", '"123">', "start=", "999",
           '<p style="', "counter-reset: c 999", "::before { content: '066' }", '"', "</p>",
           " " * 300, "<em>filler</em>" * 20,  # long parts: their ends are read apart
           '<span title="<b>', " hidden>", "<p b=c=", '="', "'", "<", "<i ",  # quotes in tags
           '<input value="066">', "<img alt=", '"198038">', " placeholder=",  # values a browser draws
           '<ol start="66">', "<ol>", "<li>", "</ol>", "<ul>", "</ul>"]  # a list's own numbers


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of a few bytes: every place a page may be cut is a cut."""
    monkeypatch.setattr(numbers, "_PART_BYTES", 1)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=16), st.booleans())
@example(["066", "<!--", "\n  Xenon ", "-->", "198038"], False)
@example(["066", "<script>", "\n  Xenon ", "</script>", "198038"], False)
@example(["066", '<p title="a>b', "\n  Xenon ", '">', "198038"], False)
@example(["Account No. ", "\n  Xenon ", "66198"], False)
@example(["Account No. ", "\n  no. ", "12345678"], False)
@example(["A/C", "\n  Number ", "12345678"], False)
@example(["\\72", "\n  Xenon ", "tl", "8", "\n  Xenon ", "30891", "660"], False)
@example(["dir=rtl", "\n  Xenon ", "830891", "660"], True)
@example(['<ol title="a>b', "\n  Xenon ", 'start="999">'], True)
@example(["\\72", "\n  Xenon ", "\\5d0 830891660"], False)  # an escaped r in one part, alef in the next
@example(["\\72", "\n  Xenon ", "\\5c 72 tl 830891660"], False)  # `rtl` in escapes of escapes
@example(['<p style="', "counter-reset: c 999", "\n  Xenon ", "::before { content: '066' }", '">'], True)
@example(["066", '<span title="<b>', "\n  Xenon ", '">', " hidden>", "8", "</span>", "198038"], False)
@example(['<ol title="<b>', "\n  Xenon ", '">', '<li value=', '"123">'], True)
def test_a_page_read_in_parts_finds_what_reading_it_whole_finds(pieces: list[str], ascii_only: bool) -> None:
    page = ('<meta charset="utf-8">' + "".join(pieces) + ("" if ascii_only else "\u2013")).encode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(numbers, "_PART_BYTES", 1)  # every place a page may be cut is a cut
        in_parts = Guard(SECRETS).read("page.html", page)
        patch.setattr(Guard, "find_in_parts", lambda self, data, utf8: None)
        whole = Guard(SECRETS).read("page.html", page)
    assert in_parts == whole


# Pieces of text and markup with nothing escaped or hidden, and one of each thing that is.
_PLAIN_PIECES = ["066", "198", "038", "66198", "0", "8", "O", "l", " ", "-", "\n  Xenon ", "<b>", "</b>",
                 "<p>", "</p>", "<i ", ">", '<a href="x">', "Account No. ", "Konto", "<ol start=", '"999">',
                 "<li value=", '"123">', "<", "content: '066'", "::before", "counter-reset: c 999",
                 '<svg viewBox="0 0 24 24"><path d="M20 11v2"/></svg>']  # an icon: no text
_NOT_PLAIN = ["&amp;", "&#48;", "%30", "\\72", "<!--", "<script>", "<title>", "<details>", " hidden",
              " style=", "display", "visibility", "popover", "dir=rtl", "<bdo>", "row-reverse", "RTL",
              '<p title="a>b">', "<Script>", "<svg>x</svg>"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PLAIN_PIECES), max_size=24), st.sampled_from(["", *_NOT_PLAIN]))
@example(["O", "66198", "038"], "")  # look-alike letters read as digits
@example(["066", "<b>", "198", "</b>", "038", "<i ", ">"], "")  # tags removed; ends inside a tag
@example(["Account No. ", "66198", "8", "<ol start=", '"999">'], "")  # a label; a numbered list
def test_a_part_with_nothing_escaped_or_hidden_is_read_as_every_view_reads_it(
        pieces: list[str], other: str) -> None:
    """Plain markup (`display.plain_markup`) is read as its text and its text without tags:
    what reading it in every view finds; and one escape or hiding word makes it not plain."""
    part = "".join(pieces).encode()
    with_other = (other + "".join(pieces)).encode()
    assert not plain_markup(with_other) if other else plain_markup(part)
    reading = Guard(SECRETS)._read_part(part)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(numbers, "plain_markup", lambda text: False)
        assert Guard(SECRETS)._read_part(part) == reading


@pytest.mark.parametrize("page", [
    "\n  Xenon " + "<em>filler</em>" * 40 + " 06619\n  Account No. see above",
    "\n  Xenon Account No.\n  Xenon 06619 " + "<em>filler</em>" * 40,
])
def test_a_piece_of_hidden_digits_at_either_end_of_a_long_part_is_found_with_its_label_beside(
        page: str, small_parts: None) -> None:
    reading = Guard(SECRETS).read("deals/d/page.html", f'<meta charset="utf-8">{page}'.encode())
    assert [s.field for s in reading.secrets] == [SECRETS[2].field]


def test_a_part_two_pages_share_is_read_once(small_parts: None) -> None:
    guard = Guard(SECRETS)
    nav = "".join(f"\n    <li><a href='../d{i}/'>Xenon financing {i}</a></li>" for i in range(50))
    first = guard.find_in_parts(f"<p>one</p>{nav}\n  Hello".encode(), utf8=True)
    read = len(guard.parts)
    second = guard.find_in_parts(f"<p>two</p>{nav}\n  World".encode(), utf8=True)
    assert first is not None and second is not None and first.secrets == second.secrets == []
    assert 0 < len(guard.parts) - read <= 2  # the first and last parts only


def test_a_number_in_a_shared_part_is_found_on_every_page_that_holds_it(small_parts: None) -> None:
    guard = Guard(SECRETS)
    nav = "\n  Xenon <a href='x'>066-198038</a>\n  Xenon"
    for page in (f"<p>one</p>{nav}", f"<p>two</p>{nav}"):
        in_parts = guard.find_in_parts(page.encode(), utf8=True)
        assert in_parts is not None and ACCOUNT in in_parts.secrets


def test_the_example_rooms_pages_are_read_in_parts(example_site: Path) -> None:
    """Every page whose characters outside ASCII are separators (dashes, quotes: no letter a
    reader could take for a digit, as `á` or a no-break space may be) is read in parts."""
    guard = Guard(SECRETS)
    pages = [page.read_bytes() for page in sorted(example_site.glob("deals/*/*/index.html"))]
    plain = [page for page in pages if page.isascii() or separators_reduced(page) is not None]
    assert len(plain) > len(pages) / 2
    assert all(guard.find_in_parts(page, utf8=True) is not None for page in plain)


@pytest.mark.parametrize("direction", ["\\5c 72 tl", "\\5d0", "col\\75 mn-reverse", "\\72\rtl",
                                       "\\72\r\ntl", "\\72\ftl"])
def test_a_direction_written_in_any_css_escape_reads_the_page_backwards_too(direction: str) -> None:
    """A run written backwards is found where an escape of an escape, an escaped right-to-left
    character or any escaped letter of `column-reverse` may turn it around."""
    page = f'<meta charset="utf-8"><p style="direction: {direction}">830891660</p>'.encode()
    assert ACCOUNT in Guard(SECRETS).read("page.html", page).secrets
