"""Payment instructions of every kind: validated, masked in every written form, shown to a payer.

Kinds: US wire (ABA), international wire (BIC, IBAN or account, intermediary bank), UK payment
(sort code and account), SEPA (IBAN), ACH, DWAC, escrow. An IBAN keeps its country code and
last four characters visible; an intermediary bank's account is masked like the instruction's
own; every raw number, past ones included, is a secret the leak guard looks for in the site.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from gitrepo import run_git

from conftest import EXAMPLE_DEAL, EXAMPLE_SLUG, ROOT, Room, mkdocs, site_text
from dealroom.derive import derive
from dealroom.errors import RecordError
from dealroom.guard import Guard
from dealroom.loader import load_text
from dealroom.mask import MaskPolicy, PublicRoom, secrets_of
from dealroom.model import Deal
from dealroom.numbers import Secret, mask_iban, mask_number
from dealroom.pipeline import build_in_memory
from dealroom.recorddiff import read_snapshot
from dealroom.types import Blank
from dealroom.validate import validate

RECORD = EXAMPLE_DEAL / "deal.yml"
TEXT = RECORD.read_text(encoding="utf-8")

DE_IBAN = "DE89 3704 0044 0532 0130 00"
DE_MASKED = "DE•• •••• •••• •••• ••30 00"
FR_IBAN = "FR14 2004 1010 0505 0001 3M02 606"
GB_IBAN = "GB82 WEST 1234 5698 7654 32"
GB_MASKED = "GB•• •••• •••• •••• ••54 32"
INTERMEDIARY_ACCOUNT = "400-77123-9"
UK_ACCOUNT = "73124590"
ACH_ACCOUNT = "44817-20593"
ESCROW_ACCOUNT = "ESC-558812-01"
# Every raw number of the room below: none may reach its site, in any grouping or case.
RAW = (DE_IBAN, FR_IBAN, INTERMEDIARY_ACCOUNT, UK_ACCOUNT, ACH_ACCOUNT, ESCROW_ACCOUNT,
       "370400440532013000", "20041010050500013M02606")  # the IBANs' domestic parts

ESCROW_PARTY = """parties:
  - id: escrow-agent
    name: Signature Bank
    role: Escrow Agent
"""
INSTRUCTIONS = f"""instructions:
  - id: company-wire
    kind: international wire
    title: Company Euro Account
    payer: purchaser
    payee: company
    currency: EUR
    bank: Deutsche Bank AG
    bank_address:
      - Taunusanlage 12
      - 60325 Frankfurt am Main
    bic: DEUTDEFFXXX
    iban: {DE_IBAN}
    intermediary:
      bank: JPMorgan Chase Bank, N.A.
      bic: CHASUS33
      aba_number: 021 000 021
      account_number: {INTERMEDIARY_ACCOUNT}
    account_name: NeoTherapeutics, Inc.
    reference: SPA 2002-06 purchase price
  - id: purchaser-dwac
    kind: dwac
    title: Purchaser DWAC Instructions
    payer: company
    payee: purchaser
    bank: Banc of America, NA
    dtc_number: redacted
    account_number: not stated
  - id: sterling
    kind: uk payment
    title: Company Sterling Account
    payer: purchaser
    payee: company
    currency: GBP
    bank: Barclays Bank PLC
    sort_code: 20-00-00
    account_number: {UK_ACCOUNT}
  - id: sepa
    kind: sepa
    title: Company SEPA Account
    payer: purchaser
    payee: company
    currency: EUR
    bank: not stated
    iban: {FR_IBAN}
  - id: ach
    kind: ach
    title: Company ACH Account
    payer: purchaser
    payee: company
    bank: Chase Manhattan Bank
    aba_number: 021000021
    account_number: {ACH_ACCOUNT}
  - id: escrow
    kind: escrow
    title: Escrow Account
    payer: purchaser
    payee: company
    escrow_agent: escrow-agent
    bank: Signature Bank
    account_number: {ESCROW_ACCOUNT}
    reference: redacted

