"""Derive stage, from git: what a deal's pages say of its history.

`dealroom.history` reads the records' history once per build; this turns one deal's part of it
into what its pages show: the last change, the changes commit by commit, an alarm on every
change to where a payment instruction sends money close to or after signing, and whether each
instruction's call-back verification still stands. Values are masked by `dealroom.history`
and again by the room's public view, like every other text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from dealroom.derive import Facts
from dealroom.history import Commit, History, verification_status


@dataclass(frozen=True)
class Stamp:
    """A commit as a page shows it."""

    date: date
    author: str
    subject: str
    short: str


@dataclass(frozen=True)
class FieldChange:
    path: str
    kind: str  # added | removed | changed
    old: str
    new: str


@dataclass(frozen=True)
class RevisionView:
    commit: Stamp
    changes: list[FieldChange]
    created: bool
    deleted: bool
    renamed_from: str
    unparseable: str
    payment: bool


@dataclass(frozen=True)
class Alarm:
    """A change to where money goes: shown in red beside the instruction."""

    commit: Stamp
    path: str
    old: str
    new: str


@dataclass(frozen=True)
class DealChanges:
    available: bool
    reason: str = ""
    last_changed: Stamp | None = None
    uncommitted: bool = False
    revisions: list[RevisionView] = field(default_factory=list)
    alarms: dict[str, list[Alarm]] = field(default_factory=dict)  # instruction id -> alarms
    verification: dict[str, str] = field(default_factory=dict)  # id -> verified | void | unverified
    digest: str = ""  # what the pages show of it, for the page cache's key
    alarmed: bool = False  # some instruction has an alarm


def stamp(commit: Commit) -> Stamp:
    return Stamp(commit.date.date(), commit.author, commit.subject, commit.short)


def deal_changes(history: History, facts: Facts, window_days: int) -> DealChanges:
    """What `facts`'s pages show of its history. A payment change alarms when it landed after
    the agreement date less `window_days` (fraud comes close to the closing, and after it)."""
    deal = history.deal(facts.slug) if history.available else None
    if deal is None:
        reason = history.reason if not history.available else "the record is not committed yet"
        return DealChanges(False, reason, digest=hashlib.sha256(reason.encode()).hexdigest())
    signed = facts.deal.agreement.date
    # An undated agreement: every payment change alarms, as none can be shown to predate it.
    since = signed - timedelta(days=window_days) if isinstance(signed, date) else date.min
    alarms: dict[str, list[Alarm]] = {}
    for payment in deal.payment_changes:
        if payment.commit.landed.date() >= since:
            change = payment.change
            alarms.setdefault(payment.instruction or "", []).append(
                Alarm(stamp(payment.commit), change.path, change.old or "", change.new or ""))
    revisions = [RevisionView(stamp(r.commit), [FieldChange(c.path, c.kind, c.old or "", c.new or "")
                                                 for c in r.changes],
                              r.created, r.deleted, r.renamed_from or "", r.unparseable or "", r.payment)
                 for r in deal.changes]
    verification: dict[str, str] = {i.id: verification_status(deal, i.id, i.verified)
                                    for i in facts.deal.instructions}
    digest = hashlib.sha256(repr((deal.versions, deal.uncommitted, sorted(verification.items()),
                                  window_days)).encode()).hexdigest()
    return DealChanges(True, "", stamp(deal.last_changed), deal.uncommitted, revisions, alarms,
                       verification, digest, any(alarms.values()))
