"""Serving a built room, and walking it in the browser as a reader would."""

from __future__ import annotations

import functools
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import url2pathname

from playwright.sync_api import BrowserContext, Page, Request, Response

from conftest import EXAMPLE_SLUG, EXAMPLE_SLUGS

# Launch options for Debian's Chromium: no sandbox (containers), no calls home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
SEARCH_INPUT = "input.md-search__input"
SEARCH_RESULT_LINK = ".md-search-result__item > a"


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves `directory` under `prefix`; anything else gets the room's 404 page, like a host."""

    prefix = "/"

    def __init__(self, *args: Any, directory: str, prefix: str, **kwargs: Any) -> None:
        self.prefix = prefix
        super().__init__(*args, directory=directory, **kwargs)

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "no such file")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that moves on mid-download resets the connection: not a test failure.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(site: Path, prefix: str = "/") -> Iterator[str]:
    """Serve `site` on 127.0.0.1 (a free port) under `prefix`; yields the room's base URL."""
    handler = functools.partial(_SiteHandler, directory=str(site), prefix=prefix)
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


def status_of(url: str) -> int:
    """HTTP status of a URL (file:// URLs: 200 if the file exists, else 404)."""
    if url.startswith("file:"):
        return 200 if Path(url2pathname(urlsplit(url).path)).is_file() else 404
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def is_page(url: str) -> bool:
    path = urlsplit(url).path
    return path.endswith("/") or path.endswith(".html")


def built_pages(site: Path, base: str) -> set[str]:
    """Every page of a built room (its index.html files but 404.html), as `page_file` URLs."""
    return {base + p.relative_to(site).as_posix() for p in site.rglob("index.html")}


def page_file(url: str) -> str:
    """A page URL with the `index.html` a file:// room needs, so both forms compare equal."""
    url = urldefrag(url).url
    return url + "index.html" if url.endswith("/") else url


# Every URL an element makes the browser load or offer: links, scripts, images, stylesheets.
_REFERENCES_JS = """els => els.map(e => {
  const attr = e.hasAttribute('src') ? 'src' : 'href';
  return new URL(e.getAttribute(attr), document.baseURI).href;
})"""
_NAV_LINKS_JS = "els => els.map(e => new URL(e.getAttribute('href'), document.baseURI).href)"


class _PageReader(HTMLParser):
    """What a page's HTML references, as the crawl reads it from the browser's DOM: the `src` or
    else `href` of every element, its ids, and its nav links (`nav.md-nav a.md-nav__link`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.references: list[str] = []
        self.ids: set[str] = set()
        self.nav_links: list[str] = []
        self._navs: list[bool] = []  # open <nav> elements: whether each is an `md-nav`

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        classes = values.get("class", "").split()
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "nav":
            self._navs.append("md-nav" in classes)
        if "src" in values or "href" in values:
            self.references.append(values.get("src", values.get("href", "")))
        if tag == "a" and "href" in values and "md-nav__link" in classes and any(self._navs):
            self.nav_links.append(values["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._navs:
            self._navs.pop()


def read_page(url: str) -> tuple[int, _PageReader]:
    """A page's status and what its HTML references, fetched without a browser."""
    reader = _PageReader()
    if url.startswith("file:"):
        path = Path(url2pathname(urlsplit(page_file(url)).path))
        if not path.is_file():
            return 404, reader
        reader.feed(path.read_text(encoding="utf-8"))
        return 200, reader
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            reader.feed(response.read().decode("utf-8"))
            return int(response.status), reader
    except urllib.error.HTTPError as error:
        return error.code, reader


def each_kind_of_page(base: str) -> Callable[[str], bool]:
    """The pages of the example room a crawl opens in the browser: every page that is no deal's
    (home, all deals, recent changes, hand-written pages), every page of the seed deal, and each
    other deal's overview. The others are of these kinds; the crawl reads them without a browser."""
    def opened(url: str) -> bool:
        path = page_file(url).removeprefix(base)
        deal = next((slug for slug in EXAMPLE_SLUGS if path.startswith(f"deals/{slug}/")), None)
        return deal in (None, EXAMPLE_SLUG) or path == f"deals/{deal}/index.html"
    return opened


