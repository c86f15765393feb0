"""Leak guard, over a built site: every file read by `dealroom.guard`, each leaking file deleted.

It runs after every other plugin has written its files, and reads the site as a web server
would serve it. Serving keeps what it read: a rebuild lists again only the folders whose times
changed (an entry made, removed or renamed in a folder sets them), reads again only the files
whose size or times changed (the change time cannot be set back by `copy2` or `utime`, unlike
the modification time), and everything when the room's secrets changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import os
import re
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dealroom.gcpause import paused_gc
from dealroom.guard import Guard, Leak, Reading, Unclear, one_per_field
from dealroom.numbers import Secret
from dealroom.sharing import Pool
from dealroom.verdicts import Verdicts

Stat = tuple[int, int, int]  # size, modification and change times (ns)
Folder = tuple[int, int, int]  # inode, modification and change times (ns)
# Names of a folder's files and of its folders, as listed when its times were `Folder`.
Listing = tuple[Folder, tuple[str, ...], tuple[str, ...]]
Readings = dict[str, tuple[bytes, Reading]]  # by name: the digest a file is remembered by, its reading


class UnscannableSite(Exception):
    """`site_dir` holds what the guard cannot read whole, and a web server could still serve."""


@dataclass
class ScanMemory:
    """What the last scan read: reused for unchanged files under the same secrets."""

    secrets_digest: str = ""
    guard: Guard | None = None  # made for those secrets: a second for a thousand deals
    files: dict[str, tuple[Stat, bytes, Reading]] = field(default_factory=dict)  # stat, digest
    pieces: dict[bytes, Reading] = field(default_factory=dict)  # of the search index
    listings: dict[str, Listing] = field(default_factory=dict)  # folders, by path in the site


@dataclass(frozen=True)
class Unreadable:
    """An attached file the guard cannot read whole, and that no person has reviewed."""

    file: Path
    reason: str

    def __str__(self) -> str:
        return (f"{self.file}: the leak guard cannot read all of it ({self.reason}), so it was not "
                "published; attach a version whose text can be read, or, once a person has checked "
                "that it holds no account number, add `reviewed_by` and `reviewed_on` to its entry "
                "in the record")


# A folder changed this recently may change again within its file system's clock step, with
# times that do not show it: its listing is not used again (as git treats "racily clean" files).
_SETTLED_NS = 2_000_000_000


def _walk(site_dir: Path, listings: dict[str, Listing] | None = None) -> dict[str, Stat]:
    """Every file a server could publish from `site_dir`, by its path in the site.

    `listings` (kept by the caller between scans, updated): a folder whose inode and times
    are as when it was listed is not listed again, its files' times are read from their names.
    Creating, removing or renaming an entry of a folder sets its times."""
    files: dict[str, Stat] = {}
    settled = time.time_ns() - _SETTLED_NS
    listed: dict[str, Listing] = {}
    folders = [(str(site_dir), "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            status = os.stat(folder)  # before listing: a later change shows (`site_dir` may be a link)
        except (FileNotFoundError, NotADirectoryError):
            continue  # removed meanwhile: not published
        except OSError:
            raise UnscannableSite(f"{prefix or './'}: the folder cannot be read") from None
        times = (status.st_ino, status.st_mtime_ns, status.st_ctime_ns)
        known = listings.get(prefix) if listings is not None else None
        if known is not None and known[0] == times:
            names, subfolders = known[1], known[2]
            for name in names:
                try:
                    status = os.stat(f"{folder}/{name}")
                except FileNotFoundError:
                    continue
                except OSError:
                    raise UnscannableSite(f"{prefix}{name}: cannot be read") from None
                files[prefix + name] = (status.st_size, status.st_mtime_ns, status.st_ctime_ns)
        else:
            names, subfolders, plain = _list(folder, prefix, files)
            # Trusted next time if it holds no link and has not changed just now.
            known = (times, names, subfolders) if plain and max(times[1:]) < settled else None
        folders.extend((f"{folder}/{name}", f"{prefix}{name}/") for name in subfolders)
        if known is not None:
            listed[prefix] = known
    if listings is not None:
        listings.clear()
        listings.update(listed)
    return files


def _list(folder: str, prefix: str, files: dict[str, Stat]) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """The names of a folder's files (each added to `files` with its times) and folders, and
    whether every entry is one of them: a link to nothing may come to lead to a file without
    the folder's times changing, so a folder with one is listed on every scan."""
    try:
        with os.scandir(folder) as scan:
            entries = list(scan)
    except (FileNotFoundError, NotADirectoryError):
        return (), (), False  # removed meanwhile: not published
    except OSError:  # a server may still serve its files by their URLs
        raise UnscannableSite(f"{prefix or './'}: the folder cannot be listed") from None
    names: list[str] = []
    subfolders: list[str] = []
    plain = True
    for entry in entries:
        try:
            if entry.is_file():  # most entries: one test, from the listing
                status = entry.stat()
                files[prefix + entry.name] = (status.st_size, status.st_mtime_ns, status.st_ctime_ns)
                names.append(entry.name)
            elif entry.is_dir(follow_symlinks=False):
                subfolders.append(entry.name)
            elif entry.is_dir():  # servers follow it to what it points at, anywhere
                raise UnscannableSite(f"{prefix}{entry.name}: a link to a folder")
            else:
                plain = False  # a link to nothing yet, a socket, a pipe: not read, not trusted
        except FileNotFoundError:
            continue
        except OSError:  # a loop of links
            raise UnscannableSite(f"{prefix}{entry.name}: cannot be read") from None
    return tuple(names), tuple(subfolders), plain


