"""Text as a reader sees it: the views in which the mask and the leak guard look for numbers.

A browser decodes escapes, hides comments, scripts and elements marked hidden, collapses white
space, draws digits of every script, and may show a right-to-left run backwards; a person reads
`O66-l98-O38` or `〇六六` as digits. Each function here makes one such view of a text, or says
what a reader could see in it, so that `dealroom.numbers` matches numbers the way they are read.
Views are computed only where their trigger is present: most of a site is plain ASCII HTML.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import functools
import html
import itertools
import re
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# The one fold table: four characters IGNORECASE matches to an ASCII letter (I, I, S and K).
FOLDS = "\u0130\u0131\u017f\u212a"

# Numerals a reader takes for digits though Unicode does not call them decimal digits: Chinese
# and Japanese numerals, with the "financial" forms written on cheques and contracts.
_CJK_DIGITS = {ch: str(value) for value, chars in enumerate(
    ("〇零", "一壹壱", "二贰貳弐", "三叁參参", "四肆", "五伍", "六陆陸", "七柒", "八捌", "九玖"))
    for ch in chars}
_RTL_CLASSES = frozenset({"R", "AL", "RLE", "RLO", "RLI"})
# The blocks of right-to-left scripts (Unicode's DerivedBidiClass defaults: R or AL): a code
# point Python's tables (Unicode 14) know no character for may be a letter to a browser of a
# later Unicode, and an unknown one there takes its block's default. Either way: right to left.
_RTL_BLOCKS = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF), (0x10800, 0x10FFF),
               (0x1E800, 0x1EFFF))
_ONE_DIGIT = frozenset(float(d) for d in range(10))


@dataclass
class Seen:
    """What `reduced` met: a non-ASCII digit or letter-like character, one that NFKC might
    change in some context, and a right-to-left character or control."""

    other: bool = False
    unstable: bool = False
    rtl: bool = False


def _stable(ch: str) -> bool:
    # NFKC leaves a character with no compatibility form alone, unless it combines: combining
    # marks (and Hangul vowels and trailing consonants) join the character before them.
    return unicodedata.combining(ch) == 0 and unicodedata.is_normalized("NFKC", ch) and \
        unicodedata.category(ch) not in ("Mn", "Mc", "Me") and not "\u1100" <= ch <= "\u11ff"


@functools.lru_cache(maxsize=65536)
def digit_of(ch: str) -> str | None:
    """The ASCII digit a reader sees in `ch`: a decimal digit of any script (`٣`, `３`), a CJK
    numeral (`〇`, `六`), a numeral whose value is one digit (`➇`, `⓿`, Suzhou `〨`, Roman
    `Ⅷ`), or a character whose compatibility form is one digit (`⑥`, `²`)."""
    if ch.isdecimal():
        return str(int(ch))
    if ch in _CJK_DIGITS:
        return _CJK_DIGITS[ch]
    value = unicodedata.numeric(ch, None)
    if value is not None and value in _ONE_DIGIT:
        return str(int(value))
    normal = unicodedata.normalize("NFKC", ch)
    digits = [c for c in normal if c.isdecimal()]
    if len(digits) == 1 and not any(c.isalpha() for c in normal):
        return str(int(digits[0]))
    return None


def runs_right_to_left(ch: str) -> bool:
    """Whether a browser may run `ch` right to left: its bidi class, or for a code point with
    none (unassigned when Python's tables were made) its block (`_RTL_BLOCKS`)."""
    bidi = unicodedata.bidirectional(ch)
    if bidi:
        return bidi in _RTL_CLASSES
    return any(low <= ord(ch) <= high for low, high in _RTL_BLOCKS)


@functools.lru_cache(maxsize=65536)
def is_separator(ch: str) -> bool:
    """`ch` is a gap in every view: non-ASCII, no digit, no case fold to a letter, no NFKC,
    left to right."""
    return ch > "\x7f" and digit_of(ch) is None and ch not in FOLDS and \
        not unicodedata.category(ch).startswith("L") and \
        not "\ud800" <= ch <= "\udfff" and _stable(ch) and \
        not runs_right_to_left(ch)


@functools.lru_cache(maxsize=65536)
def _replacement(ch: str) -> tuple[str, bool, bool, bool]:
    """A non-ASCII character's byte in a reduced view (the digit it shows, else a gap), whether
    it is a digit or letter-like, whether NFKC may change it, and whether it runs right to left."""
    digit = digit_of(ch)
    # A letter of any script ends a number, as an ASCII letter does (`066é198038` is a word).
    letter = digit is None and unicodedata.category(ch).startswith("L")
    return (digit or ("a" if letter else "?"), digit is not None or ch in FOLDS, not _stable(ch),
            runs_right_to_left(ch))


_ASCII_BYTES = bytes(range(128))


def reduced(view: str, seen: Seen, letters: bool = True) -> bytes:
    """`view` as ASCII bytes, one byte per character: every character a reader sees as a digit
    becomes that digit, a letter of another script `a`, every other character a gap (`?`).
    `letters=False`: bytes of a binary file read as Latin-1, where `é` is no word: a gap too.

    The regexes of `dealroom.numbers` then run on bytes (UCS-2 text is much slower). Each
    distinct character is looked at once: a translation table, not a call per character.
    """
    if view.isascii():
        return view.encode("ascii")
    table: dict[int, str] = {}
    # The distinct non-ASCII characters: the ASCII bytes deleted in C, the rest decoded back
    # (`set(view)` would make an object of every character of a page).
    rare = view.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    for ch in set(rare.decode("utf-8", "surrogatepass")):
        if ch >= "\x80":
            byte, other, unstable, rtl = _replacement(ch)
            table[ord(ch)] = byte if letters or byte != "a" else "?"
            seen.other |= other
            seen.unstable |= unstable
            seen.rtl |= rtl
    # C loops, one per digit character and one for all letters: a translation table on text
    # calls into Python for every character.
    for code, byte in table.items():
        if byte not in "?a":
            view = view.replace(chr(code), byte)
    words = "".join(chr(code) for code, byte in table.items() if byte == "a")
    if words:
        view = re.sub(f"[{re.escape(words)}]", "a", view)
    return view.encode("ascii", "replace")


# UTF-8 as one byte per character: a lead byte becomes a gap, continuation bytes go.
_LEAD_AS_GAP = bytes(b if b < 128 else ord("?") for b in range(256))
_CONTINUATION = bytes(range(0x80, 0xC0))


def separators_reduced(data: bytes) -> bytes | None:
    """`reduced` of UTF-8 `data` whose characters outside ASCII are all separators
    (`is_separator`: dashes, bullets, quotes, `×`), made in C from the bytes; None otherwise.
    Most pages of a site are such text, and a page as UCS-2 text is read several times slower."""
    try:
        rare = set(data.translate(None, _ASCII_BYTES).decode("utf-8"))
    except UnicodeDecodeError:
        return None
    if not all(is_separator(ch) for ch in rare):
        return None
    return data.translate(_LEAD_AS_GAP, _CONTINUATION)


def reader_chars(text: str) -> str:
    """`text` with every character a reader sees as a digit written as that ASCII digit (other
    scripts, numerals, look-alike letters among digits), the same length: what the mask
    matches, so that a span found in it is the same span of `text`."""
    if "&" in text:  # `066&nbsp;198` in Markdown: an entity is the character it shows
        text = _ENTITY.sub(_entity_shown, text)
    if "%" in text:  # `wires/066%20198038.md` in a link: MkDocs decodes it in its messages
        text = _URL_ESCAPES.sub(_url_escapes_shown, text)
    if not text.isascii():
        table = {ord(ch): digit_of(ch) for ch in set(text) if ch > "\x7f" and digit_of(ch) is not None}
        if table:
            text = text.translate(table)
    return as_digits(text) or text


_ENTITY = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")


def _url_escapes_shown(escapes: re.Match[str]) -> str:
    """A run of URL escapes as the digits its UTF-8 shows and spaces, or spaces: the same length."""
    shown = bytes.fromhex(escapes[0].replace("%", "")).decode("utf-8", "replace")
    digits = "".join(digit_of(ch) or " " for ch in shown)
    return digits + " " * (len(escapes[0]) - len(digits))


def _entity_shown(entity: re.Match[str]) -> str:
    """An entity as the digit it shows and spaces, or spaces: the same length."""
    shown = html.unescape(entity[0])
    digit = digit_of(shown) if len(shown) == 1 else None
    return (digit or " ") + " " * (len(entity[0]) - 1)


# --- look-alike letters ---------------------------------------------------------------------
# In a token of digits and the letters O, o, I and l (`O66`, `l98`), each letter is read as the
# digit it looks like. A token with any other letter (`l10n`, `Oil`) is a word.
_TO_DIGITS = str.maketrans("OoIl", "0011")
_TO_DIGITS_BYTES = bytes.maketrans(b"OoIl", b"0011")
# A copy with digits as "0", the four letters as "h", other letters as "a": tokens are found
# from where a digit and one of the letters touch, with `find`, not a regex at every byte.
_TRACE = bytes(ord("0") if 48 <= b <= 57 else ord("h") if bytes([b]) in b"OoIl" else
               ord("a") if chr(b).isalpha() and b < 128 else ord(" ") for b in range(256))
_TOKEN_CHARS = frozenset(b"0h")


def _lookalike_tokens(ascii_view: bytes) -> list[tuple[int, int]]:
    """The spans of look-alike tokens in a text as ASCII bytes (one byte per character)."""
    trace = ascii_view.translate(_TRACE)
    spans: set[tuple[int, int]] = set()
    for pair in (b"0h", b"h0"):
        at = trace.find(pair)
        while at >= 0:
            start, end = at, at + 2
            while start > 0 and trace[start - 1] in _TOKEN_CHARS:
                start -= 1
            while end < len(trace) and trace[end] in _TOKEN_CHARS:
                end += 1
            if (start == 0 or trace[start - 1] != ord("a")) and (end == len(trace) or trace[end] != ord("a")):
                spans.add((start, end))
            at = trace.find(pair, end)
    return sorted(spans)


def as_digits(text: str) -> str | None:
    """`text` with look-alike letters read as digits, the same length; None if it has none."""
    spans = _lookalike_tokens(text.encode("ascii", "replace"))
    if not spans:
        return None
    parts, done = [], 0
    for start, end in spans:
        parts += [text[done:start], text[start:end].translate(_TO_DIGITS)]
        done = end
    return "".join(parts) + text[done:]


def as_digits_bytes(view: bytes) -> bytes | None:
    """`as_digits` for a reduced view."""
    spans = _lookalike_tokens(view)
    if not spans:
        return None
    found = bytearray(view)
    for start, end in spans:
        found[start:end] = view[start:end].translate(_TO_DIGITS_BYTES)
    return bytes(found)


# --- right to left ----------------------------------------------------------------------------
def may_run_right_to_left(text: str | bytes) -> bool:
    """Whether markup in `text` can make a browser show a run of digits in reverse order
    (`dir=rtl`, `direction: rtl`, `<bdo>`, a reversed flex box), or it holds right-to-left
    characters or controls (`reduced` sees those in the text it reduces). CSS escapes are
    decoded, again and again (`\\5c 72 tl` is `\\72 tl` is `rtl`), wherever a backslash stands:
    any escaped letter may complete a word (`col\\75 mn-reverse`)."""
    for _ in range(_MOST_DECODINGS):
        if _rtl_markup(text):
            return True
        if isinstance(text, bytes):
            if b"\\" not in text or not _escapes_write_markup(text):
                return False
            unescaped = css_unescaped(text.decode("latin-1"))
        else:
            if "\\" not in text or not _escapes_write_markup(text.encode("utf-8", "surrogatepass")):
                return False
            unescaped = css_unescaped(text)
        if unescaped == text:
            return False
        text = unescaped
    return True  # escapes of escapes of escapes...: not worth trusting


# What an escape must write to change what `_rtl_markup` sees: a character of its words, a
# backslash (an escape of an escape), or a right-to-left character. An escape that writes
# anything else stands between the characters around it in the decoded text as it did before.
_MARKUP_CHARS = frozenset(ord(ch) for ch in "rtlbdowevscumnRTLBDOWEVSCUMN<-\\")


def _escapes_write_markup(data: bytes) -> bool:
    """Whether a CSS escape in `data` writes a character of right-to-left markup (or one that
    may start another escape): only then is the text worth decoding (a print page's banner is
    written in escapes of punctuation, a search index holds JSON's `\\u`...)."""
    for found in _CSS_ESCAPE_BYTES.finditer(data):
        code = int(found[1], 16) if found[1] is not None else found[2][0]
        if code in _MARKUP_CHARS or (code > 0x7F and (
                not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF or
                runs_right_to_left(chr(code)))):
            return True
    return False


_RTL_WORDS = (b"rtl", b"<bdo", b"row-reverse", b"column-reverse")


def _rtl_markup(text: str | bytes) -> bool:
    if isinstance(text, bytes):
        data = text.lower()
        return any(word in data for word in _RTL_WORDS)
    lower = text.lower()
    return any(word.decode() in lower for word in _RTL_WORDS) or (
        not text.isascii() and
        any(runs_right_to_left(ch) for ch in set(text) if ch > "\x7f"))


# --- escapes --------------------------------------------------------------------------------
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_URL_ESCAPES = re.compile(r"%[0-9a-fA-F]{2}(?:%[0-9a-fA-F]{2})*")  # a literal first: fast search
_JSON_ESCAPE_BYTES = re.compile(rb"\\u([0-9a-fA-F]{4})")
_URL_ESCAPES_BYTES = re.compile(rb"%[0-9a-fA-F]{2}(?:%[0-9a-fA-F]{2})*")
# A hex escape takes one white space character as its end; CR LF, CR and form feed are line
# breaks to a browser too (it reads them as LF before CSS sees them).
_CSS_ANY_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})(?:\r\n|[ \t\n\r\f])?|([^0-9a-fA-F\n\r\f]))")
_CSS_ESCAPE_BYTES = re.compile(_CSS_ANY_ESCAPE.pattern.encode())
_MOST_DECODINGS = 8  # `&amp;amp;#48;`: escapes of escapes, decoded to a fixed point


