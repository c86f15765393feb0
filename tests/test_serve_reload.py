"""`mkdocs serve --livereload` (the README's command) rebuilds and reloads when a record changes."""

from __future__ import annotations

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
