"""Render stage: public views of deals to Markdown pages, through Jinja templates.

Every `{{ value }}` is escaped for both HTML and Markdown by the environment's `finalize`
(autoescape keeps macro output, already escaped, from being escaped twice), so a template
shows deal data as inert text unless it explicitly marks markup as safe.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from importlib.metadata import version
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from markupsafe import Markup

from dealroom import __version__, pagetext
from dealroom.derive import Agenda, RoomSummary, build_date, timeline_years
from dealroom.economics import FILTERS as ECONOMICS_FILTERS
from dealroom.history import History
from dealroom.precision import format_money
from dealroom.types import Blank

_TEMPLATES = Path(__file__).parent / "templates"

ALL_DEALS, RECENT_CHANGES = "All deals", "Recent changes"  # the room's pages, as titled
# (file name, nav title, section template); the order is the nav's order.
DEAL_PAGES = (
    ("index.md", "Overview", "overview"),
    ("terms.md", "Terms", "terms"),
    ("parties.md", "Parties", "parties"),
    ("instructions.md", "Instructions", "instructions"),
    ("exhibits.md", "Exhibits", "exhibits"),
    ("timeline.md", "Timeline", "timeline"),
    ("history.md", "History", "history"),
    ("print.md", "Whole deal (print)", None),
)
# Sections of the deal that are not part of the whole-deal page: a binder holds the deal as it
# stands; its history is on its own page.
NOT_PRINTED = frozenset({"history"})
# Characters that mean something to HTML, Markdown or its extensions become entities, in one
# pass so that the `&` and `#` of an entity are never escaped again.
_ENTITIES = {ord(ch): f"&#{ord(ch)};" for ch in "&<>\"'\\`*_{}[]()#+!|~^=:$"}
# Line breaks and tabs too: a note's blank line would end a table row or an HTML block, and a
# line's indent would start a code block. The browser shows the entities as the characters.
_ENTITIES.update({ord("\n"): "&#10;", ord("\t"): "&#9;"})


_MEANINGFUL = re.compile("[" + re.escape("".join(chr(code) for code in _ENTITIES)) + "]")


def escape(value: Any) -> Markup:
    """Deal text as inert HTML and Markdown: entities for every meaningful character."""
    if isinstance(value, Markup):
        return value
    return _escaped(value if type(value) is str else str(value))


@lru_cache(maxsize=65536)  # a room's labels, names and dates recur on every deal's pages
def _escaped(text: str) -> Markup:
    if _MEANINGFUL.search(text):  # most values have no such character: no translation
        text = text.translate(_ENTITIES)
    # Spaces at either end would undo `**bold**` around the value, or indent it into code.
    if text[:1] == " " or text[-1:] == " ":
        body = text.strip(" ")
        start = text.index(body[0]) if body else len(text)
        text = "&#32;" * start + body + "&#32;" * (len(text) - len(body) - start)
    return Markup(text)


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    return escape(value)


def blank(value: Any) -> str:
    """How a value the agreement leaves open (`Blank`, possibly as plain text once masked) reads."""
    return "redacted in the filing" if str(value) == Blank.REDACTED.value else "not stated"


def long_date(value: date | Blank) -> str:
    if not isinstance(value, date):
        return blank(value)
    return f"{value:%B} {value.day}, {value.year}"


def number(value: int | Decimal | Blank) -> str:
    return f"{value:,}" if isinstance(value, int | Decimal) else blank(value)


def signed_on(view: Any) -> date:
    """The agreement date to sort deals by: an undated form of agreement sorts last."""
    day = view.deal.agreement.date
    return day if isinstance(day, date) else date.min


def money(value: Decimal, currency: str) -> str:
    """An amount in any ISO 4217 currency, at its minor units unless stated more precisely."""
    return format_money(value, currency)


def css_string(text: str) -> Markup:
    """Deal text as a quoted CSS string: every character but letters, digits and spaces as a CSS
    escape, so no text can end the string, the rule or the `<style>` element."""
    body = "".join(ch if ch.isascii() and (ch.isalnum() or ch == " ") else f"\\{ord(ch):x} "
                   for ch in str(text))
    return Markup(f'"{body}"')


def paragraphs(text: str | None) -> Markup:
    """Multi-line notes as HTML paragraphs (blank lines separate them)."""
    if not text:
        return Markup("")
    blocks = [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]
    return Markup("".join(f"<p>{escape(block)}</p>" for block in blocks))


# An attached text up to this size (UTF-8 bytes, once redacted) is shown whole on the Exhibits and
# print pages; a longer one is linked with its size and only its beginning is shown. A 300 KB
# agreement inline makes a page nobody reads and a search index every page load rebuilds.
SHOWN_TEXT_BYTES = 50_000
# The beginning of a longer text: its first lines, up to this many characters, cut at a space.
TEXT_START_LINES = 40
TEXT_START_CHARS = 2_000


def shown_whole(text: str) -> bool:
    """Whether an attached text is short enough to show whole on a page."""
    return len(text.encode("utf-8")) <= SHOWN_TEXT_BYTES


def text_size(text: str) -> str:
    """The size of an attached text as published, for a reader: `298 KB`."""
    size = len(text.encode("utf-8"))
    return f"{size:,} bytes" if size < 1000 else f"{size / 1000:,.0f} KB"


def text_start(text: str) -> str:
    """The beginning of a long text: its first lines, cut at a space within the character limit."""
    start = "".join(text.splitlines(keepends=True)[:TEXT_START_LINES]).rstrip()
    if len(start) > TEXT_START_CHARS:
        cut = start.rfind(" ", 0, TEXT_START_CHARS + 1)
        start = start[:cut if cut > 0 else TEXT_START_CHARS].rstrip()
    return start


class _Generator(CodeGenerator):
    """Template code where `finalize`, which escapes every value (`escape`), is the only escape
    of an output: Jinja would pass its `Markup` through `markupsafe.escape` again, the most
    frequent call of a page. Any other output (a volatile autoescape block) is as Jinja writes it."""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile and finalize.src is not None:
            self.write("(" + finalize.src)  # closed as Jinja closes `escape(finalize(`
        else:
            super()._output_child_pre(node, frame, finalize)


@lru_cache(maxsize=1)
def _environment(templates: str) -> Environment:
    """The template environment of the templates as they are (`_templates_digest`): every
    renderer shares its compiled templates, and a template's file is not checked on each use."""
    env = Environment(loader=PackageLoader("dealroom", "templates"), undefined=StrictUndefined,
                      finalize=_finalize, autoescape=True, keep_trailing_newline=True,
                      trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.code_generator_class = _Generator
    env.filters.update(ECONOMICS_FILTERS)  # amounts, counts and rates that may be blank
    env.filters.update(long_date=long_date, money=money, paragraphs=paragraphs, number=number, blank=blank,
                       css_string=css_string, text_size=text_size, text_start=text_start)
    env.tests.update(shown_whole=shown_whole)
    env.filters.update(pagetext.FILTERS)
    return env


@cache
def _templates_digest() -> str:
    """What the templates and the code that fills them are: a change renders every page again."""
    digest = hashlib.sha256(f"{__version__}:{version('holidays')}".encode())
    for template in sorted(_TEMPLATES.glob("*.j2")):
        digest.update(template.name.encode() + b"\0" + template.read_bytes())
    for module in ("derive.py", "mask.py", "pagetext.py", "precision.py", "render.py",
                   "schedule.py", "numbers.py"):
        digest.update((_TEMPLATES.parent / module).read_bytes())
    digest.update((_TEMPLATES.parent / "economics.py").read_bytes())  # the figures pages show
    return digest.hexdigest()


class Renderer:
    """Turns public views into Markdown. Holds the template environment, built once."""

    def __init__(self, room_title: str = "Deal room", directory_urls: bool = True,
                 today: date | None = None, banner: str = "") -> None:
        self.env = _environment(_templates_digest())
        self.room_title = room_title
        self.banner = banner  # the confidentiality marking, on every printed page
        self.directory_urls = directory_urls
        # The day pages are "as of": what is overdue, where the timeline marks today.
        self.today = today or build_date()
        # The list of deals is raw HTML (a table the sorting script finds by its wrapper), so
        # its links are written as MkDocs would write them: `slug/` or `slug/index.html`.
        self.index_page = "" if directory_urls else "index.html"
        # A deal page's links to facts, as `_links` wrote them there (`../terms/#anchor`).
        names = "|".join(name[:-3] for name, _, _ in DEAL_PAGES if name != "index.md")
        self._fact_urls = {name: re.compile(
            f'href="(?:index|{names})\\.html#' if not directory_urls else
            f'href="(?:(?:{names})/)?#' if name == "index.md" else f'href="\\.\\./(?:(?:{names})/)?#')
            for name, _, _ in DEAL_PAGES}

    def fingerprint(self, rule_digest: str) -> str:
        """Everything besides a deal's own record that its pages depend on."""
        options = (f"{self.room_title}:{self.index_page}:{self.today}:{self.banner}:{rule_digest}:"
                   f"{_templates_digest()}")
        return hashlib.sha256(options.encode()).hexdigest()

    def deal_pages(self, view: SimpleNamespace, agenda: Agenda) -> dict[str, str]:
        """Pages of one deal, keyed by path relative to the docs root; `agenda` is the deal as of
        the build date, masked."""
        # A party reference may name a group (`party_ref` shows it by its defined term).
        parties = {g.id: g for g in view.deal.groups} | {p.id: p for p in view.deal.parties}
        context = {"view": view, "deal": view.deal, "parties": parties, "agenda": agenda,
                   "banner": self.banner, "standing": agenda.standing, "today": self.today,
                   "years": timeline_years(view.timeline, self.today),
                   "pages": DEAL_PAGES, "sections": [p for p in DEAL_PAGES if p[2]]}
        pages, parts = {}, []
        # Every page says when the deal's record last changed, from git.
        stamp = self.env.get_template("last_changed.md.j2").render(context)
        for file_name, title, section in DEAL_PAGES:
            if section is None:
                continue
            template = self.env.get_template(f"{section}.md.j2")
            # Each section is rendered once, as a part of the whole-deal page; its own page is
            # that part with every heading one level up (the overview differs: rendered again).
            part = template.render(context, title=title, level=2, standalone=False)
            if section not in NOT_PRINTED:
                parts.append(part)
            own = _PART_HEADING.sub(r"\1", part) if section != "overview" else \
                template.render(context, title=title, level=1, standalone=True)
            pages[f"deals/{view.slug}/{file_name}"] = self._links(f"{own}\n{stamp}", file_name)
        pages[f"deals/{view.slug}/print.md"] = self._links(self.env.get_template("print.md.j2").render(
            context, parts=[Markup(part) for part in parts], stamp=Markup(stamp)), None)
        return {f"deals/{view.slug}/{name}": pages[f"deals/{view.slug}/{name}"]
                for name, _, _ in DEAL_PAGES}

    def _links(self, markdown: str, file_name: str | None) -> str:
        """Links between a deal's facts, written by templates as `href="dealroom:page#anchor"`,
        as URLs from the page `file_name` (None: the whole-deal page, where every fact is)."""
        def url(match: re.Match[str]) -> str:
            page, anchor = match[1], match[2]
            if page == "file":  # a file of the deal, beside its pages
                up = "../" if self.directory_urls and file_name != "index.md" else ""
                return f'href="{up}{anchor}"'
            if file_name is None:
                return f'href="#{anchor}"'
            if not self.directory_urls:
                return f'href="{page}.html#{anchor}"'
            up = "" if file_name == "index.md" else "../"
            return f'href="{up}{"" if page == "index" else page + "/"}#{anchor}"'
        return _FACT_LINK.sub(url, markdown)

    def print_links(self, html: str, file_name: str) -> str:
        """`_links` undone in HTML: a page's links to the deal's facts as the whole-deal page
        writes them (`#anchor`), where every fact is."""
        return self._fact_urls[file_name].sub('href="#', html)

    def room_pages(self, views: Iterable[SimpleNamespace], with_home: bool,
                   room: RoomSummary | None = None, names: dict[str, str] | None = None,
                   history: History | None = None,
                   recent: list[SimpleNamespace] | None = None) -> dict[str, str]:
        """The list of all deals, and the home page when the room has no hand-written one: what
        needs attention as of the build date (`room`), then the list."""
        deals = sorted(views, key=lambda v: (signed_on(v), v.slug), reverse=True)
        template = self.env.get_template("room.md.j2")
        # Looked up by slug, not searched for: the home page lists every deal's agenda.
        statuses = {v.slug: v.deal.status for v in deals}
        common = {"deals": deals, "statuses": statuses, "index_page": self.index_page, "room": room,
                  "names": names or {},
                  "soon_days": DUE_SOON_DAYS, "status_order": STATUS_ORDER,
                  "timeline_page": "timeline/" if self.directory_urls else "timeline.html",
                  "instructions_page": "instructions/" if self.directory_urls else "instructions.html",
                  "changes_page": "changes/" if self.directory_urls else "changes.html",
                  "recent": recent or []}
        pages = {"deals/index.md": template.render(common, title=ALL_DEALS, home=False, prefix="")}
        pages["deals/changes.md"] = self.env.get_template("changes.md.j2").render(
            title=RECENT_CHANGES, available=history is not None and history.available,
            reason=history.reason if history is not None else "no history was read",
            recent=recent or [], today=self.today, prefix="../" if self.directory_urls else "",
            history_page="history/" if self.directory_urls else "history.html")
        if with_home:
            pages["index.md"] = template.render(common, title=self.room_title, home=True,
                                                prefix="deals/")
        return pages


# The home page lists what falls due within this many days of the build date.
DUE_SOON_DAYS = 30
# A deal's lifecycle: counts by status read in this order.
STATUS_ORDER = ("draft", "negotiating", "signed", "funded", "closed", "terminated")

# A link a template wrote to a fact of the deal; deal data cannot write `"` (escaped).
_FACT_LINK = re.compile(r'href="dealroom:([a-z]+)#([A-Za-z0-9.\-]+)"')

# How every deal page ends: when its record last changed (`last_changed.md.j2`).
STAMP_START = '<p class="dealroom-last-changed">'
# A heading line of a section rendered at level 2: data never starts a line with `#` (escaped).
_PART_HEADING = re.compile(r"^#(#+ )", re.MULTILINE)

# Up to this many deals the nav lists them all; above, it groups them by year.
FLAT_NAV_MAX_DEALS = 20


def nav_order(rows: Iterable[SimpleNamespace]) -> list[SimpleNamespace]:
    """Deals as the nav lists them: newest first."""
    return sorted(rows, key=lambda v: (signed_on(v), v.slug), reverse=True)


def deals_nav(rows: Iterable[SimpleNamespace], title: str) -> dict[str, list[Any]]:
    """The nav's section of deals, newest first, each with its pages in a fixed order.

    Material writes into each page every nav entry that page can see; `navigation.prune`
    hides only the entries inside other sections. A flat list of a thousand deals would put
    a thousand links into each of thousands of pages, and the build would grow with the
    square of the room. A large room's deals are grouped by year, so a page carries the
    years, its own year's deals and its own deal's pages.
    """
    deals = nav_order(rows)
    sections: list[Any] = [{str(escape(v.deal.name)): [{page_title: f"deals/{v.slug}/{name}"}
                                                      for name, page_title, _ in DEAL_PAGES]}
                           for v in deals]
    if len(deals) > FLAT_NAV_MAX_DEALS:
        years: dict[str, list[Any]] = {}
        for view, section in zip(deals, sections, strict=True):
            day = signed_on(view)
            years.setdefault(str(day.year) if day != date.min else "Undated", []).append(section)
        sections = [{year: items} for year, items in years.items()]
    # Titled here, not only by the pages' headings: a dirty build knows a page's heading only
    # if it read the page again, and would show the others as "None" in the nav.
    return {title: [{ALL_DEALS: "deals/index.md"}, {RECENT_CHANGES: "deals/changes.md"}, *sections]}
