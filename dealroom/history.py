"""The history of every deal record, read from git: which field changed, when, by whom.

One `git log` over the deals folder lists every commit that changed a record file, with the
blob of each version and the renames; one `git cat-file --batch` reads every version. Each
version is parsed by our loader and compared field by field with the version before it. A
deal stays the same deal across `git mv`. Without a full history (no git, no repository, a
shallow clone) there is no history at all, never a guessed one.

Nothing here holds a raw account number where a template could print it: changes carry
masked and redacted text; the raw numbers are only given by `History.past_numbers` and
`History.secrets`, for the redactor and the leak guard.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from dealroom.git import NULL_BLOB, CatFile, Entry, GitError, paths_in, raw_entries, repository, streamed
from dealroom.model import Verification
from dealroom.numbers import Redactor, Secret
from dealroom.recorddiff import (
    VISIBLE_DIGITS,
    Blocks,
    Change,
    Difference,
    Redact,
    Snapshot,
    compare,
    item_ids,
    read_snapshot,
    render,
)

RECORD_NAMES = ("deal.yml", "deal.yaml")
RECORD_SUFFIXES = (".yml", ".yaml")
_FORMAT = "%x01%H%x00%an%x00%aI%x00%cI%x00%s"
BATCH = 200  # versions read from git at a time
SHALLOW = ("the repository is a shallow clone, so its history is incomplete "
           "(fix: fetch the whole history, e.g. `git fetch --unshallow`)")
Status = Literal["verified", "void", "unverified"]
# A call-back as compared across versions: (by, called, number, on, result), stripped.
CallBack = tuple[str, str, str, str, str]


@dataclass(frozen=True)
class Commit:
    """A commit that changed a record. Author and subject are redacted like any free text."""

    hash: str
    author: str
    date: datetime  # the author date, with the author's UTC offset
    committed: datetime  # the committer date
    subject: str

    @property
    def short(self) -> str:
        return self.hash[:7]

    @property
    def landed(self) -> datetime:
        """The later of the two dates: a rebased or cherry-picked change counts from when it was
        committed, an author date set in the future from then."""
        return max(self.date, self.committed)


@dataclass(frozen=True)
class Revision:
    """What one commit did to one deal's record."""

    slug: str
    path: str  # the record file after the commit (before it, when deleted), from the repository root
    commit: Commit
    changes: tuple[Change, ...] = ()
    created: bool = False
    deleted: bool = False
    renamed_from: str | None = None  # the record file before the commit
    unparseable: str | None = None  # "unparseable at <short hash>: line 3: ..."
    # The call-backs each instruction had just before this commit: they do not vouch for it.
    prior_callbacks: Mapping[str, frozenset[CallBack]] = field(default_factory=dict, repr=False,
                                                               compare=False)

    @property
    def payment(self) -> bool:
        return any(change.payment for change in self.changes)


@dataclass(frozen=True)
class PaymentChange:
    """A change to where a payment instruction sends money."""

    commit: Commit
    instruction: str | None  # its id; None when the whole list changed or items have no ids
    change: Change

    @property
    def date(self) -> datetime:
        return self.commit.date


@dataclass(frozen=True)
class DealHistory:
    slug: str
    path: str  # the record file now (or when it was deleted), from the repository root
    former_paths: tuple[str, ...]  # where it was before `git mv`, oldest first
    versions: tuple[Commit, ...]  # every commit that changed the file, newest first
    changes: tuple[Revision, ...]  # those that changed a field, created, renamed, deleted it, newest first
    payment_changes: tuple[PaymentChange, ...]  # newest first
    deleted: bool  # the record is gone from the last commit
    uncommitted: bool  # the working tree's record differs from the last commit: not in this history
    instructions: frozenset[str]  # the ids of the instructions in the last committed version

    @property
    def last_changed(self) -> Commit:
        """The newest commit that changed a field (or created, renamed or deleted the record)."""
        return self.changes[0].commit if self.changes else self.versions[0]

    @property
    def created(self) -> Commit:
        return self.versions[-1]


