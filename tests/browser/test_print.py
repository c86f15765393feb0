"""The "whole deal" page prints (Chromium PDF, print media) as a clean document for the binder."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from conftest import EXAMPLE_SLUG, RAW_ACCOUNT_NUMBERS, digits_pattern

BANNER = "Confidential — deal team only. Do not forward."
SECTION_TITLES = ("Overview", "Terms", "Parties", "Instructions", "Exhibits", "Timeline")
MASKED = ("•••••8038", "•••••••••9103", "••••••2118", "••••2878")
CHROME = (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-search",
          ".md-top")
# Words only the navigation chrome shows: none belongs in the printed deal.
CHROME_TEXT = ("Skip to content", "Table of contents", "All deals", "Whole deal (print)", "Previous",
               "Next", "About")

# Tiny probe words at the start and end of every table and after every heading, so the PDF's
# text says on which page each table starts and ends, and where each heading's content starts.
_PROBES_JS = """() => {
  const probe = (word) => {
    const s = document.createElement('span');
    s.textContent = ` ${word} `;
    s.style.cssText = 'font-size:2px;line-height:0;color:#fff';
    return s;
  };
  document.querySelectorAll('article table').forEach((table, i) => {
    const cells = table.querySelectorAll('th, td');
    cells[0].prepend(probe(`zqtable${i}start`));
    cells[cells.length - 1].append(probe(`zqtable${i}end`));
  });
  document.querySelectorAll('article h2, article h3').forEach((h, i) => {
    h.append(probe(`zqheading${i}title`));
    let next = h.nextElementSibling;
    while (next && !next.textContent.trim()) next = next.nextElementSibling;
    if (next) next.prepend(probe(`zqheading${i}body`));
  });
}"""


@dataclass
class Printout:
    pages: list[str]  # text of each PDF page, whitespace collapsed

    @property
    def text(self) -> str:
        return " ".join(self.pages)

    def page_of(self, word: str) -> int:
        found = [n for n, text in enumerate(self.pages) if word in text.replace(" ", "")]
        assert len(found) == 1, f"{word} on pages {found}"
        return found[0]


def print_to_pdf(page: Page) -> Printout:
    page.emulate_media(media="print")
    pdf = page.pdf(format="Letter", margin={"top": "15mm", "bottom": "15mm", "left": "12mm",
                                             "right": "12mm"})
    reader = PdfReader(io.BytesIO(pdf))
    return Printout([re.sub(r"\s+", " ", p.extract_text()) for p in reader.pages])


@pytest.fixture(scope="module")
def print_page(browser: Browser, room_url: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{room_url}deals/{EXAMPLE_SLUG}/print/")
    yield page
    context.close()


@pytest.fixture(scope="module")
def printout(print_page: Page) -> Printout:
    return print_to_pdf(print_page)


@pytest.fixture(scope="module")
def probed_printout(browser: Browser, room_url: str) -> Printout:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{room_url}deals/{EXAMPLE_SLUG}/print/")
    page.evaluate(_PROBES_JS)
    try:
        return print_to_pdf(page)
    finally:
        context.close()


def test_printout_has_several_pages(printout: Printout) -> None:
    assert len(printout.pages) >= 3


def test_printout_carries_the_confidentiality_banner(printout: Printout) -> None:
    assert printout.pages[0].startswith(BANNER)


def test_printout_carries_the_deal_name_as_its_title(printout: Printout) -> None:
    assert printout.pages[0].startswith(f"{BANNER} NeoTherapeutics – Omicron Partners securities")


@pytest.mark.parametrize("title", SECTION_TITLES)
def test_printout_carries_each_section_title_as_a_heading(probed_printout: Printout, title: str) -> None:
    # The probe word right after the title shows it is printed as a heading, not table text.
    assert re.search(rf"{title}zqheading\d+title", probed_printout.text.replace(" ", ""))


def test_printout_shows_masked_account_numbers(printout: Printout) -> None:
    assert all(masked in printout.text for masked in MASKED)


def test_printout_shows_no_raw_account_number(printout: Printout) -> None:
    assert [n for n in RAW_ACCOUNT_NUMBERS if digits_pattern(n).search(printout.text)] == []


def test_printout_has_no_navigation_chrome_text(printout: Printout) -> None:
    assert [word for word in CHROME_TEXT if word in printout.text] == []


def test_no_table_is_cut_across_pages(probed_printout: Printout) -> None:
    tables = len(re.findall(r"zqtable\d+start", probed_printout.text.replace(" ", "")))
    assert tables >= 10
    cut = [i for i in range(tables) if probed_printout.page_of(f"zqtable{i}start") !=
           probed_printout.page_of(f"zqtable{i}end")]
    assert cut == []


def test_no_heading_is_left_alone_at_the_bottom_of_a_page(probed_printout: Printout) -> None:
    headings = len(re.findall(r"zqheading\d+title", probed_printout.text.replace(" ", "")))
    assert headings >= 10
    alone = [i for i in range(headings) if probed_printout.page_of(f"zqheading{i}title") !=
             probed_printout.page_of(f"zqheading{i}body")]
    assert alone == []


@pytest.mark.parametrize("selector", CHROME)
def test_print_media_hides_navigation_chrome(print_page: Page, selector: str) -> None:
    print_page.emulate_media(media="print")
    hidden = print_page.locator(selector).evaluate_all(
        "els => els.every(e => getComputedStyle(e).display === 'none' || !e.offsetParent)")
    assert hidden


def test_print_media_shows_the_banner_and_the_article(print_page: Page) -> None:
    print_page.emulate_media(media="print")
    assert print_page.locator(".dealroom-banner").is_visible()
    assert print_page.locator("article").is_visible()


def test_print_media_keeps_tables_whole(print_page: Page) -> None:
    print_page.emulate_media(media="print")
    styles = print_page.locator("article table").evaluate_all(
        "els => els.map(e => getComputedStyle(e).breakInside)")
    assert styles and set(styles) == {"avoid"}


def test_print_media_keeps_the_timeline_drawn(print_page: Page) -> None:
    print_page.emulate_media(media="print")
    dots = print_page.locator("ol.dealroom-timeline li").evaluate_all(
        "els => els.map(e => getComputedStyle(e, '::before').printColorAdjust)")
    line = print_page.locator("ol.dealroom-timeline").first.evaluate(
        "e => getComputedStyle(e).borderLeftStyle")
    assert len(dots) >= 5 and set(dots) == {"exact"} and line == "solid"
