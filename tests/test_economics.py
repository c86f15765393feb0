"""Economics: every instrument's derived figures beside what the agreement states, by one rule."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from conftest import EXAMPLE_DEAL, Room
from dealroom.derive import agenda, derive, summary
from dealroom.economics import Derived, economics
from dealroom.errors import RecordError
from dealroom.loader import load_text
from dealroom.model import Deal
from dealroom.render import money
from dealroom.validate import validate

RECORD = EXAMPLE_DEAL / "deal.yml"
SEED = RECORD.read_text(encoding="utf-8")

HEAD = """\
name: {name}
status: signed
currency: {currency}
agreement:
  title: Purchase Agreement
  date: 2021-01-15
  governing_law: State of New York
parties:
  - id: issuer
    name: Acme Corp.
    role: Company
  - id: fund-a
    name: Fund A LP
    role: Purchaser
  - id: fund-b
    name: Fund B LP
    role: Purchaser
  - id: agent
    name: Placement Bank
    role: Agent
"""

NOTE_DEAL = HEAD.format(name="Acme convertible notes", currency="USD") + """\
instruments:
  - id: notes
    kind: convertible note
    title: 7.00% Convertible Senior Notes due 2026
    issuer: issuer
    principal: 10000000
    issue_price: 98%
    interest:
      fixed: 7%
      day_count: 30/360
      payment_dates:
        every: semiannually
        first: 2021-07-15
    maturity: 2026-01-15
    conversion:
      into: Common Stock
      shares_per_unit: 405.05
      per_principal: 1000
      ownership_cap: 4.99%
    allocations:
      - party: fund-a
        amount: 6000000
      - party: fund-b
        amount: 4000000
fees:
  - id: placement
    title: Placement agent's fee
    payer: issuer
    payee: agent
    percent: 7%
    of: notes
    cap: 500000
registration:
  exemptions:
    - Section 4(a)(2)
    - Rule 506(b)
  restrictive_legends: present
  resale_restrictions: present
"""

FACILITY_DEAL = HEAD.format(name="Acme euro revolver", currency="EUR") + """\
instruments:
  - id: revolver
    kind: revolving credit
    title: Revolving Credit Facility
    borrowers:
      - issuer
    agent: agent
    commitment: 500000000
    currencies:
      - USD
      - GBP
    interest:
      base: EURIBOR
      margin: 1.25%
      floor: 0%
      day_count: actual/360
    maturity: 2025-04-07
    allocations:
      - party: fund-a
        amount: 300000000
      - party: fund-b
        amount: 200000000
"""


def check(text: str) -> Deal:
    return validate(load_text(RECORD, text), EXAMPLE_DEAL.parent)


def problems(text: str) -> list[str]:
    with pytest.raises(RecordError) as error:
        check(text)
    return [str(p) for p in error.value.problems]


def line_of(text: str, snippet: str) -> int:
    return text[: text.index(snippet)].count("\n") + 1


def shares_deal(quantity: str, price: str, aggregate: str, currency: str = "USD") -> str:
    return HEAD.format(name="Acme equity line", currency=currency) + f"""\
instruments:
  - id: initial
    kind: common shares
    title: Initial Purchase Shares
    issuer: issuer
    quantity: {quantity}
    price_per_share: {price}
    aggregate_price: {aggregate}
