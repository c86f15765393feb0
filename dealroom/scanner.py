"""Leak guard, scanning a built site: every file checked by `dealroom.guard`, leaking ones deleted.

`SiteScanner` scans each file in a second process as MkDocs writes it, so the scan uses the
second core while MkDocs builds on one. `scan_and_remove` is the final pass, after every other
plugin's post-build step: it walks the site, reuses a record only for a file provably unchanged
since, scans the rest (split with the process), and deletes each leaking file so that no server
can publish it.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import queue
import re
import threading
import time
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from dealroom.guard import Guard, Leak, _is_plain, _one_per_field
from dealroom.mask import Secret

# Where a big file can be cut: after a ">" (no tag spans it in any view) and four separators
# that no escape can start with (so every view keeps them, and no match crosses four).
_SEAM = re.compile(rb">[^0-9A-Za-z\\&%<\x80-\xff]{4}")
_CHUNK = 2 * 1024 * 1024  # small enough for the two processes to finish together
_NAMES_PER_BATCH = 32
_STALL_S = 30.0  # a scanner that reports nothing for this long is given up (its files are scanned here)


def _digest(data: bytes) -> bytes:
    # A checksum against a rewrite that kept the size and time (copy2, utime, a coarse clock),
    # fast enough to check every file: not against an adversary, who could write after the
    # guard anyway.
    return zlib.crc32(data).to_bytes(4, "big")


class UnscannableSite(Exception):
    """`site_dir` holds what the guard cannot read whole, and a web server could still serve."""


class Scanned(NamedTuple):  # a tuple: thousands cross from the scanner, unpickled in the caller
    """What was scanned of a file: enough to prove later that its bytes are still those."""
    size: int
    mtime_ns: int
    digest: bytes  # CRC-32 of the bytes scanned
    secrets: list[Secret]


def _scan_file(guard: Guard, site_dir: Path, name: str) -> Scanned | None:
    try:
        with open(site_dir / name, "rb") as stream:
            stat = os.fstat(stream.fileno())
            data = stream.read()
        if len(data) != stat.st_size:
            return None  # being rewritten: scanned again by the final pass
        return Scanned(stat.st_size, stat.st_mtime_ns, _digest(data), guard.found_in(name, data))
    except Exception:  # gone, or a bug: the final pass scans what has no record (a bug shows there)
        return None


def _cut(data: bytes, size: int = _CHUNK) -> list[tuple[int, int]]:
    """`data` cut at seams into pieces of about `size` bytes; one piece if it has no seams."""
    cuts = [0]
    while len(data) - cuts[-1] > size * 3 // 2:
        seam = _SEAM.search(data, cuts[-1] + size)
        if seam is None:
            break
        cuts.append(seam.start() + 1)  # just after the ">"
    return list(zip(cuts, [*cuts[1:], len(data)], strict=True))


# A job is ("files", id, [name, ...]), ("bytes", id, data) or ("walk", id, [(folder, prefix), ...]);
# its report ("files", id, [(name, Scanned | None), ...]), ("bytes", id, [Secret, ...]) or
# ("walk", id, {name: (size, mtime_ns)}).
Job = tuple[str, int, Any]


def _serve(site_dir: str, secrets: Any, jobs: Any, reports: Any) -> None:
    """The scanner process: scans what it is sent until it is stopped."""
    guard = Guard(secrets.get())
    while True:
        job = jobs.get()
        if job is None:
            return
        reports.put(_do(guard, Path(site_dir), job))


class SiteScanner:
    """Scans built files from disk in another process, as MkDocs writes them.

    Scanning a large site after the build took a fifth of its time on one core; here the
    second core does it during the build. The final pass (`scan_and_remove`) trusts a record
    only for a file whose size, time and (if recent) bytes are still those scanned.
    """

    def __init__(self, site_dir: Path, secrets: list[Secret]) -> None:
        context = multiprocessing.get_context("spawn")
        self.site_dir = site_dir
        # Queues: `put` hands over to a feeder thread, so the caller never waits for the process.
        self.jobs: Any = context.Queue()
        self.reports: Any = context.Queue()
        # The secrets have their own queue: the final pass takes jobs from `jobs` too. Kept
        # while the process runs: its locks are removed with it, maybe before the process read.
        self.secrets: Any = context.Queue()
        self.secrets.put(list(secrets))
        self.process = context.Process(target=_serve, args=(str(site_dir), self.secrets, self.jobs,
                                                            self.reports),
                                       daemon=True, name="dealroom-guard")
        self.process.start()
        self.secrets.close()  # its thread still hands them over, then ends
        self.secrets.cancel_join_thread()  # (never waited for, if the process dies first)
        self.batch: list[str] = []
        self.sent: dict[int, Job] = {}  # jobs sent and not yet reported
        self.names: set[str] = set()  # every name sent
        self.count = 0  # batches sent: their job numbers
        self.received: list[tuple[str, int, Any]] = []  # reports not yet used by the final pass
        self.arrived: queue.Queue[tuple[str, int, Any]] = queue.Queue()  # read by `reader`
        self.reader: threading.Thread | None = None
        self.closed = False

    def written(self, name: str) -> None:
        """`name` (relative to the site) is written completely: scan it soon."""
        self.batch.append(name)
        if len(self.batch) >= _NAMES_PER_BATCH:  # a handover per page costs more than its scan
            self.flush()

    def flush(self) -> None:
        if self.batch:
            self.names.update(self.batch)
            self.count += 1
            self.send(("files", self.count, self.batch))
            self.batch = []

    def send(self, job: Job) -> None:
        self.sent[job[1]] = job
        if not self.closed:
            self.jobs.put(job)

    def take(self) -> Job | None:
        """A job the process has not started: the final pass does it here instead."""
        if not self.alive():  # it may have died halfway through reading one: not read after
            return None
        try:
            job = self.jobs.get(block=False)  # not while the process reads: it holds the lock then
        except Exception:  # empty, or closed
            return None
        return job if self.sent.pop(job[1], None) is not None else None  # not done meanwhile

    def pull(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for a report; keep it in `received`. False if none came."""
        if self.reader is None:
            self.reader = threading.Thread(target=self._read, daemon=True, name="dealroom-guard-reports")
            self.reader.start()
        try:
            report = self.arrived.get(timeout=timeout)
        except queue.Empty:
            return False
        if self.sent.pop(report[1], None) is not None:  # not done here meanwhile
            self.received.append(report)
        return True

    def _read(self) -> None:
        # In a thread: a process killed halfway through writing a report would leave a read
        # waiting forever for the rest; the final pass waits here with a timeout instead.
        # The thread ends soon after `close` (the process may be gone without a word).
        while not self.closed:
            try:
                self.arrived.put(self.reports.get(timeout=0.05))
            except queue.Empty:
                continue
            except Exception:  # closed
                return

    def idle(self, timeout: float) -> bool:
        """Wait until every file named so far is scanned (or `timeout` passed): True if so."""
        self.flush()
        deadline = time.monotonic() + timeout
        while self.sent and self.alive() and time.monotonic() < deadline:
            self.pull(min(0.05, max(0.0, deadline - time.monotonic())))
        return not self.sent

    def alive(self) -> bool:
        return not self.closed and self.process.is_alive()

    def close(self) -> None:
        """Stop the process without waiting for it (a build error, or the final pass done)."""
        if self.closed:
            return
        self.closed = True
        for channel in (self.jobs, self.reports):
            channel.cancel_join_thread()  # exiting must not wait to flush to a dead process
        if self.process.is_alive():
            self.process.kill()
        self.jobs.close()
        if self.reader is None:  # else the reader thread is using it, until it sees `closed`
            self.reports.close()


