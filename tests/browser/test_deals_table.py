"""The list of deals of a large room sorts and filters in the browser (assets/dealroom-deals.js)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from conftest import benchmark_script, mkdocs

from .support import serve

DEALS = 25  # more than the nav lists flat: the nav groups these by year




@pytest.fixture(scope="module")
def large_room_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    room = tmp_path_factory.mktemp("large") / "room"
    benchmark_script().make_room(room, DEALS)
    result = mkdocs("build", "--strict", cwd=room, timeout=300)
    assert result.returncode == 0, result.stderr
    with serve(room / "site") as url:
        yield url


def visible_rows(page: Page) -> list[list[str]]:
    return page.eval_on_selector_all(
        "div.dealroom-deals tbody tr:not([hidden])",
        "rows => rows.map(r => Array.from(r.cells, c => c.innerText.trim()))")


def test_filter_by_text_status_and_year(page: Page, large_room_url: str) -> None:
    page.goto(large_room_url)
    count = page.locator(".dealroom-deals__count")
    expect(count).to_have_text(f"Showing {DEALS} of {DEALS} deals")
    first = visible_rows(page)[0]
    party = first[1].split(";")[-1].strip()
    page.get_by_label("Filter deals").fill(party)
    rows = visible_rows(page)  # every word of the filter, anywhere in the row
    assert first in rows and len(rows) < DEALS
    assert all(all(w in " ".join(row).lower() for w in party.lower().split()) for row in rows)
    page.get_by_label("Filter deals").fill("")
    page.get_by_label("Status").select_option(first[4])
    assert {row[4] for row in visible_rows(page)} == {first[4]}
    page.get_by_label("Status").select_option("")
    year = first[2][-4:]
    page.get_by_label("Year").select_option(year)
    assert {row[2][-4:] for row in visible_rows(page)} == {year}
    expect(count).to_contain_text(f"of {DEALS} deals")


def test_sort_by_each_column(page: Page, large_room_url: str) -> None:
    page.goto(large_room_url)
    dates = "rows => rows.map(r => r.cells[2].querySelector('time').getAttribute('datetime'))"
    header = page.locator("div.dealroom-deals th", has_text="Date")
    header.get_by_role("button").click()
    ascending = page.eval_on_selector_all("div.dealroom-deals tbody tr", dates)
    assert ascending == sorted(ascending)
    expect(header).to_have_attribute("aria-sort", "ascending")
    header.get_by_role("button").click()
    assert page.eval_on_selector_all("div.dealroom-deals tbody tr", dates) == sorted(ascending,
                                                                                     reverse=True)
    page.locator("div.dealroom-deals th", has_text="Deal").get_by_role("button").click()
    names = [row[0].lower() for row in visible_rows(page)]
    assert names == sorted(names)
    page.locator("div.dealroom-deals th", has_text="Amount").get_by_role("button").click()
    amounts = [float(re.sub(r"[^\d.]", "", row[3])) for row in visible_rows(page)]
    assert amounts == sorted(amounts)
