"""The built-in example carries every fact of the seed agreement, on the page where it belongs."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from conftest import EXAMPLE_SLUG, RAW_ACCOUNT_NUMBERS, digits_pattern, site_text


def page_text(site: Path, page: str) -> str:
    """The visible text of a deal page's article, as a reader sees it."""
    path = site / "deals" / EXAMPLE_SLUG / page / "index.html"
    source = path.read_text(encoding="utf-8")
    article = source[source.index("<article"): source.index("</article>")]
    article = article.replace('<span class="dealroom-sep">: </span>', "")  # for search and screen readers
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", article)))


SEED_FACTS = {
    "": [
        "Securities Purchase Agreement (Exhibit 10.1)", "June 5, 2002", "Signed",
        "NeoTherapeutics, Inc. (Company)", "Omicron Partners, L.P. (Purchaser)",
        "800,000 shares of Common Stock at $0.35 per share", "$280,000",
        "5-year warrant for up to 200,000 shares at $0.45, expiring June 5, 2007",
        "Form S-3, File No. 333-53108", "close of business, June 6, 2002", "State of California",
    ],
    "terms": [
        "Quantity 800,000 shares", "Par value $0.001 per share", "Price per share $0.35",
        "Aggregate purchase price $280,000", "800,000 × $0.35 = $280,000,",
        "Shares up to 200,000 shares", "Exercise price $0.45 per share", "Term 5 years",
        "Term counted from June 5, 2002, the agreement date", "Expires June 5, 2007",
        "Warrant coverage 25%", "Proceeds if exercised in full $90,000 ",
        "Form Exhibit A", "Registration statement Form S-3", "File No. 333-53108",
        "Declared effective by the Securities and Exchange Commission",
        "Prospectus supplement Form 424(b)(5), Exhibit B", "Free of restrictive legends",
        "Free of resale restrictions",
        "Governing law This Agreement shall be governed and construed in accordance with the internal "
        "laws of the State of California",
        "Facsimile signatures Delivery of an executed copy of a signature page",
        "Counterparts This Agreement may be executed in one or more counterparts",
        "internal laws of the State of California without giving effect to the conflicts of law",
    ],
    "parties": [
        "NeoTherapeutics, Inc. — Company", "Attention Samuel Gulko",
        "Senior Vice President Finance, Chief Financial Officer, Secretary and Treasurer",
        "157 Technology Drive Irvine, California 92618", "Facsimile (949) 788-6706",
        "By: /s/ Samuel Gulko Name: Samuel Gulko Title: Senior V.P. Finance, CFO, Sec. & Treas.",
        "Omicron Partners, L.P. — Purchaser", "Attention Bruce Bernstein",
        "153 East 53rd Street, 48th Floor New York, NY 10022", "Facsimile 212-508-7028",
        "Omicron Partners, L.P. By: Omicron Capital, L.P. Its Subadvisor By: Omicron Capital Inc. "
        "Its General Partner By: /s/ Olivier Morali Name: Olivier Morali Title: President",
    ],
    "instructions": [
        "Company Wire Transfer Instructions", "Bank Chase Manhattan Bank",
        "Bank address 1 Chase Plaza New York, NY 10004", "ABA routing number 021 000 021",
        "FBO Salomon Smith Barney", "FBO account number •••••8038",
        "For further credit to Neotherapeutics, Inc.", "Further credit account number •••••••••9103",
        "Purchaser DWAC Instructions", "Bank Banc of America, NA", "DTC participant number 773",
        "Account name Banc of America Securities, LLC", "Account number ••••••2118",
        "FBO Omicron Partners, L.P.", "FBO account number ••••2878",
        "Contact Mr. Bolivan Ojerla", "Contact telephone (212) 583-8665",
    ],
    "exhibits": [
        "Exhibit A Form of Warrant", "Exhibit B Prospectus Supplement on Form 424(b)(5)",
        "Referenced in the agreement, not attached",
    ],
    "timeline": [
        "June 5, 2002 Securities Purchase Agreement signed",
        "June 6, 2002 Funding and delivery deadline close of business",
        "Wire the Purchase Price ($280,000) to the Company's account. Omicron Partners, L.P.",
        "Deliver a facsimile copy of the Warrant to the Purchaser",
        "transmit the Shares electronically to the Purchaser through the Deposit Withdrawal Agent",
        "June 7, 2002 Deliver the original Warrant",
        "next business day after June 6, 2002 (NYSE calendar)",
        "June 5, 2007 Warrant (200,000 shares) expires",
    ],
}


@pytest.mark.parametrize(("page", "fact"), [(p, f) for p, facts in SEED_FACTS.items() for f in facts])
def test_every_seed_fact_is_shown_on_its_page(example_site: Path, page: str, fact: str) -> None:
    assert fact in page_text(example_site, page)


def test_the_whole_deal_page_carries_every_section(example_site: Path) -> None:
    text = page_text(example_site, "print")
    for facts in SEED_FACTS.values():
        for fact in facts:
            assert fact in text


def test_timeline_lists_events_in_date_order(example_site: Path) -> None:
    source = (example_site / "deals" / EXAMPLE_SLUG / "timeline" / "index.html").read_text()
    dates = re.findall(r'<li class="dealroom-event dealroom-event-(?!today)[^>]*><time datetime="([\d-]+)"',
                       source)
    assert len(dates) == 8 and dates == sorted(dates)
    assert dates[0] == "2002-06-05" and dates[-1] == "2007-06-05"


def test_no_raw_account_number_anywhere_in_the_site(example_site: Path) -> None:
    for path, text in site_text(example_site).items():
        for number in RAW_ACCOUNT_NUMBERS:
            assert not digits_pattern(number).search(text), f"{number} in {path}"


