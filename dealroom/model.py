"""Validate stage, part one: the typed shape of a deal record.

Field names are the deal's own vocabulary. Every model forbids unknown keys, so a typo is an
error rather than a silently ignored field.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dealroom.types import (
    AbaNumber,
    AccountNumber,
    Amount,
    DtcNumber,
    IsoDate,
    Name,
    Quantity,
    SecFileNumber,
    Slug,
    Text,
    TimeZone,
    Years,
)

Currency = Literal["USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY"]
DealStatus = Literal["draft", "negotiating", "signed", "funded", "closed", "terminated"]
ObligationStatus = Literal["open", "done", "waived"]
ExhibitId = Annotated[str, Field(pattern=r"^[A-Z0-9][A-Za-z0-9.\-]{0,15}$")]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Provision(Record):
    title: Name
    text: Text


class Agreement(Record):
    title: Name
    filing_exhibit: Name | None = None
    date: IsoDate
    governing_law: Name
    provisions: list[Provision] = []


class Notices(Record):
    attention: Name | None = None
    attention_title: Name | None = None
    address: list[Name] = Field(min_length=1)
    fax: Name | None = None
    phone: Name | None = None
    email: Name | None = None


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
    notices: Notices | None = None
    signature: Signature | None = None
    notes: Text | None = None


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
    form: Name
    file_number: SecFileNumber
    status: Name
    prospectus_supplement: ProspectusSupplement | None = None
    restrictive_legends: Literal["none", "present"]
    resale_restrictions: Literal["none", "present"]
    notes: Text | None = None


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


class Instruction(Record):
    id: Slug
    kind: Literal["wire", "dwac"]
    title: Name
    payer: Slug
    payee: Slug
    bank: Name
    bank_address: list[Name] = []
    aba_number: AbaNumber | None = None
    dtc_number: DtcNumber | None = None
    account_name: Name | None = None
    account_number: AccountNumber | None = None
    fbo: Name | None = None
    fbo_account_number: AccountNumber | None = None
    further_credit_name: Name | None = None
    further_credit_account_number: AccountNumber | None = None
    contact_name: Name | None = None
    contact_phone: Name | None = None
    notes: Text | None = None
    verified: list[Verification] = []

    @model_validator(mode="after")
    def _routing_matches_kind(self) -> Instruction:
        if self.kind == "wire" and self.aba_number is None:
            raise ValueError("a wire instruction needs `aba_number` (fix: add the bank's ABA "
                             "routing number)")
        if self.kind == "dwac" and self.dtc_number is None:
            raise ValueError("a DWAC instruction needs `dtc_number` (fix: add the DTC "
                             "participant number)")
        return self


class Obligation(Record):
    id: Slug
    obligor: Slug
    beneficiary: Slug
    action: Text
    due: IsoDate | None = None
    due_time: Name | None = None
    due_next_business_day_after: Slug | None = None  # another obligation's id
    instruction: Slug | None = None
    exhibit: ExhibitId | None = None
    status: ObligationStatus = "open"
    notes: Text | None = None

    @model_validator(mode="after")
    def _one_due_rule(self) -> Obligation:
        if (self.due is None) == (self.due_next_business_day_after is None):
            raise ValueError("give exactly one of `due` (a date) or `due_next_business_day_after` "
                             "(another obligation's id)")
        return self


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
    title: Name
    description: Text | None = None
    file: Name | None = None  # relative to the deal's folder; absent means referenced, not attached


class Document(Reviewed):
    id: Slug
    title: Name
    file: Name
    description: Text | None = None


class Event(Record):
    date: IsoDate
    title: Name
    notes: Text | None = None


class Deal(Record):
    """One financing deal: the whole record as written in its YAML file."""

    name: Name
    status: DealStatus
    currency: Currency = "USD"
    holiday_calendar: Name = "NYSE"
    summary: Text | None = None
    agreement: Agreement
    parties: list[Party] = Field(min_length=1)
    shares: ShareSale | None = None
    warrants: list[Warrant] = []
    registration: Registration | None = None
    closing: Closing
    instructions: list[Instruction] = []
    obligations: list[Obligation] = []
    exhibits: list[Exhibit] = []
    documents: list[Document] = []
    events: list[Event] = []
    notes: Text | None = None


ACCOUNT_NUMBER_FIELDS = ("account_number", "fbo_account_number", "further_credit_account_number")
MASKABLE_FIELDS = (*ACCOUNT_NUMBER_FIELDS, "aba_number", "dtc_number")

