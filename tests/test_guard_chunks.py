"""The final pass cuts a big file (a search index) into pieces scanned in two processes: a
number is found wherever it lies relative to the cuts, in any written form."""

from __future__ import annotations

from pathlib import Path

import pytest

from dealroom.mask import Secret
from dealroom.scanner import SiteScanner, _cut, scan_and_remove

SECRET = Secret("066-198038", "acme", "instructions[0].account_number")
FILLER = '{"location":"deals/x/","text":"<p>Amount 1,250.00 on 2026-11-29</p>"},\n'


def big_file_with(path: Path, written: str) -> None:
    """About 10 MB of search-index-like JSON, `written` astride each place a cut is looked for."""
    block = FILLER * (4 * 1024 * 1024 // len(FILLER))
    half = len(written) // 2
    path.write_text(block[:-half] + written + block[half:] + block + FILLER * 1000, encoding="utf-8")


@pytest.mark.parametrize("written", [
    "066198038", "066 198 038", "&#48;&#x36;6&nbsp;198038", r"\u0030\u0036\u0036198038",
    "066<span title='" + "x" * 5000 + "'>198038",  # a tag much longer than any overlap
])
def test_a_number_astride_a_cut_of_a_big_file_is_found(tmp_path: Path, written: str) -> None:
    index = tmp_path / "search" / "search_index.json"
    index.parent.mkdir()
    big_file_with(index, written)
    assert len(_cut(index.read_bytes())) > 1  # the file is scanned in pieces
    scanner = SiteScanner(tmp_path, [SECRET])
    leaks = scan_and_remove(tmp_path, [SECRET], scanner)
    assert [leak.file.name for leak in leaks] == ["search_index.json"] and not index.exists()


def test_a_big_file_is_cut_only_after_a_tag_and_four_separators() -> None:
    # "a> b" in an attribute, escapes and text: no place to cut but after "</p>" and spaces.
    data = ('<p title="a> b, c>  d">' + "&#48;" * 300_000 + "</p>    \n").encode() * 8
    cuts = _cut(data, size=100_000)
    assert len(cuts) > 1 and all(data[start - 4:start + 4] == b"</p>    " for start, _ in cuts[1:])
