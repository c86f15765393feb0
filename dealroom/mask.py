"""Mask stage: the public view of a deal, the only thing templates ever see.

The view is built from the derived facts by replacing every account number field named in
the policy with its masked form, and by redacting those same numbers wherever else they are
written (notes, descriptions, attached text). A template cannot leak a number it never gets.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from pydantic import BaseModel

from dealroom.derive import Facts
from dealroom.model import ACCOUNT_NUMBER_FIELDS

BULLET = "\u2022"
# Characters IGNORECASE matches to an ASCII letter or digit: the letters and digits themselves,
# and four that fold to I, I, S and K.
_FOLDS_TO_ALNUM = "0-9A-Za-z\u0130\u0131\u017f\u212a"
_FOLD = str.maketrans("\u0130\u0131\u017f\u212a", "IISK")
_LETTER_OR_DIGIT = re.compile(f"[{_FOLDS_TO_ALNUM}]")
_NOT_DIGIT = re.compile(r"[^0-9]+")
_DIGIT = re.compile(r"[0-9]")


@dataclass(frozen=True)
class MaskPolicy:
    fields: tuple[str, ...] = ACCOUNT_NUMBER_FIELDS
    visible_digits: int = 4


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
    """`066-198038` -> `•••••8038`: one bullet per hidden character, separators dropped."""
    chars = [ch for ch in number if ch.isalnum()]
    shown = chars[len(chars) - visible_digits:] if visible_digits else []
    return BULLET * (len(chars) - len(shown)) + "".join(shown)


def number_pattern(digits: str, gap: str = r"[^0-9A-Za-z]{0,3}") -> str:
    """A regex for `digits` written with any separators (spaces, dashes, dots or none).

    No word boundaries: `A/C066198038` is the number too. The guard matches the same way, so
    whatever it would refuse in a note is masked there first.
    """
    return gap.join(re.escape(ch) for ch in digits)


def secrets_of(facts: Facts, policy: MaskPolicy) -> list[Secret]:
    """Every raw value of a masked field in the deal, with its field path."""
    found: list[Secret] = []
    for index, instruction in enumerate(facts.deal.instructions):
        for name in policy.fields:
            value = getattr(instruction, name, None)
            if value:
                found.append(Secret(value, facts.slug, f"instructions[{index}].{name}"))
    return found


class Redactor:
    """Replaces every written form of the given secrets in free text with the masked form.

    A number is its letters and digits with up to three other characters between any two
    (`number_pattern`). Rather than one regex alternative per number, which costs time in the
    number of secrets at every character of every text, the text's chains of letters and
    digits are looked up in a dictionary: linear in the text, whatever the size of the room.
    """

    def __init__(self, secrets: Iterable[Secret], visible_digits: int) -> None:
        by_digits = {s.digits: s for s in secrets}
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
            if len(_NOT_DIGIT.sub("", chain[0])) < self._fewest_digits:
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
            return text
        parts, done = [], 0
        for start, end, digits in self._spans(text):
            parts += [text[done:start], self._masked[digits]]
            done = end
        return "".join(parts) + text[done:] if parts else text


def _public(value: Any, policy: MaskPolicy, redact: Redactor, key: str = "") -> Any:
    # Text first: it is most of a deal's values.
    if isinstance(value, str):
        if key in policy.fields:
            return mask_number(value, policy.visible_digits)
        return redact(value)
    if isinstance(value, list | tuple):
        return [_public(v, policy, redact) for v in value]
    if isinstance(value, dict):  # keyed by ids (due dates, documents): stays a mapping
        return {k: _public(v, policy, redact) for k, v in value.items()}
    names = _record_fields(type(value))
    if names:  # a record: attribute access for templates, field names decide masking
        return SimpleNamespace(**{k: _public(getattr(value, k), policy, redact, k) for k in names})
    return value


@functools.cache
def _record_fields(kind: type) -> tuple[str, ...]:
    """The fields of a model or dataclass type; none for plain values (dates, amounts)."""
    if issubclass(kind, BaseModel):
        return tuple(kind.model_fields)
    if dataclasses.is_dataclass(kind):
        return tuple(f.name for f in dataclasses.fields(kind))
    return ()


def public_view(facts: Facts, policy: MaskPolicy) -> SimpleNamespace:
    """The deal as templates may see it: masked numbers, redacted text, derived facts."""
    redact = Redactor(secrets_of(facts, policy), policy.visible_digits)
    return _public(facts, policy, redact)


def public_summary(facts: Facts, policy: MaskPolicy) -> SimpleNamespace:
    """The few parts of the public view a room needs before any page: for the list of deals
    and the published files. Masked as `public_view` masks them; much quicker than it."""
    redact = Redactor(secrets_of(facts, policy), policy.visible_digits)
    deal = facts.deal
    return SimpleNamespace(slug=facts.slug, documents=_public(facts.documents, policy, redact),
                           deal=SimpleNamespace(**{
                               name: _public(getattr(deal, name), policy, redact, name)
                               for name in ("name", "parties", "agreement", "shares", "currency",
                                            "status")}))