@dataclass(frozen=True)
class History:
    """Every deal's history; `available` is False (with a one-line `reason`) without git."""

    available: bool
    reason: str = ""
    deals: Mapping[str, DealHistory] = field(default_factory=dict)
    _numbers: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict, repr=False)
    _snapshots: Mapping[str, Snapshot] = field(default_factory=dict, repr=False)
    _blocks: Blocks = field(default_factory=dict, repr=False, compare=False)

    def deal(self, slug: str) -> DealHistory | None:
        return self.deals.get(slug)

    def past_numbers(self, slug: str) -> list[tuple[str, str]]:
        """(account number, field path) of every number any version of the record held, each
        once with the first field that held it: raw, for the redactor and the leak guard only."""
        return list(self._numbers.get(slug, ()))

    def secrets(self) -> list[Secret]:
        """Every account number of every deal's every version, as the redactor takes them."""
        return [Secret(number, slug, path) for slug, numbers in self._numbers.items()
                for number, path in numbers]

    def recent(self, n_days: int, today: date) -> list[Revision]:
        """Every deal's revisions that landed in the `n_days` before `today` (and on it),
        newest first."""
        since = today - timedelta(days=n_days)
        found = [revision for deal in self.deals.values() for revision in deal.changes
                 if revision.commit.landed.date() >= since]
        return sorted(found, key=lambda r: r.commit.landed, reverse=True)


def unavailable(reason: str) -> History:
    return History(False, reason)


# --- reading the log -----------------------------------------------------------------------


def record_slug(path: str, folder: str) -> str | None:
    """The deal id of a record file (`<folder>/<id>/deal.yml` or `<folder>/<id>.yml`), else None."""
    if folder:
        if not path.startswith(folder) or path[len(folder):len(folder) + 1] != "/":
            return None
        path = path[len(folder) + 1:]
    parts = path.split("/")
    if len(parts) == 2 and parts[1] in RECORD_NAMES and parts[0]:
        return parts[0]
    if len(parts) == 1 and parts[0].endswith(RECORD_SUFFIXES):
        stem = parts[0].rsplit(".", 1)[0]
        return stem or None
    return None


LOG = ("--literal-pathspecs", "log", "--raw", "-M", "-c", "--combined-all-paths", "--full-history",
       "--date-order", "--no-abbrev", "-z", "--no-color", "--no-show-signature", "--encoding=UTF-8",
       f"--format={_FORMAT}")


def _commits(tokens: Iterator[str]) -> Iterator[tuple[Commit, list[Entry]]]:
    """Each commit of `git log LOG` output, newest first, with its raw diff."""
    token = next(tokens, None)
    while token is not None:
        if not token.lstrip("\n").startswith("\x01"):
            token = next(tokens, None)
            continue
        name, authored, committed, subject = (next(tokens) for _ in range(4))
        commit = Commit(token.lstrip("\n")[1:], name, datetime.fromisoformat(authored),
                        datetime.fromisoformat(committed), subject)
        entries, token = raw_entries(tokens, next(tokens, None))
        yield commit, entries


def _versions(entry: Entry, folder: str) -> list[str]:
    """The blobs of an entry that are versions of a record: after, and before per parent."""
    after = [entry.blob] if not entry.deleted and record_slug(entry.path, folder) is not None else []
    return after + [blob for path, blob in zip(entry.old_paths, entry.old_blobs, strict=True)
                    if record_slug(path, folder) is not None]


@dataclass
class _Step:
    commit: Commit
    entry: Entry
    bases: list[tuple[str, str]]  # (path, blob) of the record before, per parent that had it


@dataclass
class _Deal:
    """One deal's identity while the log is read, oldest commit first."""

    path: str
    paths: list[str] = field(default_factory=list)
    steps: list[_Step] = field(default_factory=list)
    deleted: bool = False


