"""`mkdocs serve --livereload` (the README's command) rebuilds and reloads when a record changes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from conftest import EXAMPLE_SLUG, Room


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = fetch(url)
        if text in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{text!r} never appeared at {url}")


@contextmanager
def serving(room: Room) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=room.path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_editing_a_record_while_serving_rebuilds_the_page(make_room: Callable[..., Room]) -> None:
    room = make_room()
    with serving(room) as base:
        url = f"{base}/deals/{EXAMPLE_SLUG}/"
        page = wait_for(url, "Omicron Partners, L.P. buys 800,000 shares")
        assert "livereload" in page  # the script that reloads the open browser tab
        room.edit("Omicron Partners, L.P. buys", "Omicron Partners, L.P. acquires")
        wait_for(url, "Omicron Partners, L.P. acquires 800,000 shares")
