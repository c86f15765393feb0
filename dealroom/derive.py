"""Derive stage: figures and dates the agreement implies but does not type out.

Everything here is computed from the validated `Deal`, never typed by a user, so the pages
show arithmetic and calendars that cannot drift from the record.
"""

from __future__ import annotations

import calendar
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import holidays

if TYPE_CHECKING:
    from dealroom.changes import DealChanges

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
class DueDate:
    on: date | None  # None: the rule gives no date (an event, or a value the agreement leaves blank)
    time: str | None
    rule: str | None  # how the date was computed, when it was


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    title: str
    kind: str  # signing | deadline | obligation | expiry | event
    detail: str = ""
    status: str = ""
    party: str = ""
    ref: str = ""  # the obligation's id, or "closing": its anchor on the pages


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

    @property
    def folder(self) -> Path:
        """Where the record's attachments are, by their references."""
        return self.record.parent


@cache
def _holiday_calendar(name: str) -> holidays.HolidayBase:
    if name in holidays.list_supported_financial():
        return holidays.financial_holidays(name)
    return holidays.country_holidays(name)


def next_business_day(day: date, calendar_name: str) -> date:
    """The first day after `day` that is neither a weekend nor a holiday of the calendar."""
    closed = _holiday_calendar(calendar_name)
    day += timedelta(days=1)
    while day.weekday() >= 5 or day in closed:
        day += timedelta(days=1)
    return day


def add_years(day: date, years: int) -> date:
    """Same month and day `years` later; February 29 falls back to February 28."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


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


def _due_dates(deal: Deal) -> dict[str, DueDate]:
    by_id = {o.id: o for o in deal.obligations}
    due: dict[str, DueDate] = {}
    for obligation in deal.obligations:
        # Walk back to a known date, then forward: a loop, not recursion, so a long chain of
        # "next business day after" cannot exhaust the stack (validation refused circles).
        chain, current = [], obligation
        while current.id not in due and current.due_next_business_day_after is not None:
            chain.append(current)
            current = by_id[current.due_next_business_day_after]
        if current.id not in due:
            on = current.due if isinstance(current.due, date) else None
            due[current.id] = DueDate(on, current.due_time, None)
        before = due[current.id]
        for link in reversed(chain):
            if before.on is None:
                due[link.id] = before = DueDate(None, link.due_time, None)
                continue
            on = next_business_day(before.on, deal.holiday_calendar)
            rule = (f"next business day after {before.on:%B} {before.on.day}, "
                    f"{before.on.year} ({deal.holiday_calendar} calendar)")
            due[link.id] = before = DueDate(on, link.due_time, rule)
    return due


def _timeline(deal: Deal, due: dict[str, DueDate], warrants: list[WarrantTerms]) -> list[TimelineEntry]:
    # An obligation may be owed by or to a group ("the Purchasers"): named by its defined term.
    names = {g.id: g.name for g in deal.groups} | {p.id: p.name for p in deal.parties}
    entries: list[TimelineEntry] = []
    signed = deal.agreement.date
    if isinstance(signed, date):
        entries.append(TimelineEntry(signed, f"{deal.agreement.title} signed", "signing",
                                     f"as of {signed:%B} {signed.day}, {signed.year}"))
    if deal.closing is not None:
        entries.append(TimelineEntry(deal.closing.deadline, "Funding and delivery deadline",
                                     "deadline", deal.closing.deadline_time or "", ref="closing"))
    for obligation in deal.obligations:
        when = due[obligation.id]
        if when.on is None:
            continue
        detail = "; ".join(filter(None, [when.time, when.rule]))
        entries.append(TimelineEntry(when.on, obligation.action, "obligation", detail,
                                     obligation.status, names[obligation.obligor], obligation.id))
    for warrant, terms in zip(deal.warrants, warrants, strict=True):
        entries.append(TimelineEntry(terms.expires_on, f"{warrant.defined_term or 'Warrant'} "
                                     f"({warrant.shares:,} shares) expires", "expiry",
                                     f"{warrant.term_years} years counted from {terms.term_basis}"))
    entries.extend(TimelineEntry(e.date, e.title, "event", e.notes or "") for e in deal.events)
    order = {"signing": 0, "deadline": 1, "obligation": 2, "event": 3, "expiry": 4}
    return sorted(entries, key=lambda e: (e.on, order[e.kind]))


def derive(slug: str, deal: Deal, files: dict[str, str] | None = None,
           documents: dict[str, str] | None = None, record: Path = Path("deal.yml")) -> Facts:
    """Compute the derived terms, due dates and timeline of a validated deal."""
    warrants = [_warrant_terms(deal, w) for w in deal.warrants]
    due = _due_dates(deal)
    computed = None
    if deal.shares:  # shown beside the stated aggregate, at its precision
        computed = at_precision(deal.shares.quantity * deal.shares.price_per_share,
                                places(deal.shares.aggregate_price), MINOR_UNITS.get(deal.currency, 2))
    return Facts(slug, deal, computed, warrants, due, _timeline(deal, due, warrants),
                 deal.holiday_calendar, files or {}, documents or {}, record)


def build_date() -> date:
    """The day a build is "as of": `SOURCE_DATE_EPOCH` (UTC) when set, so that a rebuild of the
    same records is the same site; else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()


