"""Due dates: when each obligation and closing of a deal falls, from the rule the record gives.

A rule is a date (or `not stated`), a count of calendar, business or trading days after
another date, a series of dates, or an event that has no date ("upon ..."). Business days skip
weekends and the holidays of a named calendar (the `holidays` package: a market such as NYSE,
XTSE, XLON, ECB for TARGET2, or a country); trading days are a market's business days. Every
computed date keeps its rule in words with the calendar's name, so a page never shows a date
without saying how it was reached.

Chains of rules (a deliverable two trading days after a closing that is twenty days after
another) are resolved with an explicit stack, never recursion: a record may chain thousands.
Circles are refused by validation (`circles`) before any date is computed.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from typing import Any

import holidays

from dealroom.model import (
    Deal,
    DueRule,
    FacilityInstrument,
    NoteInstrument,
    Obligation,
    Recurrence,
    ScheduledClosing,
)
from dealroom.types import MAX_YEAR, MIN_YEAR, Blank

# Where a count of days may start besides closings, obligations and events.
AGREEMENT_EVENT = "agreement"
# Months between two dates of a series.
MONTHS = {"monthly": 1, "quarterly": 3, "semiannually": 6, "annually": 12}
# A series with no end is expanded this far from its first date: enough for any build date a
# room is likely to have, small enough to stay cheap (monthly: 360 dates).
OPEN_SERIES_YEARS = 30
# However long a series' stated end, at most this many dates (a monthly series of a century).
MAX_OCCURRENCES = 1200
# The timeline shows this many next dates of a series (and its rule), not all of them.
SERIES_SHOWN = 3
# The agenda, the calendar and the CSV hold a series' dates this far ahead of the build date.
AGENDA_HORIZON = timedelta(days=366)
# Financial calendars of payment systems, not markets: no trading days.
_PAYMENT_SYSTEMS = frozenset({"XECB", "XFED"})
# Names the `holidays` class names do not say well.
_DESCRIPTIONS = {"XECB": "TARGET2, European Central Bank", "XFED": "Federal Reserve",
                 "XSIF": "SIFMA bond market"}


# --- calendars -------------------------------------------------------------------------------

@cache
def known_calendars() -> frozenset[str]:
    """The holiday calendars the library knows: markets and countries, listed once."""
    return frozenset(holidays.list_supported_financial()) | \
        frozenset(holidays.list_supported_countries())


@cache
def holiday_calendar(name: str) -> holidays.HolidayBase:
    if name in holidays.list_supported_financial():
        return holidays.financial_holidays(name)
    return holidays.country_holidays(name)


def is_market(name: str) -> bool:
    """Whether `name` is a market's calendar, on which trading days can be counted."""
    if name not in holidays.list_supported_financial():
        return False
    return getattr(holiday_calendar(name), "market", name) not in _PAYMENT_SYSTEMS


def describe_calendar(name: str) -> str:
    """The calendar as a page names it: "NYSE (New York Stock Exchange)", "GB (United Kingdom)"."""
    known = holiday_calendar(name)
    market = getattr(known, "market", None)
    if isinstance(market, str) and market in _DESCRIPTIONS:
        return f"{name} ({_DESCRIPTIONS[market]})"
    for kind in type(known).__mro__:
        words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind.__name__)
        if " " in words and kind.__name__ not in ("ChildEntity", "HolidayBase"):
            return f"{name} ({words})"
    return name


def is_business_day(day: date, calendar_name: str) -> bool:
    return day.weekday() < 5 and day not in holiday_calendar(calendar_name)


def next_business_day(day: date, calendar_name: str) -> date:
    """The first day after `day` that is neither a weekend nor a holiday of the calendar."""
    day += timedelta(days=1)
    while not is_business_day(day, calendar_name):
        day += timedelta(days=1)
    return day


class PastTheYears(ValueError):
    """A date counted from another falls outside the years a deal's dates may take."""


def _within_years(day: date) -> date:
    # A chain of counts could run on to year 9999, where a calendar's day after has no date.
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise PastTheYears(day)
    return day