def _json_unescaped(text: bytes) -> bytes | None:
    """JSON escapes decoded in UTF-8 `text`; None if an escape is half a surrogate pair."""
    chars = {escape: chr(int(escape, 16)) for escape in set(_JSON_ESCAPE_BYTES.findall(text))}
    if any("\ud800" <= ch <= "\udfff" for ch in chars.values()):
        return None
    utf8 = {escape: ch.encode("utf-8") for escape, ch in chars.items()}
    if len(chars) > 16 or any(ch in "\\u0123456789abcdefABCDEF" for ch in chars.values()):
        return _JSON_ESCAPE_BYTES.sub(lambda m: utf8[m[1]], text)
    # A few distinct escapes (a search index's bullets and dashes): one C-speed pass each.
    # Same as `sub` because no replacement can form or complete another escape.
    for escape, encoded in utf8.items():
        text = text.replace(b"\\u" + escape, encoded)
    return text


def _url_unescaped(text: str) -> str:
    # As `unquote`: each run of %XX escapes is decoded as UTF-8 bytes (errors replaced); a
    # literal character ends a multi-byte sequence, so runs are decoded one by one.
    return _URL_ESCAPES.sub(lambda m: bytes.fromhex(m[0].replace("%", "")).decode("utf-8", "replace"),
                            text)


