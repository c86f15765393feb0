"""The leak guard reads the search index piece by piece, and a rebuild reads only the pieces
that changed: a number in any piece, new or kept, is found."""

from __future__ import annotations

import json
from pathlib import Path

from dealroom.numbers import Secret
from dealroom.scan import SEARCH_INDEX, ScanMemory, scan_and_remove

SECRETS = [Secret("066-198038", "acme", "instructions[wire].account_number")]


def _index(site: Path, texts: dict[str, str]) -> Path:
    docs = [{"location": f"deals/d{i}/", "title": "Terms", "text": text}
            for i, text in enumerate(texts.values())]
    file = site / SEARCH_INDEX
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(json.dumps({"config": {"lang": ["en"]}, "docs": docs}, separators=(",", ":")))
    return file


PAGES = {f"page {i}": f"Wire {i} to the account ending 8038 on closing." for i in range(400)}


def test_a_number_in_the_last_page_of_a_large_search_index_is_found(tmp_path: Path) -> None:
    index = _index(tmp_path, {**PAGES, "last": "Wire to 066 198 038."})
    problems = scan_and_remove(tmp_path, SECRETS)
    assert {str(p.file) for p in problems} == {str(index)}
    assert not index.exists()


def test_a_clean_search_index_is_kept(tmp_path: Path) -> None:
    index = _index(tmp_path, PAGES)
    assert scan_and_remove(tmp_path, SECRETS, ScanMemory()) == []
    assert index.exists()


def test_a_rebuild_finds_a_number_written_into_one_page_of_a_kept_index(tmp_path: Path) -> None:
    memory = ScanMemory()
    _index(tmp_path, PAGES)
    assert scan_and_remove(tmp_path, SECRETS, memory) == []
    index = _index(tmp_path, {**PAGES, "page 200": "Wire to 066-198038 on closing."})
    problems = scan_and_remove(tmp_path, SECRETS, memory)
    assert {str(p.file) for p in problems} == {str(index)}
    assert not index.exists()


def test_a_rebuild_finds_the_number_again_when_the_same_index_returns(tmp_path: Path) -> None:
    memory = ScanMemory()
    leaking = {**PAGES, "page 7": "Wire to 066198038."}
    _index(tmp_path, leaking)
    assert scan_and_remove(tmp_path, SECRETS, memory) != []
    index = _index(tmp_path, leaking)  # written again: a remembered piece still leaks
    assert scan_and_remove(tmp_path, SECRETS, memory) != []
    assert not index.exists()


def test_the_pieces_of_an_index_never_join_a_number_across_two_pages(tmp_path: Path) -> None:
    # Two results a reader sees apart: "...066198" ends one, "038..." starts the next.
    texts = {**PAGES, "a": "Reference 066198", "b": "038 pages attached."}
    _index(tmp_path, texts)
    assert scan_and_remove(tmp_path, SECRETS) == []
