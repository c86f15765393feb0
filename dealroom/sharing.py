"""Other processes that read part of a built site while this one reads the rest.

The leak guard reads every file of the site once MkDocs has written it: at a thousand deals,
ten seconds on one core while the others wait. A `Pool` (the standard library's process pool,
made when `mkdocs build` or `serve` starts) gives whole deals' folders to other processes, each
reading them with a guard of its own; a folder's pages share most of their parts, so each
process reads its deals' parts once. What a process that stopped could not read is read here.

Processes are spawned, on every platform: a spawned process starts from nothing, so whatever
threads or locks this one holds (a server's), it holds none of them. It does import the script
that started this process again (`multiprocessing`'s "safe importing of the main module"): a
build started by a script of one's own is read here only (`unsafe_main`), since such a script
may build the room again wherever it is imported.
"""

from __future__ import annotations

import importlib
import multiprocessing
import sys
import sysconfig
import time
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

_R = TypeVar("_R")
_FOLDER = "deals/"  # a deal's files, shared by folder
# Deals to read before they are shared: below, starting the processes' guards costs more than
# it saves.
SHARED_FROM = 20
_WHOLE = 5  # how much longer a byte of a file outside them takes to read (measured, roughly)


@dataclass
class Share(Generic[_R]):
    """The names a process was given, and what it will make of them."""

    names: list[str]
    future: Future[_R]
    there: bool | None = None  # made by the process (or here), once asked for
    waited = 0.0  # seconds this process waited for it

    def result(self, here: Callable[[list[str]], _R]) -> _R:
        """What the process made of the names; made by `here` if the process stopped."""
        start = time.perf_counter()
        try:
            made = self.future.result()
        except BrokenProcessPool:
            self.there = False
            return here(self.names)
        self.there = True
        self.waited = time.perf_counter() - start
        return made


def unsafe_main() -> str | None:
    """The script a spawned process would run again as it starts, unless it is an installed
    command (`mkdocs`, `properdocs`: written with the guard `multiprocessing` asks for), or
    there is none (`python -m mkdocs`, `python -c`)."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None:
        # A package's `__main__` is not imported again; another module run with `-m` is.
        return None if spec.name == "__main__" or spec.name.endswith(".__main__") else spec.name
    path = getattr(main, "__file__", None)
    if path is None:
        return None
    try:
        installed = Path(path).resolve().parent == Path(sysconfig.get_path("scripts")).resolve()
    except (OSError, RuntimeError, KeyError):
        installed = False
    return None if installed else path


class Pool:
    """`workers` processes, started when first given work (`warm`) and kept until `close`."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.shares: list[Share[Any]] = []  # the last work given
        self._executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))

    def warm(self, module: str) -> None:
        """Start the processes now, importing `module`, so that they are ready when needed."""
        for _ in range(self.workers):
            self._submit(_import, module)

    def share(self, names: Collection[str], sizes: Mapping[str, int],
              work: Callable[..., _R], *args: Any) -> list[Share[_R]]:
        """Calls `work(names, *args)` in each process with a share of the deals' folders among
        `names`, of about as many bytes (`sizes`) as the share of them left to this process;
        none if they are fewer than `SHARED_FROM` deals. `work` and `args` are sent to the
        processes: a module's function, and plain values."""
        folders: dict[str, list[str]] = {}
        for name in names:
            if name.startswith(_FOLDER) and "/" in name[len(_FOLDER):]:
                folders.setdefault(name[:name.index("/", len(_FOLDER)) + 1], []).append(name)
        if len(folders) < SHARED_FROM:
            self.shares = []
            return []
        # A file outside deals' folders (the search index, the theme's scripts) is read whole,
        # not in parts other pages share: several times as long per byte.
        each = (sum(sizes[name] for name in names) +
                (_WHOLE - 1) * sum(sizes[name] for name in names if not name.startswith(_FOLDER))) / \
            (self.workers + 1)
        shares: list[list[str]] = [[]]
        held = 0
        for folder in sorted(folders, reverse=True):
            if held >= each:
                if len(shares) == self.workers:
                    break
                shares.append([])
                held = 0
            shares[-1] += folders[folder]
            held += sum(sizes[name] for name in folders[folder])
        submitted = []
        for share in shares:
            future = self._submit(work, share, *args) if share else None
            if future is not None:
                submitted.append(Share(share, future))
        self.shares = list(submitted)
        return submitted

    def _submit(self, work: Callable[..., _R], *args: Any) -> Future[_R] | None:
        try:
            return self._executor.submit(work, *args)
        except (BrokenProcessPool, RuntimeError):  # stopped, or closed: this process reads it all
            return None

    def close(self) -> None:
        """Stop the processes, once they have done what they were given (and are reaped)."""
        self._executor.shutdown(wait=True, cancel_futures=True)


def _import(module: str) -> None:
    importlib.import_module(module)
