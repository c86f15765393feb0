"""ProperDocs, the continuation of MkDocs 1.x, builds the room with our plugin, guard included.

ProperDocs runs plugins registered for MkDocs and redirects their `mkdocs.*` imports to its own
modules, so this is our plugin running on another engine's classes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLE_SLUG, RAW_ACCOUNT_NUMBERS, digits_pattern, site_text
from engines import command, copy_example_room, installed, missing_seed_facts, run

pytestmark = pytest.mark.skipif(not installed("properdocs"),
                                reason="properdocs is not installed (pip install -e '.[test]')")


def properdocs_build(room: Path) -> tuple[int, str]:
    # `-f mkdocs.yml`: ProperDocs reads mkdocs.yml by itself too, but says the name is legacy.
    result = run(command("properdocs"), "build", "--strict", "-f", "mkdocs.yml", cwd=room)
    return result.returncode, result.stdout + result.stderr


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    room = copy_example_room(tmp_path_factory.mktemp("properdocs") / "room")
    code, output = properdocs_build(room)
    assert code == 0, output
    return room / "site"


def test_properdocs_shows_every_seed_fact_on_its_page(properdocs_site: Path) -> None:
    assert missing_seed_facts(properdocs_site) == []


def test_properdocs_publishes_the_home_page_and_every_deal_page(properdocs_site: Path) -> None:
    deal = properdocs_site / "deals" / EXAMPLE_SLUG
    pages = ["", *(f"{name}/" for name in ("terms", "parties", "instructions", "exhibits",
                                           "timeline", "print"))]
    assert [p for p in pages if not (deal / p / "index.html").is_file()] == []
    assert "Omicron Partners" in (properdocs_site / "index.html").read_text(encoding="utf-8")


def test_properdocs_publishes_no_raw_account_number(properdocs_site: Path) -> None:
    for path, text in site_text(properdocs_site).items():
        for number in RAW_ACCOUNT_NUMBERS:
            assert not digits_pattern(number).search(text), f"{number} in {path}"


def test_properdocs_runs_the_leak_guard_and_stops_on_a_leak(tmp_path: Path) -> None:
    room = copy_example_room(tmp_path / "room")
    number = RAW_ACCOUNT_NUMBERS[0]
    (room / "content" / "pages" / "wire.txt").write_text(f"Wire to {number} today.\n", encoding="utf-8")
    code, output = properdocs_build(room)
    assert code != 0
    assert "leak guard stopped the build" in output and "wire.txt" in output
    assert not digits_pattern(number).search(output)
    assert not (room / "site" / "wire.txt").exists()
