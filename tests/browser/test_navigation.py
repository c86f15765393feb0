"""A reader reaches every page from the home page, and no link or asset is broken."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser

from .support import Crawl, built_pages, crawl


def test_every_page_is_reachable_from_home_through_the_navigation(
        browser: Browser, example_site: Path, room_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    reached = set(crawl(context, room_url, nav_only=True).pages)
    context.close()
    assert reached == built_pages(example_site, room_url)


def test_every_page_loads_with_status_200(room_crawl: Crawl) -> None:
    assert room_crawl.pages and {u: s for u, s in room_crawl.pages.items() if s != 200} == {}


def test_no_link_or_asset_is_broken(room_crawl: Crawl) -> None:
    broken = {url: (status, sorted(room_crawl.references[url]))
              for url, status in room_crawl.statuses.items() if status != 200}
    assert broken == {}


def test_no_link_points_to_a_missing_anchor(room_crawl: Crawl) -> None:
    assert room_crawl.missing_fragments == set()


def test_the_crawl_checked_pages_stylesheets_scripts_and_attached_files(room_crawl: Crawl) -> None:
    checked = " ".join(room_crawl.statuses)
    for kind in (".css", ".js", ".png", "/files/agreement.txt", "/instructions/"):
        assert kind in checked


def test_no_request_fails_while_browsing_every_page(room_crawl: Crawl) -> None:
    # Catches what no href or src names: fonts or images a stylesheet asks for, worker scripts.
    assert room_crawl.failures == []


def test_browsing_every_page_requests_only_the_local_server(room_crawl: Crawl) -> None:
    outside = [u for u in room_crawl.requests
               if not u.startswith(room_crawl.base) and not u.startswith(("data:", "blob:"))]
    assert room_crawl.requests and outside == []
