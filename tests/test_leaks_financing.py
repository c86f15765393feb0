"""Attacks on Principle 1 with the financing records: a raw account number (an IBAN's hidden
part, an intermediary's account) must reach no built file, no CLI output and no error message,
in whatever form a record, a page or the history writes it.

Each test is a leak once found, in a real `mkdocs build` or a real `dealroom` run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import run_git
from test_payments import ESCROW_ACCOUNT, UK_ACCOUNT, new_room, with_instructions, written_anywhere

from conftest import EXAMPLE_SLUG, Room, mkdocs, site_text
from dealroom.numbers import mask_number

# A UK IBAN holds the sort code and the account number: its last 8 digits are the account as
# a UK payment writes it (`sort code 12-34-56, account 98765432`).
UK_IBAN = "GB82 WEST 1234 5698 7654 32"
UK_IBAN_ACCOUNT = "98765432"
# A German IBAN's last 10 digits are the account (Kontonummer), the bank code (BLZ) before it.
DE_KONTO = "0532013000"
ESCROW_DIGITS = "558812-01"  # ESC-558812-01 without its letters: the same account


def dealroom(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = str(Path(sys.executable).parent / "dealroom")
    return subprocess.run([command, *args], cwd=cwd, capture_output=True, text=True, check=False,
                          timeout=120)


def with_note(record: str, instruction: str, note: str) -> str:
    """The record with `notes:` added to the instruction `instruction`."""
    start = record.index(f"  - id: {instruction}\n")
    end = record.find("\n  - id: ", start + 1)
    end = record.index("\n\n", start) if end == -1 else end
    return f"{record[:end]}\n    notes: >-\n      {note}{record[end:]}"


@pytest.fixture(scope="module")
def quoted_room(tmp_path_factory: pytest.TempPathFactory) -> Room:
    """The payments room, an instruction paid to a UK IBAN, and notes quoting accounts as a
    domestic payment or a clerk would write them."""
    record = with_instructions().replace("iban: FR14 2004 1010 0505 0001 3M02 606", f"iban: {UK_IBAN}")
    record = with_note(record, "sepa", f"Domestic: sort code 12-34-56, account {UK_IBAN_ACCOUNT}.")
    record = with_note(record, "company-wire", f"Domestic: BLZ 370 400 44, Konto {DE_KONTO}.")
    record = with_note(record, "ach", f"Escrow reference {ESCROW_DIGITS} at Signature Bank.")
    room = new_room(tmp_path_factory.mktemp("quoted"), record)
    result = room.build()
    assert result.returncode == 0, result.stderr
    return room


def test_a_lettered_account_quoted_without_its_letters_is_masked(quoted_room: Room) -> None:
    for path, text in site_text(quoted_room.site).items():
        assert not written_anywhere(ESCROW_DIGITS, text), path
    assert "Escrow reference ••••1201 at Signature Bank." in quoted_room.page("instructions")


def test_the_uk_account_inside_an_iban_is_masked_where_quoted_alone(quoted_room: Room) -> None:
    for path, text in site_text(quoted_room.site).items():
        assert not written_anywhere(UK_IBAN_ACCOUNT, text), path
    assert "account ••••5432." in quoted_room.page("instructions")


def test_the_german_account_inside_an_iban_is_masked_where_quoted_alone(quoted_room: Room) -> None:
    for path, text in site_text(quoted_room.site).items():
        assert not written_anywhere(DE_KONTO, text), path
    assert "Konto ••••••3000." in quoted_room.page("instructions")


# --- `dealroom export` and `dealroom scan` --------------------------------------------------


def test_export_masks_a_number_written_in_full_width_digits(tmp_path: Path) -> None:
    # The mask reads digits as a reader does: full-width digits are the number too.
    wide = UK_ACCOUNT.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    room = new_room(tmp_path, with_note(with_instructions(), "sepa", f"Sterling account {wide}."))
    result = dealroom("export", str(tmp_path / "out"), cwd=room.path)
    assert result.returncode == 0, result.stderr
    exported = (tmp_path / "out" / "docs" / "deals" / EXAMPLE_SLUG / "instructions.md").read_text()
    assert wide not in exported and not written_anywhere(UK_ACCOUNT, exported)
    assert f"Sterling account {mask_number(UK_ACCOUNT, 4)}." in exported


def test_export_refuses_a_number_the_mask_cannot_see_and_writes_nothing(tmp_path: Path) -> None:
    # Digits hidden in markup between the number's parts: the mask cannot rule on raw HTML,
    # the guard reads what a browser displays, and the export must not ship it.
    room = new_room(tmp_path, with_instructions())
    split = f"{ESCROW_ACCOUNT[:7]}<span hidden>9</span>{ESCROW_ACCOUNT[7:]}"
    (room.path / "content" / "pages" / "memo.md").write_text(f"# Memo\n\nEscrow: {split}\n")
    result = dealroom("export", str(tmp_path / "out"), cwd=room.path)
    assert result.returncode == 1 and not (tmp_path / "out").exists()
    assert "memo.md: raw account number from deal" in result.stderr
    assert not written_anywhere(ESCROW_ACCOUNT, result.stdout + result.stderr)


@pytest.fixture
def changed_account_room(tmp_path: Path) -> Room:
    """The payments room committed, then its sterling account changed and committed: the old
    number is a secret of the room (a history page shows it, masked)."""
    room = new_room(tmp_path, with_instructions())
    (room.path / ".gitignore").write_text("site/\n.cache/\n")
    run_git(room.path, "init", "-q", "-b", "main")
    run_git(room.path, "add", "-A")
    run_git(room.path, "commit", "-q", "-m", "Add the deal", date="2002-06-05T12:00:00+00:00")
    room.edit(f"account_number: {UK_ACCOUNT}", "account_number: 81726354")
    run_git(room.path, "add", "-A")
    run_git(room.path, "commit", "-q", "-m", "New account", date="2002-06-06T12:00:00+00:00")
    return room


def test_export_masks_a_past_account_number_quoted_in_a_hand_written_page(
        changed_account_room: Room, tmp_path: Path) -> None:
    room = changed_account_room
    (room.path / "content" / "pages" / "memo.md").write_text(f"# Memo\n\nThe old account was {UK_ACCOUNT}.\n")
    result = dealroom("export", str(tmp_path / "out"), cwd=room.path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "docs" / "memo.md").read_text() == "# Memo\n\nThe old account was ••••4590.\n"
    for path in (tmp_path / "out").rglob("*"):
        assert not path.is_file() or not written_anywhere(UK_ACCOUNT, path.read_text(errors="replace")), path


def test_scan_finds_a_past_account_number_in_a_built_site(changed_account_room: Room) -> None:
    room = changed_account_room
    assert room.build().returncode == 0
    (room.site / "about").mkdir(exist_ok=True)
    (room.site / "about" / "wire.txt").write_text(f"Old account: {UK_ACCOUNT}\n")
    result = dealroom("scan", "site", "--deals", "content/deals", cwd=room.path)
    assert result.returncode == 1
    assert "about/wire.txt: raw account number" in result.stderr
    assert not written_anywhere(UK_ACCOUNT, result.stdout + result.stderr)
    assert not (room.site / "about" / "wire.txt").exists()


# --- error messages -------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new"), [
    ("currency: GBP", f"currency: {UK_ACCOUNT}"),  # pasted one line too high
    ("id: sterling", f"id: Sterling-{UK_ACCOUNT}"),  # an id is echoed when it is not one
    ("kind: uk payment", f"kind: {UK_ACCOUNT}"),  # a value not among the allowed ones is echoed
])
def test_an_error_never_echoes_an_account_number_the_record_holds(tmp_path: Path, old: str, new: str) -> None:
    room = new_room(tmp_path, with_instructions())
    room.edit(old, new)
    result = dealroom("validate", cwd=room.path)
    assert result.returncode == 1 and "instructions[2]" in result.stderr
    assert not written_anywhere(UK_ACCOUNT, result.stdout + result.stderr)
    build = mkdocs("build", "--strict", cwd=room.path)
    assert build.returncode == 1 and not written_anywhere(UK_ACCOUNT, build.stdout + build.stderr)
