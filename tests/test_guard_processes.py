"""The leak guard reads a large site in two processes (`concurrency`): what it finds, deletes
and keeps is what one process would; a process that stops or fails leaves nothing unread; a
process of the pool outlives neither Ctrl-C's handling nor the build's process; and a build
is never run again by a process of the pool."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import BUILD_EPOCH, EXAMPLE_SLUGS, ROOT, Room, benchmark_script
from dealroom.numbers import Secret
from dealroom.scan import read_share
from dealroom.sharing import SHARED_FROM, Pool

GENERATED_DEALS = 16  # with the eight example deals: a room the guard shares (`SHARED_FROM`)
LEAK = "066-198038"  # the example deal's raw account number
# Another plugin's output: every deal's terms page shows the raw number.
LEAKING_HOOK = f"""
def on_post_page(output, page, config):
    if page.file.src_uri.startswith("deals/") and page.file.src_uri.endswith("/terms.md"):
        return output.replace("</article>", "<p>Wire to {LEAK}</p></article>")
    return output
"""
# The process given deals to read dies as it starts reading them (a module beside mkdocs.yml is
# one the process can import: it has the build's `sys.path`).
DYING_READER = """
import os

def read_share(*args):
    os._exit(1)
"""
FAILING_READER = """
def read_share(*args):
    raise MemoryError
"""
DYING_HOOK = """
import dealroom.scan
import dying_reader

def on_pre_build(config):
    dealroom.scan.read_share = dying_reader.read_share
"""


def large_room(make_room: Callable[..., Room], concurrency: int, *hooks: str) -> Room:
    room = make_room()
    for slug in EXAMPLE_SLUGS:
        if not (room.deals / slug).exists():
            shutil.copytree(ROOT / "content" / "deals" / slug, room.deals / slug)
    generated = room.path.parent / "generated"
    benchmark_script().make_room(generated, GENERATED_DEALS)
    for folder in (generated / "content" / "deals").iterdir():
        if folder.is_dir():
            shutil.copytree(folder, room.deals / folder.name)
    config = room.path / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "  - dealroom:\n", f"  - dealroom:\n      concurrency: {concurrency}\n", 1)
    names = []
    for index, hook in enumerate(hooks):
        (room.path / f"hook{index}.py").write_text(hook, encoding="utf-8")
        names.append(f"hook{index}.py")
    config.write_text(text + (f"\nhooks: {names}\n" if names else ""), encoding="utf-8")
    return room


def terms_pages(room: Room) -> set[str]:
    return {f"deals/{folder.name}/terms/index.html" for folder in room.deals.iterdir() if folder.is_dir()}


def reported(output: str) -> set[str]:
    return {line.split("site/", 1)[1].split(":", 1)[0] for line in output.splitlines()
            if "raw account number from deal" in line}


def test_a_leak_in_any_deal_is_found_and_deleted_when_two_processes_read_the_site(
        make_room: Callable[..., Room]) -> None:
    room = large_room(make_room, 1, LEAKING_HOOK)
    result = room.build("--verbose")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # Both processes read pages: the shared half of the deals, and the rest here.
    [shared] = [line for line in result.stderr.splitlines() if "other process" in line]
    assert "in 1 other process(es), 0 of theirs here" in shared, shared
    assert int(shared.split("guard read ")[1].split()[0]) > 100, shared
    assert reported(result.stderr) == terms_pages(room)
    assert not any((room.site / page).exists() for page in terms_pages(room))
    assert (room.site / "deals" / EXAMPLE_SLUGS[0] / "parties" / "index.html").is_file()
    assert LEAK not in result.stderr


@pytest.mark.parametrize("reader", [DYING_READER, FAILING_READER], ids=["dies", "raises"])
def test_the_files_of_a_process_that_stopped_or_failed_are_read_here(
        make_room: Callable[..., Room], reader: str) -> None:
    room = large_room(make_room, 1, LEAKING_HOOK, DYING_HOOK)
    (room.path / "dying_reader.py").write_text(reader, encoding="utf-8")
    result = room.build("--verbose")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [shared] = [line for line in result.stderr.splitlines() if "other process" in line]
    assert "read 0 files in 0 other process(es)" in shared
    assert int(shared.split("process(es), ")[1].split()[0]) > 100, shared  # read here instead
    assert reported(result.stderr) == terms_pages(room)
    assert not any((room.site / page).exists() for page in terms_pages(room))


def verdict_records(room: Room) -> set[bytes]:
    kept = (room.path / ".cache" / "plugin" / "dealroom" / "guard" / "verdicts.bin").read_bytes()
    return {kept[at:at + 33] for at in range(0, len(kept), 33)}  # digest, flags, tag


def test_the_verdicts_kept_for_the_next_build_are_those_one_process_gives(
        make_room: Callable[..., Room]) -> None:
    room = large_room(make_room, 0)
    alone = room.build("--verbose")
    assert alone.returncode == 0, alone.stderr
    assert "other process" not in alone.stderr
    records = verdict_records(room)
    config = room.path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("concurrency: 0", "concurrency: 1"),
                      encoding="utf-8")
    shutil.rmtree(room.path / ".cache")
    shared = room.build("--verbose")
    assert shared.returncode == 0, shared.stderr
    assert "in 1 other process(es), 0 of theirs here" in shared.stderr
    assert len(records) > 500 and verdict_records(room) == records


def script_build(room: Room, script_text: str) -> subprocess.CompletedProcess[str]:
    script = room.path / "build_room.py"
    script.write_text(script_text, encoding="utf-8")
    return subprocess.run([sys.executable, str(script)], cwd=room.path, capture_output=True,
                          text=True, timeout=300, check=False,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": BUILD_EPOCH})


BUILD = """
config = load_config(config_file="mkdocs.yml")
config.plugins.on_startup(command="build", dirty=False)
build(config)
config.plugins.on_shutdown()
"""
IMPORTS = """import logging
import sys

