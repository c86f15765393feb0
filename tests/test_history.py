"""The history of deal records, read from real git repositories in temporary folders."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from gitrepo import EXAMPLE_TEXT, Repo, run_git

from conftest import RAW_ACCOUNT_NUMBERS, ROOT
from dealroom.history import History, read_history, verification_status
from dealroom.loader import load_file
from dealroom.model import Deal, Verification
from dealroom.recorddiff import Blocks, read_snapshot

SLUG = "neo"
OLD_FBO, NEW_FBO = "066-198038", "066-777777"
# Texts where a line looks like the start of a top-level field and is not, or where the parts
# of a text parse and the whole does not.
TRICKY_TEXTS = [
    'name: "a quoted value\nstatus: over two lines"\nclosing: x\n',
    "name: [a flow list,\nstatus: over two lines]\nclosing: x\n",
    "name: a\n...\nstatus: b\n",
    "name: a\n---\nstatus: b\n",
    "name: a\nstatus: b\nname: c\n",
    "name: |\n  a block\n  status: inside it\nclosing: x\n",
    "# a comment first\nname: a\n# between\nstatus: b\n",
    "name: &anchor a\nstatus: *anchor\n",
    "name:\n- indentless\n- list\nstatus: b\n",
    "name: a\nstatus:\tb\n",
    '"name": a\nstatus: b\n',
]
# The same for the items of a list (a list is parsed an item at a time from 512 characters on).
LONG = "      " + "A long note. " * 90 + "\n"
TRICKY_LISTS = [
    f"parties:\n  - id: a\n    notes: >-\n{LONG}  - id: b\n",
    f"parties:\n  - id: a\n    notes: \"quoted\n  - id: b\n{LONG}\"\n",
    f"parties:\n  - id: a\n    notes: [flow,\n  - id: b,\n{LONG}]\n",
    f"parties:\n  - id: a\n    notes: |\n{LONG}      - id: c\n  - id: b\n",
    f"parties:\n- id: a\n  notes: >-\n{LONG}- id: b\n",
    f"parties: # the parties\n  # first\n  - id: a\n    notes: >-\n{LONG}  # next\n  - id: b\n",
    f"parties:\n  - id: a\n    notes: >-\n{LONG}    - id: b\n",
    f"parties:\n  - id: a\n    notes: >-\n{LONG}  - id: a\n",
    f"parties:\n  - a\n  -\n    id: b\n    notes: >-\n{LONG}  - - nested\n",
    f"parties: x\n  - id: a\n    notes: >-\n{LONG}",
    f"parties:\n  notes: >-\n{LONG}  - id: b\n",
    f"account_number:\n  - 066-198038\n  - notes: >-\n{LONG}",
    f"instructions:\n  - fbo_account_number: 066-198038\n    notes: >-\n{LONG}  - account_number: 12345678\n",
]
CALL_BACK = """    further_credit_account_number: 561-04051-19-103
    verified:
      - by: Jane Doe
        called: Samuel Gulko
        number: (949) 788-6700
        on: {on}
        result: confirmed
"""


def corpus_texts() -> list[bytes]:
    """The malformed and hostile records of `tests/corpus`."""
    spec = importlib.util.spec_from_file_location("corpus_cases", ROOT / "tests/corpus/corpus_cases.py")
    assert spec and spec.loader
    # Registered before it runs: its dataclasses look their module up.
    module = sys.modules.setdefault("corpus_cases", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)
    return [case.text() for case in module.CASES]


def history_of(repo: Repo) -> History:
    return read_history(repo.path, Path("content/deals"))


def shown_text(history: History) -> str:
    """Everything a page could show of the history: every commit, revision and change."""
    parts: list[str] = []
    for deal in history.deals.values():
        parts += [repr(deal), *(str(c) for r in deal.changes for c in r.changes)]
        parts += [f"{c.subject} {c.author}" for c in deal.versions]
    return "\n".join(parts)


def add_call_back(repo: Repo, on: str) -> None:
    """A confirmed call-back on the company's wire instruction."""
    repo.edit(SLUG, "    further_credit_account_number: 561-04051-19-103\n", CALL_BACK.format(on=on))


