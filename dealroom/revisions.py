"""The records that differ between two commits (or a commit and the working tree), field by
field, masked: what `dealroom diff` prints, and whether a payment instruction changed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from dealroom.git import (
    NULL_BLOB,
    Entry,
    GitError,
    git,
    paths_in,
    raw_entries,
    read_blobs,
    repository,
    tokens_of,
)
from dealroom.history import read_history, record_slug
from dealroom.numbers import Redactor, Secret
from dealroom.pipeline import room_numbers
from dealroom.recorddiff import VISIBLE_DIGITS, Change, Snapshot, compare, read_snapshot, render, shown


@dataclass(frozen=True)
class RecordDiff:
    """One record file that differs between the two sides."""

    path: str  # from the repository root: after (or before, when removed)
    old_path: str | None  # before, when renamed
    status: Literal["added", "removed", "changed"]
    changes: tuple[Change, ...]
    summary: str  # "added (2 instructions)", "changed", "does not parse on the new side: ..."
    payment: bool  # a payment instruction was added, removed or changed (or cannot be known)

    def lines(self) -> list[str]:
        moved = f" (renamed from {self.old_path})" if self.old_path else ""
        head = f"{self.path}{moved}: {self.summary}" + ("  [payment]" if self.payment else "")
        return [head] + [f"  {change}" + ("  [payment]" if change.payment else "")
                         for change in self.changes]


def _commit(top: Path, revision: str) -> str:
    if revision.startswith("-"):  # never an option of git's
        raise GitError(f"{revision!r} is not a revision")
    try:
        return git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"unknown revision {revision!r}") from None


def diff_revisions(where: Path, deals_dir: Path, old: str, new: str | None) -> list[RecordDiff]:
    """Every record under `deals_dir` that differs from `old` to `new` (the working tree when
    None, untracked records included). Raises `GitError` (one line) when git cannot tell."""
    repo = repository(where)
    top = repo.top.resolve()
    try:
        folder = (where / deals_dir).resolve().relative_to(top).as_posix()
    except ValueError:
        raise GitError(f"the deals folder is not inside the git repository at {top}") from None
    folder = "" if folder == "." else folder
    sides = [_commit(top, old)] + ([_commit(top, new)] if new is not None else [])
    output = git(top, "--literal-pathspecs", "diff", "--raw", "-M", "--no-abbrev", "-z",
                 "--no-color", "--no-ext-diff", "--no-relative", *sides, "--", folder or ".")
    tokens = tokens_of(output)
    entries, _ = raw_entries(tokens, next(tokens, None))
    entries = [e for e in entries if record_slug(e.path, folder) or record_slug(e.old_paths[0], folder)]
    if new is None:
        untracked = paths_in(top, ("--literal-pathspecs", "ls-files", "--others", "--exclude-standard",
                                   "-z", "--", folder or "."))
        entries += [Entry("A", (p,), (NULL_BLOB,), p, NULL_BLOB, "100644") for p in untracked
                    if record_slug(p, folder)]
    blobs = read_blobs(top, [b for e in entries for b in (e.blob, *e.old_blobs)])
    pairs = [(entry, *_sides(top, entry, blobs, folder, worktree=new is None)) for entry in entries]
    secrets = [Secret(number, path, field) for entry, before, after in pairs
               for side, path in ((before, entry.old_paths[0]), (after, entry.path)) if side
               for number, field in side.numbers]
    # A change may quote a number of a record that did not change: every record's numbers on
    # both sides and in the working tree are masked too (in a shallow clone, or for a branch
    # HEAD's history does not hold, the history below does not know them).
    secrets += _numbers_on(top, folder, sides) + room_numbers(where / deals_dir)
    history = read_history(where, deals_dir) if not repo.shallow else None
    if history is not None and history.available:
        secrets += history.secrets()
    redact = Redactor(secrets, VISIBLE_DIGITS)
    return [_record_diff(entry, before, after, redact) for entry, before, after in pairs]


def _numbers_on(top: Path, folder: str, commits: list[str]) -> list[Secret]:
    """The numbers of every record under `folder` in each of `commits`."""
    found: dict[str, str] = {}  # blob -> its path
    for commit in commits:
        for item in git(top, "--literal-pathspecs", "ls-tree", "-r", "-z", commit, "--",
                        folder or ".").split(b"\0"):
            meta, _, path = item.decode("utf-8", "surrogateescape").partition("\t")
            parts = meta.split()
            if len(parts) == 3 and parts[1] == "blob" and record_slug(path, folder):
                found.setdefault(parts[2], path)
    blobs = read_blobs(top, list(found))
    return [Secret(number, path, field) for blob, path in found.items() if blob in blobs
            for number, field in read_snapshot(blobs[blob], blob).numbers]


def _sides(top: Path, entry: Entry, blobs: dict[str, bytes], folder: str,
           worktree: bool) -> tuple[Snapshot | None, Snapshot | None]:
    before_blob = entry.old_blobs[0]
    before = read_snapshot(blobs[before_blob], before_blob) \
        if before_blob in blobs and record_slug(entry.old_paths[0], folder) else None
    if entry.deleted or not record_slug(entry.path, folder):
        return before, None
    if entry.blob in blobs:
        return before, read_snapshot(blobs[entry.blob], entry.blob)
    if worktree:  # the working tree's file, which git did not hash
        try:
            return before, read_snapshot((top / entry.path).read_bytes(), entry.path)
        except OSError as exc:
            raise GitError(f"cannot read {entry.path}: {exc.strerror}") from None
    raise GitError(f"the version of {entry.path} is missing from this clone")


def _instructions(snapshot: Snapshot) -> int:
    items = snapshot.data.get("instructions") if snapshot.data else None
    return len(items) if isinstance(items, list) else 0


def _record_diff(entry: Entry, before: Snapshot | None, after: Snapshot | None,
                 redact: Redactor) -> RecordDiff:
    path = redact(entry.path if after is not None else entry.old_paths[0])
    moved = redact(entry.old_paths[0]) if before and after and entry.old_paths[0] != entry.path \
        else None
    for side, name in ((before, "old"), (after, "new")):
        if side is not None and side.data is None:
            return RecordDiff(path, moved, "changed", (), redact(
                f"does not parse on the {name} side ({side.problem}): changes unknown"), True)
    if before is None or after is None:
        status: Literal["added", "removed"] = "added" if after is not None else "removed"
        side = after or before
        assert side is not None  # a file absent on both sides is not in a diff
        count = _instructions(side)
        return RecordDiff(path, None, status, (), f"{status}: {shown(side.data, False, redact)}, "
                          f"{count} instruction{'' if count == 1 else 's'}", count > 0)
    assert before.data is not None and after.data is not None  # (unparseable: returned above)
    changes = tuple(render(d, redact) for d in compare(before.data, after.data))
    summary = f"changed ({len(changes)} field{'' if len(changes) == 1 else 's'})" if changes else \
        "no field changed (formatting or comments)"
    return RecordDiff(path, moved, "changed", changes, summary, any(c.payment for c in changes))


__all__ = ["RecordDiff", "diff_revisions"]