def count_days(start: date, days: int, day_kind: str, calendar_name: str,
               before: bool = False) -> date:
    """`days` calendar days after `start`, or the `days`-th business (trading) day after it;
    `before` counts back from `start` instead.

    Zero business days means `start` itself if it is a business day, else the next one (the
    previous one, counting back: a deadline must not move past what it precedes)."""
    step = timedelta(days=-1 if before else 1)
    if day_kind == "calendar":
        return _within_years(start + step * days)  # `start` is within them: no overflow
    day = start
    if days == 0 and is_business_day(day, calendar_name):
        return day
    for _ in range(max(days, 1)):
        day += step
        while not is_business_day(day, calendar_name):
            day += step
    return _within_years(day)


def add_months(day: date, months: int) -> date:
    """Same day `months` later; a day the month lacks falls back to its last (January 31 ->
    February 28), and the series keeps its day (-> March 31)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    """Same month and day `years` later; February 29 falls back to February 28."""
    return add_months(day, 12 * years)


def series(recurrence: Recurrence, end: date | None, calendar_name: str) -> tuple[date, ...]:
    """The dates of a series up to `end` (its last possible date; None: open-ended, expanded
    `OPEN_SERIES_YEARS`), moved to the next business day when its `day_kind` says so."""
    step = MONTHS[recurrence.every]
    last = end if end is not None else add_years(recurrence.first, OPEN_SERIES_YEARS)
    dates: list[date] = []
    for index in range(MAX_OCCURRENCES):
        scheduled = add_months(recurrence.first, index * step)
        if scheduled > last:
            break
        if recurrence.day_kind == "business" and not is_business_day(scheduled, calendar_name):
            scheduled = next_business_day(scheduled, calendar_name)
        dates.append(scheduled)
    return tuple(dates)


# --- words -----------------------------------------------------------------------------------

def long_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _the(title: str) -> str:
    """A defined term as a sentence names it: "the Initial Closing"."""
    return title if title.casefold().startswith("the ") else f"the {title}"


def _short(text: str, limit: int = 60) -> str:
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    return words[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def _blank(value: Blank) -> str:
    return "redacted in the filing" if value is Blank.REDACTED else "not stated"


# Words that open a phrase which already says when ("within 60 days after...", "at all times",
# "before the Effective Date"): "upon" in front of them would read "upon within 60 days".
_WHEN_WORDS = frozenset({
    "upon", "within", "before", "after", "at", "on", "by", "no", "not", "until", "while", "when",
    "whenever", "whether", "throughout", "for", "as", "promptly", "immediately", "prior",
    "following", "during", "from", "if", "once", "concurrently", "simultaneously"})


def _upon(event: str) -> str:
    event = " ".join(event.split())
    first = event.split(" ", 1)[0].casefold()
    return event if first in _WHEN_WORDS else f"upon {event}"


def who_name(deal: Deal, ref: str) -> str:
    """A party's name, or a group's as a sentence names it ("the Purchasers")."""
    for party in deal.parties:
        if party.id == ref:
            return party.name
    for group in deal.groups:
        if group.id == ref:
            return _the(group.name)
    return ref


# --- the dates of a deal ---------------------------------------------------------------------

@dataclass(frozen=True)
class DueDate:
    on: date | None  # None: the rule gives no date (an event, or a value the agreement leaves blank)
    time: str | None
    rule: str | None  # how the date is reached, in words with its calendar; None for a plain date
    kind: str = "date"  # date | after | every | upon | not stated
    calendar: str | None = None  # the calendar business or trading days were counted on
    series: tuple[date, ...] = ()  # a recurring rule's dates, to its end (or `OPEN_SERIES_YEARS`)


@dataclass(frozen=True)
class Schedule:
    """The dates of a deal's obligations and closings, by id, and the calendars they used."""

    obligations: dict[str, DueDate]
    closings: dict[str, DueDate]
    calendars: tuple[str, ...]  # described: "NYSE (New York Stock Exchange)"


_Node = tuple[str, str]  # ("closing" | "obligation", id)


