"""The search box finds the deal by what a reader remembers, and never by a raw account number."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from conftest import EXAMPLE_SLUG, RAW_ACCOUNT_NUMBERS, digits_pattern

from .support import SEARCH_RESULT_LINK, run_search

DEAL = f"/deals/{EXAMPLE_SLUG}/"


@pytest.mark.parametrize(("query", "page_path"), [
    ("Omicron", DEAL), ("warrant", f"{DEAL}terms/"), ("333-53108", f"{DEAL}terms/")])
def test_search_finds_the_deal_and_its_result_opens_that_page(
        page: Page, room_url: str, query: str, page_path: str) -> None:
    page.goto(room_url)
    hrefs = run_search(page, query)
    matches = [h for h in hrefs if h.split("?")[0].split("#")[0] == room_url + page_path[1:]]
    assert matches, f"no result for {page_path} among {hrefs}"
    page.locator(f'{SEARCH_RESULT_LINK}[href="{matches[0]}"]').first.click()
    page.wait_for_url(matches[0])
    assert page.url.split("#")[0].split("?")[0] == room_url + page_path[1:]
    assert query.lower() in page.locator("article").inner_text().lower()


@pytest.mark.parametrize("number", RAW_ACCOUNT_NUMBERS)
def test_searching_a_raw_account_number_shows_no_result_containing_it(
        page: Page, room_url: str, number: str) -> None:
    page.goto(room_url)
    run_search(page, number)
    shown = page.locator(".md-search-result").inner_text()
    assert not digits_pattern(number).search(shown)


def test_search_on_a_phone_opens_from_the_header_icon_and_finds_the_deal(
        phone: Page, room_url: str) -> None:
    phone.goto(room_url)
    phone.locator("label.md-header__button[for='__search']").click()
    hrefs = run_search(phone, "Omicron")
    assert any(h.startswith(f"{room_url}deals/{EXAMPLE_SLUG}/") for h in hrefs), hrefs
    phone.locator(SEARCH_RESULT_LINK).first.click()
    phone.wait_for_url(f"{room_url}deals/**")
    assert "Omicron" in phone.locator("article").inner_text()