def css_unescaped(text: str) -> str:
    """CSS escapes (`\\30 \\36 6`, and `\\t`: a backslash before any other character is that
    character) decoded, as a style sheet's strings show them."""
    def char(m: re.Match[str]) -> str:
        if m[1] is None:
            return m[2]
        code = int(m[1], 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return _CSS_ANY_ESCAPE.sub(char, text) if "\\" in text else text


def _decoded_once(text: str, utf8: bytes | None = None) -> str:
    """`unquote(html.unescape(json_unescape(text)))`, skipping each step with nothing to do.

    `utf8`: `text` encoded, if at hand; JSON and URL escapes are then decoded in bytes (a
    search index's text is 25 MB, and UCS-2 string operations are several times slower).
    """
    if "\\u" in text and utf8 is not None:
        utf8 = _json_unescaped(utf8)
    if utf8 is None:
        if "\\u" in text:
            text = _JSON_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)
    elif b"&" not in utf8:
        if b"%" in utf8:
            utf8 = _URL_ESCAPES_BYTES.sub(lambda m: bytes.fromhex(m[0].replace(b"%", b"").decode())
                                          .decode("utf-8", "replace").encode("utf-8"), utf8)
        return utf8.decode("utf-8")
    else:
        text = utf8.decode("utf-8")
    if "&" in text:
        text = html.unescape(text)
    if "%" in text:
        text = _url_unescaped(text)
    return text


_ENTITY_START = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def _has_escape(text: str) -> bool:
    return ("\\u" in text and _JSON_ESCAPE.search(text) is not None) or \
        ("&" in text and _ENTITY_START.search(text) is not None) or \
        ("%" in text and _URL_ESCAPES.search(text) is not None)


def decoded(text: str, utf8: bytes | None = None) -> str:
    """`text` with JSON, HTML and URL escapes decoded, again and again until none is left
    (`%2526%2334;` is `&#34;` is `"`)."""
    return decodings(text, utf8)[-1]


def decodings(text: str, utf8: bytes | None = None) -> list[str]:
    """`text` decoded once (`_decoded_once`), and again, each in turn, to `decoded`: a
    browser decodes a page's escapes once (`&amp;#198038;` shows `&#198038;`), a search
    result's JSON, then HTML."""
    results = [_decoded_once(text, utf8)]
    for _ in range(_MOST_DECODINGS):
        if results[-1] == text or not _has_escape(results[-1]):
            break
        text = results[-1]
        results.append(_decoded_once(text))
    return results


def _separator_escapes_only(text: bytes) -> bool:
    return all(is_separator(chr(int(escape, 16))) for escape in set(_JSON_ESCAPE_BYTES.findall(text)))


# What `html.unescape` decodes: its own pattern, so that the same text is an escape here.
_CHARREF_BYTES = re.compile(rb"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")


@functools.lru_cache(maxsize=4096)
def _escape_shown(escape: bytes) -> bytes | None:
    """What an HTML escape shows, where that is ASCII or separators (a separator as one gap)."""
    chars = html.unescape(escape.decode("ascii"))
    if not all(ch < "\x80" or is_separator(ch) for ch in chars):
        return None
    return chars.encode("ascii", "replace")


def _entities_reduced(text: bytes) -> bytes | None:
    """HTML escapes in ASCII `text` replaced by what they show, where each shows ASCII or
    separators (`&amp;`, `&lt;`, `&mdash;`: a separator as one gap); None otherwise."""
    # Each `&` found with `find`, the pattern tried only there: as `sub`, a page's few dozen
    # escapes without a regex step at each of its bytes.
    parts, done = [], 0
    at = text.find(b"&")
    while at >= 0:
        escape = _CHARREF_BYTES.match(text, at)
        if escape is None:
            at = text.find(b"&", at + 1)
            continue
        shown = _escape_shown(escape[0])
        if shown is None:
            return None
        parts += [text[done:at], shown]
        done = escape.end()
        at = text.find(b"&", done)
    return b"".join(parts) + text[done:] if parts else text


def reduced_decoded(text: bytes, seen: Seen) -> bytes | None:
    """`reduced(decoded(text))` for ASCII `text` whose JSON escapes are all separators and
    which has no escape of an escape; None otherwise. A search index's escapes are bullets and
    dashes, a page's `&amp;` and `&lt;`: this skips building megabytes of UCS-2 text."""
    # One-byte tests first: `memchr`, where a test for two bytes reads the whole page.
    json = b"\\" in text and b"\\u" in text
    if (b"%" in text and b"%25" in text) or (json and b"&" in text):
        return None
    if json:
        if not _separator_escapes_only(text):
            return None
        text = _JSON_ESCAPE_BYTES.sub(b"?", text)  # no "%" or hex digit: URL escapes stay as they are
    if b"&" in text:
        decoded_text = _entities_reduced(text)
        if decoded_text is None:
            return None
        text = decoded_text
    if b"%" in text:
        text = _URL_ESCAPES_BYTES.sub(lambda m: reduced(bytes.fromhex(m[0].replace(b"%", b"").decode())
                                                        .decode("utf-8", "replace"), seen), text)
    # An escape of an escape (`&amp;#48;`, `%26%2348%3B`): `decoded` reads it to the end.
    return None if _has_escape_bytes(text) else text


def _has_escape_bytes(text: bytes) -> bool:
    """`_has_escape` of ASCII text, in bytes; where reduced, it may find more, never less
    (an escape is ASCII, and reducing keeps every ASCII character)."""
    return (b"\\" in text and _found_at(_JSON_ESCAPE_BYTES, text, b"\\u")) or \
        _found_at(_ENTITY_START_BYTES, text, b"&") or _found_at(_URL_ESCAPES_BYTES, text, b"%")


def _found_at(pattern: re.Pattern[bytes], text: bytes, start: bytes) -> bool:
    """Whether `pattern`, which begins with `start`, matches in `text`: tried where `find` finds
    `start`, faster than `search` where `start` is rare (a page's `&&` and `%`)."""
    at = text.find(start)
    while at >= 0:
        if pattern.match(text, at) is not None:
            return True
        at = text.find(start, at + 1)
    return False


_ENTITY_START_BYTES = re.compile(_ENTITY_START.pattern.encode())


