"""Rendered pages kept between builds, keyed by what they are made of.

With a folder, each deal's pages (and the room's own) are one file there, written only when
their text changes: a rebuild reads the deals that did not change from it instead of rendering
them again. One file a deal, not one a page: creating a file costs the system a quarter of a
millisecond, seconds for a thousand deals' twelve thousand pages. The folder holds only public
pages, masked as the site shows them; never a record or a raw number.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

Pages = dict[str, str]  # site path -> Markdown, or a generated file's text

_KEYS = "keys.json"
_ROOM = "room"  # the file of the room's own pages, beside the folder of the deals' files


class PageCache:
    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._memory: dict[str, tuple[str, Pages]] = {}  # deal id -> (key, pages)
        self._keys: dict[str, str] = {}  # deal id -> key of the pages in its file
        # Site paths whose text differs from what this process last gave for them, until
        # `Pipeline.publish` takes them: what a rebuild while serving writes again.
        self.rewritten: set[str] = set()
        # Site path -> the text last given: the same object the deal's kept pages hold, so
        # nothing more is kept, and an unchanged text is told by identity, with no digest.
        self._given: dict[str, str] = {}
        if folder is not None:
            shutil.rmtree(folder / "pages", ignore_errors=True)  # a file a page: an older version's
            try:
                keys = json.loads((folder / _KEYS).read_text(encoding="utf-8"))
                self._keys = {slug: key for slug, key in keys.items() if isinstance(key, str)}
            except (OSError, ValueError, TypeError, AttributeError):
                self._keys = {}

    def get(self, slug: str, key: str) -> Pages | None:
        """The pages of a deal rendered under `key`, if kept."""
        known = self._memory.get(slug)
        if known is not None and known[0] == key:
            return known[1]
        if self.folder is None or self._keys.get(slug) != key:
            return None
        try:
            pages = json.loads(self._file(f"deals/{slug}").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(pages, dict) or not all(isinstance(t, str) for t in pages.values()):
            return None
        self._memory[slug] = (key, pages)
        return pages

    def put(self, slug: str, key: str, pages: Pages) -> Pages:
        """Keep a deal's freshly rendered pages; what the site is built from."""
        self._write(f"deals/{slug}", pages)
        self._memory[slug] = (key, pages)
        self._keys[slug] = key
        return pages

    def put_room(self, pages: Pages) -> Pages:
        """The room's own pages (the list of deals, the home page): rendered on every build."""
        self._write(_ROOM, pages)
        return pages

    def _file(self, name: str) -> Path:
        assert self.folder is not None
        return self.folder / "rendered" / f"{name}.json"

    def _write(self, name: str, pages: Pages) -> None:
        self._given_now(pages)
        if self.folder is None:
            return
        file = self._file(name)
        data = json.dumps(pages, ensure_ascii=False).encode("utf-8")  # in order: the order MkDocs lists them
        try:
            if file.stat().st_size == len(data) and file.read_bytes() == data:
                return
        except FileNotFoundError:
            file.parent.mkdir(parents=True, exist_ok=True)
        temporary = file.with_name(file.name + ".tmp")
        temporary.write_bytes(data)
        temporary.replace(file)

    def _given_now(self, pages: Pages) -> None:
        for site_path, text in pages.items():
            if self._given.get(site_path) != text:
                self._given[site_path] = text
                self.rewritten.add(site_path)

    def save(self, slugs: set[str]) -> None:
        """Forget the deals no longer in the room, and record the keys for the next process."""
        for slug in set(self._memory) - slugs:
            del self._memory[slug]
        for slug in set(self._keys) - slugs:
            del self._keys[slug]
            if self.folder is not None:
                self._file(f"deals/{slug}").unlink(missing_ok=True)
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.folder / (_KEYS + ".tmp")
            temporary.write_text(json.dumps(self._keys, sort_keys=True), encoding="utf-8")
            os.replace(temporary, self.folder / _KEYS)
