"""The one rule for what counts as an account number written in text, for the mask and the guard.

A number is its letters and digits, upper case, whatever the gaps between them: white space,
punctuation, markup, invisible characters (`066-198038`, `066 -- 198 -- 038`, `A/C066198038`),
as a reader sees them (`dealroom.display`: digits of every script, numerals, look-alike
letters, escapes decoded). `Redactor` replaces every such written form in free text by the
masked form (mask stage); `Finder` finds them in a built file, in every view a reader may
have of it (leak guard). Both use the same forms of each number (`with_domestic_parts`).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dealroom.display import (
    FOLDS,
    TAG,
    Seen,
    as_digits,
    as_digits_bytes,
    decoded_between_tags,
    decodings,
    displayed_joins,
    embedded_documents,
    ends_in_ordered_list,
    ends_inside,
    escapes_hold_digits,
    list_markers,
    may_run_right_to_left,
    part_ends,
    plain_markup,
    reader_chars,
    reduced,
    reduced_decoded,
    separators_reduced,
    shown_attributes,
    tag_readings,
    without_tags,
)
from dealroom.types import iban_check
from dealroom.verdicts import PART, Verdicts

BULLET = "\u2022"
# Characters that count as a letter or digit of a number: ASCII letters and digits, and the folds.
_FOLDS_TO_ALNUM = f"0-9A-Za-z{FOLDS}"
_FOLD = str.maketrans(FOLDS, "IISK")
_LETTER_OR_DIGIT = re.compile(f"[{_FOLDS_TO_ALNUM}]")
_NON_DIGITS = re.compile(r"[^0-9]+")
_DIGIT = re.compile(r"[0-9]")
# The gap between two characters of a number: anything but a letter or a digit, of any length.
_GAP = r"[^0-9A-Za-z]*"
_DIGIT_RUN = re.compile(rf"\d(?:{_GAP}\d)*")

# Labels that say the number after them is an account, in the languages of the deals' banks.
_LABEL = r"(?i:\b(?:a/c|acct\b\.?|account\b|iban\b|konto(?:nummer|nr)?\b\.?|compte\b|cuenta\b))"
_LABEL_HINT = re.compile(_LABEL)
# The label, an optional "No."/"Number"/"#"/":" (Markdown emphasis and table bars between), then
# the number: digits and capitals with at most one separator between any two, ending in a digit
# (a following word is not the number).
_LABELLED_SOURCE = (_LABEL + r"(?:[\s*_|]*(?i:no\.?|number|nr\.?|#))?[\s*_|]*[:#]?[\s*_|]*"
                    r"(?P<number>[0-9A-Z](?:[ \-./]?[0-9A-Z]){3,40}?(?:[ \-./]?[0-9])*[0-9])")
_LABELLED = re.compile(_LABELLED_SOURCE)
_LABELLED_BYTES = re.compile(_LABELLED_SOURCE.encode())
_LABEL_WORDS = (b"a/c", b"acct", b"account", b"iban", b"konto", b"compte", b"cuenta")
# A labelled run of fewer digits is a reference or a count, not an account.
LABELLED_MIN_DIGITS = 5
# A run of this many of the digits a mask hides is a leak (`hidden_runs`).
HIDDEN_RUN = 5


@dataclass(frozen=True)
class Secret:
    """A raw number that must never be published, and where it came from (for messages).

    `partial`: digits the mask of one deal's account hides, a leak in that deal's own files."""

    number: str
    deal: str
    field: str
    partial: bool = False

    @functools.cached_property  # a room's secrets are looked up by it hundreds of thousands of times
    def digits(self) -> str:
        """The number's letters and digits, upper case: how it is recognised wherever written."""
        number = self.number
        return (number if number.isalnum() else "".join(ch for ch in number if ch.isalnum())).upper()


# Found by `Finder` where a number of 5 digits or more follows an account label: no record's
# number, but one the mask would have masked, so one it never saw (`labelled_numbers`).
UNMASKED = Secret("", "", "a number after an account label")
# Found where a file holds more documents in its attributes than are read, or nested deeper.
TOO_DEEP = Secret("", "", "documents held in documents, past what the guard reads")


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
# Where the account number is in the BBAN of the countries whose IBANs deals meet (ISO 13616
# registry); the bank, branch or sort code and national check digits around it are public.
_ACCOUNT_IN_BBAN = {"GB": (10, 18), "IE": (10, 18), "DE": (8, 18), "FR": (10, 21), "MC": (10, 21),
                    "ES": (10, 20), "IT": (11, 23), "NL": (4, 14), "BE": (3, 10), "CH": (5, 17),
                    "LI": (5, 17), "AT": (5, 16), "LU": (3, 16)}


def iban_account(iban: str) -> tuple[int, int]:
    """Where the account number is in the compact IBAN (start, end): by the country's BBAN
    format, else the last `_ACCOUNT_TAIL` digits of the BBAN."""
    compact = _compact(iban)
    if compact[:2] in _ACCOUNT_IN_BBAN:
        start, end = _ACCOUNT_IN_BBAN[compact[:2]]
        return 4 + start, 4 + end
    tail = _TRAILING_DIGITS.search(compact[4:])
    return len(compact) - min(_ACCOUNT_TAIL, len(tail[0]) if tail else 0), len(compact)


