"""Screenshots for the README, taken from the real example room in Debian's Chromium.

Usage: python scripts/screenshots.py [--chromium /usr/bin/chromium] [--out docs-images] [--site DIR]
Builds the example room (mkdocs.yml) into a temporary folder (or takes the room already built
in `--site`), serves it on 127.0.0.1 and writes PNGs (at most 200 KB each) to docs-images/:
home, overview, instructions, timeline, print preview, a phone view and the overview in the
dark scheme.
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs-images"
DEAL = "deals/neotherapeutics-omicron-2002/"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
MAX_BYTES = 200 * 1024


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    width: int
    height: int
    media: Literal["screen", "print"] = "screen"
    dark: bool = False  # switched with the header's toggle, as a reader would


SHOTS = (
    Shot("home", "", 1280, 720),
    Shot("overview", DEAL, 1280, 900),
    Shot("instructions", f"{DEAL}instructions/", 1280, 1000),
    Shot("timeline", f"{DEAL}timeline/", 1280, 1000),
    Shot("print", f"{DEAL}print/", 900, 1100, media="print"),
    Shot("phone-instructions", f"{DEAL}instructions/", 375, 812),
    Shot("dark-overview", DEAL, 1280, 900, dark=True),
)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def build(site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                    "--site-dir", str(site)], cwd=ROOT, env=env, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium executable")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the PNGs")
    parser.add_argument("--site", type=Path, help="the example room already built there: not built again")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site.resolve() if args.site else Path(tmp) / "site"
        if not args.site:
            build(site)
        server = ThreadingHTTPServer(("127.0.0.1", 0),
                                     functools.partial(_QuietHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=args.chromium,
                                                     args=CHROMIUM_ARGS)
                for shot in SHOTS:
                    page = browser.new_page(viewport={"width": shot.width, "height": shot.height},
                                            device_scale_factor=1)
                    page.emulate_media(media=shot.media)
                    page.goto(base + shot.path, wait_until="networkidle")
                    if shot.dark:
                        page.locator('label[title="Switch to dark scheme"]').click()
                        page.wait_for_selector('body[data-md-color-scheme="slate"]')
                        page.mouse.move(0, 0)  # no hover look on the toggle
                        page.wait_for_function(
                            "() => document.getAnimations().every(a => a.playState !== 'running')")
                    target = out / f"{shot.name}.png"
                    page.screenshot(path=target)
                    page.close()
                    size = target.stat().st_size
                    print(f"{target}  {size // 1024} KB")
                    if size > MAX_BYTES:
                        print(f"  larger than {MAX_BYTES // 1024} KB", file=sys.stderr)
                        return 1
                browser.close()
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
