"""Validate stage: the typed model and cross-field checks, with precise messages."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import EXAMPLE_DEAL
from dealroom.errors import RecordError
from dealroom.loader import load_text
from dealroom.model import Deal
from dealroom.pipeline import check as check_records
from dealroom.validate import validate

RECORD = EXAMPLE_DEAL / "deal.yml"
TEXT = RECORD.read_text(encoding="utf-8")


def check(text: str) -> Deal:
    return validate(load_text(RECORD, text), EXAMPLE_DEAL.parent)


def problems(text: str) -> list[str]:
    with pytest.raises(RecordError) as error:
        check(text)
    return [str(p).split("deal.yml:", 1)[1] for p in error.value.problems]


def line_of(snippet: str) -> int:
    return TEXT[: TEXT.index(snippet)].count("\n") + 1


def test_the_example_record_is_valid_and_typed() -> None:
    deal = check(TEXT)
    assert deal.agreement.date == date(2002, 6, 5)
    assert deal.shares is not None and deal.shares.price_per_share == Decimal("0.35")
    assert deal.shares.par_value == Decimal("0.001")
    assert deal.instructions[0].aba_number == "021 000 021"
    assert deal.instructions[1].dtc_number == "773"


def test_unknown_key_is_an_error_at_the_key_s_own_column_with_a_suggestion() -> None:
    text = TEXT.replace("  governing_law:", "  governing_lwa:")
    line = line_of("  governing_law:")
    assert problems(text) == [
        f"{line_of('agreement:') + 1}:3: agreement.governing_law: required field is missing "
        "(fix: add this required field)",
        f"{line}:3: agreement.governing_lwa: unknown field `governing_lwa` "
        "(fix: did you mean `governing_law`?)"]


def test_aggregate_must_equal_shares_times_price() -> None:
    text = TEXT.replace("aggregate_price: 280000", "aggregate_price: 290000")
    [message] = problems(text)
    assert message == (f"{line_of('aggregate_price:')}:20: shares.aggregate_price: aggregate price "
                       "290,000 does not equal quantity 800,000 x price 0.35 = 280,000 (fix: "
                       "correct the quantity, the price or the aggregate to match the agreement)")


@pytest.mark.parametrize(("written", "fix"), [
    ("$0.35", "write the number alone"),
    ("0,35", "write digits with an optional decimal point"),
    ("-0.35", "amounts are positive"),
    ("3.5e-1", "without an exponent"),
])
def test_prices_are_written_as_plain_decimals(written: str, fix: str) -> None:
    [message] = problems(TEXT.replace("price_per_share: 0.35", f"price_per_share: '{written}'"))
    assert "shares.price_per_share" in message and fix in message


def test_thousands_separators_are_refused_with_the_fix() -> None:
    [message] = problems(TEXT.replace("quantity: 800000", "quantity: 800,000"))
    assert "shares.quantity: '800,000' is not a whole number (fix: write 800000" in message


def test_routing_number_with_a_bad_check_digit_is_refused_without_printing_it() -> None:
    [message] = problems(TEXT.replace("aba_number: 021 000 021", "aba_number: 021 000 022"))
    assert "instructions[0].aba_number: the ABA routing number fails its check digit" in message
    assert "022" not in message  # a routing number may be masked on the site: not in logs either


def test_a_malformed_dtc_number_is_refused_without_printing_it() -> None:
    [message] = problems(TEXT.replace("dtc_number: 773", "dtc_number: 7731234"))
    assert "instructions[1].dtc_number: this is not a DTC participant number" in message
    assert "7731234" not in message


def test_reference_to_a_missing_party_is_an_error() -> None:
    [message] = problems(TEXT.replace("    obligor: purchaser", "    obligor: purchasr"))
    assert "obligations[1].obligor: refers to party 'purchasr', which does not exist " \
        "(fix: use one of: company, purchaser)" in message


def test_impossible_date_is_refused() -> None:
    [message] = problems(TEXT.replace("date: 2002-06-05", "date: 2002-02-30"))
    assert "agreement.date: '2002-02-30' is not a real date" in message


def test_every_problem_is_reported_at_once() -> None:
    text = TEXT.replace("status: signed", "status: sold").replace("fax: 212-508-7028", "fax:\n"
                                                                  "        - a")
    assert len(problems(text)) == 2


@pytest.mark.parametrize("mutate", [
    lambda t: t.replace("fbo_account_number: 066-198038", "fbo_account_number: 0661"),
    lambda t: t.replace("dtc_number: 773", "dtc_number: DTC773"),
    lambda t: t.replace("file_number: 333-53108", "file_number: 33353108"),
])
def test_identifiers_must_look_like_what_they_are(mutate: Callable[[str], str]) -> None:
    assert len(problems(mutate(TEXT))) == 1


def test_exhibit_file_may_not_leave_the_content_folder(tmp_path: Path) -> None:
    text = TEXT.replace("file: agreement.txt", "file: ../../../../etc/passwd")
    [message] = problems(text)
    assert "documents[0].file: file '../../../../etc/passwd' points outside" in message


def test_an_account_number_of_one_repeated_digit_is_refused_as_a_placeholder(tmp_path: Path) -> None:
    folder = tmp_path / "deals" / "acme"
    shutil.copytree(EXAMPLE_DEAL, folder)
    record = folder / "deal.yml"
    record.write_text(record.read_text().replace("account_number: 1233932118", "account_number: 000000"))
    with pytest.raises(RecordError, match="one digit repeated, a placeholder"):
        check_records(record)


def test_the_garbage_collector_is_on_again_after_a_room_is_refused(tmp_path: Path) -> None:
    """Loading pauses the cyclic collector while it makes the room's objects, never longer."""
    import gc
    deals = tmp_path / "deals"
    shutil.copytree(EXAMPLE_DEAL, deals / EXAMPLE_DEAL.name)
    (deals / EXAMPLE_DEAL.name / "deal.yml").write_text(TEXT.replace("currency: USD", "currency: [USD"),
                                                        encoding="utf-8")
    assert gc.isenabled()
    with pytest.raises(RecordError):
        check_records(deals)
    assert gc.isenabled()


