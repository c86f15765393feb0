"""A large room is loaded and rendered by forked processes: the same pages, the same errors."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from conftest import benchmark_script
from dealroom.errors import RecordError
from dealroom.mask import MaskPolicy
from dealroom.render import Renderer
from dealroom.room import load_room
from dealroom.sources import FORK_MIN_DEALS, ForkedSource, LocalSource, WorkerError, open_source

POLICY = MaskPolicy()


def synthetic_room(tmp_path: Path, deals: int) -> Path:
    benchmark_script().make_room(tmp_path / "room", deals)
    return tmp_path / "room" / "content" / "deals"


@pytest.fixture(scope="module")
def large_room(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_room(tmp_path_factory.mktemp("large"), FORK_MIN_DEALS)


def test_a_large_room_is_loaded_by_forked_processes(large_room: Path) -> None:
    source = open_source(large_room, POLICY, Renderer())
    try:
        assert isinstance(source, ForkedSource)
    finally:
        source.close()


def test_a_small_room_is_loaded_in_this_process(tmp_path: Path) -> None:
    source = open_source(synthetic_room(tmp_path, 3), POLICY, Renderer())
    assert isinstance(source, LocalSource)


def test_forked_processes_give_the_entries_and_pages_this_process_gives(large_room: Path) -> None:
    local = LocalSource(load_room(large_room, POLICY), POLICY, Renderer())
    forked = open_source(large_room, POLICY, Renderer())
    try:
        assert forked.entries == local.entries
        for item in local.entries:
            assert forked.pages(item.slug) == local.pages(item.slug)
    finally:
        forked.close()


def test_pages_asked_for_out_of_order_are_kept_until_asked_for(large_room: Path) -> None:
    forked = open_source(large_room, POLICY, Renderer())
    try:
        first, last = forked.entries[0].slug, forked.entries[-1].slug
        assert f"deals/{last}/terms.md" in forked.pages(last)
        assert f"deals/{first}/terms.md" in forked.pages(first)
    finally:
        forked.close()


def test_problems_found_by_forked_processes_are_reported_as_this_process_reports_them(
        tmp_path: Path) -> None:
    deals = synthetic_room(tmp_path, FORK_MIN_DEALS)
    records = sorted(deals.glob("*/deal.yml"))
    for record in records[:2]:  # one in each process's share
        record.write_text(record.read_text(encoding="utf-8").replace("status:", "state:", 1),
                          encoding="utf-8")
    with pytest.raises(RecordError) as in_process:
        load_room(deals, POLICY)
    with pytest.raises(RecordError) as forked:
        ForkedSource([(r.parent.name, r) for r in records], deals, POLICY, Renderer())
    assert len(forked.value.problems) >= 2
    assert str(forked.value) == str(in_process.value)


def test_a_process_that_dies_is_an_error_not_a_hang(large_room: Path) -> None:
    forked = open_source(large_room, POLICY, Renderer())
    assert isinstance(forked, ForkedSource)
    try:
        for process in forked._processes:
            os.kill(process.pid, signal.SIGKILL)
            process.join()
        with pytest.raises(WorkerError, match="stopped unexpectedly"):
            for item in forked.entries:
                forked.pages(item.slug)
    finally:
        forked.close()
