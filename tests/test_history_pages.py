"""The room remembers: each deal's pages show its history from git, built for real."""

from __future__ import annotations

import html
import subprocess
import sys
from collections.abc import Callable

from gitrepo import run_git

from conftest import EXAMPLE_SLUG, Room, digits_pattern, mkdocs, no_raw_number, site_text

SIGNED = "2002-06-05T12:00:00+00:00"
LATER = "2002-06-06T09:30:00+00:00"
NEW_ACCOUNT = "fbo_account_number: 077-555123"


def committed_room(make_room: Callable[..., Room]) -> Room:
    """The example room in a git repository: created by Ann on the signing day."""
    room = make_room()
    (room.path / ".gitignore").write_text("site/\n.cache/\n")
    run_git(room.path, "init", "-q", "-b", "main")
    run_git(room.path, "add", "-A")
    run_git(room.path, "commit", "-q", "-m", "Add the Omicron deal", date=SIGNED, author="Ann Author")
    return room


def commit(room: Room, message: str, date: str = LATER, author: str = "Mallory Editor") -> None:
    run_git(room.path, "add", "-A")
    run_git(room.path, "commit", "-q", "-m", message, date=date, author=author)


def test_every_page_says_when_and_by_whom_the_deal_last_changed(make_room: Callable[..., Room]) -> None:
    room = committed_room(make_room)
    room.edit("status: signed", "status: funded")
    commit(room, "Mark the deal funded")
    assert room.build().returncode == 0
    for page in ("", "terms", "instructions", "print"):
        text = room.page(page)
        assert "Last changed June 6, 2002 by Mallory Editor" in text and "Mark the deal funded" in text


def test_the_history_page_lists_each_change_field_by_field_newest_first(
        make_room: Callable[..., Room]) -> None:
    room = committed_room(make_room)
    room.edit("status: signed", "status: funded")
    commit(room, "Mark the deal funded")
    assert room.build().returncode == 0
    history = room.page("history")
    assert history.index("Mark the deal funded") < history.index("Add the Omicron deal")
    assert "<code>status</code></td><td>signed</td><td>funded</td>" in history


def test_a_changed_account_raises_an_alarm_with_both_numbers_masked(make_room: Callable[..., Room]) -> None:
    room = committed_room(make_room)
    room.edit("fbo_account_number: 066-198038", NEW_ACCOUNT)
    commit(room, "Update wire details")
    assert room.build().returncode == 0
    instructions = room.page("instructions")
    assert "These payment instructions changed" in instructions
    assert "•••••8038" in instructions and "•••••5123" in instructions
    assert "Payment instructions changed" in room.page("")
    assert "Payment instructions changed" in (room.site / "index.html").read_text()
    history = html.unescape(room.page("history"))
    assert "instructions[company-wire].fbo_account_number" in history
    # The old number is a secret too: nowhere in the site, in any form.
    texts = site_text(room.site).values()
    assert all(no_raw_number(text) and "077555123" not in text.replace("-", "") for text in texts)


def test_the_history_and_its_alarm_show_as_many_digits_as_the_mask(make_room: Callable[..., Room]) -> None:
    room = make_room("      deals_dir: content/deals\n      mask:\n        visible_digits: 0\n")
    (room.path / ".gitignore").write_text("site/\n.cache/\n")
    run_git(room.path, "init", "-q", "-b", "main")
    commit(room, "Add the Omicron deal", date=SIGNED, author="Ann Author")
    room.edit("fbo_account_number: 066-198038", NEW_ACCOUNT)
    commit(room, "Update wire details")
    assert room.build().returncode == 0
    for page in ("instructions", "history"):
        text = html.unescape(room.page(page))
        assert "\u2022" * 9 in text and "8038" not in text and "5123" not in text, page


def test_a_past_value_of_a_field_the_mask_adds_is_masked_in_the_history_and_everywhere(
        make_room: Callable[..., Room]) -> None:
    room = make_room("      deals_dir: content/deals\n      mask:\n        fields: [aba_number]\n")
    (room.path / ".gitignore").write_text("site/\n.cache/\n")
    run_git(room.path, "init", "-q", "-b", "main")
    commit(room, "Add the Omicron deal", date=SIGNED, author="Ann Author")
    room.edit("aba_number: 021 000 021", "aba_number: 021 000 089")
    commit(room, "New bank")
    result = room.build()
    assert result.returncode == 0, result.stderr
    history = html.unescape(room.page("history"))
    assert "instructions[company-wire].aba_number" in history and "\u2022" * 5 + "0021" in history
    old = digits_pattern("021000021")
    assert not [path for path, text in site_text(room.site).items() if old.search(text)]


