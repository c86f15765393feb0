"""The corpus of bad records: each case is one hostile or malformed record and its exact outcome.

A case edits `base/deal.yml` (or replaces it with `raw` bytes) and states either every problem
the validator must report, as `line:column: field: message` (a leading fragment of each line
after `deal.yml:`), or, for a record that must be accepted, what the typed deal must hold:
nothing is lost, nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dealroom.model import Deal

BASE = Path(__file__).parent / "base" / "deal.yml"
BASE_TEXT = BASE.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Case:
    name: str
    edits: tuple[tuple[str, str], ...] = ()  # (old, new), each replaced once in the base record
    raw: bytes | None = None  # the whole file, instead of an edited base record
    errors: tuple[str, ...] = ()  # every problem, in order: `line:column: field: message...`
    holds: Callable[[Deal], bool] | None = None  # for an accepted record: what must be true
    setup: Callable[[Path], None] | None = None  # prepares the deal's folder (links, files)

    def text(self) -> bytes:
        if self.raw is not None:
            return self.raw
        text = BASE_TEXT
        for old, new in self.edits:
            assert old in text, f"{self.name}: {old!r} is not in the base record"
            text = text.replace(old, new, 1)
        return text.encode("utf-8")

    def __str__(self) -> str:
        return self.name


def _link(name: str, target: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / name).symlink_to(target)
    return make


def _loop(name: str) -> Callable[[Path], None]:
    """`name` replaced by a symbolic link to itself."""
    def make(folder: Path) -> None:
        (folder / name).unlink()
        (folder / name).symlink_to(name)
    return make


def _outside_file(folder: Path) -> None:
    (folder.parent.parent / "secret.txt").write_text("outside the content folder\n")
    (folder / "link.txt").symlink_to(folder.parent.parent / "secret.txt")


SYNTAX = "check the indentation and quoting on this line"

CASES = [
    # --- files that are not YAML records at all ---------------------------------------------
    Case("yaml_syntax_error", raw=b"name: a\nstatus: [signed\n",
         errors=("3:1: <record>: YAML syntax error: expected ',' or ']', but got '<stream end>' "
                 f"(fix: {SYNTAX})",)),
    Case("tab_indentation", raw=b"name: a\nagreement:\n\ttitle: x\n",
         errors=("3:1: <record>: YAML syntax error: found character '\\t' that cannot start any "
                 "token (fix: indent with spaces, not tabs)",)),
    Case("empty_file", raw=b"", errors=("1:1: <record>: the record is empty",)),
    Case("comments_only", raw=b"# a deal\n# to be written\n",
         errors=("1:1: <record>: the record is empty",)),
    Case("binary_garbage", raw=bytes(range(0x80, 0x100)) * 4,
         errors=("1:1: <record>: the file is not valid UTF-8 (byte 0) (fix: save the file as UTF-8)",)),
    Case("invalid_utf8_in_a_name", raw=b"name: Caf\xe9 Bio\nstatus: draft\n",
         errors=("1:10: <record>: the file is not valid UTF-8 (byte 9)",)),
    Case("nul_byte", raw=b"name: Acme\x00Bio\n",
         errors=("1:1: <record>: the file contains a NUL byte: it is binary",)),
    Case("raw_escape_character", edits=(("name: Acme Bio", "name: Acme\x1bBio"),),
         errors=("2:11: <record>: control character U+001B is not allowed in a YAML file",)),
    Case("a_list_instead_of_a_mapping", raw=b"- name: a\n- name: b\n",
         errors=("1:1: <record>: a deal record must be a mapping of fields",)),
    Case("a_complex_key", raw=b"? [name, status]\n: x\n",
         errors=("1:3: <record>: a key must be plain text",)),
    Case("billion_laughs", raw=b"a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
         + b"".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n".encode()
                    for i in range(8)),
         errors=("1:4: <record>: YAML anchors (&name) are not allowed in deal records",)),
    Case("an_alias", edits=(("  issuer: issuer\n  purchaser", "  issuer: *x\n  purchaser"),),
         errors=("20:11: <record>: YAML aliases (*name) are not allowed in deal records",)),
    Case("a_python_tag", edits=(("title: Securities Purchase Agreement",
                                 "title: !!python/object/apply:os.system [echo pwned]"),),
         errors=("7:10: <record>: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' "
                 "is not allowed in deal records",)),
    # --- duplicate keys, at any depth --------------------------------------------------------
    Case("duplicate_top_level_key", edits=(("currency: USD\n", "currency: USD\nstatus: draft\n"),),
         errors=("5:1: status: duplicate key 'status' (first written on line 3)",)),
    Case("duplicate_nested_key", edits=(("  governing_law: State of New York\n",
                                         "  governing_law: State of New York\n  date: 2024-03-02\n"),),
         errors=("10:3: agreement.date: duplicate key 'date' (first written on line 8)",)),
    Case("duplicate_key_in_a_list_item", edits=(("    role: Purchaser\n",
                                                 "    role: Purchaser\n    name: Fund V, L.P.\n"),),
         errors=("18:5: parties[1].name: duplicate key 'name' (first written on line 16)",)),
    # --- YAML 1.1 coercions: kept as text, or refused ----------------------------------------
    Case("routing_number_keeps_its_leading_zero",
         holds=lambda deal: deal.instructions[0].aba_number == "021000021"),
    Case("sexagesimal_time_stays_text", holds=lambda deal: deal.closing.deadline_time == "12:30"),
    Case("norway_stays_a_name", edits=(("    name: Fund IV, L.P.", "    name: no"),),
         holds=lambda deal: deal.parties[1].name == "no"),
    Case("on_stays_text", edits=(("deadline_time: 12:30", "deadline_time: on"),),
         holds=lambda deal: deal.closing.deadline_time == "on"),
    Case("a_date_where_text_is_meant_stays_text", edits=(("title: Signing call", "title: 2024-03-01"),),
         holds=lambda deal: deal.events[0].title == "2024-03-01"),
    Case("a_null_in_an_optional_field_is_absent", edits=(("    notes: Files with the SEC.", "    notes: ~"),),
         holds=lambda deal: deal.parties[0].notes is None),
    Case("yes_is_not_a_status", edits=(("status: signed", "status: yes"),),
         errors=("3:9: status: 'yes' is not allowed here; input should be 'draft', 'negotiating', "
                 "'signed', 'funded', 'closed' or 'terminated' (fix: use one of the allowed values)",)),
    Case("a_null_in_a_required_field", edits=(("governing_law: State of New York", "governing_law: ~"),),
         errors=("9:18: agreement.governing_law: the value is empty",)),
    Case("hexadecimal_quantity", edits=(("quantity: 1000", "quantity: 0x3E8"),),
         errors=("22:13: shares.quantity: '0x3E8' is not a whole number of shares",)),
    Case("quantity_of_a_thousand_digits", edits=(("quantity: 1000", "quantity: " + "9" * 1000),),
         errors=("22:13: shares.quantity: the number has more than 15 digits (fix: check the number)",)),
    Case("underscored_quantity", edits=(("quantity: 1000", "quantity: 1_000"),),
         errors=("22:13: shares.quantity: '1_000' is not a whole number of shares",)),
    Case("infinite_price", edits=(("price_per_share: 2.50", "price_per_share: .inf"),),
         errors=("23:20: shares.price_per_share: '.inf' is not an amount",)),
    Case("text_where_a_date_is_meant",
         edits=(("date: 2024-03-01\n  governing", "date: March 1, 2024\n  governing"),),
         errors=("8:9: agreement.date: 'March 1, 2024' is not a date (fix: write it as YYYY-MM-DD",)),
    Case("date_without_leading_zeros", edits=(("deadline: 2024-03-04", "deadline: 2024-3-4"),),
         errors=("26:13: closing.deadline: '2024-3-4' is not a date",)),
    Case("timestamp_where_a_date_is_meant",
         edits=(("deadline: 2024-03-04", "deadline: 2024-03-04T17:00:00"),),
         errors=("26:13: closing.deadline: '2024-03-04T17:00:00' is not a date",)),
    # --- money -------------------------------------------------------------------------------
    Case("float_that_loses_precision",
         edits=(("price_per_share: 2.50", "price_per_share: 2.5000000000000001"),),
         # The aggregate is within the rounding of its whole amount: the page would flag it.
         errors=("23:20: shares.price_per_share: price per share 2.5000000000000001 has 16 decimal "
                 "places; at most 6 are allowed",)),
    Case("thousands_separator", edits=(("aggregate_price: 2500", "aggregate_price: 2,500"),),
         errors=("24:20: shares.aggregate_price: '2,500' is not an amount (fix: write 2500 without "
                 "thousands separators)",)),
    Case("currency_symbol", edits=(("price_per_share: 2.50", "price_per_share: $2.50"),),
         errors=("23:20: shares.price_per_share: '$2.50' is not an amount (fix: write the number "
                 "alone; the currency is the deal's `currency` field)",)),
    Case("currency_code", edits=(("aggregate_price: 2500", "aggregate_price: USD 2500"),),
         errors=("24:20: shares.aggregate_price: 'USD 2500' is not an amount (fix: write the number alone",)),
    Case("decimal_comma", edits=(("price_per_share: 2.50", "price_per_share: 2,50"),),
         errors=("23:20: shares.price_per_share: '2,50' is not an amount (fix: write digits with "
                 "an optional decimal point",)),
    Case("negative_amount", edits=(("aggregate_price: 2500", "aggregate_price: -2500"),),
         errors=("24:20: shares.aggregate_price: '-2500' is not an amount (fix: amounts are positive",)),
    Case("zero_amount", edits=(("aggregate_price: 2500", "aggregate_price: 0"),),
         errors=("24:20: shares.aggregate_price: aggregate price must be greater than zero",
                 "24:20: shares.aggregate_price: aggregate price 0 does not equal quantity 1,000 x "
                 "price 2.50 = 2,500")),
    Case("zero_quantity", edits=(("quantity: 1000", "quantity: 0"),),
         errors=("22:13: shares.quantity: quantity must be greater than zero",
                 "24:20: shares.aggregate_price: aggregate price 2,500 does not equal quantity 0 x")),
    Case("exponent", edits=(("aggregate_price: 2500", "aggregate_price: 2.5e3"),),
         errors=("24:20: shares.aggregate_price: '2.5e3' is not an amount (fix: write the number in "
                 "full, without an exponent)",)),
    Case("shares_times_price_is_not_the_aggregate",
         edits=(("aggregate_price: 2500", "aggregate_price: 2499.99"),),
         errors=("24:20: shares.aggregate_price: aggregate price 2,499.99 does not equal quantity "
                 "1,000 x price 2.50 = 2,500.00 (fix: correct the quantity, the price or the "
                 "aggregate to match the agreement)",)),
    Case("price_with_too_many_decimals", edits=(("price_per_share: 2.50", "price_per_share: 2.5000001"),),
         errors=("23:20: shares.price_per_share: price per share 2.5000001 has 7 decimal places; "
                 "at most 6 are allowed (fix: round it as the agreement states it)",)),
    Case("aggregate_with_fractions_of_a_cent", edits=(("quantity: 1000", "quantity: 1001"),
                                                      ("price_per_share: 2.50", "price_per_share: 2.499"),
                                                      ("aggregate_price: 2500", "aggregate_price: 2501.499")),
         errors=("24:20: shares.aggregate_price: aggregate price 2501.499 has 3 decimal places; at "
                 "most 2 are allowed",)),
    # --- dates -------------------------------------------------------------------------------
    Case("impossible_date", edits=(("date: 2024-03-01\n  governing", "date: 2024-02-30\n  governing"),),
         errors=("8:9: agreement.date: '2024-02-30' is not a real date: day is out of range for "
                 "month (fix: check the day and month)",)),
    Case("year_9999_with_no_room_for_a_term_after_it",
         edits=(("deadline: 2024-03-04", "deadline: 9999-12-31"),),
         errors=("26:13: closing.deadline: '9999-12-31' is outside the years 1900 to 2199 (fix: "
                 "check the year)",)),
    Case("deadline_before_signing", edits=(("deadline: 2024-03-04", "deadline: 2024-02-28"),),
         errors=("26:13: closing.deadline: the closing deadline 2024-02-28 is before the agreement "
                 "date 2024-03-01 (fix: check both dates)",)),
    Case("obligation_due_before_signing", edits=(("    due: 2024-03-04", "    due: 2023-03-04"),),
         errors=("44:10: obligations[0].due: due date 2023-03-04 is before the agreement date 2024-03-01",)),
    Case("unknown_time_zone", edits=(("timezone: America/New_York", "timezone: America/Springfield"),),
         errors=("28:13: closing.timezone: 'America/Springfield' is not a known time zone (fix: use "
                 "an IANA name such as America/New_York)",)),
    Case("utc_offset_is_not_a_time_zone", edits=(("timezone: America/New_York", "timezone: UTC+2"),),
         errors=("28:13: closing.timezone: 'UTC+2' is not a known time zone",)),
    # --- references and ids ------------------------------------------------------------------
    Case("unknown_party", edits=(("    obligor: fund", "    obligor: fnud"),),
         errors=("41:14: obligations[0].obligor: refers to party 'fnud', which does not exist "
                 "(fix: use one of: fund, issuer)",)),
    Case("unknown_instruction", edits=(("    instruction: wire", "    instruction: wire-2"),),
         errors=("45:18: obligations[0].instruction: refers to instruction 'wire-2', which does "
                 "not exist (fix: use one of: wire)",)),
    Case("unknown_exhibit", edits=(("    exhibit: A", "    exhibit: B"),),
         errors=("51:14: obligations[1].exhibit: refers to exhibit 'B', which does not exist "
                 "(fix: use one of: A)",)),
    Case("unknown_preceding_obligation", edits=(("due_next_business_day_after: pay",
                                                 "due_next_business_day_after: payment"),),
         errors=("50:34: obligations[1].due_next_business_day_after: refers to obligation "
                 "'payment', which does not exist (fix: use one of: pay)",)),
    Case("due_dates_in_a_circle", edits=(("    due: 2024-03-04\n    instruction", "    "
                                          "due_next_business_day_after: deliver\n    instruction"),),
         errors=("44:34: obligations[0].due_next_business_day_after: due dates refer to each "
                 "other in a circle",
                 "50:34: obligations[1].due_next_business_day_after: due dates refer to each "
                 "other in a circle")),
    Case("duplicate_party_id", edits=(("  - id: fund", "  - id: issuer"),),
         errors=("15:9: parties[1].id: duplicate id 'issuer' (fix: give each entry its own id)",
                 "21:14: shares.purchaser: refers to party 'fund', which does not exist",
                 "33:12: instructions[0].payer: refers to party 'fund'",
                 "41:14: obligations[0].obligor: refers to party 'fund'",
                 "48:18: obligations[1].beneficiary: refers to party 'fund'")),
    Case("duplicate_exhibit_id",
         edits=(("    description: The certificate.\n",
                 "    description: The certificate.\n  - id: A\n    title: Again\n"),),
         errors=("56:9: exhibits[1].id: duplicate id 'A'",)),
    Case("an_id_that_is_not_a_slug", edits=(("  - id: wire", "  - id: Wire Transfer"),),
         errors=("30:9: instructions[0].id: 'Wire Transfer' is not an id (fix: write it as in the "
                 "source document, e.g. company-wire (lowercase letters, digits and dashes))",
                 # The id written is still an id: the reference to the old one is what is wrong.
                 "45:18: obligations[0].instruction: refers to instruction 'wire', which does not "
                 "exist (fix: use one of: none defined)")),
    Case("account_number_with_a_stray_character", edits=(("account_number: 987-654-3210",
                                                          "account_number: 987-654-3210!"),),
         errors=("37:21: instructions[0].account_number: this is not an account number: only "
                 "letters, digits, spaces and - . / are allowed",)),
    Case("account_number_cut_short", edits=(("account_number: 987-654-3210", "account_number: 9876"),),
         errors=("37:21: instructions[0].account_number: the account number has fewer than 5 digits",)),
    # --- attached files ----------------------------------------------------------------------
    Case("file_above_the_deal_folder", edits=(("file: memo.txt", "file: ../../secret.txt"),),
         errors=("59:11: documents[0].file: file '../../secret.txt' points outside the deal's folder",)),
    Case("absolute_file_path", edits=(("file: memo.txt", "file: /etc/passwd"),),
         errors=("59:11: documents[0].file: file '/etc/passwd' points outside the deal's folder",)),
    Case("symbolic_link_out_of_the_content_folder", setup=_outside_file,
         edits=(("file: memo.txt", "file: link.txt"),),
         errors=("59:11: documents[0].file: file 'link.txt' is a symbolic link (fix: copy the file "
                 "itself into the deal's folder)",)),
    Case("symbolic_link_inside_the_folder", setup=_link("copy.txt", "memo.txt"),
         edits=(("file: memo.txt", "file: copy.txt"),),
         errors=("59:11: documents[0].file: file 'copy.txt' is a symbolic link",)),
    Case("missing_file", edits=(("file: memo.txt", "file: minutes.txt"),),
         errors=("59:11: documents[0].file: file 'minutes.txt' does not exist in",)),
    Case("html_attachment_that_would_run_scripts", setup=lambda f: (f / "x.html").write_text("<script>"),
         edits=(("file: memo.txt", "file: x.html"),),
         errors=("59:11: documents[0].file: file 'x.html' is not a type the room publishes; a "
                 "browser could run scripts in it",)),
    Case("the_record_itself_as_an_attachment", edits=(("file: memo.txt", "file: deal.yml"),),
         errors=("59:11: documents[0].file: file 'deal.yml' is not a type the room publishes",)),
    Case("file_name_too_long", edits=(("file: memo.txt", "file: " + "m" * 290 + ".txt"),),
         errors=("59:11: documents[0].file: file '" + "m" * 290 + ".txt' cannot be read: File "
                 "name too long",)),
    Case("attached_text_that_is_not_utf8", setup=lambda f: (f / "memo.txt").write_bytes(b"Caf\xe9\n"),
         errors=("59:11: documents[0].file: text file 'memo.txt' is not UTF-8 (byte 3) (fix: save "
                 "it as UTF-8)",)),
    Case("attached_text_too_large_to_show", setup=lambda f: (f / "memo.txt").write_bytes(b"x" * 3_000_000),
         errors=("59:11: documents[0].file: text file 'memo.txt' is 3,000,000 bytes; text shown on "
                 "a page is limited to 2,097,152 bytes (fix: attach it as a PDF)",)),
    Case("attachment_named_with_the_account_number",
         setup=lambda f: (f / "statement-9876543210.txt").write_text("Statement.\n"),
         edits=(("file: memo.txt", "file: statement-9876543210.txt"),),
         errors=("59:11: documents[0].file: the file's name holds one of the room's account "
                 "numbers, and would publish it in the file's link and address (fix: rename the "
                 "file without the number, and write its new name here)",)),
    Case("attachment_name_with_wide_gaps_in_the_account_number",
         setup=lambda f: (f / "statement 987 -- 654 -- 3210.txt").write_text("Statement.\n"),
         edits=(("file: memo.txt", "file: statement 987 -- 654 -- 3210.txt"),),
         errors=("59:11: documents[0].file: the file's name holds one of the room's account numbers",)),
    Case("attachment_in_a_folder_that_is_a_loop_of_links", setup=_link("scans", "scans"),
         edits=(("file: memo.txt", "file: scans/memo.txt"),),
         errors=("59:11: documents[0].file: file 'scans/memo.txt' cannot be read: a folder of its "
                 "path is a loop of symbolic links (fix: copy the file itself into the deal's folder)",)),
    Case("record_that_is_a_loop_of_links", setup=_loop("deal.yml"),
         errors=("1:1: <record>: a symbolic link that leads back to itself or to nothing (fix: give "
                 "the deals folder or the record file itself)",)),
    # --- ids ---------------------------------------------------------------------------------
    Case("an_id_holding_the_account_number", edits=(("  - id: deliver", "  - id: deliver-9876543210"),),
         errors=("46:9: obligations[1].id: the id holds one of the room's account numbers, and would "
                 "publish it in the deal's links and anchors (fix: choose an id without the number, "
                 "and write it where the entry is named)",)),
    # --- invisible and control characters ----------------------------------------------------
    Case("nul_written_as_an_escape", edits=(("    name: Acme Bio, Inc.", '    name: "Acme\\0Bio"'),),
         errors=("12:11: parties[0].name: invisible or control character U+0000 at position 5 "
                 "(fix: delete it; a name must display as what it is)",)),
    Case("bidi_override_in_a_name", edits=(("    name: Acme Bio, Inc.", "    name: Acme \u202eoiB"),),
         errors=("12:11: parties[0].name: invisible or control character U+202E at position 6",)),
    Case("zero_width_space_in_a_name", edits=(("    name: Fund IV, L.P.", "    name: Fund\u200b IV, L.P."),),
         errors=("16:11: parties[1].name: invisible or control character U+200B at position 5",)),
    Case("bell_in_a_note", edits=(("notes: Call the company", 'notes: "\\aCall the company'),
                                  ("before wiring.", 'before wiring."')),
         errors=("38:12: instructions[0].notes: invisible or control character U+0007 at position 1",)),
    Case("line_separator_in_a_title", edits=(("title: Company wire", 'title: "Company\\Lwire"'),),
         errors=("32:12: instructions[0].title: invisible or control character U+2028 at position 8",)),
    Case("tab_inside_a_name", edits=(("    name: Acme Bio, Inc.", '    name: "Acme\\tBio"'),),
         errors=("12:11: parties[0].name: invisible or control character U+0009 at position 5",)),
    Case("blank_name", edits=(("    name: Acme Bio, Inc.", '    name: "   "'),),
         errors=("12:11: parties[0].name: text is blank",)),
    Case("very_long_name", edits=(("    name: Acme Bio, Inc.", "    name: " + "A" * 301),),
         errors=("12:11: parties[0].name: text is 301 characters long; the limit here is 300",)),
    # --- structure ---------------------------------------------------------------------------
    Case("misspelled_field", edits=(("  governing_law:", "  governing_lwa:"),),
         errors=("7:3: agreement.governing_law: required field is missing",
                 # At the key's own column: the key is what is wrong, not its value.
                 "9:3: agreement.governing_lwa: unknown field `governing_lwa` (fix: did you mean "
                 "`governing_law`?)")),
    Case("missing_required_field", edits=(("status: signed\n", ""),),
         errors=("2:1: status: required field is missing (fix: add this required field)",)),
    Case("list_where_text_is_meant", edits=(("bank: First Bank", "bank: [First Bank, Second Bank]"),),
         errors=("35:11: instructions[0].bank: expected text, found a list",)),
    Case("wire_without_routing_number", edits=(("    aba_number: 021000021\n", ""),),
         errors=("30:5: instructions[0]: a wire instruction needs `aba_number`",)),
    Case("lower_case_currency", edits=(("currency: USD", "currency: usd"),),
         errors=("4:11: currency: 'usd' is not an ISO 4217 currency code (fix: write it in "
                 "capitals: USD)",)),
    Case("status_differing_only_by_case", edits=(("status: signed", "status: Signed"),),
         errors=("3:9: status: 'Signed' is not allowed here; input should be 'draft', 'negotiating', "
                 "'signed', 'funded', 'closed' or 'terminated' (fix: did you mean `signed`? use one "
                 "of: draft, negotiating, signed, funded, closed, terminated)",)),
    Case("misspelled_status", edits=(("status: signed", "status: singed"),),
         errors=("3:9: status: 'singed' is not allowed here; input should be 'draft', 'negotiating', "
                 "'signed', 'funded', 'closed' or 'terminated' (fix: did you mean `signed`? use one "
                 "of: draft, negotiating, signed, funded, closed, terminated)",)),
    Case("misspelled_nested_choice", edits=(("    kind: wire", "    kind: Wires"),),
         errors=("31:11: instructions[0].kind: 'Wires' is not allowed here; input should be 'wire', "
                 "'international wire', 'uk payment', 'sepa', 'ach', 'dwac' or 'escrow' (fix: did you "
                 "mean `wire`? use one of: wire, international wire, uk payment, sepa, ach, dwac, "
                 "escrow)",)),
    Case("unknown_key_in_a_list_entry", edits=(("    kind: wire", "    knid: wire"),),
         errors=("30:5: instructions[0].kind: required field is missing",
                 "31:5: instructions[0].knid: unknown field `knid` (fix: did you mean `kind`?)")),
    # --- every problem at once ---------------------------------------------------------------
    Case("structural_and_cross_field_problems_together",
         edits=(("status: signed", "status: sold"), ("    obligor: fund", "    obligor: fnud"),
                ("deadline: 2024-03-04", "deadline: 2024-02-28"),
                ("aggregate_price: 2500", "aggregate_price: 2,500")),
         errors=("3:9: status: 'sold' is not allowed here",
                 "24:20: shares.aggregate_price: '2,500' is not an amount",
                 "26:13: closing.deadline: the closing deadline 2024-02-28 is before the agreement",
                 "41:14: obligations[0].obligor: refers to party 'fnud', which does not exist")),
    Case("a_bad_time_zone_does_not_hide_a_deadline_before_signing",
         edits=(("timezone: America/New_York", "timezone: Mars/Olympus"),
                ("deadline: 2024-03-04", "deadline: 2024-02-28")),
         errors=("26:13: closing.deadline: the closing deadline 2024-02-28 is before the agreement",
                 "28:13: closing.timezone: 'Mars/Olympus' is not a known time zone")),
    Case("an_invalid_entry_does_not_make_its_id_unknown",
         edits=(("    role: Purchaser", "    role: [Purchaser]"),),
         errors=("17:11: parties[1].role: expected text, found a list",)),
]