def _identities(commits: list[tuple[Commit, list[Entry]]], folder: str) -> list[_Deal]:
    """Each deal's steps. A deal continues at the path it had (or, across branches, from the
    version it had): `git mv` does not make a new deal."""
    live: dict[str, _Deal] = {}
    gone: dict[str, _Deal] = {}
    owner: dict[str, _Deal] = {}  # blob -> the deal that had it
    deals: list[_Deal] = []
    for commit, entries in reversed(commits):
        steps: list[tuple[_Deal, _Step]] = []
        for entry in entries:  # every deal of the commit first, then the moves: a swap is two
            bases = [(path, blob) for path, blob in zip(entry.old_paths, entry.old_blobs, strict=True)
                     if blob != NULL_BLOB and record_slug(path, folder) is not None]
            is_record = not entry.deleted and record_slug(entry.path, folder) is not None
            if not bases and not is_record:
                continue
            deal = next((live[p] for p, _ in bases if p in live), None) or \
                next((owner[b] for _, b in bases if b in owner), None) or \
                (live.get(entry.path) or gone.get(entry.path) if is_record and not bases else None)
            if deal is None:
                deal = _Deal(entry.path)
                deals.append(deal)
            steps.append((deal, _Step(commit, entry, bases)))
        for deal, step in steps:
            entry = step.entry
            for path, _ in step.bases:
                if live.get(path) is deal and path != entry.path:
                    del live[path]
                    gone[path] = deal
            if not entry.deleted and record_slug(entry.path, folder) is not None:
                live[entry.path] = deal
                gone.pop(entry.path, None)
                owner[entry.blob] = deal
                if entry.path != deal.path:
                    deal.paths.append(deal.path)
                deal.path, deal.deleted = entry.path, False
            elif deal.path in {path for path, _ in step.bases}:
                deal.deleted = True
            deal.steps.append(step)
    return deals


# --- the deal's revisions --------------------------------------------------------------------


def _related(a: str, b: str) -> bool:
    """One path is the other or holds it (`x` holds `x.y` and `x[1]`)."""
    short, long = sorted((a, b), key=len)
    return long == short or (long.startswith(short) and long[len(short)] in ".[")


def _callbacks(data: dict[str, Any] | None) -> dict[str, frozenset[CallBack]]:
    """The call-backs of each instruction (by id) in a version of the record."""
    items = data.get("instructions") if isinstance(data, dict) else None
    if not isinstance(items, list) or item_ids(items) is None:
        return {}
    found = {}
    for item in items:
        entries = item.get("verified")
        if isinstance(entries, list):
            found[item["id"]] = frozenset(_callback(e) for e in entries if isinstance(e, dict))
    return found


def _callback(entry: Mapping[str, Any]) -> CallBack:
    def text(key: str) -> str:
        value = entry.get(key)
        return value.strip() if isinstance(value, str) else ""
    return text("by"), text("called"), text("number"), text("on"), text("result")


def _instruction_ids(data: dict[str, Any] | None) -> frozenset[str]:
    items = data.get("instructions") if isinstance(data, dict) else None
    ids = item_ids(items) if isinstance(items, list) else None
    return frozenset(ids or ())


def _revisions(deal: _Deal, slug: str, folder: str, snapshots: Mapping[str, Snapshot],
               commits: Mapping[str, Commit], redact: Redact, visible: int) -> DealHistory:
    versions: list[Commit] = []
    revisions: list[Revision] = []
    last: Snapshot | None = None  # the last version that parsed: the base after one that did not
    for step in deal.steps:
        entry, commit = step.entry, commits[step.commit.hash]
        before = step.bases[0][0] if step.bases else None
        moved = before if before and before != entry.path else None
        if entry.deleted or record_slug(entry.path, folder) is None:  # deleted, or moved away
            revision = Revision(slug, before or entry.path, commit, deleted=True)
            versions.append(commit)
            revisions.append(revision)
            continue
        new = snapshots.get(entry.blob)
        base = snapshots.get(step.bases[0][1]) if step.bases else None
        base = base if base is not None and base.data is not None else last
        if new is None or new.data is None:
            problem = new.problem if new else "the version is missing from this clone"
            revision = Revision(slug, entry.path, commit, created=not step.bases, renamed_from=moved,
                                unparseable=redact(f"unparseable at {commit.short}: {problem}"),
                                prior_callbacks=_callbacks(base.data if base else None))
        elif not step.bases:
            revision = Revision(slug, entry.path, commit, created=True)
        elif base is None or base.data is None:
            revision = Revision(slug, entry.path, commit, renamed_from=moved, unparseable=redact(
                f"changes unknown at {commit.short}: no earlier version parses"))
        else:
            differences = compare(base.data, new.data)
            if len(entry.old_blobs) > 1:
                differences = _own_to_merge(differences, step, snapshots, new)
                if not differences and not moved and versions:
                    last = new
                    continue  # a merge that only joined the two sides: no change of its own
            changes = tuple(render(d, redact, visible) for d in differences)
            revision = Revision(slug, entry.path, commit, changes, renamed_from=moved,
                                prior_callbacks=_callbacks(base.data))
        if new is not None and new.data is not None:
            last = new
        versions.append(commit)
        if revision.changes or revision.created or revision.renamed_from or revision.unparseable:
            revisions.append(revision)
    payments = [PaymentChange(r.commit, c.instruction, c) for r in revisions for c in r.changes
                if c.payment]
    return DealHistory(slug, deal.path, tuple(deal.paths), tuple(reversed(versions)),
                       tuple(reversed(revisions)), tuple(reversed(payments)), deal.deleted, False,
                       frozenset() if deal.deleted else _instruction_ids(last.data if last else None))


