"""Words and link anchors the pages build from deal data: an exhibit's label and anchor, how a
reference names an exhibit or a schedule, a party's form of organization, a role in the plural.

Templates reach these as Jinja filters; validation uses the same anchor and lookup, so a link a
page writes always has its target, and two entries never share an anchor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol


class Exhibit(Protocol):
    """An exhibit as the model has it, or as templates see it (masked, `mask.PublicRoom`)."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...


class Party(Protocol):
    @property
    def entity_type(self) -> str | None: ...
    @property
    def jurisdiction(self) -> str | None: ...

# The order kinds are listed in, and the order a bare reference looks them up in.
EXHIBIT_KINDS = ("exhibit", "schedule", "annex", "appendix", "attachment")
_KIND_NAMES = {"exhibit": ("Exhibit", "Exhibits"), "schedule": ("Schedule", "Schedules"),
               "annex": ("Annex", "Annexes"), "appendix": ("Appendix", "Appendices"),
               "attachment": ("Attachment", "Attachments")}
# What an id may hold besides letters, digits and dots (types.ExhibitId): parentheses and dashes.
_PUNCTUATION = re.compile(r"[()\-]+")


def kind_name(kind: str, plural: bool = False) -> str:
    """`schedule` -> "Schedule" (or "Schedules")."""
    return _KIND_NAMES[kind][1 if plural else 0]


def exhibit_anchor(exhibit: Exhibit) -> str:
    """The anchor of an exhibit on the exhibits page: `exhibit-A`, `schedule-3-d` for Schedule
    3(d), `schedule-2.01`, `annex-B-1`.

    Links between pages keep to letters, digits, dots and dashes (`render._FACT_LINK`), valid in
    any HTML id and URL fragment without escaping. Parentheses and dashes become one dash, so ids
    that differ only in them (`3(d)`, `3-d`) would share an anchor: validation refuses that.
    """
    return f"{exhibit.kind}-{_PUNCTUATION.sub('-', exhibit.id).strip('-')}"


def exhibit_label(exhibit: Exhibit) -> str:
    """"Schedule 3(d)": the kind and the id as the agreement writes them."""
    return f"{kind_name(exhibit.kind)} {exhibit.id}"


def find_exhibit(exhibits: Iterable[Exhibit], reference: str) -> Exhibit | None:
    """The entry a reference (`form_exhibit`, an obligation's `exhibit`) names.

    A reference is a bare id: `A` is Exhibit A when there is one, else the schedule, annex,
    appendix or attachment with that id, looked up in that order. So `exhibit: 3(d)` finds
    Schedule 3(d), and `A` finds Exhibit A even when a Schedule A exists too.
    """
    found = {e.kind: e for e in exhibits if e.id == reference}
    return next((found[kind] for kind in EXHIBIT_KINDS if kind in found), None)


def entity(party: Party) -> str | None:
    """A party's form and place of organization as an agreement's preamble writes it: "a
    Delaware corporation", "an Ontario corporation", "a limited partnership"."""
    if party.entity_type and party.jurisdiction:
        words = f"{party.jurisdiction} {party.entity_type}"
    elif party.entity_type:
        words = party.entity_type
    elif party.jurisdiction:
        return f"organized in {party.jurisdiction}"
    else:
        return None
    # "an" before a vowel sound; a capital U starts a "you" sound (Utah, United Kingdom).
    article = "an" if words[0] in "AEIOaeiou" else "a"
    return f"{article} {words}"


def plural(role: str, count: int) -> str:
    """A role's heading over `count` parties: "Purchaser", "Purchasers", "Escrow Agents".

    Only plain nouns are put in the plural; a role ending otherwise ("Holder of Notes") keeps
    its words and shows the count, rather than a wrong plural.
    """
    if count == 1:
        return role
    if re.search(r"[^aeiou]y$", role):
        return f"{role[:-1]}ies"
    if re.search(r"[a-rt-wy]$", role) and not role.endswith(("ch", "sh")):
        return f"{role}s"
    return f"{role} ({count})"


FILTERS = {"exhibit_anchor": exhibit_anchor, "exhibit_label": exhibit_label,
           "find_exhibit": find_exhibit, "kind_name": kind_name, "entity": entity,
           "plural": plural}