def standing(status: str, on: date, today: date) -> str:
    """An obligation's status as of `today`: an open one whose day has passed is overdue."""
    return "overdue" if status == "open" and on < today else status


@dataclass(frozen=True)
class Due:
    """One dated thing of a deal: an obligation, or the closing deadline."""

    slug: str
    id: str  # the obligation's id, or "closing"
    kind: str  # obligation | closing
    on: date
    time: str
    title: str
    who: str = ""
    whom: str = ""
    status: str = ""  # as of the build date: open | overdue | done | waived ("" for the closing)

    @property
    def pending(self) -> bool:
        return self.status in ("open", "overdue")


@dataclass(frozen=True)
class Agenda:
    """A deal as of a day: what is due, what is overdue, what comes next."""

    slug: str
    today: date
    items: tuple[Due, ...]  # by date

    @property
    def obligations(self) -> tuple[Due, ...]:
        return tuple(d for d in self.items if d.kind == "obligation")

    @property
    def overdue(self) -> tuple[Due, ...]:
        return tuple(d for d in self.items if d.status == "overdue")

    @property
    def open(self) -> tuple[Due, ...]:
        return tuple(d for d in self.items if d.status == "open")

    @property
    def next_deadline(self) -> Due | None:
        """The first obligation still pending on or after today (or the closing, if later)."""
        return next((d for d in self.items if d.on >= self.today and
                     (d.pending or d.kind == "closing")), None)

    def due_within(self, days: int) -> tuple[Due, ...]:
        end = self.today + timedelta(days=days)
        return tuple(d for d in self.items if d.pending and self.today <= d.on <= end)

    @property
    def standing(self) -> dict[str, str]:
        """Obligation id -> status as of the day."""
        return {d.id: d.status for d in self.obligations}

    def redacted(self, redact: Callable[[str], str]) -> Agenda:
        """The same agenda with every text field passed through the room's redaction rule."""
        return replace(self, items=tuple(replace(d, title=redact(d.title), time=redact(d.time),
                                                 who=redact(d.who), whom=redact(d.whom))
                                         for d in self.items))


def agenda(facts: Facts, today: date) -> Agenda:
    """The deal's obligations and closing deadline, with each obligation's status as of `today`."""
    deal = facts.deal
    # An obligation may be owed by or to a group ("the Purchasers"): named by its defined term.
    names = {g.id: g.name for g in deal.groups} | {p.id: p.name for p in deal.parties}
    items = [Due(facts.slug, "closing", "closing", deal.closing.deadline,
                 deal.closing.deadline_time or "", "Funding and delivery deadline")
             ] if deal.closing is not None else []
    for obligation in deal.obligations:
        when = facts.due[obligation.id]
        if when.on is None:
            continue
        items.append(Due(facts.slug, obligation.id, "obligation", when.on, when.time or "",
                         " ".join(obligation.action.split()), names[obligation.obligor],
                         names[obligation.beneficiary], standing(obligation.status, when.on, today)))
    return Agenda(facts.slug, today, tuple(sorted(items, key=lambda d: (d.on, d.kind != "closing"))))


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
    rows = [TimelineRow("entry", e.on, e) for e in entries]
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
    amounts: dict[str, Decimal]  # currency -> the deals' aggregate purchase prices

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
        if facts.deal.shares is not None:
            amounts[facts.deal.currency] = amounts.get(facts.deal.currency, Decimal(0)) + \
                facts.deal.shares.aggregate_price
    return RoomSummary(today, tuple(agendas), dict(sorted(by_status.items())), dict(sorted(amounts.items())))
