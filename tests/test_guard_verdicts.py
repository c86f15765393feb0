"""The guard keeps its clean readings between builds (`dealroom.verdicts`): a rebuild with the
cache folder kept reads only what changed, and finds everything a guard reading the whole
site finds, under the same secrets and never under others."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Room
from dealroom.guard import Guard
from dealroom.numbers import Finder, Secret, hidden_runs
from dealroom.scan import scan_and_remove
from dealroom.verdicts import Verdicts

ACCOUNT = Secret("066-198038", "acme", "instructions[wire].account_number")
NAV = "".join(f'\n    <li><a href="deals/deal-{n}/">Deal {n}</a></li>' for n in range(400))
CLEAN = f"<html><body><nav>{NAV}\n  </nav><p>Wire to the account ending 8038.</p></body></html>"
LEAKING = CLEAN.replace("the account ending 8038", "account 066-198038")


def _site(root: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _problems(site: Path, secrets: list[Secret], verdicts: Path) -> set[str]:
    return {Path(str(p.file)).relative_to(site).as_posix()
            for p in scan_and_remove(site, secrets, verdicts=verdicts)}


@pytest.fixture
def parts_read(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The parts of pages the guard reads, as it reads them."""
    read: list[bytes] = []
    original = Finder._read_part

    def reading(self: Finder, part: bytes) -> object:
        read.append(part)
        return original(self, part)
    monkeypatch.setattr(Finder, "_read_part", reading)
    return read


def test_a_rebuild_with_the_cache_kept_reads_no_part_of_an_unchanged_page_again(
        tmp_path: Path, parts_read: list[bytes]) -> None:
    site, verdicts = _site(tmp_path / "site", {"index.html": CLEAN, "terms/index.html": CLEAN}), \
        tmp_path / "cache" / "verdicts.bin"
    assert _problems(site, [ACCOUNT], verdicts) == set()
    assert parts_read and verdicts.exists()
    parts_read.clear()
    assert _problems(site, [ACCOUNT], verdicts) == set()
    assert parts_read == []


def test_a_number_written_into_a_page_read_clean_before_is_found_with_the_cache_kept(
        tmp_path: Path) -> None:
    site, verdicts = _site(tmp_path / "site", {"terms/index.html": CLEAN}), tmp_path / "verdicts.bin"
    assert _problems(site, [ACCOUNT], verdicts) == set()
    _site(site, {"terms/index.html": LEAKING, "notes.txt": "account 066 198 038"})
    assert _problems(site, [ACCOUNT], verdicts) == {"terms/index.html", "notes.txt"}


def test_what_leaked_is_found_again_in_every_rebuild(tmp_path: Path) -> None:
    verdicts = tmp_path / "verdicts.bin"
    for _ in range(2):
        site = _site(tmp_path / "site", {"terms/index.html": LEAKING, "app.js": 'var a="066198038"'})
        assert _problems(site, [ACCOUNT], verdicts) == {"terms/index.html", "app.js"}


def test_a_page_read_clean_under_other_secrets_is_read_again(tmp_path: Path) -> None:
    """A number that was no account when a page was read is one now (a deal was added)."""
    pages = {"about/index.html": CLEAN.replace("8038", "077-555123"), "app.js": 'x="077555123"'}
    site, verdicts = _site(tmp_path / "site", pages), tmp_path / "verdicts.bin"
    assert _problems(site, [ACCOUNT], verdicts) == set()
    added = Secret("077-555123", "beta", "instructions[wire].account_number")
    assert _problems(site, [ACCOUNT, added], verdicts) == {"about/index.html", "app.js"}


@pytest.mark.parametrize("kept", [b"\x00" * 33 * 50, b"garbage", b""])
def test_a_damaged_or_foreign_verdicts_file_vouches_for_nothing(tmp_path: Path, kept: bytes) -> None:
    site, verdicts = _site(tmp_path / "site", {"terms/index.html": LEAKING}), tmp_path / "verdicts.bin"
    verdicts.write_bytes(kept)
    assert _problems(site, [ACCOUNT], verdicts) == {"terms/index.html"}


