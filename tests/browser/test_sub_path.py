"""The room hosted under a sub-path (site_url https://intranet.example/deals/, served at /deals/).

The crawl checks every page and every URL they reference, and opens each kind of page in the
browser, where every request it makes must stay under the sub-path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from conftest import EXAMPLE_SLUG

from .support import (
    SEARCH_RESULT_LINK,
    Crawl,
    built_pages,
    crawl,
    each_kind_of_page,
    record_requests,
    run_search,
)


@pytest.fixture(scope="module")
def sub_path_crawl(browser: Browser, sub_path_url: str) -> Iterator[Crawl]:
    context = browser.new_context()
    yield crawl(context, sub_path_url, browse=each_kind_of_page(sub_path_url))
    context.close()


def test_every_page_under_the_sub_path_loads(sub_path_crawl: Crawl, sub_path_site: Path,
                                             sub_path_url: str) -> None:
    assert set(sub_path_crawl.pages) == built_pages(sub_path_site, sub_path_url)
    assert len(sub_path_crawl.browsed) >= 10
    assert {u: s for u, s in sub_path_crawl.pages.items() if s != 200} == {}


def test_no_link_or_asset_under_the_sub_path_is_broken(sub_path_crawl: Crawl) -> None:
    broken = {u: s for u, s in sub_path_crawl.statuses.items() if s != 200}
    assert sub_path_crawl.statuses and broken == {}


def test_no_request_fails_under_the_sub_path(sub_path_crawl: Crawl) -> None:
    assert sub_path_crawl.failures == []


def test_no_link_or_asset_points_outside_the_sub_path(sub_path_crawl: Crawl) -> None:
    assert sub_path_crawl.outside == {}


def test_nothing_is_requested_outside_the_sub_path(sub_path_crawl: Crawl) -> None:
    outside = [u for u in sub_path_crawl.requests if not u.startswith(sub_path_crawl.base)]
    assert outside == []


def test_search_under_the_sub_path_opens_the_deal(page: Page, sub_path_url: str) -> None:
    page.goto(sub_path_url)
    deal = f"{sub_path_url}deals/{EXAMPLE_SLUG}/"
    hrefs = run_search(page, "Omicron")
    assert any(h.startswith(deal) for h in hrefs), hrefs
    page.locator(SEARCH_RESULT_LINK).filter(has_text="Omicron").first.click()
    page.wait_for_url(f"{deal}**")
    assert page.url.startswith(sub_path_url)
    assert "Omicron" in page.locator("article").inner_text()


def test_the_not_found_page_under_the_sub_path_loads_its_styles(page: Page, sub_path_url: str) -> None:
    requests: list[str] = []
    record_requests(page.context, requests)
    response = page.goto(f"{sub_path_url}deals/no-such-deal/")
    assert response is not None and response.status == 404
    page.wait_for_load_state("networkidle")
    assert any(u.endswith(".css") for u in requests)
    assert [u for u in requests if not u.startswith(sub_path_url)] == []
    # Material's styles applied: the header is a fixed bar, not an unstyled block.
    assert page.locator(".md-header").evaluate("e => getComputedStyle(e).position") == "sticky"
