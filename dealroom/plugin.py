"""The MkDocs adapter: each hook calls one function of the core (`dealroom.pipeline`).

Records are loaded, checked, masked and rendered in `on_pre_build`, before MkDocs cleans
`site/`, so a bad record, or a room that cannot be published, stops the build with the
previous site untouched. Pages are generated files, never
written into `docs_dir` (that would make `mkdocs serve` rebuild forever). The leak guard runs
last, after every other plugin has written its files.

`mkdocs serve --dirty` rebuilds only the pages whose Markdown changed (the pipeline keeps
each deal's pages, and tells which texts changed); the plugin keeps the nav, the list of deals and
the search index right, and rebuilds everything when the nav or the room's secrets change.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import re
import sys
from collections.abc import Collection
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory, get_build_date, markdown_extensions, meta

from dealroom.binder import PRINTED, Outline, bind, headings_in, outline
from dealroom.config import DealroomConfig
from dealroom.derive import Facts
from dealroom.errors import Problem, RecordError
from dealroom.history import History
from dealroom.marker import check_marker, link_to_records
from dealroom.mask import MaskPolicy, Rule
from dealroom.pipeline import Pipeline, Published, Settings
from dealroom.render import Renderer, deals_nav, nav_order
from dealroom.scan import ScanMemory, UnscannableSite, scan_and_remove
from dealroom.search import SearchIndex
from dealroom.sharing import SHARED_FROM, Pool, unsafe_main

log = logging.getLogger("mkdocs.plugins.dealroom")
_SITEMAP = frozenset({"sitemap.xml", "sitemap.xml.gz"})
_SERVE_GC_THRESHOLD = 50_000  # new objects before the youngest generation is collected
_SERVE_SWITCH_INTERVAL = 0.1  # seconds a thread runs before another may take the interpreter


class _DirtyBuildsAreWhole(logging.Filter):
    """MkDocs warns that a dirty build leaves navigation inaccurate (an abort in strict mode).
    This plugin rebuilds every page when the nav changes, so the warning does not apply."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


class _CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates compiled once per `mkdocs serve`, not on every rebuild: each build
    makes a new Jinja environment, and compiling Material's templates took a few tenths of a
    second of every rebuild. Jinja checks each template's source against its checksum."""

    def __init__(self) -> None:
        self.compiled: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        kept = self.compiled.get(bucket.key)
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is not None:
            self.compiled[bucket.key] = (bucket.checksum, bucket.code)


_WITHHELD = ("# Not shown yet\n\nThis page is new since the deal records last built without "
             "errors. It is shown once they are fixed.\n")


class _Kept(File):
    """A generated page or file, or an attached file, in a rebuild while serving.

    MkDocs writes a file in a dirty build if its source is newer than its output: three calls
    to the file system, twice per page, a few tenths of a second at 8,000 pages. The room
    knows which texts changed since the last build reached its end (`rewritten`), and
    the guard which files the site holds (`present`): a file is written again if it is new,
    or missing (a nav change cleaned the site, the guard deleted it). The same object serves
    every rebuild while the layout holds, with the page MkDocs made for it."""

    rewritten = True
    present: Collection[str] | None = None  # None: not known, MkDocs compares times as usual

    def is_modified(self) -> bool:
        if self.present is None:
            return super().is_modified()
        return self.rewritten or self.dest_uri not in self.present

    # `File` normalizes every new file's path through `pathlib`, a tenth of a second for each
    # rebuild's 12,000 files; the room's site paths are written with "/" already.
    @property
    def src_path(self) -> str:
        return os.path.normpath(self.src_uri)

    @src_path.setter
    def src_path(self, value: str) -> None:
        self.src_uri = value


class _Reread(File):
    """A hand-written page, read again in every rebuild: MkDocs knows a page's title once it
    has read it, and a dirty build reads only the pages it thinks changed. The nav of the
    pages it builds would show "None" for the others."""

    def is_modified(self) -> bool:
        return True


_PLAIN_PAGE = re.compile(r"(?:[a-z0-9][a-z0-9._-]*/)*[a-z0-9_-]+\.md")
# A path no URL quotes: letters, digits, ".", "_", "-".
_PLAIN_PATH = re.compile(r"(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*")


