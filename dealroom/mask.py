"""Mask stage: the public view of the room, the only thing templates ever see.

One rule for the whole room: every account number field named in the policy is replaced by
its masked form, and every number of every deal of the room is redacted wherever else it is
written (names, notes, descriptions, attached text, hand-written pages). A deal's note that
quotes another deal's account is masked like its own. A template cannot leak a number it
never gets.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from pydantic import BaseModel

from dealroom.derive import Facts
from dealroom.errors import Problem, RecordError
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
    """Which fields are masked, and how many last digits stay visible.

    The account number fields are always masked: `fields` can add fields (a routing number,
    say), never remove them, so an empty list in `mkdocs.yml` cannot turn protection off.
    """

    fields: tuple[str, ...] = ACCOUNT_NUMBER_FIELDS
    visible_digits: int = 4

    def __post_init__(self) -> None:
        added = tuple(f for f in self.fields if f not in ACCOUNT_NUMBER_FIELDS)
        object.__setattr__(self, "fields", ACCOUNT_NUMBER_FIELDS + tuple(dict.fromkeys(added)))


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
    for instruction in facts.deal.instructions:
        for name in policy.fields:
            value = getattr(instruction, name, None)
            if value:
                found.append(Secret(value, facts.slug, f"instructions[{instruction.id}].{name}"))
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
    names = _record_fields(value.__class__)
    if names:  # a record: attribute access for templates, field names decide masking
        return SimpleNamespace(**{k: _public(getattr(value, k), policy, redact, k) for k in names})
    return value


@functools.cache
def _record_fields(kind: Hashable) -> tuple[str, ...]:
    """The fields of a model or dataclass type; none for plain values (dates, amounts)."""
    if not isinstance(kind, type):
        return ()
    if issubclass(kind, BaseModel):
        return tuple(kind.model_fields)
    if dataclasses.is_dataclass(kind):
        return tuple(f.name for f in dataclasses.fields(kind))
    return ()


# The columns of the list of deals: what a room needs of every deal on every build.
_ROW_FIELDS = ("name", "parties", "agreement", "shares", "currency", "status")


class PublicRoom:
    """The room as templates may see it: one redaction rule made of every secret of the room."""

    def __init__(self, deals: Iterable[Facts], policy: MaskPolicy) -> None:
        self.policy = policy
        self.deals = {facts.slug: facts for facts in deals}
        self.secrets = [s for facts in self.deals.values() for s in secrets_of(facts, policy)]
        self.redact = Redactor(self.secrets, policy.visible_digits)
        # What the rule depends on: a page rendered under another rule must be rendered again.
        digest = hashlib.sha256(repr((policy, sorted(s.digits for s in self.secrets))).encode())
        self.rule_digest = digest.hexdigest()

    def _public(self, value: Any, key: str = "") -> Any:
        return _public(value, self.policy, self.redact, key)

    def view(self, slug: str) -> SimpleNamespace:
        """One deal, every field masked or redacted, with its derived facts."""
        view: SimpleNamespace = self._public(self.deals[slug])
        return view

    @functools.cached_property
    def rows(self) -> list[SimpleNamespace]:
        """Each deal's columns in the list of deals and the nav, masked as its pages are."""
        rows = []
        for facts in self.deals.values():
            deal = facts.deal
            rows.append(SimpleNamespace(slug=facts.slug, deal=SimpleNamespace(**{
                name: self._public(getattr(deal, name), name) for name in _ROW_FIELDS})))
        return rows

    def files(self, slug: str) -> dict[str, str | Path]:
        """Site path -> attached text, redacted, or the attached file, published as it is (the
        guard reads it like every other file of the site)."""
        facts = self.deals[slug]
        return {f"deals/{slug}/{published}":
                self.redact(facts.documents[reference]) if reference in facts.documents
                else facts.folder / reference
                for reference, published in facts.files.items()}

    def refuse_numbers_in_ids(self) -> None:
        """A deal's id is in every URL of the deal: it must not hold a number of the room."""
        problems = []
        hide = Redactor(self.secrets, 0)
        for slug, facts in self.deals.items():
            if hide(slug) != slug:
                # The message masks the number in the path too: CI logs are read by more people.
                problems.append(Problem(
                    Path(hide(str(facts.record))), 1, 1, "", "the deal's folder or file name holds one "
                    "of the room's account numbers, and would publish it in every URL of the deal",
                    "rename it"))
        if problems:
            raise RecordError(problems)