"""


def with_instructions(text: str = TEXT, instructions: str = INSTRUCTIONS) -> str:
    """The seed record with its instructions replaced (ids kept: obligations name two)."""
    start, end = text.index("instructions:\n"), text.index("obligations:\n")
    text = text[:start] + instructions + text[end:]
    return text.replace("parties:\n", ESCROW_PARTY, 1)


def check(text: str) -> Deal:
    return validate(load_text(RECORD, text), EXAMPLE_DEAL.parent)


def problems(text: str) -> list[str]:
    with pytest.raises(RecordError) as error:
        check(text)
    return [str(p) for p in error.value.problems]


def written_anywhere(number: str, text: str) -> bool:
    """`number` in `text` with any separators (or none), in any case, escapes decoded: an
    independent check of the guard's rule."""
    decoded = html.unescape(re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text))
    compact = "".join(ch for ch in number if ch.isalnum())
    pattern = r"[^0-9A-Za-z]{0,3}".join(re.escape(ch) for ch in compact)
    return re.search(rf"(?<![0-9A-Za-z]){pattern}(?![0-9A-Za-z])", decoded, re.IGNORECASE) is not None


def one_instruction(body: str) -> str:
    return with_instructions(instructions="instructions:\n  - id: company-wire\n    title: T\n"
                             "    payer: purchaser\n    payee: company\n    bank: B\n" + body +
                             "  - id: purchaser-dwac\n    kind: dwac\n    title: D\n"
                             "    payer: company\n    payee: purchaser\n    bank: B\n"
                             "    dtc_number: 773\n\n")


# --- the record: identifiers and what each kind needs ----------------------------------------


def test_every_kind_of_instruction_validates() -> None:
    deal = check(with_instructions())
    assert [i.kind for i in deal.instructions] == [
        "international wire", "dwac", "uk payment", "sepa", "ach", "escrow"]
    assert deal.instructions[0].intermediary is not None
    assert deal.instructions[0].intermediary.account_number == INTERMEDIARY_ACCOUNT


@pytest.mark.parametrize("iban", [DE_IBAN, DE_IBAN.replace(" ", ""), GB_IBAN, FR_IBAN])
def test_an_iban_with_right_check_digits_is_accepted(iban: str) -> None:
    deal = check(one_instruction(f"    kind: sepa\n    iban: {iban}\n"))
    assert deal.instructions[0].iban == iban


def test_an_iban_with_wrong_check_digits_is_refused_without_printing_it() -> None:
    wrong = "DE88 3704 0044 0532 0130 00"
    [message] = problems(one_instruction(f"    kind: sepa\n    iban: {wrong}\n"))
    assert "instructions[0].iban" in message and "fails its ISO 13616 check digits" in message
    assert not written_anywhere(wrong, message) and "0532" not in message


def test_an_iban_with_a_mistyped_character_is_refused_without_printing_it() -> None:
    typo = DE_IBAN.replace("0532", "0533")
    [message] = problems(one_instruction(f"    kind: sepa\n    iban: {typo}\n"))
    assert "check digits" in message and not written_anywhere(typo, message)


@pytest.mark.parametrize("iban", ["de89 3704 0044 0532 0130 00", "DE89 3704", "3704 0044 0532 0130 00"])
def test_an_iban_not_in_its_form_is_refused_without_printing_it(iban: str) -> None:
    [message] = problems(one_instruction(f"    kind: sepa\n    iban: {iban}\n"))
    assert "IBAN" in message and "(fix:" in message and "3704" not in message


@pytest.mark.parametrize("bic", ["DEUTDEFF", "DEUTDEFFXXX", "CHASUS33", "MIDLGB22"])
def test_a_bic_of_8_or_11_characters_is_accepted(bic: str) -> None:
    deal = check(one_instruction(f"    kind: international wire\n    bic: {bic}\n"
                                 "    account_number: 1234-5678\n"))
    assert deal.instructions[0].bic == bic


