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
    Currency,
    ExhibitId,
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
    title: Name
    text: Text


class Agreement(Record):
    title: Name
    filing_exhibit: Name | None = None
    date: MaybeDate
    """The date the agreement is made as of; `not stated` for an undated form."""
    governing_law: Name
    provisions: list[Provision] = []


class Contact(Record):
    """A person to reach at a party, beyond its notice address."""

    name: Name
    title: Name | None = None
    phone: Name | None = None
    email: Name | None = None
    fax: Name | None = None
    notes: Text | None = None


class CopyTo(Record):
    """Whoever gets a copy of notices to a party (its counsel, usually): "with a copy to"."""

    name: Name
    """The firm or person, e.g. "Kelley Drye & Warren LLP"."""
    attention: Name | None = None
    address: list[Name] = []
    phone: Name | None = None
    fax: Name | None = None
    email: Name | None = None


class Notices(Record):
    attention: Name | None = None
    attention_title: Name | None = None
    address: list[Name] = Field(min_length=1)
    fax: Name | None = None
    phone: Name | None = None
    email: Name | None = None
    copies: list[CopyTo] = []
    """Copies of every notice go to these (counsel, an agent)."""


class SigningEntity(Record):
    entity: Name
    capacity: Name


class Signature(Record):
    through: list[SigningEntity] = []  # the chain of entities that sign for the party, outermost first
    conformed_signature: Name | None = None  # e.g. "/s/ Samuel Gulko" on a filed copy
    name: Name
    title: Name | None = None


class Party(Record):
    id: Slug
    name: Name
    role: Name  # the defined term, e.g. "Purchaser"
    entity_type: Name | None = None
    """What the party is: "corporation", "limited partnership", "national banking association"."""
    jurisdiction: Name | None = None
    """Where it is organized: "Delaware", "Ontario", "England and Wales"."""
    contacts: list[Contact] = []
    """People to reach at the party, besides the notice address."""
    notices: Notices | None = None
    signature: Signature | None = None
    notes: Text | None = None


class Group(Record):
    """Several parties named together, as the agreement does ("the Purchasers", "the Lenders"):
    an obligation owed to or by a group is owed to or by each of its members."""

    id: Slug
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

    @model_validator(mode="after")
    def _amount_or_quantity(self) -> Allocation:
        if self.amount is None and self.quantity is None:
            raise ValueError("an allocation needs an `amount` or a `quantity` (fix: write the "
                             "party's figure from the schedule, or `not stated`)")
        return self


class Recurrence(Record):
    """Dates that repeat: "on the first day of each month", "quarterly until maturity"."""

    every: Frequency
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
    days: int = Field(ge=0, le=3660)
    day_kind: DayKind = "calendar"
    """`calendar` days, `business` days or `trading` days."""
    calendar: Name | None = None
    """The holiday calendar for business or trading days (NYSE, XTSE, XLON, ECB...); absent
    means the deal's `holiday_calendar`."""


class DueRule(Record):
    """When something happens: exactly one of a date, a count from another date, a series of
    dates, or an event that has no date."""

    due: MaybeDate | None = None
    """A fixed date, or `not stated`."""
    due_time: Name | None = None
    due_after: After | None = None
    due_every: Recurrence | None = None
    due_upon: Text | None = None
    """An event with no date of its own: "upon the effectiveness of the registration statement"."""
    due_next_business_day_after: Slug | None = None  # another obligation's id

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
    default_increase: Percent | None = None
    """Added while an event of default continues."""
    day_count: DayCount | None = None
    payment_dates: Recurrence | None = None
    """When interest is paid."""
    notes: Text | None = None

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
    notes: Text | None = None


class Premium(Record):
    """One step of a prepayment premium: "3% if prepaid in the first year"."""

    period: Name
    percent: Percent


class Redemption(Record):
    """Redemption and prepayment terms."""

    optional: Text | None = None
    """When the issuer or borrower may redeem or prepay, as worded."""
    price: MaybePercent | None = None
    """The redemption price as a percentage of principal."""
    make_whole: Text | None = None
    """The make-whole amount or yield-maintenance formula, as worded."""
    premiums: list[Premium] = []
    mandatory: Text | None = None
    """Mandatory redemption or prepayment events, as worded."""


