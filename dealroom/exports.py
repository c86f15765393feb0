"""Exports a reader takes away: a deal's obligations as CSV, its deadlines as a calendar.

Both are made from agendas already masked (`Agenda.redacted`), so they hold what the pages hold;
the leak guard reads them as it reads every file of the site. The formats are written by
their libraries (`csv`, `icalendar`), never by string templates.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, time, timedelta

from icalendar import Calendar, Event
from icalendar.parser import Contentline

from dealroom import __version__
from dealroom.derive import Agenda

CSV_HEADER = ("obligation", "who", "what", "to whom", "due date", "due time", "status")


# What makes a spreadsheet read a cell as a formula (`=HYPERLINK(...)`, `@SUM(...)`, `+1+2`, and
# `-` too): such a cell starts with an apostrophe, which spreadsheets take as "text" (OWASP's
# CSV injection advice). Deal text is untrusted: a party's name must not run as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def _cell(text: str) -> str:
    return f"'{text}" if text.lstrip(" ").startswith(_FORMULA_START) else text


def obligations_csv(agenda: Agenda) -> str:
    """RFC 4180: a header row, then one line per dated obligation (a series: per date in the
    agenda's range), per scheduled closing, then those with no date, whose "due date" column
    holds their rule ("upon ...", "not stated"); CRLF line ends, quoted as needed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    rows = [(due.id, due.who, due.title, due.whom, due.on.isoformat(), due.time,
             due.status or ("scheduled" if due.kind == "closing" else ""))
            for due in agenda.items
            if due.kind == "obligation" or due.key != "closing"]  # the single deadline: calendar only
    rows += [(undated.id, undated.who, undated.title, undated.whom, undated.rule, undated.time,
              undated.status or ("scheduled" if undated.kind == "closing" else ""))
             for undated in agenda.undated]
    writer.writerows([_cell("" if value is None else str(value)) for value in row] for row in rows)
    return out.getvalue()


def deadlines_calendar(agendas: Iterable[Agenda], names: dict[str, str], name: str) -> str:
    """The text of `deadlines`, as icalendar writes it (`Component.to_ical`), lines shorter
    than a fold written as they are: icalendar walks each character of every line to fold it,
    more than a second for a thousand deals' calendars."""
    return "".join(_written(line) for line in deadlines(agendas, names, name).content_lines() if line)


def _written(line: Contentline) -> str:
    if len(line) < _FOLD_OCTETS and (line.isascii() or len(line.encode("utf-8")) < _FOLD_OCTETS):
        return f"{line}\r\n"
    folded: Callable[[], bytes] = line.to_ical  # icalendar's own folding (untyped there)
    return f"{folded().decode('utf-8')}\r\n"


_FOLD_OCTETS = 75  # RFC 5545: a line longer than this is folded


def deadlines(agendas: Iterable[Agenda], names: dict[str, str], name: str) -> Calendar:
    """RFC 5545: one all-day event per dated obligation and closing of the deals, and per date
    of a series within the agenda's range; what has no date is left out.

    UIDs are made of the deal's and the obligation's ids (and a series' date), so a calendar
    app that subscribes updates an event instead of adding it twice. DTSTAMP is the build
    date: a rebuild of the same records is the same file."""
    calendar = Calendar()
    calendar.add("prodid", f"-//Dealroom {__version__}//Deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for agenda in agendas:
        stamp = datetime.combine(agenda.today, time(0), tzinfo=UTC)
        deal = names[agenda.slug]
        for due in agenda.items:
            event = Event()
            event.add("uid", f"{due.slug}.{due.key or due.id}@dealroom")
            event.add("dtstamp", stamp)
            event.add("dtstart", due.on)
            event.add("dtend", due.on + timedelta(days=1))
            event.add("summary", f"{due.title} — {deal}")
            lines = [f"Deal: {deal}"]
            if due.who:
                lines.append(f"Who: {due.who}; to whom: {due.whom}")
            if due.time:
                lines.append(f"By: {due.time}")
            if due.rule:
                lines.append(f"When: {due.rule}")
            if due.status:
                lines.append(f"Status: {due.status}")
            event.add("description", "\n".join(lines))
            event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: time stays free
            calendar.add_component(event)
    return calendar


_EVENTS = re.compile(r"^BEGIN:VEVENT\r\n.*^END:VEVENT\r\n", re.MULTILINE | re.DOTALL)


def merged_calendar(calendars: Iterable[str], name: str) -> str:
    """One calendar of the events of several (each deal's `deadlines_calendar`), in order: the
    text `deadlines_calendar` writes for all the deals at once, without serializing every event
    again on each build (most of a large room's build time would be the room's calendar)."""
    head, tail = deadlines_calendar([], {}, name).split("END:VCALENDAR", 1)
    events = "".join(found[0] for text in calendars if (found := _EVENTS.search(text)))
    return f"{head}{events}END:VCALENDAR{tail}"
