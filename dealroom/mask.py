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
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from pydantic import BaseModel

from dealroom.changes import stamp
from dealroom.derive import Facts, build_date
from dealroom.errors import Problem, RecordError
from dealroom.history import History
from dealroom.model import ACCOUNT_NUMBER_FIELDS, Instruction, Intermediary
from dealroom.numbers import BULLET, Redactor, Secret, hidden_runs, mask_number
from dealroom.types import Blank


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


def secrets_of(facts: Facts, policy: MaskPolicy) -> list[Secret]:
    """Every raw value of a masked field in the deal, with its field path: an instruction's own,
    and its intermediary bank's (the beneficiary bank's account there). A `Blank` (`not
    stated`, `redacted`) holds no number."""
    found: list[Secret] = []
    for instruction in facts.deal.instructions:
        at = f"instructions[{instruction.id}]"
        holders: list[tuple[str, Instruction | Intermediary]] = [(at, instruction)]
        if instruction.intermediary is not None:
            holders.append((f"{at}.intermediary", instruction.intermediary))
        for path, holder in holders:
            for name in policy.fields:
                value = getattr(holder, name, None)
                if value and not isinstance(value, Blank):
                    found.append(Secret(value, facts.slug, f"{path}.{name}"))
    return found


def past_values(history: History, policy: MaskPolicy) -> list[Secret]:
    """The values the fields `mask.fields` adds (a routing number) held in earlier versions,
    as a history shows them: secrets as the current ones are (`secrets_of`). An account
    number's past values are the history's own (`History.secrets`)."""
    added = set(policy.fields) - set(ACCOUNT_NUMBER_FIELDS)
    return [Secret(value, slug, change.path)
            for slug, deal in history.deals.items() for revision in deal.changes
            for change in revision.changes if _field(change.path) in added
            for value in (change.old, change.new)
            if value and value not in _BLANKS and BULLET not in value]  # masked by the history


_BLANKS = frozenset(blank.value for blank in Blank)


def _field(path: str) -> str:
    """`instructions[wire].aba_number` -> `aba_number`."""
    return path.rsplit(".", 1)[-1]


def _public(value: Any, policy: MaskPolicy, redact: Redactor, key: str = "") -> Any:
    # Text first: it is most of a deal's values.
    if isinstance(value, str):
        if isinstance(value, Blank):  # `not stated` stays what it is: the page says so
            return value
        if key in policy.fields:
            return value if value in _BLANKS else mask_number(value, policy.visible_digits)
        return redact(value)
    if isinstance(value, list | tuple):
        return [_public(v, policy, redact) for v in value]
    if isinstance(value, dict):  # keyed by ids (due dates, documents): stays a mapping
        return {k: _public(v, policy, redact) for k, v in value.items()}
    names = _record_fields(value.__class__)
    if names:  # a record: attribute access for templates, field names decide masking
        # A change a history shows of a field the mask adds (a routing number): its old and new
        # values are that field's (an account number's are masked by the history already).
        path = getattr(value, "path", None) if "old" in names else None
        field = _field(path) if isinstance(path, str) else ""
        changed = field if field in policy.fields and field not in ACCOUNT_NUMBER_FIELDS else None
        return SimpleNamespace(**{k: _public(getattr(value, k), policy, redact,
                                             changed if changed and k in ("old", "new") else k)
                                  for k in names})
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


class Rule:
    """The room's one masking rule, made of every secret of the room: what masks text, and what
    the leak guard looks for. Making it costs a room of a thousand deals about a second, so a
    rebuild with the same secrets (`mkdocs serve`) keeps it (`Pipeline`)."""

    def __init__(self, secrets: Iterable[Secret], policy: MaskPolicy) -> None:
        self.secrets = list(secrets)
        self.policy = policy
        self.redact = Redactor(self.secrets, policy.visible_digits)
        # What the rule depends on: a page rendered under another rule must be rendered again.
        digits = sorted(s.digits for s in self.secrets)
        self.digest = hashlib.sha256(repr((policy, digits)).encode()).hexdigest()

    @functools.cached_property
    def hide(self) -> Redactor:
        """The rule with no digit shown, for names and messages."""
        return Redactor(self.secrets, 0)

    @functools.cached_property
    def guarded(self) -> list[Secret]:
        """What the leak guard looks for: every number, and in each deal's own files, every run
        of five digits its masks hide."""
        return self.secrets + hidden_runs(self.secrets, self.policy.visible_digits)

    @functools.cached_property
    def guard_digest(self) -> str:
        """What the guard's findings depend on: the numbers, and the deals and fields its
        messages name."""
        return hashlib.sha256(repr((self.digest, sorted((s.digits, s.deal, s.field) for s in self.secrets)))
                              .encode()).hexdigest()