# --- markup -------------------------------------------------------------------------------------
# A tag begins with `<` and a letter, `/`, `!` or `?` (an end tag, a comment, a bogus one):
# any other `<` is text to a browser (`<066<b>198038` shows `<066198038`).
TAG = re.compile(r"<[a-zA-Z/!?][^>]*>")
TAG_BYTES = re.compile(rb"<[a-zA-Z/!?][^>]*>")


def without_tags(text: bytes) -> bytes:
    """HTML `text` without its tags. Removed only up to the last `>`: after it no `<` begins a
    tag that ends, and `TAG` tried at each such `<` reads on to the end of the text (a page of
    80 KB of `<` took seconds)."""
    last = text.rfind(b">") + 1
    return TAG_BYTES.sub(b"", text[:last]) + text[last:]


# Tags as a browser's tokenizer reads them: a quoted value runs on to its closing quote, `<`
# and `>` in it included (`<span title="a>b" hidden>`). Read in views of their own, beside the
# views where a tag ends at its first `>`: a quote in a script, a comment or an escape runs on
# here over text a browser shows, and the other views read that text.
# A quote begins a value only just after `=` (and white space): elsewhere it is a character
# of a name or of an unquoted value.
# (A quote after `=` opens a value that must close: `(?![\"'])` where it does not.)
_QUOTED_TAG = re.compile(r"<[a-zA-Z/!?](?:[^<>=]++|=[\t\n\f\r ]*+(?:\"[^\"]*+\"|'[^']*+'|(?![\"'])))*+>")
_TAG_TO_END = re.compile(
    rb"<[a-z][a-z0-9-]*+(?:[^>=]++|=[\t\n\f\r ]*+(?:\"[^\"]*+\"|'[^']*+'|(?![\"'])))*+")
_TAG_TO_END_OPEN = re.compile(_TAG_TO_END.pattern + rb"(?:=[\t\n\f\r ]*+(?:\"[^\"]*+|'[^']*+))?")
_QUOTED_ANGLE = re.compile(rb"=\s*+(?:\"[^\"<>]*+[<>]|'[^'<>]*+[<>])")
TAG_REACH = 4096  # how far back the tag holding a place is looked for
_MOST_TAGS = 16  # ... and how many tags begun there are read


def quoted_angles(text: bytes) -> bool:
    """Whether a quoted value in HTML `text` holds a `<` or `>`: then its tags are read as a
    browser's tokenizer reads them too (`decoded_between_tags`, `hidden_spans`)."""
    return b"=" in text and _QUOTED_ANGLE.search(text) is not None


def tags_holding(lower: bytes, at: int, open_value: bool = False) -> list[tuple[int, bytes]] | None:
    """The tags of lower-cased HTML whose attributes run on to `at`, quoted values read to their
    closing quote (`<ol title="a>b" start=`): where each begins, and its element's name. Looked
    for at most `TAG_REACH` bytes back; None where more than `_MOST_TAGS` tags begin there and
    none of the last holds `at`. `open_value`: `at` inside a quoted value counts too."""
    pattern = _TAG_TO_END_OPEN if open_value else _TAG_TO_END
    starts = [(m.start(), m[1]) for m in _ELEMENT_NAME.finditer(lower, max(0, at - TAG_REACH), at)]
    held = []
    for start, name in starts[-_MOST_TAGS:]:
        tag = pattern.match(lower, start, at)
        if tag is not None and tag.end() == at:
            held.append((start, name))
    return held if held or len(starts) <= _MOST_TAGS else None


def _held_or_near(lower: bytes, at: int) -> list[tuple[int, bytes]]:
    """`tags_holding`, or where there are too many to read, the last tags begun before `at`:
    a span taken as hidden only makes one more view, never one less."""
    held = tags_holding(lower, at)
    if held is None:
        held = [(m.start(), m[1]) for m in _ELEMENT_NAME.finditer(lower, max(0, at - TAG_REACH), at)]
    return held[-_MOST_TAGS:]


def decoded_between_tags(text: str, quoted: bool = False) -> str:
    """HTML `text` without its tags, the text between them decoded (`decoded`). A browser
    finds the tags first, so an escaped `<` or `>` is text, never part of a tag: in
    `066<span title="&gt;" hidden>4</span>198038` the `4` is hidden, and
    `&lt;a title="066<b></b>198038"&gt;` shows `066198038`. `quoted`: tags as a browser's
    tokenizer reads them (`quoted_angles`)."""
    if quoted:
        pieces = _QUOTED_TAG.split(text)
    else:
        last = text.rfind(">") + 1
        pieces = [*TAG.split(text[:last]), text[last:]]
    return "".join(decoded(piece) for piece in pieces)


def escapes_write_tags(text: bytes, decoded_text: bytes) -> bool:
    """Whether decoding escapes (`decoded_text`) wrote a `<` or `>` into HTML `text`: then the
    tags of the decoded text are not the page's (`decoded_between_tags`)."""
    return decoded_text is not text and b"<" in text and (
        decoded_text.count(b"<") != text.count(b"<") or decoded_text.count(b">") != text.count(b">"))


def escapes_hold_digits(text: bytes) -> bool:
    """Whether an escape a browser does not decode in a page's text is written with digits
    (`\\u0030`, `%30`): it shows them (`%066`), and the decoded views lose them."""
    return b"\\u" in text or (b"%" in text and _URL_ESCAPES_BYTES.search(text) is not None)


def tag_readings(text: bytes, decoded_text: bytes) -> list[bool]:
    """How HTML `text` (reduced to bytes) is read again, besides its decoded text with tags
    ending at their first `>`: for each reading, whether tags are read as a browser's
    tokenizer reads them (`decoded_between_tags`). Its own tags, where escapes wrote a `<` or
    `>` (`escapes_write_tags`); as the tokenizer, where a quoted value holds one."""
    return [quoted for quoted, needed in ((False, escapes_write_tags(text, decoded_text)),
                                          (True, quoted_angles(text))) if needed]
# What a browser does not display: comments, scripts, style sheets, templates, and elements
# marked hidden. Their text is still in the file, and read in the other views.
# A comment ends at `-->` or `--!>`; `<!-->` and `<!--->` are empty ones.
_COMMENT = re.compile(rb"<!--(?:-?>|.*?(?:--!?>|\Z))", re.DOTALL)
# Elements whose text no browser draws (a frame's, a media element's and a canvas's are for
# browsers without them; a dialog's, until it is opened; a title's in the body, never).
_NOT_SHOWN_NAMES = (b"script", b"style", b"template", b"noscript", b"title", b"dialog", b"datalist",
                    b"iframe", b"noembed", b"noframes", b"video", b"audio", b"canvas", b"meter",
                    b"progress", b"rp", b"object", b"details", b"desc", b"metadata",
                    b"filter", b"lineargradient", b"radialgradient", b"pattern", b"mask",
                    b"clippath", b"symbol", b"defs", b"marker", b"math", b"rt")
# Elements a browser closes where another begins (`<li>` at the next `<li>`), besides their end tag.
_CLOSED_BY = {name: tuple(re.compile(re.escape(opener)) for opener in openers) for name, openers in {
    b"li": (b"<li",), b"dt": (b"<dt", b"<dd"), b"dd": (b"<dt", b"<dd"), b"p": (b"<p",),
    b"option": (b"<option",), b"tr": (b"<tr",), b"td": (b"<td", b"<th", b"<tr"),
    b"th": (b"<td", b"<th", b"<tr")}.items()}