Stat = tuple[int, int]  # size, st_mtime_ns


def _walk(folders: list[tuple[str, str]], files: dict[str, Stat], until: int | None = None) -> None:
    """Files under `folders` (path, name prefix) as `rglob("*")` and `is_file()` see them, into
    `files`; breadth first, stopping with `until` folders left to walk (they stay in `folders`)."""
    while folders and (until is None or len(folders) < until):
        folder, prefix = folders.pop(0) if until else folders.pop()
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except (FileNotFoundError, NotADirectoryError):
            continue  # removed meanwhile: not published
        except PermissionError:  # a server may still serve its files by their URLs
            raise UnscannableSite(f"{prefix or './'}: the folder cannot be listed") from None
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_dir():  # servers follow it to what it points at, anywhere
                    raise UnscannableSite(f"{prefix}{entry.name}: a link to a folder")
                elif entry.is_file():
                    stat = entry.stat()
                    files[prefix + entry.name] = (stat.st_size, stat.st_mtime_ns)
            except FileNotFoundError:
                continue  # removed meanwhile: not published


def _do(guard: Guard, site_dir: Path, job: Job) -> tuple[str, int, Any]:
    kind, number, payload = job
    if kind == "files":
        return kind, number, [(name, _scan_file(guard, site_dir, name)) for name in payload]
    if kind == "walk":
        files: dict[str, Stat] = {}
        _walk(payload, files)
        return kind, number, files
    return kind, number, list(guard.find_in_bytes(payload))


