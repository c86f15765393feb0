"""The Oil-Dri/Prudential and Perspecta/MUFG records of the example room: each validates, carries
the agreement's key facts as typed fields, and its real account numbers never reach the site."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT, digits_pattern, site_text
from dealroom.derive import Facts
from dealroom.model import Deal, FacilityInstrument, NoteInstrument
from dealroom.pipeline import check
from dealroom.types import Blank

DEALS = ROOT / "content" / "deals"
OILDRI, PERSPECTA = "oildri-prudential-2020", "perspecta-mufg-2020"


def _facts(slug: str) -> Facts:
    (facts,) = check(DEALS / slug / "deal.yml")
    return facts


@pytest.fixture(scope="module")
def oildri() -> Deal:
    return _facts(OILDRI).deal


@pytest.fixture(scope="module")
def perspecta() -> Deal:
    return _facts(PERSPECTA).deal


def _note(deal: Deal, id_: str) -> NoteInstrument:
    (found,) = [i for i in deal.instruments if i.id == id_]
    assert isinstance(found, NoteInstrument)
    return found


def _facility(deal: Deal, id_: str) -> FacilityInstrument:
    (found,) = [i for i in deal.instruments if i.id == id_]
    assert isinstance(found, FacilityInstrument)
    return found


def _account_numbers(deal: Deal) -> list[str]:
    """The record's real account numbers: read from it, never written in this file."""
    return [str(i.account_number) for i in deal.instructions
            if i.account_number is not None and not isinstance(i.account_number, Blank)]


@pytest.mark.parametrize("slug", [OILDRI, PERSPECTA])
def test_record_validates(slug: str) -> None:
    assert _facts(slug).slug == slug


def test_oildri_series_a_principal_rate_and_maturity(oildri: Deal) -> None:
    series_a = _note(oildri, "series-a")
    assert (series_a.principal, series_a.maturity) == (Decimal(18500000), date(2020, 8, 1))
    assert series_a.interest is not None and series_a.interest.fixed == Decimal("3.96")


def test_oildri_series_b_principal_rate_and_maturity(oildri: Deal) -> None:
    series_b = _note(oildri, "series-b")
    assert (series_b.principal, series_b.maturity) == (Decimal(10000000), date(2030, 5, 15))
    assert series_b.interest is not None and series_b.interest.fixed == Decimal("3.95")
    assert series_b.interest.day_count == "30/360"


def test_oildri_series_b_amortizes_each_may_15_from_2021_to_2029(oildri: Deal) -> None:
    (amortization,) = [o for o in oildri.obligations if o.id == "series-b-amortization"]
    assert amortization.due_every is not None
    assert (amortization.due_every.every, amortization.due_every.first,
            amortization.due_every.until) == ("annually", date(2021, 5, 15), date(2029, 5, 15))


def test_oildri_notes_carry_a_yield_maintenance_make_whole(oildri: Deal) -> None:
    for id_ in ("series-a", "series-b"):
        redemption = _note(oildri, id_).redemption
        assert redemption is not None and redemption.make_whole is not None
        assert "0.50% over" in redemption.make_whole


def test_oildri_shelf_facility_is_75_million_until_the_third_anniversary(oildri: Deal) -> None:
    shelf = _facility(oildri, "shelf")
    assert (shelf.kind, shelf.commitment) == ("shelf facility", Decimal(75000000))
    assert shelf.available_until == date(2023, 5, 15)
    assert oildri.headline == "shelf"


def test_oildri_shelf_notes_rate_is_left_open(oildri: Deal) -> None:
    shelf = _facility(oildri, "shelf")
    assert shelf.interest is not None and shelf.interest.fixed is Blank.NOT_STATED


def test_oildri_disbursement_letter_is_a_wire_with_blank_fields(oildri: Deal) -> None:
    (letter,) = oildri.instructions
    assert letter.kind == "wire"
    assert {letter.bank, letter.aba_number, letter.account_name, letter.account_number} == \
        {Blank.NOT_STATED}


