"""What is due as of the build date: overdue obligations, the next deadline, the timeline's today."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import EXAMPLE_DEAL
from dealroom.derive import agenda, build_date, derive, standing, summary, timeline_years
from dealroom.loader import load_file
from dealroom.validate import validate

FACTS = derive("example", validate(load_file(EXAMPLE_DEAL / "deal.yml"), EXAMPLE_DEAL.parent))


def test_the_build_date_is_source_date_epoch_when_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1023667200")
    assert build_date() == date(2002, 6, 10)


def test_the_build_date_is_today_without_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert build_date() == date.today()


def test_an_open_obligation_past_its_day_is_overdue_and_a_done_one_is_not() -> None:
    assert standing("open", date(2002, 6, 6), date(2002, 6, 7)) == "overdue"
    assert standing("open", date(2002, 6, 6), date(2002, 6, 6)) == "open"
    assert standing("done", date(2002, 6, 6), date(2025, 1, 1)) == "done"


def test_after_the_closing_the_example_deal_has_four_obligations_overdue() -> None:
    later = agenda(FACTS, date(2002, 6, 10))
    assert sorted(d.id for d in later.overdue) == ["fax-warrant", "original-warrant",
                                                   "transmit-shares", "wire-purchase-price"]
    assert later.standing["deliver-prospectus-supplement"] == "done"
    assert later.next_deadline is None


def test_before_the_closing_the_next_deadline_is_the_funding_deadline() -> None:
    before = agenda(FACTS, date(2002, 6, 6))
    assert before.overdue == ()
    assert before.next_deadline is not None and before.next_deadline.id == "closing"
    assert [d.id for d in before.due_within(30) if d.kind == "obligation"] == [
        "wire-purchase-price", "fax-warrant", "transmit-shares", "original-warrant"]


def test_the_redacted_agenda_passes_every_text_through_the_rule() -> None:
    shouted = agenda(FACTS, date(2002, 6, 10)).redacted(str.upper)
    assert all(d.title == d.title.upper() and d.who == d.who.upper() for d in shouted.items)


def test_the_room_summary_counts_deals_by_status_and_sums_amounts_per_currency() -> None:
    room = summary([FACTS], [agenda(FACTS, date(2002, 6, 10))], date(2002, 6, 10))
    assert room.by_status == {"signed": 1}
    assert str(room.amounts["USD"]) == "280000"
    assert len(room.overdue) == 4 and room.due_within(30) == []


def test_the_timeline_marks_today_groups_years_and_shows_the_long_gap() -> None:
    years = timeline_years(FACTS.timeline, date(2002, 6, 10))
    assert [year for year, _ in years] == [2002, 2007]
    rows_2002 = years[0][1]
    kinds = [row.kind for row in rows_2002]
    assert kinds.count("today") == 1 and kinds[-1] == "gap"
    assert rows_2002[-1].gap == "4 years 11 months"
    assert rows_2002[kinds.index("today") - 1].on == date(2002, 6, 7)