def _own_to_merge(differences: list[Difference], step: _Step, snapshots: Mapping[str, Snapshot],
                  new: Snapshot) -> list[Difference]:
    """The changes of a merge against its first parent that differ from every other parent
    too: what the merge itself wrote (a resolved conflict), not what it brought in."""
    assert new.data is not None
    for _, blob in step.bases[1:]:
        other = snapshots.get(blob)
        if other is None or other.data is None:
            continue
        theirs = [d.path for d in compare(other.data, new.data)]
        differences = [d for d in differences if any(_related(d.path, p) for p in theirs)]
    return differences


def _uncommitted(top: Path, folder: str) -> set[str]:
    listed = paths_in(top, ("--literal-pathspecs", "status", "--porcelain=v1", "-z", "--no-renames",
                            "--untracked-files=all", "--ignore-submodules", "--", folder or "."))
    return {line[3:] for line in listed if len(line) > 3}


def _redacted(commit: Commit, redact: Redact) -> Commit:
    return replace(commit, author=redact(commit.author), subject=redact(commit.subject))


def read_history(where: Path, deals_dir: Path, *, known: Iterable[Secret] = (),
                 previous: History | None = None, visible_digits: int = VISIBLE_DIGITS) -> History:
    """The history of every record under `deals_dir` (relative to `where`, or absolute).

    `known`: numbers from elsewhere (the working tree's records) to redact in free text too.
    `previous`: an earlier history of the same repository, whose parsed versions are reused
    (a version is its content: a rebuild only parses what is new). `visible_digits`: of a
    masked number, as the room's mask shows them.
    """
    try:
        repo = repository(where)
        if repo.shallow:
            return unavailable(SHALLOW)
        top = repo.top.resolve()
        try:
            folder = (where / deals_dir).resolve().relative_to(top).as_posix()
        except ValueError:
            return unavailable(f"the deals folder is not inside the git repository at {top}")
        folder = "" if folder == "." else folder
        cache = previous._snapshots if previous is not None else {}
        snapshots: dict[str, Snapshot] = {}
        # The fields of every version, by their text: most are as in another version.
        parsed: Blocks = dict(previous._blocks) if previous is not None else {}
        commits: list[tuple[Commit, list[Entry]]] = []
        wanted: dict[str, None] = {}  # versions to read, in batches: a request costs a wake-up
        # The versions are parsed as the log comes: git makes the rest of it meanwhile.
        with streamed(top, *LOG, "--", folder or ".") as tokens, CatFile(top) as blobs:
            for commit, entries in _commits(tokens):
                commits.append((commit, entries))
                for blob in (b for e in entries for b in _versions(e, folder)):
                    if blob in cache:
                        snapshots[blob] = cache[blob]
                    elif blob not in snapshots:
                        wanted[blob] = None
                if len(wanted) >= BATCH:
                    _parse(blobs.read(wanted), snapshots, parsed)
                    wanted.clear()
            _parse(blobs.read(wanted), snapshots, parsed)
        dirty = _uncommitted(top, folder)
    except GitError as error:
        if "does not have any commits" in str(error):
            return History(True)
        return unavailable(str(error))
    return _history(_identities(commits, folder), folder, snapshots, parsed, commits, dirty, known,
                    visible_digits)