def test_oildri_post_closing_deliveries_are_due_15_business_days_after_the_effective_date(
        oildri: Deal) -> None:
    (post,) = [o for o in oildri.obligations if o.id == "post-closing-deliveries"]
    assert post.due_after is not None
    assert (post.due_after.event, post.due_after.days, post.due_after.day_kind) == \
        ("effective-date", 15, "business")


def test_oildri_conditions_are_owed_to_the_purchasers_group(oildri: Deal) -> None:
    purchasers = {g.id: g for g in oildri.groups}["purchasers"]
    assert len(purchasers.members) == 5
    conditions = [o for o in oildri.obligations if o.kind == "condition"]
    assert conditions and all(o.closing in {"effective-date", "shelf-closing"} for o in conditions)
    assert sum(o.beneficiary == "purchasers" for o in conditions) >= 10


def test_oildri_is_governed_by_illinois_law(oildri: Deal) -> None:
    assert oildri.agreement.governing_law == "State of Illinois"


def _commitments(deal: Deal, effective_on: date | None) -> Decimal:
    lines = _facility(deal, "receivables").allocations
    return sum((a.amount for a in lines if a.effective_on == effective_on
                and isinstance(a.amount, Decimal)), Decimal(0))


def test_perspecta_commitments_total_300_million_before_the_step_up(perspecta: Deal) -> None:
    assert _commitments(perspecta, None) == Decimal(300000000)


def test_perspecta_commitments_total_325_million_from_november_5_2020(perspecta: Deal) -> None:
    assert _commitments(perspecta, date(2020, 11, 5)) == Decimal(325000000)


def test_perspecta_each_purchaser_has_a_line_before_and_after_the_step_up(perspecta: Deal) -> None:
    lines = _facility(perspecta, "receivables").allocations
    assert sorted((a.party, a.effective_on is not None) for a in lines) == sorted(
        (p, stepped) for p in ("mufg", "bns", "mizuho") for stepped in (False, True))


def test_perspecta_scheduled_termination_date(perspecta: Deal) -> None:
    assert _facility(perspecta, "receivables").maturity == date(2021, 10, 29)


def test_perspecta_discount_margin_is_not_stated(perspecta: Deal) -> None:
    rate = _facility(perspecta, "receivables").interest
    assert rate is not None and rate.base == "one-month LIBOR"
    assert rate.margin is Blank.NOT_STATED and rate.floor == Decimal(0)


def test_perspecta_instructions_are_wires_with_their_account_numbers(perspecta: Deal) -> None:
    assert {i.kind for i in perspecta.instructions} == {"wire"}
    assert len(_account_numbers(perspecta)) == len(perspecta.instructions) == 7


def test_perspecta_every_account_number_of_the_agreement_is_in_the_record(perspecta: Deal) -> None:
    # An account in the attached text but not in the record would be published unmasked.
    text = (DEALS / PERSPECTA / "agreement.txt").read_text(encoding="utf-8")
    numbers = _account_numbers(perspecta)
    assert all(digits_pattern(n).search(text) for n in numbers)
    assert len(re.findall(r"with\s+account\s+number\s+\d", text)) == len(numbers)


def test_example_site_holds_no_raw_perspecta_account_number(example_site: Path,
                                                             perspecta: Deal) -> None:
    numbers = _account_numbers(perspecta)
    leaks = [(path.name, index) for path, text in site_text(example_site).items()
             for index, number in enumerate(numbers) if digits_pattern(number).search(text)]
    assert numbers and leaks == []  # names the file and the instruction, never the number


def test_example_site_publishes_the_perspecta_agreement_masked(example_site: Path) -> None:
    published = example_site / "deals" / PERSPECTA / "files" / "agreement.txt"
    text = published.read_text(encoding="utf-8")
    assert "Collection Account" in text
    assert len(re.findall(r"with\s+account\s+number\s+•", text)) == 7


def test_example_site_shows_the_blank_disbursement_fields_as_not_stated(example_site: Path) -> None:
    # A blank account number is no secret: "not stated" must not be masked anywhere in the room.
    page = (example_site / "deals" / OILDRI / "instructions" / "index.html").read_text(encoding="utf-8")
    assert "not stated" in page and "ATED" not in page.replace("STATED", "")