def test_the_verdicts_file_holds_no_number(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", {"terms/index.html": CLEAN, "a/index.html": LEAKING})
    verdicts = tmp_path / "verdicts.bin"
    _problems(site, [ACCOUNT], verdicts)
    data = verdicts.read_bytes()
    assert data and b"066198038" not in data and b"066-198038" not in data and b"8038" not in data


FILL = "<i></i>" * 400  # markup that shows nothing and where no part ends


PAGES_WITH_FLAGS = [
    # A part that ends inside a tag is read with the next: the span is hidden, 066198038 shows.
    f"{NAV}\n  Wire {FILL}066<span\n  Xenon hidden>4</span>198038\n",
    # An account label in one part, hidden digits near it in the next: the page is read whole.
    f"{NAV}\n  Wire to Account No. {FILL}\n  Xenon 06619.\n",
]


@pytest.mark.parametrize("page", PAGES_WITH_FLAGS, ids=["part-ends-in-a-tag", "label-and-hidden-digits"])
def test_a_kept_verdict_reads_a_page_as_a_guard_without_a_cache_reads_it(tmp_path: Path, page: str) -> None:
    """What the guard notes of a clean part besides numbers (it ends inside a tag, it holds an
    account label) is kept with its verdict: the next build finds what a fresh guard finds."""
    secrets = [ACCOUNT, *hidden_runs([ACCOUNT], 4)]
    fresh = Guard(secrets).read("deals/acme/terms/index.html", page.encode())
    assert fresh.secrets
    verdicts = tmp_path / "verdicts.bin"
    for _ in range(2):
        guard = Guard(secrets)
        guard.verdicts = Verdicts(verdicts, secrets)
        assert guard.read("deals/acme/terms/index.html", page.encode()) == fresh
        guard.verdicts.save()


@pytest.mark.parametrize("page", PAGES_WITH_FLAGS, ids=["part-ends-in-a-tag", "label-and-hidden-digits"])
def test_flags_changed_in_the_verdicts_file_vouch_for_nothing(tmp_path: Path, page: str) -> None:
    """Whoever can write the cache folder cannot say that a part does not end inside a tag, or
    holds no label, without the account numbers: each record's flags are sealed with them."""
    secrets, name = [ACCOUNT, *hidden_runs([ACCOUNT], 4)], "deals/acme/terms/index.html"
    verdicts = tmp_path / "verdicts.bin"
    guard = Guard(secrets)
    guard.verdicts = Verdicts(verdicts, secrets)
    fresh = guard.read(name, page.encode())
    guard.verdicts.save()
    records = bytearray(verdicts.read_bytes())
    flags = [at for at in range(16, len(records), 33) if records[at]]
    assert flags
    for at in flags:
        records[at] = 0
    verdicts.write_bytes(bytes(records))
    guard = Guard(secrets)
    guard.verdicts = Verdicts(verdicts, secrets)
    assert guard.read(name, page.encode()) == fresh


def test_a_part_of_a_page_is_never_taken_for_a_file_read_whole(tmp_path: Path) -> None:
    """A page whose bytes are a file's name, flags and bytes as the guard digests a file: the
    verdict on the file does not vouch for the page, nor the page's for the file."""
    account = Secret("123-456789", "acme", "instructions[w].account_number")
    verdicts = tmp_path / "verdicts.bin"
    reads = [("deals/acme/notes.txt", b"23-456789", True),
             ("about/index.html", b"deals/acme/notes.txt\x001\x0023-456789", False),
             ("x.html", b"x.css\x000\x00p::before{content:counter(x)} p{counter-reset:x 66198037}", False),
             ("x.css", b"p::before{content:counter(x)} p{counter-reset:x 66198037}", False)]
    fresh = [Guard([account]).read(name, data, attachment) for name, data, attachment in reads]
    assert not fresh[1].clean and not fresh[3].clean
    for _ in range(2):
        guard = Guard([account])
        guard.verdicts = Verdicts(verdicts, [account])
        assert [guard.read(name, data, attachment) for name, data, attachment in reads] == fresh
        guard.verdicts.save()


def test_a_rebuild_keeping_the_cache_folder_stops_at_a_number_added_to_a_theme_script(
        make_room: Callable[..., Room]) -> None:
    """The guard's verdicts are kept in the cache folder, and a file changed since is read."""
    room = make_room()
    script = room.path / "content" / "pages" / "extra.js"
    script.write_text('var desk = "Operations";\n')
    assert room.build().returncode == 0
    assert list((room.path / ".cache").rglob("verdicts.bin"))
    script.write_text('var desk = "066 198 038";\n')
    result = room.build()
    assert result.returncode == 1
    assert "extra.js: raw account number from deal" in result.stderr
    assert not (room.site / "extra.js").exists()
