"""Numbers the records do not hold, written after an account label, are masked like accounts:
in a deal's note, an attached text and a hand-written page of a real build."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conftest import Room, digits_pattern, site_text
from dealroom.numbers import Redactor

UNKNOWN = "4455-667788"  # in no record of the room


@pytest.mark.parametrize(("written", "shown"), [
    ("Account No. 4455-667788", "Account No. ••••••7788"),
    ("A/C: 4455667788", "A/C: ••••••7788"),
    ("Acct. 4455 667788", "Acct. ••••••7788"),
    ("Konto 0532013000", "Konto ••••••3000"),
    ("IBAN DE89 3704 0044 0532 0130 00", "IBAN DE•• •••• •••• •••• ••30 00"),
])
def test_a_number_after_an_account_label_is_masked(written: str, shown: str) -> None:
    assert Redactor([], 4)(f"Pay to {written}.") == f"Pay to {shown}."


@pytest.mark.parametrize("text", [
    "the Account. 12345 shares were issued",   # a sentence ends after the label
    "Account Control Agreement dated 2020",     # no number after the label
    "account 1234",                             # four digits: a reference, not an account
    "accounts receivable of 1234567",           # another word
])
def test_text_that_only_mentions_an_account_is_left_alone(text: str) -> None:
    assert Redactor([], 4)(text) == text


def test_an_unknown_labelled_number_reaches_no_built_file(make_room: Callable[..., Room]) -> None:
    room = make_room()
    room.edit("    bank: Chase Manhattan Bank\n", "    bank: Chase Manhattan Bank\n"
              f"    notes: The old instructions said Account No. {UNKNOWN}.\n")
    folder = room.record().parent
    text = (folder / "agreement.txt").read_text(encoding="utf-8")
    (folder / "agreement.txt").write_text(text + f"\nAcct. {UNKNOWN}\n", encoding="utf-8")
    (room.path / "content" / "pages" / "wires.md").write_text(
        f"# Old wires\n\nA/C {UNKNOWN} is closed.\n", encoding="utf-8")
    result = room.build()
    assert result.returncode == 0, result.stderr
    texts = site_text(room.site)
    assert not [p for p, t in texts.items() if digits_pattern(UNKNOWN).search(t)]
    assert "A/C ••••••7788 is closed" in (room.site / "wires" / "index.html").read_text()
    assert "Account No. ••••••7788" in room.page("instructions")
