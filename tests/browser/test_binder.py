"""The room reads like a closing binder: search names the deal, the home page says what is
overdue as of the build date, every printed page is marked, exports download."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from conftest import EXAMPLE_SLUG, ROOT

from .support import run_search, serve

DEAL_NAME = "NeoTherapeutics – Omicron Partners securities purchase"
BANNER = "Confidential — deal team only. Do not forward."
AFTER_THE_CLOSING = "1023667200"  # June 10, 2002


@pytest.fixture(scope="module")
def later_room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example room built as of June 10, 2002: four obligations past their day."""
    room = tmp_path_factory.mktemp("later")
    for name in ("content", "site_overrides"):
        shutil.copytree(ROOT / name, room / name)
    shutil.copy(ROOT / "mkdocs.yml", room / "mkdocs.yml")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": AFTER_THE_CLOSING}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=room, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    with serve(room / "site") as url:
        yield url


def test_search_results_name_the_deal_of_each_page(page: Page, room_url: str) -> None:
    page.goto(room_url)
    run_search(page, "instructions")
    titles = page.locator(".md-search-result__item h1").all_inner_texts()
    assert f"Instructions — {DEAL_NAME}" in titles, titles


def test_search_snippets_read_label_colon_value(page: Page, room_url: str) -> None:
    page.goto(room_url)
    run_search(page, "Warrant coverage")
    assert "Security: Common Stock" in page.locator(".md-search-result").inner_text()


@pytest.mark.parametrize(("query", "page_path"), [
    ("280,000", "terms/"), ("Omicron Partners", "parties/"), ("Omicron Form of Warrant", "exhibits/")])
def test_search_finds_amounts_parties_and_exhibits(page: Page, room_url: str, query: str,
                                                    page_path: str) -> None:
    page.goto(room_url)
    hrefs = run_search(page, query)
    target = f"{room_url}deals/{EXAMPLE_SLUG}/{page_path}"
    assert any(re.split(r"[?#]", h)[0] == target for h in hrefs), hrefs


def test_the_home_page_lists_overdue_obligations_as_of_the_build_date(page: Page, later_room: str) -> None:
    page.goto(later_room)
    assert "As of June 10, 2002" in page.locator("article").inner_text()
    overdue = page.locator("table.dealroom-due-list tr.dealroom-overdue")
    assert overdue.count() == 4
    assert "Wire the Purchase Price" in overdue.all_inner_texts()[0]


def test_an_overdue_item_links_to_its_obligation(page: Page, later_room: str) -> None:
    page.goto(later_room)
    page.locator("table.dealroom-due-list a", has_text="Wire the Purchase Price").click()
    page.wait_for_url(re.compile(r".*/timeline/#obligation-wire-purchase-price$"))
    row = page.locator("#obligation-wire-purchase-price")
    assert row.is_visible() and "overdue" in row.inner_text()


def test_the_timeline_marks_today_and_the_gap_to_the_warrant_expiry(page: Page, later_room: str) -> None:
    page.goto(f"{later_room}deals/{EXAMPLE_SLUG}/timeline/")
    assert page.locator("li.dealroom-event-today time").get_attribute("datetime") == "2002-06-10"
    assert page.locator("li.dealroom-gap").inner_text() == "4 years 11 months later"


def test_the_exports_download_from_the_deal(page: Page, room_url: str) -> None:
    page.goto(f"{room_url}deals/{EXAMPLE_SLUG}/")
    for name in ("obligations.csv", "deadlines.ics"):
        href = page.locator(f'a[href$="{name}"]').first.get_attribute("href")
        assert href is not None
        response = page.request.get(page.url + href)
        assert response.ok and len(response.body()) > 100


def pdf_pages(browser: Browser, url: str) -> list[str]:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        page.emulate_media(media="print")
        pdf = page.pdf(format="Letter", margin={"top": "15mm", "bottom": "15mm", "left": "12mm",
                                                 "right": "12mm"})
    finally:
        context.close()
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_every_printed_page_carries_the_marking_the_deal_and_its_page_number(
        browser: Browser, room_url: str) -> None:
    pages = pdf_pages(browser, f"{room_url}deals/{EXAMPLE_SLUG}/print/")
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert BANNER in text, number
        assert DEAL_NAME in text, number
        assert f"Page {number} of {len(pages)}" in text, number


def test_the_verification_warning_prints_on_the_page_of_the_first_instruction(
        browser: Browser, room_url: str) -> None:
    pages = pdf_pages(browser, f"{room_url}deals/{EXAMPLE_SLUG}/print/")
    warning = [n for n, text in enumerate(pages) if "Verify before any money moves" in text]
    first = [n for n, text in enumerate(pages) if "Company Wire Transfer Instructions Kind" in text]
    assert len(warning) == 1 and warning == first[:1]


def test_the_print_button_prints(page: Page, room_url: str) -> None:
    page.goto(f"{room_url}deals/{EXAMPLE_SLUG}/print/")
    page.evaluate("window.__printed = 0; window.print = () => { window.__printed += 1; }")
    page.locator("button.dealroom-print-button").click()
    assert page.evaluate("window.__printed") >= 1
