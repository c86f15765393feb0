"""Validate stage, part one: the typed shape of a deal record.

Field names are the deal's own vocabulary. Every model forbids unknown keys, so a typo is an
error rather than a silently ignored field.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dealroom.types import (
    AccountNumber,
    Amount,
    Count,
    Currency,
    ExhibitId,
    Flag,
    IsoDate,
    MaybeAbaNumber,
    MaybeAccountNumber,
    MaybeAmount,
    MaybeBic,
    MaybeDate,
    MaybeDtcNumber,
    MaybeIban,
    MaybeName,
    MaybePercent,
    MaybeQuantity,
    MaybeSortCode,
    Name,
    Percent,
    Quantity,
    SecFileNumber,
    Slug,
    Text,
    TimeZone,
    Years,
)

DealStatus = Literal["draft", "negotiating", "signed", "funded", "closed", "terminated"]
ObligationStatus = Literal["open", "done", "waived"]
DealKind = Literal["share purchase", "PIPE", "private placement", "registered direct", "equity line",
                   "note purchase", "convertible note", "loan", "credit facility",
                   "receivables purchase", "offering", "conversion", "exchange", "SAFE", "other"]
DayCount = Literal["30/360", "actual/360", "actual/365", "actual/actual"]
DayKind = Literal["calendar", "business", "trading"]
Frequency = Literal["monthly", "quarterly", "semiannually", "annually"]


class Record(BaseModel):
    # Attribute docstrings become the schema's descriptions: an editor's hover explains a field.
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Provision(Record):
    """A provision of the agreement worth showing as written."""

    title: Name
    """The provision's heading, e.g. "Governing law"."""
    text: Text
    """Its text, as the agreement words it."""


class Agreement(Record):
    """The agreement the record is about."""

    title: Name
    """The agreement's title, e.g. "Securities Purchase Agreement"."""
    filing_exhibit: Name | None = None
    """How it was filed, e.g. "Exhibit 10.1"."""
    date: MaybeDate
    """The date the agreement is made as of; `not stated` for an undated form."""
    governing_law: Name
    """The law the agreement chooses, e.g. "State of California"."""
    provisions: list[Provision] = []
    """Provisions worth showing: counterparts, facsimile signatures, governing law."""


class Contact(Record):
    """A person to reach at a party, beyond its notice address."""

    name: Name
    """The person's name."""
    title: Name | None = None
    """Their title or position."""
    phone: Name | None = None
    """Their telephone number."""
    email: Name | None = None
    """Their e-mail address."""
    fax: Name | None = None
    """Their facsimile number."""
    notes: Text | None = None
    """Free-text notes."""


class CopyTo(Record):
    """Whoever gets a copy of notices to a party (its counsel, usually): "with a copy to"."""

    name: Name
    """The firm or person, e.g. "Kelley Drye & Warren LLP"."""
    attention: Name | None = None
    """The person to the attention of."""
    address: list[Name] = []
    """Address lines."""
    phone: Name | None = None
    """Telephone number."""
    fax: Name | None = None
    """Facsimile number."""
    email: Name | None = None
    """E-mail address."""


class Notices(Record):
    """Where and to whom notices to a party are sent."""

    attention: Name | None = None
    """The person notices are to the attention of."""
    attention_title: Name | None = None
    """That person's title."""
    address: list[Name] = Field(min_length=1)
    """Address lines (at least one)."""
    fax: Name | None = None
    """Facsimile number."""
    phone: Name | None = None
    """Telephone number."""
    email: Name | None = None
    """E-mail address."""
    copies: list[CopyTo] = []
    """Copies of every notice go to these (counsel, an agent)."""


class SigningEntity(Record):
    """An entity that signs for a party: "Omicron Capital, L.P., Its Subadvisor"."""

    entity: Name
    """The entity's name."""
    capacity: Name
    """The capacity it signs in, e.g. "Its General Partner"."""


class Signature(Record):
    """A party's signature block."""

    through: list[SigningEntity] = []  # the chain of entities that sign for the party, outermost first
    """The entities that sign for the party, outermost first (subadvisor, general partner...)."""
    conformed_signature: Name | None = None  # e.g. "/s/ Samuel Gulko" on a filed copy
    """The signature as on a filed copy, e.g. "/s/ Samuel Gulko"."""
    name: Name
    """The individual who signs."""
    title: Name | None = None
    """Their title."""


