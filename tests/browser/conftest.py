"""Session fixtures: the example room built once per way of hosting it, one shared Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from conftest import ROOT, building_in_the_repository, mkdocs

from .support import CHROMIUM_ARGS, Crawl, crawl, each_kind_of_page, serve

CHROMIUM = Path(os.environ.get("DEALROOM_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SUB_PATH_URL = "https://intranet.example/deals/"
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium; "
                    "scripts/test installs it). Set DEALROOM_CHROMIUM to use another path. "
                    "Never `playwright install`.", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def room_url(example_site: Path) -> Iterator[str]:
    """The example room served at the root of a local web server."""
    with serve(example_site) as url:
        yield url


@pytest.fixture(scope="session")
def room_crawl(browser: Browser, room_url: str) -> Crawl:
    """Every page, link and asset of the served room, each kind of page opened in the browser."""
    context = browser.new_context()
    try:
        return crawl(context, room_url, browse=each_kind_of_page(room_url))
    finally:
        context.close()


@pytest.fixture(scope="session")
def sub_path_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example room built for internal hosting at https://intranet.example/deals/."""
    room = tmp_path_factory.mktemp("sub-path")
    for name in ("content", "site_overrides"):
        shutil.copytree(ROOT / name, room / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (room / "mkdocs.yml").write_text(f"site_url: {SUB_PATH_URL}\n{config}", encoding="utf-8")
    result = mkdocs("build", "--strict", cwd=room)
    assert result.returncode == 0, result.stderr
    return room / "site"


@pytest.fixture(scope="session")
def sub_path_url(sub_path_site: Path) -> Iterator[str]:
    """The sub-path build served under /deals/ only, as an intranet host would."""
    with serve(sub_path_site, prefix="/deals/") as url:
        yield url


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The room built for opening from disk: the repository's mkdocs.offline.yml."""
    site = tmp_path_factory.mktemp("offline") / "site-offline"
    with building_in_the_repository(tmp_path_factory):
        result = mkdocs("build", "--strict", "-f", "mkdocs.offline.yml", "--site-dir", str(site),
                        cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm install` at the repository root "
                    "(scripts/test does it).", pytrace=False)
    return AXE.read_text(encoding="utf-8")