class _Rules:
    """The rules of a deal, by node, and what each counts from."""

    def __init__(self, deal: Deal) -> None:
        self.deal = deal
        self.rules: dict[_Node, DueRule] = {("closing", c.id): c for c in deal.closings}
        self.rules.update({("obligation", o.id): o for o in deal.obligations})
        self.titles = {("closing", c.id): _the(c.title) for c in deal.closings}
        self.titles.update({("obligation", o.id): f"“{_short(o.action)}”" for o in deal.obligations})

    def node(self, ref: str) -> _Node | None:
        """What an `After.event` id names among the rules (a closing first)."""
        for kind in ("closing", "obligation"):
            if (kind, ref) in self.rules:
                return kind, ref
        return None

    def start(self, rule: DueRule) -> _Node | None:
        """The rule another rule's date is counted from, if any."""
        if rule.due_next_business_day_after is not None:
            node: _Node = ("obligation", rule.due_next_business_day_after)
            return node if node in self.rules else None
        if rule.due_after is not None:
            return self.node(rule.due_after.event)
        return None


def _maturity(deal: Deal) -> tuple[date, str] | None:
    """The maturity a series with no end runs to: the deal's one dated maturity, if it has one."""
    found = [(i.maturity, i.title) for i in deal.instruments
             if isinstance(i, NoteInstrument | FacilityInstrument) and isinstance(i.maturity, date)]
    return found[0] if len(found) == 1 else None


class _Computer:
    def __init__(self, deal: Deal) -> None:
        self.deal = deal
        self.rules = _Rules(deal)
        self.events = {e.id: e for e in deal.events if e.id is not None}
        self.maturity = _maturity(deal)
        self.used: list[str] = []  # calendars counted on, in order of first use
        self.done: dict[_Node, DueDate] = {}
        self.past: list[DueRule] = []  # rules whose count leaves the years (`past_the_years`)

    def run(self) -> Schedule:
        for node in self.rules.rules:
            # Walk back to a rule whose start is known, then forward: a loop, not recursion.
            stack, on_stack = [node], {node}
            while (start := self.rules.start(self.rules.rules[stack[-1]])) is not None \
                    and start not in self.done:
                if start in on_stack:
                    raise ValueError(f"due dates refer to each other in a circle at {start[1]!r}")
                stack.append(start)
                on_stack.add(start)
            for step in reversed(stack):
                self.done.setdefault(step, self.when(self.rules.rules[step]))
        return Schedule({o.id: self.done[("obligation", o.id)] for o in self.deal.obligations},
                        {c.id: self.done[("closing", c.id)] for c in self.deal.closings},
                        tuple(describe_calendar(name) for name in self.used))

    def counted_on(self, name: str) -> None:
        if name not in self.used:
            self.used.append(name)

    def when(self, rule: DueRule) -> DueDate:
        time = rule.due_time
        if isinstance(rule.due, date):
            return DueDate(rule.due, time, None)
        if isinstance(rule.due, Blank):
            return DueDate(None, time, _blank(rule.due), "not stated")
        if rule.due_upon is not None:
            return DueDate(None, time, _upon(rule.due_upon), "upon")
        if rule.due_next_business_day_after is not None:
            before = self.done.get(("obligation", rule.due_next_business_day_after))
            if before is None or before.on is None:
                return DueDate(None, time, None, "after")
            name, after = self.deal.holiday_calendar, before.on
            # Worded as the seed deal's pages have always shown it.
            return DueDate(self.dated(rule, lambda: _within_years(next_business_day(after, name))), time,
                           f"next business day after {long_date(after)} ({name} calendar)",
                           "after", name)
        if rule.due_after is not None:
            return self.after(rule, time)
        assert rule.due_every is not None  # the model requires exactly one rule
        return self.every(rule.due_every, time)

    def after(self, rule: DueRule, time: str | None) -> DueDate:
        after = rule.due_after
        assert after is not None
        start, name = self.start(after.event)
        counting = after.day_kind != "calendar"
        cal = (after.calendar or self.deal.holiday_calendar) if counting else None
        way = "before" if after.before else "after"
        if after.day_kind == "calendar":
            count = f"{after.days} calendar day{'s' * (after.days != 1)} {way} {name}" \
                if after.days else f"the day of {name}"
        elif after.days:
            count = f"{ordinal(after.days)} {after.day_kind} day {way} {name}"
        else:
            count = f"{name}, or the {'previous' if after.before else 'next'} {after.day_kind} " \
                "day if it is not one"
        notes = [long_date(start)] if start is not None else []
        if cal is not None:
            self.counted_on(cal)
            notes.append(f"{cal} calendar")
        words = f"{count} ({'; '.join(notes)})" if notes else count
        on = self.dated(rule, lambda: count_days(start, after.days, after.day_kind, cal or "",
                                                 after.before)) if start is not None else None
        return DueDate(on, time, words, "after", cal)

    def dated(self, rule: DueRule, count: Callable[[], date]) -> date | None:
        """The date `count` reaches, or None, noted in `past`, where it leaves the years."""
        try:
            return count()
        except PastTheYears:
            self.past.append(rule)
            return None

    def start(self, ref: str) -> tuple[date | None, str]:
        """The date a count starts from (None: it has none yet) and its name in words."""
        if ref == AGREEMENT_EVENT:
            signed = self.deal.agreement.date
            return (signed if isinstance(signed, date) else None), "the agreement date"
        node = self.rules.node(ref)
        if node is not None:
            return self.done[node].on, self.rules.titles[node]
        event = self.events.get(ref)
        return (event.date, event.title) if event is not None else (None, ref)

    def every(self, recurrence: Recurrence, time: str | None) -> DueDate:
        name = self.deal.holiday_calendar
        end = recurrence.until
        if end is not None:
            until = f"until {long_date(end)}"
        elif self.maturity is not None:
            end = self.maturity[0]
            until = f"until the maturity of {_the(self.maturity[1])} ({long_date(end)})"
        else:
            until = "until further notice"
        words = f"{recurrence.every.capitalize()} from {long_date(recurrence.first)} {until}"
        cal = None
        if recurrence.day_kind == "business":
            cal = name
            self.counted_on(name)
            words += f"; a date that is not a business day moves to the next one ({name} calendar)"
        return DueDate(None, time, words, "every", cal, series(recurrence, end, name))


