"""A keyboard-only reader reaches the search box and, through the nav links, every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from .support import built_pages, page_file

# Material's palette toggle is a visually hidden radio input whose label shows the focus (the
# sun or moon icon): for it, the label is what a keyboard reader sees.
_FOCUSED_JS = """() => {
  const e = document.activeElement;
  const palette = e.matches('input.md-option') ? e.closest('[data-md-component=palette]') : null;
  const shown = palette ? [...palette.querySelectorAll('label')].find(
    l => l.getBoundingClientRect().width > 0) || e : e;
  return {tag: e.tagName, href: e.getAttribute('href') ? e.href : null,
          nav: !!e.closest('nav.md-nav'), search: e.matches('input.md-search__input'),
          visible: shown.getBoundingClientRect().width > 0};
}"""


def tab_through(page: Page, limit: int = 250, nav_only: bool = False) -> list[dict[str, Any]]:
    """Press Tab from the top of the page until focus leaves it (`nav_only`: until it leaves the
    nav for the page's content); what got focus, in order."""
    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED_JS)
        if focused["tag"] == "BODY" or (nav_only and not focused["nav"] and
                                        any(stop["nav"] for stop in stops)):
            break
        stops.append(focused)
    return stops


def test_tab_from_the_page_start_reaches_the_search_input(page: Page, room_url: str) -> None:
    page.goto(room_url)
    for _ in range(5):  # skip link, logo, ... then the search box
        page.keyboard.press("Tab")
        if page.evaluate(_FOCUSED_JS)["search"]:
            break
    else:
        raise AssertionError("five presses of Tab did not reach the search box")
    page.keyboard.type("Omicron")
    assert page.locator("input.md-search__input").input_value() == "Omicron"


def test_tab_through_the_nav_links_reaches_every_page(
        page: Page, room_url: str, example_site: Path) -> None:
    # From the home page, open each nav link reached by Tab, until every page has been reached
    # (a deal's pages show in the nav once one of them is open); a page's content is not tabbed.
    pages = built_pages(example_site, room_url)
    queue, reached = [room_url], {page_file(room_url)}
    while queue and not pages <= reached:
        page.goto(queue.pop(0))
        for stop in tab_through(page, nav_only=True):
            if stop["nav"] and stop["href"] and stop["href"].startswith(room_url):
                target = stop["href"].split("#")[0]
                if page_file(target) not in reached:
                    reached.add(page_file(target))
                    queue.append(target)
    assert reached == pages


def test_every_focused_element_is_visible(page: Page, room_url: str) -> None:
    page.goto(room_url)
    assert [s for s in tab_through(page) if not s["visible"]] == []


def test_enter_on_a_focused_nav_link_opens_its_page(page: Page, room_url: str) -> None:
    page.goto(room_url)
    for _ in range(100):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED_JS)
        if focused["nav"] and focused["href"] and focused["href"].endswith("/about/"):
            break
    else:
        raise AssertionError("no nav link to the About page got focus")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{room_url}about/")
    assert "About this room" in page.locator("h1").inner_text()
