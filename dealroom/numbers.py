"""The one rule for what counts as an account number written in text, for the mask and the guard.

A number is its letters and digits, upper case, with up to three other characters between any
two (`066-198038`, `066 198 038`, `A/C066198038`). `Redactor` replaces every such written form
in free text by the masked form (mask stage); `Finder` finds them in a built file as a reader
sees it: as written, with escapes decoded, without tags, NFKC-normalised (leak guard). Both use
the one fold table below.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dealroom.types import iban_check

BULLET = "\u2022"
# The one fold table: four characters IGNORECASE matches to an ASCII letter (I, I, S and K).
_FOLDS = "\u0130\u0131\u017f\u212a"
# Characters that count as a letter or digit of a number: ASCII letters and digits, and the folds.
_FOLDS_TO_ALNUM = f"0-9A-Za-z{_FOLDS}"
_FOLD = str.maketrans(_FOLDS, "IISK")
_LETTER_OR_DIGIT = re.compile(f"[{_FOLDS_TO_ALNUM}]")
_NON_DIGITS = re.compile(r"[^0-9]+")
_DIGIT = re.compile(r"[0-9]")
# Labels that say the number after them is an account, in the languages of the deals' banks.
_LABEL = r"(?i:\b(?:a/c|acct\b\.?|account\b|iban\b|konto(?:nummer|nr)?\b\.?|compte\b|cuenta\b))"
_LABEL_HINT = re.compile(_LABEL)
# The label, an optional "No."/"Number"/"#"/":", then the number: digits and capitals with at
# most one separator between any two, ending in a digit (a following word is not the number).
_LABELLED = re.compile(_LABEL + r"(?:\s*(?i:no\.?|number|nr\.?|#))?\s*[:#]?\s*"
                       r"(?P<number>[0-9A-Z](?:[ \-./]?[0-9A-Z]){3,40}?(?:[ \-./]?[0-9])*[0-9])")
# A labelled run of fewer digits is a reference or a count, not an account.
LABELLED_MIN_DIGITS = 5


@dataclass(frozen=True)
class Secret:
    """A raw number that must never be published, and where it came from (for messages)."""

    number: str
    deal: str
    field: str

    @property
    def digits(self) -> str:
        """The number's letters and digits, upper case: how it is recognised wherever written."""
        return "".join(ch for ch in self.number if ch.isalnum()).upper()


