"""`mkdocs serve --livereload` (the README's command) rebuilds and reloads when a record changes."""

from __future__ import annotations

import json
from collections.abc import Callable

from conftest import EXAMPLE_SLUG, Room
from serving import fetch, serving, wait_until


def test_editing_a_record_while_serving_rebuilds_the_page(make_room: Callable[..., Room]) -> None:
    room = make_room()
    with serving(room) as (base, _):
        url = f"{base}/deals/{EXAMPLE_SLUG}/"
        wait_until(lambda: "Omicron Partners, L.P. buys 800,000 shares" in fetch(url))
        assert "livereload" in fetch(url)  # the script that reloads the open browser tab
        room.edit("Omicron Partners, L.P. buys", "Omicron Partners, L.P. acquires")
        wait_until(lambda: "Omicron Partners, L.P. acquires 800,000 shares" in fetch(url))


def _search_entries(base: str) -> list[dict[str, str]]:
    text = fetch(f"{base}/search/search_index.json")
    return list(json.loads(text)["docs"]) if text else []


def _search_locations(base: str) -> list[str]:
    return [entry["location"] for entry in _search_entries(base)]


def test_a_dirty_serve_rebuilds_the_changed_deal_and_keeps_search_whole(
        make_room: Callable[..., Room]) -> None:
    room = make_room()
    with serving(room, "--dirty") as (base, log):
        url = f"{base}/deals/{EXAMPLE_SLUG}/"
        wait_until(lambda: "buys 800,000 shares" in fetch(url) and bool(_search_locations(base)))
        before = _search_entries(base)
        room.edit("Omicron Partners, L.P. buys", "Omicron Partners, L.P. acquires")
        wait_until(lambda: "acquires 800,000 shares" in fetch(url))
        wait_until(lambda: "acquires 800,000" in fetch(f"{base}/search/search_index.json"))
        after = _search_entries(base)
        assert "" in [e["location"] for e in after]  # the home page, as search addresses it
        # Every page once, none lost, none twice, each titled as before ("Terms — <deal>").
        assert [(e["location"], e["title"]) for e in after] == \
            [(e["location"], e["title"]) for e in before]
        assert [e for e in after if "800,000" not in e["text"]] == \
            [e for e in before if "800,000" not in e["text"]]
        assert "buys 800,000" not in fetch(f"{base}/search/search_index.json")
        assert "Aborted" not in log.read_text()


def test_a_dirty_serve_shows_a_renamed_deal_in_the_nav_of_every_page(
        make_room: Callable[..., Room]) -> None:
    room = make_room()
    with serving(room, "--dirty") as (base, _):
        terms = f"{base}/deals/{EXAMPLE_SLUG}/terms/"
        wait_until(lambda: "Omicron Partners securities purchase" in fetch(terms))
        room.edit("name: NeoTherapeutics – Omicron Partners securities purchase",
                  "name: NeoTherapeutics – Omicron Partners share purchase")
        wait_until(lambda: "Omicron Partners share purchase" in fetch(f"{base}/about/"))
        assert "Omicron Partners securities purchase" not in fetch(f"{base}/about/")
        terms_entry = {"location": f"deals/{EXAMPLE_SLUG}/terms/",
                       "title": "Terms — NeoTherapeutics – Omicron Partners share purchase"}
        wait_until(lambda: any(e.items() >= terms_entry.items() for e in _search_entries(base)))
        assert not [e for e in _search_entries(base) if "securities purchase" in e["title"]]


def test_serve_never_serves_a_page_the_guard_refused_and_keeps_serving(
        make_room: Callable[..., Room]) -> None:
    room = make_room()
    memo = room.path / "content" / "pages" / "memo.md"
    memo.write_text("# Memo\n\nWire today.\n")
    with serving(room) as (base, log):
        url = f"{base}/memo/"
        wait_until(lambda: "Wire today." in fetch(url))
        # Digits a browser puts together around a hidden element: only the guard sees them.
        memo.write_text("# Memo\n\nWire to 066<span hidden>4</span>198038 today.\n")
        wait_until(lambda: "the leak guard stopped the build" in log.read_text())
        assert "198038" not in fetch(url)
        assert "Omicron" in fetch(f"{base}/deals/{EXAMPLE_SLUG}/")  # the rest is served, no hang
        memo.write_text("# Memo\n\nWire tomorrow.\n")
        wait_until(lambda: "Wire tomorrow." in fetch(url))
        assert "Traceback" not in log.read_text() and "198038" not in log.read_text()


def test_a_dirty_serve_shows_a_changed_status_in_the_list_of_deals(make_room: Callable[..., Room]) -> None:
    room = make_room()
    with serving(room, "--dirty") as (base, _):
        listing = f"{base}/deals/"
        wait_until(lambda: "Omicron Partners securities purchase" in fetch(listing))
        pills_before = fetch(listing).count("terminated")
        room.edit("\nstatus: signed\n", "\nstatus: terminated\n")
        wait_until(lambda: fetch(listing).count("terminated") > pills_before)

