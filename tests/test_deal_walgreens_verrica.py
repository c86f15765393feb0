"""Two real deals of the example room: the Walgreens – HSBC multicurrency revolver and the Verrica –
SVB/WestRiver two-tranche mezzanine term loan. Each key fact of the filings is a typed field."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT, digits_pattern, site_text
from dealroom.model import (
    ACCOUNT_NUMBER_FIELDS,
    Deal,
    FacilityInstrument,
    Instruction,
)
from dealroom.pipeline import check, find_records
from dealroom.types import Blank

DEALS = ROOT / "content" / "deals"
WALGREENS, VERRICA = "walgreens-hsbc-2020", "verrica-svb-westriver-2020"
AGREEMENTS = Path("/work/shared/agreements")


def load(slug: str) -> Deal:
    """The record as every check of `dealroom validate` passes it."""
    (facts,) = check(DEALS / slug / "deal.yml")
    return facts.deal


def facility(deal: Deal) -> FacilityInstrument:
    (instrument,) = deal.instruments
    assert isinstance(instrument, FacilityInstrument)
    return instrument


def instruction(deal: Deal, id_: str) -> Instruction:
    return next(i for i in deal.instructions if i.id == id_)


@pytest.mark.parametrize("slug", [WALGREENS, VERRICA])
def test_record_validates(slug: str) -> None:
    assert load(slug).status == "signed"


@pytest.mark.parametrize("slug", [WALGREENS, VERRICA])
def test_record_attaches_the_agreement_as_filed(slug: str) -> None:
    deal = load(slug)
    (document,) = deal.documents
    attached = (DEALS / slug / document.file).read_bytes()
    assert document.file == "agreement.txt" and attached.startswith(b"# Context")
    source = {WALGREENS: "walgreens-hsbc-multicurrency-revolver-2020.txt",
              VERRICA: "verrica-svb-westriver-mezzanine-term-loan-2020.txt"}[slug]
    if (AGREEMENTS / source).is_file():  # the shared collection, where it is mounted
        assert attached == (AGREEMENTS / source).read_bytes()


# Walgreens – HSBC: $500,000,000 multicurrency revolving credit agreement, April 7, 2020.

def test_walgreens_commitment_is_500_million_and_equals_the_lenders_allocations() -> None:
    revolver = facility(load(WALGREENS))
    assert revolver.kind == "revolving credit"
    assert revolver.commitment == Decimal("500000000")
    assert sum(a.amount for a in revolver.allocations
               if isinstance(a.amount, Decimal)) == revolver.commitment


def test_walgreens_loans_may_be_in_dollars_euro_or_sterling() -> None:
    deal = load(WALGREENS)
    revolver = facility(deal)
    assert {revolver.currency or deal.currency, *revolver.currencies} == {"USD", "EUR", "GBP"}


def test_walgreens_rate_is_the_eurocurrency_rate_plus_150_basis_points_on_actual_360() -> None:
    rate = facility(load(WALGREENS)).interest
    assert rate is not None
    assert (rate.base, rate.margin, rate.day_count) == ("Eurocurrency Rate", Decimal("1.50"),
                                                       "actual/360")
    assert rate.default_increase == Decimal("2")


def test_walgreens_matures_april_6_2021_and_is_guaranteed_by_wba() -> None:
    revolver = facility(load(WALGREENS))
    assert revolver.maturity == date(2021, 4, 6)
    assert revolver.borrowers == ["wba", "designated-borrower"] and revolver.guarantors == ["wba"]


def test_walgreens_commitment_fee_is_35_basis_points_paid_quarterly() -> None:
    deal = load(WALGREENS)
    fee = next(f for f in deal.fees if f.id == "commitment-fee")
    assert fee.percent == Decimal("0.35") and fee.payee == "lenders"
    payments = next(o for o in deal.obligations if o.id == "commitment-fee-payments")
    assert payments.due_every is not None and payments.due_every.every == "quarterly"
    assert payments.due_every.first == date(2020, 6, 30)


def test_walgreens_fee_letter_amount_is_not_stated() -> None:
    fee = next(f for f in load(WALGREENS).fees if f.id == "fee-letter-fee")
    assert fee.amount is Blank.NOT_STATED


def test_walgreens_designated_borrower_is_an_english_private_company() -> None:
    borrower = next(p for p in load(WALGREENS).parties if p.id == "designated-borrower")
    assert (borrower.entity_type, borrower.jurisdiction) == ("private limited company",
                                                             "England and Wales")


def test_walgreens_borrower_notices_go_to_the_treasurer_with_four_copies() -> None:
    wba = next(p for p in load(WALGREENS).parties if p.id == "wba")
    assert wba.notices is not None and wba.notices.attention == "Aidan Clare"
    assert len(wba.notices.copies) == 4
    assert any("Weybridge" in line for copy in wba.notices.copies for line in copy.address)


def test_walgreens_agent_notices_are_in_london() -> None:
    agent = next(p for p in load(WALGREENS).parties if p.id == "hsbc-agent")
    assert agent.notices is not None and "London, E14 5HQ" in agent.notices.address


def test_walgreens_wiring_schedule_has_a_usd_wire_a_eur_international_wire_and_a_gbp_chaps() -> None:
    deal = load(WALGREENS)
    kinds = {(i.kind, i.currency) for i in deal.instructions}
    assert kinds == {("wire", "USD"), ("international wire", "EUR"), ("uk payment", "GBP")}
    euro = instruction(deal, "agent-eur")
    assert euro.intermediary is not None and euro.intermediary.bank == "HSBC France S.A."


def test_walgreens_wiring_values_left_blank_in_the_filing_are_not_stated() -> None:
    deal = load(WALGREENS)
    blank = {"aba_number", "bic", "iban", "sort_code", "account_number", "account_name",
             "reference"}
    for item in deal.instructions:
        for name in blank:
            value = getattr(item, name)
            assert value is None or value is Blank.NOT_STATED, (item.id, name)
    assert instruction(deal, "agent-gbp").sort_code is Blank.NOT_STATED


def test_walgreens_schedules_keep_the_agreements_ids() -> None:
    ids = {e.id: e.kind for e in load(WALGREENS).exhibits}
    assert {ids["2.01"], ids["3.05"], ids["13.01"]} == {"schedule"}
    assert {"A", "B", "C", "D", "E", "F"} <= ids.keys()


def test_walgreens_conditions_of_the_effective_date_belong_to_its_closing() -> None:
    deal = load(WALGREENS)
    conditions = [o for o in deal.obligations if o.closing == "effective-date"]
    assert len(conditions) == 9 and all(o.kind == "condition" for o in conditions)
    assert next(c for c in deal.closings if c.id == "effective-date").due_upon


def test_walgreens_financial_covenant_is_a_covenant_of_wba() -> None:
    covenant = next(o for o in load(WALGREENS).obligations if o.id == "financial-covenant")
    assert covenant.kind == "covenant" and covenant.obligor == "wba"
    assert "0.60:1.00" in covenant.action


def test_walgreens_is_governed_by_new_york_law_and_counts_days_on_the_fed_calendar() -> None:
    deal = load(WALGREENS)
    assert deal.agreement.governing_law == "State of New York"
    assert deal.agreement.date == date(2020, 4, 7)
    assert deal.holiday_calendar == "FED"


# Verrica – SVB and WestRiver: mezzanine loan and security agreement, March 10, 2020.

def test_verrica_has_a_35_million_term_a_and_a_15_million_term_b() -> None:
    loan = facility(load(VERRICA))
    assert loan.kind == "term loan"
    assert [(t.id, t.amount) for t in loan.tranches] == [("term-a", Decimal("35000000")),
                                                         ("term-b", Decimal("15000000"))]


def test_verrica_tranches_sum_to_the_50_million_commitment() -> None:
    loan = facility(load(VERRICA))
    assert sum(t.amount for t in loan.tranches if isinstance(t.amount, Decimal)) == \
        loan.commitment == Decimal("50000000")


def test_verrica_each_tranche_is_split_equally_between_the_two_lenders() -> None:
    deal = load(VERRICA)
    for tranche in facility(deal).tranches:
        amounts = {a.party: a.amount for a in tranche.allocations}
        assert set(amounts) == set(next(g for g in deal.groups if g.id == "lenders").members)
        assert sum(a for a in amounts.values() if isinstance(a, Decimal)) == tranche.amount
        assert len(set(amounts.values())) == 1


def test_verrica_term_b_is_drawn_until_december_31_2021() -> None:
    loan = facility(load(VERRICA))
    term_b = next(t for t in loan.tranches if t.id == "term-b")
    assert term_b.draw_until == date(2021, 12, 31) == loan.available_until
    assert term_b.draw_condition and "Milestone Event" in term_b.draw_condition


def test_verrica_rate_is_prime_plus_250_with_a_725_floor() -> None:
    rate = facility(load(VERRICA)).interest
    assert rate is not None
    assert (rate.base, rate.margin, rate.floor) == ("Prime Rate", Decimal("2.50"), Decimal("7.25"))
    assert rate.default_increase == Decimal("4.0") and rate.day_count == "actual/360"


def test_verrica_interest_is_paid_monthly_from_april_1_2020() -> None:
    rate = facility(load(VERRICA)).interest
    assert rate is not None and rate.payment_dates is not None
    assert (rate.payment_dates.every, rate.payment_dates.first) == ("monthly", date(2020, 4, 1))


def test_verrica_final_payment_is_750_basis_points_of_the_term_loan() -> None:
    fee = next(f for f in load(VERRICA).fees if f.id == "final-payment")
    assert (fee.percent, fee.of) == (Decimal("7.50"), "term-loan")


def test_verrica_prepayment_premium_steps_down_3_2_1_0() -> None:
    redemption = facility(load(VERRICA)).redemption
    assert redemption is not None
    assert [p.percent for p in redemption.premiums] == [Decimal("3.0"), Decimal("2.0"),
                                                        Decimal("1.0"), Decimal("0.0")]


def test_verrica_matures_march_1_2024_secured_junior_to_the_senior_loan() -> None:
    loan = facility(load(VERRICA))
    assert loan.maturity == date(2024, 3, 1)
    assert loan.collateral and "Intellectual Property" in loan.collateral
    assert "subordinated" in loan.collateral


def test_verrica_term_a_funding_is_dated_and_carries_its_conditions_and_lenders_shares() -> None:
    deal = load(VERRICA)
    closing = next(c for c in deal.closings if c.id == "term-a-funding")
    assert closing.due == date(2020, 3, 10)
    assert {(i.party, i.amount) for i in closing.items} == {("svb-lender", Decimal("17500000")),
                                                            ("westriver", Decimal("17500000"))}
    conditions = [o for o in deal.obligations if o.closing == "term-a-funding"]
    assert len(conditions) == 6 and all(o.kind == "condition" for o in conditions)


def test_verrica_post_closing_deliverables_count_days_after_signing() -> None:
    deal = load(VERRICA)
    after = {o.id: o.due_after for o in deal.obligations if o.due_after is not None}
    assert {k: (v.event, v.days) for k, v in after.items()} == {
        "post-closing-45-days": ("agreement", 45), "post-closing-60-days": ("agreement", 60)}


def test_verrica_principal_amortizes_monthly_from_april_1_2022_to_maturity() -> None:
    principal = next(o for o in load(VERRICA).obligations if o.id == "monthly-principal")
    assert principal.due_every is not None
    assert (principal.due_every.first, principal.due_every.until) == (date(2022, 4, 1),
                                                                       date(2024, 3, 1))


def test_verrica_payment_request_form_wire_fields_are_not_stated() -> None:
    wire = instruction(load(VERRICA), "outgoing-wire-request")
    assert wire.aba_number is wire.account_number is wire.bank is Blank.NOT_STATED
    assert wire.intermediary is not None and wire.intermediary.aba_number is Blank.NOT_STATED


def test_verrica_lender_entities_and_governing_law() -> None:
    deal = load(VERRICA)
    westriver = next(p for p in deal.parties if p.id == "westriver")
    assert (westriver.entity_type, westriver.jurisdiction) == ("limited partnership", "Delaware")
    assert deal.agreement.governing_law == "State of California"


# The built room: no account number of any record reaches the site, in any grouping.

def raw_account_numbers() -> list[str]:
    """Every account number and IBAN written in the room's records (Blank values are none)."""
    records, _ = find_records(DEALS)
    numbers: list[str] = []
    for _, record in records:
        (facts,) = check(record)
        for item in facts.deal.instructions:
            values = [getattr(item, name) for name in ACCOUNT_NUMBER_FIELDS]
            if item.intermediary is not None:
                values.append(item.intermediary.account_number)
            numbers += [v for v in values if isinstance(v, str) and not isinstance(v, Blank)]
    return numbers


def leak_pattern(number: str) -> re.Pattern[str]:
    """The number with any separators between its characters (an IBAN keeps its letters)."""
    if number.replace(" ", "").isalnum() and not number.replace(" ", "").isdigit():
        chars = [ch for ch in number if ch.isalnum()]
        return re.compile(r"[\s\-./]*".join(map(re.escape, chars)), re.I)
    return digits_pattern(number)


def test_no_raw_account_number_of_the_records_appears_in_the_built_room(example_site: Path) -> None:
    numbers = raw_account_numbers()
    assert numbers, "the room's records hold account numbers to look for"
    pages = site_text(example_site)
    for slug in (WALGREENS, VERRICA):
        assert any(f"deals/{slug}/" in str(path) for path in pages), slug
    for number in numbers:
        pattern = leak_pattern(number)
        leaked = [str(path) for path, text in pages.items() if pattern.search(text)]
        assert not leaked, f"an account number of the records appears in {leaked}"