"""


def derived(deal: Deal, label: str, index: int = 0) -> Derived:
    return next(d for d in economics(deal).instruments[index].derived if d.label == label)


# Shares: quantity x price beside the stated aggregate --------------------------------------


def test_a_shares_aggregate_that_multiplies_exactly_is_shown_as_matching() -> None:
    found = derived(check(shares_deal("800000", "0.35", "280000")), "Aggregate price")
    assert found.status == "exact" and found.computed == Decimal("280000")
    assert found.text == "800,000 × $0.35 = $280,000, matching the stated aggregate"


def test_a_difference_within_the_stated_rounding_is_kept_and_flagged_not_refused() -> None:
    deal = check(shares_deal("1666666", "0.15", "250000"))  # validates
    found = derived(deal, "Aggregate price")
    assert found.status == "rounding" and found.flagged
    assert found.stated == Decimal("250000") and found.computed == Decimal("249999.90")
    assert found.difference == Decimal("-0.10")
    assert found.text == ("1,666,666 × $0.15 = $249,999.90; the agreement states $250,000: a "
                          "difference of $0.10, within the rounding of a figure stated in whole amounts")


def test_a_difference_beyond_the_stated_rounding_is_an_error_with_its_place_and_fix() -> None:
    text = shares_deal("1666666", "0.15", "250002")
    [message] = problems(text)
    line = line_of(text, "aggregate_price:")
    assert f"deal.yml:{line}:22: instruments[0].aggregate_price: aggregate price 250,002" in message
    assert "= 249,999.90: the difference 2.10 is more than the rounding of a figure stated in " \
        "whole amounts" in message
    assert "(fix: correct the quantity, the price or the aggregate" in message


def test_a_stated_aggregate_with_cents_allows_no_difference_of_cents() -> None:
    text = shares_deal("1666666", "0.15", "250000.00")
    [message] = problems(text)
    assert "more than the rounding of a figure stated in 2 decimal places" in message


def test_the_legacy_share_sale_within_the_stated_rounding_validates_and_is_flagged() -> None:
    deal = check(SEED.replace("quantity: 800000", "quantity: 800001"))
    found = economics(deal).shares
    assert found is not None and found.status == "rounding"
    assert "800,001 × $0.35 = $280,000.35; the agreement states $280,000" in found.text


def test_the_legacy_share_sale_beyond_the_stated_rounding_is_still_refused() -> None:
    [message] = problems(SEED.replace("quantity: 800000", "quantity: 800003"))
    assert "shares.aggregate_price: aggregate price 280,000 does not equal" in message


# Allocations: the schedule's totals against the stated total -------------------------------


def test_allocation_totals_that_match_the_stated_principal_are_shown_as_matching() -> None:
    [total] = economics(check(NOTE_DEAL)).instruments[0].allocations
    assert total.status == "exact" and total.computed == Decimal("10000000")
    assert total.text == "2 lines = $10,000,000, matching the stated principal"


def test_allocation_totals_within_the_stated_rounding_are_flagged() -> None:
    text = NOTE_DEAL.replace("amount: 4000000", "amount: 3999999.60")
    [total] = economics(check(text)).instruments[0].allocations
    assert total.status == "rounding" and total.difference == Decimal("-0.40")


def test_allocation_totals_beyond_the_stated_rounding_are_refused() -> None:
    text = NOTE_DEAL.replace("amount: 4000000", "amount: 3000000")
    [message] = problems(text)
    assert f"deal.yml:{line_of(text, 'principal:')}:16: instruments[0].principal: principal " \
        "10,000,000 does not equal the total of the schedule (`allocations`), 9,000,000" in message
    assert "fix: correct a line of `allocations`" in message


STEP_UP = HEAD.format(name="Receivables facility", currency="USD") + """\
instruments:
  - id: facility
    kind: receivables purchase
    title: Receivables Purchase Facility
    borrowers:
      - issuer
    commitment: COMMITMENT
    allocations:
      - party: fund-a
        amount: 150000000
      - party: fund-b
        amount: 150000000
      - party: fund-a
        amount: 162500000
        effective_on: 2020-11-05
      - party: fund-b
        amount: 162500000
        effective_on: 2020-11-05