def test_the_attached_agreement_text_is_published_redacted(example_site: Path) -> None:
    text = (example_site / "deals" / EXAMPLE_SLUG / "files" / "agreement.txt").read_text()
    assert "A/C # •••••8038" in text and "Account No.     ••••••2118" in text
    assert "ABA # 021 000 021" in text  # a public identifier stays as written


# The Walgreens agreement (313 KB) is too long to show on a page; the seed's (6 KB) is shown whole.
LONG_TEXT_DEAL = "walgreens-hsbc-2020"
LONG_TEXT_END = "Context ID: 8317ba72fe9299b4b0ed2924d9ddae72"  # the last lines of its text


def test_a_short_attached_text_is_shown_whole_on_the_exhibits_and_print_pages(example_site: Path) -> None:
    text = (example_site / "deals" / EXAMPLE_SLUG / "files" / "agreement.txt").read_text()
    last_line = text.strip().splitlines()[-1].strip()
    assert last_line == "EXHIBIT B"
    for page in ("exhibits", "print"):
        source = (example_site / "deals" / EXAMPLE_SLUG / page / "index.html").read_text()
        start = source.index('<pre class="dealroom-document-text">')
        shown = html.unescape(source[start:source.index("</pre>", start)])
        assert "SECURITIES PURCHASE AGREEMENT" in shown and shown.rstrip().endswith(last_line), page


def test_a_long_attached_text_is_linked_with_its_size_and_only_its_beginning_shown(
        example_site: Path) -> None:
    deal = example_site / "deals" / LONG_TEXT_DEAL
    assert LONG_TEXT_END in (deal / "files" / "agreement.txt").read_text()
    for page in ("exhibits", "print"):
        source = html.unescape((deal / page / "index.html").read_text())
        assert ('The text is 313 KB, too long to show on this page: '
                '<a href="../files/agreement.txt">agreement.txt</a> opens the whole text') in source
        assert "REVOLVING CREDIT AGREEMENT" in source and LONG_TEXT_END not in source, page


def test_search_finds_the_words_of_a_short_text_and_the_beginning_of_a_long_one(example_site: Path) -> None:
    index = json.loads((example_site / "search" / "search_index.json").read_text())
    texts = {d["location"]: d["text"] for d in index["docs"]}
    seed, long = (" ".join(t for loc, t in texts.items() if loc.startswith(f"deals/{slug}/exhibits/"))
                  for slug in (EXAMPLE_SLUG, LONG_TEXT_DEAL))
    assert "EXHIBIT B" in seed
    assert "REVOLVING CREDIT AGREEMENT" in long and LONG_TEXT_END not in long


def test_no_yaml_record_is_copied_into_the_site(example_site: Path) -> None:
    assert not [p for p in example_site.rglob("*") if p.suffix in (".yml", ".yaml")]


def test_search_index_finds_the_deal_by_parties_terms_and_file_number(example_site: Path) -> None:
    index = json.loads((example_site / "search" / "search_index.json").read_text())
    for term in ("Omicron", "warrant", "333-53108", "NeoTherapeutics", "DWAC"):
        hits = [d["location"] for d in index["docs"] if term.lower() in d["text"].lower()]
        assert any(h.startswith(f"deals/{EXAMPLE_SLUG}/") for h in hits), term


def test_the_whole_deal_page_is_left_out_of_search(example_site: Path) -> None:
    # It repeats every section: each search result would come twice, the index twice as big.
    index = json.loads((example_site / "search" / "search_index.json").read_text())
    locations = {d["location"].split("#")[0] for d in index["docs"]}
    assert f"deals/{EXAMPLE_SLUG}/terms/" in locations
    assert f"deals/{EXAMPLE_SLUG}/print/" not in locations


def test_pages_load_nothing_from_other_hosts(example_site: Path) -> None:
    for path, text in site_text(example_site).items():
        if path.suffix not in (".html", ".css"):
            continue
        # What a browser fetches by itself: src attributes, <link href>, CSS url() and @import.
        loads = re.findall(r'src="((?:https?:)?//[^"]+)"', text)
        loads += re.findall(r'<link[^>]+href="((?:https?:)?//[^"]+)"', text)
        loads += re.findall(r'(?:url\(|@import\s+)["\']?((?:https?:)?//[^"\')]+)', text)
        assert not loads, f"{path} loads {loads}"


def test_nav_lists_deal_pages_in_a_fixed_order(example_site: Path) -> None:
    source = (example_site / "deals" / EXAMPLE_SLUG / "index.html").read_text()
    nav = source[source.index('<nav class="md-nav md-nav--primary"'):]
    links = re.findall(r'<a href="[^"]*"[^>]*class="md-nav__link[^"]*"[^>]*>(.*?)</a>', nav, re.S)
    link_titles = [re.sub(r"<[^>]+>|\s+", " ", t).strip() for t in links]
    titles = ["Overview", "Terms", "Parties", "Instructions", "Exhibits", "Timeline",
              "Whole deal (print)"]
    assert [t for t in link_titles if t in titles] == titles


def test_home_page_lists_the_deal_with_parties_date_amount_and_status(example_site: Path) -> None:
    text = re.sub(r"<[^>]+>", " ", (example_site / "index.html").read_text())
    text = re.sub(r"\s+", " ", html.unescape(text))
    assert "This room holds 8 deals." in text
    assert ("NeoTherapeutics – Omicron Partners securities purchase NeoTherapeutics, Inc.; "
            "Omicron Partners, L.P. June 5, 2002 $280,000 of shares signed") in text


def test_confidential_banner_is_on_every_page(example_site: Path) -> None:
    for page in example_site.rglob("*.html"):
        assert "Confidential — deal team only. Do not forward." in page.read_text(), page