class _FinalPass:
    def __init__(self, guard: Guard, site_dir: Path, scanner: SiteScanner | None):
        self.guard, self.site_dir = guard, site_dir
        self.scanner = scanner if scanner and scanner.alive() else None
        self.files: dict[str, Stat] = {}
        self.records: dict[str, list[Scanned]] = {}
        self.found: dict[str, list[Secret]] = {}  # the name's secrets, for a file cut in pieces
        self.pieces: dict[int, tuple[str, int]] = {}  # a piece's job -> its file, its index
        self.piece_secrets: dict[str, list[list[Secret] | None]] = {}
        self.jobs = 0

    def run(self) -> dict[str, list[Secret]]:
        scanner = self.scanner
        folders = [(str(self.site_dir), "")]
        if scanner is None:
            _walk(folders, self.files)
            return self._all()
        scanner.flush()
        # Walking a large site takes a tenth of a second (a folder per page): half of it is
        # walked in the scanner's process, while the files found here are scanned.
        _walk(folders, self.files, until=64)
        if folders:
            folders.sort(key=lambda folder: folder[1].count("/"))  # the few shallow ones to each
            self._send(scanner, ("walk", self._number(), folders[1::2]))
            _walk(folders[::2], self.files)
        self._share([name for name in sorted(self.files) if name not in scanner.names], scanner)
        self._collect(scanner)
        return self._all()

    def _all(self) -> dict[str, list[Secret]]:
        # In the order of `sorted(rglob)`, as before: by path parts, so leaks are listed the same.
        return {name: self._secrets(name, stat)
                for name, stat in sorted(self.files.items(), key=lambda item: item[0].split("/"))}

    def _number(self) -> int:
        self.jobs += 1
        return -self.jobs  # the scanner's own batches count up from 1

    def _send(self, scanner: SiteScanner, job: Job) -> None:
        scanner.send(job)
        if not scanner.alive():  # done here, so that none is lost
            self._record(_do(self.guard, self.site_dir, job))
            scanner.sent.pop(job[1], None)

    def _share(self, names: list[str], scanner: SiteScanner) -> None:
        """Scan `names` now, split with the scanner: big plain files in pieces, the rest in batches."""
        jobs: list[Job] = []
        for name in names:
            if self.files[name][0] < _CHUNK * 3 // 2:
                continue
            data = (self.site_dir / name).read_bytes()
            if not _is_plain(data) or len(pieces := _cut(data)) == 1:
                continue
            self.files[name] = (len(data), self.files[name][1])  # the pieces are of these bytes
            self.found[name] = list(self.guard.find(name))
            self.piece_secrets[name] = [None] * len(pieces)
            for index, (start, end) in enumerate(pieces):
                number = self._number()
                self.pieces[number] = (name, index)
                jobs.append(("bytes", number, data[start:end]))
        rest = [name for name in names if name not in self.piece_secrets]
        jobs.extend(("files", self._number(), rest[i:i + 8]) for i in range(0, len(rest), 8))
        for job in jobs[1:]:
            self._send(scanner, job)
        if jobs:
            self._record(_do(self.guard, self.site_dir, jobs[0]))

    def _collect(self, scanner: SiteScanner) -> None:
        """Reports from the scanner until every job is done; jobs it has not started are done here."""
        last = time.monotonic()
        while True:
            while scanner.received:
                self._record(scanner.received.pop())
            if not scanner.sent:
                break
            if scanner.pull(timeout=0):
                last = time.monotonic()
                continue
            job = scanner.take()
            if job:
                self._record(_do(self.guard, self.site_dir, job))
                continue
            if not scanner.alive() or time.monotonic() - last > _STALL_S:
                for job in list(scanner.sent.values()):  # never reported: done here
                    scanner.sent.pop(job[1])
                    self._record(_do(self.guard, self.site_dir, job))
            elif scanner.pull(timeout=0.005):
                last = time.monotonic()

    def _record(self, report: tuple[str, int, Any]) -> None:
        kind, number, payload = report
        if kind == "files":
            for name, scanned in payload:
                if scanned is not None:
                    self.records.setdefault(name, []).append(scanned)
        elif kind == "walk":
            self.files.update(payload)
            assert self.scanner is not None
            self._share(sorted(name for name in payload if name not in self.scanner.names), self.scanner)
        else:
            name, index = self.pieces[number]
            self.piece_secrets[name][index] = payload

    def _secrets(self, name: str, stat: Stat) -> list[Secret]:
        pieces = self.piece_secrets.get(name)
        if pieces is not None and all(p is not None for p in pieces):
            return _one_per_field([*self.found[name], *(s for p in pieces for s in p or [])])
        data: bytes | None = None
        try:
            for scanned in self.records.get(name, []):
                if (scanned.size, scanned.mtime_ns) != stat:
                    continue
                # The same size and time do not prove the same bytes: copy2 and utime set old
                # times, and a coarse clock gives a quick rewrite its first write's time.
                data = data if data is not None else (self.site_dir / name).read_bytes()
                if _digest(data) == scanned.digest:
                    return scanned.secrets
            data = data if data is not None else (self.site_dir / name).read_bytes()
        except FileNotFoundError:
            return []  # removed since the walk: not published
        return self.guard.found_in(name, data)


