"""The list of deals carries what assets/dealroom-deals.js needs to sort and filter it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import EXAMPLE_SLUG, EXAMPLE_SLUGS


def deals_table(page: str) -> str:
    """The wrapper the script looks for, and the table inside it."""
    found = re.search(r'<div class="dealroom-deals">\s*(<table>.*?</table>)\s*</div>', page, re.S)
    assert found, "no <div class=\"dealroom-deals\"> around a class-less table"
    return found[1]


@pytest.mark.parametrize("path", ["index.html", "deals/index.html"], ids=["home", "all deals"])
def test_list_of_deals_is_a_wrapped_table_with_the_columns_the_script_sorts(
        example_site: Path, path: str) -> None:
    page = (example_site / path).read_text(encoding="utf-8")
    table = deals_table(page)
    headers = [re.sub(r"<[^>]+>|\s+", " ", h).strip()
               for h in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
    assert headers == ["Deal", "Parties", "Date", "Amount", "Status"]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    assert len(rows) == len(EXAMPLE_SLUGS)
    [seed] = [row for row in rows if f"{EXAMPLE_SLUG}/" in row]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", seed, re.S)
    # The amount sorts by the figure and currency the template states, not by its words.
    assert '<td data-amount="280000" data-currency="USD">' in seed
    assert f'href="deals/{EXAMPLE_SLUG}/"' in cells[0] or f'href="{EXAMPLE_SLUG}/"' in cells[0]
    assert '<time datetime="2002-06-05">' in cells[2]  # the date sorts by this, not its text
    assert cells[4] == "signed"
    # The script is local and loaded on the page; the site carries it.
    script = re.search(r'<script src="([^"]*assets/dealroom-deals\.js)"', page)
    assert script and "//" not in script[1]
    assert (example_site / "assets" / "dealroom-deals.js").is_file()
