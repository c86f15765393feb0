"""The search index after a dirty build (`mkdocs serve --dirty`), made whole again.

Material's search plugin, in a dirty build, keeps the previous index, drops the entries under
the first page it built, and appends the pages it built. A rebuild of several pages (a deal's
pages, the list of deals, the home page at `""`, under which every page lies) would lose
other pages or list some twice. This keeps the entries of every page from the build that last
built it: each indexing of a page is a run of entries that starts with the page's own entry
(a location without `#`).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

Entry = dict[str, Any]


def last_runs(docs: list[Entry]) -> dict[str, list[Entry]]:
    """The entries of the last indexing of each page in `docs`, by page location."""
    runs: dict[str, list[Entry]] = {}
    for entry in docs:
        location = str(entry.get("location", ""))
        page = location.split("#", 1)[0]
        if "#" not in location or page not in runs:
            runs[page] = [entry]  # a later indexing of the page replaces the earlier one
        else:
            runs[page].append(entry)
    return runs


class SearchIndex:
    """The search index as the room publishes it: whole after a dirty build, and each deal
    page's entry titled with its deal. Read and written once per build: at a thousand deals
    it is about 15 MB."""

    def __init__(self) -> None:
        self.kept: dict[str, list[Entry]] = {}  # page location -> its entries
        self.built: set[str] = set()

    def start(self) -> None:
        self.built = set()

    def page_built(self, url: str) -> None:
        self.built.add(url)

    def finish(self, site_dir: Path, deals: dict[str, str], page_urls: set[str] | None = None) -> None:
        """`deals`: as `name_deals` takes them. `page_urls`: every page of a dirty build, whose
        entries are kept from the build that last built it (None: a whole build)."""
        index = site_dir / "search" / "search_index.json"
        try:
            data = json.loads(index.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # no search plugin, or another one: nothing of ours to repair
        docs = data.get("docs", [])
        if page_urls is not None:
            docs = self._repaired(docs, page_urls)
        changed = docs is not data.get("docs")
        data["docs"] = docs
        if name_deals(docs, deals) or changed:
            index.write_text(json.dumps(data, separators=(",", ":"), default=str), encoding="utf-8")

    def _repaired(self, docs: list[Entry], page_urls: set[str]) -> list[Entry]:
        """Every current page's entries from the build that made it (`docs` itself if so)."""
        runs = last_runs(docs)
        for page in self.built | (set(runs) - set(self.kept)):
            self.kept[page] = runs.get(page, [])
        self.kept = {page: run for page, run in self.kept.items() if page in page_urls}
        repaired = [entry for run in self.kept.values() for entry in run]
        return docs if repaired == docs else repaired


def name_deals(docs: list[Entry], deals: dict[str, str]) -> bool:
    """Each deal page's entry in the search index titled with its deal: "Instructions — <deal>";
    whether any title changed.

    The nav's short titles ("Instructions") are the pages' titles, and with two deals search
    would show two results of that name. `deals` maps a deal's folder in the site
    (`deals/<id>/`) to its name, masked, as plain text."""
    changed = False
    for entry in docs:
        location = str(entry.get("location", ""))
        parts = location.split("/")
        if "#" in location or len(parts) < 3 or parts[0] != "deals":
            continue
        name = deals.get(f"deals/{parts[1]}/")
        if name is None:
            continue
        suffix = f" — {html.escape(name, quote=False)}"
        title = str(entry.get("title", ""))
        if not title.endswith(suffix) and title != html.escape(name, quote=False):
            entry["title"] = title + suffix
            changed = True
    return changed
