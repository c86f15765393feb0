"""The search index after a dirty build (`mkdocs serve --dirty`), made whole again.

Material's search plugin, in a dirty build, keeps the previous index and appends the pages it
built; it removes only the previous entries of the first page built, so a rebuild of several
pages (a deal's pages and the list of deals) would list the others twice, and pages that no
longer exist would stay. Each indexing of a page is a run of entries that starts with the
page's own entry (a location without `#`); the last run of each current page is kept.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def whole_index(docs: list[dict[str, Any]], page_urls: set[str]) -> list[dict[str, Any]]:
    """The entries of the last indexing of each page in `page_urls`, in first-seen order."""
    runs: dict[str, list[dict[str, Any]]] = {}
    for entry in docs:
        location = str(entry.get("location", ""))
        page = location.split("#", 1)[0]
        if "#" not in location or page not in runs:
            runs.pop(page, None)  # a later indexing of the page replaces the earlier one
            runs[page] = [entry]
        else:
            runs[page].append(entry)
    return [entry for page, run in runs.items() if page in page_urls for entry in run]


def repair_search_index(site_dir: Path, page_urls: set[str]) -> None:
    index = site_dir / "search" / "search_index.json"
    try:
        data = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # no search plugin, or another one: nothing of ours to repair
    docs = whole_index(data.get("docs", []), page_urls)
    if docs != data.get("docs"):
        data["docs"] = docs
        index.write_text(json.dumps(data, separators=(",", ":"), default=str), encoding="utf-8")
