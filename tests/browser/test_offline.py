"""The room built with mkdocs.offline.yml works opened from disk (file://), search included.

The crawl checks every page and every file they reference, and opens each kind of page in the
browser, where every request it makes must stay on disk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page

from conftest import EXAMPLE_SLUG, RAW_ACCOUNT_NUMBERS, ROOT, digits_pattern, site_text

from .support import SEARCH_RESULT_LINK, Crawl, crawl, each_kind_of_page, record_requests, run_search


@pytest.fixture(scope="module")
def home(offline_site: Path) -> str:
    return (offline_site / "index.html").as_uri()


@pytest.fixture(scope="module")
def offline_crawl(browser: Browser, offline_site: Path, home: str) -> Iterator[Crawl]:
    context = browser.new_context()
    base = home.removesuffix("index.html")
    yield crawl(context, home, base=base, browse=each_kind_of_page(base))
    context.close()


class _AnyTagLoader(yaml.SafeLoader):
    """Reads MkDocs configs whatever their tags (!ENV, !!python/name:...): kept as text."""


_AnyTagLoader.add_multi_constructor("", lambda loader, tag, node: f"{tag} {node.value}")


def read_config(name: str) -> dict[str, Any]:
    return yaml.load((ROOT / name).read_text(encoding="utf-8"), Loader=_AnyTagLoader)


def test_offline_config_keeps_the_main_configs_plugins_and_adds_offline() -> None:
    main, offline = read_config("mkdocs.yml"), read_config("mkdocs.offline.yml")
    assert offline["INHERIT"] == "mkdocs.yml"
    assert [p for p in offline["plugins"] if p != "offline"] == main["plugins"]


def test_offline_room_links_pages_as_html_files(offline_site: Path) -> None:
    source = (offline_site / "index.html").read_text(encoding="utf-8")
    assert f'href="deals/{EXAMPLE_SLUG}/index.html"' in source


def test_offline_room_ships_its_own_web_worker_shim_and_inline_search_index(offline_site: Path) -> None:
    source = (offline_site / "index.html").read_text(encoding="utf-8")
    assert '<script src="assets/vendor/iframe-worker/shim.js"></script>' in source
    assert "unpkg.com" not in source
    assert (offline_site / "search" / "search_index.js").read_text().startswith("var __index = ")


def test_offline_room_has_no_raw_account_number_in_any_file(offline_site: Path) -> None:
    # An independent check of the whole offline site, search/search_index.js included.
    for path, text in site_text(offline_site).items():
        for number in RAW_ACCOUNT_NUMBERS:
            assert not digits_pattern(number).search(text), f"{number} in {path}"


def test_every_offline_page_is_on_disk_and_each_kind_opens_in_the_browser(
        offline_crawl: Crawl, offline_site: Path, home: str) -> None:
    base = home.removesuffix("index.html")
    pages = {base + p.relative_to(offline_site).as_posix() for p in offline_site.rglob("*.html")}
    assert set(offline_crawl.pages) == pages - {f"{base}404.html"}
    assert len(offline_crawl.browsed) >= 10
    assert {u: s for u, s in offline_crawl.pages.items() if s != 200} == {}


def test_no_offline_link_or_asset_is_missing(offline_crawl: Crawl) -> None:
    missing = {u: sorted(offline_crawl.references[u])
               for u, s in offline_crawl.statuses.items() if s != 200}
    assert offline_crawl.statuses and missing == {}


def test_no_offline_link_or_asset_points_outside_the_site_folder(offline_crawl: Crawl) -> None:
    assert offline_crawl.outside == {}


def test_no_offline_request_fails(offline_crawl: Crawl) -> None:
    assert offline_crawl.failures == []


def test_offline_room_requests_only_its_own_files(offline_crawl: Crawl) -> None:
    outside = [u for u in offline_crawl.requests
               if not u.startswith(offline_crawl.base) and not u.startswith(("data:", "blob:"))]
    assert any(u.endswith("search_index.js") for u in offline_crawl.requests)
    assert outside == []


def test_offline_search_finds_the_deal_and_opens_the_page(page: Page, home: str) -> None:
    requests: list[str] = []
    record_requests(page.context, requests)
    page.goto(home)
    hrefs = run_search(page, "warrant")
    terms = home.replace("index.html", f"deals/{EXAMPLE_SLUG}/terms.html")
    assert any(h.startswith(terms) for h in hrefs), hrefs
    page.locator(f'{SEARCH_RESULT_LINK}[href^="{terms}"]').first.click()
    page.wait_for_url(f"{terms}**")
    assert "Warrant" in page.locator("article h1").inner_text() or \
        "warrant" in page.locator("article").inner_text().lower()
    assert [u for u in requests if not u.startswith(home.removesuffix("index.html"))] == []