@dataclass
class Crawl:
    """What a walk through every page of a room found."""

    base: str
    pages: dict[str, int] = field(default_factory=dict)  # page -> status, as it loaded
    references: dict[str, set[str]] = field(default_factory=dict)  # same-origin URL -> pages using it
    statuses: dict[str, int] = field(default_factory=dict)  # every same-origin URL -> status
    missing_fragments: set[tuple[str, str]] = field(default_factory=set)  # (target, fragment)
    requests: list[str] = field(default_factory=list)  # every request the browser made
    failures: list[str] = field(default_factory=list)  # requests that failed or got 4xx/5xx
    ids: dict[str, set[str]] = field(default_factory=dict)
    nav: dict[str, set[str]] = field(default_factory=dict)  # page -> pages its nav links to
    outside: dict[str, set[str]] = field(default_factory=dict)  # same-origin URL not under base -> pages
    browsed: set[str] = field(default_factory=set)  # the pages opened in the browser

    def reached_through_nav(self, start: str) -> set[str]:
        """The pages a reader reaches from `start` by following nav links only."""
        reached, queue = {page_file(start)}, [page_file(start)]
        while queue:
            for target in sorted(self.nav.get(queue.pop(0), set()) - reached):
                reached.add(target)
                queue.append(target)
        return reached


def record_requests(context: BrowserContext, into: list[str]) -> None:
    """Record the URL of every request any page (or worker) of `context` makes."""
    context.on("request", lambda request: into.append(request.url))


# True once the search shows a result count and the results have not changed for 300 ms:
# results for a partly typed query can be replaced by the final ones just after they show.
_RESULTS_SETTLED_JS = """() => {
  const meta = document.querySelector('.md-search-result__meta');
  if (!meta || !/matching document/i.test(meta.textContent)) return false;
  const shown = meta.textContent + document.querySelector('.md-search-result__list').innerHTML;
  const now = performance.now();
  if (window.__dealroomShown !== shown) {
    window.__dealroomShown = shown;
    window.__dealroomSince = now;
    return false;
  }
  return now - window.__dealroomSince >= 300;
}"""


def run_search(page: Page, query: str) -> list[str]:
    """Type `query` into the search box like a reader; the hrefs of the results shown."""
    page.click(SEARCH_INPUT)
    page.fill(SEARCH_INPUT, query[:-1])
    page.keyboard.type(query[-1])
    page.wait_for_function(_RESULTS_SETTLED_JS, polling=100)
    return page.eval_on_selector_all(SEARCH_RESULT_LINK, "els => els.map(e => e.href)")


def crawl(context: BrowserContext, start: str, base: str = "",
          browse: Callable[[str], bool] = lambda url: True) -> Crawl:
    """Visit every page under `base` (default: `start`) reachable from `start` through any link,
    and check every URL under `base` that an element references.

    The pages `browse` accepts are opened in the browser (every request they make is recorded);
    the others are fetched and their HTML read for the same references, ids and nav links.
    Pages are keyed by `page_file` (`.../` and `.../index.html` are one page) but visited at
    the URL the link gives. It ends by using search on the start page.
    """
    result = Crawl(base=base or start)
    record_requests(context, result.requests)

    def on_failed(request: Request) -> None:
        # ERR_ABORTED: the crawl moved to the next page before this load finished.
        if request.failure != "net::ERR_ABORTED":
            result.failures.append(f"{request.url}: {request.failure}")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            result.failures.append(f"{response.url}: {response.status}")

    context.on("requestfailed", on_failed)
    context.on("response", on_response)
    page = context.new_page()
    queue = [start]
    seen = {page_file(start)}
    while queue:
        link = queue.pop(0)
        url = page_file(link)
        if browse(link):
            result.browsed.add(url)
            response = page.goto(link, wait_until="load")
            result.pages[url] = response.status if response is not None else status_of(link)
            result.ids[url] = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
            found = page.eval_on_selector_all("[href], [src]", _REFERENCES_JS)
            nav_links = page.eval_on_selector_all("nav.md-nav a.md-nav__link[href]", _NAV_LINKS_JS)
        else:
            result.pages[url], read = read_page(link)
            result.ids[url] = read.ids
            found = [urljoin(link, ref) for ref in read.references]
            nav_links = [urljoin(link, ref) for ref in read.nav_links]
        result.nav[url] = {page_file(ref) for ref in nav_links
                           if ref.startswith(result.base) and is_page(urldefrag(ref).url)}
        for ref in found:
            if not ref.startswith(result.base):
                if urlsplit(ref)[:2] == urlsplit(result.base)[:2]:
                    result.outside.setdefault(ref, set()).add(url)
                continue
            target, fragment = urldefrag(ref)
            result.references.setdefault(target, set()).add(url)
            if fragment:
                result.missing_fragments.add((target, fragment))
            if is_page(target) and page_file(target) not in seen:
                seen.add(page_file(target))
                queue.append(target)
    for target in result.references:
        if page_file(target) in result.pages and not target.startswith("file:"):
            result.statuses[target] = result.pages[page_file(target)]
        else:
            result.statuses[target] = status_of(target)
    result.missing_fragments = {(target, fragment) for target, fragment in result.missing_fragments
                                if fragment not in result.ids.get(page_file(target), set())}
    # Search loads its worker and index when used: use it, so those requests count too.
    page.goto(start)
    run_search(page, "warrant")
    page.wait_for_load_state("networkidle")
    page.close()
    return result
