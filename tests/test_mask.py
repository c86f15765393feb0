"""Mask stage: templates only ever see the public view."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from conftest import EXAMPLE_DEAL
from dealroom.derive import Facts, derive
from dealroom.loader import load_file
from dealroom.mask import MaskPolicy, PublicRoom, mask_number
from dealroom.numbers import Redactor, Secret
from dealroom.validate import validate

DEAL = validate(load_file(EXAMPLE_DEAL / "deal.yml"), EXAMPLE_DEAL.parent)


def public_view(facts: Facts, policy: MaskPolicy) -> Any:
    return PublicRoom([facts], policy).view(facts.slug)


def test_mask_keeps_the_last_four_digits() -> None:
    assert mask_number("066-198038", 4) == "•••••8038"


def test_mask_can_hide_every_digit() -> None:
    assert mask_number("313-12878", 0) == "••••••••"


def test_public_view_masks_account_numbers_and_keeps_routing_numbers() -> None:
    wire = public_view(derive("x", DEAL), MaskPolicy()).deal.instructions[0]
    assert wire.fbo_account_number == "•••••8038"
    assert wire.further_credit_account_number == "•••••••••9103"
    assert wire.aba_number == "021 000 021"


def test_masked_fields_can_be_added() -> None:
    view = public_view(derive("x", DEAL), MaskPolicy(("aba_number",), 2))
    assert view.deal.instructions[0].aba_number == "•••••••21"


def test_account_number_fields_stay_masked_whatever_the_configuration_says() -> None:
    view = public_view(derive("x", DEAL), MaskPolicy((), 2))
    assert view.deal.instructions[0].fbo_account_number == "•••••••38"


def test_a_note_quoting_another_deals_account_number_is_masked() -> None:
    other = dataclasses.replace(derive("other", DEAL))
    quoting = DEAL.model_copy(update={"summary": "Same bank as the other deal: A/C 066 198 038.",
                                      "instructions": []})
    room = PublicRoom([other, derive("quoting", quoting)], MaskPolicy())
    assert room.view("quoting").deal.summary == "Same bank as the other deal: A/C •••••8038."


def test_a_number_written_in_a_note_is_masked_too() -> None:
    wire = DEAL.instructions[0].model_copy(update={"notes": "Call before wiring to 066 198 038."})
    deal = DEAL.model_copy(update={"instructions": [wire, *DEAL.instructions[1:]]})
    view = public_view(derive("x", deal), MaskPolicy())
    assert view.deal.instructions[0].notes == "Call before wiring to •••••8038."


def test_attached_text_is_redacted_in_the_view() -> None:
    facts = dataclasses.replace(derive("x", DEAL), documents={"a.txt": "A/C # 1233932118"})
    assert public_view(facts, MaskPolicy()).documents == {"a.txt": "A/C # ••••••2118"}


def test_a_short_account_never_shows_more_than_half_of_its_digits() -> None:
    assert mask_number("12345", 4) == "•••45"


def test_a_number_whose_groups_a_right_to_left_letter_reverses_is_masked_in_free_text() -> None:
    """After a Hebrew letter, `038 198 066` shows as `066 198 038`: masked, so that the guard,
    which reads every run so, finds nothing left to stop the build for."""
    from dealroom.guard import Guard
    from dealroom.numbers import Redactor, Secret
    secrets = [Secret("066-198038", "d", "fbo")]
    for note in ["\u05d0038 198 066", "\u05d0 038-198-066, paid"]:
        masked = Redactor(secrets, 4)(note)
        assert masked.startswith("\u05d0") and not list(Guard(secrets).find(masked)), masked


@pytest.mark.parametrize("written", ["wires/066%20198038.md", "#066%2D198038", "%30%36%36198038",
                                     "066%E2%80%94198038"])
def test_a_number_written_with_url_escapes_is_masked_as_a_link_shows_it(written: str) -> None:
    masked = Redactor([Secret("066-198038", "d", "fbo")], 4)(f"See [the wire]({written}).")
    assert "8038" in masked and "198038" not in masked and "%36%36" not in masked, masked
