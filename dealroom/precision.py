"""Computed amounts at the precision the agreement states its own.

A stated amount is shown as written: `280000` as $280,000, `2499.99` as $2,499.99. A computed
figure (quantity × price, warrant proceeds) is shown at the precision of the stated figure it
is compared with or derived from, so $90,000 sits beside $280,000 rather than $90,000.00. A
non-zero fraction is never rounded away: $0.45 × 3 stays $1.35.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


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
