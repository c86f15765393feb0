"""The MkDocs adapter: a thin layer over `dealroom.room` and `dealroom.guard`.

Records are loaded and validated in `on_pre_build`, before MkDocs cleans `site/`, so a bad
record stops the build with the previous site untouched. Pages are added as generated files,
never written into `docs_dir` (that would make `mkdocs serve` rebuild forever).
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

from dealroom.derive import Facts
from dealroom.errors import RecordError
from dealroom.guard import PageScanner, Scanned, scan_and_remove
from dealroom.mask import MaskPolicy, Redactor
from dealroom.model import ACCOUNT_NUMBER_FIELDS, MASKABLE_FIELDS
from dealroom.render import DEAL_PAGES, Renderer, escape
from dealroom.room import Room, build_files, load_room

log = logging.getLogger("mkdocs.plugins.dealroom")
# While serving, a record error is reported here: outside the `mkdocs` loggers, so that strict
# mode does not abort the rebuild that keeps the last good room on the screen.
serve_log = logging.getLogger("dealroom.serve")
if not serve_log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    serve_log.addHandler(_handler)
    serve_log.propagate = False


# From this many deals on, pages are scanned for leaks on a second core while MkDocs builds.
SCAN_ALONGSIDE_MIN_DEALS = 50
# Up to this many deals the nav lists them all; above, it groups them by year (see `_nav`).
FLAT_NAV_MAX_DEALS = 20


def _deal_section(facts: Facts, redact: Redactor) -> dict[str, list[dict[str, str]]]:
    # The nav is built from the record, not the public view: its name is redacted here.
    return {str(escape(redact(facts.deal.name))): [{title: f"deals/{facts.slug}/{name}"}
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
    room: Room
    policy: MaskPolicy
    redact: Redactor
    scanner: PageScanner | None = None

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
        config.extra["dealroom"] = {"banner": self.config.banner}
        return config

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining this hook keeps one plugin object across `mkdocs serve` rebuilds.
        self.serving = command == "serve"

    def on_pre_build(self, config: MkDocsConfig) -> None:
        try:
            self.room = load_room(self.deals_dir, self.policy)
            self.redact = Redactor(self.room.secrets(self.policy), self.policy.visible_digits)
        except RecordError as error:
            message = f"dealroom: {len(error.problems)} problem(s) in deal records:\n{error}"
            if getattr(self, "serving", False) and hasattr(self, "room"):
                # Keep serving the last good room rather than a server stuck on the error.
                serve_log.error(f"{message}\nServing the last valid records until this is fixed.")
                return
            raise PluginError(message) from None

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        with_home = files.get_file_from_path("index.md") is None
        renderer = Renderer(config.site_name, config.use_directory_urls)
        for path, content in build_files(self.room, self.policy, renderer, with_home).items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"dealroom: {path} is generated from the deal records; "
                                  "remove the hand-written file of that name from docs_dir")
            files.append(File.generated(config, path, content=content))
        if config.nav is None:
            config.nav = self._nav(files)
        self._start_scanner()
        return files

    def _start_scanner(self) -> None:
        self._stop_scanner()
        if len(self.room.deals) >= SCAN_ALONGSIDE_MIN_DEALS and len(os.sched_getaffinity(0)) > 1:
            self.scanner = PageScanner(self.room.secrets(self.policy))

    def _stop_scanner(self) -> dict[str, Scanned]:
        scanner, self.scanner = self.scanner, None
        return scanner.results() if scanner else {}

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
        deals = sorted(self.room.deals, key=lambda f: (f.deal.agreement.date, f.slug), reverse=True)
        sections = [_deal_section(facts, self.redact) for facts in deals]
        if len(deals) > FLAT_NAV_MAX_DEALS:
            years: dict[str, list[Any]] = {}
            for facts, section in zip(deals, sections, strict=True):
                years.setdefault(str(facts.deal.agreement.date.year), []).append(section)
            sections = [{year: items} for year, items in years.items()]
        return [{"Home": "index.md"}, *sorted(own),
                {self.config.nav_title: ["deals/index.md", *sections]}]

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        # A hand-written page may quote a number too: it gets the same redaction as notes.
        return self.redact(markdown) if page.file.generated_by is None else markdown

    @event_priority(-100)  # last, so the page is scanned as MkDocs writes it
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.scanner:
            self.scanner.submit(page.file.dest_uri, output.encode("utf-8", "xmlcharrefreplace"))
        return output

    def on_build_error(self, error: Exception) -> None:
        self._stop_scanner()

    # After every other plugin's post-build step (Material's offline plugin writes
    # search/search_index.js at -100): the guard must see the site as it will be served.
    @event_priority(-200)
    def on_post_build(self, config: MkDocsConfig) -> None:
        leaks = scan_and_remove(Path(config.site_dir), self.room.secrets(self.policy),
                                self._stop_scanner())
        if leaks:
            raise PluginError("dealroom: the leak guard found raw account numbers:\n" +
                              "\n".join(str(leak) for leak in leaks))

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.deals_dir))
        return server