"""


def test_step_up_commitments_are_totalled_per_effective_date_and_the_stated_matches_one() -> None:
    totals = economics(check(STEP_UP.replace("COMMITMENT", "325000000"))).instruments[0].allocations
    assert [(t.label, t.computed, t.status) for t in totals] == [
        ("Total of the schedule", Decimal("300000000"), "derived"),
        ("Total of the schedule from November 5, 2020", Decimal("325000000"), "exact")]


def test_a_stated_commitment_matching_no_period_of_the_step_ups_is_refused() -> None:
    [message] = problems(STEP_UP.replace("COMMITMENT", "310000000"))
    assert "commitment 310,000,000 does not equal the total of the schedule" in message


def test_a_blank_line_leaves_the_total_uncomputed_and_says_so() -> None:
    text = NOTE_DEAL.replace("amount: 4000000", "amount: redacted")
    [total] = economics(check(text)).instruments[0].allocations
    assert total.status == "incomplete" and total.computed is None
    assert total.text == "not computed: 1 of 2 lines not stated or redacted"


def test_tranche_totals_are_checked_against_the_facility_commitment() -> None:
    text = FACILITY_DEAL.replace("    allocations:\n      - party: fund-a\n        amount: 300000000\n"
                                 "      - party: fund-b\n        amount: 200000000\n", """\
    tranches:
      - id: term-a
        title: Term A
        amount: 350000000
      - id: term-b
        title: Term B
        amount: 150000000
""")
    found = derived(check(text), "Total of the tranches")
    assert found.status == "exact" and found.text == \
        "2 tranches = €500,000,000, matching the stated commitment"
    [message] = problems(text.replace("amount: 150000000", "amount: 140000000"))
    assert "commitment 500,000,000 does not equal the total of the tranches, 490,000,000" in message


def test_tranches_in_several_currencies_are_totalled_per_currency_never_added() -> None:
    text = FACILITY_DEAL + """\
    tranches:
      - id: euro
        title: Euro Tranche
        amount: 400000000
      - id: sterling
        title: Sterling Tranche
        amount: 100000000
        currency: GBP
"""
    totals = [d for d in economics(check(text)).instruments[0].derived
              if d.label.startswith("Total of the tranches")]
    assert [(d.label, d.computed, d.currency) for d in totals] == [
        ("Total of the tranches in EUR", Decimal("400000000"), "EUR"),
        ("Total of the tranches in GBP", Decimal("100000000"), "GBP")]


# Fees, issue price, conversion, interest ---------------------------------------------------


def test_a_percentage_fee_is_derived_in_money_and_capped() -> None:
    [fee] = economics(check(NOTE_DEAL)).fees
    assert fee.money == Decimal("500000") and fee.currency == "USD"
    assert fee.derived[0].text == ("the lesser of 7% of $10,000,000 ($700,000) and the cap, "
                                   "$500,000 = $500,000")


def test_a_percentage_fee_below_its_cap_is_the_percentage() -> None:
    [fee] = economics(check(NOTE_DEAL.replace("cap: 500000", "cap: 800000"))).fees
    assert fee.money == Decimal("700000")


def test_fees_are_totalled_per_currency() -> None:
    text = NOTE_DEAL + """\
  - id: euro-costs
    title: Counsel's costs
    payer: issuer
    payee: agent
    amount: 25000
    currency: EUR
  - id: closing
    title: Closing fee
    payer: issuer
    payee: agent
    amount: 10000
"""
    text = text.replace("registration:\n  exemptions", "registration:\n  exemptions")
    # The fees list is before `registration`: move the added fees there.
    head, rest = text.split("registration:\n", 1)
    registration, added = rest.split("  - id: euro-costs\n", 1)
    text = head + "  - id: euro-costs\n" + added + "registration:\n" + registration
    assert economics(check(text)).fee_totals == {"EUR": Decimal("25000"), "USD": Decimal("510000")}


def test_the_issue_price_is_derived_in_money() -> None:
    assert derived(check(NOTE_DEAL), "Issue price in money").text == \
        "98% of $10,000,000 = $9,800,000"


def test_conversion_shares_per_principal_amount() -> None:
    found = derived(check(NOTE_DEAL), "Shares on conversion")
    assert found.computed == Decimal("4050500")
    assert found.text == ("$10,000,000 ÷ $1,000 × 405.05 = 4,050,500 shares of Common Stock; a "
                          "holder's ownership is capped at 4.99%")


def test_conversion_shares_at_a_conversion_price() -> None:
    text = NOTE_DEAL.replace("      shares_per_unit: 405.05\n      per_principal: 1000\n",
                             "      price: 2.50\n")
    assert derived(check(text), "Shares on conversion").computed == Decimal("4000000")


def test_conversion_shares_of_preferred_shares_are_quantity_times_shares_per_unit() -> None:
    text = HEAD.format(name="Exchange", currency="USD") + """\
