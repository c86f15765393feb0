"""Instructions show masked numbers, and the tables stay readable on a desktop and a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from conftest import EXAMPLE_SLUG, RAW_ACCOUNT_NUMBERS, digits_pattern

MASKED = ("•••••8038", "•••••••••9103", "••••••2118", "••••2878")
DEAL = f"deals/{EXAMPLE_SLUG}/"
# Every page with a table: home, the list of deals, and the deal pages with tables.
TABLE_PAGES = ("", "deals/", *(f"{DEAL}{name}/" for name in
                                ("terms", "instructions", "exhibits", "timeline", "print")))

# Tables wider than the space they have, and cells running past the right edge of the screen.
_CLIPPED_JS = """() => {
  const problems = [];
  for (const table of document.querySelectorAll('article table')) {
    const box = table.parentElement;
    if (table.scrollWidth > box.clientWidth + 1)
      problems.push(`table ${table.scrollWidth}px wide in ${box.clientWidth}px: `
                    + table.innerText.slice(0, 40));
    for (const cell of table.querySelectorAll('th, td')) {
      const r = cell.getBoundingClientRect();
      if (r.left < -1 || r.right > window.innerWidth + 1 || cell.scrollWidth > cell.clientWidth + 1)
        problems.push(`cell overflows: ${cell.innerText.slice(0, 40)}`);
    }
  }
  return problems;
}"""


@pytest.mark.parametrize("viewer", ["page", "phone"])
def test_instructions_show_masked_account_numbers(
        request: pytest.FixtureRequest, room_url: str, viewer: str) -> None:
    page: Page = request.getfixturevalue(viewer)
    page.goto(f"{room_url}{DEAL}instructions/")
    text = page.locator("article").inner_text()
    assert all(masked in text for masked in MASKED)
    assert page.get_by_text(MASKED[0]).first.is_visible()


@pytest.mark.parametrize("viewer", ["page", "phone"])
def test_instructions_show_no_raw_account_number(
        request: pytest.FixtureRequest, room_url: str, viewer: str) -> None:
    page: Page = request.getfixturevalue(viewer)
    page.goto(f"{room_url}{DEAL}instructions/")
    text = page.locator("body").inner_text()
    assert [n for n in RAW_ACCOUNT_NUMBERS if digits_pattern(n).search(text)] == []


@pytest.mark.parametrize("name", TABLE_PAGES)
@pytest.mark.parametrize("viewer", ["page", "phone"])
def test_tables_fit_the_screen_without_clipped_columns(
        request: pytest.FixtureRequest, room_url: str, viewer: str, name: str) -> None:
    page: Page = request.getfixturevalue(viewer)
    page.goto(room_url + name)
    assert page.locator("article table").count() > 0
    assert page.evaluate(_CLIPPED_JS) == []


def test_phone_view_has_no_sideways_scrolling(phone: Page, room_url: str) -> None:
    for name in TABLE_PAGES:
        phone.goto(room_url + name)
        width = phone.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375, name
