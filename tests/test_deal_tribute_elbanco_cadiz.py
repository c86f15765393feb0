"""The Tribute/Dundee, El Banco and Cadiz/LC Capital records of the example room: each validates,
and carries its agreement's key facts as typed fields (blanks of a form as `Blank` values)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT
from dealroom.derive import Facts, next_business_day
from dealroom.model import (
    Deal,
    Fee,
    NoteInstrument,
    Obligation,
    SharesInstrument,
    WarrantInstrument,
)
from dealroom.pipeline import check
from dealroom.types import Blank

DEALS = ROOT / "content" / "deals"
TRIBUTE, ELBANCO, CADIZ = "tribute-dundee-2015", "elbanco-offering-2006", "cadiz-lc-capital-2020"


def _facts(slug: str) -> Facts:
    (facts,) = check(DEALS / slug / "deal.yml")
    return facts


@pytest.fixture(scope="module")
def tribute() -> Deal:
    return _facts(TRIBUTE).deal


@pytest.fixture(scope="module")
def elbanco() -> Deal:
    return _facts(ELBANCO).deal


@pytest.fixture(scope="module")
def cadiz() -> Deal:
    return _facts(CADIZ).deal


def _shares(deal: Deal, id_: str) -> SharesInstrument:
    (found,) = [i for i in deal.instruments if i.id == id_]
    assert isinstance(found, SharesInstrument)
    return found


def _fee(deal: Deal, id_: str) -> Fee:
    (found,) = [f for f in deal.fees if f.id == id_]
    return found


def _obligation(deal: Deal, id_: str) -> Obligation:
    (found,) = [o for o in deal.obligations if o.id == id_]
    return found


@pytest.mark.parametrize(("slug", "phrase"), [
    (TRIBUTE, "up to 13,043,695 common shares of the Corporation"),
    (ELBANCO, "unable to sell a minimum of 1,875,000 Shares on or before June 30, 2007"),
    (CADIZ, "each share of Preferred Stock will be convertible into 405.05 shares"),
])
def test_record_validates_and_attaches_the_agreement_text(slug: str, phrase: str) -> None:
    facts = _facts(slug)
    assert facts.slug == slug
    (document,) = facts.deal.documents
    text = re.sub(r"\s+", " ", (DEALS / slug / document.file).read_text(encoding="utf-8"))
    assert phrase in text


# --- Tribute – Dundee: a Canadian brokered private placement ----------------------------------

def test_tribute_stated_aggregate_equals_13043695_shares_at_0_92(tribute: Deal) -> None:
    shares = _shares(tribute, "offered-shares")
    assert (shares.quantity, shares.price_per_share) == (13043695, Decimal("0.92"))
    assert shares.aggregate_price == Decimal("12000199.40")
    assert isinstance(shares.quantity, int) and isinstance(shares.price_per_share, Decimal)
    assert shares.quantity * shares.price_per_share == shares.aggregate_price


def test_tribute_amounts_are_canadian_dollars_but_the_us_counsel_cap(tribute: Deal) -> None:
    assert tribute.currency == "CAD"
    assert (_fee(tribute, "agents-canadian-counsel").cap, _fee(tribute, "agents-canadian-counsel").currency) \
        == (Decimal("50000"), None)
    assert (_fee(tribute, "agents-us-counsel").cap, _fee(tribute, "agents-us-counsel").currency) \
        == (Decimal("10000"), "USD")


def test_tribute_agents_fee_is_seven_percent_of_the_offering_to_the_three_agents(tribute: Deal) -> None:
    fee = _fee(tribute, "agents-fee")
    assert (fee.percent, fee.of, fee.payer, fee.payee, fee.paid_in) == \
        (Decimal("7.0"), "offered-shares", "tribute", "agents", "cash")
    (agents,) = [g for g in tribute.groups if g.id == "agents"]
    assert agents.members == ["dundee", "kes7", "bloom-burton"]


def test_tribute_compensation_options_are_24_month_options_at_the_offering_price(tribute: Deal) -> None:
    (options,) = [i for i in tribute.instruments if i.id == "compensation-options"]
    assert isinstance(options, WarrantInstrument)
    assert (options.kind, options.exercise_price, options.term_months) == ("option", Decimal("0.92"), 24)
    # 3.5% of the shares sold: a number the agreement does not state.
    assert options.shares is Blank.NOT_STATED


def test_tribute_is_exempt_under_rule_506b_not_registered(tribute: Deal) -> None:
    assert tribute.registration is not None
    assert "Rule 506(b)" in tribute.registration.exemptions
    assert tribute.registration.form is None and tribute.registration.file_number is None
    assert tribute.registration.resale_restrictions == "present"


def test_tribute_closes_at_8_am_toronto_time_on_the_toronto_calendar(tribute: Deal) -> None:
    (closing,) = tribute.closings
    assert (closing.due, closing.timezone) == (date(2015, 5, 21), "America/Toronto")
    assert closing.due_time == "8:00 a.m. (Toronto time)"
    assert tribute.holiday_calendar == "XTSE"


def test_tribute_exchange_approval_is_a_condition_for_the_agents(tribute: Deal) -> None:
    approval = _obligation(tribute, "exchange-approval")
    assert (approval.kind, approval.obligor, approval.beneficiary, approval.closing) == \
        ("condition", "tribute", "agents", "closing")
    assert "TSX Venture Exchange" in approval.action
    conditions = [o for o in tribute.obligations if o.kind == "condition"]
    assert len(conditions) == 9 and all(o.beneficiary == "agents" for o in conditions)


def test_tribute_notices_go_with_copies_to_each_side_s_counsel(tribute: Deal) -> None:
    copies = {p.id: [c.name for c in p.notices.copies] for p in tribute.parties if p.notices}
    assert copies == {"tribute": ["Fogler, Rubinoff LLP"], "dundee": ["Dentons Canada LLP"],
                      "kes7": ["Dentons Canada LLP"], "bloom-burton": ["Dentons Canada LLP"]}
    assert tribute.agreement.governing_law.startswith("Province of Ontario")


# --- El Banco: a form of best-efforts offering with escrow -------------------------------------

def test_elbanco_blanks_of_the_form_are_blank_values(elbanco: Deal) -> None:
    shares = _shares(elbanco, "shares")
    assert elbanco.agreement.date is Blank.NOT_STATED
    assert (shares.quantity, shares.price_per_share, shares.aggregate_price) == \
        (Blank.NOT_STATED, Blank.NOT_STATED, Blank.NOT_STATED)
    (investors,) = shares.allocations
    assert investors.amount is Blank.NOT_STATED
    assert shares.par_value == Decimal("0.01")


def test_elbanco_subscription_funds_go_to_an_escrow_with_flag_bank(elbanco: Deal) -> None:
    (escrow,) = elbanco.instructions
    assert (escrow.kind, escrow.bank, escrow.escrow_agent) == ("escrow", "Flag Bank", "escrow-agent")
    assert escrow.account_number is Blank.NOT_STATED
    (agent,) = [p for p in elbanco.parties if p.id == escrow.escrow_agent]
    assert (agent.name, agent.role) == ("Flag Bank", "Escrow Agent")


def test_elbanco_minimum_offering_by_june_30_2007_or_refund(elbanco: Deal) -> None:
    minimum = _obligation(elbanco, "minimum-offering")
    assert (minimum.kind, minimum.due, minimum.closing) == ("condition", date(2007, 6, 30), "initial-closing")
    assert "1,875,000 Shares" in minimum.action
    refund = _obligation(elbanco, "refund")
    assert (refund.beneficiary, refund.instruction, refund.due) == ("subscribers", "escrow", None)
    assert refund.due_upon is not None and "June 30, 2007" in refund.due_upon


def test_elbanco_initial_and_additional_closings_have_no_date_but_an_event(elbanco: Deal) -> None:
    assert [c.id for c in elbanco.closings] == ["initial-closing", "additional-closings"]
    assert all(c.due is None and c.due_upon for c in elbanco.closings)
    assert elbanco.closing is None  # no invented funding deadline


def test_elbanco_agent_fee_is_5_2_percent_with_a_5000_expense_cap(elbanco: Deal) -> None:
    fee = _fee(elbanco, "agent-fee")
    assert (fee.percent, fee.of) == (Decimal("5.2"), None)
    assert fee.of_text is not None and "attributable to the efforts of the Agent" in fee.of_text
    assert _fee(elbanco, "agent-expenses").cap == Decimal("5000")


def test_elbanco_investor_appendix_and_registration(elbanco: Deal) -> None:
    (appendix,) = elbanco.exhibits
    assert (appendix.id, appendix.kind) == ("A", "appendix")
    assert _obligation(elbanco, "appendix-a").due_upon == "at least 48 hours before each Closing"
    assert elbanco.registration is not None
    assert (elbanco.registration.form, elbanco.registration.file_number) == ("SB-2", "333-135900")
    assert elbanco.holiday_calendar == "US"


# --- Cadiz – LC Capital: notes converted and exchanged for convertible preferred ---------------

def test_cadiz_9671_preferred_shares_each_convert_into_405_05_common(cadiz: Deal) -> None:
    preferred = _shares(cadiz, "preferred")
    assert (preferred.kind, preferred.series, preferred.quantity) == ("preferred shares", "Series 1", 9671)
    assert preferred.conversion is not None
    assert preferred.conversion.shares_per_unit == Decimal("405.05")
    assert preferred.conversion.ownership_cap == Decimal("9.9")
    assert isinstance(preferred.quantity, int)
    assert preferred.quantity * preferred.conversion.shares_per_unit == Decimal("3917238.55")
    assert (preferred.stated_value, preferred.for_no_cash) == (Decimal("2734.09"), True)


def test_cadiz_conversion_and_exchange_amounts_make_up_the_outstanding_amount(cadiz: Deal) -> None:
    items = {(c.id, i.instrument): i for c in cadiz.closings for i in c.items}
    converted, exchanged = items["conversion", "notes"].amount, items["closing", "notes"].amount
    assert (converted, exchanged) == (Decimal("16904930.13"), Decimal("26441360.21"))
    assert isinstance(converted, Decimal) and isinstance(exchanged, Decimal)
    assert converted + exchanged == Decimal("43346290.34")  # the recitals' Outstanding Amount
    assert items["closing", "preferred"].quantity == 9671
    assert items["conversion", "conversion-shares"].quantity is Blank.NOT_STATED


def test_cadiz_exchange_closes_within_two_business_days_of_the_agreement(cadiz: Deal) -> None:
    (closing,) = [c for c in cadiz.closings if c.id == "closing"]
    assert closing.due is None and closing.due_after is not None
    rule = closing.due_after
    assert (rule.event, rule.days, rule.day_kind, rule.calendar) == ("agreement", 2, "business", "NYSE")
    signed = cadiz.agreement.date
    assert signed == date(2020, 3, 5)
    assert isinstance(signed, date)
    # Thursday March 5, 2020: the second NYSE business day after it is Monday March 9.
    assert next_business_day(next_business_day(signed, "NYSE"), "NYSE") == date(2020, 3, 9)


def test_cadiz_notes_are_7_percent_senior_notes_with_us_bank_as_trustee(cadiz: Deal) -> None:
    (notes,) = [i for i in cadiz.instruments if i.id == "notes"]
    assert isinstance(notes, NoteInstrument) and notes.kind == "convertible note"
    assert (notes.principal, notes.maturity, notes.trustee) == \
        (Decimal("26480000"), date(2020, 3, 5), "us-bank")
    assert notes.interest is not None and notes.interest.fixed == Decimal("7.00")
    (trustee,) = [p for p in cadiz.parties if p.id == "us-bank"]
    assert trustee.name == "U.S. Bank National Association"


def test_cadiz_exempt_restricted_with_registration_rights(cadiz: Deal) -> None:
    registration = cadiz.registration
    assert registration is not None and registration.rights is not None
    assert registration.exemptions == ["Section 4(a)(2)", "Section 3(a)(9)"]
    assert (registration.restrictive_legends, registration.resale_restrictions) == ("present", "present")
    assert (registration.rights.exhibit, registration.rights.filing_obligation) == ("B", "shelf-filing")
    shelf = _obligation(cadiz, "shelf-filing")
    assert shelf.due_upon == "no later than 30 days after the filing of the 2019 Form 10-K"


def test_cadiz_conditions_precedent_of_each_side(cadiz: Deal) -> None:
    conditions = [o for o in cadiz.obligations if o.kind == "condition"]
    by_beneficiary = {b: sum(o.beneficiary == b for o in conditions) for b in ("holder", "cadiz")}
    assert by_beneficiary == {"holder": 9, "cadiz": 5}  # Sections 6.1(a)-(i) and 6.2(a)-(e)
    assert all(o.closing == "closing" for o in conditions)
    assert _obligation(cadiz, "legal-opinion").exhibit == "C"


# --- Pages --------------------------------------------------------------------------------------

def _page_text(site: Path, slug: str) -> str:
    html = (site / "deals" / slug / "index.html").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_three_deals_build_into_the_example_room(example_site: Path) -> None:
    for slug, name in ((TRIBUTE, "Tribute Pharmaceuticals"), (ELBANCO, "El Banco Financial"),
                       (CADIZ, "Cadiz")):
        assert name in _page_text(example_site, slug)


def test_elbanco_undated_form_shows_its_date_as_not_stated(example_site: Path) -> None:
    assert "Dated : not stated" in _page_text(example_site, ELBANCO)
