"""Rendered pages kept between builds, keyed by what they are made of.

With a folder, each page is a file there, written only when its text changes: a rebuild reads
the deals that did not change from it instead of rendering them again, and MkDocs's dirty
build (`mkdocs serve --dirty`) sees by a page's time whether it changed. The folder holds
only public pages, masked as the site shows them; never a record or a raw number.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

Pages = dict[str, str | Path]  # site path -> Markdown, or the file holding it

_KEYS = "keys.json"


class PageCache:
    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._memory: dict[str, tuple[str, Pages]] = {}  # deal id -> (key, pages)
        self._folders: set[Path] = set()  # folders made by this cache
        self._keys: dict[str, tuple[str, list[str]]] = {}  # deal id -> (key, its pages in order)
        # Site paths whose text differs from what this process last gave for them, until
        # `Pipeline.publish` takes them: another process (a `mkdocs build` beside `serve`) may
        # have written the same text into the shared folder first.
        self.rewritten: set[str] = set()
        self._given: dict[str, bytes] = {}  # site path -> digest of the text last given
        if folder is not None:
            try:
                self._keys = {slug: (key, list(names)) for slug, (key, names)
                              in json.loads((folder / _KEYS).read_text(encoding="utf-8")).items()}
            except (OSError, ValueError, TypeError):
                self._keys = {}

    def get(self, slug: str, key: str) -> Pages | None:
        """The pages of a deal rendered under `key`, if kept."""
        known = self._memory.get(slug)
        if known is not None and known[0] == key:
            return known[1]
        kept = self._keys.get(slug)
        if self.folder is None or kept is None or kept[0] != key:
            return None
        pages: Pages = {name: self._path(name) for name in kept[1]}
        if not all(Path(file).is_file() for file in pages.values()):
            return None
        self._memory[slug] = (key, pages)
        return pages

    def put(self, slug: str, key: str, pages: dict[str, str]) -> Pages:
        """Keep a deal's freshly rendered pages; what the site is built from."""
        kept = self._write(pages)
        if self.folder is not None:  # a page the templates no longer make
            for name in self._keys.get(slug, ("", []))[1]:
                if name not in pages:
                    self._path(name).unlink(missing_ok=True)
        self._memory[slug] = (key, kept)
        self._keys[slug] = (key, list(pages))
        return kept

    def put_room(self, pages: dict[str, str]) -> Pages:
        """The room's own pages (the list of deals, the home page): rendered on every build."""
        return self._write(pages)

    def _path(self, site_path: str) -> Path:
        assert self.folder is not None
        return self.folder / "pages" / site_path

    def _write(self, pages: dict[str, str]) -> Pages:
        if self.folder is None:
            return dict(pages)
        kept: Pages = {}
        for site_path, text in pages.items():
            file = self._path(site_path)
            data = text.encode("utf-8")
            try:
                same = file.stat().st_size == len(data) and file.read_bytes() == data
            except FileNotFoundError:
                same = False
                if file.parent not in self._folders:
                    file.parent.mkdir(parents=True, exist_ok=True)
                    self._folders.add(file.parent)
            if not same:  # an unchanged page keeps its time: a dirty build skips it
                temporary = file.with_name(file.name + ".tmp")
                temporary.write_bytes(data)
                temporary.replace(file)
            given = hashlib.blake2b(data, digest_size=16).digest()
            if self._given.get(site_path) != given:
                self._given[site_path] = given
                self.rewritten.add(site_path)
            kept[site_path] = file
        return kept

    def save(self, slugs: set[str]) -> None:
        """Forget the deals no longer in the room, and record the keys for the next process."""
        for slug in set(self._memory) - slugs:
            del self._memory[slug]
        for slug in set(self._keys) - slugs:
            del self._keys[slug]
            if self.folder is not None:
                shutil.rmtree(self._path(f"deals/{slug}"), ignore_errors=True)
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.folder / (_KEYS + ".tmp")
            temporary.write_text(json.dumps(self._keys, sort_keys=True), encoding="utf-8")
            temporary.replace(self.folder / _KEYS)
