"""A reader reaches every page from the home page, and no link or asset is broken.

The crawl follows every link of every page and checks every URL they reference; it opens each
kind of page in the browser (every page that is no deal's, every page of the seed deal, each
other deal's overview), where every request the browser makes is checked too.
"""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLE_SLUG, EXAMPLE_SLUGS

from .support import Crawl, built_pages, page_file


def test_every_page_is_reachable_from_home_through_the_navigation(
        room_crawl: Crawl, example_site: Path, room_url: str) -> None:
    assert room_crawl.reached_through_nav(room_url) == built_pages(example_site, room_url)


def test_every_page_loads_with_status_200(room_crawl: Crawl, example_site: Path, room_url: str) -> None:
    assert set(room_crawl.pages) == built_pages(example_site, room_url)
    assert {u: s for u, s in room_crawl.pages.items() if s != 200} == {}


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


def test_the_crawl_opened_each_kind_of_page_in_the_browser(room_crawl: Crawl, room_url: str) -> None:
    deal = f"deals/{EXAMPLE_SLUG}/"
    kinds = ["", "deals/", "deals/changes/", "about/", deal,
             *(f"{deal}{name}/" for name in ("terms", "parties", "instructions", "exhibits",
                                             "timeline", "history", "print")),
             *(f"deals/{slug}/" for slug in EXAMPLE_SLUGS)]
    assert {page_file(room_url + path) for path in kinds} <= room_crawl.browsed


def test_no_request_fails_while_browsing_each_kind_of_page(room_crawl: Crawl) -> None:
    # Catches what no href or src names: fonts or images a stylesheet asks for, worker scripts.
    assert room_crawl.failures == []


def test_browsing_each_kind_of_page_requests_only_the_local_server(room_crawl: Crawl) -> None:
    outside = [u for u in room_crawl.requests
               if not u.startswith(room_crawl.base) and not u.startswith(("data:", "blob:"))]
    assert room_crawl.requests and outside == []
