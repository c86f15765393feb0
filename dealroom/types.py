"""Field types of a deal record: each parses the exact text written in YAML, or explains itself.

The loader hands every scalar over as text, so these parsers are the only place where text
becomes a number, an amount or a date, with one strict, documented syntax each.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import iso4217
from pydantic import BeforeValidator, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

# ISO 4217, from the `iso4217` package (the ISO list as published): code -> minor units.
# Codes without minor units (gold, SDR, test codes) are not money a deal pays in.
MINOR_UNITS: dict[str, int] = {c.code: c.exponent for c in iso4217.Currency if c.exponent is not None}
MIN_YEAR, MAX_YEAR = 1900, 2199  # a deal's dates, and what is derived from them, fit in these
MAX_DIGITS = 15  # before the decimal point: a quadrillion is no deal's amount or share count
PRICE_DECIMALS = 6  # per-share prices and par values may be sub-cent ($.001 par)
NAME_MAX, TEXT_MAX = 300, 20_000
_INVISIBLE = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}
# Printable ASCII cannot hide a character: only the others are looked up (most text has none).
_NOT_VISIBLE_ASCII, _NOT_VISIBLE_ASCII_TEXT = re.compile(r"[^ -~]"), re.compile(r"[^ -~\n\t]")
# Compiled once: `re.fullmatch(pattern, ...)` looks its pattern up in re's cache at every value.
# ASCII digits only: `\d` alone takes `1٠50` (an Arabic-Indic zero, drawn as a dot) for 1050.
_PLAIN_DECIMAL, _DIGITS = re.compile(r"\d+(\.\d+)?|\.\d+", re.ASCII), re.compile(r"\d+", re.ASCII)
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+", re.ASCII)
_DECIMAL_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_ACCOUNT = re.compile(r"[0-9A-Za-z][0-9A-Za-z \-./]*")


def _fail(kind: str, message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, message, context)


def _text(value: Any, limit: int, multiline: bool) -> str:
    if value is None:  # `name:` or `name: ~` with nothing after it
        raise _fail("dealroom_text", "the value is empty (fix: write the text, or remove the "
                    "field if it is optional)")
    if not isinstance(value, str):
        raise _fail("dealroom_text", "expected text, found a {found} (fix: write a single value)",
                    found="list" if isinstance(value, list) else "mapping")
    # Multi-line text may hold line breaks and tabs: they are not even looked at.
    others = _NOT_VISIBLE_ASCII_TEXT if multiline else _NOT_VISIBLE_ASCII
    found = others.search(value)
    while found:
        char = found[0]
        if unicodedata.category(char) in _INVISIBLE:
            # Bidi overrides and zero-width characters make a name display as something else.
            raise _fail("dealroom_text", "invisible or control character U+{code} at position "
                        "{index} (fix: delete it; a name must display as what it is)",
                        code=f"{ord(char):04X}", index=found.start() + 1)
        found = others.search(value, found.end())
    if len(value) > limit:
        # Pydantic's message templates take no format specs: the numbers are formatted here.
        raise _fail("dealroom_text", f"text is {len(value):,} characters long; the limit here is "
                    f"{limit:,} (fix: shorten it or attach the material as a document)")
    if not value.strip():
        raise _fail("dealroom_text", "text is blank (fix: write a value or remove the field)")
    return value


def _decimal(value: Any, what: str) -> Decimal:
    if not isinstance(value, str):
        raise _fail("dealroom_number", f"expected {what}, found a list or mapping")
    text = value.strip()
    if _PLAIN_DECIMAL.fullmatch(text):
        if len(text.split(".")[0]) > MAX_DIGITS:
            raise _fail("dealroom_number", f"{what} has more than {MAX_DIGITS} digits before the "
                        "decimal point (fix: check the number)")
        return Decimal(text)
    if re.search(r"[$€£¥]|\b(USD|EUR|GBP)\b", text):
        fix = "write the number alone; the currency is the deal's `currency` field"
    elif _DECIMAL_THOUSANDS.fullmatch(text):
        fix = f"write {text.replace(',', '')} without thousands separators"
    elif "_" in text or text.lower().startswith("0x"):
        fix = "write plain decimal digits"
    elif text.startswith("-"):
        fix = "amounts are positive; record a refund or reversal as its own event"
    elif re.search(r"[eE]", text):
        fix = "write the number in full, without an exponent"
    else:
        fix = "write digits with an optional decimal point, e.g. 0.35"
    raise _fail("dealroom_number", f"{text!r} is not {what} (fix: {fix})")


def _amount(value: Any) -> Decimal:
    return _decimal(value, "an amount")


def _quantity(value: Any) -> int:
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        if len(value.strip()) > MAX_DIGITS:
            raise _fail("dealroom_number", f"the number has more than {MAX_DIGITS} digits "
                        "(fix: check the number)")
        return int(value)
    if isinstance(value, str) and _THOUSANDS.fullmatch(value.strip()):
        raise _fail("dealroom_number", f"{value!r} is not a whole number (fix: write "
                    f"{value.replace(',', '')} without thousands separators)")
    raise _fail("dealroom_number", f"{value!r} is not a whole number of shares "
                "(fix: write digits only, e.g. 800000)")


def _count(value: Any) -> int:
    """A count of days or months: digits only (YAML 1.1 would read `1_0` as 10, `0x10` as 16)."""
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()) and len(value.strip()) <= MAX_DIGITS:
        return int(value)
    raise _fail("dealroom_number", f"{value!r} is not a whole number (fix: write digits only, e.g. 30)")


# YAML 1.2's booleans. YAML 1.1 also read `yes`, `no`, `on`, `off`, `y` and `n` as booleans:
# a record that writes them means something a reader cannot be sure of.
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip() in _BOOLEANS:
        return _BOOLEANS[value.strip()]
    raise _fail("dealroom_boolean", f"{value!r} is not true or false (fix: write true or false)")


def _iso_date(value: Any) -> date:
    if isinstance(value, str) and _DATE.fullmatch(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError as exc:
            raise _fail("dealroom_date", f"{value!r} is not a real date: {exc} "
                        "(fix: check the day and month)") from None
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            # Terms and business days are counted from these dates: year 9999 has no after.
            raise _fail("dealroom_date", f"{value!r} is outside the years {MIN_YEAR} to "
                        f"{MAX_YEAR} (fix: check the year)")
        return day
    raise _fail("dealroom_date", f"{value!r} is not a date (fix: write it as YYYY-MM-DD, "
                "e.g. 2002-06-05)")


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.ASCII)


def _digits(value: Any, what: str, pattern: str, example: str, echo: bool = True) -> str:
    if not isinstance(value, str) or not _compiled(pattern).fullmatch(value.strip()):
        # Routing numbers may be masked on the site: then an error does not print them either.
        shown = f"{value!r} is" if echo else "this is"
        raise _fail("dealroom_identifier", f"{shown} not {what} (fix: write it as in the "
                    f"source document, e.g. {example})")
    return value.strip()


def _account_number(value: Any) -> str:
    # Messages never echo the value: they are printed in terminals and CI logs, and a
    # mistyped account number is still mostly the real one.
    if not isinstance(value, str) or not _ACCOUNT.fullmatch(value.strip()):
        raise _fail("dealroom_identifier", "this is not an account number: only letters, digits, "
                    "spaces and - . / are allowed (fix: copy it as written in the instructions, "
                    "e.g. 123-456789)")
    number = value.strip()
    if sum(map(str.isdigit, number)) < 5:
        raise _fail("dealroom_identifier", "the account number has fewer than 5 digits "
                    "(fix: copy the full number from the instructions)")
    if len({ch for ch in number if ch.isalnum()}) == 1:
        # 000000 is a draft's placeholder, and it would also match every time of day in a site.
        raise _fail("dealroom_identifier", "the account number is one digit repeated, a placeholder "
                    "(fix: write the real number, or leave the field out until it is known)")
    return number


def _aba_number(value: Any) -> str:
    number = _digits(value, "an ABA routing number", r"\d(?:[ \-]?\d){8}", "021 000 021",
                     echo=False)
    d = [int(ch) for ch in number if ch.isdigit()]
    checksum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5] + d[8]
    if checksum % 10:
        raise _fail("dealroom_identifier", "the ABA routing number fails its check digit (fix: "
                    "verify the number with the bank by a call to a known number)")
    return number


@cache
def _known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())  # walks the tz database on disk: once, not per record


def _timezone(value: Any) -> str:
    try:
        if isinstance(value, str) and value in _known_timezones():
            ZoneInfo(value)
            return value
    except ZoneInfoNotFoundError:
        pass
    raise _fail("dealroom_timezone", f"{value!r} is not a known time zone (fix: use an IANA "
                "name such as America/New_York)")


def _slug(value: Any) -> str:
    return _digits(value, "an id", r"[a-z0-9][a-z0-9-]{0,62}", "company-wire (lowercase letters, "
                   "digits and dashes)")


def _string_schema(pattern: str | None = None, numeric: bool = False, **extra: Any) -> WithJsonSchema:
    # Editors parse `800000` as a number; we read the same text, so the schema accepts both.
    schema: dict[str, Any] = {"type": ["string", "number"] if numeric else "string", **extra}
    if pattern:
        schema["pattern"] = pattern
    return WithJsonSchema(schema)


Name = Annotated[str, BeforeValidator(lambda v: _text(v, NAME_MAX, False)),
                 _string_schema(maxLength=NAME_MAX)]
Text = Annotated[str, BeforeValidator(lambda v: _text(v, TEXT_MAX, True)),
                 _string_schema(maxLength=TEXT_MAX)]
Amount = Annotated[Decimal, BeforeValidator(_amount), _string_schema(r"^(\d+(\.\d+)?|\.\d+)$", numeric=True)]
Quantity = Annotated[int, BeforeValidator(_quantity), _string_schema(r"^\d+$", numeric=True)]
IsoDate = Annotated[date, BeforeValidator(_iso_date), _string_schema(format="date")]
Count = Annotated[int, BeforeValidator(_count), _string_schema(r"^\d+$", numeric=True)]
Flag = Annotated[bool, BeforeValidator(_flag), WithJsonSchema({"type": "boolean"})]
AccountNumber = Annotated[str, BeforeValidator(_account_number),
                          _string_schema(r"^[0-9A-Za-z][0-9A-Za-z \-./]*$", numeric=True)]
AbaNumber = Annotated[str, BeforeValidator(_aba_number), _string_schema(r"^\d([ -]?\d){8}$", numeric=True)]
DtcNumber = Annotated[str, BeforeValidator(
    lambda v: _digits(v, "a DTC participant number", r"\d{1,5}", "773", echo=False)),
    _string_schema(r"^\d{1,5}$", numeric=True)]
SecFileNumber = Annotated[str, BeforeValidator(
    lambda v: _digits(v, "an SEC file number", r"\d{3}-\d{4,6}", "333-53108")),
    _string_schema(r"^\d{3}-\d{4,6}$")]
Slug = Annotated[str, BeforeValidator(_slug), _string_schema(r"^[a-z0-9][a-z0-9-]{0,62}$")]
TimeZone = Annotated[str, BeforeValidator(_timezone), _string_schema()]
Years = Annotated[int, BeforeValidator(_quantity), _string_schema(r"^\d+$", numeric=True)]


class Blank(StrEnum):
    """A value the agreement leaves open (`[ ]`, `____`) or the filing redacts (`[***]`).

    Written in YAML as `not stated` or `redacted`; shown as such, never replaced by a guess."""

    NOT_STATED = "not stated"
    REDACTED = "redacted"


_BLANKS = {b.value: b for b in Blank}


def _blank_or(parse: Any) -> Any:
    def validate(value: Any) -> Any:
        if isinstance(value, str) and value.strip() in _BLANKS:
            return _BLANKS[value.strip()]
        return parse(value)
    return validate


def _blankable(parse: Any, schema: dict[str, Any]) -> tuple[PlainValidator, WithJsonSchema]:
    return (PlainValidator(_blank_or(parse)),
            WithJsonSchema({"anyOf": [schema, {"enum": [b.value for b in Blank]}]}))


def _currency(value: Any) -> str:
    code = value.strip() if isinstance(value, str) else ""
    if code in MINOR_UNITS:
        return code
    if code.upper() in MINOR_UNITS:
        fix = f"write it in capitals: {code.upper()}"
    elif code in {c.code for c in iso4217.Currency}:
        fix = "it has no minor units (a metal or a fund unit); name the currency paid"
    else:
        fix = "use a three-letter ISO 4217 code such as USD, EUR, GBP or CAD"
    raise _fail("dealroom_currency", f"{value!r} is not an ISO 4217 currency code (fix: {fix})")


def _percent(value: Any) -> Decimal:
    text = value.strip() if isinstance(value, str) else ""
    if not text.endswith("%"):
        raise _fail("dealroom_percent", f"{value!r} is not a percentage (fix: write it with a "
                    "percent sign as the agreement does, e.g. 7% or 3.96%)")
    number = _decimal(text[:-1].strip(), "a percentage")
    if number > 1000:
        raise _fail("dealroom_percent", f"{text} is more than 1000% (fix: check the rate)")
    return number


def iban_check(iban: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to 10..35, mod 97 == 1."""
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def _iban(value: Any) -> str:
    # As for account numbers, messages never echo the value.
    text = value.strip() if isinstance(value, str) else ""
    compact = text.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact, re.ASCII):
        raise _fail("dealroom_identifier", "this is not an IBAN: two letters of the country, two "
                    "check digits and 11 to 30 letters or digits (fix: copy it as written, e.g. "
                    "GB82 WEST 1234 5698 7654 32)")
    if compact != text.replace(" ", ""):
        raise _fail("dealroom_identifier", "an IBAN is written in capitals (fix: write its "
                    "letters in capitals)")
    if not iban_check(compact):
        raise _fail("dealroom_identifier", "the IBAN fails its ISO 13616 check digits (fix: "
                    "verify it with the payee by a call to a known number)")
    return text


