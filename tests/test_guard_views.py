"""The guard reads a file's bytes as UTF-8 text and, where that could hide a number, as Latin-1."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dealroom.guard import Guard
from dealroom.numbers import Secret

SECRETS = [Secret("066-198038", "d", "fbo")]


@pytest.mark.parametrize("data", [
    b"\x00\xff066\xe9198038\x00",  # binary: not UTF-8, each byte a character
    "066\u0663198038".encode(),  # an Arabic-Indic digit between: two separator bytes in Latin-1
    "066\u2022198038".encode(),  # a bullet: one separator in UTF-8
    "&#48;66<b>198</b>038 \u00e9\u00fc".encode(),  # entities and tags in UTF-8 text
    b'{"text": "\\u0030\\u0036\\u0036 198038 \\u2022"}',  # JSON escapes in an ASCII file
    "０６６１９８０３８".encode(),  # full-width digits, normalised by NFKC
])
def test_a_number_in_a_files_bytes_is_found(data: bytes) -> None:
    assert list(Guard(SECRETS).find_in_bytes(data))


@pytest.mark.parametrize("data", [b"0661980", "066\u00e9198038".encode(), b"\\u2022066198"])
def test_bytes_without_the_number_are_clean(data: bytes) -> None:
    assert not list(Guard(SECRETS).find_in_bytes(data))


# Pieces of a page: digits of the number, separators a page shows outside ASCII, escapes
# (of escapes too), tags, hidden text, look-alike letters, an account label.
_PIECES = ["066", "198", "038", "66198038", "0", "6", "8", "1", "O", "l", "a", " ", "-",
           "\u2014", "\u2013", "\u2022", "\u00d7", "\u00b7", "&amp;", "&#48;", "&lt;", "&gt;",
           "&mdash;", "&amp;#48;", "&bull;", "&", "#", ";", "%30", "%26", "%2523", "%26%2348%3B",
           "&#x25;30", "<b>", "</b>", "<span hidden>", "</span>", "<!--", "-->", "<script>",
           "</script>", "Account No. ", "\\u2022"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_a_page_of_separators_is_read_in_bytes_as_its_text_is_read(pieces: list[str]) -> None:
    """Pages whose characters outside ASCII are all separators are read the fast way, in
    bytes: what that finds is what reading the page as text finds."""
    guard = Guard([*SECRETS, Secret("12345678", "e", "account_number")])
    page = "".join(pieces) + "\u2014"  # one separator at least: not an ASCII page
    assert set(guard.find_in_bytes(page.encode(), utf8=True)) == set(guard.find(page))


def test_every_piece_of_the_digits_a_mask_hides_is_found_near_a_label_and_no_other() -> None:
    """`1233932118` masked shows `••••••2118`: a run of five or more of the six hidden digits
    (`12339`, `233932118`...) beside a label shows what the mask hides; `33932` holds four."""
    from dealroom.numbers import hidden_runs
    secret = Secret("1233932118", "d", "account_number")
    guard = Guard([secret, *hidden_runs([secret], 4)])
    digits = secret.number
    pieces = {digits[i:j] for i in range(2) for j in range(i + 5, 11)}
    for piece in sorted(pieces):
        page = f"<p>Account No. begins {piece}</p>".encode()
        assert guard.found_in("deals/d/index.html", page), piece
    for other in ("33932", "39321", "12338"):
        assert not guard.found_in("deals/d/index.html", f"<p>Account No. begins {other}</p>".encode())


@pytest.mark.parametrize("page", [
    '066<span/hidden>4</span>198038',  # `hidden` after `/` or a quoted value is an attribute too
    '066<span title="x"hidden>4</span>198038',
])
def test_a_number_joined_around_an_element_hidden_after_a_slash_or_a_quoted_value_is_found(page: str) -> None:
    guard = Guard([Secret("066-198038", "d", "fbo")])
    assert guard.found_in("page.html", f'<meta charset="utf-8"><p>{page}</p>'.encode())


def test_a_quote_inside_an_unquoted_value_opens_nothing() -> None:
    """`b=c="d>` is the value `c="d` and the tag ends at its `>`: a browser shows what follows."""
    guard = Guard([Secret("066-198038", "d", "fbo")])
    assert guard.found_in("page.html", b'<p>066<a b=c="d>198038">x</a></p>')


@pytest.mark.parametrize("mark", ["\u05ff", "\u07fb", "\U00010ec0"])
def test_a_code_point_of_a_right_to_left_block_unknown_to_python_reads_the_page_backwards(mark: str) -> None:
    """A browser of a later Unicode runs these right to left, where Python's tables know no
    character: `038 198 066` after one shows as `066 198 038`."""
    page = f'<meta charset="utf-8"><p>{mark}038 198 066</p>'.encode()
    assert Guard([Secret("066-198038", "d", "fbo")]).found_in("page.html", page)




@pytest.mark.parametrize("page", [
    '<textarea><p title="</textarea> 066<b></b>198038 <i title=">x</i>',
    "<script>var a = '<p title=\"';</script>x 066<b></b>198038 <i title=\">y</i>",
    '<style>/* <p title=" */</style>x 066<b></b>198038 <i title=">y</i>',
    '<!-- > <p title=" -->x 066<b></b>198038 <i title=">y</i>',
    '<title><p title="</title> 066<b></b>198038 <i title=">x</i>',
    '<p title=&quot;>066<b></b>198038<i title=&quot;>x</i></p>',
])
def test_a_quote_in_raw_text_or_an_escape_hides_nothing_a_browser_shows(page: str) -> None:
    """Found by review of a tokenizer that let quotes in scripts, comments and escapes run on
    over the visible text after them (Chromium shows `066198038` in each)."""
    guard = Guard([Secret("066-198038", "d", "fbo")])
    assert guard.found_in("page.html", f'<meta charset="utf-8"><body>{page}</body>'.encode())


@pytest.mark.parametrize("page", [
    '066<span title="&gt;" hidden>4</span>198038',
    '066<span title="a&gt;b" style="display:none">4</span>198038',
    '&lt;a title="066<b></b>198038"&gt;',
    '066<span title="&#62;" hidden>4</span>198038 \u00e9',  # and read as text, not in bytes
    '&lt;p title="O66<b></b>l98O38"&gt;',  # look-alike letters too
])
def test_an_escaped_angle_bracket_is_text_never_part_of_a_tag(page: str) -> None:
    """A browser finds a page's tags before it decodes escapes: `&gt;` in an attribute does
    not end the tag, and `&lt;a ...&gt;` is no tag at all (Chromium shows `066198038`)."""
    guard = Guard([Secret("066-198038", "d", "fbo")])
    assert guard.found_in("page.html", f'<meta charset="utf-8"><body>{page}</body>'.encode())


@pytest.mark.parametrize(("page", "unclear"), [
    ('<ol title="<x" start="198038"><li>a</li></ol>', True),  # a `<` in a quoted value
    ('<ol title="a>b" start="198038"><li>a</li></ol>', True),  # a `>` in a quoted value
    ('<ol start="&#49;98038"><li>a</li></ol>', True),  # an escaped digit
    ('<ol <li start=198038><li>a</li></ol>', True),  # `<li` is an attribute of the `ol` there
    ('<ol title=" start=198038"><li>a</li></ol>', False),  # inside a quoted value: no attribute
    ('<ol><li><input value="100"></li></ol>', False),  # the input's value, not the item's
])
def test_a_list_numbered_from_a_long_number_is_found_whatever_its_tag_holds(page: str, unclear: bool) -> None:
    reading = Guard([Secret("066-198038", "d", "fbo")]).read(
        "page.html", f'<meta charset="utf-8"><body>{page} 066</body>'.encode())
    assert (reading.unclear is not None) == unclear


@pytest.mark.parametrize("page", [
    '066<span title="a>b" hidden>4</span>198038',  # hidden, after a `>` in a quoted value
    "066<b title='x>z'>198038</b>",  # the tag ends at the `>` after the quote
    '066<span title="a<b" hidden>4</span>198038',  # a `<` in a quoted value
    '066<span title="a>b"hidden>4</span>198038 \u00e9',  # and read as text, not in bytes
])
def test_a_quoted_value_holding_an_angle_bracket_is_read_as_a_browser_reads_it(page: str) -> None:
    """Chromium shows `066198038` in each: a tag runs on to the closing quote of its values."""
    guard = Guard([Secret("066-198038", "d", "fbo")])
    assert guard.found_in("page.html", f'<meta charset="utf-8"><body>{page}</body>'.encode())


@pytest.mark.parametrize("page", [
    "066<span hidden>4</span>198<span hidden>5</span>038",  # two hidden elements
    "066<span hidden>4</spanx>5</span>198038",  # `</spanx>` ends no span
    "066<!--><span hidden>4</span>198038",  # an empty comment
    "066<!-- x --!><span hidden>4</span>198038",  # a comment ended by `--!>`
    '<script>var s="<!--";</script>066<span hidden>4</span>198038',  # `<!--` in a script
    "066<span hidden>4<!-- </span> -->5</span>198038",  # an end tag in a comment
    "<video>4</video>066<video>4</video>198038",  # a media element's fallback text
    "066<iframe>4</iframe>198038",
    "066<svg><desc>4</desc></svg>198038",
    "<p>066<math>x</math>198038</p>",  # MathML's own text is not drawn
    "<p>066<math><a>x</a></math>198038</p>",  # nor an element MathML does not know
    "<ruby>066<rt>x</rt>198038</ruby>",  # a ruby annotation stands above the line
    "<p>066<svg width=0 height=0>x</svg>198038</p>",  # an SVG of no size draws nothing
    "066<svg><g>4</g></svg>198038",  # nor text outside its text elements
    "066<div popover>4</div>198038",  # a popover, until it is opened
    "<ul><li>066<li hidden>4<li>198038</ul>",  # an item closed by the next
    "066<span <b hidden>4</span>198038",  # `<b` is an attribute of the span
    '066<span x" title="a>b" hidden>4</span>198038',  # a quote in a name is no value's
    '066<span title="a&gt;b" style="display&#58;none">4</span>198038',  # an escaped style
    "%066<b></b>198038",  # an escape a browser does not decode in text
])
def test_what_a_browser_does_not_display_is_read_as_it_reads_it(page: str) -> None:
    """Chromium shows `066198038` in each (found by review)."""
    guard = Guard([Secret("066-198038", "d", "fbo")])
    for text in (page, page + " \u00e9"):  # in bytes, and as text
        assert guard.found_in("page.html", f'<meta charset="utf-8"><body>{text}</body>'.encode()), text


@pytest.mark.parametrize("page", [
    "<div>066<span hidden>4</div>198038",  # an ancestor's end tag closes it
    "066<p hidden>4<div>198038</div>",  # a block's start tag closes a paragraph
    "<table><tr><td>066</td><td hidden>4</tr></table>198038",
    "066<span <i <b <a <q hidden>4</span>198038",  # `<i`... are attributes of the span
    "066<span hidden>4<!-- </span> --><!-- </span> --><!-- </span> -->5</span>198038",
    '066<span hidden>4<textarea>"</span>"</textarea>5</span>198038',  # an end tag in raw text
    "%066<span hidden>4</span>198038",  # as written, around a hidden element
    '066<span style="color:red;\ndisplay:none">4</span>198038',  # a line break before `display`
    '066<svg><text display="none">4</text></svg>198038',  # a presentation attribute
    "066<svg><defs><text>4</text></defs></svg>198038",  # SVG that is never drawn
])
def test_where_a_hidden_element_ends_is_read_as_a_browser_reads_it(page: str) -> None:
    """Chromium shows `066198038` in each (found by a second review)."""
    guard = Guard([Secret("066-198038", "d", "fbo")])
    for text in (page, page + " \u00e9"):
        assert guard.found_in("page.html", f'<meta charset="utf-8"><body>{text}</body>'.encode()), text


@pytest.mark.parametrize("page", [
    "066<span hidden>4<span>x</span>5</span>198038",  # an element of its name inside it
    "066<span hidden><span><span>x</span></span>4</span>198038",
    "066<div hidden><div>x</div>4</div>198038",
    "066<details><details>x</details>4</details>198038",  # not displayed, nested
    '066<span hidden title="</span>">4</span>198038',  # an end tag in an attribute value
    '066<span style="display:/**/none">4</span>198038',  # a CSS comment in the declaration
    '066<span style="display:n\\6f ne">4</span>198038',  # a CSS escape in the value
    "066&amp;#198038;",  # an escape of an escape: a browser decodes it once, shows `&#198038;`
    "<066<b>198038",  # a `<` before a digit is text, no tag's start (found by the property test)
    # Found by a review of the above:
    "066<span hidden><div></span></div>4</span>198038",  # an end tag ignored inside a block
    "066<video><div></video></div>4</video>198038",
    "066<p><span hidden>4<0<p>198038",  # `<0` is text: the hidden span runs on to `<p>`
    "&amp;amp; 066&amp;#198<span hidden>4</span>038;",  # decoded once, around a hidden span
    '066<span style="visibility:collapse">4</span>198038',
    "066<details><summary>198</summary>4</details>038",  # a closed details shows its summary
    # Found by a second review: an ancestor's end tag or a block closes an element past an
    # inline element, and an element not displayed too.
    "<div>066<span hidden>4<i>5</i></div>198038",
    "<li>066<span hidden>4<i>5</i><li>198038",
    "066<p hidden>4<b>5</b><div>198038</div>",
    "<div>066<video>4</div>198038",
    "<li>066<audio>4<li>198038",
    "<div>066<details><summary></summary>4</div>198038",
    "06<details><summary>6</summary><details></details>4</details>198038",  # a later end, split too
])
def test_what_the_guard_read_as_shown_before_is_read_as_a_browser_reads_it(page: str) -> None:
    """Chromium shows `066198038` in each: the README's limits of the last session, and one the
    Chromium property test found."""
    guard = Guard([Secret("066-198038", "d", "fbo")])
    for text in (page, page + " \u00e9"):
        assert guard.found_in("page.html", f'<meta charset="utf-8"><body>{text}</body>'.encode()), text


@pytest.mark.parametrize("name", ["O66-l98-O38", "\u24ea\u2465\u2465\u2460\u2468\u2467\u24ea\u2462\u2467",
                                  "066\u2009198\u2009038"])
def test_a_number_in_a_file_name_is_masked_in_messages_as_the_mask_reads_it(name: str) -> None:
    shown = str(Guard([Secret("066-198038", "d", "fbo")]).shown(Path(f"site/{name}/index.html")))
    assert shown.startswith("site/\u2022") and shown.endswith("/index.html")
    assert not any(ch.isdigit() or ch in "Ol" for ch in shown.split("/")[1]), shown


@pytest.mark.parametrize("page", [
    '<input readonly value="066" size="3"><input readonly value="198038" size="6">',
    '<img alt="066"><img alt="198038">',
    '<IMG ALT=066><span hidden>x</span><img alt=198038>',
    '<select><option label="066"></option></select>198038',
    '<textarea placeholder=066></textarea>198038',
    '<input title="a>b" value="066"><input value="198038">',
    '<img alt="O66"><img alt="l98O38">',
    '\u2014<input value="&#48;66"><input value="198038">',
])
def test_the_values_a_browser_draws_from_attributes_are_read_as_text(page: str) -> None:
    page_bytes = f'<meta charset="utf-8">{page}'.encode()
    assert Guard([Secret("066-198038", "d", "fbo")]).found_in("page.html", page_bytes), page


@pytest.mark.parametrize("page", [
    '<a aria-label="066"></a><a aria-label="198038"></a>',  # read aloud, never drawn
    '<input value="066">x<input value="198038">',  # a letter between
    "<p>the value=066 x</p>198038",  # text, not an attribute
])
def test_attribute_values_no_browser_draws_beside_each_other_are_not_joined(page: str) -> None:
    assert not Guard([Secret("066-198038", "d", "fbo")]).found_in(
        "page.html", f'<meta charset="utf-8">{page}'.encode()), page


@pytest.mark.parametrize("page", [
    '<ol start="66"><li>198038</li></ol>',  # shows "66. 198038"
    "066<ol><li>98038</li></ol>",  # "066" then "1. 98038"
    '<ol><li>x</li><li value="66">198038</li></ol>',
    "<ol start=66><!-- <li>old</li> --><li>198038</li></ol>",  # an item not drawn takes no number
    # A list that runs across the parts a page is read in: numbered in the whole page.
    "<ol>\n" + "".join(f"<li>\n  Step {i}: review the checklist with counsel.\n</li>\n" for i in range(1, 66))
    + "<li>\n  198038\n</li>\n</ol>\n",
])
def test_the_numbers_an_ordered_list_draws_are_read_beside_its_items(page: str) -> None:
    page_bytes = f'<meta charset="utf-8">{page}'.encode()
    assert Guard([Secret("066-198038", "d", "fbo")]).found_in("page.html", page_bytes), page


@pytest.mark.parametrize("page, reason", [
    ("<ul style='list-style-type:\"066\"'><li>198038</li></ul>",
     "a list's marker is set to text with digits"),
    ('<ol style="counter-set: list-item 66"><li>198038</li></ol>', "it sets the counter a list numbers"),
    ('<style>@counter-style pad3 { system: numeric; symbols: "0" "1"; pad: 3 "0" }</style>'
     '<ol style="list-style: pad3" start="66"><li>198038</li></ol>', "a counter style draws"),
])
def test_a_list_marker_a_style_sheet_writes_cannot_be_read_and_is_not_published(
        page: str, reason: str) -> None:
    page_bytes = f'<meta charset="utf-8">{page}'.encode()
    reading = Guard([Secret("066-198038", "d", "fbo")]).read("page.html", page_bytes)
    assert reading.unclear is not None and reading.unclear.startswith(reason), reading.unclear


@pytest.mark.parametrize("page", [
    '<iframe srcdoc="066<b></b>198038"></iframe>',
    '<iframe srcdoc="066&lt;b&gt;&lt;/b&gt;198038"></iframe>',
    '<iframe src="data:text/html;base64,MDY2MTk4MDM4"></iframe>',
    '<object data="data:text/html,066%3Cb%3E%3C/b%3E198038"></object>',
    '<img src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciPjx0ZXh0'
    'PjA2NjwvdGV4dD48dGV4dD4xOTgwMzg8L3RleHQ+PC9zdmc+">',  # two text elements: 066, 198038
    '<iframe src="data:text/html;base64,MDY2MTk4\nMDM4"></iframe>',  # base64 wrapped
    '<iframe src="data:text/html; charset=utf-8; base64,MDY2MTk4MDM4"></iframe>',
])
def test_a_document_a_page_holds_in_an_attribute_is_read_as_the_browser_draws_it(page: str) -> None:
    for before in ("", "\u2014"):  # read in parts, and whole
        page_bytes = f'<meta charset="utf-8">{before}{page}'.encode()
        assert Guard([Secret("066-198038", "d", "fbo")]).found_in("page.html", page_bytes), page


def test_documents_held_past_what_the_guard_reads_are_not_published() -> None:
    inner = b"066198038"
    for _ in range(4):  # nested four deep
        inner = b'<iframe src="data:text/html;base64,' + base64.b64encode(inner) + b'">'
    many = b'<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">' * 1001
    for page in (inner, many):
        page_bytes = b'<meta charset="utf-8">' + page
        reading = Guard([Secret("066-198038", "d", "fbo")]).read("page.html", page_bytes)
        assert reading.unclear is not None and "more documents in its attributes" in reading.unclear