@pytest.mark.parametrize("bic", ["DEUTDEF", "DEUTDEFFXX", "DEU1DEFF", "DEUTDEFF XXX"])
def test_a_bic_not_in_iso_9362_form_is_refused(bic: str) -> None:
    [message] = problems(one_instruction(f"    kind: international wire\n    bic: {bic}\n"
                                         "    account_number: 1234-5678\n"))
    assert "instructions[0].bic" in message and "is not a BIC/SWIFT code" in message


def test_a_bic_in_lower_case_is_refused_with_its_fix() -> None:
    [message] = problems(one_instruction("    kind: international wire\n    bic: deutdeff\n"
                                         "    account_number: 1234-5678\n"))
    assert "a BIC/SWIFT code is written in capitals" in message


def test_an_iban_written_as_the_bic_is_not_printed_in_the_error() -> None:
    [message] = problems(one_instruction(f"    kind: international wire\n    bic: {DE_IBAN}\n"
                                         "    account_number: 1234-5678\n"))
    assert "is not a BIC/SWIFT code" in message and not written_anywhere(DE_IBAN, message)


@pytest.mark.parametrize("code", ["20-00-00", "200000", "40-05-30"])
def test_a_sort_code_is_accepted_with_or_without_dashes(code: str) -> None:
    deal = check(one_instruction(f"    kind: uk payment\n    sort_code: {code}\n"
                                 "    account_number: 73124590\n"))
    assert deal.instructions[0].sort_code == code


@pytest.mark.parametrize("code", ["20-00-0", "20 00 00 1", "2O-00-00"])
def test_a_wrong_sort_code_is_refused_without_printing_it(code: str) -> None:
    [message] = problems(one_instruction(f"    kind: uk payment\n    sort_code: {code}\n"
                                         "    account_number: 73124590\n"))
    assert "is not a UK sort code" in message and code not in message


@pytest.mark.parametrize(("kind", "missing"), [
    ("wire", "`aba_number`"),
    ("international wire", "`bic`"),
    ("uk payment", "`sort_code` and `account_number`"),
    ("sepa", "`iban`"),
    ("ach", "`aba_number` and `account_number`"),
    ("dwac", "`dtc_number`"),
    ("escrow", "`account_number`"),
])
def test_each_kind_names_the_fields_it_needs(kind: str, missing: str) -> None:
    [message] = problems(one_instruction(f"    kind: {kind}\n"))
    assert f"a {kind} instruction needs {missing}" in message and "not stated" in message


def test_an_international_wire_needs_an_iban_or_an_account_number() -> None:
    [message] = problems(one_instruction("    kind: international wire\n    bic: DEUTDEFF\n"))
    assert "needs `iban` or `account_number`" in message


@pytest.mark.parametrize(("kind", "fields"), [
    ("wire", ["aba_number"]), ("international wire", ["bic", "iban"]),
    ("uk payment", ["sort_code", "account_number"]), ("sepa", ["iban"]),
    ("ach", ["aba_number", "account_number"]), ("dwac", ["dtc_number"]), ("escrow", ["account_number"]),
])
def test_each_kind_s_fields_may_be_not_stated_or_redacted(kind: str, fields: list[str]) -> None:
    for blank in Blank:
        body = f"    kind: {kind}\n" + "".join(f"    {name}: {blank.value}\n" for name in fields)
        instruction = check(one_instruction(body)).instructions[0]
        assert all(getattr(instruction, name) is blank for name in fields)


def test_an_intermediary_account_is_checked_like_any_account_without_printing_it() -> None:
    body = ("    kind: international wire\n    bic: DEUTDEFF\n    iban: " + DE_IBAN + "\n"
            "    intermediary:\n      bank: JPMorgan\n      account_number: 4#0-77123-9\n")
    [message] = problems(one_instruction(body))
    assert "instructions[0].intermediary.account_number" in message and "77123" not in message


# --- masking ------------------------------------------------------------------------------