class Party(Record):
    """A party to the agreement, or another party it names (agent, trustee, escrow agent)."""

    id: Slug
    """The id other fields use to name the party, e.g. `issuer: company`."""
    name: Name
    """The legal name."""
    role: Name  # the defined term, e.g. "Purchaser"
    """The agreement's defined term for the party, e.g. "Company", "Purchaser"."""
    entity_type: Name | None = None
    """What the party is: "corporation", "limited partnership", "national banking association"."""
    jurisdiction: Name | None = None
    """Where it is organized: "Delaware", "Ontario", "England and Wales"."""
    contacts: list[Contact] = []
    """People to reach at the party, besides the notice address."""
    notices: Notices | None = None
    """The address for notices."""
    signature: Signature | None = None
    """The signature block."""
    notes: Text | None = None
    """Free-text notes."""


class Group(Record):
    """Several parties named together, as the agreement does ("the Purchasers", "the Lenders"):
    an obligation owed to or by a group is owed to or by each of its members."""

    id: Slug
    """The id obligations, fees and closings use to name the group; not a party's id."""
    name: Name
    """The agreement's defined term for the group, e.g. "Purchasers"."""
    members: list[Slug] = Field(min_length=1)
    """The ids of the parties in the group."""


class Allocation(Record):
    """One party's share of an instrument: a line of a schedule of buyers or lenders."""

    party: Slug
    """The purchaser's or lender's id."""
    amount: MaybeAmount | None = None
    """Its amount of money (principal, commitment, purchase price)."""
    quantity: MaybeQuantity | None = None
    """Its number of shares or units."""
    effective_on: IsoDate | None = None
    """For a commitment that changes on a date: the date this line takes effect."""
    notes: Text | None = None
    """Free-text notes."""

    @model_validator(mode="after")
    def _amount_or_quantity(self) -> Allocation:
        if self.amount is None and self.quantity is None:
            raise ValueError("an allocation needs an `amount` or a `quantity` (fix: write the "
                             "party's figure from the schedule, or `not stated`)")
        return self


class Recurrence(Record):
    """Dates that repeat: "on the first day of each month", "quarterly until maturity"."""

    every: Frequency
    """How often."""
    first: IsoDate
    """The first date of the series."""
    until: IsoDate | None = None
    """The last possible date; absent means until the instrument's maturity (or open-ended)."""
    day_kind: Literal["calendar", "business"] = "calendar"
    """`business`: a date that falls on a weekend or holiday moves to the next business day."""


class After(Record):
    """A date counted from another: "within 20 days after the Closing", "on the second Trading
    Day after the Closing Date"."""

    event: Slug
    """What the count starts from: `agreement` (its date), or the id of a closing, an
    obligation or an event of this record."""
    days: Count = Field(ge=0, le=3660)
    """How many days after the start (0 to 3660)."""
    day_kind: DayKind = "calendar"
    """`calendar` days, `business` days or `trading` days."""
    calendar: Name | None = None
    """The holiday calendar for business or trading days (NYSE, XTSE, XLON, ECB...); absent
    means the deal's `holiday_calendar`."""
    before: Flag = False
    """`true` counts back: "at least one Business Day before the Closing Date"."""


