"""Field types of a deal record: each parses the exact text written in YAML, or explains itself.

The loader hands every scalar over as text, so these parsers are the only place where text
becomes a number, an amount or a date, with one strict, documented syntax each.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

MINOR_UNITS = {"USD": 2, "EUR": 2, "GBP": 2, "CHF": 2, "CAD": 2, "AUD": 2, "JPY": 0}
MIN_YEAR, MAX_YEAR = 1900, 2199  # a deal's dates, and what is derived from them, fit in these
MAX_DIGITS = 15  # before the decimal point: a quadrillion is no deal's amount or share count
PRICE_DECIMALS = 6  # per-share prices and par values may be sub-cent ($.001 par)
NAME_MAX, TEXT_MAX = 300, 20_000
_INVISIBLE = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}
# Printable ASCII cannot hide a character: only the others are looked up (most text has none).
_NOT_VISIBLE_ASCII, _NOT_VISIBLE_ASCII_TEXT = re.compile(r"[^ -~]"), re.compile(r"[^ -~\n\t]")
# Compiled once: `re.fullmatch(pattern, ...)` looks its pattern up in re's cache at every value.
_PLAIN_DECIMAL, _DIGITS = re.compile(r"\d+(\.\d+)?|\.\d+"), re.compile(r"\d+")
_THOUSANDS, _DECIMAL_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+"), re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
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
    return re.compile(pattern)


def _digits(value: Any, what: str, pattern: str, example: str) -> str:
    if not isinstance(value, str) or not _compiled(pattern).fullmatch(value.strip()):
        raise _fail("dealroom_identifier", f"{value!r} is not {what} (fix: write it as in the "
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
    number = _digits(value, "an ABA routing number", r"\d(?:[ \-]?\d){8}", "021 000 021")
    d = [int(ch) for ch in number if ch.isdigit()]
    checksum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5] + d[8]
    if checksum % 10:
        raise _fail("dealroom_identifier", f"ABA routing number {number!r} fails its check "
                    "digit (fix: verify the number with the bank by a call to a known number)")
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
AccountNumber = Annotated[str, BeforeValidator(_account_number),
                          _string_schema(r"^[0-9A-Za-z][0-9A-Za-z \-./]*$", numeric=True)]
AbaNumber = Annotated[str, BeforeValidator(_aba_number), _string_schema(r"^\d([ -]?\d){8}$", numeric=True)]
DtcNumber = Annotated[str, BeforeValidator(
    lambda v: _digits(v, "a DTC participant number", r"\d{1,5}", "773")),
    _string_schema(r"^\d{1,5}$", numeric=True)]
SecFileNumber = Annotated[str, BeforeValidator(
    lambda v: _digits(v, "an SEC file number", r"\d{3}-\d{4,6}", "333-53108")),
    _string_schema(r"^\d{3}-\d{4,6}$")]
Slug = Annotated[str, BeforeValidator(_slug), _string_schema(r"^[a-z0-9][a-z0-9-]{0,62}$")]
TimeZone = Annotated[str, BeforeValidator(_timezone), _string_schema()]
Years = Annotated[int, BeforeValidator(_quantity), _string_schema(r"^\d+$", numeric=True)]