def _other_forms(secret: Secret) -> Iterator[Secret]:
    """The other ways the same account is written: an IBAN's domestic part and the account
    inside it (`GB82 WEST 1234 5698 7654 32` is sort code 12-34-56, account 98765432; a German
    BBAN is the bank code and the 10-digit Kontonummer, written alone and without its leading
    zeros), a lettered account number's digits alone (`ESC-558812-01` is `558812-01` in a
    clerk's note), and a number without its leading zeros (`000-1233932118` is `1233932118` in
    a statement; with zeros added it holds the number itself)."""
    if is_iban(secret.number):
        compact = _compact(secret.number)
        bban = compact[4:]
        yield Secret(bban, secret.deal, f"{secret.field} (its domestic part)")
        tail = _TRAILING_DIGITS.search(bban)
        digits = tail[0] if tail else ""
        for start in range(1 if digits == bban else 0, len(digits) - _ACCOUNT_TAIL + 1):
            yield Secret(digits[start:], secret.deal, f"{secret.field} (its account part)")
        start, end = iban_account(compact)
        account = compact[start:end]
        for form in {account, account.lstrip("0")}:
            if len(form) >= 5 and form != bban:
                yield Secret(form, secret.deal, f"{secret.field} (its account part)")
        return
    digits = _NON_DIGITS.sub("", secret.number)
    # At least 5 digits, as every account number field holds (`types._account_number`).
    if digits != secret.digits and len(digits) >= 5 and len(set(digits)) > 1:
        yield Secret(digits, secret.deal, f"{secret.field} (its digits)")
    unpadded = digits.lstrip("0")
    if unpadded != digits and len(unpadded) >= 5 and len(set(unpadded)) > 1:
        yield Secret(unpadded, secret.deal, f"{secret.field} (without its leading zeros)")


def with_domestic_parts(secrets: Iterable[Secret]) -> list[Secret]:
    """The secrets, and every other written form of each (`_other_forms`) as a secret of its own."""
    found = list(secrets)
    found += [other for s in found if not s.partial for other in _other_forms(s)]
    return found


