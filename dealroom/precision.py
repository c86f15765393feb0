"""Computed amounts at the precision the agreement states its own.

A stated amount is shown as written: `280000` as $280,000, `2499.99` as $2,499.99. A computed
figure (quantity × price, warrant proceeds) is shown at the precision of the stated figure it
is compared with or derived from, so $90,000 sits beside $280,000 rather than $90,000.00. A
non-zero fraction is never rounded away: $0.45 × 3 stays $1.35.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from dealroom.types import MINOR_UNITS


def places(amount: Decimal) -> int:
    """Decimal places as written: 280000 -> 0, 0.35 -> 2, .001 -> 3."""
    exponent = amount.as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def at_precision(value: Decimal, decimals: int, minor_units: int) -> Decimal:
    """`value` with `decimals` places when that changes nothing but its look; else with the
    currency's `minor_units` (cents) when that changes nothing; else exactly as computed."""
    for count in (decimals, minor_units):
        try:
            shown = value.quantize(Decimal(1).scaleb(-count))
        except InvalidOperation:  # more digits than the context holds: keep the figure as it is
            continue
        if shown == value:
            return shown
    return value


# Symbols only where one symbol means one currency to a reader of these pages; `$` is USD's
# (CAD, AUD... show their code), `¥` is JPY's (CNY shows its code). Everything else: the code.
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "KRW": "₩",
                    "ILS": "₪", "NGN": "₦", "PHP": "₱", "UAH": "₴", "VND": "₫"}


def minor_units(currency: str) -> int:
    """The currency's decimal places (ISO 4217); an unknown code is refused, never guessed."""
    try:
        return MINOR_UNITS[currency]
    except KeyError:
        raise ValueError(f"{currency!r} is not an ISO 4217 currency with minor units") from None


def shown_amount(value: Decimal, minor: int) -> Decimal:
    """An amount at its currency's minor units, unless written otherwise: a whole amount stays
    whole ($280,000), a shorter fraction is filled out (0.5 BHD -> 0.500), and a longer one
    stated by the agreement (a price of $0.001) keeps its digits; only zeros are dropped."""
    if value == value.to_integral_value() and places(value) == 0:
        return value.quantize(Decimal(1))  # also turns 1E+3 into 1000
    written = places(value)
    if written < minor:
        return value.quantize(Decimal(1).scaleb(-minor))
    if written > minor:
        trimmed = value.normalize()
        return trimmed if places(trimmed) > minor else value.quantize(Decimal(1).scaleb(-minor))
    return value


def format_money(value: Decimal, currency: str) -> str:
    """`$280,000`, `€90,000.00`, `1,234.500 BHD`, `¥1,000`, `1,000 CAD`."""
    text = f"{shown_amount(value, minor_units(currency)):,}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{text} {currency}"