def compute(deal: Deal) -> Schedule:
    """Every obligation's and closing's date of a validated deal (circles already refused)."""
    return _Computer(deal).run()


# --- validation ------------------------------------------------------------------------------

RuleProblem = tuple[tuple[str | int, ...], str, str]  # (field path, message, fix)


def rule_problems(deal: Deal) -> list[RuleProblem]:
    """Calendars and series of the due rules: a named calendar must exist, trading days need a
    market's calendar, a series must end after it starts."""
    problems: list[RuleProblem] = []
    known = known_calendars()
    rules: list[tuple[str, int, DueRule]] = [("closings", i, c) for i, c in enumerate(deal.closings)]
    rules += [("obligations", i, o) for i, o in enumerate(deal.obligations)]
    for section, index, rule in rules:
        after, every = rule.due_after, rule.due_every
        if after is not None:
            at = (section, index, "due_after")
            name = after.calendar or deal.holiday_calendar
            if after.calendar is not None and after.calendar not in known:
                problems.append(((*at, "calendar"), f"unknown holiday calendar {after.calendar!r}",
                                 "use a market such as NYSE, XTSE, XLON or ECB (TARGET2), or a "
                                 "country code such as US"))
            elif after.day_kind == "trading" and name in known and not is_market(name):
                what = "a payment system's" if name in holidays.list_supported_financial() \
                    else "a country's"
                problems.append(((*at, "day_kind"), f"trading days are counted on a market's "
                                 f"calendar; {name!r} is {what} calendar",
                                 "name the market in `calendar`, e.g. NYSE, XTSE or XLON"))
        if every is not None and every.until is not None and every.until < every.first:
            problems.append(((section, index, "due_every", "until"), f"the series ends on "
                             f"{every.until}, before its first date {every.first}",
                             "check both dates"))
    return problems


def past_the_years(deal: Deal) -> list[RuleProblem]:
    """Each rule whose counted date falls outside the years a deal's dates may take (a chain
    of counts, each within its limit, may run on for centuries); circles already refused."""
    computer = _Computer(deal)
    computer.run()
    rules: list[tuple[str, int, DueRule]] = [("closings", i, c) for i, c in enumerate(deal.closings)]
    rules += [("obligations", i, o) for i, o in enumerate(deal.obligations)]
    past = {id(rule) for rule in computer.past}
    return [((section, index, "due_after" if rule.due_after is not None else
              "due_next_business_day_after"),
             f"the date this counts to is outside the years {MIN_YEAR} to {MAX_YEAR}",
             "check the count and what it counts from")
            for section, index, rule in rules if id(rule) in past]