def scan_and_remove(site_dir: Path, secrets: Iterable[Secret],
                    scanner: SiteScanner | None = None) -> list[Leak]:
    """Scan every file of `site_dir`; delete each leaking file so no server can publish it.

    `scanner` has scanned files as they were written; its records are used for files still
    of the same size, time and checksum. The rest is scanned now, split with its process. A
    scanner that died or fell behind only makes this slower. Raises `UnscannableSite` for a
    folder the guard cannot list or a link to a folder: a server could still publish them.
    """
    guard = Guard(secrets)
    try:
        found = _FinalPass(guard, site_dir, scanner).run() if guard else {}
    except UnscannableSite as error:  # its name may hold a number too
        raise UnscannableSite(f"{guard.shown(Path(str(error)))}; the leak guard reads every "
                              "file of the site: make it a plain folder of files") from None
    finally:
        if scanner:
            scanner.close()
    leaks = [Leak(site_dir / name, secret) for name, secrets_ in found.items() for secret in secrets_]
    for path in {leak.file for leak in leaks}:
        path.unlink(missing_ok=True)
    # A deal's id is a folder name, and may hold the number too: messages mask both.
    return [Leak(guard.shown(leak.file), dataclasses.replace(
        leak.secret, deal=str(guard.shown(Path(leak.secret.deal))))) for leak in leaks]