def room_secrets(deals: Iterable[Facts], policy: MaskPolicy, past: Iterable[Secret] = ()) -> list[Secret]:
    """Every secret of the room: its deals' and, from `past`, the numbers earlier versions held."""
    return [*(s for facts in deals for s in secrets_of(facts, policy)), *past]


class PublicRoom:
    """The room as templates may see it: one redaction rule made of every secret of the room."""

    def __init__(self, deals: Iterable[Facts], policy: MaskPolicy, past: Iterable[Secret] = (),
                 rule: Rule | None = None, rows: Mapping[str, SimpleNamespace] | None = None) -> None:
        """`past`: numbers earlier versions of the records held (history pages show them).
        `rule`: the rule of these deals and `past`, if made already. `rows`: list rows of deals
        unchanged since they were made under this rule."""
        self.policy = policy
        self.deals = {facts.slug: facts for facts in deals}
        self.rule = rule or Rule(room_secrets(self.deals.values(), policy, past), policy)
        self.secrets = self.rule.secrets
        self.redact = self.rule.redact
        self.rule_digest = self.rule.digest
        self._kept_rows = rows or {}

    @property
    def guarded(self) -> list[Secret]:
        return self.rule.guarded

    def _public(self, value: Any, key: str = "") -> Any:
        return _public(value, self.policy, self.redact, key)

    def view(self, slug: str) -> SimpleNamespace:
        """One deal, every field masked or redacted, with its derived facts."""
        view: SimpleNamespace = self._public(self.deals[slug])
        return view

    @functools.cached_property
    def rows(self) -> list[SimpleNamespace]:
        """Each deal's columns in the list of deals and the nav, masked as its pages are."""
        return [self._kept_rows.get(slug) or self.row(slug) for slug in self.deals]

    def row(self, slug: str) -> SimpleNamespace:
        facts = self.deals[slug]
        deal = facts.deal
        changes = facts.changes
        return SimpleNamespace(
            slug=facts.slug, deal=SimpleNamespace(**{
                name: self._public(getattr(deal, name), name) for name in _ROW_FIELDS}),
            alarmed=bool(changes and changes.alarmed),
            # The deal's headline figure in its own terms and currency (`economics.headline`).
            headline=self._public(facts.economics.headline if facts.economics else None),
            last_changed=self._public(changes.last_changed) if changes else None)

    def recent(self, history: History, days: int = 30) -> list[SimpleNamespace]:
        """The changes of the room's records in the last `days` days, newest first, masked."""
        if not history.available:
            return []
        return [SimpleNamespace(slug=revision.slug, name=self._public(self.deals[revision.slug].deal.name),
                                commit=self._public(stamp(revision.commit)), payment=revision.payment,
                                fields=[self.redact(change.path) for change in revision.changes])
                for revision in history.recent(days, build_date()) if revision.slug in self.deals]

    def files(self, slug: str) -> dict[str, str | Path]:
        """Site path -> attached text, redacted, or the attached file, published as it is (the
        guard reads it like every other file of the site)."""
        return {**self.texts(slug), **self.attached(slug)}

    def texts(self, slug: str) -> dict[str, str]:
        """Site path -> an attached text of the deal, redacted."""
        facts = self.deals[slug]
        return {f"deals/{slug}/{facts.files[reference]}": self.redact(text)
                for reference, text in facts.documents.items() if reference in facts.files}

    def attached(self, slug: str) -> dict[str, str | Path]:
        """Site path -> an attached file of the deal that is not text, as it is."""
        facts = self.deals[slug]
        return {f"deals/{slug}/{published}": facts.folder / reference
                for reference, published in facts.files.items() if reference not in facts.documents}

    def unreviewed_attachments(self) -> set[str]:
        """Site paths of the attached files no person has reviewed: the guard publishes them
        only if it can read every part of them."""
        paths: set[str] = set()
        for slug, facts in self.deals.items():
            attached = [(e.file, e.reviewed_on) for e in facts.deal.exhibits] + \
                [(d.file, d.reviewed_on) for d in facts.deal.documents]
            paths.update(f"deals/{slug}/{facts.files[file]}" for file, reviewed_on in attached
                         if file and reviewed_on is None)
        return paths

    def refuse_numbers_in_ids(self) -> None:
        """A deal's id is in every URL of the deal: it must not hold a number of the room."""
        problems = []
        hide = self.rule.hide
        for slug, facts in self.deals.items():
            if hide(slug) != slug:
                # The message masks the number in the path too: CI logs are read by more people.
                problems.append(Problem(
                    Path(hide(str(facts.record))), 1, 1, "", "the deal's folder or file name holds one "
                    "of the room's account numbers, and would publish it in every URL of the deal",
                    "rename it"))
        if problems:
            raise RecordError(problems)