from mkdocs.commands.build import build
from mkdocs.config import load_config
"""


def test_a_script_without_a_main_guard_builds_the_room_once(make_room: Callable[..., Room]) -> None:
    # A spawned process imports the script that started the build again: this one would build
    # again in each process of a pool, so the guard reads the site in one process.
    room = large_room(make_room, 1)
    result = script_build(room, IMPORTS + "logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)\n"
                          "print('building', flush=True)\n" + BUILD)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("building") == 1
    assert "reads the site in one process" in result.stderr and "other process" not in result.stderr
    assert (room.site / "deals" / EXAMPLE_SLUGS[0] / "terms" / "index.html").is_file()


def test_a_script_that_only_imports_at_its_top_level_shares_the_reading(
        make_room: Callable[..., Room]) -> None:
    room = large_room(make_room, 1)
    body = "\n".join("    " + line for line in BUILD.strip().splitlines())
    result = script_build(room, '"""Builds the room."""\n' + IMPORTS + "\n\nif __name__ == '__main__':\n"
                          "    logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)\n"
                          "    print('building', flush=True)\n" + body + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("building") == 1
    assert "in 1 other process(es), 0 of theirs here" in result.stderr


def test_a_process_of_the_pool_ignores_ctrl_c(tmp_path: Path) -> None:
    # Ctrl-C reaches every process of the terminal's group: the build's process stops the pool.
    names = [f"deals/deal-{index}/index.html" for index in range(SHARED_FROM)]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True)
        (tmp_path / name).write_text(f"<p>Wire to {LEAK}</p>", encoding="utf-8")
    pool = Pool(1)
    try:
        for interrupted in (False, True):  # the process started and working, then interrupted
            if interrupted:
                for pid in worker_pids():
                    os.kill(pid, signal.SIGINT)
                time.sleep(0.5)
            [share] = pool.share(names, dict.fromkeys(names, 1), read_share, tmp_path,
                                 [Secret(LEAK, "acme", "account_number")], frozenset(), None, False)
            read, _ = share.result(lambda names: pytest.fail("the process stopped"))
            assert share.there and len(read) == len(share.names) > 0
            assert all(reading.secrets for _, reading in read.values())
    finally:
        pool.close()


def worker_pids() -> list[int]:
    """The process ids of this process's pool processes, once started."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        children = [child.pid for child in multiprocessing.active_children() if child.pid is not None]
        if children:
            return children
        time.sleep(0.05)
    raise AssertionError("the pool started no process")


def test_the_pool_s_processes_exit_when_the_build_s_process_is_killed(tmp_path: Path) -> None:
    started = subprocess.Popen(
        [sys.executable, "-c", "import multiprocessing, sys, time\n"
         "from dealroom.sharing import Pool\n"
         "pool = Pool(1)\npool.warm('dealroom.scan')\ntime.sleep(1)\n"
         "print(*[c.pid for c in multiprocessing.active_children()], flush=True)\ntime.sleep(600)\n"],
        stdout=subprocess.PIPE, text=True)
    assert started.stdout is not None
    children = [int(pid) for pid in started.stdout.readline().split()]
    assert children
    started.kill()  # no `on_shutdown`: what `kill -9` or a crash leaves
    started.wait()
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in children)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(") ")[1].startswith("Z"))