def mask_number(number: str, visible_digits: int) -> str:
    """`066-198038` -> `•••••8038`: one bullet per hidden character, separators dropped.

    Never more than half of the characters show: a 5-digit account shows at most 2.
    An IBAN is masked as one (`mask_iban`): every form of a number is masked the same way."""
    if is_iban(number):
        return mask_iban(number, visible_digits)
    chars = [ch for ch in number if ch.isalnum()]
    visible_digits = min(visible_digits, len(chars) // 2)
    shown = chars[len(chars) - visible_digits:] if visible_digits else []
    return BULLET * (len(chars) - len(shown)) + "".join(shown)


_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")


def _compact(number: str) -> str:
    return "".join(ch for ch in number if ch.isalnum()).upper()


def is_iban(number: str) -> bool:
    """An IBAN by its form and its ISO 13616 check digits, however it is written (spaced, lower
    case): decided by the value, so that a note quoting it is masked like the field."""
    compact = _compact(number)
    return compact.isascii() and _IBAN.fullmatch(compact) is not None and iban_check(compact)


def mask_iban(iban: str, visible_digits: int) -> str:
    """`GB82 WEST 1234 5698 7654 32` -> `GB•• •••• •••• •••• ••54 32`: the country code and the
    last characters (at most four) stay, in the print form's groups of four, whatever the
    grouping written. The check digits are hidden: with the tail they would narrow the rest."""
    compact = _compact(iban)
    tail = min(visible_digits, 4)
    chars = compact[:2] + BULLET * (len(compact) - 2 - tail) + (compact[-tail:] if tail else "")
    return " ".join(chars[i:i + 4] for i in range(0, len(chars), 4))


def domestic_part(iban: str) -> str:
    """The BBAN of an IBAN (all but the country code and the check digits): the same account as
    written for domestic payments, a secret as much as the IBAN is."""
    return _compact(iban)[4:]


# The shortest account a BBAN ends with (UK and Irish accounts: 8 digits after the sort code).
_ACCOUNT_TAIL = 8
_TRAILING_DIGITS = re.compile(r"[0-9]+$")


def _other_forms(secret: Secret) -> Iterator[Secret]:
    """The other ways the same account is written: an IBAN's domestic part and the account at
    its end (`GB82 WEST 1234 5698 7654 32` is sort code 12-34-56, account 98765432; a German
    BBAN is the bank code and the 10-digit Kontonummer, written alone and without its leading
    zeros), and a lettered account number's digits alone (`ESC-558812-01` is `558812-01` in
    a clerk's note)."""
    if is_iban(secret.number):
        bban = domestic_part(secret.number)
        yield Secret(bban, secret.deal, f"{secret.field} (its domestic part)")
        tail = _TRAILING_DIGITS.search(bban)
        digits = tail[0] if tail else ""
        for start in range(1 if digits == bban else 0, len(digits) - _ACCOUNT_TAIL + 1):
            yield Secret(digits[start:], secret.deal, f"{secret.field} (its account part)")
        return
    digits = _NON_DIGITS.sub("", secret.number)
    # At least 5 digits, as every account number field holds (`types._account_number`).
    if digits != secret.digits and len(digits) >= 5 and len(set(digits)) > 1:
        yield Secret(digits, secret.deal, f"{secret.field} (its digits)")


def with_domestic_parts(secrets: Iterable[Secret]) -> list[Secret]:
    """The secrets, and every other written form of each (`_other_forms`) as a secret of its own."""
    found = list(secrets)
    found += [other for s in found for other in _other_forms(s)]
    return found


def number_pattern(digits: str, gap: str = r"[^0-9A-Za-z]{0,3}") -> str:
    """A regex for `digits` written with any separators (spaces, dashes, dots or none).

    No word boundaries: `A/C066198038` is the number too. The guard matches the same way, so
    whatever it would refuse in a note is masked there first.
    """
    return gap.join(re.escape(ch) for ch in digits)


class Redactor:
    """Replaces every written form of the given secrets in free text with the masked form.

    A number is its letters and digits with up to three other characters between any two
    (`number_pattern`). Rather than one regex alternative per number, which costs time in the
    number of secrets at every character of every text, the text's chains of letters and
    digits are looked up in a dictionary: linear in the text, whatever the size of the room.
    """

    def __init__(self, secrets: Iterable[Secret], visible_digits: int) -> None:
        by_digits = {s.digits: s for s in with_domestic_parts(secrets)}
        self.visible_digits = visible_digits
        self._masked = {d: mask_number(d, visible_digits) for d in by_digits}
        # Longest first, so a number that contains another is masked whole.
        self._lengths = sorted({len(d) for d in by_digits}, reverse=True)
        shortest = self._lengths[-1] if by_digits else 1
        # Numbers of digits alone can only be in chains of digits (a letter breaks a number):
        # most text has far fewer of those than chains of words.
        link = "0-9" if all(d.isascii() and d.isdigit() for d in by_digits) else _FOLDS_TO_ALNUM
        self._chains = re.compile(f"[{link}](?:[^{_FOLDS_TO_ALNUM}]{{0,3}}[{link}]){{{shortest - 1},}}")
        # A chain without as many digits as the number with the fewest cannot hold a number.
        self._fewest_digits = min((sum(ch.isdigit() for ch in d) for d in by_digits), default=0)
        # Where no number starts with the next few characters, no length need be tried.
        self._prefix = min(4, shortest)
        self._prefixes = {d[:self._prefix] for d in by_digits}

    def _spans(self, text: str) -> Iterator[tuple[int, int, str]]:
        for chain in self._chains.finditer(text):
            if len(_NON_DIGITS.sub("", chain[0])) < self._fewest_digits:
                continue
            at = [m.start() for m in _LETTER_OR_DIGIT.finditer(text, chain.start(), chain.end())]
            # Upper case, as numbers are kept: `gb29` in a note is the same number as GB29.
            folded = "".join(text[i] for i in at).translate(_FOLD).upper()
            start, end = 0, len(folded)
            while start < end:
                if folded[start:start + self._prefix] not in self._prefixes:
                    start += 1
                    continue
                for length in self._lengths:
                    if start + length <= end and folded[start:start + length] in self._masked:
                        yield at[start], at[start + length - 1] + 1, folded[start:start + length]
                        start += length
                        break
                else:
                    start += 1

    def __call__(self, text: str) -> str:
        # Most text of a deal (names, titles, short notes) has too few digits to hold a number:
        # counting them is cheaper than looking for chains.
        if not self._masked or len(_DIGIT.findall(text)) < self._fewest_digits:
            return self._labelled(text)
        parts, done = [], 0
        for start, end, digits in self._spans(text):
            parts += [text[done:start], self._masked[digits]]
            done = end
        return self._labelled("".join(parts) + text[done:] if parts else text)

    def _labelled(self, text: str) -> str:
        """A number the records do not hold is masked too where a label says it is an account
        (`Account No. 1234-5678`, `A/C 12345678`, `IBAN DE89 3704 …`, `Konto 0532013000`), as
        data-loss-prevention tools treat it: an attached text that still holds an old or
        untranscribed account does not publish it."""
        if _LABEL_HINT.search(text) is None:  # most text has no label: one cheap search
            return text
        def masked(found: re.Match[str]) -> str:
            number = found["number"]
            if len(_DIGIT.findall(number)) < LABELLED_MIN_DIGITS:
                return found[0]
            return found[0][:found.start("number") - found.start()] + \
                mask_number(number, self.visible_digits)
        return _LABELLED.sub(masked, text)



# A run of digits, allowing up to three non-alphanumeric characters between any two.
_GAP = r"[^0-9A-Za-z]{0,3}"
_DIGIT_RUN = re.compile(rf"\d(?:{_GAP}\d)*")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_URL_ESCAPES = re.compile(r"%[0-9a-fA-F]{2}(?:%[0-9a-fA-F]{2})*")  # a literal first: fast search
_TAG = re.compile(r"<[^>]*>")
_TAG_BYTES = re.compile(rb"<[^>]*>")
_JSON_ESCAPE_BYTES = re.compile(rb"\\u([0-9a-fA-F]{4})")
_URL_ESCAPES_BYTES = re.compile(rb"%[0-9a-fA-F]{2}(?:%[0-9a-fA-F]{2})*")
_MAX_SEEN_RUNS = 200_000
_DIGIT_STRETCH = re.compile(r"[0-9]+")
_TRIGGER_DIGITS = 6  # digits in a row a lettered number needs to be looked for only where they are

# Runs are searched in a copy of the text where every digit is "0", every ASCII letter "a"
# and everything else " ": the regex then starts on one literal byte, three times faster
# than on a class. Possessive repeats: a run ends at the first non-gap, nothing to retry.
_CLASSES = bytes(ord("0") if chr(b).isdigit() and b < 128 else ord("a") if chr(b).isalpha() and b < 128
                 else ord(" ") for b in range(256))
_NOT_DIGIT = bytes(b for b in range(256) if not 48 <= b <= 57)
# Latin-1 characters that NFKC turns into a digit or a letter (², ¼, ª, º...).
_LATIN1_TO_ALNUM = re.compile(rb"[\xaa\xb2\xb3\xb9\xba\xbc-\xbe]")


@dataclass
class _Seen:
    """What `_reduced` met: a non-ASCII digit or letter-like character, or one that NFKC might
    change in some context (anything but a plain symbol, space or letter)."""
    other: bool = False
    unstable: bool = False


def _stable(ch: str) -> bool:
    # NFKC leaves a character with no compatibility form alone, unless it combines: combining
    # marks (and Hangul vowels and trailing consonants) join the character before them.
    return unicodedata.combining(ch) == 0 and unicodedata.is_normalized("NFKC", ch) and \
        unicodedata.category(ch) not in ("Mn", "Mc", "Me") and not "\u1100" <= ch <= "\u11ff"


@functools.lru_cache(maxsize=65536)
def _replacement(ch: str) -> tuple[str, bool, bool]:
    """A non-ASCII character's byte in a reduced view (its ASCII digit if it is a decimal
    digit, else a gap), whether it is a digit or letter-like, and whether NFKC may change it."""
    return (str(int(ch)) if ch.isdecimal() else "?", ch.isdecimal() or ch in _FOLDS,
            not _stable(ch))


_ASCII_BYTES = bytes(range(128))


def _reduced(view: str, seen: _Seen) -> bytes:
    """`view` as ASCII bytes, one byte per character, with the same runs of digits.

    The gap class holds every non-ASCII character and `\\d` only its decimal digits, so this
    keeps what the runs regex sees while the regex runs on bytes (UCS-2 text is much slower).
    Each distinct character is looked at once: a translation table, not a call per character.
    """
    if view.isascii():
        return view.encode("ascii")
    table: dict[int, str] = {}
    # The distinct non-ASCII characters: the ASCII bytes deleted in C, the rest decoded back
    # (`set(view)` would make an object of every character of a page).
    rare = view.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    for ch in set(rare.decode("utf-8", "surrogatepass")):
        if ch >= "\x80":
            table[ord(ch)], other, unstable = _replacement(ch)
            seen.other |= other
            seen.unstable |= unstable
    if all(gap == "?" for gap in table.values()):  # no digit of another script: a C loop
        return view.encode("ascii", "replace")
    return view.translate(table).encode("ascii")


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


def _decoded(text: str, utf8: bytes | None = None) -> str:
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


def _separator(ch: str) -> bool:
    """`ch` is a separator in every view: non-ASCII, no digit, no case fold to a letter, no NFKC."""
    return ch > "\x7f" and not ch.isdecimal() and ch not in _FOLDS and \
        not "\ud800" <= ch <= "\udfff" and _stable(ch)


def _reduced_decoded(text: bytes, seen: _Seen) -> bytes | None:
    """`_reduced(_decoded(text))` for ASCII `text` whose JSON escapes are all separators and
    which has no entity; None otherwise. A search index's escapes are bullets and dashes, and
    this skips building its 25 MB of UCS-2 text."""
    if b"&" in text:
        return None
    if b"\\u" in text:
        if not all(_separator(chr(int(escape, 16))) for escape in set(_JSON_ESCAPE_BYTES.findall(text))):
            return None
        text = _JSON_ESCAPE_BYTES.sub(b"?", text)  # no "%" or hex digit: URL escapes stay as they are
    if b"%" in text:
        text = _URL_ESCAPES_BYTES.sub(lambda m: _reduced(bytes.fromhex(m[0].replace(b"%", b"").decode())
                                                         .decode("utf-8", "replace"), seen), text)
    return text


class Finder:
    """Where the secrets are written in text or a file's bytes, in every view of them."""

    def __init__(self, secrets: Iterable[Secret]) -> None:
        self.by_digits: dict[str, Secret] = {}
        lettered: dict[str, Secret] = {}
        for secret in with_domestic_parts(secrets):
            if secret.digits.isdigit():
                self.by_digits.setdefault(secret.digits, secret)
            else:  # letters break a run of digits: such numbers are matched by a pattern
                lettered.setdefault(secret.digits, secret)
        self.lettered = [(re.compile(_GAP.join(re.escape(ch) for ch in d), re.IGNORECASE), secret)
                         for d, secret in lettered.items()]
        # A number with letters (an IBAN) is looked for with its pattern only where its longest
        # stretch of digits is in a run of the view: one pattern search per number over every
        # view of every file grew with the room (a thousand IBANs, seconds per page).
        self.triggers: dict[str, tuple[int, ...]] = {}
        self.untriggered: tuple[int, ...] = ()
        for index, d in enumerate(lettered):
            stretch = max(_DIGIT_STRETCH.findall(d), key=len, default="")
            if len(stretch) >= _TRIGGER_DIGITS:
                self.triggers[stretch] = (*self.triggers.get(stretch, ()), index)
            else:
                self.untriggered += (index,)
        self.lengths = sorted({len(d) for d in self.by_digits})
        self.trigger_lengths = sorted({len(d) for d in self.triggers})
        # Only runs with as many digits as the shortest number: most runs in a site are short
        # (dates, sizes, icon paths), and looking each one up was most of the guard's time.
        shortest = min(self.lengths[:1] + self.trigger_lengths[:1] or [1])
        self.runs = re.compile(rb"0(?: {0,3}+0){%d,}+" % (shortest - 1))
        # A run's digits -> the secrets in them, and the lettered numbers to look for.
        self.seen: dict[bytes, tuple[tuple[Secret, ...], tuple[int, ...]]] = {}

    def __bool__(self) -> bool:
        return bool(self.by_digits or self.lettered)

    def _in_digits(self, digits: str) -> Iterator[Secret]:
        for length in self.lengths:
            for start in range(len(digits) - length + 1):
                secret = self.by_digits.get(digits[start:start + length])
                if secret:
                    yield secret

    def _triggered(self, digits: str) -> Iterator[int]:
        for length in self.trigger_lengths:
            for start in range(len(digits) - length + 1):
                yield from self.triggers.get(digits[start:start + length], ())

    def _in_run(self, run: str) -> Iterator[Secret]:
        return self._in_digits("".join(str(int(ch)) for ch in run if ch.isdecimal()))  # any script's

    def _scan(self, view: bytes) -> tuple[list[Secret], set[int]]:
        """The secrets in the runs of a view reduced to bytes (`_reduced`), and the lettered
        numbers whose digits the runs hold."""
        found: list[Secret] = []
        triggered: set[int] = set()
        for match in self.runs.finditer(view.translate(_CLASSES)):
            digits = view[match.start():match.end()].translate(None, _NOT_DIGIT)
            # The same runs recur on every page (phone numbers, amounts): each is looked up once.
            known = self.seen.get(digits)
            if known is None:
                if len(self.seen) >= _MAX_SEEN_RUNS:
                    self.seen.clear()
                text = digits.decode("ascii")
                known = self.seen[digits] = (tuple(self._in_digits(text)), tuple(self._triggered(text)))
            found.extend(known[0])
            triggered.update(known[1])
        return found, triggered

    def _in_reduced(self, view: bytes) -> Iterator[Secret]:
        """The secrets of digits alone in the runs of a view reduced to bytes (`_reduced`)."""
        yield from self._scan(view)[0]

    def _in_view(self, view: str | None, reduced: bytes) -> Iterator[Secret]:
        found, triggered = self._scan(reduced)
        yield from found
        if view is not None:
            for index in sorted(triggered.union(self.untriggered)):
                pattern, secret = self.lettered[index]
                if pattern.search(view):
                    yield secret

    def _in_views(self, text: str, utf8: bytes | None = None,
                  seen_other: list[bool] | None = None) -> Iterator[Secret]:
        """The secrets in `text` as written, decoded, without tags, and NFKC-normalised.

        `utf8`: `text` encoded, if at hand. Views are scanned reduced to bytes (`_reduced`).
        `seen_other` gets whether the text shows non-ASCII digits or letter-like characters.
        """
        seen = _Seen()
        if utf8 is not None and utf8.isascii() and not self.lettered:
            fast = _reduced_decoded(utf8, seen)
            if fast is not None and not seen.unstable:
                yield from self._in_reduced(utf8)
                if fast != utf8:
                    yield from self._in_reduced(fast)
                without_tags = _TAG_BYTES.sub(b"", fast) if b"<" in fast else fast
                if len(without_tags) != len(fast):
                    yield from self._in_reduced(without_tags)
                return
            seen = _Seen()
        reduced = utf8 if utf8 is not None and utf8.isascii() else _reduced(text, seen)
        decoded = _decoded(text, utf8)
        reduced_decoded = _reduced(decoded, seen) if decoded != text else reduced
        unstable = seen.unstable
        if seen_other is not None:
            seen_other.append(seen.other)
        yield from self._in_view(text, reduced)
        if decoded != text:
            yield from self._in_view(decoded, reduced_decoded)
        reduced = reduced_decoded
        # `seen` now knows every character of `decoded`, and so of the text without tags.
        if self.lettered or unstable:
            tagless = _TAG.sub("", decoded) if "<" in decoded else decoded
            if len(tagless) != len(decoded):
                yield from self._in_view(tagless, _reduced(tagless, seen))
            # Full-width and other compatibility forms of digits.
            if not decoded.isascii() and not unicodedata.is_normalized("NFKC", tagless):
                normal = unicodedata.normalize("NFKC", tagless)
                yield from self._in_view(normal, _reduced(normal, seen))
        else:  # NFKC changes nothing; tags removed from the reduced bytes are the same bytes
            tagless_bytes = _TAG_BYTES.sub(b"", reduced) if b"<" in reduced else reduced
            if len(tagless_bytes) != len(reduced):
                yield from self._in_view(None, tagless_bytes)

    def find(self, text: str) -> Iterator[Secret]:
        """The secrets in `text`, in every view of it (a secret may come more than once)."""
        return self._in_views(text)

    def find_in_bytes(self, data: bytes) -> Iterator[Secret]:
        """The secrets in bytes as a file holds them (text, or binary read as Latin-1)."""
        if data.isascii():
            yield from self._in_views(data.decode("ascii"), data)
            return
        try:
            text, valid = data.decode("utf-8"), True
        except UnicodeDecodeError:
            text, valid = data.decode("utf-8", "replace"), False
        other: list[bool] = []
        yield from self._in_views(text, data if valid else None, other)
        # Read as Latin-1 too, so that every byte of a binary file counts. For valid UTF-8 that
        # finds nothing more: each character's bytes are that many separators instead of one,
        # unless UTF-8 shows other digits or letters there, or NFKC of Latin-1 makes digits.
        if not valid or any(other) or _LATIN1_TO_ALNUM.search(data):
            yield from self._in_views(data.decode("latin-1"))

    def shown(self, path: Path) -> Path:
        """`path` for a message: digits of a number in a file or folder name become bullets."""
        text = _DIGIT_RUN.sub(lambda m: BULLET * len(m[0]) if any(self._in_run(m[0])) else m[0],
                              str(path))
        for pattern, _ in self.lettered:
            text = pattern.sub(lambda m: BULLET * len(m[0]), text)
        return Path(text)