instruments:
  - id: preferred
    kind: preferred shares
    title: Series 1 Preferred Stock
    issuer: issuer
    quantity: 9671
    stated_value: 1000
    conversion:
      into: Common Stock
      shares_per_unit: 405.05
"""
    found = derived(check(text), "Shares on conversion")
    assert found.computed == Decimal("3917238.55")
    assert found.text == "9,671 × 405.05 = 3,917,238.55 shares of Common Stock"


def test_fixed_interest_per_period_under_30_360() -> None:
    found = derived(check(NOTE_DEAL), "Interest per period")
    assert found.computed == Decimal("350000")
    assert found.text == ("$10,000,000 × 7% × 180/360 (30/360: months of 30 days, a year of 360) "
                          "= $350,000 for a semiannual period")


def test_fixed_interest_per_period_under_actual_360_counts_the_period_s_days() -> None:
    text = NOTE_DEAL.replace("fixed: 7%", "fixed: 4%").replace("day_count: 30/360",
                                                               "day_count: actual/360") \
        .replace("every: semiannually\n        first: 2021-07-15",
                 "every: quarterly\n        first: 2021-03-01")
    found = derived(check(text), "Interest per period")
    assert found.computed == Decimal("102222.22")  # 10,000,000 x 4% x 92/360, to the cent
    assert found.text == ("$10,000,000 × 4% × 92 days / 360 (actual/360) = ≈ $102,222.22 for the "
                          "period from March 1, 2021 to June 1, 2021")


def test_a_floating_rate_is_shown_as_its_formula_with_no_invented_figure() -> None:
    found = derived(check(FACILITY_DEAL), "Interest")
    assert found.status == "formula" and found.computed is None
    assert found.text.startswith("EURIBOR + 1.25%, floor 0%; actual/360: floating, so no figure")


def test_a_warrant_s_proceeds_if_exercised_in_full() -> None:
    text = NOTE_DEAL.replace("instruments:\n", "instruments:\n  - id: warrant\n    kind: warrant\n"
                             "    title: Warrant\n    issuer: issuer\n    security: Common Stock\n"
                             "    shares: 200000\n    exercise_price: 0.45\n", 1)
    assert derived(check(text), "Proceeds if exercised in full").text == "200,000 × $0.45 = $90,000"


# Currencies --------------------------------------------------------------------------------


def test_bahraini_dinars_are_shown_to_three_decimals() -> None:
    assert money(Decimal("1250.5"), "BHD") == "1,250.500 BHD"


def test_yen_are_shown_without_decimals_unless_stated_more_precisely() -> None:
    assert money(Decimal("1000000.00"), "JPY") == "¥1,000,000"
    assert money(Decimal("152.5"), "JPY") == "¥152.5"  # a price per share stated to 0.5 yen


def test_an_unknown_currency_is_refused_by_the_record_and_by_money() -> None:
    [message] = problems(NOTE_DEAL.replace("currency: USD", "currency: ABC"))
    assert "currency: 'ABC' is not an ISO 4217 currency code" in message
    with pytest.raises(ValueError, match="ISO 4217"):
        money(Decimal(1), "ABC")


def test_the_room_totals_headline_amounts_per_currency_never_adding_currencies() -> None:
    deals = [derive("note", check(NOTE_DEAL)), derive("revolver", check(FACILITY_DEAL)),
             derive("seed", check(SEED))]
    room = summary(deals, [agenda(f, date(2021, 2, 1)) for f in deals], date(2021, 2, 1))
    assert room.amounts == {"EUR": Decimal("500000000"), "USD": Decimal("10280000")}


# The headline ------------------------------------------------------------------------------


def test_the_headline_is_the_largest_amount_in_the_deal_s_currency_in_its_own_terms() -> None:
    top = economics(check(FACILITY_DEAL)).headline
    assert top is not None and top.text == "a €500,000,000 revolving credit facility"
    assert economics(check(NOTE_DEAL)).headline.text == "$10,000,000 of convertible notes"  # type: ignore[union-attr]
    assert economics(check(SEED)).headline.text == "$280,000 of shares"  # type: ignore[union-attr]


def test_the_deal_s_headline_field_names_the_headline_instrument() -> None:
    text = NOTE_DEAL.replace("instruments:\n", "headline: warrant\ninstruments:\n  - id: warrant\n"
                             "    kind: warrant\n    title: Warrant\n    issuer: issuer\n"
                             "    security: Common Stock\n    shares: 200000\n", 1)
    assert economics(check(text)).headline.text == "a warrant for 200,000 shares"  # type: ignore[union-attr]


def test_a_headline_amount_left_blank_says_so() -> None:
    text = FACILITY_DEAL.replace("commitment: 500000000", "commitment: redacted")
    text = text.replace("amount: 300000000", "amount: redacted")
    top = economics(check(text)).headline
    assert top is not None and top.text == "a revolving credit facility, EUR, amount redacted in the filing"


# Pages, from a real build --------------------------------------------------------------------


def text_of(page: str) -> str:
    """A page's visible text: tags dropped, entities decoded, spaces collapsed."""
    inline = re.sub(r"</?(span|a|strong|small|time)\b[^>]*>", "", page)  # inside a line of text
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def test_a_room_with_a_note_deal_and_a_facility_deal_shows_their_terms_and_headlines(
        make_room: Callable[..., Room]) -> None:
    room = make_room()
    room.add_deal("acme-notes-2021", NOTE_DEAL.replace("amount: 4000000", "amount: 3999999.60"))
    room.add_deal("acme-revolver-2021", FACILITY_DEAL)
    result = room.build()
    assert result.returncode == 0, result.stderr
    notes = text_of(room.page("terms", "acme-notes-2021"))
    for fact in ("Principal: $10,000,000", "Issue price: 98% of principal",
                 "Interest: 7% fixed", "Day count: 30/360",
                 "Issue price in money 98% of $10,000,000 = $9,800,000",
                 "$10,000,000 ÷ $1,000 × 405.05 = 4,050,500 shares of Common Stock",
                 "= $350,000 for a semiannual period",
                 "Fund B LP (Purchaser) $3,999,999.60",
                 "Differs from the stated figure: 2 lines = $9,999,999.60; the agreement states "
                 "$10,000,000: a difference of $0.40, within the rounding",
                 "the lesser of 7% of $10,000,000 ($700,000) and the cap, $500,000 = $500,000",
                 "Fees in USD $500,000",
                 "Exempt under: Section 4(a)(2); Rule 506(b)", "Restrictive legends: Legended"):
        assert fact in notes, fact
    assert "Form None" not in notes
    revolver = text_of(room.page("terms", "acme-revolver-2021"))
    for fact in ("Commitment: €500,000,000", "Also available in: USD, GBP",
                 "Interest: EURIBOR + 1.25%, floor 0%", "floating, so no figure is computed",
                 "Fund A LP (Purchaser) €300,000,000",
                 "2 lines = €500,000,000, matching the stated commitment"):
        assert fact in revolver, fact
    overview = text_of(room.page("", "acme-revolver-2021"))
    assert "Headline figure: a €500,000,000 revolving credit facility" in overview
    assert "Funding deadline" not in overview  # the deal has no single closing deadline
    home = text_of((room.site / "index.html").read_text(encoding="utf-8"))
    for cell in ("a €500,000,000 revolving credit facility", "$10,000,000 of convertible notes",
                 "$280,000 of shares"):
        assert cell in home, cell
    assert "€500,000,000 in headline amounts in EUR" in home
    assert "$10,280,000 in headline amounts in USD" in home
    # The seed's terms page is as before: its stated aggregate matches.
    assert "800,000 × $0.35 = $280,000, matching the stated aggregate" in text_of(room.page("terms"))
