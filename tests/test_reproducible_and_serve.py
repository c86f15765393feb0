"""Builds are reproducible, and `mkdocs serve` survives a broken record with the last good room."""

from __future__ import annotations

import gzip
import time
from collections.abc import Callable
from pathlib import Path

from conftest import EXAMPLE_SLUG, Room, mkdocs
from serving import fetch, serving, wait_until


def tree(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_of_the_same_records_are_byte_identical(make_room: Callable[..., Room]) -> None:
    room = make_room()
    config = room.path / "mkdocs.yml"  # a site URL fills the sitemap, the file most likely to vary
    config.write_text("site_url: https://deals.example/\n" + config.read_text(encoding="utf-8"))
    first, second = room.path / "first", room.path / "second"
    assert mkdocs("build", "--site-dir", str(first), cwd=room.path).returncode == 0
    time.sleep(1.1)  # a clock that ticked between the builds must not show
    assert mkdocs("build", "--site-dir", str(second), cwd=room.path).returncode == 0
    one, two = tree(first), tree(second)
    assert one.keys() == two.keys() and "sitemap.xml.gz" in one
    assert [name for name in one if one[name] != two[name]] == []


def test_the_sitemap_is_stamped_with_source_date_epoch(make_room: Callable[..., Room]) -> None:
    room = make_room()
    config = room.path / "mkdocs.yml"
    config.write_text("site_url: https://deals.example/\n" + config.read_text(encoding="utf-8"))
    assert room.build().returncode == 0  # conftest's runner sets SOURCE_DATE_EPOCH=1022112000
    packed = (room.site / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(packed[4:8], "little") == 1022112000  # the gzip header's mtime
    assert "<lastmod>2002-05-23</lastmod>" in gzip.decompress(packed).decode()


def test_a_broken_record_while_serving_shows_the_error_and_keeps_the_last_good_room(
        make_room: Callable[..., Room]) -> None:
    room = make_room()
    with serving(room) as (base, log):
        url = f"{base}/deals/{EXAMPLE_SLUG}/"
        wait_until(lambda: "Omicron Partners, L.P. buys 800,000 shares" in fetch(url))
        room.edit("quantity: 800000", "quantity: 800,000")
        text = room.record().read_text(encoding="utf-8")
        line = text[: text.index("quantity: 800,000")].count("\n") + 1
        error = (f"content/deals/{EXAMPLE_SLUG}/deal.yml:{line}:13: shares.quantity: '800,000' is "
                 "not a whole number (fix: write 800000 without thousands separators)")
        wait_until(lambda: "Serving the room as last built" in log.read_text())
        assert error in log.read_text() and "Traceback" not in log.read_text()
        assert "Omicron Partners, L.P. buys 800,000 shares" in fetch(url)  # served, not stuck
        room.edit("quantity: 800,000", "quantity: 800000")
        room.edit("Omicron Partners, L.P. buys", "Omicron Partners, L.P. acquires")
        wait_until(lambda: "Omicron Partners, L.P. acquires 800,000 shares" in fetch(url))
