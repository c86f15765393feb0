"""The leak guard's scanner: files scanned from disk in another process while MkDocs builds
(`SiteScanner`), and the final pass that trusts its records only for files provably unchanged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from conftest import benchmark_script, mkdocs
from dealroom.guard import Leak
from dealroom.mask import Secret
from dealroom.plugin import SCAN_ALONGSIDE_MIN_DEALS
from dealroom.scanner import SiteScanner, UnscannableSite, scan_and_remove

SECRET = Secret("066-198038", "acme", "instructions[0].account_number")


def write(site: Path, name: str, text: str) -> Path:
    path = site / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def scanned(site: Path, *names: str) -> SiteScanner:
    """A scanner that has scanned `names` in its process."""
    scanner = SiteScanner(site, [SECRET])
    for name in names:
        scanner.written(name)
    assert scanner.idle(timeout=60)
    return scanner


def leaking(site: Path, leaks: list[Leak]) -> list[str]:
    return sorted(str(leak.file.relative_to(site)) for leak in leaks)


def test_a_leak_in_a_file_scanned_by_the_scanner_process_is_reported_and_removed(tmp_path: Path) -> None:
    page = write(tmp_path, "leaks/index.html", "<p>066 198038</p>")
    scanner = scanned(tmp_path, "leaks/index.html")
    leaks = scan_and_remove(tmp_path, [SECRET], scanner)
    assert leaking(tmp_path, leaks) == ["leaks/index.html"] and not page.exists()


def test_a_file_rewritten_after_its_scan_with_the_same_size_and_time_is_scanned_again(
        tmp_path: Path) -> None:
    page = write(tmp_path, "page/index.html", "<p>call 555 0100 9</p>")
    before = page.stat()
    scanner = scanned(tmp_path, "page/index.html")
    write(tmp_path, "page/index.html", "<p>wire 066-198038</p>")  # e.g. a later plugin
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))  # a coarse clock: same time
    assert page.stat().st_size == before.st_size
    leaks = scan_and_remove(tmp_path, [SECRET], scanner)
    assert leaking(tmp_path, leaks) == ["page/index.html"]


def test_a_file_copied_over_with_an_old_time_after_its_scan_is_scanned_again(tmp_path: Path) -> None:
    # copy2, tar and npm keep a file's old time: same size and time, other bytes.
    page = write(tmp_path, "lib/vendor.js", "var ref = '555-010091';")
    os.utime(page, ns=(500_000_000_000_000_000, 500_000_000_000_000_000))  # 1985
    scanner = scanned(tmp_path, "lib/vendor.js")
    write(tmp_path, "lib/vendor.js", "var ref = '066-198038';")
    os.utime(page, ns=(500_000_000_000_000_000, 500_000_000_000_000_000))
    leaks = scan_and_remove(tmp_path, [SECRET], scanner)
    assert leaking(tmp_path, leaks) == ["lib/vendor.js"]


def test_a_link_to_a_folder_in_the_site_stops_the_scan(tmp_path: Path) -> None:
    # A server follows it to files the guard would not have read.
    outside = tmp_path / "outside"
    write(outside, "index.html", "<p>066-198038</p>")
    site = tmp_path / "site"
    write(site, "index.html", "<p>home</p>")
    (site / "linked").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnscannableSite, match="linked: a link to a folder"):
        scan_and_remove(site, [SECRET])


def test_a_file_never_reported_as_written_is_scanned_by_the_final_pass(tmp_path: Path) -> None:
    write(tmp_path, "clean/index.html", "<p>nothing</p>")
    scanner = scanned(tmp_path, "clean/index.html")
    write(tmp_path, "sitemap.xml", "<loc>https://deals.example/wire-066198038/</loc>")
    leaks = scan_and_remove(tmp_path, [SECRET], scanner)
    assert leaking(tmp_path, leaks) == ["sitemap.xml"]


def test_a_scanner_whose_process_died_leaves_the_whole_scan_to_the_final_pass(tmp_path: Path) -> None:
    write(tmp_path, "index.html", "066-198038")
    scanner = SiteScanner(tmp_path, [SECRET])
    scanner.process.kill()
    scanner.written("index.html")
    assert leaking(tmp_path, scan_and_remove(tmp_path, [SECRET], scanner)) == ["index.html"]


def test_a_large_room_with_a_number_in_its_theme_fails_the_build(tmp_path: Path) -> None:
    room = tmp_path / "room"
    benchmark_script().make_room(room, SCAN_ALONGSIDE_MIN_DEALS)
    record = sorted((room / "content" / "deals").glob("*/deal.yml"))[0]
    number = yaml.safe_load(record.read_text(encoding="utf-8"))["instructions"][0]["fbo_account_number"]
    override = room / "site_overrides" / "main.html"
    override.write_text(override.read_text(encoding="utf-8") +
                        f"{{% block footer %}}<p>Wire to {number}</p>{{% endblock %}}\n",
                        encoding="utf-8")
    result = mkdocs("build", "--strict", cwd=room, timeout=600)
    assert result.returncode != 0
    assert "the leak guard found raw account numbers" in result.stderr
    assert number not in result.stderr
    assert not list((room / "site").rglob("*.html"))  # every page showed it: every page removed


def test_a_scanner_far_behind_leaves_no_file_unscanned(tmp_path: Path) -> None:
    for number in range(300):
        write(tmp_path, f"p{number}/index.html", "<p>066 198038</p>" if number % 7 == 0 else "<p>ok</p>")
    scanner = SiteScanner(tmp_path, [SECRET])
    for number in range(300):
        scanner.written(f"p{number}/index.html")
    leaks = scan_and_remove(tmp_path, [SECRET], scanner)  # at once
    assert leaking(tmp_path, leaks) == sorted(f"p{n}/index.html" for n in range(0, 300, 7))