def hidden_runs(secrets: Iterable[Secret], visible_digits: int) -> list[Secret]:
    """Where pieces of an account's digits that hold `HIDDEN_RUN` or more of the digits its mask
    hides start, each as a partial secret of its deal: the longest such piece from there, whose
    every beginning of `HIDDEN_RUN` digits or more is a piece too (`Finder`). `account begins
    066-19` beside `•••••8038` shows what the mask hides. For an IBAN, of the account inside it
    (the bank or sort code is public). A piece is found where it is written whole, near an
    account label (`Finder`): five digits alone are too common to tell."""
    pieces: list[Secret] = []
    for secret in secrets:
        if secret.partial:
            continue
        if is_iban(secret.number):
            chars = _compact(secret.number)
            start, end = iban_account(chars)
            hidden = len(chars) - min(visible_digits, 4)  # `mask_iban` shows the last four
        else:
            chars = "".join(ch for ch in secret.number if ch.isalnum())
            start, end = 0, len(chars)
            hidden = len(chars) - min(visible_digits, len(chars) // 2)
        field = f"{secret.field} ({HIDDEN_RUN} or more of the digits its mask hides)"
        for stretch in _DIGIT_RUN_PLAIN.finditer(chars, start, end):
            first, last = stretch.start(), stretch.end()
            pieces += [Secret(chars[i:last], secret.deal, field, partial=True)
                       for i in range(first, min(last, hidden) - HIDDEN_RUN + 1)]
    return list(dict.fromkeys(pieces))


_DIGIT_RUN_PLAIN = re.compile(r"[0-9]+")


def number_pattern(digits: str, gap: str = _GAP) -> str:
    """A regex for `digits` written with any separators (spaces, dashes, dots or none).

    No word boundaries: `A/C066198038` is the number too. The guard matches the same way, so
    whatever it would refuse in a note is masked there first.
    """
    return gap.join(re.escape(ch) for ch in digits)


class _Matcher:
    """Finds written forms of a set of numbers in text, by the chains of letters and digits.

    Rather than one regex alternative per number, which costs time in the number of secrets at
    every character of every text, the text's chains are looked up in a dictionary: linear in
    the text, whatever the size of the room."""

    def __init__(self, numbers: Iterable[str]) -> None:
        numbers = set(numbers)
        # Longest first, so a number that contains another is masked whole.
        self.lengths = sorted({len(d) for d in numbers}, reverse=True)
        self.numbers = numbers
        shortest = self.lengths[-1] if numbers else 1
        # Numbers of digits alone can only be in chains of digits (a letter breaks a number):
        # most text has far fewer of those than chains of words.
        link = "0-9" if all(d.isascii() and d.isdigit() for d in numbers) else _FOLDS_TO_ALNUM
        self.chains = re.compile(f"[{link}](?:[^{_FOLDS_TO_ALNUM}]*[{link}]){{{shortest - 1},}}")
        # A chain without as many digits as the number with the fewest cannot hold a number.
        self.fewest_digits = min((sum(ch.isdigit() for ch in d) for d in numbers), default=0)
        # Where no number starts with the next few characters, no length need be tried.
        self.prefix = min(4, shortest)
        self.prefixes = {d[:self.prefix] for d in numbers}

    def spans(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, number) of each number written in `text` (as `reader_chars` gives it)."""
        for chain in self.chains.finditer(text):
            if len(_NON_DIGITS.sub("", chain[0])) < self.fewest_digits:
                continue
            at = [m.start() for m in _LETTER_OR_DIGIT.finditer(text, chain.start(), chain.end())]
            # Upper case, as numbers are kept: `gb29` in a note is the same number as GB29.
            folded = "".join(text[i] for i in at).translate(_FOLD).upper()
            start, end = 0, len(folded)
            while start < end:
                if folded[start:start + self.prefix] not in self.prefixes:
                    start += 1
                    continue
                for length in self.lengths:
                    if start + length <= end and folded[start:start + length] in self.numbers:
                        yield at[start], at[start + length - 1] + 1, folded[start:start + length]
                        start += length
                        break
                else:
                    start += 1


# Bytes of UTF-8 text that may read as a digit: digits, look-alike letters, an entity's `&`,
# and every byte of a character outside ASCII.
_NOT_DIGIT_LIKE = bytes(b for b in range(128) if not (48 <= b <= 57 or chr(b) in "OoIl&"))


_KNOWN_TEXT = 1000  # characters of a text `Redactor` keeps the masked form of
_MOST_KNOWN = 100_000  # texts it keeps


class Redactor:
    """Replaces every written form of the given secrets in free text with the masked form.

    The text is matched as a reader sees it (`reader_chars`: digits of other scripts and
    look-alike letters read as digits), with any gap between the characters of a number; where
    the text may run right to left, a number written backwards is masked too."""

    def __init__(self, secrets: Iterable[Secret], visible_digits: int) -> None:
        numbers = {s.digits for s in with_domestic_parts(secrets) if not s.partial}
        self.visible_digits = visible_digits
        self._masked = {d: mask_number(d, visible_digits) for d in numbers}
        self._forwards = _Matcher(numbers)
        self._backwards = _Matcher(d[::-1] for d in numbers)
        self._known: dict[str, str] = {}  # short texts masked before, as masked

    def __call__(self, text: str) -> str:
        # A room's deals repeat most of their short texts (roles, labels, terms): each is
        # masked once. Plain `str` only: a subclass (`Markup`) must come back as what it is.
        if type(text) is not str or len(text) > _KNOWN_TEXT:
            return self._masked_text(text)
        known = self._known.get(text)
        if known is None:
            if len(self._known) >= _MOST_KNOWN:
                self._known.clear()
            known = self._known[text] = self._masked_text(text)
        return known

    def _masked_text(self, text: str) -> str:
        if not self._masked:
            return self._labelled(text)
        # Most text of a deal (names, titles, short notes) has too few characters that can
        # read as a digit to hold a number: counted in C, before any view of it is made. Each
        # character gives at most one digit (an entity, `&`...`;`, one too).
        if len(text.encode("utf-8", "surrogatepass").translate(None, _NOT_DIGIT_LIKE)) < \
                self._forwards.fewest_digits:
            return self._labelled(text)
        seen = reader_chars(text)
        # Counting the digits a reader sees is cheaper than looking for chains.
        if len(_DIGIT.findall(seen)) < self._forwards.fewest_digits:
            return self._labelled(text)
        parts, done = [], 0
        for start, end, digits in self._forwards.spans(seen):
            parts += [text[done:start], self._masked[digits]]
            done = end
        if parts:
            text, seen = "".join(parts) + text[done:], ""
        if may_run_right_to_left(text):
            seen = seen or reader_chars(text)
            parts, done = [], 0
            for start, end, digits in self._backwards.spans(seen):
                parts += [text[done:start], BULLET * len(digits)]  # no digit shown backwards
                done = end
            text = "".join(parts) + text[done:] if parts else text
            text = self._reversed_groups(text)
        return self._labelled(text)

    def _reversed_groups(self, text: str) -> str:
        """`text` with each run of digit groups masked whose groups, read in reverse order,
        hold a number: right to left, `038 198 066` shows as `066 198 038` (the guard reads
        every run so)."""
        seen = reader_chars(text)
        parts, done = [], 0
        for run in _DIGIT_RUN.finditer(seen):
            groups = _DIGIT_STRETCH.findall(run[0])
            if len(groups) > 1 and any(self._forwards.spans("".join(reversed(groups)))):
                parts += [text[done:run.start()], BULLET * sum(map(len, groups))]
                done = run.end()
        return "".join(parts) + text[done:] if parts else text

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


def may_hold_label(data: bytes) -> bool:
    """Whether `data` has an account label in it at all: one cheap test before any regex."""
    lower = data.lower()
    return any(word in lower for word in _LABEL_WORDS)


def labelled_numbers(view: bytes) -> bool:
    """Whether a view of a file (tags removed, escapes decoded) shows a number of
    `LABELLED_MIN_DIGITS` digits or more after an account label: the mask covers every such
    number it is given, so one left is from a theme, a script or a file it never saw."""
    lower = view.lower()
    for word in _LABEL_WORDS:  # each label found with `find`, the pattern tried only there
        at = lower.find(word)
        while at >= 0:
            found = _LABELLED_BYTES.match(view, at)
            if found is not None and len(_DIGIT_BYTES.findall(found["number"])) >= LABELLED_MIN_DIGITS:
                return True
            at = lower.find(word, at + len(word))
    return False


_DIGIT_BYTES = re.compile(rb"[0-9]")
_MAX_SEEN_RUNS = 200_000
_DIGIT_STRETCH = re.compile(r"[0-9]+")
_DIGIT_GROUP = re.compile(rb"[0-9]+")
# A number as written (`066-19`, `066 19`): digits with at most one separator between any two.
_WRITTEN_NUMBER = re.compile(rb"0(?: ?+0){%d,}+" % (HIDDEN_RUN - 1))  # whole runs: see `_pieces`
_LABEL_REACH = 80  # how far from an account label a piece of its digits is read as one
_TRIGGER_DIGITS = 6  # digits in a row a lettered number needs to be looked for only where they are

# Runs are searched in a copy of the text where every digit is "0", every ASCII letter "a"
# and everything else " ": the regex then starts on one literal byte, three times faster
# than on a class. Possessive repeats: a run ends at the first letter, nothing to retry.
_CLASSES = bytes(ord("0") if chr(b).isdigit() and b < 128 else ord("a") if chr(b).isalpha() and b < 128
                 else ord(" ") for b in range(256))
_NOT_DIGIT = bytes(b for b in range(256) if not 48 <= b <= 57)
# The same classes for `bytes.translate`: digits kept, ASCII letters a space, every gap deleted.
_LETTERS_AS_SPACES = bytes(b if 48 <= b <= 57 else ord(" ") for b in range(256))
_GAPS = bytes(b for b in range(256) if not (b < 128 and chr(b).isalnum()))
UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
# Latin-1 characters that NFKC turns into a digit or a letter (², ¼, ª, º...).
_LATIN1_TO_ALNUM = re.compile(rb"[\xaa\xb2\xb3\xb9\xba\xbc-\xbe]")


@dataclass(frozen=True)
class _Part:
    """What a part of a page shows (`Finder.find_in_parts`)."""

    secrets: tuple[Secret, ...]
    open: bool  # it ends inside a tag or a hidden span: read with the next part
    label: bool  # an account label may stand in it
    partial: bool  # a piece of an account's hidden digits is written near its start or end
    note: str | None  # what a subclass finds in its markup (`Finder._part_note`)
    note_whole: bool  # ... or whether that is to be looked for in the whole page
    list_open: bool = False  # an ordered list runs on past its end: numbered in the whole page


# A clean part's reading, kept between builds as flags (`dealroom.verdicts`).
_OPEN, _LABELLED_PART, _PARTIAL, _NOTE_WHOLE, _LIST_OPEN = 1, 2, 4, 8, 16


@dataclass(frozen=True)
class InParts:
    """A page read in parts (`Finder.find_in_parts`)."""

    secrets: list[Secret]
    note: str | None  # the first part's note (`_Part.note`)
    note_whole: bool  # a part's note is to be looked for in the whole page


# Parts of a page: about a nav's stretch of a few dozen deals (smaller parts are shared more
# often, but each costs its own views); at most this many parts' readings are kept.
_PART_BYTES = 2048
_MAX_PARTS = 200_000
_MOST_NESTED = 3  # documents in documents in documents (`find_in_bytes`)
_MOST_EMBEDDED = 1000  # documents read from one text
# A part read again with the next, and the next, up to this size: past it the page is read
# whole, once (each reading of the parts so far would start again from the first).
_MOST_OPEN_BYTES = 32_768


@dataclass
class _View:
    """One way a reader may see a text: as a string (for numbers with letters), if at hand, and
    reduced to bytes (`dealroom.display.reduced`), where numbers of digits are found."""

    text: str | None
    reduced: bytes
    markup: bool = False  # as written or decoded: where markup may say right to left


def _attribute_views(text: bytes, strings: bool = False) -> list[_View]:
    """The views of HTML `text` (reduced to bytes) with what a browser draws besides its text:
    the attribute values it shows (`shown_attributes`), an ordered list's numbers
    (`list_markers`); each also with look-alike letters read as digits. None if it has none."""
    views = []
    for drawn in (shown_attributes(text), list_markers(text)):
        if drawn is None:
            continue
        views.append(_View(drawn.decode("ascii") if strings else None, drawn))
        lookalikes = as_digits_bytes(drawn)
        if lookalikes is not None:
            views.append(_View(lookalikes.decode("ascii") if strings else None, lookalikes))
    return views


class Finder:
    """Where the secrets are written in text or a file's bytes, in every view of them."""

    def __init__(self, secrets: Iterable[Secret]) -> None:
        self.by_digits: dict[str, Secret] = {}
        self.partials: dict[str, tuple[Secret, ...]] = {}
        lettered: dict[str, Secret] = {}
        secrets = list(secrets)
        self._names: Redactor | None = None  # masks names in messages (`shown`), made when needed
        self._secrets = [s for s in secrets if not s.partial]
        for secret in with_domestic_parts(secrets):
            if secret.partial:  # one deal's digits: several deals may share them
                for end in range(HIDDEN_RUN, len(secret.digits) + 1):  # each beginning is a piece
                    piece = secret.digits[:end]
                    known = self.partials.get(piece)
                    self.partials[piece] = (secret,) if known is None else (*known, secret)
            elif secret.digits.isdigit():
                self.by_digits.setdefault(secret.digits, secret)
            else:  # letters break a run of digits: such numbers are matched by a pattern
                lettered.setdefault(secret.digits, secret)
        self.lettered = [(re.compile(number_pattern(d), re.IGNORECASE), secret)
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
        self.runs = re.compile(rb"0(?: *+0){%d,}+" % (shortest - 1))
        # A run's digits -> the secrets in them, and the lettered numbers to look for.
        self.seen: dict[bytes, tuple[tuple[Secret, ...], tuple[int, ...]]] = {}
        self.clean: set[bytes] = set()  # runs that hold no secret and no lettered number's digits
        self.parts: dict[bytes, _Part | None] = {}  # a page's part, by its digest -> its reading
        self.verdicts: Verdicts | None = None  # clean readings kept between builds, if any
        # The most bytes a piece of hidden digits takes as written: a separator between digits.
        self._longest_piece = 2 * max(map(len, self.partials), default=0)

    def __bool__(self) -> bool:
        return bool(self.by_digits or self.lettered or self.partials)

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

    def _known(self, digits: bytes) -> tuple[tuple[Secret, ...], tuple[int, ...]]:
        # The same runs recur on every page (phone numbers, amounts): each is looked up once.
        known = self.seen.get(digits)
        if known is None:
            if len(self.seen) >= _MAX_SEEN_RUNS:
                self.seen.clear()
                self.clean.clear()
            text = digits.decode("ascii")
            known = self.seen[digits] = (tuple(self._in_digits(text)), tuple(self._triggered(text)))
        return known

    def _scan(self, view: bytes, backwards: bool) -> tuple[list[Secret], set[int]]:
        """The secrets in the runs of a reduced view, and the lettered numbers whose digits the
        runs hold. `backwards`: the view may run right to left, so each run is read reversed
        too, digit by digit and group by group (`038 198 066` shows as `066 198 038`)."""
        found: list[Secret] = []
        triggered: set[int] = set()
        if not backwards:
            # Gaps deleted and letters made spaces, in C: the runs are then the words, split
            # and told apart from the runs already looked up without a Python step per run (a
            # page has hundreds: dates, amounts, the same ones in every view).
            runs = set(view.translate(_LETTERS_AS_SPACES, _GAPS).split())
            for digits in runs - self.clean:
                known = self._known(digits)
                if known == ((), ()):
                    self.clean.add(digits)
                found.extend(known[0])
                triggered.update(known[1])
            return found, triggered
        classes = view.translate(_CLASSES)
        for match in self.runs.finditer(classes):
            run = view[match.start():match.end()]
            digits = run.translate(None, _NOT_DIGIT)
            forms = [digits]
            if backwards:
                forms += [digits[::-1], b"".join(reversed(_DIGIT_GROUP.findall(run)))]
            for form in forms:
                known = self._known(form)
                found.extend(known[0])
                triggered.update(known[1])
        return found, triggered

    def _written_pieces(self, view: bytes, classes: bytes | None = None
                        ) -> Iterator[tuple[int, int, tuple[Secret, ...]]]:
        """(start, end, secrets) of each piece of an account's hidden digits (`hidden_runs`)
        written whole as a number (`066-19`: at most one separator between digits). `classes`:
        `view.translate(_CLASSES)`, if at hand."""
        # A possessive run fails only where the whole run is too short: every match is whole.
        for match in _WRITTEN_NUMBER.finditer(view.translate(_CLASSES) if classes is None else classes):
            digits = view[match.start():match.end()].translate(None, _NOT_DIGIT)
            pieces = self.partials.get(digits.decode("ascii"))
            if pieces:
                yield match.start(), match.end(), pieces

    def _pieces(self, view: bytes, classes: bytes) -> Iterator[Secret]:
        """The pieces of hidden digits (`_written_pieces`) near an account label."""
        for start, end, pieces in self._written_pieces(view, classes):
            near = view[max(0, start - _LABEL_REACH):end + _LABEL_REACH].lower()
            if any(word in near for word in _LABEL_WORDS):
                yield from pieces

    def _in_view(self, view: _View, backwards: bool) -> Iterator[Secret]:
        found, triggered = self._scan(view.reduced, backwards)
        yield from found
        if view.text is not None:
            for index in sorted(triggered.union(self.untriggered)):
                pattern, secret = self.lettered[index]
                if pattern.search(view.text):
                    yield secret

    def _views(self, text: str, utf8: bytes | None, binary: bool) -> tuple[list[_View], Seen, bytes]:
        """`text` as written, decoded, without tags, where a browser joins text around what it
        does not display (comments, scripts, hidden elements), NFKC-normalised, and with
        look-alike letters read as digits; and the text without tags, reduced.

        `utf8`: `text` encoded, if at hand. An ASCII file with no number of letters to look for
        is read in bytes only: the fast way for most of a site. `binary`: `text` is a binary
        file's bytes read as Latin-1, where a letter does not end a number."""
        fast = self._ascii_views(utf8) if utf8 is not None and utf8.isascii() else None
        if fast is not None:
            return fast[:3]
        seen = Seen()

        def reduce(view: str) -> bytes:
            return reduced(view, seen, letters=not binary)

        views = [_View(text, utf8 if utf8 is not None and utf8.isascii() else reduce(text), True)]
        *partly, plain = decodings(text, utf8)
        plain_reduced = reduce(plain) if plain != text else views[0].reduced
        if plain != text:
            views.append(_View(plain, plain_reduced, True))
        # `seen` now knows every character of `plain`, and so of every view made from it.
        strings = bool(self.lettered) or seen.unstable  # views needed as text, not only bytes
        for once in partly:  # escapes of escapes: a page's are decoded once (`&amp;#198038;`)
            once_reduced = reduce(once)
            views += [_View(once, once_reduced, True),
                      _View(TAG.sub("", once) if strings else None, without_tags(once_reduced)),
                      *(_View(None, join) for join in displayed_joins(once_reduced))]
        shown, shown_reduced = plain, plain_reduced
        if "<" in plain:
            shown = TAG.sub("", plain) if strings else ""
            # One byte per character: tags removed from the reduced view are the same tags.
            shown_reduced = reduce(shown) if strings else without_tags(plain_reduced)
            views.append(_View(shown if strings else None, shown_reduced))
            views += [_View(None, join) for join in displayed_joins(plain_reduced)]
            written = views[0].reduced
            if plain_reduced is not written and escapes_hold_digits(written):  # `%066<b></b>198038`
                views += [_View(None, text) for text in [without_tags(written), *displayed_joins(written)]]
            # The page's own tags, the text between them decoded (`066<span title="&gt;"
            # hidden>4</span>198038`), and tags whose quoted values hold `<` or `>`
            # (`tag_readings`). Reduced: one byte per character of `text`.
            for quoted in tag_readings(written, plain_reduced):
                def between(start: int, end: int, quoted: bool = quoted) -> bytes:
                    return reduce(decoded_between_tags(text[start:end], quoted))
                whole = decoded_between_tags(text, quoted)
                views.append(_View(whole if strings else None, between(0, len(text))))
                views += [_View(None, join) for join in displayed_joins(written, between, quoted)]
                lookalikes = as_digits_bytes(views[-1].reduced)
                if lookalikes is not None:
                    views.append(_View(as_digits(whole) if strings else None, lookalikes))
        if seen.unstable and not unicodedata.is_normalized("NFKC", shown):
            # Full-width and other compatibility forms of letters and digits.
            shown = unicodedata.normalize("NFKC", shown)
            shown_reduced = reduce(shown)
            views.append(_View(shown, shown_reduced))
        lookalikes = as_digits_bytes(shown_reduced)
        if lookalikes is not None:
            views.append(_View(as_digits(shown) if strings else None, lookalikes))
        views += _attribute_views(plain_reduced, strings)
        return views, seen, shown_reduced

    def _ascii_views(self, utf8: bytes, plain: bool | None = None
                     ) -> tuple[list[_View], Seen, bytes, list[bool]] | None:
        """`_views` of an ASCII file, in bytes only, where no number of letters is looked for
        and no escape decodes to a digit: the fast way for most of a site. Last, its
        `tag_readings`. `plain`: `plain_markup(utf8)`, if known."""
        seen = Seen()
        if self.lettered:
            return None
        if plain_markup(utf8) if plain is None else plain:
            # What the views below come to where nothing is escaped or hidden: the text as
            # written, without its tags, and with look-alike letters read as digits.
            views = [_View(None, utf8, True)]
            shown = utf8
            if b"<" in utf8:
                shown = without_tags(utf8)
                views.append(_View(None, shown))
            lookalikes = as_digits_bytes(shown)
            if lookalikes is not None:
                views.append(_View(None, lookalikes))
            views += _attribute_views(utf8)
            return views, seen, shown, []
        fast = reduced_decoded(utf8, seen)
        if fast is None or seen.unstable:
            return None
        views = [_View(None, utf8, True)]
        if fast != utf8:
            views.append(_View(None, fast, True))
        shown = fast
        texts = [fast]  # the texts a reader is shown, where look-alike letters may be digits
        readings: list[bool] = []
        if b"<" in fast:
            shown = texts[0] = without_tags(fast)
            views.append(_View(None, shown))
            views += [_View(None, join) for join in displayed_joins(fast)]
            if fast is not utf8 and escapes_hold_digits(utf8):  # `%066<b></b>198038` as written
                views += [_View(None, text) for text in [without_tags(utf8), *displayed_joins(utf8)]]
            readings = tag_readings(utf8, fast)
            for quoted in readings:  # the page's own tags (`_views`)
                def between(start: int, end: int, quoted: bool = quoted) -> bytes:
                    return reduced(decoded_between_tags(utf8[start:end].decode("ascii"), quoted), seen)
                texts.append(between(0, len(utf8)))
                views.append(_View(None, texts[-1]))
                views += [_View(None, join) for join in displayed_joins(utf8, between, quoted)]
            if seen.unstable:  # an escape decoded to a character NFKC may change
                return None
        views += [_View(None, digits) for digits in map(as_digits_bytes, texts) if digits is not None]
        views += _attribute_views(fast)
        return views, seen, shown, readings

    def _in_views(self, text: str, utf8: bytes | None = None, seen_other: list[bool] | None = None,
                  binary: bool = False) -> Iterator[Secret]:
        """The secrets in every view of `text` (`_views`)."""
        views, seen, shown = self._views(text, utf8, binary)
        # As written, and with escapes decoded: a browser decodes `dir="&#114;tl"` too.
        backwards = seen.rtl or any(may_run_right_to_left(view.reduced) for view in views if view.markup)
        for view in views:
            yield from self._in_view(view, backwards)
        # Pieces of hidden digits, and numbers the mask never saw, are read in the text as
        # shown, near an account label: most text has none.
        if not binary and may_hold_label(shown):
            if self.partials:
                yield from self._pieces(shown, shown.translate(_CLASSES))
            if labelled_numbers(shown):
                yield UNMASKED
        if seen_other is not None:
            seen_other.append(seen.other)

    def find(self, text: str) -> Iterator[Secret]:
        """The secrets in `text`, in every view of it (a secret may come more than once)."""
        return self._in_views(text)

    def find_in_bytes(self, data: bytes, utf8: bool = False, depth: int = 0) -> Iterator[Secret]:
        """The secrets in bytes as a file holds them (text, or binary read as Latin-1), and in
        the documents it holds (`embedded_documents`, to `_MOST_NESTED` deep). `utf8`: the
        file says it is UTF-8 (an HTML page's `<meta charset>`), so no reader shows it as
        Latin-1."""
        yield from self._in_bytes(data, utf8)
        yield from self._in_documents(data, depth)

    def _in_documents(self, data: bytes, depth: int) -> Iterator[Secret]:
        """The secrets in the documents `data` holds (`embedded_documents`); `TOO_DEEP` where
        it holds more, or deeper, than are read."""
        documents = embedded_documents(data)
        if documents and (depth >= _MOST_NESTED or len(documents) > _MOST_EMBEDDED):
            yield TOO_DEEP
        for document in documents[:_MOST_EMBEDDED] if depth < _MOST_NESTED else ():
            yield from self.find_in_bytes(document, depth=depth + 1)

    def _in_bytes(self, data: bytes, utf8: bool) -> Iterator[Secret]:
        if data[:2] in UTF16_MARKS:  # a byte-order mark: a browser reads UTF-16, whatever a page says
            yield from self._in_views(data.decode("utf-16", "replace"))
            utf8 = False
        if data.isascii():
            yield from self._in_views(data.decode("ascii"), data)
            return
        gaps = separators_reduced(data)  # dashes and bullets: every view the same, in ASCII
        if gaps is not None:
            yield from self._in_views(gaps.decode("ascii"), gaps)
            if not utf8 and _LATIN1_TO_ALNUM.search(data):
                yield from self._in_views(data.decode("latin-1"), binary=True)
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
        if not valid or (not utf8 and (any(other) or _LATIN1_TO_ALNUM.search(data))):
            yield from self._in_views(data.decode("latin-1"), binary=True)

    def find_in_parts(self, data: bytes, utf8: bool) -> InParts | None:
        """`find_in_bytes` of an HTML page, read in parts (`display.part_ends`), each part's
        reading kept by its digest: a room's pages share most of their bytes (the navigation
        lists every deal), so most parts of a page were read before, on another page.

        None where the page is to be read whole: numbers with letters are looked for, a reader
        may see its bytes as Latin-1 (no `utf8`), a part cannot be read the fast way
        (`_ascii_views`), markup may run it right to left (which every part must know), or a
        piece of hidden digits stands near the end of a part and an account label in the page."""
        if self.lettered or not (utf8 or data.isascii()):
            return None
        found: list[Secret] = []
        label = partial = note_whole = lists = False
        note = None
        start = 0
        open_from: set[int] = set()  # where a part began that was read again with the next
        # Cut as written: no cut is next to a byte outside ASCII, so each part is whole UTF-8,
        # reduced (`separators_reduced`) only when it is read, not again on every page.
        for end in part_ends(data, _PART_BYTES):
            part = data[start:end]
            if len(part) > _MOST_OPEN_BYTES and start in open_from:
                return None  # a tag or a hidden span that never ends: read once, whole
            key = hashlib.sha256(part).digest()
            if key in self.parts:
                reading = self.parts[key]
            else:
                if len(self.parts) >= _MAX_PARTS:
                    self.parts.clear()
                reading = self.parts[key] = self._part_reading(key, part)
            if reading is None:
                return None
            if reading.open and end < len(data):
                open_from.add(start)
                continue  # read again with the next part
            found.extend(reading.secrets)
            label |= reading.label
            partial |= reading.partial
            note = note or reading.note
            note_whole |= reading.note_whole
            lists |= reading.list_open
            start = end
        if lists:
            # An ordered list runs across parts: its items' numbers are counted in the whole page.
            whole = data if data.isascii() else separators_reduced(data)
            if whole is None:
                return None
            found += [secret for view in _attribute_views(whole) for secret in self._in_view(view, False)]
        return None if label and partial else InParts(found, note, note_whole)

    def _part_reading(self, key: bytes, part: bytes) -> _Part | None:
        """A part's reading: a clean one kept from an earlier build (`verdicts`), or read now."""
        flags = self.verdicts.get(PART, key) if self.verdicts is not None else None
        if flags is not None:
            return _Part((), open=bool(flags & _OPEN), label=bool(flags & _LABELLED_PART),
                         list_open=bool(flags & _LIST_OPEN),
                         partial=bool(flags & _PARTIAL), note=None, note_whole=bool(flags & _NOTE_WHOLE))
        reduced_part = part if part.isascii() else separators_reduced(part)
        reading = None if reduced_part is None else self._read_part(reduced_part)
        if self.verdicts is not None and reading is not None and not reading.secrets and reading.note is None:
            self.verdicts.add(PART, key, _OPEN * reading.open | _LABELLED_PART * reading.label |
                              _PARTIAL * reading.partial | _NOTE_WHOLE * reading.note_whole |
                              _LIST_OPEN * reading.list_open)
        return reading

    def _read_part(self, part: bytes) -> _Part | None:
        """What a part of an ASCII page shows, read as `_in_views` reads a page; None if the
        page is to be read whole (`find_in_parts`)."""
        plain = plain_markup(part)
        fast = self._ascii_views(part, plain)
        if fast is None:
            return None
        views, seen, shown, readings = fast
        if not plain and (seen.rtl or any(may_run_right_to_left(view.reduced) for view in views
                                          if view.markup)):
            return None
        secrets = [secret for view in views for secret in self._in_view(view, False)]
        secrets += self._in_documents(part, 0)
        label = may_hold_label(shown)
        if label:
            secrets.extend(self._pieces(shown, shown.translate(_CLASSES)))
            if labelled_numbers(shown):
                secrets.append(UNMASKED)
        # A piece whose label may stand in the next part, or in the one before.
        partial = bool(self.partials) and self._piece_near_ends(shown)
        # Tags and hidden spans as the views see them: in the text with escapes decoded, and
        # as written where an escape wrote a `<` or `>` (`tag_readings`, as `_ascii_views` found).
        decoded = [view.reduced for view in views if view.markup][-1]
        # Plain markup holds no hidden span that could run on past its end: only a tag can.
        open_ = part.rfind(b"<") > part.rfind(b">") if plain else \
            ends_inside(decoded) or any(ends_inside(part, quoted) for quoted in readings)
        note, note_whole = self._part_note(part)
        return _Part(tuple(secrets), open_, label, partial, note, note_whole, ends_in_ordered_list(part))

    def _piece_near_ends(self, shown: bytes) -> bool:
        """Whether a piece of hidden digits (`_written_pieces`) starts within `_LABEL_REACH` of
        the start of `shown` or ends within it of its end. Only those stretches are read: a
        piece is at most `_longest_piece` long, so one near an end lies whole in its stretch.
        A run the stretch cuts short may pass for a piece: the page is then read whole."""
        reach = _LABEL_REACH + self._longest_piece
        if len(shown) <= 2 * reach:
            return any(start < _LABEL_REACH or end + _LABEL_REACH > len(shown)
                       for start, end, _ in self._written_pieces(shown))
        return any(start < _LABEL_REACH for start, _, _ in self._written_pieces(shown[:reach])) or \
            any(end + _LABEL_REACH > reach for _, end, _ in self._written_pieces(shown[-reach:]))

    def _part_note(self, part: bytes) -> tuple[str | None, bool]:
        """What a subclass finds in a part's markup beside numbers (`Guard`), and whether it is
        to be looked for in the whole page instead: nothing here."""
        return None, False

    def shown(self, path: Path) -> Path:
        """`path` for a message: a number in a file or folder name becomes bullets, read as the
        mask reads text (`O66-l98-O38`, `⓪⑥⑥…`), and so does every run of digits that holds one."""
        if self._names is None:
            self._names = Redactor(self._secrets, 0)
        text = _DIGIT_RUN.sub(lambda m: BULLET * len(m[0]) if any(self._in_run(m[0])) else m[0],
                              self._names(str(path)))
        for pattern, _ in self.lettered:
            text = pattern.sub(lambda m: BULLET * len(m[0]), text)
        return Path(text)