def add_wire_note(repo: Repo, note: str) -> None:
    repo.edit(SLUG, "    fbo: Salomon Smith Barney", f"    fbo: Salomon Smith Barney\n    notes: {note}")


def call_backs(repo: Repo) -> list[Verification]:
    deal = Deal.model_validate(load_file(repo.record(SLUG)).data)
    return list(deal.instructions[0].verified)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """A repository with the example deal committed on 2 January 2024."""
    repo = Repo(tmp_path / "room")
    repo.write(SLUG)
    repo.commit("Add the Omicron deal", date="2024-01-02T10:00:00+00:00", author="Ann Author")
    return repo


def test_a_changed_account_number_is_masked_on_both_sides(repo: Repo) -> None:
    repo.edit(SLUG, OLD_FBO, NEW_FBO)
    repo.commit("New custodian account", date="2024-02-01T10:00:00+00:00")
    [revision, _] = history_of(repo).deals[SLUG].changes
    [change] = revision.changes
    assert (change.kind, change.old, change.new, change.masked) == \
        ("changed", "•••••8038", "•••••7777", True)


def test_no_raw_account_number_is_in_anything_the_history_shows(repo: Repo) -> None:
    repo.edit(SLUG, OLD_FBO, NEW_FBO)
    add_wire_note(repo, f"was {OLD_FBO}")
    repo.commit(f"Move the wire from {OLD_FBO} to {NEW_FBO}", date="2024-02-01T10:00:00+00:00")
    text = shown_text(history_of(repo))
    assert "Move the wire from •••••8038 to •••••7777" in text
    for number in (*RAW_ACCOUNT_NUMBERS, NEW_FBO):
        assert number not in text and number.replace("-", "") not in text


def test_a_note_quoting_a_number_the_record_no_longer_holds_is_redacted(repo: Repo) -> None:
    repo.edit(SLUG, OLD_FBO, NEW_FBO)
    repo.commit("New account", date="2024-02-01T10:00:00+00:00")
    add_wire_note(repo, f"not {OLD_FBO}")
    repo.commit("Note", date="2024-02-02T10:00:00+00:00")
    [change] = history_of(repo).deals[SLUG].changes[0].changes
    assert (change.path, change.new) == ("instructions[company-wire].notes", "not •••••8038")


def test_versions_have_the_dates_authors_and_subjects_of_their_commits(repo: Repo) -> None:
    repo.edit(SLUG, "fax: 212-508-7028", "fax: 212-508-0000")
    repo.commit("Purchaser's new fax", date="2024-02-01T09:30:00-05:00", author="Bob Broker")
    deal = history_of(repo).deals[SLUG]
    assert [(c.subject, c.author, c.date) for c in deal.versions] == [
        ("Purchaser's new fax", "Bob Broker", datetime.fromisoformat("2024-02-01T09:30:00-05:00")),
        ("Add the Omicron deal", "Ann Author", datetime.fromisoformat("2024-01-02T10:00:00+00:00"))]
    assert (deal.last_changed.subject, deal.created.subject) == \
        ("Purchaser's new fax", "Add the Omicron deal")
    assert len(deal.created.short) == 7 and deal.created.hash.startswith(deal.created.short)


def test_a_renamed_deal_folder_keeps_its_history(repo: Repo) -> None:
    repo.git("mv", "content/deals/neo", "content/deals/neo-omicron")
    repo.commit("Rename the deal", date="2024-02-01T10:00:00+00:00")
    repo.edit("neo-omicron", "fax: 212-508-7028", "fax: 212-508-0000")
    repo.commit("New fax", date="2024-03-01T10:00:00+00:00")
    history = history_of(repo)
    deal = history.deals["neo-omicron"]
    assert list(history.deals) == ["neo-omicron"]
    assert [c.subject for c in deal.versions] == ["New fax", "Rename the deal", "Add the Omicron deal"]
    assert deal.former_paths == ("content/deals/neo/deal.yml",)
    assert deal.changes[1].renamed_from == "content/deals/neo/deal.yml"