def circles(deal: Deal) -> list[RuleProblem]:
    """Each rule whose chain of "counted from" comes back on itself, with the chain in words.

    Linear: a rule whose chain is known to end (or to loop) stops the walk of the next one."""
    rules = _Rules(deal)
    ends: set[_Node] = set()
    loops: dict[_Node, list[_Node]] = {}
    problems: list[RuleProblem] = []
    index = {("closing", c.id): ("closings", i) for i, c in enumerate(deal.closings)}
    index.update({("obligation", o.id): ("obligations", i) for i, o in enumerate(deal.obligations)})
    for node, rule in rules.rules.items():
        chain, seen = [node], {node}
        loop: list[_Node] | None = None
        while (start := rules.start(rules.rules[chain[-1]])) is not None and start not in ends:
            if start in loops:
                loop = loops[start]
                break
            if start in seen:
                loop = [*chain[chain.index(start):], start]
                break
            chain.append(start)
            seen.add(start)
        if loop is None:
            ends.update(chain)
            continue
        loops.update(dict.fromkeys(chain, loop))
        legacy = rule.due_next_business_day_after is not None
        path = (*index[node], "due_next_business_day_after" if legacy else "due_after")
        words = " → ".join(f"{kind} {ref!r}" for kind, ref in loop)
        problems.append((path if legacy else (*path, "event"),
                         f"due dates refer to each other in a circle: {words}",
                         "give one obligation in the chain a `due` date" if legacy else
                         "count one of them from a dated event, or give it a `due` date"))
    return sorted(problems, key=lambda p: (p[0][0] != "closings", p[0][1]))


# --- the timeline ----------------------------------------------------------------------------

@dataclass(frozen=True)
class TimelineEntry:
    on: date
    title: str
    kind: str  # signing | deadline | closing | obligation | expiry | event
    detail: str = ""
    status: str = ""
    party: str = ""
    ref: str = ""  # the obligation's or closing's id, or "closing": its anchor on the pages
    series: str = ""  # a recurring obligation's id: the timeline shows its next few dates


def timeline_entries(deal: Deal, schedule: Schedule) -> list[TimelineEntry]:
    """The dated closings and obligations of a deal; each date of a series is an entry."""
    entries: list[TimelineEntry] = []
    for closing in deal.closings:
        when = schedule.closings[closing.id]
        time = " ".join(filter(None, [when.time, closing.timezone]))
        detail = "; ".join(filter(None, [time, when.rule, closing.place]))
        status = "" if closing.status == "scheduled" else closing.status
        for on in (when.on,) if when.on is not None else when.series:
            entries.append(TimelineEntry(on, closing.title, "closing", detail, status, "",
                                         closing.id, closing.id if when.series else ""))
    for obligation in deal.obligations:
        when = schedule.obligations[obligation.id]
        detail = "; ".join(filter(None, [when.time, when.rule]))
        party = who_name(deal, obligation.obligor)
        for on in (when.on,) if when.on is not None else when.series:
            entries.append(TimelineEntry(on, obligation.action, "obligation", detail,
                                         obligation.status, party, obligation.id,
                                         obligation.id if when.series else ""))
    return entries


def upcoming(entries: Iterable[Any], today: date) -> list[Any]:
    """Timeline entries with each series cut to its next `SERIES_SHOWN` dates from `today`
    (or its last date, when all are past); entries in date order stay in order."""
    entries = list(entries)
    shown: dict[str, int] = {}
    last_past: dict[str, int] = {}
    keep: set[int] = set()
    for at, entry in enumerate(entries):
        name = getattr(entry, "series", "")
        if not name:
            keep.add(at)
        elif entry.on < today:
            last_past[name] = at
        elif shown.get(name, 0) < SERIES_SHOWN:
            shown[name] = shown.get(name, 0) + 1
            keep.add(at)
    keep.update(at for name, at in last_past.items() if not shown.get(name))
    return [entry for at, entry in enumerate(entries) if at in keep]


# --- the agenda ------------------------------------------------------------------------------

def standing(status: str, on: date, today: date) -> str:
    """An obligation's status as of `today`: an open one whose day has passed is overdue."""
    return "overdue" if status == "open" and on < today else status


