"""The seven real deals of the example room, read on their built pages as a deal lawyer would:
each deal's key facts from its agreement appear on the page they belong to, and no page shows
a Python value ("None", a repr) or a blank as anything but words."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

DEAL_PAGES = ("", "terms", "parties", "instructions", "exhibits", "timeline", "print")
SEVEN = ("oildri-prudential-2020", "perspecta-mufg-2020", "tribute-dundee-2015",
         "elbanco-offering-2006", "cadiz-lc-capital-2020", "walgreens-hsbc-2020",
         "verrica-svb-westriver-2020")
# The agreement's own text, shown on the exhibits and print pages: its words ("None of the
# Company...") are the filing's, not values the templates wrote.
_DOCUMENT_TEXT = re.compile(r'<pre class="dealroom-document-text">.*?</pre>', re.S)


def _visible(source: str) -> str:
    """A page's article as a reader sees it: the agreement text left out, tags dropped,
    entities decoded, spaces collapsed."""
    start, end = source.find("<article"), source.find("</article>")
    article = source[start:end] if start >= 0 and end >= 0 else source
    article = _DOCUMENT_TEXT.sub(" ", article)
    article = article.replace('<span class="dealroom-sep">: </span>', ": ")
    inline = re.sub(r"</?(span|a|strong|small|time|em)\b[^>]*>", "", article)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def page(site: Path, slug: str, name: str) -> str:
    return _visible((site / "deals" / slug / name / "index.html").read_text(encoding="utf-8"))


# --- every page of the room ----------------------------------------------------------------

def _room_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_page_of_the_room_shows_none(example_site: Path) -> None:
    shown = {p.relative_to(example_site).as_posix() for p in _room_pages(example_site)
             if re.search(r"\bNone\b", _visible(p.read_text(encoding="utf-8")))}
    assert not shown


def test_no_page_of_the_room_names_a_form_none(example_site: Path) -> None:
    assert not [p for p in _room_pages(example_site) if "Form None" in p.read_text(encoding="utf-8")]


def test_no_time_element_carries_a_blank_as_its_date(example_site: Path) -> None:
    bad = re.compile(r'datetime="(?!\d{4}-\d{2}-\d{2})[^"]*"')
    assert not [p for p in _room_pages(example_site) if bad.search(p.read_text(encoding="utf-8"))]


def test_no_page_of_the_room_shows_a_python_repr(example_site: Path) -> None:
    repr_ = re.compile(r"Decimal\(|datetime\.date\(|<Blank\.|Blank\.(NOT_STATED|REDACTED)|"
                       r"\{'[a-z_]+':|\[\]|\[None|\[Decimal|\['")
    # A bare boolean as a whole cell or value ("True sale" in a provision is the deal's words).
    boolean = re.compile(r">\s*(True|False)\s*<")
    shown = {p.relative_to(example_site).as_posix() for p in _room_pages(example_site)
             if repr_.search(_visible(p.read_text(encoding="utf-8")))
             or boolean.search(_DOCUMENT_TEXT.sub("", p.read_text(encoding="utf-8")))}
    assert not shown


@pytest.mark.parametrize("slug", SEVEN)
def test_blanks_never_read_as_not_stated_followed_by_a_unit(example_site: Path, slug: str) -> None:
    """"not stated shares", "not stated fixed", "upon within...": a blank or an event worded
    so that the page reads wrong."""
    for name in DEAL_PAGES:
        text = page(example_site, slug, name)
        assert not re.search(r"not stated (shares|fixed|of the)|up to not stated|"
                             r"\bupon (within|before|at|on|throughout|for|as|no later)\b", text), name


# --- Oil-Dri / Prudential ------------------------------------------------------------------

OILDRI = "oildri-prudential-2020"


def test_oildri_terms_show_both_series_and_the_shelf(example_site: Path) -> None:
    text = page(example_site, OILDRI, "terms")
    assert "Principal: $18,500,000" in text and "Principal: $10,000,000" in text
    assert "3.96% fixed" in text and "3.95% fixed" in text
    assert "Maturity: August 1, 2020" in text and "Maturity: May 15, 2030" in text
    assert "Commitment: $75,000,000" in text and "Available until: May 15, 2023" in text
    assert "Interest: fixed, rate not stated" in text


def test_oildri_terms_list_every_guarantor_under_one_label(example_site: Path) -> None:
    text = page(example_site, OILDRI, "terms")
    assert "Guarantors: Oil-Dri Corporation of Georgia (Guarantor) Oil-Dri Production Company" in text
    assert "Amlan International (Guarantor)" in text


def test_oildri_parties_show_notice_addresses_and_law(example_site: Path) -> None:
    parties = page(example_site, OILDRI, "parties")
    assert "410 North Michigan Avenue, Suite 400" in parties
    assert "Two Prudential Plaza, Suite 5600" in parties
    assert "the holders of the Notes and Prudential" in parties
    assert "Governing law: State of Illinois" in page(example_site, OILDRI, "")


def test_oildri_disbursement_letter_shows_its_blank_wire_fields(example_site: Path) -> None:
    text = page(example_site, OILDRI, "instructions")
    assert "ABA routing number: not stated in the agreement" in text
    assert "Account number: not stated in the agreement" in text


def test_oildri_timeline_dates_the_series_b_closing_and_amortization(example_site: Path) -> None:
    text = page(example_site, OILDRI, "timeline")
    assert "Effective Date closing of the Series B Notes" in text
    assert "Annually from May 15, 2021 until May 15, 2029" in text
    assert "upon within" not in text


# --- Perspecta / MUFG ----------------------------------------------------------------------

PERSPECTA = "perspecta-mufg-2020"


def test_perspecta_terms_show_commitments_with_their_step_up(example_site: Path) -> None:
    text = page(example_site, PERSPECTA, "terms")
    assert "$150,000,000" in text and "$162,500,000" in text and "$81,250,000" in text
    assert "Total of the schedule: 3 lines = $300,000,000" in text or \
        "Total of the schedule 3 lines = $300,000,000" in text
    assert "3 lines = $325,000,000" in text
    assert "Maturity: October 29, 2021" in text


def test_perspecta_terms_name_the_sellers_not_borrowers(example_site: Path) -> None:
    text = page(example_site, PERSPECTA, "terms")
    assert "Sellers: Perspecta Enterprise Solutions LLC" in text
    assert "Borrower" not in text


def test_perspecta_blank_margin_and_fee_rate_read_as_words(example_site: Path) -> None:
    text = page(example_site, PERSPECTA, "terms")
    assert "one-month LIBOR + a margin not stated, floor 0%" in text
    assert "a percentage not stated, of the Purchase of Asset Interests" in text


def test_perspecta_instructions_show_banks_and_masked_accounts(example_site: Path) -> None:
    text = page(example_site, PERSPECTA, "instructions")
    assert "Bank: MUFG Bank, Ltd." in text and "Bank: TD Bank, N.A." in text
    assert "ABA routing number: 026009593" in text
    assert text.count("Account number: ••••") == 7


# --- Tribute / Dundee ----------------------------------------------------------------------

TRIBUTE = "tribute-dundee-2015"


def test_tribute_terms_show_offering_and_agents_fee(example_site: Path) -> None:
    text = page(example_site, TRIBUTE, "terms")
    assert "Quantity: 13,043,695 shares" in text and "Price per share: 0.92 CAD" in text
    assert "Aggregate price: 12,000,199.40 CAD" in text
    assert "7.0% of gross proceeds of the Offering" in text
    assert "up to 50,000 CAD" in text and ", capped at" not in text.split("Fees")[1][:40]


def test_tribute_compensation_options_with_no_stated_count_read_not_stated(example_site: Path) -> None:
    text = page(example_site, TRIBUTE, "terms")
    assert "Shares: not stated" in text and "Term: 24 months" in text


def test_tribute_parties_and_closing(example_site: Path) -> None:
    parties = page(example_site, TRIBUTE, "parties")
    assert "151 Steeles Avenue East" in parties and "1 Adelaide Street East, Suite 2000" in parties
    overview = page(example_site, TRIBUTE, "")
    assert "8:00 a.m. (Toronto time), May 21, 2015" in overview
    assert "Province of Ontario" in overview


# --- El Banco ------------------------------------------------------------------------------

ELBANCO = "elbanco-offering-2006"


def test_elbanco_undated_form_reads_not_stated(example_site: Path) -> None:
    assert "Dated: not stated" in page(example_site, ELBANCO, "")
    room = _visible((example_site / "deals" / "index.html").read_text(encoding="utf-8"))
    assert "not stated" in room


def test_elbanco_terms_show_fee_cap_and_registration(example_site: Path) -> None:
    text = page(example_site, ELBANCO, "terms")
    assert "Quantity: not stated" in text
    assert "5.2% of gross proceeds received in the Offering" in text
    assert "up to $5,000" in text
    assert "Form SB-2" in text and "333-135900" in text


def test_elbanco_escrow_and_closings(example_site: Path) -> None:
    assert "Escrow agent: Flag Bank" in page(example_site, ELBANCO, "instructions")
    timeline = page(example_site, ELBANCO, "timeline")
    assert "June 30, 2007" in timeline and "1,875,000 Shares" in timeline
    assert "Common Stock, number not stated" in timeline
    assert "Appendix A" in page(example_site, ELBANCO, "exhibits")


# --- Cadiz / LC Capital --------------------------------------------------------------------

CADIZ = "cadiz-lc-capital-2020"


def test_cadiz_terms_show_notes_and_preferred(example_site: Path) -> None:
    text = page(example_site, CADIZ, "terms")
    assert "Principal: $26,480,000" in text and "7.00% fixed" in text
    assert "Quantity: 9,671 shares" in text and "Conversion rate: 405.05 shares per share" in text
    assert "Stated value: $2,734.09 per share" in text
    assert "1 line = 9,671 shares, matching the stated number of shares" in text


def test_cadiz_exhibits_name_annex_a_once(example_site: Path) -> None:
    text = page(example_site, CADIZ, "exhibits")
    assert "Annex A" in text and "Annex Annex" not in text


def test_cadiz_closing_two_business_days_after_signing(example_site: Path) -> None:
    text = page(example_site, CADIZ, "timeline")
    assert "March 9, 2020" in text and "2nd business day after the agreement date" in text
    assert "number not stated" in text


# --- Walgreens / HSBC ----------------------------------------------------------------------

WALGREENS = "walgreens-hsbc-2020"


def test_walgreens_terms_show_commitment_margin_and_maturity(example_site: Path) -> None:
    text = page(example_site, WALGREENS, "terms")
    assert "Commitment: $500,000,000" in text and "Also available in: EUR, GBP" in text
    assert "Eurocurrency Rate + 1.50%" in text and "Maturity: April 6, 2021" in text
    assert "Borrowers: Walgreens Boots Alliance, Inc. (Borrower) WBA Financial Services Limited" \
        in text


def test_walgreens_parties_and_instructions(example_site: Path) -> None:
    assert "8 Canada Square" in page(example_site, WALGREENS, "parties")
    text = page(example_site, WALGREENS, "instructions")
    assert "Intermediary (correspondent) bank: HSBC France S.A." in text
    assert "Sort code: not stated in the agreement" in text


# --- Verrica / SVB / WestRiver ---------------------------------------------------------------

VERRICA = "verrica-svb-westriver-2020"


def test_verrica_terms_show_tranches_rate_and_premiums(example_site: Path) -> None:
    text = page(example_site, VERRICA, "terms")
    assert "Commitment: $50,000,000" in text
    assert "Prime Rate + 2.50%, floor 7.25%" in text and "Maturity: March 1, 2024" in text
    assert "$35,000,000" in text and "$15,000,000" in text and "$17,500,000" in text
    assert "Premiums: 3.0% on or before the first anniversary" in text
    assert "7.50% of $50,000,000 = $3,750,000" in text


def test_verrica_closings_split_each_advance_between_the_lenders(example_site: Path) -> None:
    text = page(example_site, VERRICA, "timeline")
    assert "WestRiver Innovation Lending Fund VIII, L.P. (Lender), $17,500,000" in text
    assert "Silicon Valley Bank (Lender), $7,500,000" in text
