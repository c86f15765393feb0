"""While serving, the guard remembers what it read: a file written again is read again unless
its bytes are the ones it read before, and a file it refused is refused every time."""

from __future__ import annotations

import os
import time
from pathlib import Path

from dealroom.numbers import Secret
from dealroom.scan import ScanMemory, scan_and_remove

SECRETS = [Secret("066-198038", "acme", "instructions[wire].account_number")]
CLEAN = "<p>Wire to the account ending 8038 on closing.</p>"


def _write(page: Path, text: str) -> None:
    before = page.stat().st_mtime_ns if page.exists() else 0
    page.write_text(text)
    os.utime(page, ns=(before + 10**9, before + 10**9))  # a later build, whatever the clock says


def test_a_rebuild_finds_a_number_written_into_a_page_it_read_before(tmp_path: Path) -> None:
    memory, page = ScanMemory(), tmp_path / "terms" / "index.html"
    page.parent.mkdir()
    _write(page, CLEAN)
    assert scan_and_remove(tmp_path, SECRETS, memory) == []
    _write(page, CLEAN.replace("the account ending 8038", "account 066-198038"))
    assert {str(p.file) for p in scan_and_remove(tmp_path, SECRETS, memory)} == {str(page)}
    assert not page.exists()


def test_a_page_written_again_as_it_was_is_kept(tmp_path: Path) -> None:
    memory, page = ScanMemory(), tmp_path / "404.html"
    _write(page, CLEAN)
    assert scan_and_remove(tmp_path, SECRETS, memory) == []
    _write(page, CLEAN)
    assert scan_and_remove(tmp_path, SECRETS, memory) == []
    assert page.exists()


def test_a_refused_page_written_again_as_it_was_is_refused_again(tmp_path: Path) -> None:
    memory, page = ScanMemory(), tmp_path / "sitemap.xml"
    leaking = "<urlset><url><loc>deals/066198038/</loc></url></urlset>"
    _write(page, leaking)
    assert scan_and_remove(tmp_path, SECRETS, memory) != []
    _write(page, leaking)
    assert scan_and_remove(tmp_path, SECRETS, memory) != []
    assert not page.exists()


def test_a_page_added_beside_pages_read_before_is_read(tmp_path: Path) -> None:
    memory, terms = ScanMemory(), tmp_path / "deals" / "acme" / "terms" / "index.html"
    terms.parent.mkdir(parents=True)
    _write(terms, CLEAN)
    time.sleep(2.1)  # folders that changed since are listed again; these have not
    assert scan_and_remove(tmp_path, SECRETS, memory) == []
    added = [terms.parent / "print.html", tmp_path / "deals" / "acme" / "exports" / "index.html"]
    added[1].parent.mkdir()
    for page in added:
        page.write_text("<p>Account 066-198038</p>")
    assert {str(p.file) for p in scan_and_remove(tmp_path, SECRETS, memory)} == set(map(str, added))
    assert terms.exists()


def test_a_link_beside_pages_read_before_is_read_once_what_it_points_at_appears(tmp_path: Path) -> None:
    site, memory = tmp_path / "site", ScanMemory()
    folder = site / "deals" / "acme"
    folder.mkdir(parents=True)
    _write(folder / "index.html", CLEAN)
    (folder / "wire.html").symlink_to(tmp_path / "elsewhere.html")  # nothing there yet
    time.sleep(2.1)
    assert scan_and_remove(site, SECRETS, memory) == []
    (tmp_path / "elsewhere.html").write_text("<p>Account 066-198038</p>")
    assert {str(p.file) for p in scan_and_remove(site, SECRETS, memory)} == {str(folder / "wire.html")}


def test_a_page_added_to_a_site_folder_given_as_a_link_is_read(tmp_path: Path) -> None:
    (tmp_path / "built").mkdir()
    _write(tmp_path / "built" / "index.html", CLEAN)
    site, memory = tmp_path / "site", ScanMemory()
    site.symlink_to(tmp_path / "built")
    time.sleep(2.1)
    assert scan_and_remove(site, SECRETS, memory) == []
    (site / "new.html").write_text("<p>Account 066-198038</p>")
    assert {str(p.file) for p in scan_and_remove(site, SECRETS, memory)} == {str(site / "new.html")}
