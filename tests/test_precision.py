"""Computed amounts are shown at the precision of the stated amounts beside them, losing nothing."""

from __future__ import annotations

from decimal import Decimal

from dealroom.precision import at_precision, places


def test_places_are_the_decimals_as_written() -> None:
    assert [places(Decimal(t)) for t in ("280000", "0.35", ".001", "2499.90")] == [0, 2, 3, 2]


def test_whole_dollar_product_drops_zero_cents_beside_whole_dollar_amounts() -> None:
    assert str(at_precision(Decimal("200000") * Decimal("0.45"), 0, 2)) == "90000"


def test_product_keeps_cents_when_the_stated_amount_has_cents() -> None:
    assert str(at_precision(Decimal("1000") * Decimal("2.5"), 2, 2)) == "2500.00"


def test_a_non_zero_fraction_is_never_rounded_away() -> None:
    assert str(at_precision(Decimal("0.45") * 3, 0, 2)) == "1.35"


def test_a_fraction_beyond_cents_falls_back_to_cents_when_exact() -> None:
    assert str(at_precision(Decimal("1000") * Decimal("0.3525"), 0, 2)) == "352.50"


def test_a_fraction_finer_than_cents_is_kept_as_computed() -> None:
    assert str(at_precision(Decimal("5") * Decimal("0.001"), 0, 2)) == "0.005"
