"""Where the plugin gets a room's entries and pages: made here, or by two processes alongside.

MkDocs turns a deal's seven pages into HTML in about 45 ms, on one core. Loading, masking and
rendering the deal takes about 4 ms more, and in a room of a thousand deals that was a sixth
of the build. From `FORK_MIN_DEALS` deals on, two forked processes load half the records
each (on both cores, while MkDocs waits for the verdict on the records), then render each
deal's pages while MkDocs builds the previous ones; the plugin only receives them.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

from dealroom.errors import RecordError
from dealroom.mask import MaskPolicy, public_view
from dealroom.render import Renderer
from dealroom.room import Entry, Room, entry, load_deals, load_room, unique_records

FORK_MIN_DEALS = 50
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)  # Linux
WORKERS = 2


class WorkerError(RuntimeError):
    """A process loading or rendering the room failed: a bug, not a problem of the records."""


class DealSource(Protocol):
    """A valid room: its entries at once, each deal's Markdown pages when asked for."""

    entries: list[Entry]

    def pages(self, slug: str) -> dict[str, str]:
        """The deal's pages, keyed by path relative to the docs root."""
        ...

    def close(self) -> None: ...


class LocalSource:
    """Loads in this process; renders a deal's pages when they are first asked for."""

    def __init__(self, room: Room, policy: MaskPolicy, renderer: Renderer) -> None:
        self.room, self.policy, self.renderer = room, policy, renderer
        self.entries = room.entries(policy)
        self._facts = {facts.slug: facts for facts in room.deals}

    def pages(self, slug: str) -> dict[str, str]:
        return self.renderer.deal_pages(public_view(self._facts[slug], self.policy))

    def close(self) -> None:
        pass


class ForkedSource:
    """Loads and renders in `WORKERS` forked processes; raises `RecordError` like `load_room`.

    Each process loads every `WORKERS`-th record and sends their entries (or the problems of
    its records), then renders its deals in that order, one message per deal; a send waits
    while the pipe is full, so about a dozen deals are rendered ahead of MkDocs, not all.
    """

    def __init__(self, records: list[tuple[str, Path]], root: Path, policy: MaskPolicy,
                 renderer: Renderer) -> None:
        context = multiprocessing.get_context("fork")
        self._connections: list[Connection] = []
        self._processes: list[Any] = []
        self._owner: dict[str, Connection] = {}
        self._waiting: dict[str, dict[str, str]] = {}
        self.entries = []
        try:
            self._start(context, records, root, policy, renderer)
            self._receive_entries()
        except BaseException:
            self.close()
            raise

    def _start(self, context: Any, records: list[tuple[str, Path]], root: Path, policy: MaskPolicy,
               renderer: Renderer) -> None:
        for index in range(WORKERS):
            receiving, sending = context.Pipe(duplex=False)
            _widen(sending)
            process = context.Process(target=_work, daemon=True, name=f"dealroom-{index}",
                                      args=(sending, [receiving, *self._connections],
                                            records[index::WORKERS], root, policy, renderer))
            self._connections.append(receiving)
            process.start()
            sending.close()  # the child's end: the pipe then reports the child's exit as EOF
            self._processes.append(process)

    def _receive_entries(self) -> None:
        problems = []
        shares = [self._receive(connection) for connection in self._connections]
        for connection, (kind, value) in zip(self._connections, shares, strict=True):
            if kind == "problems":
                problems.extend(value)
            else:
                self._owner.update((item.slug, connection) for item in value)
        if problems:
            raise RecordError(problems)
        # Entries in the records' order: round robin over the shares.
        by_slug = {item.slug: item for _, value in shares for item in value}
        self.entries = [by_slug[slug] for slug in _round_robin([[e.slug for e in value]
                                                                for _, value in shares])]

    def _receive(self, connection: Connection) -> tuple[str, Any]:
        try:
            kind, value = connection.recv()
        except (EOFError, OSError):
            process = self._processes[self._connections.index(connection)]
            process.join(timeout=5)
            raise WorkerError(f"a process rendering the room stopped unexpectedly (exit code "
                              f"{process.exitcode}; -9 is often the system out of memory); run "
                              "the build again, and report it if it persists") from None
        if kind == "failed":
            raise WorkerError(f"rendering the room failed:\n{value}")
        return kind, value

    def pages(self, slug: str) -> dict[str, str]:
        connection = self._owner[slug]
        while slug not in self._waiting:
            _, (sent, pages) = self._receive(connection)
            self._waiting[sent] = pages
        return self._waiting.pop(slug)

    def close(self) -> None:
        for connection in self._connections:
            connection.close()
        for process in self._processes:
            if process.is_alive():
                process.terminate()
            process.join(timeout=5)
        self._connections, self._processes = [], []


def _widen(connection: Connection) -> None:
    """A pipe of 1 MiB rather than 64 KiB: a process renders a dozen deals ahead, not one, and
    MkDocs rarely waits when the scanner has the other core for a while."""
    with contextlib.suppress(OSError):  # above the system's limit: the default works, slower
        fcntl.fcntl(connection.fileno(), _F_SETPIPE_SZ, 1 << 20)


def _round_robin(shares: list[list[str]]) -> Iterator[str]:
    for index in range(max(map(len, shares), default=0)):
        yield from (share[index] for share in shares if index < len(share))


def _work(connection: Connection, inherited: list[Connection], records: list[tuple[str, Path]],
          root: Path, policy: MaskPolicy, renderer: Renderer) -> None:
    # A short-lived process freeing by reference counting: the cycle collector only costs.
    gc.disable()
    # The parent's ends, inherited by the fork: while this process holds them, a send never
    # fails when the parent is gone, and a killed build would leave it blocked forever.
    for end in inherited:
        end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops; sends then fail
    try:
        deals, problems = load_deals(records, root, policy)
        if problems:
            connection.send(("problems", problems))
            return
        paths = dict(records)
        connection.send(("entries", [entry(facts, paths[facts.slug], policy) for facts in deals]))
        for facts in deals:
            connection.send(("pages", (facts.slug, renderer.deal_pages(public_view(facts, policy)))))
    except BrokenPipeError:
        pass  # the build stopped and closed its end
    except Exception:
        connection.send(("failed", traceback.format_exc()))
    finally:
        connection.close()


def open_source(deals_dir: Path, policy: MaskPolicy, renderer: Renderer, *,
                fork: bool = True) -> DealSource:
    """The room's deals; raises `RecordError` with the problems of every record."""
    records, problems = unique_records(deals_dir)
    if problems or not fork or not _can_fork(len(records)):
        return LocalSource(load_room(deals_dir, policy, (records, problems)), policy, renderer)
    return ForkedSource(records, deals_dir, policy, renderer)


def _can_fork(deals: int) -> bool:
    # Forking copies only the forking thread: with others running, a lock one of them held
    # would stay locked in the child forever.
    return (deals >= FORK_MIN_DEALS and sys.platform == "linux" and threading.active_count() == 1
            and len(os.sched_getaffinity(0)) > 1)