def test_list_items_are_named_by_their_id(repo: Repo) -> None:
    repo.edit(SLUG, "fax: 212-508-7028", "fax: 212-508-0000")
    repo.commit("New fax", date="2024-02-01T10:00:00+00:00")
    [change] = history_of(repo).deals[SLUG].changes[0].changes
    assert (change.path, change.old, change.new) == \
        ("parties[purchaser].notices.fax", "212-508-7028", "212-508-0000")


def test_list_items_without_an_id_are_named_by_their_index(repo: Repo) -> None:
    repo.edit(SLUG, "New York, NY 10004", "New York, NY 10005")
    repo.commit("Bank's zip code", date="2024-02-01T10:00:00+00:00")
    [change] = history_of(repo).deals[SLUG].changes[0].changes
    assert change.path == "instructions[company-wire].bank_address[1]"


def test_an_added_list_item_is_one_change_with_a_summary(repo: Repo) -> None:
    repo.edit(SLUG, "documents:\n", "documents:\n  - id: side-letter\n    title: Side letter\n"
              "    file: agreement.txt\n")
    repo.commit("Side letter", date="2024-02-01T10:00:00+00:00")
    [change] = history_of(repo).deals[SLUG].changes[0].changes
    assert (change.kind, change.path, change.old, change.new) == \
        ("added", "documents[side-letter]", None, "Side letter (3 fields)")


def test_a_changed_bank_is_a_payment_change_and_a_changed_fax_is_not(repo: Repo) -> None:
    repo.edit(SLUG, "bank: Chase Manhattan Bank", "bank: Other Bank")
    repo.edit(SLUG, "fax: 212-508-7028", "fax: 212-508-0000")
    repo.commit("Bank and fax", date="2024-02-01T10:00:00+00:00")
    deal = history_of(repo).deals[SLUG]
    assert [(p.instruction, p.change.path, p.change.old, p.change.new, p.date.date())
            for p in deal.payment_changes] == [
        ("company-wire", "instructions[company-wire].bank", "Chase Manhattan Bank", "Other Bank",
         date(2024, 2, 1))]


def test_past_numbers_lists_every_number_any_version_held(repo: Repo) -> None:
    repo.edit(SLUG, OLD_FBO, NEW_FBO)
    repo.commit("New account", date="2024-02-01T10:00:00+00:00")
    assert history_of(repo).past_numbers(SLUG) == [
        (OLD_FBO, "instructions[company-wire].fbo_account_number"),
        ("561-04051-19-103", "instructions[company-wire].further_credit_account_number"),
        ("1233932118", "instructions[purchaser-dwac].account_number"),
        ("313-12878", "instructions[purchaser-dwac].fbo_account_number"),
        (NEW_FBO, "instructions[company-wire].fbo_account_number")]


def test_a_version_that_does_not_parse_is_kept_as_unparseable(repo: Repo) -> None:
    repo.write(SLUG, repo.record(SLUG).read_text() + "notes: [unclosed\n")
    broken = repo.commit("Broken", date="2024-02-01T10:00:00+00:00")
    deal = history_of(repo).deals[SLUG]
    assert deal.changes[0].unparseable is not None
    assert deal.changes[0].unparseable.startswith(f"unparseable at {broken[:7]}: line ")


def test_a_version_that_does_not_parse_still_gives_its_numbers(repo: Repo) -> None:
    repo.write(SLUG, repo.record(SLUG).read_text().replace(OLD_FBO, NEW_FBO) + "notes: [unclosed\n")
    repo.commit("Broken", date="2024-02-01T10:00:00+00:00")
    assert NEW_FBO in [number for number, _ in history_of(repo).past_numbers(SLUG)]


def test_a_shallow_clone_has_no_history(repo: Repo, tmp_path: Path) -> None:
    repo.edit(SLUG, "fax: 212-508-7028", "fax: 212-508-0000")
    repo.commit("New fax", date="2024-02-01T10:00:00+00:00")
    run_git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.path}", "shallow")
    history = read_history(tmp_path / "shallow", Path("content/deals"))
    assert (history.available, history.deals) == (False, {})
    assert "shallow clone" in history.reason and "\n" not in history.reason


