"""Other processes that read part of a built site while this one reads the rest.

The leak guard reads every file of the site once MkDocs has written it: at a thousand deals,
ten seconds on one core while the others wait. A `Pool` (the standard library's process pool,
made when `mkdocs build` or `serve` starts) gives whole deals' folders to other processes, each
reading them with a guard of its own; a folder's pages share most of their parts, so each
process reads its deals' parts once. What a process that stopped could not read is read here.

Processes are spawned, on every platform: a spawned process starts from nothing, so whatever
threads or locks this one holds (a server's), it holds none of them. It does import the script
that started this process again (`multiprocessing`'s "safe importing of the main module"), so
a build started by a script that does more than import at its top level is read here only
(`unsafe_main`): it may build the room again wherever it is imported. A process ignores Ctrl-C
(the build's process handles it, and stops the pool) and exits when the build's process is
gone, however it ended.
"""

from __future__ import annotations

import ast
import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
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
    waited: float = 0.0  # seconds this process waited for it

    def result(self, here: Callable[[list[str]], _R], raised: tuple[type[Exception], ...] = ()) -> _R:
        """What the process made of the names; made by `here` if the process stopped or failed
        otherwise than by raising one of `raised` (which is raised here)."""
        start = time.perf_counter()
        try:
            made = self.future.result()
        except raised:
            raise
        except Exception:  # a process that died or failed: this one reads them
            self.there = False
            return here(self.names)
        self.there = True
        self.waited = time.perf_counter() - start
        return made


def unsafe_main() -> str | None:
    """The script that started this process, if a spawned process would run more of it than
    imports as it starts: a script whose top level is only imports and work under
    `if __name__ == "__main__":` (as the `mkdocs` and `properdocs` commands are written) is
    safe, and so is none (`python -m mkdocs`, `python -c`)."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None:
        # A package's `__main__` is not imported again; another module run with `-m` is.
        return None if spec.name == "__main__" or spec.name.endswith(".__main__") else spec.name
    path = getattr(main, "__file__", None)
    if not isinstance(path, str):
        return None
    try:
        with open(path, "rb") as script:
            body = ast.parse(script.read(_MOST_SCRIPT_BYTES + 1)).body
    except (OSError, SyntaxError, ValueError):
        return path
    return None if all(_only_imports(statement) for statement in body) else path


_MOST_SCRIPT_BYTES = 65_536


def _only_imports(statement: ast.stmt) -> bool:
    """An import, a docstring, or `if __name__ == "__main__":`."""
    if isinstance(statement, ast.Import | ast.ImportFrom):
        return True
    if isinstance(statement, ast.Expr):
        return isinstance(statement.value, ast.Constant)
    if isinstance(statement, ast.If) and not statement.orelse:
        test = statement.test
        return isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq) \
            and {ast.dump(test.left), ast.dump(test.comparators[0])} == _MAIN_TEST
    return False


_MAIN_TEST = {ast.dump(ast.Name("__name__", ast.Load())), ast.dump(ast.Constant("__main__"))}


def _start_worker() -> None:
    """In each process of the pool, as it starts: Ctrl-C is for the build's process, which
    stops the pool; and the process exits once the build's process is gone (killed, say: a
    process waiting for work would wait on)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_after, args=(parent,), daemon=True).start()


def _exit_after(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()
    os._exit(0)


class Pool:
    """`workers` processes, started when first given work (`warm`) and kept until `close`."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.shares: list[Share[Any]] = []  # the last work given
        self.order: list[str] = []  # deals' folders (`deals/id/`) in the order the nav lists them
        self._executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_start_worker)

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
        in_folders = {name for held in folders.values() for name in held}
        # A file outside deals' folders (the search index, the theme's scripts) is read whole,
        # not in parts other pages share: several times as long per byte.
        each = sum(sizes[name] * (1 if name in in_folders else _WHOLE) for name in names) / (self.workers + 1)
        shares: list[list[str]] = [[]]
        held = 0
        # Neighbours in `order` share more of their pages' parts (a year's deals, its nav).
        rank = {folder: index for index, folder in enumerate(self.order)}
        for folder in sorted(folders, key=lambda folder: (rank.get(folder, len(rank)), folder), reverse=True):
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
