"""Derive stage: figures and dates computed from the record, never typed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from conftest import EXAMPLE_DEAL
from dealroom.derive import add_years, derive, next_business_day
from dealroom.loader import load_file
from dealroom.validate import validate

DEAL = validate(load_file(EXAMPLE_DEAL / "deal.yml"), EXAMPLE_DEAL.parent)
FACTS = derive("example", DEAL)


def test_computed_aggregate_is_shares_times_price_at_the_stated_aggregate_s_precision() -> None:
    assert str(FACTS.computed_aggregate) == "280000"


def test_warrant_coverage_is_a_quarter_of_the_shares() -> None:
    assert FACTS.warrants[0].coverage_percent == Decimal(25)


def test_proceeds_if_the_warrant_is_exercised_in_full() -> None:
    # In whole dollars, as the deal states its purchase price ($280,000).
    assert str(FACTS.warrants[0].exercise_proceeds) == "90000"


def test_warrant_expires_five_years_after_the_agreement_date() -> None:
    terms = FACTS.warrants[0]
    assert terms.expires_on == date(2007, 6, 5)
    assert terms.term_basis.startswith("the agreement date")


def test_original_warrant_is_due_the_next_business_day() -> None:
    due = FACTS.due["original-warrant"]
    assert due.on == date(2002, 6, 7)
    assert due.rule == "next business day after June 6, 2002 (NYSE calendar)"


@pytest.mark.parametrize(("day", "expected"), [
    (date(2002, 6, 7), date(2002, 6, 10)),  # Friday -> Monday
    (date(2002, 7, 3), date(2002, 7, 5)),  # Independence Day is skipped
    (date(2001, 9, 10), date(2001, 9, 17)),  # the NYSE was closed after September 11, 2001
])
def test_next_business_day_skips_weekends_and_exchange_holidays(day: date, expected: date) -> None:
    assert next_business_day(day, "NYSE") == expected


def test_a_leap_day_term_ends_on_february_28() -> None:
    assert add_years(date(2004, 2, 29), 5) == date(2009, 2, 28)


def test_timeline_is_in_date_order_from_signing_to_expiry() -> None:
    days = [entry.on for entry in FACTS.timeline]
    assert days == sorted(days)
    assert FACTS.timeline[0].kind == "signing" and FACTS.timeline[-1].kind == "expiry"
