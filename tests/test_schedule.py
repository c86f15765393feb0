"""Due dates from every kind of rule: fixed, counted in calendar, business or trading days on a
named calendar, recurring, or upon an event; shown with their rule and calendar on the pages."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import icalendar
import pytest

from conftest import Room
from dealroom.derive import Facts, agenda
from dealroom.errors import RecordError
from dealroom.pipeline import build_in_memory, check
from dealroom.render import Renderer

SLUG = "meridian-notes-2024"
# A note purchase by two purchasers (a group), with two closings and rules of every kind.
# 2024-05-24 is a Friday before Memorial Day (NYSE closed May 27); 2024-03-28 is the Thursday
# before Good Friday and Easter Monday (TARGET2 closed both); 2024-08-26 is the London summer
# bank holiday.
DEAL = """\
name: Meridian senior notes
status: signed
kind: note purchase
currency: USD
holiday_calendar: NYSE
agreement:
  title: Note Purchase Agreement
  date: 2024-03-28
  governing_law: State of New York
parties:
  - id: issuer
    name: Meridian Corp.
    role: Company
  - id: alpha
    name: Alpha Fund LP
    role: Purchaser
  - id: beta
    name: Beta Capital LLC
    role: Purchaser
groups:
  - id: purchasers
    name: Purchasers
    members: [alpha, beta]
instruments:
  - id: notes
    kind: note
    title: 9% Senior Notes due 2025
    issuer: issuer
    currency: EUR
    principal: 10000000
    maturity: 2025-06-30
closings:
  - id: initial
    title: Initial Closing
    due: 2024-05-24
    due_time: 10:00 a.m.
    timezone: America/New_York
    place: Offices of Counsel, 1 Main Street
    items:
      - instrument: notes
        party: alpha
        amount: 6000000
      - instrument: notes
        party: beta
        amount: not stated
    deliverables:
      - Officer's certificate
  - id: second
    title: Second Closing
    due_after: {event: initial, days: 20}
  - id: final
    title: Final Closing
    due_upon: the approval of the Company's stockholders
events:
  - id: board-approval
    date: 2024-08-23
    title: Board approval
obligations:
  - id: legal-opinion
    kind: condition
    closing: initial
    obligor: issuer
    beneficiary: purchasers
    action: Deliver the legal opinion of counsel.
    due: not stated
  - id: deliver-notes
    kind: deliverable
    closing: initial
    obligor: issuer
    beneficiary: purchasers
    action: Deliver the Notes through DTC.
    due_after: {event: initial, days: 2, day_kind: trading}
  - id: file-8k
    obligor: issuer
    beneficiary: purchasers
    action: File a current report on Form 8-K.
    due_after: {event: deliver-notes, days: 4, day_kind: business}
  - id: euro-fee
    obligor: issuer
    beneficiary: alpha
    action: Pay the structuring fee in euros.
    due_after: {event: agreement, days: 2, day_kind: business, calendar: ECB}
  - id: london-notice
    obligor: issuer
    beneficiary: beta
    action: Send the London notice.
    due_after: {event: board-approval, days: 1, day_kind: business, calendar: XLON}
  - id: monthly-report
    kind: covenant
    obligor: issuer
    beneficiary: purchasers
    action: Deliver the monthly operating report.
    due_every: {every: monthly, first: 2024-05-31, until: 2024-12-31, day_kind: business}
  - id: quarterly-certificate
    kind: covenant
    obligor: issuer
    beneficiary: purchasers
    action: Deliver the quarterly compliance certificate.
    due_every: {every: quarterly, first: 2024-09-30}
  - id: register
    kind: covenant
    obligor: issuer
    beneficiary: purchasers
    action: Keep the resale registration statement effective.
    due_upon: the effectiveness of the Registration Statement
