"""scripts/screenshots.py makes the README's pictures from the real room, small enough to commit."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from conftest import ROOT

from .conftest import CHROMIUM

SCRIPT = ROOT / "scripts" / "screenshots.py"
NAMES = ("home", "overview", "instructions", "timeline", "print", "phone-instructions", "dark-overview")
MAX_BYTES = 200 * 1024


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def fresh_screenshots(tmp_path_factory: pytest.TempPathFactory, browser: Browser,
                      example_site: Path) -> Path:
    # `browser` first: without Chromium the test fails with the fixture's clear message.
    # The script shoots the example room the suite built already (it builds it when run alone).
    out = tmp_path_factory.mktemp("screenshots")
    result = subprocess.run([sys.executable, str(SCRIPT), "--chromium", str(CHROMIUM), "--out",
                             str(out), "--site", str(example_site)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("name", NAMES)
def test_script_writes_each_screenshot_as_a_small_png(fresh_screenshots: Path, name: str) -> None:
    path = fresh_screenshots / f"{name}.png"
    assert png_size(path)[0] in (375, 900, 1280)
    assert path.stat().st_size <= MAX_BYTES


@pytest.mark.parametrize("name", NAMES)
def test_committed_screenshot_is_a_small_png_of_the_same_size(
        fresh_screenshots: Path, name: str) -> None:
    committed = ROOT / "docs-images" / f"{name}.png"
    assert committed.stat().st_size <= MAX_BYTES
    assert png_size(committed) == png_size(fresh_screenshots / f"{name}.png")