def _parse(contents: dict[str, bytes], snapshots: dict[str, Snapshot], parsed: Blocks) -> None:
    for blob, raw in contents.items():
        snapshots[blob] = read_snapshot(raw, blob, parsed)


def _history(deals: list[_Deal], folder: str, snapshots: dict[str, Snapshot], parsed: Blocks,
             commits: list[tuple[Commit, list[Entry]]], dirty: set[str],
             known: Iterable[Secret], visible_digits: int) -> History:
    numbers: dict[int, list[tuple[str, str]]] = {}
    for index, deal in enumerate(deals):
        seen: dict[str, str] = {}  # each number once, with the first field that held it
        for step in deal.steps:
            for blob in (step.entry.blob, *(b for _, b in step.bases)):
                for number, path in snapshots[blob].numbers if blob in snapshots else ():
                    seen.setdefault(number, path)
        numbers[index] = list(seen.items())
    slugs = [record_slug(deal.path, folder) or deal.path for deal in deals]
    secrets = [Secret(n, slug, p) for index, slug in enumerate(slugs) for n, p in numbers[index]]
    redact = Redactor([*secrets, *known], visible_digits)
    shown = {commit.hash: _redacted(commit, redact) for commit, _ in commits}
    by_slug: dict[str, DealHistory] = {}
    numbers_by_slug: dict[str, tuple[tuple[str, str], ...]] = {}
    # Live deals last, so that a deleted deal never hides a live one of the same id.
    for index in sorted(range(len(deals)), key=lambda i: not deals[i].deleted):
        deal, slug = deals[index], slugs[index]
        history = replace(_revisions(deal, slug, folder, snapshots, shown, redact, visible_digits),
                          uncommitted=not deal.deleted and deal.path in dirty)
        by_slug[slug] = history
        numbers_by_slug[slug] = tuple(numbers[index])
    return History(True, "", by_slug, numbers_by_slug, snapshots, parsed)


# --- call-backs ----------------------------------------------------------------------------


def _touches(change: Change, instruction: str) -> bool:
    """The change is to the instruction, other than to its call-back entries."""
    if change.path == "instructions":
        return True
    if not change.path.startswith("instructions["):
        return False
    if change.instruction is None:
        return True  # items matched by position: any instruction may be the one changed
    if change.instruction != instruction:
        return False
    rest = change.path[len("instructions["):].split("]", 1)[-1]
    return not (rest == ".verified" or rest.startswith((".verified.", ".verified[")))


def last_instruction_change(history: DealHistory, instruction: str) -> Revision | None:
    """The newest revision that changed the instruction (its call-backs aside), or created it."""
    for revision in history.changes:
        if revision.unparseable or any(_touches(change, instruction) for change in revision.changes):
            return revision  # (what an unparseable version did is not known: it may have)
        if revision.created or revision.deleted:
            # Present since the record was created (or re-created), if present at all.
            return revision if instruction in history.instructions and revision.created else None
    return None


def verification_status(history: DealHistory | None, instruction: str,
                        entries: Sequence[Verification]) -> Status:
    """Whether the call-backs recorded for an instruction vouch for it as it is now.

    A call-back counts when it was recorded with or after the instruction's last change (in
    git) and is dated on or after that change's day; the latest that counts must be
    `confirmed`. Call-backs that confirmed an earlier version only: "void". Without a history
    of the instruction, nothing can vouch for it: "unverified".
    """
    if history is None:
        return "unverified"
    change = last_instruction_change(history, instruction)
    if change is None:
        return "unverified"
    earlier = change.prior_callbacks.get(instruction, frozenset())
    day = change.commit.landed.date()
    counting = [(entry.on, index, entry) for index, entry in enumerate(entries)
                if entry.on >= day and _callback_of(entry) not in earlier]
    if counting:
        return "verified" if max(counting, key=lambda c: c[:2])[2].result == "confirmed" \
            else "unverified"
    return "void" if any(entry.result == "confirmed" for entry in entries) else "unverified"


def _callback_of(entry: Verification) -> CallBack:
    return (entry.by.strip(), entry.called.strip(), entry.number.strip(), entry.on.isoformat(),
            entry.result)


__all__ = ["Change", "Commit", "DealHistory", "History", "PaymentChange", "Revision",
           "last_instruction_change", "read_history", "verification_status"]