def _address(path: str) -> tuple[str, str] | None:
    """Where a generated page or file is written and its URL, with directory URLs, as MkDocs
    makes them (`deals/x/terms.md` -> `deals/x/terms/index.html`, `deals/x/terms/`; any
    other file where its path says) for paths that need no quoting: MkDocs makes them for
    each of 12,000 files on every build, a tenth of a second of each rebuild while serving.
    None: MkDocs makes them."""
    if not path.lower().endswith(_MARKDOWN):
        named_index = path.rpartition("/")[2] == "index.html"  # its URL is its folder's
        return (path, path) if _PLAIN_PATH.fullmatch(path) and not named_index else None
    if not _PLAIN_PAGE.fullmatch(path):
        return None
    folder, _, name = path[:-3].rpartition("/")
    if name == "index":
        return f"{folder}/index.html" if folder else "index.html", f"{folder}/" if folder else "./"
    stem = f"{folder}/{name}" if folder else name
    return f"{stem}/index.html", f"{stem}/"


_MARKDOWN = tuple(markdown_extensions)
# An anchor a page holds, as MkDocs finds them (an element's id, an `a` element's name).
_ANCHOR = re.compile(r'\s(?:id|name)="([^"]*)"')


def _handwritten(docs_dir: Path) -> set[str]:
    """The paths of `docs_dir`'s files, as MkDocs would take them (not hidden ones)."""
    found: set[str] = set()
    for root, folders, names in os.walk(docs_dir):
        folders[:] = [name for name in folders if not name.startswith(".")]
        prefix = Path(root).relative_to(docs_dir).as_posix()
        found.update(name if prefix == "." else f"{prefix}/{name}" for name in names
                     if not name.startswith("."))
    return found


def _signature(source: Path) -> tuple[int, ...]:
    try:
        status = source.stat()
    except OSError:
        return ()
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino


def _settings(config: MkDocsConfig) -> str:
    """What every page shows besides the nav: `mkdocs.yml` (theme, banner, extensions) and the
    theme's own folder. A change rebuilds every page while serving with `--dirty`."""
    digest = hashlib.sha256()
    if config.config_file_path:
        digest.update(Path(config.config_file_path).read_bytes())
    custom = config.theme.custom_dir
    for root, folders, names in os.walk(custom) if custom else ():
        folders.sort()
        for name in sorted(names):
            file = os.path.join(root, name)
            digest.update(f"{file}:{_signature(Path(file))}".encode())
    return digest.hexdigest()