def test_an_iban_keeps_its_country_code_and_last_four_in_groups_of_four() -> None:
    assert mask_iban(GB_IBAN, 4) == GB_MASKED
    assert mask_number(DE_IBAN, 4) == DE_MASKED


@pytest.mark.parametrize("written", [GB_IBAN.replace(" ", ""), GB_IBAN.lower(), GB_IBAN.replace(" ", "-")])
def test_an_iban_is_masked_the_same_however_it_is_written(written: str) -> None:
    assert mask_number(written, 4) == GB_MASKED


def test_an_iban_with_fewer_visible_digits_shows_its_country_code_alone() -> None:
    assert mask_number(GB_IBAN, 0) == "GB•• •••• •••• •••• •••• ••"


def room_of(text: str) -> PublicRoom:
    return PublicRoom([derive("d", check(text))], MaskPolicy())


def test_the_view_masks_the_iban_and_the_intermediary_s_account() -> None:
    wire = room_of(with_instructions()).view("d").deal.instructions[0]
    assert wire.iban == DE_MASKED
    assert wire.intermediary.account_number == "•••••1239"
    assert wire.intermediary.aba_number == "021 000 021" and wire.bic == "DEUTDEFFXXX"


def test_every_account_number_is_a_secret_and_a_blank_is_not() -> None:
    secrets = secrets_of(derive("d", check(with_instructions())), MaskPolicy())
    fields = {s.field: s.number for s in secrets}
    assert fields["instructions[company-wire].iban"] == DE_IBAN
    assert fields["instructions[company-wire].intermediary.account_number"] == INTERMEDIARY_ACCOUNT
    assert fields["instructions[sepa].iban"] == FR_IBAN
    assert fields["instructions[escrow].account_number"] == ESCROW_ACCOUNT
    assert "instructions[purchaser-dwac].account_number" not in fields  # `not stated`
    assert all(s.number not in set(Blank) for s in secrets)


def test_a_blank_stays_a_blank_in_the_view() -> None:
    view = room_of(with_instructions()).view("d").deal
    dwac, sepa = view.instructions[1], view.instructions[3]
    assert dwac.account_number is Blank.NOT_STATED and dwac.dtc_number is Blank.REDACTED
    assert sepa.bank is Blank.NOT_STATED


def test_an_iban_quoted_in_a_note_is_masked_in_any_grouping_or_case() -> None:
    text = with_instructions().replace(
        "    reference: SPA 2002-06 purchase price\n",
        "    reference: SPA 2002-06 purchase price\n    notes: >-\n      Old form de89-3704-0044-"
        "0532-0130-00; new form DE89370400440532013000; domestic 370400440532013000.\n")
    notes = room_of(text).view("d").deal.instructions[0].notes
    assert notes == f"Old form {DE_MASKED}; new form {DE_MASKED}; domestic ••••••••••••••3000."


def test_the_guard_matches_the_mask_on_a_quoted_iban() -> None:
    guard = Guard([Secret(GB_IBAN, "d", "iban")])
    assert not list(guard.find(f"<td>{GB_MASKED}</td>"))
    assert list(guard.find(f"<td>{GB_IBAN}</td>"))


@pytest.mark.parametrize("written", [
    "GB82WEST12345698765432", "GB82 WEST 1234 5698 7654 32", "gb82 west 1234 5698 7654 32",
    "GB82-WEST-1234-5698-7654-32", "GB82.WEST.1234.5698.7654.32",
    "GB82&nbsp;WEST&nbsp;1234&nbsp;5698&nbsp;7654&nbsp;32",
    "GB82\\u00a0WEST\\u00a01234\\u00a05698\\u00a07654\\u00a032",
    "<b>GB82</b> WEST 1234 <i>5698</i> 7654 32",
    "IBAN:GB82WEST12345698765432.", "WEST 1234 5698 7654 32", "west12345698765432",
])
def test_the_guard_finds_an_iban_in_any_written_form(written: str) -> None:
    guard = Guard([Secret(GB_IBAN, "d", "instructions[w].iban")])
    assert list(guard.find(f"<p>Pay to {written} today</p>"))