_SUMMARY = re.compile(rb"<summary(?=[\s/>])")
# Elements before which a browser ignores an end tag of an element they stand in (`</span>`
# in `<span><div></span>`: HTML's "special" elements that have content, and the scope
# boundaries of MathML and SVG).
_SCOPE = frozenset(
    b"address applet article aside blockquote body button caption center colgroup dd details "
    b"dir div dl dt fieldset figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 head header "
    b"hgroup html iframe li listing main marquee menu nav noembed noframes noscript object ol p "
    b"plaintext pre script search section select style summary table tbody td template textarea "
    b"tfoot th thead title tr ul xmp mi mo mn ms mtext annotation-xml foreignobject desc".split())
# Tags that may close an element begun before them, in lower-cased HTML: an end tag, or the
# start of an element `_SCOPE` lists (a block closes a paragraph, an item the item before).
_CLOSING_TAG = re.compile(rb"</[a-z]|<(?:%s)(?=[\t\n\f\r />])" % b"|".join(sorted(_SCOPE)))
_RAW_TEXT = frozenset((b"script", b"style", b"title", b"iframe", b"noembed", b"noframes", b"noscript"))
# Their start tags, by one pattern (a literal `<` first: a fast search); after the name a word
# ends (`<scripts>` is another element).
_NOT_SHOWN = re.compile(rb"<(%s)\b" % b"|".join(_NOT_SHOWN_NAMES))
# From the byte before; `hidden` is an attribute after a space, a `/` or a quoted value too.
# A style attribute written with an escape (HTML's `&`, CSS's `\`) may say anything, and so
# may a CSS comment beside `display` or `visibility` (`display:/**/none`): taken as hiding.
_HIDING = re.compile(rb"[\s/\"'](?:hidden|popover)\b|"
                     rb".(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|(?:display|visibility)\s*(?::\s*)?/\*)|"
                     rb"[\s/\"']style\s*=\s*(?:\"[^\"&\\]*[&\\]|'[^'&\\]*[&\\]|[^\s>&\\]*[&\\])|"
                     rb"[\s/\"'](?:display|visibility)\s*=\s*[\"']?\s*(?:none|hidden|collapse)", re.DOTALL)
_ELEMENT_NAME = re.compile(rb"<([a-z][a-z0-9-]*)")
_HIDING_WORDS = (b"hidden", b"display", b"visibility", b"popover", b"style")  # where `_HIDING` may match
# An SVG that holds text outside a tag (`<svg>x</svg>`): SVG draws only its text elements' text,
# and an SVG of no size draws nothing. Read as not displayed; the theme's icons hold none.
_SVG_WITH_TEXT = re.compile(rb"<svg(?=[\s/>])[^>]*+>(?:\s*+<(?!/svg[\s/>])[^>]*+>)*+\s*+[^\s<]")


def plain_markup(text: bytes) -> bool:
    """Whether HTML `text` (ASCII) holds nothing a reader sees otherwise than as its bytes
    without tags: no escape of any kind, no comment, nothing a browser does not display, no
    word that hides an element (`_not_shown`), no right-to-left markup (`_rtl_markup`), no quoted
    value holding an angle bracket (`tag_readings`). Most of a site's pages are such text: its
    views are the text as written and without tags, nothing else to look for."""
    if b"&" in text or b"\\" in text or b"%" in text:
        return False
    return _nothing_hidden(text)


def _nothing_hidden(text: bytes) -> bool:
    """`plain_markup`, escapes aside."""
    lower = text.lower()
    return not any(word in lower for word in _HIDING_WORDS) and \
        not any(word in lower for word in _RTL_WORDS) and b"<!--" not in lower and \
        _NOT_SHOWN.search(lower) is None and _SVG_WITH_TEXT.search(lower) is None and \
        _QUOTED_ANGLE.search(text) is None