class DueRule(Record):
    """When something happens: exactly one of a date, a count from another date, a series of
    dates, or an event that has no date."""

    due: MaybeDate | None = None
    """A fixed date, or `not stated`."""
    due_time: Name | None = None
    """The time of day it is due, e.g. "5:00 p.m." or "close of business"."""
    due_after: After | None = None
    """A count of days after another date: a closing, an obligation, an event or the agreement."""
    due_every: Recurrence | None = None
    """A series of dates: monthly, quarterly... from a first date."""
    due_upon: Text | None = None
    """An event with no date of its own: "upon the effectiveness of the registration statement"."""
    due_next_business_day_after: Slug | None = None  # another obligation's id
    """Another obligation's id: due the next business day after it."""

    @model_validator(mode="after")
    def _one_due_rule(self) -> DueRule:
        given = [name for name in ("due", "due_after", "due_every", "due_upon",
                                   "due_next_business_day_after") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of `due` (a date), `due_after` (a count of days "
                             "after another date), `due_every` (a series), `due_upon` (an event "
                             "with no date) or `due_next_business_day_after` (an obligation's id)"
                             + (f"; found {', '.join(given)}" if given else ""))
        return self


class Rate(Record):
    """An interest or dividend rate: fixed, or floating as a base rate plus a margin."""

    fixed: MaybePercent | None = None
    """A fixed annual rate, e.g. 7%."""
    base: Name | None = None
    """A floating rate's base: "SOFR", "Eurocurrency Rate", "Prime Rate"."""
    margin: MaybePercent | None = None
    """Added to the base rate."""
    floor: Percent | None = None
    """The lowest the whole rate (or the base, as the notes say) may be."""
    cap: Percent | None = None
    """The highest the rate may be."""
    default_increase: Percent | None = None
    """Added while an event of default continues."""
    day_count: DayCount | None = None
    """The day count convention interest is computed on, e.g. 30/360."""
    payment_dates: Recurrence | None = None
    """When interest is paid."""
    notes: Text | None = None
    """Free-text notes."""

    @model_validator(mode="after")
    def _fixed_or_floating(self) -> Rate:
        if (self.fixed is None) == (self.base is None):
            raise ValueError("give either `fixed` (a rate such as 7%) or `base` (a floating "
                             "rate's base, with its `margin`)")
        if self.fixed is not None and (self.margin is not None or self.floor is not None):
            raise ValueError("a fixed rate has no `margin` or `floor` (fix: write `base` for a "
                             "floating rate)")
        return self


class Conversion(Record):
    """How an instrument converts into another security."""

    into: Name
    """The security received, e.g. "Common Stock"."""
    price: MaybeAmount | None = None
    """The conversion price per share."""
    price_formula: Text | None = None
    """When the price is a formula: as the agreement words it."""
    shares_per_unit: Amount | None = None
    """Shares received for each share or each `per_principal` of principal."""
    per_principal: Amount | None = None
    """For a conversion rate per principal amount, e.g. 1000 for "per $1,000 principal"."""
    ownership_cap: Percent | None = None
    """A beneficial ownership limitation, e.g. 4.99%."""
    at_option_of: Name | None = None
    """Who may convert, e.g. "holder", or "automatic"."""
    notes: Text | None = None
    """Free-text notes."""


class Premium(Record):
    """One step of a prepayment premium: "3% if prepaid in the first year"."""

    period: Name
    """When the premium applies, e.g. "before the first anniversary"."""
    percent: Percent
    """The premium, a percentage of the principal prepaid."""


class Redemption(Record):
    """Redemption and prepayment terms."""

    optional: Text | None = None
    """When the issuer or borrower may redeem or prepay, as worded."""
    price: MaybePercent | None = None
    """The redemption price as a percentage of principal."""
    make_whole: Text | None = None
    """The make-whole amount or yield-maintenance formula, as worded."""
    premiums: list[Premium] = []
    """A prepayment premium that steps down over time, one step a line."""
    mandatory: Text | None = None
    """Mandatory redemption or prepayment events, as worded."""


class Tranche(Record):
    """A part of a loan or note facility with its own amount and draw period."""

    id: Slug
    """The tranche's id, unique within its instrument."""
    title: Name
    """The tranche as the agreement names it, e.g. "Tranche A Term Loan"."""
    amount: MaybeAmount
    """Its stated amount (commitment or principal)."""
    currency: Currency | None = None
    """Absent: the instrument's currency."""
    draw_from: MaybeDate | None = None
    """The first day it may be drawn."""
    draw_until: MaybeDate | None = None
    """The last day it may be drawn."""
    draw_condition: Text | None = None
    """What must happen before it can be drawn, as worded."""
    allocations: list[Allocation] = []
    """Each lender's part of this tranche."""
    interest: Rate | None = None
    """Its interest rate, when it differs from the instrument's."""
    notes: Text | None = None
    """Free-text notes."""


class InstrumentBase(Record):
    """What every instrument has."""

    id: Slug
    """The id closings, fees and `headline` use to name the instrument."""
    title: Name
    """The security or facility as the agreement names it."""
    defined_term: Name | None = None
    """The agreement's defined term for it, e.g. "Notes"."""
    currency: Currency | None = None
    """Absent: the deal's currency."""
    allocations: list[Allocation] = []
    """The schedule of purchasers, holders or lenders, each with its amount or quantity."""
    notes: Text | None = None
    """Free-text notes."""


class SharesInstrument(InstrumentBase):
    """Common or preferred shares sold or issued."""

    kind: Literal["common shares", "preferred shares"]
    """The kind of shares."""
    issuer: Slug
    """The issuer's party id."""
    series: Name | None = None
    """The series, e.g. "Series A Convertible Preferred Stock"."""
    quantity: MaybeQuantity
    """The number of shares."""
    price_per_share: MaybeAmount | None = None
    """The price paid per share."""
    aggregate_price: MaybeAmount | None = None
    """As stated by the agreement; the page shows quantity x price beside it."""
    par_value: Amount | None = None
    """The par value per share."""
    stated_value: MaybeAmount | None = None
    """A preferred share's stated (liquidation) value per share."""
    dividend: Rate | None = None
    """The dividend rate of preferred shares."""
    conversion: Conversion | None = None
    """How the shares convert into another security."""
    for_no_cash: Flag = False
    """Shares issued as a fee or commitment, not sold for cash."""
    issued_for: Name | None = None
    """What shares issued for no cash are issued for: "commitment fee", "exchange of notes"."""


class WarrantInstrument(InstrumentBase):
    """A warrant or option to buy shares (compensation options included)."""

    kind: Literal["warrant", "option"]
    """A warrant, or an option (compensation and broker options included)."""
    issuer: Slug
    """The issuer's party id."""
    security: Name
    """What it is exercisable for, e.g. "Common Shares"."""
    shares: MaybeQuantity
    """The number of shares it may be exercised for."""
    exercise_price: MaybeAmount | None = None
    """The exercise price per share."""
    exercise_price_formula: Text | None = None
    """When the exercise price is a formula: as the agreement words it."""
    expires_on: MaybeDate | None = None
    """The date it expires."""
    term_months: Count | None = Field(default=None, ge=1, le=600)
    """Its term in months, when the agreement gives a term rather than a date."""
    cashless_exercise: Flag | None = None
    """Whether it may be exercised without cash (net exercise)."""
    form_exhibit: ExhibitId | None = None
    """The id of the exhibit holding its form."""


class NoteInstrument(InstrumentBase):
    """Promissory, senior or convertible notes."""

    kind: Literal["note", "convertible note"]
    """A note, or a note convertible into shares."""
    issuer: Slug
    """The issuer's party id."""
    series: Name | None = None
    """The series, e.g. "Series A Senior Notes"."""
    principal: MaybeAmount
    """The stated aggregate principal amount."""
    issue_price: MaybePercent | None = None
    """Price as a percentage of principal, e.g. 100%."""
    interest: Rate | None = None
    """The interest rate."""
    maturity: MaybeDate | None = None
    """The maturity date."""
    ranking: Name | None = None
    """e.g. "senior unsecured"."""
    conversion: Conversion | None = None
    """How a convertible note converts, and at what price."""
    redemption: Redemption | None = None
    """Redemption and prepayment terms."""
    collateral: Text | None = None
    """What secures it, as worded; absent: not stated (write "none" where the agreement says
    it is unsecured)."""
    guarantors: list[Slug] = []
    """The party ids of the guarantors."""
    trustee: Slug | None = None
    """The party id of the trustee or collateral agent."""
    form_exhibit: ExhibitId | None = None
    """The id of the exhibit holding the form of note."""


class FacilityInstrument(InstrumentBase):
    """A loan, credit facility, shelf facility or receivables purchase facility."""

    kind: Literal["term loan", "revolving credit", "shelf facility", "receivables purchase"]
    """The kind of facility."""
    borrowers: list[Slug] = Field(min_length=1)
    """The borrowers, issuers or sellers."""
    agent: Slug | None = None
    """The party id of the administrative agent."""
    commitment: MaybeAmount | None = None
    """The stated total commitment or facility amount; the page checks it against the lenders'."""
    currencies: list[Currency] = []
    """Other currencies it may be drawn in (a multicurrency facility)."""
    tranches: list[Tranche] = []
    """The facility's tranches, each with its amount, draw period and lenders."""
    interest: Rate | None = None
    """The interest rate (a tranche may have its own)."""
    maturity: MaybeDate | None = None
    """The maturity, termination or scheduled termination date."""
    available_until: MaybeDate | None = None
    """The end of the availability or issuance period."""
    redemption: Redemption | None = None
    """Prepayment terms."""
    collateral: Text | None = None
    """What secures it, as worded; absent: not stated (write "none" where the agreement says
    it is unsecured)."""
    guarantors: list[Slug] = []
    """The party ids of the guarantors."""


class SafeInstrument(InstrumentBase):
    """A simple agreement for future equity."""

    kind: Literal["SAFE"]
    """Always `SAFE`."""
    issuer: Slug
    """The company's party id."""
    purchase_amount: MaybeAmount
    """The amount paid for the SAFE."""
    valuation_cap: MaybeAmount | None = None
    """The post-money or pre-money valuation cap."""
    discount: Percent | None = None
    """The discount on the price in the next equity financing, e.g. 20%."""


Instrument = Annotated[SharesInstrument | WarrantInstrument | NoteInstrument | FacilityInstrument
                       | SafeInstrument, Field(discriminator="kind")]


class Fee(Record):
    """A fee: placement agent's, commitment, closing, an expense reimbursement or its cap."""

    id: Slug
    """The fee's id."""
    title: Name
    """The fee as the agreement names it, e.g. "Placement Agent Fee"."""
    payer: Slug
    """The party or group id of who pays it."""
    payee: Slug
    """The party or group id of who receives it."""
    amount: MaybeAmount | None = None
    """A fixed amount of money."""
    percent: MaybePercent | None = None
    """A percentage of `of`."""
    of: Slug | None = None
    """The instrument whose amount (aggregate price, principal, commitment) the percent is of."""
    of_text: Name | None = None
    """When the base is not an instrument: "gross proceeds of the Offering"."""
    cap: MaybeAmount | None = None
    """The most that is paid, e.g. an expense reimbursement cap."""
    currency: Currency | None = None
    """Absent: the deal's currency."""
    paid_in: Literal["cash", "shares", "options", "cash or shares"] = "cash"
    """How it is paid."""
    notes: Text | None = None
    """Free-text notes."""

    @model_validator(mode="after")
    def _amount_or_percent(self) -> Fee:
        if self.amount is None and self.percent is None and self.cap is None:
            raise ValueError("a fee needs an `amount`, a `percent` (of an instrument) or a `cap`")
        return self


class ClosingItem(Record):
    """What is paid or issued at a closing."""

    instrument: Slug
    """The id of the instrument paid for or issued."""
    party: Slug | None = None
    """Who buys or draws it; absent: as the instrument's allocations say."""
    amount: MaybeAmount | None = None
    """The amount paid or drawn at this closing."""
    quantity: MaybeQuantity | None = None
    """The number of shares or units issued at this closing."""


class ScheduledClosing(DueRule):
    """A closing or a tranche's funding: when, where, and what changes hands."""

    id: Slug
    """The closing's id, which obligations, conditions and due dates use."""
    title: Name
    """e.g. "Initial Closing", "Closing of the Series B Notes"."""
    timezone: TimeZone | None = None
    """The IANA time zone of the closing time, e.g. America/New_York."""
    place: Name | None = None
    """Where it takes place, e.g. the offices of counsel, or "remotely"."""
    items: list[ClosingItem] = []
    """What is paid and issued at it."""
    deliverables: list[Text] = []
    """What is delivered at it, as worded (certificates, opinions...)."""
    status: Literal["scheduled", "held", "cancelled"] = "scheduled"
    """Whether it is still to happen, was held, or was cancelled."""
    notes: Text | None = None
    """Free-text notes."""


class RegistrationRights(Record):
    """The purchasers' right to have the issuer register their resale."""

    agreement: Name | None = None
    """The registration rights agreement, if separate."""
    exhibit: ExhibitId | None = None
    """The id of the exhibit holding the registration rights agreement."""
    filing_obligation: Slug | None = None
    """The obligation that says when the registration statement must be filed."""
    effectiveness_obligation: Slug | None = None
    """The obligation that says when the registration statement must be effective."""
    notes: Text | None = None
    """Free-text notes."""


class Intermediary(Record):
    """An intermediary or correspondent bank a payment goes through."""

    bank: MaybeName
    """The intermediary bank's name."""
    bic: MaybeBic | None = None
    """Its BIC (SWIFT code), ISO 9362."""
    aba_number: MaybeAbaNumber | None = None
    """Its ABA routing number; the check digit is verified."""
    account_number: MaybeAccountNumber | None = None
    """The beneficiary bank's account at the intermediary."""


class ShareSale(Record):
    """A sale of shares by one issuer to one purchaser (the simple case)."""

    security: Name
    """The security sold, e.g. "Common Stock"."""
    issuer: Slug
    """The issuer's party id."""
    purchaser: Slug
    """The purchaser's party id."""
    defined_term: Name | None = None
    """The agreement's defined term for the shares, e.g. "Shares"."""
    quantity: Quantity
    """The number of shares."""
    par_value: Amount | None = None
    """The par value per share."""
    price_per_share: Amount
    """The price per share."""
    aggregate_price: Amount
    """The aggregate purchase price; must equal quantity x price per share."""
    notes: Text | None = None
    """Free-text notes."""


class Warrant(Record):
    """A warrant issued with the deal, with a term in years (the simple case)."""

    id: Slug
    """The warrant's id."""
    defined_term: Name | None = None
    """The agreement's defined term, e.g. "Warrant"."""
    security: Name
    """What it is exercisable for, e.g. "Common Stock"."""
    issuer: Slug
    """The issuer's party id."""
    holder: Slug
    """The holder's party id."""
    shares: Quantity
    """The number of shares it may be exercised for."""
    exercise_price: Amount
    """The exercise price per share."""
    term_years: Years = Field(ge=1, le=30)
    """Its term in years (1 to 30)."""
    term_starts_on: IsoDate | None = None  # when absent the term counts from the agreement date
    """When the term starts; absent: the agreement date (the page says which)."""
    form_exhibit: ExhibitId | None = None
    """The id of the exhibit holding the form of warrant."""
    notes: Text | None = None
    """Free-text notes."""


class ProspectusSupplement(Record):
    """The prospectus supplement delivered for a registered offering."""

    form: Name
    """The rule it is filed under, e.g. "424(b)(5)"."""
    exhibit: ExhibitId | None = None
    """The id of the exhibit it is attached as."""
    delivered: Name | None = None
    """When or how it was delivered."""


class Registration(Record):
    """Registered (a form and its file number) or sold under an exemption."""

    form: Name | None = None
    """The registration statement's form, e.g. S-3; absent for an exempt offering."""
    file_number: SecFileNumber | None = None
    """The SEC file number of the registration statement, e.g. 333-53108."""
    status: Name | None = None
    """Its status, e.g. "Declared effective by the Securities and Exchange Commission"."""
    exemptions: list[Name] = []
    """The exemptions relied on: "Rule 506(b)", "Regulation S", "Section 4(a)(2)"."""
    prospectus_supplement: ProspectusSupplement | None = None
    """The prospectus supplement delivered."""
    restrictive_legends: Literal["none", "present"]
    """Whether the certificates bear restrictive legends."""
    resale_restrictions: Literal["none", "present"]
    """Whether resale is restricted."""
    rights: RegistrationRights | None = None
    """Registration rights: the purchasers may require the issuer to register their resale."""
    notes: Text | None = None
    """Free-text notes."""

    @model_validator(mode="after")
    def _registered_or_exempt(self) -> Registration:
        if self.form is None and not self.exemptions:
            raise ValueError("give the registration `form` (with its `file_number`) or the "
                             "`exemptions` relied on (e.g. Rule 506(b))")
        if (self.form is None) != (self.file_number is None) and not self.exemptions:
            raise ValueError("a registered offering gives both `form` and `file_number`")
        return self


class Closing(Record):
    """The single funding deadline of a simple deal."""

    deadline: IsoDate
    """The date by which funding and delivery must happen."""
    deadline_time: Name | None = None
    """The time of day, e.g. "close of business"."""
    timezone: TimeZone | None = None
    """The IANA time zone of that time, e.g. America/New_York."""


class Verification(Record):
    """A call-back that confirmed (or did not) an instruction, on a number found independently."""

    by: Name  # who called
    """Who called."""
    called: Name  # whom they spoke to
    """Whom they spoke to."""
    number: Name  # the telephone number called: from the agreement or an earlier relationship
    """The telephone number called, found independently of the instruction."""
    on: IsoDate
    """The date of the call."""
    result: Literal["confirmed", "mismatch", "no answer"]
    """What the call found."""


InstructionKind = Literal["wire", "international wire", "uk payment", "sepa", "ach", "dwac",
                          "escrow"]
# The fields each kind needs; any may be written `not stated` when the document leaves it blank.
_REQUIRED_ROUTING: dict[str, tuple[tuple[str, ...], str]] = {
    "wire": (("aba_number",), "the bank's ABA routing number"),
    "international wire": (("bic",), "the beneficiary bank's BIC/SWIFT code"),
    "uk payment": (("sort_code", "account_number"), "the sort code and the account number"),
    "sepa": (("iban",), "the IBAN"),
    "ach": (("aba_number", "account_number"), "the ABA routing number and the account number"),
    "dwac": (("dtc_number",), "the DTC participant number"),
    "escrow": (("account_number",), "the escrow account number"),
}


class Instruction(Record):
    """Payment or delivery instructions: where money or shares are sent."""

    id: Slug
    """The id obligations use to name the instruction."""
    kind: InstructionKind
    """wire (US domestic, by ABA), international wire (BIC/SWIFT and IBAN or account), uk payment
    (sort code and account), sepa (IBAN), ach, dwac (DTC), escrow."""
    title: Name
    """The instruction as the agreement names it, e.g. "Company Wire Transfer Instructions"."""
    payer: Slug
    """The party id of who sends the money or shares."""
    payee: Slug
    """The party id of who receives them."""
    currency: Currency | None = None
    """Absent: the deal's currency."""
    bank: MaybeName
    """The beneficiary's bank (the DTC participant's name for dwac)."""
    bank_address: list[Name] = []
    """The bank's address lines."""
    aba_number: MaybeAbaNumber | None = None
    """The ABA routing number (wire, ach); the check digit is verified; shown in full unless the room masks
    routing numbers."""
    bic: MaybeBic | None = None
    """ISO 9362 BIC (SWIFT code) of the beneficiary's bank."""
    sort_code: MaybeSortCode | None = None
    """UK sort code; `not stated` where the document leaves it blank, as for the other routing
    fields."""
    iban: MaybeIban | None = None
    """ISO 13616 IBAN; its check digits are verified, and it is masked to its country code and
    last four characters."""
    intermediary: Intermediary | None = None
    """An intermediary or correspondent bank the payment goes through."""
    dtc_number: MaybeDtcNumber | None = None
    """The DTC participant number (dwac)."""
    account_name: MaybeName | None = None
    """The name on the account."""
    account_number: MaybeAccountNumber | None = None
    """The account number; masked on the site."""
    fbo: Name | None = None
    """For the benefit of: the name the account is held for."""
    fbo_account_number: AccountNumber | None = None
    """The for-benefit-of account number; masked on the site."""
    further_credit_name: Name | None = None
    """For further credit to: the final beneficiary's name."""
    further_credit_account_number: AccountNumber | None = None
    """The further-credit account number; masked on the site."""
    reference: MaybeName | None = None
    """The payment reference the payee asks for."""
    escrow_agent: Slug | None = None
    """The escrow agent's party id (escrow)."""
    contact_name: Name | None = None
    """A contact at the bank."""
    contact_phone: Name | None = None
    """The contact's telephone number."""
    notes: Text | None = None
    """Free-text notes; numbers in them are masked too."""
    verified: list[Verification] = []
    """Call-backs that checked the instruction; void once it changes."""

    @model_validator(mode="after")
    def _routing_matches_kind(self) -> Instruction:
        fields, what = _REQUIRED_ROUTING[self.kind]
        missing = [f"`{name}`" for name in fields if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.kind} instruction needs {' and '.join(missing)} (fix: add "
                             f"{what}, or write `not stated` where the document leaves it blank)")
        if self.kind == "international wire" and self.iban is None and self.account_number is None:
            raise ValueError("an international wire needs `iban` or `account_number` (fix: add "
                             "the beneficiary's account, or `not stated`)")
        return self


class Obligation(DueRule):
    """A condition, covenant, deliverable or payment: who does what for whom, and when."""

    id: Slug
    """The obligation's id."""
    kind: Literal["obligation", "condition", "covenant", "deliverable"] = "obligation"
    """`condition`: a condition precedent to a closing; `covenant`: an ongoing promise."""
    obligor: Slug
    """A party's or a group's id."""
    beneficiary: Slug
    """A party's or a group's id."""
    action: Text
    """What is to be done, as the agreement words it."""
    closing: Slug | None = None
    """For a condition or deliverable: the closing it belongs to."""
    instruction: Slug | None = None
    """The id of the payment or delivery instruction it uses."""
    exhibit: ExhibitId | None = None
    """The id of the exhibit or schedule it concerns."""
    status: ObligationStatus = "open"
    """Whether it is still owed, done, or waived."""
    notes: Text | None = None
    """Free-text notes."""


class Reviewed(Record):
    """An attached file the leak guard cannot read whole (a scan, an encrypted PDF, an image) is
    published only once a person checked that it holds no account number."""

    reviewed_by: Name | None = None
    """Who checked that the attached file holds no account number; with `reviewed_on`."""
    reviewed_on: IsoDate | None = None
    """The date of that review; with `reviewed_by`."""

    @model_validator(mode="after")
    def _both_or_neither(self) -> Reviewed:
        if (self.reviewed_by is None) != (self.reviewed_on is None):
            raise ValueError("`reviewed_by` and `reviewed_on` go together (fix: give who reviewed "
                             "the file and on which date, or neither)")
        return self


class Exhibit(Reviewed):
    """An exhibit, schedule or annex of the agreement, attached or only referenced."""

    id: ExhibitId
    """The id the agreement uses: A, 3(d), 2.01."""
    kind: Literal["exhibit", "schedule", "annex", "appendix", "attachment"] = "exhibit"
    """What the agreement calls it."""
    title: Name
    """The exhibit's title, e.g. "Form of Warrant"."""
    description: Text | None = None
    """What it is."""
    file: Name | None = None  # relative to the deal's folder; absent means referenced, not attached
    """The attached file, relative to the deal's folder; absent means referenced, not attached."""


class Document(Reviewed):
    """Another document of the deal, attached as a file."""

    id: Slug
    """The document's id."""
    title: Name
    """Its title."""
    file: Name
    """The file, relative to the deal's folder."""
    description: Text | None = None
    """What it is."""


class Event(Record):
    """Another dated event of the deal, for the timeline."""

    id: Slug | None = None
    """Needed only when a due date counts from this event."""
    date: IsoDate
    """The date."""
    title: Name
    """What happened or happens."""
    notes: Text | None = None
    """Free-text notes."""


class Deal(Record):
    """One financing deal: the whole record as written in its YAML file."""

    name: Name
    """The deal's display name."""
    status: DealStatus
    """Where the deal stands."""
    kind: DealKind | None = None
    """What kind of financing: share purchase, PIPE, note purchase, credit facility..."""
    currency: Currency = "USD"
    """The ISO 4217 code amounts are in unless an instrument, fee or instruction says otherwise."""
    holiday_calendar: Name = "NYSE"
    """The calendar business and trading days are counted on: a market (NYSE, XTSE, XLON, ECB
    for TARGET2) or a country code (US, CA, GB)."""
    headline: Slug | None = None
    """The instrument whose amount is the deal's headline figure; absent: the largest."""
    summary: Text | None = None
    """A short description for the overview page."""
    agreement: Agreement
    """The agreement itself."""
    parties: list[Party] = Field(min_length=1)
    """The parties (at least one), and others the agreement names: agents, trustees, counsel."""
    groups: list[Group] = []
    """Parties named together ("the Purchasers"), so that an obligation can be owed to or by all of them."""
    shares: ShareSale | None = None
    """The simple case: one purchaser buys shares at a price (see `instruments` for the rest)."""
    warrants: list[Warrant] = []
    """Warrants issued with a simple share sale (see `instruments` for the rest)."""
    instruments: list[Instrument] = []
    """Shares, preferred shares, warrants, notes, loans and facilities, SAFEs."""
    fees: list[Fee] = []
    """Fees: placement agent's, commitment, closing, expense reimbursement."""
    registration: Registration | None = None
    """Whether the securities are registered or sold under an exemption."""
    closing: Closing | None = None
    """The single funding deadline of a simple deal."""
    closings: list[ScheduledClosing] = []
    """Any number of closings or fundings, each dated, counted from another date, or upon an event."""
    instructions: list[Instruction] = []
    """Payment and share delivery instructions."""
    obligations: list[Obligation] = []
    """Conditions, covenants, deliverables and payments: who owes what to whom, by when."""
    exhibits: list[Exhibit] = []
    """Exhibits, schedules and annexes of the agreement."""
    documents: list[Document] = []
    """Other documents of the deal, e.g. the agreement's text."""
    events: list[Event] = []
    """Other dated events, for the timeline."""
    notes: Text | None = None
    """Free-text notes, shown on the overview page."""


ACCOUNT_NUMBER_FIELDS = ("account_number", "fbo_account_number", "further_credit_account_number",
                         "iban")
MASKABLE_FIELDS = (*ACCOUNT_NUMBER_FIELDS, "aba_number", "dtc_number")