@pytest.mark.parametrize("written", ["A1B2-C3D4-E5F6", "a1b2c3d4e5f6", "A1 B2 C3 D4 E5 F6"])
def test_the_guard_finds_a_lettered_account_with_few_digits_in_a_row(written: str) -> None:
    # Looked for everywhere: it has no stretch of digits to find it by.
    guard = Guard([Secret("A1B2-C3D4-E5F6", "d", "instructions[w].account_number")])
    assert list(guard.find(f"<p>Account {written}.</p>"))


def test_the_guard_finds_each_of_many_ibans_among_them() -> None:
    ibans = [GB_IBAN, DE_IBAN, FR_IBAN]
    guard = Guard([Secret(iban, "d", f"instructions[{i}].iban") for i, iban in enumerate(ibans)])
    for index, iban in enumerate(ibans):
        fields = {s.field for s in guard.find(f"<p>{iban.lower()}</p>")}
        # The account inside the domestic part, by the country's BBAN format (FR's RIB too).
        assert fields == {f"instructions[{index}].iban", f"instructions[{index}].iban (its domestic part)",
                          f"instructions[{index}].iban (its account part)"}


@pytest.mark.parametrize("written", ["400-77123-9", "400771239", "400 77123 9", "4 0 0 7 7 1 2 3 9"])
def test_the_guard_finds_an_intermediary_account_with_or_without_separators(written: str) -> None:
    guard = Guard([Secret(INTERMEDIARY_ACCOUNT, "d", "instructions[w].intermediary.account_number")])
    assert list(guard.find(f"<p>Account at JPMorgan: {written}</p>"))


def test_exports_of_the_room_show_an_iban_in_an_obligation_masked(tmp_path: Path) -> None:
    deals = tmp_path / "deals"
    shutil.copytree(EXAMPLE_DEAL, deals / EXAMPLE_SLUG)
    shutil.copy(ROOT / "content" / "deals" / ".dealroom", deals)
    record = deals / EXAMPLE_SLUG / "deal.yml"
    record.write_text(with_instructions().replace(
        "to the Company's account.", f"to the Company's account {DE_IBAN.lower()}."), encoding="utf-8")
    files = build_in_memory(deals)
    for name in (f"deals/{EXAMPLE_SLUG}/obligations.csv", f"deals/{EXAMPLE_SLUG}/deadlines.ics",
                 "deadlines.ics"):
        text = str(files[name])
        assert not written_anywhere(DE_IBAN, text), name
    assert f"account {DE_MASKED}." in str(files[f"deals/{EXAMPLE_SLUG}/obligations.csv"])


# --- the built room ------------------------------------------------------------------------