def _not_shown(lower: bytes, quoted: bool = False) -> list[tuple[int, int]]:
    """The spans of lower-cased HTML a browser does not display, in order, each as found (one
    may hold or overlap another). `quoted`: `hidden` in a tag read as a browser's tokenizer
    reads it (`tags_holding`)."""
    spans = [(m.start(), m.end()) for m in _COMMENT.finditer(lower)] if b"<!--" in lower else []
    # Where each pattern was found next, and from where it was looked for: a page of hidden
    # elements asks for the same end tag from each, and would be read to it (or to its end)
    # at each. Lookups from a match on (the next end tags, the next tags) are kept by place:
    # they lie further on, and each element asks for the same ones.
    found_from: dict[re.Pattern[bytes], tuple[int, int]] = {}
    found_after: dict[tuple[re.Pattern[bytes], int], int] = {}
    found_all: dict[re.Pattern[bytes], list[int]] = {}  # every match, where a stretch is long

    def next_at(pattern: re.Pattern[bytes], at: int) -> int:
        known = found_from.get(pattern)
        if known is not None and known[0] <= at and (at <= known[1] or known[1] < 0):
            return known[1]
        found = pattern.search(lower, at)
        where = -1 if found is None else found.start()
        found_from[pattern] = (at, where)
        return where

    def next_after(pattern: re.Pattern[bytes], match: int) -> int:
        where = found_after.get((pattern, match))
        if where is None:
            found = pattern.search(lower, match + 1)
            where = found_after[pattern, match] = -1 if found is None else found.start()
        return where

    def count(pattern: re.Pattern[bytes], start: int, end: int) -> int:
        if end - start <= TAG_REACH:
            return len(pattern.findall(lower, start, end))
        if pattern not in found_all:
            found_all[pattern] = [m.start() for m in pattern.finditer(lower)]
        every = found_all[pattern]
        return bisect.bisect_left(every, end) - bisect.bisect_left(every, start)

    def span_end(name: bytes, at: int) -> int:
        close = next_at(_end_tag(name), at)
        return len(lower) if close < 0 else lower.find(b">", close) + 1 or len(lower)

    elements: list[tuple[int, bytes]] = []  # every element's start tag, where a stretch is long
    later_known: dict[tuple[bytes, int], list[int]] = {}  # `later_ends`, by element

    def tags_in(start: int, end: int) -> list[tuple[int, bytes]]:
        """The first `_MOST_TAGS` + 1 start tags from `start` to `end`: where, and their names."""
        if end - start <= TAG_REACH:
            return [(m.start(), m[1]) for m in
                    itertools.islice(_ELEMENT_START.finditer(lower, start, end), _MOST_TAGS + 1)]
        if not elements:
            elements.extend((m.start(), m[1]) for m in _ELEMENT_START.finditer(lower))
        first = bisect.bisect_left(elements, (start, b""))
        return elements[first:min(bisect.bisect_left(elements, (end, b""), first), first + _MOST_TAGS + 1)]

    def later_ends(name: bytes, start: int, at: int) -> list[int]:
        """Where an element whose tag begins at `start` (its text at `at`) may end instead of
        at its first end tag: at the next end tags of its name, where an element of its name
        stands inside it (`<span hidden><span>x</span>4</span>`), or one before which a
        browser ignores the end tag stands open in it (`<span hidden><div></span>`), or the
        first end tag stands in an attribute value (`title="</span>"`), a comment or a raw
        text element. Read up to `_MOST_TAGS` tags in: past them, the next ends are taken."""
        known = later_known.get((name, start))
        if known is not None:
            return known
        ends: list[int] = []
        later_known[name, start] = ends
        close = next_at(_end_tag(name), at)
        if close < 0:
            return ends
        tags = tags_in(start, close)
        inner = [tag_name for _, tag_name in tags[1:]]
        if not (len(tags) > _MOST_TAGS or 0 <= next_at(_RAW_START, start) < close or name in inner or
                any(inner.count(tag_name) > count(_end_tag(tag_name), start, close)
                    for tag_name in _SCOPE.intersection(inner)) or
                any((tag := _TAG_TO_END.match(lower, tag_at)) is not None and tag.end() > close
                    for tag_at, _ in tags)):
            return ends
        for _ in range(_MOST_CLOSES):
            close = next_after(_end_tag(name), close)
            ends.append(len(lower) if close < 0 else lower.find(b">", close) + 1 or len(lower))
            if close < 0:
                break
        return ends

    def next_tags(name: bytes, end: int, at: int) -> list[int]:
        """The next `_NEXT_TAGS` tags after `at` and before `end` that may close an element
        of `name` (`_CLOSING_TAG`): an ancestor's end tag, past an inline element's, or a
        block that closes a paragraph or an item it stands in; for a paragraph or an item, up
        to the first block (which closes it)."""
        found = [next_at(_CLOSING_TAG, at)]
        while 0 <= found[-1] < end and len(found) < _NEXT_TAGS and (
                name not in _CLOSED_BY or lower[found[-1] + 1] == ord("/")):
            found.append(next_after(_CLOSING_TAG, found[-1]))
        return [tag for tag in found if 0 <= tag < end]

    def span_ends(name: bytes, start: int, at: int) -> list[int]:
        """Where a hidden element may end (each a view): at its end tag or a later one of its
        name (`later_ends`); at one of the next tags, or where another of its kind closes it."""
        ends = [span_end(name, at)]
        text_at = lower.find(b">", at) + 1 or at
        ends += next_tags(name, ends[0], text_at)
        for opener in _CLOSED_BY.get(name, ()):
            closed = next_at(opener, text_at)
            if 0 <= closed < ends[0]:
                ends.append(closed)
        return [*ends, *later_ends(name, start, at)]

    def details_spans(start: int, at: int, end: int) -> list[tuple[int, int]]:
        """A closed `details` shows its summary: hidden around it."""
        summary = next_at(_SUMMARY, at)
        if not 0 <= summary < end:
            return [(start, end)]
        return [(start, summary), (min(span_end(b"summary", summary), end), end)]

    def element_ends(name: bytes, start: int, name_end: int) -> list[int]:
        """Where an element not displayed, its tag begun at `start`, may end: at its end tag,
        one of the next tags, or a later end tag of its name (`span_ends`)."""
        end = span_end(name, name_end)
        return [end, *next_tags(name, end, lower.find(b">", name_end) + 1 or name_end),
                *later_ends(name, start, name_end)]

    at = 0
    while (found := _NOT_SHOWN.search(lower, at)) is not None:
        # A raw text element's text, up to its close, is text; another's holds elements.
        if found[1] in _RAW_TEXT:
            end = span_end(found[1], found.end())
            spans.append((found.start(), end))
            at = end
            continue
        for end in element_ends(found[1], found.start(), found.end()):
            spans += details_spans(found.start(), found.end(), end) if found[1] == b"details" else \
                [(found.start(), end)]
        at = found.end()
    for found in _SVG_WITH_TEXT.finditer(lower):
        spans += [(found.start(), end) for end in element_ends(b"svg", found.start(), found.start() + 4)]
    for word in _HIDING_WORDS:
        at = lower.find(word)
        while at >= 0:
            # Inside a tag (no ">" between), as an attribute or a style declaration.
            if _HIDING.match(lower, at - 1):
                if quoted:
                    spans += [(tag, end) for tag, name in _held_or_near(lower, at)
                              for end in span_ends(name, tag, at)]
                else:  # each `<name` back to a `>`: in `<span <b hidden>`, the span is hidden
                    start = lower.rfind(b"<", 0, at)
                    for _ in range(_MOST_STARTS):
                        if start < 0 or lower.find(b">", start, at) >= 0:
                            break
                        named = _ELEMENT_NAME.match(lower, start)
                        if named is not None:
                            spans += [(start, end) for end in span_ends(named[1], start, at)]
                        start = lower.rfind(b"<", 0, start)
            at = lower.find(word, at + 1)
    return sorted(set(spans))


_MOST_STARTS = 8  # `<` read back from `hidden` to a `>`
_MOST_CLOSES = 4  # later end tags of a hidden element's name, each where it may end
_NEXT_TAGS = 4  # tags after a hidden element's start, each where it may end
_RAW_START = re.compile(rb"<!--|<(?:script|style|textarea|title|xmp|iframe|noscript|noembed|noframes)\b")
_ELEMENT_START = re.compile(rb"<([a-z][a-z0-9-]*)(?=[\s/>])")


@functools.lru_cache(maxsize=256)
def _end_tag(name: bytes) -> re.Pattern[bytes]:
    """An end tag of `name` in lower-cased HTML: its name ends (`</spanx>` closes no span)."""
    return re.compile(rb"</" + re.escape(name) + rb"(?=[\t\n\f\r />]|\Z)")


def merged_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans, those that overlap or touch made one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@functools.lru_cache(maxsize=4)
def hidden_spans(text: bytes, quoted: bool = False) -> tuple[tuple[int, int], ...]:
    """`_not_shown` of HTML `text` (reduced to bytes), in any case: kept for the last few texts,
    as a part's views and its end (`ends_inside`) ask for the same text's spans."""
    return tuple(_not_shown(text.lower(), quoted))


# Attributes a browser draws as text in the page: a form field's value and placeholder, an
# image's alternative text (while the image does not load), an option's label (not ARIA's:
# `aria-label` is read aloud, never drawn). Looked for in the tags of the elements that draw
# them, found in lower-cased HTML, each tag read to its end (quoted values read whole).
_DRAWING_TAG = re.compile(rb"<(?:input|img|option|optgroup|textarea)(?=[\s/>])")
_SHOWN_ATTRIBUTE = re.compile(
    rb"""[\s/"'](?:value|alt|placeholder|label)\s*+=\s*+(?:"([^"]*+)"|'([^']*+)'|([^\s"'=<>`]++))""")