def _digest(secrets: list[Secret]) -> str:
    return hashlib.sha256(repr(sorted((s.digits, s.deal, s.field) for s in secrets)).encode()).hexdigest()


SEARCH_INDEX = "search/search_index.json"
# Where the search index is cut: before a page's first entry (a location without `#`).
_PAGE_ENTRY = re.compile(rb'},{"location":"([^"#]*)"')
_PIECE_PAGES = 16  # pages in a piece, on average


def _read_index(guard: Guard, name: str, data: bytes, memory: dict[bytes, Reading]) -> Reading:
    """The search index, read piece by piece: a run of whole pages' entries, as search shows
    them (each result one entry). A number cannot run from one piece into the next: the
    word `location` stands between them in every view. Pieces are cut where the page's
    address says, not by size, so an edit of one deal changes only its own pieces: a rebuild
    (`mkdocs serve`) reads those, and finds the rest in `memory`."""
    cuts = [0, *(found.start() + 2 for found in _PAGE_ENTRY.finditer(data)
                 if zlib.crc32(found[1]) % _PIECE_PAGES == 0), len(data)]
    read: dict[bytes, Reading] = {}
    for start, end in itertools.pairwise(cuts):
        piece = data[start:end]  # its own key: compared whole, faster than a digest of it
        read[piece] = memory.get(piece) or read.get(piece) or guard.read(name, piece)
    memory.clear()  # what this index no longer holds is not kept
    memory.update(read)
    readings = list(read.values())
    return Reading(one_per_field(s for r in readings for s in r.secrets),
                   next((r.unreadable for r in readings if r.unreadable), None),
                   next((r.unclear for r in readings if r.unclear), None))