CADIZ = EXAMPLE_DEAL.parent / "cadiz-lc-capital-2020"
CADIZ_TEXT = (CADIZ / "deal.yml").read_text(encoding="utf-8")


def cadiz_problems(text: str) -> list[str]:
    with pytest.raises(RecordError) as error:
        validate(load_text(CADIZ / "deal.yml", text), CADIZ.parent)
    return [str(p).split("deal.yml:", 1)[1] for p in error.value.problems]


@pytest.mark.parametrize("written", ["no", "off", "n", "y", "yes", "on", "0", "1"])
def test_a_yes_or_no_is_true_or_false_as_written_never_a_yaml_1_1_guess(written: str) -> None:
    text = CADIZ_TEXT.replace("due_after: {event: closing, days: 0}",
                              f"due_after: {{event: closing, days: 0, before: {written}}}", 1)
    [message] = cadiz_problems(text)
    assert f"before: {written!r} is not true or false (fix: write true or false)" in message


@pytest.mark.parametrize("written", ["1_0", "+5", "5.0", "0x10", "1e1", "\uff15"])
def test_a_count_of_days_is_digits_only(written: str) -> None:
    text = CADIZ_TEXT.replace("due_after: {event: closing, days: 0}",
                              f"due_after: {{event: closing, days: {written}}}", 1)
    [message] = cadiz_problems(text)
    assert f"days: {written!r} is not a whole number (fix: write digits only" in message


@pytest.mark.parametrize("field, written", [("price_per_share", "0.3\u0665"), ("quantity", "８０００００"),
                                            ("quantity", "80\u0660000")])
