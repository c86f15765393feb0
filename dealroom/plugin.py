"""The MkDocs adapter: a thin layer over `dealroom.sources` and `dealroom.scanner`.

Records are loaded and validated in `on_pre_build`, before MkDocs cleans `site/`, so a bad
record stops the build with the previous site untouched. Pages are added as generated files,
never written into `docs_dir` (that would make `mkdocs serve` rebuild forever); a deal page's
Markdown is set when MkDocs comes to read it, so a large room renders while MkDocs builds.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from dealroom.errors import RecordError
from dealroom.mask import MaskPolicy, Redactor, Secret
from dealroom.model import ACCOUNT_NUMBER_FIELDS, MASKABLE_FIELDS
from dealroom.render import DEAL_PAGES, Renderer, escape
from dealroom.room import Entry
from dealroom.scanner import SiteScanner, UnscannableSite, scan_and_remove
from dealroom.sources import DealSource, WorkerError, open_source

log = logging.getLogger("mkdocs.plugins.dealroom")
# While serving, a record error is reported here: outside the `mkdocs` loggers, so that strict
# mode does not abort the rebuild that keeps the last good room on the screen.
serve_log = logging.getLogger("dealroom.serve")
if not serve_log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    serve_log.addHandler(_handler)
    serve_log.propagate = False


# From this many deals on, files are scanned for leaks on a second core while MkDocs builds.
SCAN_ALONGSIDE_MIN_DEALS = 50
# Up to this many deals the nav lists them all; above, it groups them by year (see `_nav`).
FLAT_NAV_MAX_DEALS = 20


def _deal_section(item: Entry, redact: Redactor) -> dict[str, list[dict[str, str]]]:
    # The nav is built from the record, not the public view: its name is redacted here.
    return {str(escape(redact(item.name))): [{title: f"deals/{item.slug}/{name}"}
                                             for name, title, _ in DEAL_PAGES]}


class MaskConfig(base.Config):
    fields = c.ListOfItems(c.Choice(MASKABLE_FIELDS), default=list(ACCOUNT_NUMBER_FIELDS))
    visible_digits = c.Type(int, default=4)


class DealroomConfig(base.Config):
    deals_dir = c.Type(str, default="content/deals")
    banner = c.Type(str, default="Confidential")
    nav_title = c.Type(str, default="Deals")
    mask = c.SubConfig(MaskConfig)


class DealroomPlugin(BasePlugin[DealroomConfig]):
    source: DealSource | None = None
    policy: MaskPolicy
    redact: Redactor
    scanner: SiteScanner | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base_dir = Path(config.config_file_path or ".").resolve().parent
        self.deals_dir = (base_dir / self.config.deals_dir).resolve()
        docs_dir = Path(config.docs_dir).resolve()
        if self.deals_dir.is_relative_to(docs_dir):
            raise PluginError(f"dealroom: deals_dir {self.deals_dir} is inside docs_dir; MkDocs "
                              "would publish the raw records. Move the records out of docs_dir.")
        if not 0 <= self.config.mask.visible_digits <= 4:
            raise PluginError("dealroom: mask.visible_digits must be between 0 and 4")
        self.policy = MaskPolicy(tuple(self.config.mask.fields), self.config.mask.visible_digits)
        self.renderer = Renderer(config.site_name, config.use_directory_urls)
        config.extra["dealroom"] = {"banner": self.config.banner}
        return config

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining this hook keeps one plugin object across `mkdocs serve` rebuilds.
        self.serving = command == "serve"

    def on_pre_build(self, config: MkDocsConfig) -> None:
        try:
            # Serving keeps the last good room to render from: it must stay in this process.
            source = open_source(self.deals_dir, self.policy, self.renderer,
                                 fork=not getattr(self, "serving", False))
        except RecordError as error:
            message = f"dealroom: {len(error.problems)} problem(s) in deal records:\n{error}"
            if getattr(self, "serving", False) and self.source is not None:
                # Keep serving the last good room rather than a server stuck on the error.
                serve_log.error(f"{message}\nServing the last valid records until this is fixed.")
                return
            raise PluginError(message) from None
        except WorkerError as error:
            raise PluginError(f"dealroom: {error}") from None
        self._close_source()
        self.source = source
        self.redact = Redactor(self._secrets(), self.policy.visible_digits)

    def _secrets(self) -> list[Secret]:
        return [secret for item in self._entries() for secret in item.secrets]

    def _entries(self) -> list[Entry]:
        assert self.source is not None
        return self.source.entries

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        with_home = files.get_file_from_path("index.md") is None
        self._unread: dict[str, str] = {}  # a deal page's path -> its deal, until MkDocs reads it
        self._pages: dict[str, str] = {}  # the pages of the deal being read
        generated: dict[str, str | Path] = dict(
            self.renderer.room_pages([item.row for item in self._entries()], with_home))
        for item in self._entries():
            for name, _, _ in DEAL_PAGES:
                # Written when MkDocs comes to read it (`on_pre_page`): rendered meanwhile. Until
                # then the file is empty to a plugin that would read it earlier.
                generated[f"deals/{item.slug}/{name}"] = ""
                self._unread[f"deals/{item.slug}/{name}"] = item.slug
            generated.update(item.files)
        for path, content in generated.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"dealroom: {path} is generated from the deal records; "
                                  "remove the hand-written file of that name from docs_dir")
            files.append(File.generated(config, path, content=content) if isinstance(content, str)
                         else File.generated(config, path, abs_src_path=str(content)))
        if config.nav is None:
            config.nav = self._nav(files)
        self._start_scanner(config)
        return files

    def on_pre_page(self, page: Page, config: MkDocsConfig, files: Files) -> Page:
        slug = self._unread.pop(page.file.src_uri, None)
        if slug is not None:
            if page.file.src_uri not in self._pages:
                assert self.source is not None
                try:  # kept until read: MkDocs or another plugin may read pages in any order
                    self._pages.update(self.source.pages(slug))
                except WorkerError as error:
                    raise PluginError(f"dealroom: {error}") from None
            page.file.content_string = self._pages.pop(page.file.src_uri)
        return page

    def _start_scanner(self, config: MkDocsConfig) -> None:
        self._stop_scanner()
        self._last_written: str | None = None
        if len(self._entries()) >= SCAN_ALONGSIDE_MIN_DEALS and len(os.sched_getaffinity(0)) > 1:
            self.scanner = SiteScanner(Path(config.site_dir), self._secrets())

    def _stop_scanner(self) -> None:
        scanner, self.scanner = self.scanner, None
        if scanner:
            scanner.close()

    def _close_source(self) -> None:
        source, self.source = self.source, None
        if source:
            source.close()

    def _nav(self, files: Files) -> list[Any]:
        """Hand-written pages first, then every deal with its pages in a fixed order.

        Material writes into each page every nav entry that page can see; `navigation.prune`
        hides only the entries inside other sections. A flat list of a thousand deals would put
        a thousand links into each of thousands of pages, and the build would grow with the
        square of the room. A large room's deals are grouped by year, so a page carries the
        years, its own year's deals and its own deal's pages.
        """
        own = [f.src_uri for f in files.documentation_pages()
               if f.src_uri != "index.md" and not f.src_uri.startswith("deals/")]
        deals = sorted(self._entries(), key=lambda e: (e.date, e.slug), reverse=True)
        sections = [_deal_section(item, self.redact) for item in deals]
        if len(deals) > FLAT_NAV_MAX_DEALS:
            years: dict[str, list[Any]] = {}
            for item, section in zip(deals, sections, strict=True):
                years.setdefault(str(item.date.year), []).append(section)
            sections = [{year: items} for year, items in years.items()]
        return [{"Home": "index.md"}, *sorted(own),
                {self.config.nav_title: ["deals/index.md", *sections]}]

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        # A hand-written page may quote a number too: it gets the same redaction as notes.
        return self.redact(markdown) if page.file.generated_by is None else markdown

    @event_priority(-100)  # last: MkDocs writes the page after this
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.scanner:
            # Every file copied before the pages is written by the first page's turn; each
            # page by the next one's.
            if self._last_written is None:
                site = Path(config.site_dir)
                for file in site.rglob("*"):
                    if file.is_file():
                        self.scanner.written(file.relative_to(site).as_posix())
            else:
                self.scanner.written(self._last_written)
            self._last_written = page.file.dest_uri
        return output

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        # Every page is read: the processes that rendered them can go.
        if self.source is not None and not getattr(self, "serving", False):
            self.source.close()
        return env

    def on_build_error(self, error: Exception) -> None:
        self._stop_scanner()
        if not getattr(self, "serving", False):
            self._close_source()

    # After every other plugin's post-build step (Material's offline plugin writes
    # search/search_index.js at -100): the guard must see the site as it will be served.
    @event_priority(-200)
    def on_post_build(self, config: MkDocsConfig) -> None:
        scanner, self.scanner = self.scanner, None
        try:
            leaks = scan_and_remove(Path(config.site_dir), self._secrets(), scanner)
        except UnscannableSite as error:
            raise PluginError(f"dealroom: {error}") from None
        finally:
            if scanner:
                scanner.close()
        if leaks:
            raise PluginError("dealroom: the leak guard found raw account numbers:\n" +
                              "\n".join(str(leak) for leak in leaks))

    def on_shutdown(self) -> None:
        self._stop_scanner()
        self._close_source()

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.deals_dir))
        return server