def shown_attributes(text: bytes) -> bytes | None:
    """HTML `text` (reduced to bytes) as a browser draws it with the attribute values it shows
    as text (`<input value="066"><input value="198038">` shows 066198038): without its tags and
    what it does not display, each tag that holds such an attribute replaced by its values;
    None if no tag holds one."""
    lower = text.lower()
    tags: dict[int, tuple[int, list[bytes]]] = {}  # where each such tag begins -> its end, values
    end = 0
    for element in _DRAWING_TAG.finditer(lower):
        if element.start() < end:
            continue  # inside the tag before, as a browser reads it: text of its attributes
        # Read up to `TAG_REACH` bytes: a page of thousands of tags that never end stays linear.
        tag = _TAG_TO_END.match(lower, element.start(), element.start() + TAG_REACH)
        end = tag.end() if tag is not None else len(text)
        values = [text[slice(*found.span(next(i for i in (1, 2, 3) if found[i] is not None)))]
                  for found in _SHOWN_ATTRIBUTE.finditer(lower, element.end() - 1, end)]
        if values:
            tags[element.start()] = (min(end + 1, len(text)), values)
    if not tags:
        return None
    # The displayed text: what is not displayed left out, the text around it joined.
    hidden = merged_spans(hidden_spans(text))
    shown = [(start, end) for start, end in zip([0, *(e for _, e in hidden)],
                                                [*(s for s, _ in hidden), len(text)], strict=True)]
    starts = sorted(tags)
    pieces: list[bytes] = []
    for low, high in shown:
        done = low
        for start in starts[bisect.bisect_left(starts, low):bisect.bisect_left(starts, high)]:
            if start < done:
                continue  # inside the tag before
            end, values = tags[start]
            pieces += [without_tags(text[done:start]), b" ".join(values)]
            done = min(end, high)
        pieces.append(without_tags(text[done:high]))
    return b"".join(pieces)


# An ordered list draws each item's number before it (`<ol start="66"><li>198038` shows
# `66. 198038`): its start, an item's own value, counting down where it is reversed.
_LIST_TAG = re.compile(rb"<(/?)([ou]l)(?=[\s/>])")
_ITEM = re.compile(rb"<li(?=[\s/>])")
_LIST_START = re.compile(rb"""[\s/"']start\s*+=\s*+["']?\s*+([+-]?\d{1,9})""")
_ITEM_VALUE = re.compile(rb"""[\s/"']value\s*+=\s*+["']?\s*+([+-]?\d{1,9})""")
_REVERSED = re.compile(rb"""[\s/"']reversed(?=[\s/>=])""")


def ends_in_ordered_list(text: bytes) -> bool:
    """Whether HTML `text` opens an ordered list it does not close: its items run on past it."""
    lower = text.lower()
    opened = lower.rfind(b"<ol")
    return opened >= 0 and opened > lower.rfind(b"</ol")


def list_markers(text: bytes) -> bytes | None:
    """HTML `text` (reduced to bytes) without its tags, each item of an ordered list after the
    number a browser draws before it; None if it has no ordered list."""
    lower = text.lower()
    if b"<ol" not in lower:
        return None
    pieces: list[bytes] = []
    done = 0
    lists: list[list[int] | None] = []  # each open list: [next number, step], None for `<ul>`
    # An item a browser does not display (hidden, in a comment, a script, a template) has no
    # number and takes none: the numbers go on past it. Looked for where the lists are.
    first, last = lower.find(b"<ol"), lower.rfind(b"</ol")
    hidden = [] if _nothing_hidden(text[first:last if last > first else len(text)]) else \
        merged_spans(hidden_spans(text))
    at = 0  # where the items of the innermost list are looked for from
    ends = [-1]  # the last `>` found: tags are read in order, each `>` looked for once

    def tag_end(start: int) -> int:
        if ends[0] < start:
            found = lower.find(b">", start)
            ends[0] = len(lower) if found < 0 else found
        return min(ends[0] + 1, len(lower), start + TAG_REACH)

    for tag in [*_LIST_TAG.finditer(lower), None]:
        until = tag.start() if tag is not None else len(lower)
        counter = lists[-1] if lists else None
        if counter is not None:
            for item in _ITEM.finditer(lower, at, until):
                if item.start() < done or any(low <= item.start() < high for low, high in hidden):
                    continue  # inside the item's tag before, or not displayed
                end = tag_end(item.end())
                value = _ITEM_VALUE.search(lower, item.end(), end)
                number = int(value[1]) if value else counter[0]
                counter[0] = number + counter[1]
                pieces += [without_tags(text[done:item.start()]), b"%d. " % number]
                done = end
        if tag is None:
            break
        if tag.start() < at:
            continue  # inside the list's tag before
        at = tag_end(tag.end())
        if tag[1]:
            if lists:
                lists.pop()
        elif tag[2] == b"ol":
            written = lower[tag.start():at]
            start = _LIST_START.search(written)
            lists.append([int(start[1]) if start else 1, -1 if _REVERSED.search(written) else 1])
        else:
            lists.append(None)
    if not pieces:
        return None
    pieces.append(without_tags(text[done:]))
    return b"".join(pieces)


def displayed_joins(text: bytes, shown: Callable[[int, int], bytes] | None = None,
                    quoted: bool = False) -> list[bytes]:
    """Where a browser joins text around what it does not display: for each hidden span of
    HTML `text` (reduced to bytes), the displayed text around the place it was, tags removed,
    out to the nearest letter on each side (a number cannot reach further). A number split by
    a comment, a script or a hidden element (`066<span hidden>4</span>198038`) is whole there;
    every other run of the displayed text is in the view without tags already. `shown(start,
    end)`: what a stretch of `text` shows, if not its bytes without tags (escapes decoded).
    `quoted`: hidden elements found in tags read as a browser's tokenizer reads them."""
    if b"<" not in text:
        return []
    def tags_removed(start: int, end: int) -> bytes:
        return without_tags(text[start:end])

    shown = shown or tags_removed
    spans = hidden_spans(text, quoted)
    # Spans with no letter shown between them are removed together, as one:
    # `066<span hidden>4</span>198<span hidden>5</span>038`; so are spans that overlap or touch.
    chains: list[tuple[tuple[int, int], bytes, bool]] = []  # span, what shows between, chained
    single = set(spans)
    for start, end in merged_spans(spans):
        if chains and start - chains[-1][0][1] < _JOIN_REACH:
            (chain_start, chain_end), between, _ = chains[-1]
            gap = shown(chain_end, start)
            if b"a" not in gap.translate(_LETTER_TRACE):
                chains[-1] = ((chain_start, end), between + gap, True)
                continue
        chains.append(((start, end), b"", (start, end) not in single))
    windows = []
    for (start, end), between in [*((span, b"") for span in spans),
                                  *((chain, between) for chain, between, chained in chains if chained)]:
        before = shown(max(0, start - _JOIN_REACH), start)
        after = shown(end, end + _JOIN_REACH)
        # A letter ends a number: the window runs from the last letter before to the first after.
        last = before.translate(_LETTER_TRACE).rfind(b"a")
        first = after.translate(_LETTER_TRACE).find(b"a")
        window = before[last + 1:] + between + after[:first if first >= 0 else len(after)]
        if window.translate(None, _NOT_DIGIT):  # only a window with digits can hold a number
            windows.append(window)
    return windows


_JOIN_REACH = 1024
_NOT_DIGIT = bytes(b for b in range(256) if not 48 <= b <= 57)
_LETTER_TRACE = bytes(ord("a") if chr(b).isalpha() and b < 128 else ord(" ") for b in range(256))


# --- documents a page holds ------------------------------------------------------------------
# An iframe's `srcdoc` is a document the browser draws; so is a data URL an iframe, an object or
# an image shows (HTML, SVG, XML, text), written in base64 or with URL escapes.
_SRCDOC = re.compile(rb"""srcdoc\s*+=\s*+(?:"([^"]*+)"|'([^']*+)'|([^\s"'=<>`]++))""")
# Its type and parameters are bounded and hold no `:` (each `data:` is tried once: linear);
# its data runs to a quote or an angle bracket, white space included (a URL parser drops it
# from base64, which is often wrapped).
_DATA_URL = re.compile(
    rb"""data:\s*+([\w.+-]{0,127}/?[\w.+-]{0,127})((?:\s*+;[^,;:"'()<>]{0,256}){0,16}),([^"'<>]*+)""")