class DealroomPlugin(BasePlugin[DealroomConfig]):
    def __init__(self) -> None:
        self.serving = False
        self.dirty = False
        self.pipeline: Pipeline | None = None
        self.deals: list[Facts] | None = None  # the last good room
        self.history: History | None = None
        self.published: Published | None = None
        self.with_home = True  # the room's home page is generated (no hand-written index.md)
        self.refused = False  # the records were refused in this build: the last room is served
        self.rule: Rule | None = None  # what masks hand-written pages and what the guard looks for
        self._refused_rule: Rule | None = None
        self.unreviewed: set[str] | None = None  # attached files to read whole, if not the room's
        self.good_markdown: dict[str, str] = {}  # hand-written page -> as masked in a valid build
        self.scan_memory = ScanMemory()
        self.page_urls: set[str] = set()
        self.search = SearchIndex()
        self.layout = ""  # what every page shows of the room: nav and masking rule
        self.sitemap_date = ""  # the date of the sitemap last written
        self._dirty_filter = _DirtyBuildsAreWhole()
        self._templates = _CompiledTemplates()
        self._switch_interval: float | None = None  # as it was before serving
        self._thresholds: tuple[int, ...] | None = None  # the garbage collector's, before serving
        self.unbuilt: set[str] = set()  # texts and files changed since a build last reached its end
        self.attached: dict[str, tuple[int, ...]] = {}  # attached file -> its state when given
        self.present: set[str] | None = None  # the site's files after the last build, if known
        self._nav: tuple[str, list[Any], str] | None = None  # what it shows, the nav, its layout
        self._kept: dict[str, _Kept] = {}  # the last build's kept files, used again while serving
        self._reuse: tuple[Any, ...] = ()  # what they were made for
        # This build's conversions of the deal pages the whole-deal pages print, until theirs
        # is bound (`dealroom.binder`): HTML, headings of the Markdown and anchor ids, by page.
        self._converted: dict[str, tuple[str, int, set[str]]] = {}
        self._printing: dict[str, str] = {}  # whole-deal page -> its Markdown, as generated
        self._binding: dict[str, tuple[str, Outline]] = {}  # ... converted as its outline
        self._binds = False  # whole-deal pages are bound in this build
        self._printed = [0, 0]  # whole-deal pages this build converted, and bound
        self._pool: Pool | None = None  # processes the guard shares a large site with

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining this hook keeps one plugin object across `mkdocs serve` rebuilds.
        self.serving, self.dirty = command == "serve", dirty
        if self.config.enabled and self.config.concurrency > 0:
            script = unsafe_main()
            if script is not None:
                log.debug(f"dealroom: the leak guard reads the site in one process: {script} started "
                          "the build, and each process of a pool would run it again as it starts")
                return
            try:
                self._pool = Pool(self.config.concurrency)
            except (OSError, NotImplementedError, ImportError) as error:  # no semaphores here
                log.debug(f"dealroom: the leak guard reads the site in one process: no process pool "
                          f"here ({error})")
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(self._dirty_filter)

    def on_shutdown(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        logging.getLogger("mkdocs.commands.build").removeFilter(self._dirty_filter)
        if self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not self.config.enabled:
            return config
        base_dir = Path(config.config_file_path or ".").resolve().parent
        deals_dir = base_dir / self.config.deals_dir
        try:
            deals_dir = deals_dir.resolve()
        except (OSError, RuntimeError):  # a loop of links (Python 3.11 raises RuntimeError)
            loop = check_marker(deals_dir) or str(Problem(
                deals_dir, 1, 1, "", "the deals folder cannot be found: a loop of symbolic links",
                "point `deals_dir` at the records folder itself"))
            raise PluginError(f"dealroom: {loop}") from None
        if deals_dir.is_relative_to(Path(config.docs_dir).resolve()):
            raise PluginError(f"dealroom: deals_dir {deals_dir} is inside docs_dir; MkDocs "
                              "would publish the raw records. Move the records out of docs_dir.")
        problem = check_marker(deals_dir)
        if problem is not None:  # a wrong or missing folder would publish an empty room
            raise PluginError(f"dealroom: {problem}")
        link = link_to_records(Path(config.docs_dir), deals_dir)
        if link is not None:
            raise PluginError(f"dealroom: {link} is a link into the deal records; MkDocs would "
                              "publish the raw records through it. Remove the link.")
        cache_dir = base_dir / self.config.cache_dir if self.config.cache else None
        if cache_dir is not None:
            try:  # here, before MkDocs cleans site/: a build that cannot keep its pages stops now
                cache_dir.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise PluginError(f"dealroom: cache_dir {cache_dir} cannot be made a folder "
                                  f"({error.strerror}); point it at a folder, or set "
                                  "`cache: false`") from None
        settings = Settings(deals_dir, MaskPolicy(tuple(self.config.mask.fields),
                                                  self.config.mask.visible_digits),
                            cache_dir,
                            self.config.history, self.config.alarm_window_days)
        renderer = Renderer(config.site_name, config.use_directory_urls, banner=self.config.banner)
        if self.pipeline is None or self.pipeline.settings != settings or \
                self.pipeline.renderer.fingerprint("") != renderer.fingerprint(""):
            self.pipeline = Pipeline(settings, renderer)
        config.extra["dealroom"] = {"banner": self.config.banner}
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        assert self.pipeline is not None
        self.refused = False
        try:
            deals = self.pipeline.load()
            history = self.pipeline.history(deals)
        except RecordError as error:
            message = f"dealroom: {len(error.problems)} problem(s) in deal records:\n{error}"
            if self.serving and self.deals is not None:
                # Keep serving the last good room rather than a server stuck on the error. Not
                # a `mkdocs` logger: strict mode would abort the rebuild that keeps it.
                logging.getLogger("dealroom.serve").error(
                    f"{message}\nServing the room as last built from valid records (hand-written "
                    "pages as they were) until this is fixed.")
                self.refused = True
                return
            raise PluginError(message) from None
        self.deals, self.history = deals, history
        if not history.available:
            log.info(f"dealroom: history not available: {history.reason}")
        # The room is made here, before MkDocs cleans site/: a room that cannot be published
        # stops the build with the last site as it was.
        with_home = not (Path(config.docs_dir) / "index.md").is_file()
        try:
            published = self.pipeline.publish(deals, with_home, history)
        except RecordError as error:
            raise PluginError(f"dealroom: {len(error.problems)} problem(s) in deal records:\n"
                              f"{error}") from None
        clash = sorted(_handwritten(Path(config.docs_dir)) & {*published.pages, *published.files})
        if clash:
            raise PluginError(f"dealroom: {clash[0]} is generated from the deal records; remove the "
                              "hand-written file of that name from docs_dir")
        self.published, self.with_home = published, with_home
        if self._pool is not None and len(deals) >= SHARED_FROM:
            self._pool.warm("dealroom.scan")  # ready when the guard reads the site
            self._pool.order = [f"deals/{row.slug}/" for row in nav_order(published.public.rows)]

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        assert self.pipeline is not None and self.deals is not None
        with_home = files.get_file_from_path("index.md") is None
        if self.published is not None and self.with_home == with_home:
            # Made in `on_pre_build`; while records are refused, the last good room as it was.
            published = self.published
        else:
            try:
                self.published = published = self.pipeline.publish(self.deals, with_home, self.history)
            except RecordError as error:
                raise PluginError(f"dealroom: {len(error.problems)} problem(s) in deal records:\n"
                                  f"{error}") from None
            self.with_home = with_home
        self._arm(published)
        # One set, not a lookup per file: `get_file_from_path` normalizes its argument as a
        # path each time, seconds for a room of a thousand deals.
        existing = {file.src_uri for file in files}
        # Listed before the room's 12,000 files are added: each listing looks at every file.
        handwritten = [f for f in files.documentation_pages() if f.generated_by is None]
        # Until the guard has read the site once, MkDocs checks times as usual: a site folder
        # left by another process may be older than the cache.
        present = self.present if self.dirty else None
        if present is not None:
            for index, file in enumerate(handwritten):
                files.remove(file)
                handwritten[index] = _Reread(file.src_uri, file.src_dir, file.dest_dir,
                                             file.use_directory_urls, dest_uri=file.dest_uri,
                                             inclusion=file.inclusion)
                files.append(handwritten[index])
        if config.nav is None:
            own = sorted(f.src_uri for f in handwritten
                         if f.src_uri != "index.md" and not f.src_uri.startswith("deals/"))
            # Made again only when what it shows changed: 9,000 entries at a thousand deals.
            key = json.dumps([published.shown, own, self.config.nav_title])
            if self._nav is None or self._nav[0] != key:
                nav = [{"Home": "index.md"}, *own, deals_nav(published.public.rows, self.config.nav_title)]
                self._nav = (key, nav, self._layout(nav, published))
            config.nav, layout = self._nav[1], self._nav[2]
        else:
            layout = self._layout(config.nav, published)
        layout += _settings(config)
        if self.dirty and layout != self.layout:
            # Every page shows the nav and the theme, and hand-written pages are masked with the
            # room's rule: a dirty build would leave pages that MkDocs thinks unchanged out of
            # date.
            clean_directory(config.site_dir)
            if present is not None:
                present.clear()
        self.layout = layout
        today = get_build_date()
        # A kept file of the last build is used again while the nav, the theme, the date and
        # the addresses (on every page) are as they were: with its page, which MkDocs takes as
        # it finds it (making 9,000 pages' addresses took a few tenths of each rebuild).
        reuse = (layout, today, config.site_dir, config.site_url, config.use_directory_urls)
        if self._reuse != reuse:
            self._kept = {}
        self._reuse = reuse
        self.unbuilt |= published.rewritten
        generated = []
        kept: dict[str, _Kept] = {}
        for path, source in {**published.pages, **published.files}.items():
            if path in existing:
                raise PluginError(f"dealroom: {path} is generated from the deal records; "
                                  "remove the hand-written file of that name from docs_dir")
            file = self._file(config, path, source, present)
            files.append(file)
            if isinstance(file, _Kept):
                kept[path] = file
            if path in published.pages:
                generated.append(file)
        self._kept = kept
        # The sitemap lists every page, dated with the build date: written again while serving
        # only when the pages (a new layout cleans the site) or the date change, a tenth of a
        # second of each rebuild at 8,000 pages.
        if present is not None and self.sitemap_date == today and present >= _SITEMAP:
            config.theme.static_templates.discard("sitemap.xml")
        self.sitemap_date = today
        # As pages and search name them: the home page is "", not "./".
        self.page_urls = {"" if file.url in (".", "./") else file.url
                          for file in [*handwritten, *generated]}
        self.search.start()
        self._converted, self._printing, self._binding = {}, {}, {}
        self._printed = [0, 0]
        # Bound only where the plugin sees a page's Markdown first and last, and its HTML first:
        # then it knows what was converted, and its HTML is Markdown's own.
        events = config.plugins.events
        self._binds = all(getattr(hooks[at], "__self__", None) is self
                          for hooks, at in ((events["page_markdown"], 0), (events["page_markdown"], -1),
                                            (events["page_content"], 0)))
        return files

    def _arm(self, published: Published) -> None:
        """The rule that masks hand-written pages and that the guard looks for, and the
        attached files the guard must read whole."""
        assert self.pipeline is not None
        self.rule = published.public.rule
        # While records are refused, a person's review in the last room does not vouch for
        # an attached file that may have been replaced since: each must be read whole.
        self.unreviewed = {path for path, source in published.files.items()
                           if isinstance(source, Path)} if self.refused else None
        if self.refused:
            # Records refused while serving may hold numbers the last room never knew (a new
            # deal with a typo): hand-written pages are masked, and the site guarded, with them.
            known = {secret.digits for secret in self.rule.secrets}
            extra = [s for s in self.pipeline.refused_numbers if s.digits not in known]
            if extra:
                secrets = [*self.rule.secrets, *extra]
                if self._refused_rule is None or self._refused_rule.secrets != secrets:
                    self._refused_rule = Rule(secrets, self.rule.policy)
                self.rule = self._refused_rule

    def _file(self, config: MkDocsConfig, path: str, source: str | Path,
              present: set[str] | None) -> File:
        """A generated page or file (its text), or an attached file, as MkDocs takes it. While
        serving with `--dirty`, each is a `_Kept`, the last build's if it had the path."""
        if isinstance(source, Path) and self.dirty:
            # An attached file (no `pathlib`: 12,000 files): copied again when it changed since
            # the last build, even to an older time (a file moved in keeps its own), or when
            # the site lacks it.
            signature = _signature(source)
            if self.attached.get(path) != signature:
                self.attached[path] = signature
                self.unbuilt.add(path)
        if not (self.serving and self.dirty):
            file = File.generated(config, path, content=source) if isinstance(source, str) else \
                File.generated(config, path, abs_src_path=str(source))
            self._place(config, file)
            return file
        kept = self._kept.get(path)
        if isinstance(source, str):
            if kept is None or kept.abs_src_path is not None:
                kept = self._placed(_Kept.generated(config, path, content=source), config)
            elif kept.content_string is not source:  # the cache gives an unchanged text as it was
                kept.content_string = source
        elif kept is None or kept.abs_src_path != str(source):
            kept = self._placed(_Kept.generated(config, path, abs_src_path=str(source)), config)
        kept.rewritten, kept.present = path in self.unbuilt, present
        return kept

    def _placed(self, file: File, config: MkDocsConfig) -> _Kept:
        assert isinstance(file, _Kept)
        self._place(config, file)
        return file

    @staticmethod
    def _place(config: MkDocsConfig, file: File) -> None:
        """The file's address, where the plugin can make it (`_address`)."""
        address = _address(file.src_uri) if config.use_directory_urls else None
        if address is not None:
            file.dest_uri, file.url = address

    @staticmethod
    def _layout(nav: Any, published: Published) -> str:
        """What every page shows of the room: the nav, and the rule it is masked with."""
        return hashlib.sha256(json.dumps([nav, published.public.rule_digest],
                                         default=str).encode()).hexdigest()

    def _whole_deal(self, page: Page) -> bool:
        uri = page.file.src_uri
        return uri.endswith("/print.md") and uri.startswith("deals/") and \
            self.published is not None and uri in self.published.pages

    def _as_generated(self, markdown: str, page: Page) -> bool:
        """Whether a deal page's Markdown is the text the plugin generated for it (without its
        front matter): no plugin changed its file or its source."""
        assert self.published is not None
        generated = self.published.pages[page.file.src_uri]
        return markdown == generated or markdown == meta.get_data(generated)[0]

    @event_priority(100)  # before any other plugin's
    def _before_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self._binds and self._whole_deal(page) and self._as_generated(markdown, page):
            self._printing[page.file.src_uri] = markdown
        return markdown

    @event_priority(-100)  # after any other plugin's: what MkDocs converts
    def _outline(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """A whole-deal page that no plugin changed, whose sections were converted in this
        build, is converted as its outline, and bound in `on_page_content`."""
        uri = page.file.src_uri
        generated = self._printing.pop(uri, None)
        if generated is None or markdown != generated:
            return markdown
        found = outline(markdown)
        folder = uri[:-len("print.md")]
        if found is None or any(folder + name not in self._converted for name, _ in found.sections):
            return markdown
        self._binding[uri] = (markdown, found)
        return found.skeleton

    def _mask(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        # A hand-written page may quote a number too: it gets the rule every deal page gets.
        if self.rule is None or page.file.generated_by is not None:
            return markdown
        if self.refused:
            # The records cannot say which numbers are accounts (a record that does not parse,
            # a deal under an id already used, an account committed and changed since): the
            # page is shown as it was in the last room, or not at all if it is new.
            return self.good_markdown.get(page.file.src_uri, _WITHHELD)
        masked = self.good_markdown[page.file.src_uri] = self.rule.redact(markdown)
        return masked

    on_page_markdown = CombinedEvent(_before_markdown, _mask, _outline)

    @event_priority(100)  # Markdown's own HTML, before any other plugin changes it
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        uri = page.file.src_uri
        binding = self._binding.pop(uri, None)
        if self._whole_deal(page):
            self._printed[0] += 1
        if binding is None:
            folder, _, name = uri.rpartition("/")
            if self._binds and name in PRINTED and uri.startswith("deals/") and \
                    self.published is not None and uri in self.published.pages and \
                    page.markdown is not None and self._as_generated(page.markdown, page):
                if any(not kept.startswith(f"{folder}/") for kept in self._converted):
                    # MkDocs converts a deal's pages one after another, its whole-deal page last:
                    # another deal's are kept no longer (a room's would be hundreds of MB).
                    self._converted = {}
                self._converted[uri] = (html, headings_in(page.markdown), page.present_anchor_ids or set())
            return html
        assert self.pipeline is not None
        markdown, found = binding
        folder = uri[:-len("print.md")]
        sections = [self._converted.pop(folder + name) for name, _ in found.sections]
        page.markdown = markdown
        bound = bind(html, [(html, headings) for html, headings, _ in sections], found,
                     self.pipeline.renderer.print_links)
        if bound is None:  # not as the templates write it: converted whole, as MkDocs would
            page.render(config, files)
            return page.content or ""
        # What links may point at: the outline's ids, and the sections' ids the page holds.
        held = set(_ANCHOR.findall(bound))
        page.present_anchor_ids = set(page.present_anchor_ids or ()).union(
            *(ids & held for _, _, ids in sections))
        self._printed[1] += 1
        return bound

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if self.serving and env.bytecode_cache is None:
            env.bytecode_cache = self._templates
        return env

    def on_page_context(self, context: Any, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        self.search.page_built(page.url)
        return context

    @event_priority(-50)  # after the search plugin writes its index, before the offline plugin
    def _repair_search(self, config: MkDocsConfig) -> None:
        if self.config.enabled and self.published is not None:
            self.search.finish(Path(config.site_dir), {f"deals/{row.slug}/": str(row.deal.name)
                                                       for row in self.published.public.rows},
                               self.page_urls if self.dirty else None)

    @event_priority(-200)  # after every other plugin's post-build step (offline: -100)
    def _guard(self, config: MkDocsConfig) -> None:
        if not self.config.enabled or self.published is None:
            return
        self.unbuilt.clear()  # every page and file is written by now
        self._converted, self._printing, self._binding = {}, {}, {}
        log.debug(f"dealroom: {self._printed[1]} of {self._printed[0]} whole-deal pages bound from "
                  "their sections' pages, the others converted whole")
        self.present = None  # known again once the guard has read the site
        if self._pool is not None:
            self._pool.shares = []
        try:
            rule = self.rule or self.published.public.rule
            problems = scan_and_remove(Path(config.site_dir), rule.guarded,
                                       self.scan_memory if self.serving else None,
                                       self.unreviewed or self.published.public.unreviewed_attachments(),
                                       rule.guard_digest, self._verdicts_file(), self._pool)
        except UnscannableSite as error:
            raise PluginError(f"dealroom: {error}") from None
        if self._pool is not None and self._pool.shares:
            there = [share for share in self._pool.shares if share.there]
            log.debug(f"dealroom: the leak guard read {sum(len(s.names) for s in there)} files in "
                      f"{len(there)} other process(es), "
                      f"{sum(len(s.names) for s in self._pool.shares if not s.there)} of theirs here; "
                      f"it waited {sum(s.waited for s in there):.1f} s for them")
        if self.serving:
            self.present = set(self.scan_memory.files)  # after the guard deleted what it refused
            # Pages kept for the next rebuild are built: MkDocs renders one again only when it
            # changes. Their text is not kept (a thousand deals: 190 MB of Markdown and HTML).
            for file in self._kept.values():
                if file.page is not None:
                    file.page.markdown = file.page.content = None
        if problems:
            message = "dealroom: the leak guard stopped the build:\n" + \
                "\n".join(str(problem) for problem in problems)
            if self.serving:
                # The files are deleted: the server shows the rest of the room and a "not found"
                # for them. An exception here would leave every request waiting on the build.
                logging.getLogger("dealroom.serve").error(message)
                return
            raise PluginError(message)

    def _verdicts_file(self) -> Path | None:
        """Where the guard keeps its clean readings between builds: in the cache folder."""
        assert self.pipeline is not None
        cache = self.pipeline.settings.cache_dir
        return cache / "guard" / "verdicts.bin" if cache is not None else None

    on_post_build = CombinedEvent(_repair_search, _guard)

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        if self.pipeline is not None:
            server.watch(str(self.pipeline.settings.deals_dir))
        # Called once, after the first build: what the room keeps between rebuilds (a thousand
        # deals: over a million objects) is set aside from the cyclic garbage collector, whose
        # full passes over it took half a second of most rebuilds. Freed as usual when dropped.
        gc.collect()
        gc.freeze()
        # MkDocs polls every watched folder on a thread, thousands of stat calls per pass over a
        # large records folder; each switch to it, every 5 ms by default, cost a rebuild about
        # a second in all. Requests and polls wait for the build anyway.
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(_SERVE_SWITCH_INTERVAL)
        # Each rebuild makes a few million short-lived objects (files, pages, the nav): with
        # the default threshold the young generations were collected a hundred times a rebuild,
        # a tenth of a second or more. Cycles are still collected, a few times a rebuild.
        self._thresholds = gc.get_threshold()
        gc.set_threshold(_SERVE_GC_THRESHOLD, *self._thresholds[1:])
        return server