@paused_gc
def scan_and_remove(site_dir: Path, secrets: Iterable[Secret], memory: ScanMemory | None = None,
                    attachments: Iterable[str] = (), digest: str | None = None,
                    verdicts: Path | None = None,
                    pool: Pool | None = None) -> list[Leak | Unreadable | Unclear]:
    """Scan every file of `site_dir`; delete each leaking or unreadable file so no server can
    publish it.

    `attachments`: site paths of attached files no person has reviewed; each must be read whole.
    Raises `UnscannableSite` for a folder the guard cannot list or a link to a folder. With
    `memory` (kept by the caller between builds), files unchanged since are not read again.
    `digest`: of `secrets`, if the caller has it (`mask.Rule.guard_digest`). `verdicts`: the
    file where clean readings are kept between builds (`dealroom.verdicts`). `pool`: other
    processes that read deals' folders too, while this one reads the rest (`Pool`).
    """
    secrets = list(secrets)
    attachments = frozenset(attachments)
    digest = (digest or _digest(secrets)) + hashlib.sha256(repr(sorted(attachments)).encode()).hexdigest()
    if memory is not None and memory.secrets_digest == digest and memory.guard is not None:
        guard = memory.guard
    else:
        guard = Guard(secrets)
        guard.verdicts = Verdicts(verdicts, secrets) if verdicts is not None else None
        if memory is not None:
            memory.secrets_digest, memory.guard, memory.files, memory.pieces = digest, guard, {}, {}
    try:
        files = _walk(site_dir, memory.listings if memory is not None else None)
    except UnscannableSite as error:  # its name may hold a number too
        raise UnscannableSite(f"{guard.shown(Path(str(error)))}; the leak guard reads every "
                              "file of the site: make it a plain folder of files") from None
    names: Iterable[str] = files
    if memory is not None:  # what the site no longer holds is not remembered as held
        for gone in memory.files.keys() - files.keys():
            del memory.files[gone]
        # Most of a rebuild: thousands of files read clean before, as they were (compared in C).
        clean = {name: known[0] for name, known in memory.files.items() if known[2].clean}
        names = {name for name, _ in files.items() - clean.items()}
    keyed = memory is not None
    readings: dict[str, Reading] = {}
    unread: list[str] = []
    for name in sorted(names):
        known = memory.files.get(name) if memory is not None else None
        if known is not None and known[0] == files[name]:
            readings[name] = known[2]  # read before as it is, not clean: reported as before
        else:
            unread.append(name)

    read: Readings = {}

    def read_here(names: list[str]) -> tuple[Readings, dict[bytes, int]]:
        for name in names:
            found = _read_file(guard, site_dir, name, name in attachments, keyed, memory)
            if found is not None:
                read[name] = found
        return {}, {}  # read into `read`, its verdicts given to this process's guard

    shares = pool.share(unread, {name: files[name][0] for name in unread}, read_share, site_dir,
                        secrets, attachments, verdicts, keyed) if pool is not None else []
    shared = {name for share in shares for name in share.names}
    try:
        read_here([name for name in unread if name not in shared])
        for share in shares:
            their, given = share.result(read_here, (UnscannableSite,))
            read.update(their)
            if guard.verdicts is not None:
                guard.verdicts.update(given)
    except UnscannableSite:
        # The build stops; what was found leaking so far is not left in the site meanwhile.
        _remove(site_dir, {site_dir / name for name, (_, reading) in read.items()
                           if _refused(reading, name in attachments)})
        raise
    for name, (key, reading) in read.items():
        readings[name] = reading
        if memory is not None:
            memory.files[name] = (files[name], key, reading)
    leaks: list[Leak] = []
    unreadable: list[Unreadable] = []
    unclear: list[Unclear] = []
    for name, reading in sorted(readings.items()):
        leaks.extend(Leak(site_dir / name, secret) for secret in reading.secrets)
        if reading.unreadable is not None and name in attachments:
            unreadable.append(Unreadable(site_dir / name, reading.unreadable))
        if reading.unclear is not None:
            unclear.append(Unclear(site_dir / name, reading.unclear))
    if guard.verdicts is not None:
        guard.verdicts.save()
    removed = {leak.file for leak in leaks} | {u.file for u in unreadable} | {u.file for u in unclear}
    _remove(site_dir, removed)
    if memory is not None:
        for path in removed:
            memory.files.pop(path.relative_to(site_dir).as_posix(), None)
    # A deal's id is a folder name, and may hold the number too: messages mask both.
    return [*(Leak(guard.shown(leak.file), dataclasses.replace(
        leak.secret, deal=str(guard.shown(Path(leak.secret.deal))))) for leak in leaks),
        *(Unreadable(guard.shown(u.file), guard.shown(Path(u.reason)).as_posix()) for u in unreadable),
        *(Unclear(guard.shown(u.file), u.reason) for u in unclear)]


def _refused(reading: Reading, attachment: bool) -> bool:
    """Whether a file read so is not published."""
    return bool(reading.secrets) or reading.unclear is not None or \
        (attachment and reading.unreadable is not None)


def _remove(site_dir: Path, files: Iterable[Path]) -> None:
    """Delete `files`, and each folder they leave empty: a folder's name may hold the number
    (a deal's id), and a server may list an empty folder."""
    for path in files:
        path.unlink(missing_ok=True)
        for folder in path.parents:
            if folder == site_dir or not folder.is_relative_to(site_dir):
                break
            try:
                folder.rmdir()
            except OSError:  # not empty: its other files are published
                break


def _read_file(guard: Guard, site_dir: Path, name: str, attachment: bool, keyed: bool,
               memory: ScanMemory | None = None) -> tuple[bytes, Reading] | None:
    """A file's reading, and the digest it is remembered by (`keyed`); None if it is gone."""
    try:
        data = (site_dir / name).read_bytes()
    except FileNotFoundError:
        return None  # removed since the walk: not published
    except OSError:
        raise UnscannableSite(f"{guard.shown(Path(name))}: the file cannot be read; the "
                              "leak guard reads every file of the site") from None
    # A rebuild writes some files again as they were (the sitemap, the 404 page). The
    # search index is known by its pieces.
    key = hashlib.blake2b(data, digest_size=16).digest() if keyed and name != SEARCH_INDEX else b""
    known = memory.files.get(name) if memory is not None else None
    if name == SEARCH_INDEX:
        return key, _read_index(guard, name, data, memory.pieces if memory is not None else {})
    if known is not None and known[1] == key:
        return key, known[2]
    return key, guard.read(name, data, attachment)


@paused_gc
def read_share(names: list[str], site_dir: Path, secrets: list[Secret], attachments: frozenset[str],
               verdicts: Path | None, keyed: bool) -> tuple[Readings, dict[bytes, int]]:
    """`_read_file` of each of `names`, in another process (`dealroom.sharing`), with a guard
    of its own; and the clean verdicts it gave, to be kept with the others."""
    guard = Guard(secrets)
    guard.verdicts = Verdicts(verdicts, secrets) if verdicts is not None else None
    read = {name: found for name in names
            if (found := _read_file(guard, site_dir, name, name in attachments, keyed)) is not None}
    return read, guard.verdicts.given() if guard.verdicts is not None else {}
