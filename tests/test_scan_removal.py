"""What the guard removes from a built site: every file that leaks, the folders that leaves
empty (a folder's name is published too), and what it found before it had to stop."""

from __future__ import annotations

from pathlib import Path

import pytest

from dealroom.numbers import Secret
from dealroom.scan import UnscannableSite, scan_and_remove

SECRETS = [Secret("066-198038", "acme", "instructions[wire].account_number")]


def test_a_folder_named_with_an_account_number_is_removed_with_its_files(tmp_path: Path) -> None:
    folder = tmp_path / "deals" / "066-198038"
    (folder / "terms").mkdir(parents=True)
    (folder / "index.html").write_text("<p>Overview</p>", encoding="utf-8")
    (folder / "terms" / "index.html").write_text("<p>Terms</p>", encoding="utf-8")
    (tmp_path / "deals" / "index.html").write_text("<p>All deals</p>", encoding="utf-8")
    assert {leak.file.name for leak in scan_and_remove(tmp_path, SECRETS)} == {"index.html"}
    assert not folder.exists()
    assert (tmp_path / "deals" / "index.html").is_file()  # a folder with other files stays


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs a file that cannot be read")
def test_a_leak_found_before_an_unreadable_file_stopped_the_guard_is_removed(tmp_path: Path) -> None:
    leaking = tmp_path / "a.html"
    leaking.write_text("<p>Wire to 066-198038</p>", encoding="utf-8")
    (tmp_path / "z.bin").symlink_to("/proc/self/mem")  # a file the system refuses to read
    with pytest.raises(UnscannableSite, match="cannot be read"):
        scan_and_remove(tmp_path, SECRETS)
    assert not leaking.exists()