def test_a_folder_outside_any_repository_has_no_history(tmp_path: Path) -> None:
    (tmp_path / "content" / "deals").mkdir(parents=True)
    history = read_history(tmp_path, Path("content/deals"))
    assert (history.available, history.deals) == (False, {})
    assert "not a git repository" in history.reason and "\n" not in history.reason


def test_without_git_there_is_no_history(repo: Repo) -> None:
    script = ("import sys; from pathlib import Path; from dealroom.history import read_history; "
              "h = read_history(Path(sys.argv[1]), Path('content/deals')); print(h.available, h.reason)")
    done = subprocess.run([sys.executable, "-c", script, str(repo.path)], env={"PATH": ""},
                          capture_output=True, text=True, check=True)
    assert done.stdout == "False git is not installed\n"


def test_a_repository_without_commits_has_an_empty_history(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "room")
    repo.write(SLUG)
    assert (history_of(repo).available, history_of(repo).deals) == (True, {})


def test_a_record_changed_in_the_working_tree_is_marked_uncommitted(repo: Repo) -> None:
    repo.edit(SLUG, "fax: 212-508-7028", "fax: 212-508-0000")
    assert history_of(repo).deals[SLUG].uncommitted


def test_a_single_file_record_has_a_history(repo: Repo) -> None:
    (repo.deals / "solo.yml").write_text(repo.record(SLUG).read_text())
    repo.commit("A single-file record", date="2024-02-01T10:00:00+00:00")
    assert history_of(repo).deals["solo"].created.subject == "A single-file record"