class Tranche(Record):
    """A part of a loan or note facility with its own amount and draw period."""

    id: Slug
    title: Name
    amount: MaybeAmount
    currency: Currency | None = None
    """Absent: the instrument's currency."""
    draw_from: MaybeDate | None = None
    draw_until: MaybeDate | None = None
    draw_condition: Text | None = None
    """What must happen before it can be drawn, as worded."""
    allocations: list[Allocation] = []
    """Each lender's part of this tranche."""
    interest: Rate | None = None
    notes: Text | None = None


class InstrumentBase(Record):
    id: Slug
    title: Name
    """The security or facility as the agreement names it."""
    defined_term: Name | None = None
    currency: Currency | None = None
    """Absent: the deal's currency."""
    allocations: list[Allocation] = []
    """The schedule of purchasers, holders or lenders, each with its amount or quantity."""
    notes: Text | None = None


class SharesInstrument(InstrumentBase):
    """Common or preferred shares sold or issued."""

    kind: Literal["common shares", "preferred shares"]
    issuer: Slug
    series: Name | None = None
    quantity: MaybeQuantity
    price_per_share: MaybeAmount | None = None
    aggregate_price: MaybeAmount | None = None
    """As stated by the agreement; the page shows quantity x price beside it."""
    par_value: Amount | None = None
    stated_value: MaybeAmount | None = None
    """A preferred share's stated (liquidation) value per share."""
    dividend: Rate | None = None
    conversion: Conversion | None = None
    for_no_cash: bool = False
    """Shares issued as a fee or commitment, not sold for cash."""
    issued_for: Name | None = None
    """What shares issued for no cash are issued for: "commitment fee", "exchange of notes"."""


class WarrantInstrument(InstrumentBase):
    """A warrant or option to buy shares (compensation options included)."""

    kind: Literal["warrant", "option"]
    issuer: Slug
    security: Name
    """What it is exercisable for, e.g. "Common Shares"."""
    shares: MaybeQuantity
    exercise_price: MaybeAmount | None = None
    exercise_price_formula: Text | None = None
    expires_on: MaybeDate | None = None
    term_months: int | None = Field(default=None, ge=1, le=600)
    cashless_exercise: bool | None = None
    form_exhibit: ExhibitId | None = None


class NoteInstrument(InstrumentBase):
    """Promissory, senior or convertible notes."""

    kind: Literal["note", "convertible note"]
    issuer: Slug
    series: Name | None = None
    principal: MaybeAmount
    """The stated aggregate principal amount."""
    issue_price: MaybePercent | None = None
    """Price as a percentage of principal, e.g. 100%."""
    interest: Rate | None = None
    maturity: MaybeDate | None = None
    ranking: Name | None = None
    """e.g. "senior unsecured"."""
    conversion: Conversion | None = None
    redemption: Redemption | None = None
    collateral: Text | None = None
    """What secures it, as worded; absent means unsecured."""
    guarantors: list[Slug] = []
    trustee: Slug | None = None
    form_exhibit: ExhibitId | None = None


class FacilityInstrument(InstrumentBase):
    """A loan, credit facility, shelf facility or receivables purchase facility."""

    kind: Literal["term loan", "revolving credit", "shelf facility", "receivables purchase"]
    borrowers: list[Slug] = Field(min_length=1)
    """The borrowers, issuers or sellers."""
    agent: Slug | None = None
    commitment: MaybeAmount | None = None
    """The stated total commitment or facility amount; the page checks it against the lenders'."""
    currencies: list[Currency] = []
    """Other currencies it may be drawn in (a multicurrency facility)."""
    tranches: list[Tranche] = []
    interest: Rate | None = None
    maturity: MaybeDate | None = None
    """The maturity, termination or scheduled termination date."""
    available_until: MaybeDate | None = None
    """The end of the availability or issuance period."""
    redemption: Redemption | None = None
    collateral: Text | None = None
    guarantors: list[Slug] = []


class SafeInstrument(InstrumentBase):
    """A simple agreement for future equity."""

    kind: Literal["SAFE"]
    issuer: Slug
    purchase_amount: MaybeAmount
    valuation_cap: MaybeAmount | None = None
    discount: Percent | None = None


Instrument = Annotated[SharesInstrument | WarrantInstrument | NoteInstrument | FacilityInstrument
                       | SafeInstrument, Field(discriminator="kind")]


