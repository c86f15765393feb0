"""Every kind of page passes axe-core (no serious or critical violation), in the light and the dark
scheme, and works by keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from conftest import EXAMPLE_SLUG

from .support import run_search

DEAL = f"deals/{EXAMPLE_SLUG}/"
PAGE_TYPES = {
    "home": "", "all deals": "deals/", "about": "about/", "overview": DEAL,
    **{name: f"{DEAL}{name}/" for name in
       ("terms", "parties", "instructions", "exhibits", "timeline", "history", "print")},
    "recent changes": "deals/changes/",
}
SCHEMES = ("light", "dark")


def choose_scheme(page: Page, scheme: str) -> None:
    """Switch to `scheme` with the header's toggle, as a reader would."""
    if scheme == "dark":
        page.locator('label[title="Switch to dark scheme"]').click()
        page.wait_for_selector('body[data-md-color-scheme="slate"]')
    else:
        page.wait_for_selector('body[data-md-color-scheme="default"]', state="attached")


def axe_violations(page: Page, axe_source: str) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page, with the elements at fault."""
    # Colours are measured as shown: let transitions (the search panel fades in) finish first.
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    page.add_script_tag(content=axe_source)
    result = page.evaluate("""async () => {
      const r = await axe.run(document, {resultTypes: ['violations']});
      return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                     nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""")
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_page_has_no_serious_accessibility_violation(
        page: Page, room_url: str, axe_source: str, path: str, scheme: str) -> None:
    page.goto(room_url + path)
    choose_scheme(page, scheme)
    assert axe_violations(page, axe_source) == []


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", ["", f"{DEAL}instructions/"], ids=["home", "instructions"])
def test_phone_page_has_no_serious_accessibility_violation(
        phone: Page, room_url: str, axe_source: str, path: str, scheme: str) -> None:
    phone.goto(room_url + path)
    choose_scheme(phone, scheme)
    assert axe_violations(phone, axe_source) == []


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_results_have_no_serious_accessibility_violation(
        page: Page, room_url: str, axe_source: str, scheme: str) -> None:
    page.goto(room_url)
    choose_scheme(page, scheme)
    assert run_search(page, "warrant")
    assert axe_violations(page, axe_source) == []


def test_the_dark_scheme_is_remembered_on_the_next_page(page: Page, room_url: str) -> None:
    page.goto(room_url)
    choose_scheme(page, "dark")
    page.goto(room_url + DEAL)
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