def test_a_past_account_number_quoted_in_a_hand_written_page_is_masked(
        make_room: Callable[..., Room]) -> None:
    room = committed_room(make_room)
    room.edit("fbo_account_number: 066-198038", NEW_ACCOUNT)
    commit(room, "Update wire details")
    (room.path / "content" / "pages" / "memo.md").write_text("# Memo\n\nThe old account was 066 198 038.\n")
    assert room.build().returncode == 0
    assert "The old account was •••••8038." in (room.site / "memo" / "index.html").read_text()


def test_a_call_back_older_than_the_last_change_is_shown_void(make_room: Callable[..., Room]) -> None:
    room = committed_room(make_room)
    room.edit("    further_credit_account_number: 561-04051-19-103\n",
              "    further_credit_account_number: 561-04051-19-103\n"
              "    verified:\n      - by: Ann Author\n        called: Samuel Gulko\n"
              "        number: (949) 788-6706\n        on: 2002-06-05\n        result: confirmed\n")
    commit(room, "Record the call-back", date=SIGNED, author="Ann Author")
    assert room.build().returncode == 0
    assert "Verified since its last change" in room.page("instructions")
    room.edit("fbo_account_number: 066-198038", NEW_ACCOUNT)
    commit(room, "Update wire details")
    assert room.build().returncode == 0
    void = "<strong>Void</strong>: the instructions changed after the last call-back"
    assert void in room.page("instructions")


def test_outside_git_the_pages_say_history_is_not_available(make_room: Callable[..., Room]) -> None:
    room = make_room()
    result = room.build()
    assert result.returncode == 0
    assert "history not available" in result.stderr
    assert "History not available" in room.page("terms") and "Last changed" not in room.page("terms")


def test_a_shallow_clone_says_history_is_not_available_never_a_wrong_date(
        make_room: Callable[..., Room]) -> None:
    room = committed_room(make_room)
    room.edit("status: signed", "status: funded")
    commit(room, "Mark the deal funded")
    clone = room.path.parent / "clone"
    run_git(room.path.parent, "clone", "-q", "--depth", "1", room.path.as_uri(), str(clone))
    result = mkdocs("build", "--strict", cwd=clone)
    assert result.returncode == 0, result.stderr
    page = (clone / "site" / "deals" / EXAMPLE_SLUG / "terms" / "index.html").read_text()
    assert "shallow clone" in page and "Last changed" not in page


def test_a_renamed_deal_keeps_its_history(make_room: Callable[..., Room]) -> None:
    room = committed_room(make_room)
    run_git(room.path, "mv", f"content/deals/{EXAMPLE_SLUG}", "content/deals/omicron-spa-2002")
    commit(room, "Rename the deal folder")
    assert room.build().returncode == 0
    history = room.page("history", slug="omicron-spa-2002")
    assert "Add the Omicron deal" in history and "Rename the deal folder" in history


def test_recent_changes_lists_the_room_s_changes_of_the_last_30_days(make_room: Callable[..., Room]) -> None:
    room = committed_room(make_room)
    room.edit("status: signed", "status: funded")
    commit(room, "Mark the deal funded")
    assert room.build().returncode == 0  # built "as of" May 23, 2002 (SOURCE_DATE_EPOCH in conftest)
    changes = (room.site / "deals" / "changes" / "index.html").read_text()
    assert "Mark the deal funded" in changes and "Mallory Editor" in changes


def test_validate_require_verified_fails_on_an_instruction_changed_since_its_call_back(
        make_room: Callable[..., Room]) -> None:
    room = committed_room(make_room)
    room.edit("fbo_account_number: 066-198038", NEW_ACCOUNT)
    commit(room, "Update wire details")
    for where in (str(room.deals), "content/deals"):  # a path from the room's folder reads the same
        result = subprocess.run([sys.executable, "-m", "dealroom.cli", "validate", "--require-verified",
                                 where], cwd=room.path, capture_output=True, text=True, check=False)
        assert result.returncode == 1
        assert "instructions[company-wire]: not verified by a call-back since its last change" \
            in result.stderr
        assert no_raw_number(result.stdout + result.stderr) and "Traceback" not in result.stderr