class Fee(Record):
    """A fee: placement agent's, commitment, closing, an expense reimbursement or its cap."""

    id: Slug
    title: Name
    payer: Slug
    payee: Slug
    amount: MaybeAmount | None = None
    percent: MaybePercent | None = None
    """A percentage of `of`."""
    of: Slug | None = None
    """The instrument whose amount (aggregate price, principal, commitment) the percent is of."""
    of_text: Name | None = None
    """When the base is not an instrument: "gross proceeds of the Offering"."""
    cap: MaybeAmount | None = None
    """The most that is paid, e.g. an expense reimbursement cap."""
    currency: Currency | None = None
    paid_in: Literal["cash", "shares", "options", "cash or shares"] = "cash"
    notes: Text | None = None

    @model_validator(mode="after")
    def _amount_or_percent(self) -> Fee:
        if self.amount is None and self.percent is None and self.cap is None:
            raise ValueError("a fee needs an `amount`, a `percent` (of an instrument) or a `cap`")
        return self


class ClosingItem(Record):
    """What is paid or issued at a closing."""

    instrument: Slug
    party: Slug | None = None
    """Who buys or draws it; absent: as the instrument's allocations say."""
    amount: MaybeAmount | None = None
    quantity: MaybeQuantity | None = None


class ScheduledClosing(DueRule):
    """A closing or a tranche's funding: when, where, and what changes hands."""

    id: Slug
    title: Name
    """e.g. "Initial Closing", "Closing of the Series B Notes"."""
    timezone: TimeZone | None = None
    place: Name | None = None
    items: list[ClosingItem] = []
    deliverables: list[Text] = []
    status: Literal["scheduled", "held", "cancelled"] = "scheduled"
    notes: Text | None = None


class RegistrationRights(Record):
    agreement: Name | None = None
    """The registration rights agreement, if separate."""
    exhibit: ExhibitId | None = None
    filing_obligation: Slug | None = None
    """The obligation that says when the registration statement must be filed."""
    effectiveness_obligation: Slug | None = None
    notes: Text | None = None


class Intermediary(Record):
    """An intermediary or correspondent bank a payment goes through."""

    bank: MaybeName
    bic: MaybeBic | None = None
    aba_number: MaybeAbaNumber | None = None
    account_number: MaybeAccountNumber | None = None
    """The beneficiary bank's account at the intermediary."""


class ShareSale(Record):
    security: Name
    issuer: Slug
    purchaser: Slug
    defined_term: Name | None = None
    quantity: Quantity
    par_value: Amount | None = None
    price_per_share: Amount
    aggregate_price: Amount
    notes: Text | None = None


class Warrant(Record):
    id: Slug
    defined_term: Name | None = None
    security: Name
    issuer: Slug
    holder: Slug
    shares: Quantity
    exercise_price: Amount
    term_years: Years = Field(ge=1, le=30)
    term_starts_on: IsoDate | None = None  # when absent the term counts from the agreement date
    form_exhibit: ExhibitId | None = None
    notes: Text | None = None


class ProspectusSupplement(Record):
    form: Name
    exhibit: ExhibitId | None = None
    delivered: Name | None = None


class Registration(Record):
    """Registered (a form and its file number) or sold under an exemption."""

    form: Name | None = None
    file_number: SecFileNumber | None = None
    status: Name | None = None
    exemptions: list[Name] = []
    """The exemptions relied on: "Rule 506(b)", "Regulation S", "Section 4(a)(2)"."""
    prospectus_supplement: ProspectusSupplement | None = None
    restrictive_legends: Literal["none", "present"]
    resale_restrictions: Literal["none", "present"]
    rights: RegistrationRights | None = None
    """Registration rights: the purchasers may require the issuer to register their resale."""
    notes: Text | None = None

    @model_validator(mode="after")
    def _registered_or_exempt(self) -> Registration:
        if self.form is None and not self.exemptions:
            raise ValueError("give the registration `form` (with its `file_number`) or the "
                             "`exemptions` relied on (e.g. Rule 506(b))")
        if (self.form is None) != (self.file_number is None) and not self.exemptions:
            raise ValueError("a registered offering gives both `form` and `file_number`")
        return self


class Closing(Record):
    deadline: IsoDate
    deadline_time: Name | None = None
    timezone: TimeZone | None = None


