"""Derive stage: figures and dates the agreement implies but does not type out.

Everything here is computed from the validated `Deal`, never typed by a user, so the pages
show arithmetic and calendars that cannot drift from the record.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

import holidays

from dealroom.model import Deal, Warrant


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
    on: date
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
        start, basis = deal.agreement.date, "the agreement date (the agreement does not state " \
            "the warrant's issue date)"
    coverage = Decimal(0)
    if deal.shares:
        coverage = (Decimal(warrant.shares) * 100 / deal.shares.quantity).normalize()
    return WarrantTerms(
        id=warrant.id,
        coverage_percent=coverage,
        exercise_proceeds=warrant.shares * warrant.exercise_price,
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
        while current.id not in due and current.due is None:
            chain.append(current)
            current = by_id[current.due_next_business_day_after or ""]
        if current.id not in due:
            due[current.id] = DueDate(current.due, current.due_time, None)  # type: ignore[arg-type]
        before = due[current.id]
        for link in reversed(chain):
            on = next_business_day(before.on, deal.holiday_calendar)
            rule = (f"next business day after {before.on:%B} {before.on.day}, "
                    f"{before.on.year} ({deal.holiday_calendar} calendar)")
            due[link.id] = before = DueDate(on, link.due_time, rule)
    return due


def _timeline(deal: Deal, due: dict[str, DueDate], warrants: list[WarrantTerms]) -> list[TimelineEntry]:
    names = {p.id: p.name for p in deal.parties}
    entries = [TimelineEntry(deal.agreement.date, f"{deal.agreement.title} signed", "signing",
                             f"as of {deal.agreement.date:%B} {deal.agreement.date.day}, "
                             f"{deal.agreement.date.year}")]
    closing = deal.closing
    entries.append(TimelineEntry(closing.deadline, "Funding and delivery deadline", "deadline",
                                 closing.deadline_time or ""))
    for obligation in deal.obligations:
        when = due[obligation.id]
        detail = "; ".join(filter(None, [when.time, when.rule]))
        entries.append(TimelineEntry(when.on, obligation.action, "obligation", detail,
                                     obligation.status, names[obligation.obligor]))
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
    computed = deal.shares.quantity * deal.shares.price_per_share if deal.shares else None
    return Facts(slug, deal, computed, warrants, due, _timeline(deal, due, warrants),
                 deal.holiday_calendar, files or {}, documents or {}, record)
