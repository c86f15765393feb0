"""The search index after a dirty build (`mkdocs serve --dirty`), made whole again.

Material's search plugin, in a dirty build, keeps the previous index, drops the entries under
the first page it built, and appends the pages it built. A rebuild of several pages (a deal's
pages, the list of deals, the home page at `""`, under which every page lies) would lose
other pages or list some twice. This keeps the entries of every page from the build that last
built it: each indexing of a page is a run of entries that starts with the page's own entry
(a location without `#`).

A rebuild reads only what Material appended for the pages it built: the rest is written from
the entries kept, already encoded (at a thousand deals the index is about 15 MB, and decoding
and encoding it whole took a few tenths of a second of every rebuild).
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


def _encoded(value: Any) -> bytes:
    # As Material writes its index, so that the entries kept join into the same JSON text.
    return json.dumps(value, separators=(",", ":"), default=str).encode("utf-8")


def _decoded(raw: bytes) -> dict[str, Any] | None:
    """The index, if it is one as Material writes it (another search plugin's is not ours)."""
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("docs"), list):
        return None
    return data


class SearchIndex:
    """The search index as the room publishes it: whole after a dirty build, and each deal
    page's entry titled with its deal."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}  # page location -> its entries, encoded and joined
        self.built: list[str] = []  # pages built in this build, in the order built
        self.named: dict[str, str] = {}  # deal folder -> the name its kept entries carry

    def start(self) -> None:
        self.built = []

    def page_built(self, url: str) -> None:
        self.built.append(url)

    def finish(self, site_dir: Path, deals: dict[str, str], page_urls: set[str] | None = None) -> None:
        """`deals`: as `name_deals` takes them. `page_urls`: every page of a dirty build, whose
        entries are kept from the build that last built it (None: a whole build)."""
        index = site_dir / "search" / "search_index.json"
        try:
            raw = index.read_bytes()
        except OSError:
            return  # no search plugin: nothing of ours to repair
        if page_urls is None:  # a whole build: every page is in it, once
            data = _decoded(raw)
            if data is not None and name_deals(data["docs"], deals):
                index.write_bytes(_encoded(data))
            return
        appended = self._appended(raw) if self.kept else None
        if appended is not None:
            head, docs = appended
        else:
            data = _decoded(raw)
            if data is None:
                return
            docs = data["docs"]
            head = _encoded({key: value for key, value in data.items() if key != "docs"})[:-1] + \
                (b',"docs":[' if len(data) > 1 else b'"docs":[')
            self.built.extend(page for page in last_runs(docs) if page not in self.kept)
        name_deals(docs, deals)
        runs = last_runs(docs)
        for page in self.built:
            self.kept[page] = b",".join(_encoded(entry) for entry in runs.get(page, []))
        self._rename(deals)
        self.kept = {page: run for page, run in self.kept.items() if page in page_urls}
        written = head + b",".join(run for run in self.kept.values() if run) + b"]}"
        if written != raw:
            index.write_bytes(written)

    def _rename(self, deals: dict[str, str]) -> None:
        """Titles of kept pages of a deal whose name changed (a new name changes the nav, so
        every page is usually rebuilt; this keeps the index right if not)."""
        built = set(self.built)
        for folder, old in self.named.items():
            if deals.get(folder, old) == old:
                continue
            suffix = f" — {html.escape(old, quote=False)}"
            for page, run in self.kept.items():
                if page.startswith(folder) and page not in built and run:
                    entries = json.loads(b"[" + run + b"]")
                    for entry in entries:
                        title = str(entry.get("title", ""))
                        if "#" not in str(entry.get("location", "")) and title.endswith(suffix):
                            entry["title"] = title[:-len(suffix)]
                    name_deals(entries, deals)
                    self.kept[page] = b",".join(_encoded(entry) for entry in entries)
        self.named = dict(deals)

    def _appended(self, raw: bytes) -> tuple[bytes, list[Entry]] | None:
        """The index's head and the entries Material appended for the pages built, or None
        where the index is not as Material writes it."""
        head_end = raw.find(b',"docs":[')
        if not raw.startswith(b'{"config":') or head_end < 0 or not raw.endswith(b"]}"):
            return None
        head = raw[:head_end + len(b',"docs":[')]
        if not self.built:
            return head, []
        # Material appends the pages built after the rest: the last entry of a page is its new one.
        starts = []
        for page in self.built:
            found = raw.rfind(b'{"location":' + _encoded(page) + b",", len(head))
            if found < 0 and raw.find(b'{"location":' + _encoded(page)[:-1] + b"#", len(head)) >= 0:
                return None  # indexed without an entry of its own (its heading left out)
            starts.append(found)
        start = min((found for found in starts if found >= 0), default=-1)
        if start < 0:
            return head, []  # no page built has entries (excluded from search)
        try:
            docs = json.loads(b"[" + raw[start:-2] + b"]")
        except ValueError:
            return None
        built = set(self.built)
        if not all(isinstance(entry, dict) for entry in docs) or \
                not set(last_runs(docs)) <= built:
            return None
        return head, docs


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
