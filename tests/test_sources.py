"""A large room is loaded and rendered by forked processes: the same pages, the same errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import benchmark_script
from dealroom.errors import RecordError
from dealroom.mask import MaskPolicy
from dealroom.render import Renderer
from dealroom.room import load_room, unique_records
from dealroom.sources import FORK_MIN_DEALS, ForkedSource, LocalSource, WorkerError, open_source

POLICY = MaskPolicy()
# The plugin forks only with a second core to run on.
needs_two_cores = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one core: no fork")


def synthetic_room(tmp_path: Path, deals: int) -> Path:
    benchmark_script().make_room(tmp_path / "room", deals)
    return tmp_path / "room" / "content" / "deals"


@pytest.fixture(scope="module")
def large_room(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_room(tmp_path_factory.mktemp("large"), FORK_MIN_DEALS)


def forked(deals: Path) -> ForkedSource:
    # Not `open_source`: it forks only in a process with no other thread, and a test run may
    # have some (the browser driver's).
    records, _ = unique_records(deals)
    return ForkedSource(records, deals, POLICY, Renderer())


@needs_two_cores
def test_a_large_room_is_loaded_by_forked_processes(large_room: Path) -> None:
    # In a fresh process, as `mkdocs build` runs the plugin.
    chosen = subprocess.run(
        [sys.executable, "-c", "import sys; from pathlib import Path; from dealroom.mask import "
         "MaskPolicy; from dealroom.render import Renderer; from dealroom.sources import "
         "open_source; source = open_source(Path(sys.argv[1]), MaskPolicy(), Renderer()); "
         "print(type(source).__name__); source.close()", str(large_room)],
        capture_output=True, text=True, timeout=120, check=True)
    assert chosen.stdout.strip() == "ForkedSource"


def test_a_large_room_is_loaded_in_this_process_while_another_thread_runs(large_room: Path) -> None:
    # A fork copies only the calling thread: a lock another one held would never be released.
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert isinstance(open_source(large_room, POLICY, Renderer()), LocalSource)
    finally:
        stop.set()
        other.join()


def test_a_small_room_is_loaded_in_this_process(tmp_path: Path) -> None:
    source = open_source(synthetic_room(tmp_path, 3), POLICY, Renderer())
    assert isinstance(source, LocalSource)


def test_forked_processes_give_the_entries_and_pages_this_process_gives(large_room: Path) -> None:
    local = LocalSource(load_room(large_room, POLICY), POLICY, Renderer())
    source = forked(large_room)
    try:
        assert source.entries == local.entries
        for item in local.entries:
            assert source.pages(item.slug) == local.pages(item.slug)
    finally:
        source.close()


def test_pages_asked_for_out_of_order_are_kept_until_asked_for(large_room: Path) -> None:
    source = forked(large_room)
    try:
        first, last = source.entries[0].slug, source.entries[-1].slug
        assert f"deals/{last}/terms.md" in source.pages(last)
        assert f"deals/{first}/terms.md" in source.pages(first)
    finally:
        source.close()


def test_problems_found_by_forked_processes_are_reported_as_this_process_reports_them(
        tmp_path: Path) -> None:
    deals = synthetic_room(tmp_path, FORK_MIN_DEALS)
    records = sorted(deals.glob("*/deal.yml"))
    for record in records[:2]:  # one in each process's share
        record.write_text(record.read_text(encoding="utf-8").replace("status:", "state:", 1),
                          encoding="utf-8")
    with pytest.raises(RecordError) as in_process:
        load_room(deals, POLICY)
    with pytest.raises(RecordError) as in_processes:
        forked(deals)
    assert len(in_processes.value.problems) >= 2
    assert str(in_processes.value) == str(in_process.value)


def test_a_process_that_dies_is_an_error_not_a_hang(large_room: Path) -> None:
    source = forked(large_room)
    try:
        for process in source._processes:
            os.kill(process.pid, signal.SIGKILL)
            process.join()
        with pytest.raises(WorkerError, match="stopped unexpectedly"):
            for item in source.entries:
                source.pages(item.slug)
    finally:
        source.close()


def test_a_large_room_served_keeps_the_last_good_room_when_a_record_breaks(tmp_path: Path) -> None:
    # `mkdocs serve` builds once before it starts its threads: that build must not fork either,
    # or the room kept for a broken record would be processes that have already exited.
    deals = synthetic_room(tmp_path, FORK_MIN_DEALS)
    config_file, site = str(deals.parent.parent / "mkdocs.yml"), str(tmp_path / "site")
    config = load_config(config_file, site_dir=site)
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url="http://127.0.0.1:8000/")
    record = sorted(deals.glob("*/deal.yml"))[0]
    record.write_text(record.read_text(encoding="utf-8").replace("status:", "state:", 1),
                      encoding="utf-8")
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)  # by the rebuild, the server's threads run
    server.start()
    try:
        config = load_config(config_file, site_dir=site)
        build(config, serve_url="http://127.0.0.1:8000/")
    finally:
        stop.set()
        server.join()
        config.plugins.on_shutdown()
    assert (Path(site) / "deals" / record.parent.name / "index.html").is_file()


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


@needs_two_cores
def test_the_forked_processes_end_when_the_build_is_killed(tmp_path: Path) -> None:
    deals = synthetic_room(tmp_path, 4 * FORK_MIN_DEALS)
    build_process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q"],
                                     cwd=deals.parent.parent, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(workers := _children(build_process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    build_process.kill()
    build_process.wait()
    assert len(workers) >= 2
    deadline = time.monotonic() + 20
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    # Orphans are re-parented, not reaped by us: a zombie has ended all the same.
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()
             and "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()]
    assert alive == []


REORDERING_HOOK = '''
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files


@event_priority(-50)  # after the deal room's pages are added
def on_files(files, config):
    # Every deal's Terms page first: MkDocs then reads each deal's pages far apart.
    terms = [f for f in files if f.src_uri.endswith("/terms.md")]
    return Files([*terms, *(f for f in files if f not in terms)])
'''


def test_pages_read_in_another_order_than_deal_by_deal_build_the_same(tmp_path: Path) -> None:
    deals = synthetic_room(tmp_path, FORK_MIN_DEALS)
    project = deals.parent.parent
    (project / "reorder.py").write_text(REORDERING_HOOK, encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("hooks:\n  - reorder.py\n")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    for record in deals.glob("*/deal.yml"):
        for page in ("terms", "timeline", "print"):
            assert (project / "site" / "deals" / record.parent.name / page / "index.html").is_file()


A_THREAD_HOOK = '''
import threading

# A thread running when the build starts: the plugin then renders in its own process.
threading.Thread(target=threading.Event().wait, daemon=True).start()
'''


def test_a_room_built_by_forked_processes_is_the_room_built_in_one(tmp_path: Path) -> None:
    deals = synthetic_room(tmp_path, FORK_MIN_DEALS)
    project = deals.parent.parent
    (project / "a_thread.py").write_text(A_THREAD_HOOK, encoding="utf-8")
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1022112000"}
    sites = {}
    for name, extra in (("forked", ""), ("one-process", "hooks:\n  - a_thread.py\n")):
        config = project / f"{name}.yml"
        config.write_text((project / "mkdocs.yml").read_text(encoding="utf-8") + extra,
                          encoding="utf-8")
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config),
                        "-d", str(tmp_path / name)], cwd=project, env=environment,
                       capture_output=True, text=True, timeout=300, check=True)
        sites[name] = {p.relative_to(tmp_path / name): p.read_bytes()
                       for p in (tmp_path / name).rglob("*") if p.is_file()}
    assert len(sites["forked"]) > 7 * FORK_MIN_DEALS
    assert sites["forked"] == sites["one-process"]
