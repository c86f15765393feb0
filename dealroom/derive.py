"""Derive stage: figures and dates the agreement implies but does not type out.

Everything here is computed from the validated `Deal`, never typed by a user, so the pages
show arithmetic and calendars that cannot drift from the record.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from dealroom import schedule
from dealroom.schedule import Agenda as Agenda
from dealroom.schedule import Due as Due
from dealroom.schedule import DueDate as DueDate
from dealroom.schedule import TimelineEntry as TimelineEntry
from dealroom.schedule import add_years as add_years
from dealroom.schedule import next_business_day as next_business_day
from dealroom.schedule import standing as standing

if TYPE_CHECKING:
    from dealroom.changes import DealChanges

from dealroom.economics import Economics, economics
from dealroom.model import Deal, Warrant
from dealroom.precision import at_precision, places
from dealroom.types import MINOR_UNITS


@dataclass(frozen=True)
class WarrantTerms:
    id: str
    coverage_percent: Decimal  # warrant shares as a share of the shares purchased
    exercise_proceeds: Decimal  # what the issuer receives if the warrant is exercised in full
    term_starts_on: date
    term_basis: str  # says on the page from which date the term is counted
    expires_on: date


@dataclass(frozen=True)
class Facts:
    """A deal with everything derived from it: what the render stage needs besides the record."""

    slug: str
    deal: Deal
    computed_aggregate: Decimal | None
    warrants: list[WarrantTerms]
    due: dict[str, DueDate]
    timeline: list[TimelineEntry]
    calendar_name: str
    files: dict[str, str] = field(default_factory=dict)  # file reference -> path on the site
    documents: dict[str, str] = field(default_factory=dict)  # file reference -> text, unmasked
    record: Path = Path("deal.yml")  # the record file
    changes: DealChanges | None = None  # from git, added for each build (`dealroom.changes`)
    closings: dict[str, DueDate] = field(default_factory=dict)  # scheduled closing id -> its date
    calendars: tuple[str, ...] = ()  # the calendars due rules counted business days on
    economics: Economics | None = None  # instruments' derived figures and the headline

    @property
    def folder(self) -> Path:
        """Where the record's attachments are, by their references."""
        return self.record.parent


def _warrant_terms(deal: Deal, warrant: Warrant) -> WarrantTerms:
    if warrant.term_starts_on is not None:
        start, basis = warrant.term_starts_on, "the warrant's stated start date"
    else:
        assert isinstance(deal.agreement.date, date)  # validation requires it then
        start, basis = deal.agreement.date, "the agreement date (the agreement does not state " \
            "the warrant's issue date)"
    coverage = Decimal(0)
    cents = MINOR_UNITS.get(deal.currency, 2)
    # Proceeds are compared with what the deal states in whole amounts: its purchase price.
    stated = places(deal.shares.aggregate_price) if deal.shares else cents
    if deal.shares:
        coverage = (Decimal(warrant.shares) * 100 / deal.shares.quantity).normalize()
    return WarrantTerms(
        id=warrant.id,
        coverage_percent=coverage,
        exercise_proceeds=at_precision(warrant.shares * warrant.exercise_price, stated, cents),
        term_starts_on=start,
        term_basis=basis,
        expires_on=add_years(start, warrant.term_years),
    )


def _timeline(deal: Deal, dates: schedule.Schedule, warrants: list[WarrantTerms]) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    signed = deal.agreement.date
    if isinstance(signed, date):
        entries.append(TimelineEntry(signed, f"{deal.agreement.title} signed", "signing",
                                     f"as of {signed:%B} {signed.day}, {signed.year}"))
    if deal.closing is not None:
        entries.append(TimelineEntry(deal.closing.deadline, "Funding and delivery deadline",
                                     "deadline", deal.closing.deadline_time or "", ref="closing"))
    entries.extend(schedule.timeline_entries(deal, dates))
    for warrant, terms in zip(deal.warrants, warrants, strict=True):
        entries.append(TimelineEntry(terms.expires_on, f"{warrant.defined_term or 'Warrant'} "
                                     f"({warrant.shares:,} shares) expires", "expiry",
                                     f"{warrant.term_years} years counted from {terms.term_basis}"))
    entries.extend(TimelineEntry(e.date, e.title, "event", e.notes or "") for e in deal.events)
    order = {"signing": 0, "deadline": 1, "closing": 1, "obligation": 2, "event": 3, "expiry": 4}
    return sorted(entries, key=lambda e: (e.on, order[e.kind]))


