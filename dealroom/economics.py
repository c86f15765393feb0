"""Derive stage, economics: the figures each instrument implies, beside what the agreement states.

Every figure here is computed from typed fields, never typed by a user: share aggregates,
totals of the schedules of buyers and lenders, tranche totals, conversion shares, interest per
period at a fixed rate, fees in money, issue prices in money, and the deal's headline figure.

The stated-vs-computed rule. Where the agreement states a figure that other stated figures
imply (an aggregate price, a commitment, a fee amount), the record keeps what is stated and
the computed figure is compared with it:
- equal: shown as matching;
- different by less than one unit of the stated figure's last written place (1,666,666 x
  $0.15 = $249,999.90 against a stated $250,000: whole dollars, so less than $1): the
  agreement rounded; the page shows both figures and the difference, flagged;
- different by more: a validation error (`refusals`), since one of the figures is mistyped.
Amounts in different currencies are never added together: every total is per currency. A
blank (`not stated`, `redacted`) is never replaced by a guess: a total with a blank line is
not computed and says so.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from dealroom.model import (
    Allocation,
    Deal,
    FacilityInstrument,
    Fee,
    NoteInstrument,
    Rate,
    SafeInstrument,
    SharesInstrument,
    Tranche,
    WarrantInstrument,
)
from dealroom.precision import at_precision, format_money, minor_units, places
from dealroom.types import Blank

Status = Literal["exact", "rounding", "beyond", "derived", "incomplete", "formula"]
Path_ = tuple[str | int, ...]
AnyInstrument = SharesInstrument | WarrantInstrument | NoteInstrument | FacilityInstrument | \
    SafeInstrument

_MONTHS = {"monthly": 1, "quarterly": 3, "semiannually": 6, "annually": 12}
_PERIOD_NAMES = {"monthly": "a monthly period", "quarterly": "a quarterly period",
                 "semiannually": "a semiannual period", "annually": "an annual period"}
# Quotients (conversion shares) are shown exactly when they end within this many places.
_EXACT_PLACES = 6


@dataclass(frozen=True)
class Derived:
    """One derived figure as the page shows it, with the numbers it was made from."""

    label: str
    text: str  # the whole sentence: formula, figure, and the comparison with the stated one
    status: Status
    computed: Decimal | None = None
    stated: Decimal | None = None
    difference: Decimal | None = None  # computed - stated
    currency: str | None = None  # None: a count of shares
    path: Path_ = ()  # the stated field in the record, for an error beyond the rounding

    @property
    def flagged(self) -> bool:
        return self.status == "rounding"


@dataclass(frozen=True)
class TrancheTerms:
    id: str
    currency: str
    derived: list[Derived]
    allocations: list[Derived]


@dataclass(frozen=True)
class InstrumentTerms:
    id: str
    currency: str
    amount: Decimal | Blank | None  # the stated amount (computed for shares without one)
    derived: list[Derived]
    allocations: list[Derived]  # totals of the schedule, per effective date
    tranches: list[TrancheTerms] = field(default_factory=list)


@dataclass(frozen=True)
class FeeTerms:
    id: str
    currency: str
    money: Decimal | None  # the fee in money, when the record lets it be computed
    derived: list[Derived]


@dataclass(frozen=True)
class Headline:
    """The deal's headline figure in its own terms: "a $75,000,000 shelf facility"."""

    instrument: str  # the instrument's id, or "shares" for the legacy share sale
    amount: Decimal | Blank | None
    currency: str
    text: str


@dataclass(frozen=True)
class Economics:
    shares: Derived | None  # the legacy share sale's aggregate check
    instruments: list[InstrumentTerms]
    fees: list[FeeTerms]
    fee_totals: dict[str, Decimal]  # currency -> the fees computed in money, never mixed
    headline: Headline | None


# Formatting -------------------------------------------------------------------------------


def blank_text(value: str) -> str:
    """A blank as the page says it (a masked view holds it as plain text)."""
    return "redacted in the filing" if value == Blank.REDACTED.value else "not stated"


def _money(value: Decimal | Blank, currency: str) -> str:
    return blank_text(value) if isinstance(value, Blank) else format_money(value, currency)