@dataclass(frozen=True)
class Due:
    """One dated thing of a deal: an obligation (or one date of its series), or a closing."""

    slug: str
    id: str  # the obligation's or closing's id, or "closing" for a deal's single deadline
    kind: str  # obligation | closing
    on: date
    time: str
    title: str
    who: str = ""
    whom: str = ""
    status: str = ""  # as of the build date: open | overdue | done | waived ("" for a closing)
    rule: str = ""  # how the date is reached, in words, when it is computed
    anchor: str = ""  # its anchor on the timeline page
    key: str = ""  # unique in the deal: a calendar event's id

    @property
    def pending(self) -> bool:
        return self.status in ("open", "overdue")


@dataclass(frozen=True)
class Undated:
    """An obligation or closing with no date on the agenda: upon an event, not stated, counted
    from a date not yet known, or a series with no date in the agenda's range."""

    id: str
    kind: str
    title: str
    rule: str
    time: str = ""
    who: str = ""
    whom: str = ""
    status: str = ""


@dataclass(frozen=True)
class Agenda:
    """A deal as of a day: what is due, what is overdue, what comes next."""

    slug: str
    today: date
    items: tuple[Due, ...]  # by date
    undated: tuple[Undated, ...] = field(default=())

    @property
    def obligations(self) -> tuple[Due, ...]:
        return tuple(d for d in self.items if d.kind == "obligation")

    @property
    def overdue(self) -> tuple[Due, ...]:
        return tuple(d for d in self.items if d.status == "overdue")

    @property
    def open(self) -> tuple[Due, ...]:
        """Open obligations, each once (a series counts by its next date)."""
        seen: set[str] = set()
        found = []
        for due in self.items:
            if due.status == "open" and due.id not in seen:
                seen.add(due.id)
                found.append(due)
        return tuple(found)

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
        found = {u.id: u.status for u in self.undated if u.kind == "obligation"}
        return found | {d.id: d.status for d in self.obligations}

    def redacted(self, redact: Callable[[str], str]) -> Agenda:
        """The same agenda with every text field passed through the room's redaction rule."""
        def clean(item: Any) -> Any:
            return replace(item, title=redact(item.title), time=redact(item.time),
                           who=redact(item.who), whom=redact(item.whom), rule=redact(item.rule))
        return replace(self, items=tuple(clean(d) for d in self.items),
                       undated=tuple(clean(u) for u in self.undated))


def _in_range(when: DueDate, today: date) -> Iterator[date]:
    if when.on is not None:
        yield when.on
    else:
        yield from (on for on in when.series if today <= on <= today + AGENDA_HORIZON)


def agenda(slug: str, deal: Deal, schedule: Schedule, today: date) -> Agenda:
    """The deal's closings and obligations as of `today`: dated ones (a series by its dates in
    the coming `AGENDA_HORIZON`) with their status, and the others with their rule."""
    items: list[Due] = []
    undated: list[Undated] = []
    if deal.closing is not None:
        items.append(Due(slug, "closing", "closing", deal.closing.deadline,
                         deal.closing.deadline_time or "", "Funding and delivery deadline",
                         anchor="closing", key="closing"))
    dated: list[tuple[ScheduledClosing | Obligation, DueDate]] = [
        (c, schedule.closings[c.id]) for c in deal.closings if c.status != "cancelled"]
    dated += [(o, schedule.obligations[o.id]) for o in deal.obligations]
    for thing, when in dated:
        is_closing = isinstance(thing, ScheduledClosing)
        kind = "closing" if is_closing else "obligation"
        title = thing.title if isinstance(thing, ScheduledClosing) else " ".join(thing.action.split())
        who = whom = ""
        if isinstance(thing, Obligation):
            who, whom = who_name(deal, thing.obligor), who_name(deal, thing.beneficiary)
        status = thing.status if isinstance(thing, Obligation) else \
            ("" if thing.status == "scheduled" else thing.status)
        anchor = f"{kind}-{thing.id}"
        dates = list(_in_range(when, today))
        for on in dates:
            key = f"{'closing-' if is_closing else ''}{thing.id}"
            items.append(Due(slug, thing.id, kind, on, when.time or "", title, who, whom,
                             standing(status, on, today) if not is_closing else status,
                             when.rule or "", anchor, f"{key}.{on:%Y%m%d}" if when.series else key))
        if not dates:
            rule = when.rule or "no date"
            undated.append(Undated(thing.id, kind, title, rule, when.time or "", who, whom, status))
    return Agenda(slug, today, tuple(sorted(items, key=lambda d: (d.on, d.kind != "closing"))),
                  tuple(undated))