class Verification(Record):
    """A call-back that confirmed (or did not) an instruction, on a number found independently."""

    by: Name  # who called
    called: Name  # whom they spoke to
    number: Name  # the telephone number called: from the agreement or an earlier relationship
    on: IsoDate
    result: Literal["confirmed", "mismatch", "no answer"]


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
    id: Slug
    kind: InstructionKind
    """wire (US domestic, by ABA), international wire (BIC/SWIFT and IBAN or account), uk payment
    (sort code and account), sepa (IBAN), ach, dwac (DTC), escrow."""
    title: Name
    payer: Slug
    payee: Slug
    currency: Currency | None = None
    """Absent: the deal's currency."""
    bank: MaybeName
    bank_address: list[Name] = []
    aba_number: MaybeAbaNumber | None = None
    bic: MaybeBic | None = None
    """ISO 9362 BIC (SWIFT code) of the beneficiary's bank."""
    sort_code: MaybeSortCode | None = None
    """UK sort code; `not stated` where the document leaves it blank, as for the other routing
    fields."""
    iban: MaybeIban | None = None
    """ISO 13616 IBAN; its check digits are verified, and it is masked to its country code and
    last four characters."""
    intermediary: Intermediary | None = None
    dtc_number: MaybeDtcNumber | None = None
    account_name: MaybeName | None = None
    account_number: MaybeAccountNumber | None = None
    fbo: Name | None = None
    fbo_account_number: AccountNumber | None = None
    further_credit_name: Name | None = None
    further_credit_account_number: AccountNumber | None = None
    reference: MaybeName | None = None
    """The payment reference the payee asks for."""
    escrow_agent: Slug | None = None
    contact_name: Name | None = None
    contact_phone: Name | None = None
    notes: Text | None = None
    verified: list[Verification] = []

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
    kind: Literal["obligation", "condition", "covenant", "deliverable"] = "obligation"
    """`condition`: a condition precedent to a closing; `covenant`: an ongoing promise."""
    obligor: Slug
    """A party's or a group's id."""
    beneficiary: Slug
    """A party's or a group's id."""
    action: Text
    closing: Slug | None = None
    """For a condition or deliverable: the closing it belongs to."""
    instruction: Slug | None = None
    exhibit: ExhibitId | None = None
    status: ObligationStatus = "open"
    notes: Text | None = None


class Reviewed(Record):
    """An attached file the leak guard cannot read whole (a scan, an encrypted PDF, an image) is
    published only once a person checked that it holds no account number."""

    reviewed_by: Name | None = None
    reviewed_on: IsoDate | None = None

    @model_validator(mode="after")
    def _both_or_neither(self) -> Reviewed:
        if (self.reviewed_by is None) != (self.reviewed_on is None):
            raise ValueError("`reviewed_by` and `reviewed_on` go together (fix: give who reviewed "
                             "the file and on which date, or neither)")
        return self


class Exhibit(Reviewed):
    id: ExhibitId
    """The id the agreement uses: A, 3(d), 2.01."""
    kind: Literal["exhibit", "schedule", "annex", "appendix", "attachment"] = "exhibit"
    title: Name
    description: Text | None = None
    file: Name | None = None  # relative to the deal's folder; absent means referenced, not attached


class Document(Reviewed):
    id: Slug
    title: Name
    file: Name
    description: Text | None = None


class Event(Record):
    id: Slug | None = None
    """Needed only when a due date counts from this event."""
    date: IsoDate
    title: Name
    notes: Text | None = None


class Deal(Record):
    """One financing deal: the whole record as written in its YAML file."""

    name: Name
    status: DealStatus
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
    agreement: Agreement
    parties: list[Party] = Field(min_length=1)
    groups: list[Group] = []
    shares: ShareSale | None = None
    """The simple case: one purchaser buys shares at a price (see `instruments` for the rest)."""
    warrants: list[Warrant] = []
    instruments: list[Instrument] = []
    """Shares, preferred shares, warrants, notes, loans and facilities, SAFEs."""
    fees: list[Fee] = []
    registration: Registration | None = None
    closing: Closing | None = None
    """The single funding deadline of a simple deal."""
    closings: list[ScheduledClosing] = []
    """Any number of closings or fundings, each dated, counted from another date, or upon an event."""
    instructions: list[Instruction] = []
    obligations: list[Obligation] = []
    exhibits: list[Exhibit] = []
    documents: list[Document] = []
    events: list[Event] = []
    notes: Text | None = None


ACCOUNT_NUMBER_FIELDS = ("account_number", "fbo_account_number", "further_credit_account_number",
                         "iban")
MASKABLE_FIELDS = (*ACCOUNT_NUMBER_FIELDS, "aba_number", "dtc_number")