def _shares(value: Decimal | int) -> str:
    return f"{value:,} shares"


def _percent(value: Decimal | str) -> str:
    return blank_text(value) if isinstance(value, str) else f"{value}%"


def _day(value: date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def _precision_words(stated: Decimal) -> str:
    count = places(stated)
    return "whole amounts" if count == 0 else f"{count} decimal place{'s' * (count != 1)}"


def _quotient(value: Decimal) -> tuple[Decimal, bool]:
    """A quotient shown exactly when it ends within a few places, else rounded: (value, exact)."""
    exact = value.normalize()
    if places(exact) <= _EXACT_PLACES:
        return (exact.quantize(Decimal(1)) if exact == exact.to_integral_value() else exact), True
    try:
        return value.quantize(Decimal("0.0001"), ROUND_HALF_UP), False
    except InvalidOperation:  # more digits than the context holds: as computed
        return value, False


def _in_money(value: Decimal, stated_places: int, currency: str) -> tuple[Decimal, bool]:
    """A computed amount at the precision it is compared with, else at the currency's minor
    units, rounded half up when it does not end there: (value, exact)."""
    minor = minor_units(currency)
    shown = at_precision(value, stated_places, minor)
    if places(shown) <= max(stated_places, minor):
        return shown, True
    try:
        return value.quantize(Decimal(1).scaleb(-minor), ROUND_HALF_UP), False
    except InvalidOperation:
        return value, False


# The rule ---------------------------------------------------------------------------------


def compare(computed: Decimal, stated: Decimal) -> Status:
    """`exact`, `rounding` (less than one unit of the stated figure's last written place
    apart: the agreement rounded, up, down or to nearest) or `beyond`."""
    if computed == stated:
        return "exact"
    unit = Decimal(1).scaleb(-places(stated))
    return "rounding" if abs(computed - stated) < unit else "beyond"


def checked(label: str, formula: str, computed: Decimal, stated: Decimal | Blank | None,
            currency: str | None, what: str, path: Path_ = ()) -> Derived:
    """A computed figure beside the stated one, by the rule. `what` names the stated figure
    ("aggregate", "commitment"); `currency` None means a count of shares."""
    def shown(value: Decimal) -> str:
        return _money(value, currency) if currency else _shares(value)

    if currency is not None:
        minor = minor_units(currency)
        # Beside a stated figure: at its precision; alone: whole if whole, else to the minor unit.
        computed = at_precision(computed, places(stated) if isinstance(stated, Decimal) else 0,
                                minor)
    head = f"{formula} = {shown(computed)}" if formula else shown(computed)
    if not isinstance(stated, Decimal):
        tail = f"; the agreement's {what} is {blank_text(stated)}" if isinstance(stated, Blank) else ""
        return Derived(label, head + tail, "derived", computed, None, None, currency, path)
    status = compare(computed, stated)
    if status == "exact":
        return Derived(label, f"{head}, matching the stated {what}", status, computed, stated,
                       Decimal(0), currency, path)
    difference = computed - stated
    where = "within" if status == "rounding" else "beyond"
    text = (f"{head}; the agreement states {shown(stated)}: a difference of "
            f"{shown(abs(difference))}, {where} the rounding of a figure stated in "
            f"{_precision_words(stated)}")
    return Derived(label, text, status, computed, stated, difference, currency, path)


# Allocations ------------------------------------------------------------------------------


def _periods(lines: Sequence[Allocation]) -> list[date | None]:
    dates = sorted({line.effective_on for line in lines if line.effective_on is not None})
    return [None, *dates] if any(line.effective_on is None for line in lines) or not dates \
        else list(dates)


def _in_effect(lines: Sequence[Allocation], on: date | None) -> list[Allocation]:
    """Each party's lines in effect from `on` (None: from the start): those of its latest
    effective date not after `on`. A step-up line replaces the party's earlier line."""
    def applies(line: Allocation) -> bool:
        return line.effective_on is None or (on is not None and line.effective_on <= on)

    latest: dict[str, date] = {}
    for line in filter(applies, lines):
        when = line.effective_on or date.min
        latest[line.party] = max(when, latest.get(line.party, date.min))
    return [line for line in filter(applies, lines)
            if (line.effective_on or date.min) == latest[line.party]]


def allocation_totals(lines: Sequence[Allocation], stated_amount: Decimal | Blank | None,
                      stated_quantity: int | Blank | None, currency: str, what: str,
                      path: Path_) -> list[Derived]:
    """The schedule's totals (amounts in `currency`, and quantities), one per effective date.

    With step-ups the stated total is one period's: it is compared with the period it is
    closest to (an error names that one); the other periods' totals are shown, uncompared."""
    out: list[Derived] = []
    for unit in ("amount", "quantity"):
        stated = stated_amount if unit == "amount" else stated_quantity
        money = currency if unit == "amount" else None
        # A total of shares is compared with the stated number of shares, not the price.
        named = what if unit == "amount" else "number of shares"
        periods: list[tuple[str, str, Decimal | None]] = []  # label, count, total
        for on in _periods(lines):
            current = [line for line in _in_effect(lines, on) if getattr(line, unit) is not None]
            if not current:
                continue
            values = [getattr(line, unit) for line in current]
            count = f"{len(current)} line{'s' * (len(current) != 1)}"
            known = [Decimal(v) for v in values if not isinstance(v, Blank)]
            total = sum(known, Decimal(0)) if len(known) == len(values) else None
            periods.append(("Total of the schedule" + (f" from {_day(on)}" if on else ""),
                            count if total is not None else
                            f"{len(values) - len(known)} of {count}", total))
        totals = [t for _, _, t in periods if t is not None]
        closest = None
        if isinstance(stated, int | Decimal) and totals:
            target = Decimal(stated)
            ranks = ("exact", "rounding", "beyond")
            closest = min(totals, key=lambda t: (ranks.index(compare(t, target)), abs(t - target)))
        for label, count, total in periods:
            if total is None:
                out.append(Derived(label, f"not computed: {count} not stated or redacted",
                                   "incomplete", currency=money))
            elif closest is not None and total is not closest:
                out.append(checked(label, count, total, None, money, named, path))
            else:
                shown = Decimal(stated) if isinstance(stated, int) else stated
                out.append(checked(label, count, total, shown, money, named, path))
    return out


# Rates and interest -----------------------------------------------------------------------


def rate_text(rate: Rate) -> str:
    """A rate as the agreement builds it: "7%" or "SOFR + 2.50%, floor 1%"."""
    if isinstance(rate.fixed, str):  # a blank: "fixed, rate not stated", not "not stated fixed"
        text = "fixed, rate " + _percent(rate.fixed)
    elif rate.fixed is not None:
        text = _percent(rate.fixed) + " fixed"
    else:
        margin = ("a margin " + _percent(rate.margin)) if isinstance(rate.margin, str) \
            else _percent(rate.margin) if rate.margin is not None else None
        text = f"{rate.base}" + (f" + {margin}" if margin is not None else "")
        if rate.floor is not None:
            text += f", floor {rate.floor}%"
        if rate.cap is not None:
            text += f", cap {rate.cap}%"
    if rate.default_increase is not None:
        text += f"; +{rate.default_increase}% during an event of default"
    return text


def add_months(day: date, months: int) -> date:
    """The same day `months` later; a day the month lacks falls back to its last day."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _year_fraction(day_count: str, start: date, end: date) -> tuple[Decimal, str]:
    days = (end - start).days
    if day_count == "actual/360":
        return Decimal(days) / 360, f"{days} days / 360"
    if day_count == "actual/365":
        return Decimal(days) / 365, f"{days} days / 365"
    # actual/actual (ISDA): the days in each calendar year over that year's length.
    fraction, parts, at = Decimal(0), [], start
    while at < end:
        stop = min(end, date(at.year + 1, 1, 1))
        length = 366 if calendar.isleap(at.year) else 365
        fraction += Decimal((stop - at).days) / length
        parts.append(f"{(stop - at).days}/{length}")
        at = stop
    return fraction, " + ".join(parts) + " (actual/actual)"


def interest(principal: Decimal | Blank | None, rate: Rate | None, currency: str,
             label: str = "Interest per period") -> Derived | None:
    """Interest for one period at a fixed rate, under the rate's day count; a floating rate
    is shown as its formula, with no figure."""
    if rate is None:
        return None
    if rate.base is not None:
        extra = f"; {rate.day_count}" if rate.day_count else ""
        return Derived("Interest", f"{rate_text(rate)}{extra}: floating, so no figure is computed "
                       f"(it depends on {rate.base} at each period)", "formula", currency=currency)
    if not isinstance(principal, Decimal) or not isinstance(rate.fixed, Decimal):
        missing = "the rate" if not isinstance(rate.fixed, Decimal) else "the principal"
        return Derived(label, f"not computed: {missing} is not stated", "incomplete", currency=currency)
    every = rate.payment_dates.every if rate.payment_dates else None
    base = f"{format_money(principal, currency)} × {rate.fixed}%"
    if rate.day_count is None:
        value = principal * rate.fixed / 100
        shown, exact = _in_money(value, places(principal), currency)
        return Derived("Interest per year", f"{base} = {'' if exact else '≈ '}"
                       f"{format_money(shown, currency)} a year at the nominal rate (the agreement "
                       "states no day count, so no period's interest is computed)", "derived",
                       shown, currency=currency)
    if rate.day_count == "30/360":
        months = _MONTHS[every] if every else 12
        fraction, how = Decimal(months * 30) / 360, f"{months * 30}/360 (30/360: months of 30 " \
            "days, a year of 360)"
        period = _PERIOD_NAMES[every] if every else "a year"
    elif rate.payment_dates is not None and every is not None:
        start = rate.payment_dates.first
        end = add_months(start, _MONTHS[every])
        fraction, how = _year_fraction(rate.day_count, start, end)
        if rate.day_count != "actual/actual":
            how += f" ({rate.day_count})"
        period = f"the period from {_day(start)} to {_day(end)}"
    else:
        start, end = date(2001, 1, 1), date(2002, 1, 1)  # a 365-day year, named as such
        fraction, _ = _year_fraction(rate.day_count, start, end)
        how = f"365 days ({rate.day_count})"
        period = "a year of 365 days (no payment dates are stated)"
    value = principal * rate.fixed / 100 * fraction
    shown, exact = _in_money(value, places(principal), currency)
    return Derived(label, f"{base} × {how} = {'' if exact else '≈ '}{format_money(shown, currency)} "
                   f"for {period}", "derived", shown, currency=currency)


# Instruments ------------------------------------------------------------------------------


def currency_of(instrument: AnyInstrument, deal: Deal) -> str:
    return instrument.currency or deal.currency


def stated_amount(instrument: AnyInstrument) -> tuple[Decimal | Blank | None, str]:
    """The instrument's amount as stated, and the field that states it."""
    if isinstance(instrument, SharesInstrument):
        return instrument.aggregate_price, "aggregate_price"
    if isinstance(instrument, NoteInstrument):
        return instrument.principal, "principal"
    if isinstance(instrument, FacilityInstrument):
        return instrument.commitment, "commitment"
    if isinstance(instrument, SafeInstrument):
        return instrument.purchase_amount, "purchase_amount"
    return None, ""


def amount_of(instrument: AnyInstrument) -> Decimal | Blank | None:
    """The instrument's amount: as stated, else (shares) quantity x price, which is exact."""
    amount, _ = stated_amount(instrument)
    if amount is None and isinstance(instrument, SharesInstrument) and \
            isinstance(instrument.quantity, int) and isinstance(instrument.price_per_share, Decimal):
        return instrument.quantity * instrument.price_per_share
    return amount


def _shares_terms(at: Path_, i: SharesInstrument, currency: str) -> list[Derived]:
    out: list[Derived] = []
    if isinstance(i.quantity, int) and isinstance(i.price_per_share, Decimal):
        out.append(checked("Aggregate price", f"{i.quantity:,} × {format_money(i.price_per_share, currency)}",
                           i.quantity * i.price_per_share, i.aggregate_price, currency, "aggregate",
                           (*at, "aggregate_price")))
    conversion = i.conversion
    if conversion is not None and isinstance(i.quantity, int):
        if conversion.shares_per_unit is not None:
            value, exact = _quotient(i.quantity * conversion.shares_per_unit)
            out.append(Derived("Shares on conversion", f"{i.quantity:,} × {conversion.shares_per_unit}"
                               f" = {'' if exact else '≈ '}{_shares(value)} of {conversion.into}",
                               "derived", value))
        elif isinstance(conversion.price, Decimal) and conversion.price > 0 and \
                isinstance(i.stated_value, Decimal):
            value, exact = _quotient(i.quantity * i.stated_value / conversion.price)
            out.append(Derived("Shares on conversion", f"{i.quantity:,} × "
                               f"{format_money(i.stated_value, currency)} stated value ÷ "
                               f"{format_money(conversion.price, currency)} = "
                               f"{'' if exact else '≈ '}{_shares(value)} of {conversion.into}",
                               "derived", value))
    return out


def _note_terms(i: NoteInstrument, currency: str) -> list[Derived]:
    out: list[Derived] = []
    principal = i.principal
    if isinstance(principal, Decimal) and isinstance(i.issue_price, Decimal):
        value, exact = _in_money(principal * i.issue_price / 100, places(principal), currency)
        out.append(Derived("Issue price in money", f"{i.issue_price}% of "
                           f"{format_money(principal, currency)} = {'' if exact else '≈ '}"
                           f"{format_money(value, currency)}", "derived", value, currency=currency))
    found = interest(principal, i.interest, currency)
    if found is not None:
        out.append(found)
    conversion = i.conversion
    if conversion is not None and isinstance(principal, Decimal):
        text = ""
        if isinstance(conversion.price, Decimal) and conversion.price > 0:
            value, exact = _quotient(principal / conversion.price)
            text = f"{format_money(principal, currency)} ÷ {format_money(conversion.price, currency)}"
        elif conversion.shares_per_unit is not None and conversion.per_principal:
            value, exact = _quotient(principal / conversion.per_principal * conversion.shares_per_unit)
            text = (f"{format_money(principal, currency)} ÷ "
                    f"{format_money(conversion.per_principal, currency)} × {conversion.shares_per_unit}")
        if text:
            cap = f"; a holder's ownership is capped at {conversion.ownership_cap}%" \
                if conversion.ownership_cap is not None else ""
            out.append(Derived("Shares on conversion", f"{text} = {'' if exact else '≈ '}"
                               f"{_shares(value)} of {conversion.into}{cap}", "derived", value))
    return out


def _warrant_terms(i: WarrantInstrument, currency: str) -> list[Derived]:
    if isinstance(i.shares, int) and isinstance(i.exercise_price, Decimal):
        value = i.shares * i.exercise_price
        shown, exact = _in_money(value, 0, currency)  # whole when whole, as stated amounts are
        return [Derived("Proceeds if exercised in full", f"{i.shares:,} × "
                        f"{format_money(i.exercise_price, currency)} = {'' if exact else '≈ '}"
                        f"{format_money(shown, currency)}", "derived", shown, currency=currency)]
    return []


def _tranche_terms(at: Path_, tranche: Tranche, currency: str) -> TrancheTerms:
    mine = tranche.currency or currency
    derived: list[Derived] = []
    found = interest(tranche.amount, tranche.interest, mine, "Interest per period, if fully drawn")
    if found is not None:
        derived.append(found)
    return TrancheTerms(tranche.id, mine, derived,
                        allocation_totals(tranche.allocations, tranche.amount, None, mine, "amount",
                                          (*at, "amount")))


def _facility_terms(at: Path_, i: FacilityInstrument,
                    currency: str) -> tuple[list[Derived], list[TrancheTerms]]:
    out: list[Derived] = []
    tranches = [_tranche_terms((*at, "tranches", n), t, currency) for n, t in enumerate(i.tranches)]
    by_currency: dict[str, list[Decimal | Blank]] = {}
    for tranche, terms in zip(i.tranches, tranches, strict=True):
        by_currency.setdefault(terms.currency, []).append(tranche.amount)
    for code, amounts in by_currency.items():
        label = "Total of the tranches" + (f" in {code}" if len(by_currency) > 1 else "")
        count = f"{len(amounts)} tranche{'s' * (len(amounts) != 1)}"
        if any(isinstance(a, Blank) for a in amounts):
            out.append(Derived(label, f"not computed: an amount of the {count} is not stated",
                               "incomplete", currency=code))
            continue
        total = sum((a for a in amounts if isinstance(a, Decimal)), Decimal(0))
        if len(by_currency) == 1 and code == currency:
            out.append(checked(label, count, total, i.commitment, code, "commitment",
                               (*at, "commitment")))
        else:  # tranches in other currencies: per currency, never added to the commitment
            out.append(Derived(label, f"{count}: {format_money(total, code)} (not compared with the "
                               "commitment: the tranches are in more than one currency)", "derived",
                               total, currency=code))
    found = interest(i.commitment, i.interest, currency, "Interest per period, if fully drawn")
    if found is not None:
        out.append(found)
    return out, tranches


def instrument_terms(at: Path_, instrument: AnyInstrument, deal: Deal) -> InstrumentTerms:
    currency = currency_of(instrument, deal)
    tranches: list[TrancheTerms] = []
    derived: list[Derived] = []
    if isinstance(instrument, SharesInstrument):
        derived = _shares_terms(at, instrument, currency)
    elif isinstance(instrument, NoteInstrument):
        derived = _note_terms(instrument, currency)
    elif isinstance(instrument, WarrantInstrument):
        derived = _warrant_terms(instrument, currency)
    elif isinstance(instrument, FacilityInstrument):
        derived, tranches = _facility_terms(at, instrument, currency)
    amount, name = stated_amount(instrument)
    quantity = instrument.quantity if isinstance(instrument, SharesInstrument) else \
        instrument.shares if isinstance(instrument, WarrantInstrument) else None
    what = name.replace("_", " ") or "total"
    allocations = allocation_totals(instrument.allocations, amount, quantity, currency, what,
                                    (*at, name) if name else at)
    return InstrumentTerms(instrument.id, currency, amount_of(instrument), derived, allocations,
                           tranches)


# Fees -------------------------------------------------------------------------------------


def fee_terms(at: Path_, fee: Fee, deal: Deal, instruments: dict[str, AnyInstrument]) -> FeeTerms:
    base = instruments.get(fee.of) if fee.of else None
    base_currency = currency_of(base, deal) if base is not None else None
    currency = fee.currency or base_currency or deal.currency
    derived: list[Derived] = []
    money: Decimal | None = fee.amount if isinstance(fee.amount, Decimal) else None
    if fee.percent is not None:
        base_amount = amount_of(base) if base is not None else None
        of = f"the {base.title}" if base is not None else (fee.of_text or "its base")
        if isinstance(fee.percent, Blank):
            derived.append(Derived("Fee in money", f"not computed: the percentage is "
                                   f"{blank_text(fee.percent)}", "incomplete", currency=currency))
        elif not isinstance(base_amount, Decimal) or base_currency is None:
            why = "is " + blank_text(base_amount) if isinstance(base_amount, Blank) else \
                "has no amount in the record"
            derived.append(Derived("Fee in money", f"{fee.percent}% of {of}: not computed ({of} "
                                   f"{why})", "incomplete", currency=currency))
        else:
            value = base_amount * fee.percent / 100
            formula = f"{fee.percent}% of {format_money(base_amount, base_currency)}"
            cap = fee.cap if isinstance(fee.cap, Decimal) else None
            if cap is not None and (fee.currency or base_currency) == base_currency and value > cap:
                uncapped = at_precision(value, places(cap), minor_units(base_currency))
                formula = f"the lesser of {formula} ({format_money(uncapped, base_currency)}) and " \
                    f"the cap, {format_money(cap, base_currency)}"
                value = cap
            elif cap is not None and (fee.currency or base_currency) != base_currency:
                formula += f" (the cap is in {fee.currency}: not applied to an amount in {base_currency})"
            if fee.currency is not None and fee.currency != base_currency:
                shown, exact = _in_money(value, places(base_amount), base_currency)
                derived.append(Derived("Fee in money", f"{formula} = {'' if exact else '≈ '}"
                                       f"{format_money(shown, base_currency)}, payable in "
                                       f"{fee.currency} at a rate the record does not give",
                                       "derived", shown, currency=base_currency))
                currency = base_currency
            else:
                found = checked("Fee in money", formula, value, fee.amount, base_currency, "amount",
                                (*at, "amount"))
                derived.append(found)
                money = fee.amount if isinstance(fee.amount, Decimal) else found.computed
                currency = base_currency
    elif money is None and isinstance(fee.cap, Decimal):
        derived.append(Derived("Fee in money", f"up to {format_money(fee.cap, currency)} (the cap; "
                               "the amount is what is incurred)", "derived", currency=currency))
    return FeeTerms(fee.id, currency, money, derived)


# Headline ---------------------------------------------------------------------------------

_NOUNS = {"common shares": "common shares", "preferred shares": "preferred shares",
          "note": "notes", "convertible note": "convertible notes", "term loan": "term loan",
          "revolving credit": "revolving credit facility", "shelf facility": "shelf facility",
          "receivables purchase": "receivables purchase facility", "SAFE": "SAFE",
          "warrant": "warrant", "option": "option"}
_BY_AMOUNT = ("common shares", "preferred shares", "note", "convertible note")  # "$X of notes"


def headline_text(kind: str, amount: Decimal | Blank | None, currency: str,
                  shares: int | Blank | None = None) -> str:
    noun = "shares" if kind == "shares" else _NOUNS[kind]
    if kind in ("warrant", "option"):
        count = f" for {_shares(shares)}" if isinstance(shares, int) else ""
        return f"a{'n' * (kind == 'option')} {noun}{count}"
    if isinstance(amount, Decimal):
        figure = format_money(amount, currency)
        return f"{figure} of {noun}" if kind in (*_BY_AMOUNT, "shares") else f"a {figure} {noun}"
    blank = blank_text(amount) if isinstance(amount, Blank) else "not stated"
    article = "" if kind in (*_BY_AMOUNT, "shares") else "a "
    return f"{article}{noun}, {currency}, amount {blank}"


def headline(deal: Deal) -> Headline | None:
    """`deal.headline` if it names one; else the largest amount in the deal's currency (shares
    issued for no cash do not count); else the first instrument with an amount, or the first."""
    candidates: list[tuple[str, str, Decimal | Blank | None, str, int | Blank | None]] = []
    if deal.shares is not None:
        candidates.append(("shares", "shares", deal.shares.aggregate_price, deal.currency, None))
    for i in deal.instruments:
        if isinstance(i, SharesInstrument) and i.for_no_cash:
            continue
        quantity = i.shares if isinstance(i, WarrantInstrument) else None
        candidates.append((i.id, i.kind, amount_of(i), currency_of(i, deal), quantity))
    if deal.headline is not None:
        chosen = [c for c in candidates if c[0] == deal.headline]
        named = next((i for i in deal.instruments if i.id == deal.headline), None)
        if not chosen and named is not None:  # named explicitly, even shares for no cash
            chosen = [(named.id, named.kind, amount_of(named), currency_of(named, deal), None)]
    else:
        amounts = {c[0]: c[2] for c in candidates if isinstance(c[2], Decimal)}
        in_currency = [c for c in candidates if c[0] in amounts and c[3] == deal.currency]
        chosen = [max(in_currency, key=lambda c: amounts[c[0]])] if in_currency else \
            [c for c in candidates if isinstance(c[2], Decimal)][:1] or candidates[:1]
    if not chosen:
        return None
    ident, kind, amount, currency, quantity = chosen[0]
    return Headline(ident, amount, currency, headline_text(kind, amount, currency, quantity))


# The deal ---------------------------------------------------------------------------------


def legacy_shares(deal: Deal) -> Derived | None:
    sale = deal.shares
    if sale is None:
        return None
    return checked("Check", f"{sale.quantity:,} × {format_money(sale.price_per_share, deal.currency)}",
                   sale.quantity * sale.price_per_share, sale.aggregate_price, deal.currency,
                   "aggregate", ("shares", "aggregate_price"))


def economics(deal: Deal) -> Economics:
    """Every derived figure of the deal's instruments and fees, and its headline."""
    instruments = [instrument_terms(("instruments", n), i, deal) for n, i in enumerate(deal.instruments)]
    by_id: dict[str, AnyInstrument] = {i.id: i for i in deal.instruments}
    fees = [fee_terms(("fees", n), f, deal, by_id) for n, f in enumerate(deal.fees)]
    totals: dict[str, Decimal] = {}
    for fee in fees:
        if fee.money is not None:
            totals[fee.currency] = totals.get(fee.currency, Decimal(0)) + fee.money
    return Economics(legacy_shares(deal), instruments, fees, dict(sorted(totals.items())),
                     headline(deal))


def _all_derived(found: Economics) -> Iterable[Derived]:
    if found.shares is not None:
        yield found.shares
    for terms in found.instruments:
        yield from terms.derived
        yield from terms.allocations
        for tranche in terms.tranches:
            yield from tranche.derived
            yield from tranche.allocations
    for fee in found.fees:
        yield from fee.derived


def _refusal(item: Derived) -> tuple[Path_, str, str]:
    assert item.stated is not None and item.computed is not None and item.difference is not None

    def shown(value: Decimal) -> str:
        return f"{value:,}"

    field_words = str(item.path[-1]).replace("_", " ") if item.path else "stated figure"
    if item.label.startswith("Total of the schedule"):
        message = (f"{field_words} {shown(item.stated)} does not equal the total of the schedule "
                   f"(`allocations`), {shown(item.computed)}")
        fix = "correct a line of `allocations` or the stated total, as the agreement's schedule says"
    elif item.label.startswith("Total of the tranches"):
        message = f"commitment {shown(item.stated)} does not equal the total of the tranches, " \
            f"{shown(item.computed)}"
        fix = "correct a tranche's `amount` or the `commitment`, as the agreement states them"
    elif item.label == "Fee in money":
        message = f"fee amount {shown(item.stated)} does not equal the percentage of its base, " \
            f"{shown(item.computed)}"
        fix = "correct the `amount`, the `percent` or the base instrument's amount"
    else:
        message = f"{field_words} {shown(item.stated)} does not equal {item.text.split(' = ')[0]} " \
            f"= {shown(item.computed)}"
        fix = "correct the quantity, the price or the aggregate to match the agreement"
    message += (f": the difference {shown(abs(item.difference))} is more than the rounding of a "
                f"figure stated in {_precision_words(item.stated)}")
    return item.path, message, fix


def refusals(deal: Deal, include_shares: bool = False) -> list[tuple[Path_, str, str]]:
    """(path, message, fix) of every stated figure its computed one differs from by more than
    the rounding of the stated precision. The legacy share sale is checked by validate's own
    message unless `include_shares`."""
    found = economics(deal)
    if not include_shares:
        found = Economics(None, found.instruments, found.fees, found.fee_totals, found.headline)
    return [_refusal(item) for item in _all_derived(found) if item.status == "beyond"]


# Template filters -------------------------------------------------------------------------
# Values on pages are masked views: a blank arrives as text ("not stated", "redacted").


def _blank_or(value: object) -> str | None:
    if isinstance(value, str):
        return "redacted in the filing" if value == Blank.REDACTED.value else "not stated"
    return None


def stated_money(value: object, currency: str) -> str:
    """An amount that may be blank: `$75,000,000`, or "not stated"."""
    if value is None:
        return ""
    blank = _blank_or(value)
    return blank if blank is not None else format_money(Decimal(str(value)), currency)


def stated_count(value: object) -> str:
    blank = _blank_or(value)
    return blank if blank is not None else "" if value is None else f"{value:,}"


def stated_percent(value: object) -> str:
    blank = _blank_or(value)
    return blank if blank is not None else "" if value is None else f"{value}%"


def stated_date(value: object) -> str:
    blank = _blank_or(value)
    if blank is not None or not isinstance(value, date):
        return blank or ""
    return _day(value)


def rate_filter(rate: object) -> str:
    """A masked `Rate` (its fields as attributes) as its formula."""
    return rate_text(rate) if rate is not None else ""  # type: ignore[arg-type]  # duck-typed view


FILTERS = {"stated_money": stated_money, "stated_count": stated_count,
           "stated_percent": stated_percent, "stated_date": stated_date, "rate": rate_filter}