def _bic(value: Any) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not re.fullmatch(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?", text):
        if re.fullmatch(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?", text.upper()):
            raise _fail("dealroom_identifier", "a BIC/SWIFT code is written in capitals (fix: "
                        "write its letters in capitals)")
        # Not echoed: an IBAN or account number pasted into the wrong field is a secret.
        raise _fail("dealroom_identifier", "this is not a BIC/SWIFT code: 4 letters of the "
                    "bank, 2 of the country, 2 of the location and an optional 3-character "
                    "branch (fix: write it as in ISO 9362, e.g. MIDLGB22 or CHASUS33XXX)")
    return text


def _sort_code(value: Any) -> str:
    return _digits(value, "a UK sort code", r"\d{2}-?\d{2}-?\d{2}", "40-05-30", echo=False)


def _dtc_number(value: Any) -> str:
    return _digits(value, "a DTC participant number", r"\d{1,5}", "773", echo=False)


def _exhibit_id(value: Any) -> str:
    return _digits(value, "an exhibit or schedule id", r"[A-Za-z0-9][A-Za-z0-9.()\-]{0,15}",
                   "A, 3(d), 2.01 or 10.1")


Currency = Annotated[str, BeforeValidator(_currency), _string_schema(r"^[A-Z]{3}$")]
Percent = Annotated[Decimal, BeforeValidator(_percent), _string_schema(r"^\d+(\.\d+)?\s*%$")]
Iban = Annotated[str, BeforeValidator(_iban), _string_schema(r"^[A-Z]{2}\d{2}[A-Z0-9 ]{11,40}$")]
Bic = Annotated[str, BeforeValidator(_bic), _string_schema(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")]
SortCode = Annotated[str, BeforeValidator(_sort_code), _string_schema(r"^\d{2}-?\d{2}-?\d{2}$")]
ExhibitId = Annotated[str, BeforeValidator(_exhibit_id),
                      _string_schema(r"^[A-Za-z0-9][A-Za-z0-9.()\-]{0,15}$", numeric=True)]

# Values an agreement may leave blank or a filing redact: `not stated` / `redacted` instead.
MaybeAmount = Annotated[Decimal | Blank, *_blankable(_amount, {"type": ["string", "number"]})]
MaybeQuantity = Annotated[int | Blank, *_blankable(_quantity, {"type": ["string", "number"]})]
MaybePercent = Annotated[Decimal | Blank, *_blankable(_percent, {"type": "string"})]
MaybeDate = Annotated[date | Blank, *_blankable(_iso_date, {"type": "string", "format": "date"})]
MaybeName = Annotated[str | Blank, *_blankable(lambda v: _text(v, NAME_MAX, False),
                                                {"type": "string", "maxLength": NAME_MAX})]
MaybeAccountNumber = Annotated[str | Blank, *_blankable(_account_number, {"type": ["string", "number"]})]
MaybeAbaNumber = Annotated[str | Blank, *_blankable(_aba_number, {"type": ["string", "number"]})]
MaybeIban = Annotated[str | Blank, *_blankable(_iban, {"type": "string"})]
MaybeBic = Annotated[str | Blank, *_blankable(_bic, {"type": "string"})]
MaybeSortCode = Annotated[str | Blank, *_blankable(_sort_code, {"type": "string"})]
MaybeDtcNumber = Annotated[str | Blank, *_blankable(_dtc_number, {"type": ["string", "number"]})]
