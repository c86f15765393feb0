"""The leak guard's pages scanned on a second core during the build (`PageScanner`)."""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import benchmark_script, mkdocs
from dealroom.guard import PageScanner, scan_and_remove
from dealroom.mask import Secret
from dealroom.plugin import SCAN_ALONGSIDE_MIN_DEALS

SECRET = Secret("066-198038", "acme", "instructions[0].account_number")




def write(site: Path, name: str, text: str) -> bytes:
    path = site / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path.read_bytes()


def test_pages_scanned_alongside_count_and_a_page_changed_since_is_scanned_again(
        tmp_path: Path) -> None:
    scanner = PageScanner([SECRET])
    scanner.submit("leaks/index.html", write(tmp_path, "leaks/index.html", "<p>066 198038</p>"))
    scanner.submit("clean/index.html", write(tmp_path, "clean/index.html", "<p>nothing</p>"))
    scanned = scanner.results()
    assert scanned["leaks/index.html"].secrets == [SECRET]
    assert scanned["clean/index.html"].secrets == []
    write(tmp_path, "clean/index.html", "<p>changed after: 0661-98038</p>")  # e.g. a later plugin
    write(tmp_path, "never/handed.txt", "066198038")
    leaks = scan_and_remove(tmp_path, [SECRET], scanned)
    assert sorted(leak.file.parent.name for leak in leaks) == ["clean", "leaks", "never"]
    assert not list(tmp_path.rglob("*.html")) and not list(tmp_path.rglob("*.txt"))


def test_a_scanner_that_fails_leaves_the_whole_scan_to_the_guard(tmp_path: Path) -> None:
    scanner = PageScanner([SECRET])
    scanner.submit("index.html", "not bytes")  # type: ignore[arg-type]  # the process raises
    assert scanner.results() == {}
    write(tmp_path, "index.html", "066-198038")
    assert len(scan_and_remove(tmp_path, [SECRET], {})) == 1


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