def new_room(folder: Path, record: str) -> Room:
    room = Room(folder / "room")
    (room.path / "content" / "pages").mkdir(parents=True)
    shutil.copytree(ROOT / "site_overrides", room.path / "site_overrides")
    shutil.copytree(EXAMPLE_DEAL, room.deals / EXAMPLE_SLUG)
    shutil.copy(ROOT / "content" / "deals" / ".dealroom", room.deals)
    room.record().write_text(record, encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", room.path / "mkdocs.yml")
    return room


@pytest.fixture(scope="module")
def payments_room(tmp_path_factory: pytest.TempPathFactory) -> Room:
    """The example room with one instruction of every kind, built once."""
    room = new_room(tmp_path_factory.mktemp("payments"), with_instructions())
    result = room.build()
    assert result.returncode == 0, result.stderr
    return room


def instruction_table(page: str, anchor: str) -> str:
    start = page.index(f'id="instruction-{anchor}"')
    return html.unescape(page[start:page.index("</table>", start)])


def test_a_room_with_every_kind_builds_and_shows_the_masked_iban(payments_room: Room) -> None:
    wire = instruction_table(payments_room.page("instructions"), "company-wire")
    assert "International wire transfer (SWIFT)" in wire
    assert f"IBAN<span class=\"dealroom-sep\">: </span></th><td>{DE_MASKED}</td>" in wire
    assert "BIC (SWIFT code)" in wire and "DEUTDEFFXXX" in wire
    assert "<td>EUR</td>" in wire and "SPA 2002-06 purchase price" in wire


def test_the_intermediary_bank_is_shown_with_its_account_masked(payments_room: Room) -> None:
    wire = instruction_table(payments_room.page("instructions"), "company-wire")
    assert "Intermediary (correspondent) bank" in wire and "JPMorgan Chase Bank, N.A." in wire
    assert "CHASUS33" in wire and "021 000 021" in wire
    assert "Account at the intermediary bank<span class=\"dealroom-sep\">: </span></th>" \
        "<td>•••••1239</td>" in wire


def test_each_kind_is_shown_in_words_with_the_fields_a_payer_checks(payments_room: Room) -> None:
    page = payments_room.page("instructions")
    sterling = instruction_table(page, "sterling")
    assert "UK bank payment" in sterling and "20-00-00" in sterling and "••••4590" in sterling
    assert "<td>GBP</td>" in sterling
    sepa = instruction_table(page, "sepa")
    assert "SEPA credit transfer" in sepa and "FR•• •••• •••• •••• •••• •••2 606" in sepa
    ach = instruction_table(page, "ach")
    assert "ACH transfer" in ach and "••••••0593" in ach and "Currency" not in ach
    escrow = instruction_table(page, "escrow")
    assert "Payment into escrow" in escrow and "party-escrow-agent" in escrow and "Signature Bank" in escrow
    assert "USD (the deal’s currency)" in escrow and "•••••••1201" in escrow


def test_a_blank_is_shown_as_not_stated_or_redacted(payments_room: Room) -> None:
    page = payments_room.page("instructions")
    dwac = instruction_table(page, "purchaser-dwac")
    assert "DTC participant number<span class=\"dealroom-sep\">: </span></th>" \
        "<td><em class=\"dealroom-blank\">redacted in the filing</em>" in dwac
    assert "not stated in the agreement" in dwac
    assert "not stated in the agreement" in instruction_table(page, "sepa")
    assert "Payment reference<span class=\"dealroom-sep\">: </span></th><td><em class=\"dealroom-blank\">" \
        "redacted in the filing</em>" in instruction_table(page, "escrow")


def test_no_raw_iban_or_account_is_anywhere_in_the_site(payments_room: Room) -> None:
    texts = site_text(payments_room.site)
    assert any(path.name == "search_index.json" for path in texts)
    for path, text in texts.items():
        for number in RAW:
            assert not written_anywhere(number, text), (path, number)


def test_the_guard_fails_the_build_on_a_raw_iban_smuggled_into_free_text(tmp_path: Path) -> None:
    room = new_room(tmp_path, with_instructions())
    pages = room.path / "content" / "pages"
    (pages / "memo.txt").write_text(f"Pay the company at {DE_IBAN.lower()} before Friday.\n")
    (pages / "wire.html").write_text("<p>Via JPMorgan, account 400 77123 9.</p>\n")
    result = room.build()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "site/memo.txt: raw account number from deal 'neotherapeutics-omicron-2002', field " \
        "instructions[company-wire].iban;" in result.stderr
    assert "site/wire.html: raw account number from deal 'neotherapeutics-omicron-2002', field " \
        "instructions[company-wire].intermediary.account_number;" in result.stderr
    assert not (room.site / "memo.txt").exists() and not (room.site / "wire.html").exists()
    assert not any(written_anywhere(n, result.stdout + result.stderr) for n in RAW)


def test_a_raw_iban_in_a_hand_written_page_is_masked_before_the_guard(tmp_path: Path) -> None:
    room = new_room(tmp_path, with_instructions())
    (room.path / "content" / "pages" / "memo.md").write_text(
        f"# Memo\n\nPay the company at {DE_IBAN} before Friday.\n")
    assert room.build().returncode == 0
    assert f"Pay the company at {DE_MASKED} before Friday." in (room.site / "memo" / "index.html").read_text()


# --- history: past numbers --------------------------------------------------------------------

SIGNED = "2002-06-05T12:00:00+00:00"
LATER = "2002-06-06T09:30:00+00:00"
NEW_INTERMEDIARY_ACCOUNT = "400-88231-7"


@pytest.fixture(scope="module")
def changed_room(tmp_path_factory: pytest.TempPathFactory) -> tuple[Room, subprocess.CompletedProcess[str]]:
    """The payments room committed on signing; the next day its IBAN, the intermediary's account
    and the sort code change."""
    room = new_room(tmp_path_factory.mktemp("history"), with_instructions())
    (room.path / ".gitignore").write_text("site/\n.cache/\n")
    run_git(room.path, "init", "-q", "-b", "main")
    run_git(room.path, "add", "-A")
    run_git(room.path, "commit", "-q", "-m", "Add the deal", date=SIGNED, author="Ann Author")
    room.edit(f"iban: {DE_IBAN}", f"iban: {GB_IBAN}")
    room.edit(f"account_number: {INTERMEDIARY_ACCOUNT}", f"account_number: {NEW_INTERMEDIARY_ACCOUNT}")
    room.edit("sort_code: 20-00-00", "sort_code: 40-05-30")
    run_git(room.path, "add", "-A")
    run_git(room.path, "commit", "-q", "-m", "New bank details", date=LATER, author="Mallory Editor")
    return room, mkdocs("build", "--strict", cwd=room.path)


def test_a_changed_iban_is_shown_masked_on_both_sides_of_the_change(
        changed_room: tuple[Room, subprocess.CompletedProcess[str]]) -> None:
    room, result = changed_room
    assert result.returncode == 0, result.stderr
    history = html.unescape(room.page("history"))
    assert "instructions[company-wire].iban" in history
    assert DE_MASKED in history and GB_MASKED in history


def test_a_past_iban_or_intermediary_account_reaches_no_file_of_the_site(
        changed_room: tuple[Room, subprocess.CompletedProcess[str]]) -> None:
    room, result = changed_room
    assert result.returncode == 0, result.stderr
    for path, text in site_text(room.site).items():
        for number in (*RAW, GB_IBAN, NEW_INTERMEDIARY_ACCOUNT, "WEST12345698765432"):
            assert not written_anywhere(number, text), (path, number)


def test_changing_the_iban_intermediary_or_sort_code_raises_the_payment_alarm(
        changed_room: tuple[Room, subprocess.CompletedProcess[str]]) -> None:
    room, _ = changed_room
    page = room.page("instructions")
    wire, sterling = instruction_table(page, "company-wire"), instruction_table(page, "sterling")
    assert "These payment instructions changed" in wire
    assert "instructions[company-wire].intermediary.account_number" in html.unescape(wire)
    assert "These payment instructions changed" in sterling


def test_a_past_iban_quoted_in_a_hand_written_page_is_masked(
        changed_room: tuple[Room, subprocess.CompletedProcess[str]], tmp_path: Path) -> None:
    room, _ = changed_room
    memo = room.path / "content" / "pages" / "memo.md"
    memo.write_text(f"# Memo\n\nThe old IBAN was {DE_IBAN.replace(' ', '')}.\n")
    try:
        result = mkdocs("build", "--strict", "--site-dir", str(tmp_path / "site"), cwd=room.path)
        assert result.returncode == 0, result.stderr
        assert f"The old IBAN was {DE_MASKED}." in (tmp_path / "site" / "memo" / "index.html").read_text()
    finally:
        memo.unlink()


def test_an_iban_in_a_version_that_does_not_parse_is_still_a_secret() -> None:
    snapshot = read_snapshot(f"instructions:\n  - iban: {DE_IBAN}\n    bank: [unclosed\n".encode(), "x")
    assert snapshot.data is None
    assert [number for number, _ in snapshot.numbers] == [DE_IBAN]