def derive(slug: str, deal: Deal, files: dict[str, str] | None = None,
           documents: dict[str, str] | None = None, record: Path = Path("deal.yml")) -> Facts:
    """Compute the derived terms, due dates and timeline of a validated deal."""
    warrants = [_warrant_terms(deal, w) for w in deal.warrants]
    dates = schedule.compute(deal)
    computed = None
    if deal.shares:  # shown beside the stated aggregate, at its precision
        computed = at_precision(deal.shares.quantity * deal.shares.price_per_share,
                                places(deal.shares.aggregate_price), MINOR_UNITS.get(deal.currency, 2))
    return Facts(slug, deal, computed, warrants, dates.obligations, _timeline(deal, dates, warrants),
                 deal.holiday_calendar, files or {}, documents or {}, record,
                 closings=dates.closings, calendars=dates.calendars, economics=economics(deal))


def build_date() -> date:
    """The day a build is "as of": `SOURCE_DATE_EPOCH` (UTC) when set, so that a rebuild of the
    same records is the same site; else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()


def agenda(facts: Facts, today: date) -> Agenda:
    """The deal's closings and obligations, with each obligation's status as of `today`."""
    return schedule.agenda(facts.slug, facts.deal, schedule.Schedule(facts.due, facts.closings,
                                                                     facts.calendars), today)


# Two events further apart than this show the time between them as a gap on the timeline.
TIMELINE_GAP = timedelta(days=90)


class Dated(Protocol):
    @property
    def on(self) -> date: ...


@dataclass(frozen=True)
class TimelineRow:
    kind: str  # entry | today | gap
    on: date
    entry: Any = None  # the timeline entry, for kind "entry"
    gap: str = ""  # how long, for kind "gap"


def _span(start: date, end: date) -> str:
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    years, months = divmod(months, 12)
    parts = [f"{years} year{'s' * (years != 1)}"] if years else []
    if months:
        parts.append(f"{months} month{'s' * (months != 1)}")
    if not parts:
        days = (end - start).days
        parts.append(f"{days} day{'s' * (days != 1)}")
    return " ".join(parts)


def timeline_years(entries: Iterable[Dated], today: date) -> list[tuple[int, list[TimelineRow]]]:
    """Timeline entries grouped by year, with today marked where it falls and long gaps shown."""
    rows = [TimelineRow("entry", e.on, e) for e in schedule.upcoming(entries, today)]
    at = next((i for i, row in enumerate(rows) if row.on > today), len(rows))
    rows.insert(at, TimelineRow("today", today))
    spaced: list[TimelineRow] = []
    for row in rows:
        if spaced and row.on - spaced[-1].on > TIMELINE_GAP:
            spaced.append(TimelineRow("gap", row.on, gap=_span(spaced[-1].on, row.on)))
        spaced.append(row)
    years: list[tuple[int, list[TimelineRow]]] = []
    for row in spaced:
        if row.kind == "gap":
            if years:
                years[-1][1].append(row)
            continue
        if not years or years[-1][0] != row.on.year:
            years.append((row.on.year, []))
        years[-1][1].append(row)
    return years


@dataclass(frozen=True)
class RoomSummary:
    """The room as of a day: what needs attention across every deal, and its totals."""

    today: date
    agendas: tuple[Agenda, ...]
    by_status: dict[str, int]  # deal status -> how many deals
    amounts: dict[str, Decimal]  # currency -> the deals' headline amounts, never mixed

    @property
    def overdue(self) -> list[Due]:
        return sorted((d for a in self.agendas for d in a.overdue), key=lambda d: (d.on, d.slug))

    def due_within(self, days: int) -> list[Due]:
        return sorted((d for a in self.agendas for d in a.due_within(days)), key=lambda d: (d.on, d.slug))

    @property
    def attention(self) -> list[Agenda]:
        """The deals with an obligation still pending, the most overdue first."""
        pending = [a for a in self.agendas if a.overdue or a.open]
        return sorted(pending, key=lambda a: (-len(a.overdue), a.next_deadline.on if a.next_deadline
                                              else date.max, a.slug))


def summary(deals: Iterable[Facts], agendas: Iterable[Agenda], today: date) -> RoomSummary:
    deals = list(deals)
    by_status: dict[str, int] = {}
    amounts: dict[str, Decimal] = {}
    for facts in deals:
        by_status[facts.deal.status] = by_status.get(facts.deal.status, 0) + 1
        top = facts.economics.headline if facts.economics is not None else None
        if top is not None and isinstance(top.amount, Decimal):  # each in its own currency
            amounts[top.currency] = amounts.get(top.currency, Decimal(0)) + top.amount
    return RoomSummary(today, tuple(agendas), dict(sorted(by_status.items())), dict(sorted(amounts.items())))