def test_a_merge_that_only_joins_two_branches_adds_no_revision(repo: Repo) -> None:
    repo.git("checkout", "-q", "-b", "side")
    repo.edit(SLUG, "fax: 212-508-7028", "fax: 212-508-0000")
    repo.commit("Side: fax", date="2024-02-01T10:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.edit(SLUG, "fax: (949) 788-6706", "fax: (949) 788-0000")
    repo.commit("Main: company fax", date="2024-02-02T10:00:00+00:00")
    repo.git("merge", "-q", "--no-edit", "side", date="2024-02-03T10:00:00+00:00")
    deal = history_of(repo).deals[SLUG]
    assert [r.commit.subject for r in deal.changes] == \
        ["Main: company fax", "Side: fax", "Add the Omicron deal"]


def test_a_merge_that_resolves_a_conflict_is_a_revision_with_its_own_change(repo: Repo) -> None:
    repo.git("checkout", "-q", "-b", "side")
    repo.edit(SLUG, "fax: 212-508-7028", "fax: 212-508-1111")
    repo.commit("Side: fax", date="2024-02-01T10:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.edit(SLUG, "fax: 212-508-7028", "fax: 212-508-2222")
    repo.commit("Main: fax", date="2024-02-02T10:00:00+00:00")
    with pytest.raises(AssertionError):  # the conflict
        repo.git("merge", "-q", "--no-edit", "side")
    repo.write(SLUG, EXAMPLE_TEXT.replace("fax: 212-508-7028", "fax: 212-508-3333"))
    repo.commit("Merge side", date="2024-02-03T10:00:00+00:00")
    [merge] = [r for r in history_of(repo).deals[SLUG].changes if r.commit.subject == "Merge side"]
    assert [(c.path, c.old, c.new) for c in merge.changes] == \
        [("parties[purchaser].notices.fax", "212-508-2222", "212-508-3333")]


def test_recent_lists_the_revisions_of_the_last_days_newest_first(repo: Repo) -> None:
    repo.edit(SLUG, "fax: 212-508-7028", "fax: 212-508-0000")
    repo.commit("New fax", date="2024-02-01T10:00:00+00:00")
    recent = history_of(repo).recent(7, date(2024, 2, 5))
    assert [(r.slug, r.commit.subject) for r in recent] == [(SLUG, "New fax")]


def test_a_call_back_after_the_last_change_verifies_the_instruction(repo: Repo) -> None:
    repo.edit(SLUG, OLD_FBO, NEW_FBO)
    repo.commit("New account", date="2024-02-01T10:00:00+00:00")
    add_call_back(repo, on="2024-02-02")
    repo.commit("Called back", date="2024-02-02T10:00:00+00:00")
    deal = history_of(repo).deals[SLUG]
    assert verification_status(deal, "company-wire", call_backs(repo)) == "verified"


def test_a_call_back_before_the_instruction_changed_is_void(repo: Repo) -> None:
    add_call_back(repo, on="2024-02-02")
    repo.commit("Called back", date="2024-02-02T10:00:00+00:00")
    repo.edit(SLUG, OLD_FBO, NEW_FBO)
    repo.commit("New account", date="2024-03-01T10:00:00+00:00")
    deal = history_of(repo).deals[SLUG]
    assert verification_status(deal, "company-wire", call_backs(repo)) == "void"


def test_a_call_back_recorded_before_a_change_the_same_day_is_void(repo: Repo) -> None:
    add_call_back(repo, on="2024-02-02")
    repo.commit("Called back", date="2024-02-02T09:00:00+00:00")
    repo.edit(SLUG, "bank: Chase Manhattan Bank", "bank: Other Bank")
    repo.commit("New bank", date="2024-02-02T15:00:00+00:00")
    deal = history_of(repo).deals[SLUG]
    assert verification_status(deal, "company-wire", call_backs(repo)) == "void"


def test_a_call_back_stays_valid_when_another_instruction_changes(repo: Repo) -> None:
    add_call_back(repo, on="2024-02-02")
    repo.commit("Called back", date="2024-02-02T10:00:00+00:00")
    repo.edit(SLUG, "account_number: 1233932118", "account_number: 1233932119")
    repo.commit("DWAC account", date="2024-03-01T10:00:00+00:00")
    deal = history_of(repo).deals[SLUG]
    assert verification_status(deal, "company-wire", call_backs(repo)) == "verified"


def test_an_instruction_without_call_backs_is_unverified(repo: Repo) -> None:
    assert verification_status(history_of(repo).deals[SLUG], "company-wire", []) == "unverified"


def test_without_a_history_nothing_is_verified(repo: Repo) -> None:
    add_call_back(repo, on="2024-02-02")
    assert verification_status(None, "company-wire", call_backs(repo)) == "unverified"


def test_a_previous_history_gives_the_same_history(repo: Repo) -> None:
    first = history_of(repo)
    repo.edit(SLUG, OLD_FBO, NEW_FBO)
    repo.commit("New account", date="2024-02-01T10:00:00+00:00")
    again = read_history(repo.path, Path("content/deals"), previous=first)
    assert again.deals == history_of(repo).deals


def test_a_version_parsed_field_by_field_reads_as_the_whole_text_does() -> None:
    blocks: Blocks = {}  # shared by every text, as by every version of a room
    texts = [*corpus_texts(), *(text.encode() for text in TRICKY_TEXTS + TRICKY_LISTS)]
    for raw in texts + texts:
        whole, parts = read_snapshot(raw, "deal.yml"), read_snapshot(raw, "deal.yml", blocks)
        assert (parts.data, parts.numbers, parts.problem) == (whole.data, whole.numbers, whole.problem)



def test_a_version_that_changes_one_party_parses_that_party_alone() -> None:
    blocks: Blocks = {}
    read_snapshot(EXAMPLE_TEXT.encode(), "deal.yml", blocks)
    before = set(blocks)
    edited = EXAMPLE_TEXT.replace("fax: 212-508-7028", "fax: 212-508-0000").encode()
    assert read_snapshot(edited, "deal.yml", blocks).data == read_snapshot(edited, "deal.yml").data
    # The parties field, and the purchaser as an item of it, are all that was new.
    new = sorted(text.split("\n")[1] for text in set(blocks) - before)
    assert new == ["  - id: company", "  - id: purchaser"]