"""


def _write(tmp_path: Path, text: str = DEAL) -> Path:
    record = tmp_path / "deals" / SLUG / "deal.yml"
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(text, encoding="utf-8")
    return record


def _facts(tmp_path: Path, text: str = DEAL) -> Facts:
    [facts] = check(_write(tmp_path, text))
    return facts


def _problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(RecordError) as refused:
        check(_write(tmp_path, text))
    return [str(problem) for problem in refused.value.problems]


def _replace(old: str, new: str) -> str:
    assert old in DEAL
    return DEAL.replace(old, new, 1)


def test_trading_days_skip_a_weekend_and_an_nyse_holiday(tmp_path: Path) -> None:
    due = _facts(tmp_path).due["deliver-notes"]
    assert due.on == date(2024, 5, 29)  # Friday May 24 -> Tue 28 (1st), Wed 29 (2nd)
    assert due.rule == "2nd trading day after the Initial Closing (May 24, 2024; NYSE calendar)"
    assert due.calendar == "NYSE"


def test_calendar_days_count_every_day(tmp_path: Path) -> None:
    second = _facts(tmp_path).closings["second"]
    assert second.on == date(2024, 6, 13)
    assert second.rule == "20 calendar days after the Initial Closing (May 24, 2024)"
    assert second.calendar is None


def test_business_days_on_target2_skip_good_friday_and_easter_monday(tmp_path: Path) -> None:
    due = _facts(tmp_path).due["euro-fee"]
    assert due.on == date(2024, 4, 3)
    assert due.rule.endswith("(March 28, 2024; ECB calendar)")


def test_business_days_on_the_london_calendar_skip_the_summer_bank_holiday(tmp_path: Path) -> None:
    due = _facts(tmp_path).due["london-notice"]
    assert due.on == date(2024, 8, 27)  # Friday August 23 -> (Monday 26 closed) -> Tuesday 27
    assert due.rule == "1st business day after Board approval (August 23, 2024; XLON calendar)"


def test_business_days_before_an_event_count_back_over_a_holiday(tmp_path: Path) -> None:
    # "At least two Trading Days before" the closing on Friday May 24 2024.
    text = _replace("days: 2, day_kind: trading}", "days: 2, day_kind: trading, before: true}")
    due = _facts(tmp_path, text).due["deliver-notes"]
    assert due.on == date(2024, 5, 22)  # Friday May 24 -> Thu 23 (1st), Wed 22 (2nd)
    assert due.rule == "2nd trading day before the Initial Closing (May 24, 2024; NYSE calendar)"


def test_a_chain_of_rules_counts_from_the_computed_date(tmp_path: Path) -> None:
    # Four NYSE business days after the notes' delivery on Wednesday May 29.
    assert _facts(tmp_path).due["file-8k"].on == date(2024, 6, 4)


def test_a_long_chain_across_closings_and_obligations_is_resolved_without_recursion(
        tmp_path: Path) -> None:
    links = "".join(f"  - id: c{i}\n    title: Closing {i}\n"
                    f"    due_after: {{event: {f'c{i + 1}' if i < 2999 else 'initial'}, days: 1}}\n"
                    for i in range(3000))
    facts = _facts(tmp_path, _replace("closings:\n", "closings:\n" + links))
    assert facts.closings["c0"].on == date(2024, 5, 24).fromordinal(date(2024, 5, 24).toordinal() + 3000)


def test_a_recurring_rule_expands_to_its_end_moving_off_holidays(tmp_path: Path) -> None:
    due = _facts(tmp_path).due["monthly-report"]
    assert due.on is None
    # The 31st of each month, or its last day; on a weekend or holiday, the next business day.
    assert due.series == (date(2024, 5, 31), date(2024, 7, 1), date(2024, 7, 31), date(2024, 9, 3),
                          date(2024, 9, 30), date(2024, 10, 31), date(2024, 12, 2),
                          date(2024, 12, 31))
    assert due.rule.startswith("Monthly from May 31, 2024 until December 31, 2024")
    assert due.rule.endswith("(NYSE calendar)")


def test_a_recurring_rule_without_an_end_runs_to_the_instruments_maturity(tmp_path: Path) -> None:
    due = _facts(tmp_path).due["quarterly-certificate"]
    assert due.series == (date(2024, 9, 30), date(2024, 12, 30), date(2025, 3, 30), date(2025, 6, 30))
    assert "until the maturity of the 9% Senior Notes due 2025 (June 30, 2025)" in due.rule


def test_a_recurring_rule_with_no_end_to_find_is_until_further_notice(tmp_path: Path) -> None:
    due = _facts(tmp_path, _replace("    maturity: 2025-06-30\n", "")).due["quarterly-certificate"]
    assert due.rule == "Quarterly from September 30, 2024 until further notice"
    assert len(due.series) > 100


def test_an_undated_rule_stays_undated(tmp_path: Path) -> None:
    facts = _facts(tmp_path)
    register = facts.due["register"]
    assert (register.on, register.series, register.rule) == (
        None, (), "upon the effectiveness of the Registration Statement")
    assert facts.closings["final"].on is None
    assert facts.due["legal-opinion"].on is None and facts.due["legal-opinion"].rule == "not stated"


def test_the_agenda_holds_dated_closings_and_series_dates_and_keeps_undated_ones_apart(
        tmp_path: Path) -> None:
    later = agenda(_facts(tmp_path), date(2024, 9, 1))
    keys = [d.key for d in later.items]
    assert "closing-initial" in keys and "closing-second" in keys
    assert [d.on for d in later.items if d.id == "monthly-report"] == [
        date(2024, 9, 3), date(2024, 9, 30), date(2024, 10, 31), date(2024, 12, 2),
        date(2024, 12, 31)]  # the dates from the build date on, not the past ones
    assert {u.id for u in later.undated} == {"final", "legal-opinion", "register"}
    assert later.standing["register"] == "open"
    assert [d.id for d in later.open].count("monthly-report") == 1


def test_circular_rules_are_refused_with_the_place_of_each(tmp_path: Path) -> None:
    text = _replace("    due: 2024-05-24\n", "    due_after: {event: file-8k, days: 1}\n")
    problems = _problems(tmp_path, text)
    assert len(problems) == 4, problems  # the closing and the two rules of its circle, and the
    # second closing, whose count starts from it
    assert re.match(r".*deal\.yml:\d+:\d+: closings\[0\]\.due_after\.event: due dates refer to "
                    r"each other in a circle: closing 'initial' → obligation 'file-8k' → "
                    r"obligation 'deliver-notes' → closing 'initial' \(fix: ", problems[0])


def test_an_unknown_calendar_is_refused(tmp_path: Path) -> None:
    [problem] = _problems(tmp_path, _replace("calendar: XLON", "calendar: LONDON"))
    assert re.search(r":\d+:\d+: obligations\[4\]\.due_after\.calendar: unknown holiday calendar "
                     r"'LONDON' \(fix: use a market such as NYSE", problem)


def test_trading_days_on_a_country_calendar_are_refused(tmp_path: Path) -> None:
    [problem] = _problems(tmp_path, _replace("days: 2, day_kind: trading}",
                                             "days: 2, day_kind: trading, calendar: GB}"))
    assert re.search(r"obligations\[1\]\.due_after\.day_kind: trading days are counted on a "
                     r"market's calendar; 'GB' is a country's calendar \(fix: name the market", problem)


def test_trading_days_on_target2_are_refused(tmp_path: Path) -> None:
    [problem] = _problems(tmp_path, _replace("days: 2, day_kind: trading}",
                                             "days: 2, day_kind: trading, calendar: TAR}"))
    assert "'TAR' is a payment system's calendar" in problem


def test_a_series_ending_before_it_starts_is_refused(tmp_path: Path) -> None:
    [problem] = _problems(tmp_path, _replace("until: 2024-12-31", "until: 2024-01-31"))
    assert "obligations[5].due_every.until: the series ends on 2024-01-31, before its first" in problem


def test_the_exports_hold_dated_closings_and_series_and_the_csv_the_undated(tmp_path: Path) -> None:
    _write(tmp_path)
    files = build_in_memory(tmp_path / "deals", renderer=Renderer(today=date(2024, 9, 1)))
    rows = list(csv.DictReader(io.StringIO(str(files[f"deals/{SLUG}/obligations.csv"]), newline="")))
    register = next(r for r in rows if r["obligation"] == "register")
    assert register["due date"] == "upon the effectiveness of the Registration Statement"
    assert any(r["obligation"] == "second" and r["due date"] == "2024-06-13" for r in rows)
    events = icalendar.Calendar.from_ical(str(files[f"deals/{SLUG}/deadlines.ics"])).walk("VEVENT")
    uids = {str(e["UID"]) for e in events}
    assert f"{SLUG}.closing-initial@dealroom" in uids
    assert f"{SLUG}.monthly-report.20240903@dealroom" in uids
    assert not any("register" in uid or "final" in uid for uid in uids)


def test_the_timeline_page_shows_each_rule_with_its_calendar(make_room: Callable[..., Room]) -> None:
    room = make_room(with_example=False)
    room.add_deal(SLUG, DEAL)
    result = room.build()
    assert result.returncode == 0, result.stderr
    page = room.page("timeline", SLUG)
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "Business and trading days are counted on the NYSE (New York Stock Exchange), " \
        "ECB (TARGET2, European Central Bank) and XLON (London Stock Exchange) calendars" in text
    assert "2nd trading day after the Initial Closing (May 24, 2024; NYSE calendar)" in text
    assert 'id="closing-initial"' in page and "Offices of Counsel, 1 Main Street" in text
    assert "€6,000,000" in text and "Beta Capital LLC (Purchaser), amount not stated" in text
    assert "upon the effectiveness of the Registration Statement" in text
    assert "Monthly from May 31, 2024 until December 31, 2024" in text
    assert "Conditions precedent to the Initial Closing" in text and "Covenants" in text
    assert "the Purchasers (Alpha Fund LP; Beta Capital LLC)" in text
    # The timeline lists the dated closings, and a series by its next three dates only.
    assert '<time datetime="2024-06-13">' in page
    assert page.count('href="../timeline/#obligation-monthly-report"') == 3
