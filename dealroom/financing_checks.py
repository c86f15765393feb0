"""Validate stage, part three: the references of a deal's financing sections.

Instruments, fees, closings and due rules name parties, groups, exhibits, instruments and
one another by id; each reference must exist. The figures they imply are checked with the
derived terms (`dealroom.economics`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dealroom.model import (
    DueRule,
    FacilityInstrument,
    NoteInstrument,
    SafeInstrument,
    SharesInstrument,
    WarrantInstrument,
)
from dealroom.schedule import rule_problems

if TYPE_CHECKING:
    from dealroom.validate import _Checker

# Where a count of days may start besides closings, obligations and events.
AGREEMENT_EVENT = "agreement"


class FinancingChecks:
    def __init__(self, checker: _Checker, parties: set[str], groups: set[str], exhibits: set[str],
                 obligations: set[str], instructions: set[str]) -> None:
        self.c, self.deal = checker, checker.deal
        self.parties, self.groups, self.exhibits = parties, groups, exhibits
        self.obligations, self.instructions = obligations, instructions

    def run(self) -> None:
        c, deal = self.c, self.deal
        instruments = c.unique(deal.instruments, "id", "instruments")
        closings = c.unique(deal.closings, "id", "closings")
        c.unique(deal.fees, "id", "fees")
        events = {e.id for e in deal.events if e.id is not None}
        starts = closings | self.obligations | events | {AGREEMENT_EVENT}
        for index, instrument in enumerate(deal.instruments):
            self._instrument(("instruments", index), instrument, instruments)
        if deal.headline is not None:
            c.ref(("headline",), deal.headline, instruments, "instrument")
        for index, fee in enumerate(deal.fees):
            at = ("fees", index)
            c.ref((*at, "payer"), fee.payer, self.parties | self.groups, "party")
            c.ref((*at, "payee"), fee.payee, self.parties | self.groups, "party")
            c.ref((*at, "of"), fee.of, instruments, "instrument")
            if fee.percent is not None and fee.of is None and fee.of_text is None:
                c.add((*at, "percent"), "a percentage fee needs its base",
                      "give `of` (an instrument's id) or `of_text` (e.g. gross proceeds)")
        for index, closing in enumerate(deal.closings):
            at = ("closings", index)
            self._due(at, closing, starts - {closing.id})
            for item_index, item in enumerate(closing.items):
                c.ref((*at, "items", item_index, "instrument"), item.instrument, instruments,
                      "instrument")
                c.ref((*at, "items", item_index, "party"), item.party, self.parties | self.groups,
                      "party")
        for index, obligation in enumerate(deal.obligations):
            at = ("obligations", index)
            self._due(at, obligation, starts - {obligation.id})
            c.ref((*at, "closing"), obligation.closing, closings, "closing")
        for path, message, fix in rule_problems(deal):  # calendars and series of the due rules
            c.add(path, message, fix)
        for index, instruction in enumerate(deal.instructions):
            c.ref(("instructions", index, "escrow_agent"), instruction.escrow_agent, self.parties,
                  "party")
        rights = deal.registration.rights if deal.registration else None
        if rights is not None:
            where: tuple[Any, ...] = ("registration", "rights")
            c.ref((*where, "exhibit"), rights.exhibit, self.exhibits, "exhibit")
            c.ref((*where, "filing_obligation"), rights.filing_obligation, self.obligations, "obligation")
            c.ref((*where, "effectiveness_obligation"), rights.effectiveness_obligation,
                  self.obligations, "obligation")

    def _due(self, at: tuple[Any, ...], rule: DueRule, starts: set[str]) -> None:
        if rule.due_after is not None:
            self.c.ref((*at, "due_after", "event"), rule.due_after.event, starts, "event")

    def _instrument(self, at: tuple[Any, ...], instrument: Any, instruments: set[str]) -> None:
        c, anyone = self.c, self.parties | self.groups
        for index, allocation in enumerate(instrument.allocations):
            c.ref((*at, "allocations", index, "party"), allocation.party, self.parties, "party")
        if isinstance(instrument, SharesInstrument | WarrantInstrument | NoteInstrument |
                      SafeInstrument):
            c.ref((*at, "issuer"), instrument.issuer, self.parties, "party")
        if isinstance(instrument, WarrantInstrument | NoteInstrument):
            c.ref((*at, "form_exhibit"), instrument.form_exhibit, self.exhibits, "exhibit")
        if isinstance(instrument, NoteInstrument):
            c.ref((*at, "trustee"), instrument.trustee, self.parties, "party")
        if isinstance(instrument, NoteInstrument | FacilityInstrument):
            for index, guarantor in enumerate(instrument.guarantors):
                c.ref((*at, "guarantors", index), guarantor, self.parties, "party")
        if isinstance(instrument, FacilityInstrument):
            for index, borrower in enumerate(instrument.borrowers):
                c.ref((*at, "borrowers", index), borrower, anyone, "party")
            c.ref((*at, "agent"), instrument.agent, self.parties, "party")
            seen: set[str] = set()
            for index, tranche in enumerate(instrument.tranches):
                if tranche.id in seen:
                    c.add((*at, "tranches", index, "id"), f"duplicate id {tranche.id!r}",
                          "give each tranche its own id")
                seen.add(tranche.id)
                for line, allocation in enumerate(tranche.allocations):
                    c.ref((*at, "tranches", index, "allocations", line, "party"), allocation.party,
                          self.parties, "party")