def test_digits_of_other_scripts_are_not_read_as_an_amount(field: str, written: str) -> None:
    old = "price_per_share: 0.35" if field == "price_per_share" else "quantity: 800000"
    messages = problems(TEXT.replace(old, f"{field}: {written}", 1))
    assert any(f"{written!r} is not" in message for message in messages), messages


@pytest.mark.parametrize("days, before", [(3660, "false"), (3660, "true")])
def test_a_chain_of_counts_that_runs_past_the_years_of_a_deal_is_refused_where_it_leaves_them(
        days: int, before: str) -> None:
    """Each count is within its limit; together they would run to year 9999 (or before 1900),
    where a calendar's day after has no date."""
    chain = "".join(f"  - {{id: o{i}, obligor: cadiz, beneficiary: holder, action: Do {i}, due_after: "
                    f"{{event: {'agreement' if i == 0 else f'o{i - 1}'}, days: {days}, before: {before}}}}}\n"
                    for i in range(900))
    [message] = cadiz_problems(CADIZ_TEXT.replace("obligations:\n", "obligations:\n" + chain, 1))
    assert ": obligations[" in message and message.endswith(
        "].due_after: the date this counts to is outside the years 1900 to 2199 (fix: check the count "
        "and what it counts from)")


def room_problems(deals: Path) -> list[str]:
    with pytest.raises(RecordError) as error:
        check_records(deals)
    return [str(p) for p in error.value.problems]


@pytest.fixture
def deals(tmp_path: Path) -> Path:
    folder = tmp_path / "deals"
    shutil.copytree(EXAMPLE_DEAL, folder / "neo")
    shutil.copy(EXAMPLE_DEAL.parent / ".dealroom", folder)
    return folder


@pytest.mark.parametrize("name", ["deal.YML", "Deal.yml", "record.yml"])
def test_a_deal_folder_whose_record_has_another_name_is_reported_not_left_out(deals: Path, name: str) -> None:
    (deals / "newdeal").mkdir()
    shutil.copy(EXAMPLE_DEAL / "deal.yml", deals / "newdeal" / name)
    [problem] = room_problems(deals)
    assert f"newdeal/{name}:1:1: <record>: this deal folder has no deal.yml, so its deal is not in the " \
        "room (fix: name the record deal.yml (lower case))" in problem


def test_a_record_file_with_an_upper_case_suffix_is_read(deals: Path) -> None:
    shutil.copy(EXAMPLE_DEAL / "deal.yml", deals / "single.YAML")
    shutil.copy(EXAMPLE_DEAL / "agreement.txt", deals)
    assert sorted(facts.slug for facts in check_records(deals)) == ["neo", "single"]


def test_a_deal_whose_id_is_the_address_of_a_room_page_is_refused(deals: Path) -> None:
    shutil.copytree(EXAMPLE_DEAL, deals / "changes")
    [problem] = room_problems(deals)
    assert "changes/deal.yml:1:1: <record>: deal id 'changes' is the address of the room's Recent " \
        "changes page (fix: rename the deal)" in problem


def test_an_unknown_field_of_an_instrument_is_named_at_its_key_with_a_suggestion() -> None:
    text = CADIZ_TEXT.replace("    principal: 26480000", "    principle: 26480000", 1)
    line = CADIZ_TEXT[: CADIZ_TEXT.index("    principal: 26480000")].count("\n") + 1
    messages = cadiz_problems(text)
    assert f"{line}:5: instruments[0].principle: unknown field `principle` (fix: did you mean " \
        "`principal`?)" in messages, messages


@pytest.mark.parametrize("field", ["price_per_share", "quantity", "currency"])
def test_a_blank_value_is_said_to_be_empty_whatever_its_type(field: str) -> None:
    old = {"price_per_share": "price_per_share: 0.35", "quantity": "quantity: 800000",
           "currency": "currency: USD"}[field]
    messages = problems(TEXT.replace(old, f"{field}:", 1))
    assert any(f"{field}: the value is empty (fix: write the value, or remove the field if it is "
               "optional)" in message for message in messages), messages