_SPACE = re.compile(rb"\s+")


def embedded_documents(text: bytes) -> list[bytes]:
    """The documents HTML `text` holds in its attributes (`srcdoc`, data URLs), decoded as a
    browser decodes them; none where it has neither."""
    lower = text.lower()
    found: list[bytes] = []
    if b"srcdoc" in lower:
        for match in _SRCDOC.finditer(lower):
            value = text[slice(*match.span(next(i for i in (1, 2, 3) if match[i] is not None)))]
            found.append(html.unescape(value.decode("utf-8", "replace")).encode("utf-8"))
    if b"data:" in lower:
        for match in _DATA_URL.finditer(lower):
            payload = text[match.start(3):match.end(3)]
            raw = urllib.parse.unquote_to_bytes(html.unescape(payload.decode("utf-8", "replace")))
            if _SPACE.sub(b"", match[2]).endswith(b";base64"):
                raw = _SPACE.sub(b"", raw)
                try:
                    raw = base64.b64decode(raw + b"=" * (-len(raw) % 4), validate=False)
                except binascii.Error:
                    continue  # a browser shows nothing of it either
            found.append(raw)
    return found


# --- a page read in parts ---------------------------------------------------------------------
# Where a page may be cut so that each part, read alone, shows every view what it shows within
# the page: after a line break, before spaces and a word whose first letter no reader takes for
# a digit (not O, o, I or l) and whose second is lower case. No view's number runs across it (a
# letter ends a number, and only spaces stand before it); no labelled number starts there (its
# first two characters are capitals or digits), nor `no.`, `nr.` or `number` (no word from n);
# no word the views look for (`rtl`, `hidden`, a label) holds a line break; and at least one
# space, because a CSS escape takes one white space character as its end (`\\72\ntl` is `rtl`).
_CUT = re.compile(rb"\n[ \t]++[A-HJ-MP-Za-kmp-z][a-z]")


def part_ends(text: bytes, size: int) -> list[int]:
    """Where parts of `text` of about `size` bytes or more end (`_CUT`), the last at its end.
    The same words start parts wherever they stand, so pages that share a stretch of markup (a
    room's navigation) are cut into the same parts there."""
    ends = []
    at = size
    while (found := _CUT.search(text, at)) is not None:
        ends.append(found.start() + 1)
        at = found.start() + 1 + size
    return [*ends, len(text)]


def ends_inside(text: bytes, quoted: bool = False) -> bool:
    """Whether HTML `text` ends inside a tag, or inside what a browser does not display (a
    comment, a script, an element marked hidden): such a part is read with the next.
    `quoted`: tags and hidden elements as a browser's tokenizer reads them, too."""
    return text.rfind(b"<") > text.rfind(b">") or \
        any(end == len(text) for _, end in hidden_spans(text, False)) or \
        (quoted and (tags_holding(text.lower(), len(text), open_value=True) != [] or
                     any(end == len(text) for _, end in hidden_spans(text, True))))


# --- style sheets -----------------------------------------------------------------------------
_STYLE = re.compile(rb"<style\b[^>]*>(.*?)(?:</style\s*>|\Z)|\sstyle\s*=\s*(\"[^\"]*\"|'[^']*')",
                    re.IGNORECASE | re.DOTALL)
_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
_PSEUDO_ELEMENT = re.compile(r":(?::)?(?:before|after|marker)\b", re.IGNORECASE)
_CONTENT = re.compile(r"content\s*:([^;}]*)", re.IGNORECASE)
_STRING = re.compile(r"\"([^\"]*)\"|'([^']*)'")
_LIST_STYLE = re.compile(r"list-style(?:-type)?\s*:([^;}]*)", re.IGNORECASE)
_LIST_COUNTER = re.compile(r"counter-(?:reset|set|increment)\s*:[^;}]*\blist-item\b", re.IGNORECASE)
_BIG_COUNTER = re.compile(r"counter-(?:reset|set|increment)\s*:[^;}]*?\d{3}", re.IGNORECASE)
# Attributes the theme's own style sheet shows (`attr(data-md-annotation-id)`, line numbers).
_THEME_ATTRIBUTE = re.compile(r"attr\(\s*data-(?:md-|linenos)", re.IGNORECASE)


def style_sheets(data: bytes, suffix: str) -> list[str]:
    """The style sheets in a file's UTF-8 bytes, escapes decoded: the whole of a `.css` file,
    the `<style>` elements and `style` attributes of an HTML page. Found in bytes (a page as
    text is several times slower to search), only each sheet decoded."""
    if suffix == ".css":
        return [css_unescaped(data.decode("utf-8", "replace"))]
    lower = data.lower()  # HTML names are case-insensitive in ASCII only
    sheets = []
    # A tag ends at a `>`: past the last, `<style` begins none (and the pattern would read on
    # to the end of the page at each).
    last_tag_end = data.rfind(b">")
    at = lower.find(b"style")
    while at >= 0:  # each place found with `find`, the pattern tried only there
        tag = at > 0 and data[at - 1:at] == b"<"
        found = _STYLE.match(data, at - 1) if at > 0 and (at < last_tag_end or not tag) else None
        if found is not None:
            sheet = found[1] if found[1] is not None else found[2][1:-1]
            sheets.append(css_unescaped(html.unescape(sheet.decode("utf-8", "replace"))))
        # Inside an element or a value found, `style` is its text.
        at = lower.find(b"style", found.end() if found is not None else at + 5)
    return sheets


def inserted_digits(sheet: str) -> str | None:
    """Why a style sheet may insert digits into the text a reader sees, where the leak guard
    cannot tell what they join (`::before { content: "066" }` beside `198038`); None if not."""
    for value in _LIST_STYLE.findall(sheet):  # a list's marker written as a string
        if any(digit_of(ch) is not None for ch in "".join(a or b for a, b in _STRING.findall(value))):
            return "a list's marker is set to text with digits (`list-style`)"
    if "@counter-style" in sheet.lower():
        return "a counter style draws a list's numbers its own way (`@counter-style`)"
    if _LIST_COUNTER.search(sheet):
        return "it sets the counter a list numbers its items with (`list-item`)"
    if _BIG_COUNTER.search(sheet):  # `content: counter()` shows it, and a list's own numbers
        return "it sets a counter to a number, which `content: counter()` or a list's numbers show"
    if "content" not in sheet:
        return None
    for rule in _pseudo_element_rules(sheet):
        for value in _CONTENT.findall(rule):
            strings = "".join(a or b for a, b in _STRING.findall(value))
            if any(digit_of(ch) is not None for ch in strings):
                return "a `::before` or `::after` rule's `content` shows digits"
            if "attr(" in value.lower() and not _THEME_ATTRIBUTE.search(value):
                return "a `::before` or `::after` rule's `content` shows an attribute"
    return None


def _pseudo_element_rules(sheet: str) -> list[str]:
    """The declarations of each rule whose selector names a pseudo-element that shows `content`."""
    return [body for selector, body in _RULE.findall(sheet)
            if "content" in body.lower() and _PSEUDO_ELEMENT.search(selector)]
