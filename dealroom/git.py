"""The few `git` commands the history needs, run as plain subprocesses, and their parsed output.

Output is read with `-z` (paths as they are, never quoted) and decoded leniently: a name that
is not UTF-8 shows U+FFFD where it is not (no record's path is: ids are lowercase ASCII).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

NULL_BLOB = "0" * 40
# The options below fix what a user's configuration could otherwise change in the output.
_CONFIG = ("-c", "log.follow=false", "-c", "log.showRoot=true", "-c", "core.quotePath=false",
           "-c", "color.ui=never")


class GitError(Exception):
    """Git is missing or refused: the message is one line, git's own where it gave one."""


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # Never block on a password prompt or fetch missing objects of a partial clone from a
    # remote: history is read from what is here. No lock on the index for `git status`.
    # Git's messages in English: they are matched ("does not have any commits") and reported.
    env.update(GIT_TERMINAL_PROMPT="0", GIT_NO_LAZY_FETCH="1", GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    return env


def git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """The standard output of `git args` run in `cwd`; `GitError` when it fails."""
    try:
        done = subprocess.run(["git", *_CONFIG, *args], cwd=cwd, input=stdin, capture_output=True,
                              env=_environment(), check=False)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except OSError as exc:
        raise GitError(f"git could not be run: {exc.strerror}") from None
    if done.returncode:
        raise GitError(_first_line(done.stderr, args, done.returncode))
    return done.stdout


@dataclass(frozen=True)
class Repository:
    top: Path  # the root of the working tree
    shallow: bool


def repository(where: Path) -> Repository:
    """The repository `where` is in; `GitError` when it is in none."""
    if not where.is_dir():
        raise GitError(f"{where} is not a folder")
    out = git(where, "rev-parse", "--show-toplevel", "--is-shallow-repository").decode(
        "utf-8", "replace").splitlines()
    if len(out) != 2:
        raise GitError("not inside the working tree of a git repository")
    return Repository(Path(out[0]), out[1].strip() == "true")


@dataclass(frozen=True)
class Entry:
    """One file in the raw diff of a commit (or of two trees).

    `old_blobs` and `old_paths` have one item per parent (one, except for a merge); a blob of
    `NULL_BLOB` means the file is absent on that side (or, on the new side of a diff against
    the working tree, that git did not hash it).
    """

    status: str  # A M D R T, or one letter per parent for a merge
    old_paths: tuple[str, ...]
    old_blobs: tuple[str, ...]
    path: str
    blob: str
    mode: str

    @property
    def deleted(self) -> bool:
        return self.blob == NULL_BLOB and self.mode == "000000"


def _entries(tokens: Iterator[str], first: str) -> tuple[Entry, str | None]:
    """The entry whose metadata token is `first`, and the token after it (or None at the end)."""
    parents = len(first) - len(first.lstrip(":"))
    fields = first[parents:].split(" ")
    modes, status = fields[:parents + 1], fields[-1]
    # All zeros (40 of them, or 64 in a SHA-256 repository): no file on that side.
    blobs = [blob if blob.strip("0") else NULL_BLOB for blob in fields[parents + 1:2 * parents + 2]]
    if parents == 1:
        letter = status[:1]
        paths = [next(tokens)] + ([next(tokens)] if letter in "RC" else [])
        old_path, path = paths[0], paths[-1]
        return Entry(letter, (old_path,), (blobs[0],), path, blobs[1], modes[1]), next(tokens, None)
    names = [next(tokens) for _ in range(parents + 1)]
    return Entry(status, tuple(names[:parents]), tuple(blobs[:parents]), names[-1], blobs[-1],
                 modes[-1]), next(tokens, None)


def raw_entries(tokens: Iterator[str], token: str | None) -> tuple[list[Entry], str | None]:
    """The entries starting at `token`, up to the first token that is not one."""
    found: list[Entry] = []
    while token is not None:
        token = token.lstrip("\n")
        if not token:  # (a merge's combined diff starts after an empty field)
            token = next(tokens, None)
            continue
        if not token.startswith(":"):
            break
        entry, token = _entries(tokens, token)
        found.append(entry)
    return found, token


def tokens_of(output: bytes) -> Iterator[str]:
    """The NUL-separated fields of `-z` output, as text."""
    return iter(output.decode("utf-8", "replace").split("\0"))


def _first_line(stderr: bytes, args: Sequence[str], code: int) -> str:
    command = next((a for a in args if not a.startswith("-")), "")
    lines = stderr.decode("utf-8", "replace").strip().splitlines() or [
        f"git {command} failed with exit code {code}"]
    return lines[0].removeprefix("fatal: ").removeprefix("error: ")


def _start(cwd: Path, args: Sequence[str], **pipes: Any) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(["git", *_CONFIG, *args], cwd=cwd, env=_environment(), **pipes)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except OSError as exc:
        raise GitError(f"git could not be run: {exc.strerror}") from None


@contextmanager
def streamed(cwd: Path, *args: str) -> Iterator[Iterator[str]]:
    """The NUL-separated fields of `git args` (run with `-z`) as git writes them: the caller
    works on the first while git makes the rest, on the other core. `GitError` at the end
    when git failed."""
    with tempfile.TemporaryFile() as stderr:  # read once git is done: a pipe could fill
        process = _start(cwd, args, stdout=subprocess.PIPE, stderr=stderr)
        assert process.stdout is not None
        try:
            yield _fields(process.stdout)
            process.stdout.close()
            if process.wait():
                stderr.seek(0)
                raise GitError(_first_line(stderr.read(), args, process.returncode))
        finally:
            if process.poll() is None:  # the caller stopped early
                process.kill()
                process.wait()
            process.stdout.close()


def _fields(stdout: IO[bytes]) -> Iterator[str]:
    pending = b""
    while chunk := stdout.read1(1 << 16):  # type: ignore[attr-defined]  # a BufferedReader
        *complete, pending = (pending + chunk).split(b"\0")
        yield from (field.decode("utf-8", "replace") for field in complete)
    if pending:
        yield pending.decode("utf-8", "replace")


class CatFile:
    """One `git cat-file --batch` for every blob read while the log is read."""

    # Ids written before the contents are read: they fit in the pipe to git whatever the size
    # of the contents (git may wait to write those until we read them).
    BATCH = 500

    def __init__(self, cwd: Path) -> None:
        self._process = _start(cwd, ("cat-file", "--batch"), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def __enter__(self) -> CatFile:
        return self

    def __exit__(self, *exc: object) -> None:
        process = self._process
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                pipe.close()
        # (Killed by SIGPIPE when closed early: then the caller's error is the one to report.)
        if process.wait(timeout=60) > 0 and exc[0] is None:
            raise GitError(f"git cat-file failed with exit code {process.returncode}")

    def read(self, blobs: Iterable[str]) -> dict[str, bytes]:
        """The contents of `blobs`; a blob missing from this clone is left out."""
        wanted = list(dict.fromkeys(b for b in blobs if b != NULL_BLOB))
        found: dict[str, bytes] = {}
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None
        for start in range(0, len(wanted), self.BATCH):
            batch = wanted[start:start + self.BATCH]
            try:
                stdin.write("".join(f"{b}\n" for b in batch).encode())
                stdin.flush()
            except BrokenPipeError:
                raise GitError("git cat-file stopped") from None
            for _ in batch:
                header = stdout.readline().decode("ascii", "replace").split()
                if not header:
                    raise GitError("git cat-file stopped")
                if len(header) == 3:  # else `<id> missing`
                    found[header[0]] = stdout.read(int(header[2]) + 1)[:-1]
        return found


def read_blobs(cwd: Path, blobs: Iterable[str]) -> dict[str, bytes]:
    """The contents of `blobs`, by one `git cat-file --batch`; missing ones are left out."""
    wanted = sorted({b for b in blobs if b != NULL_BLOB})
    if not wanted:
        return {}
    output = git(cwd, "cat-file", "--batch", stdin="".join(f"{b}\n" for b in wanted).encode())
    found: dict[str, bytes] = {}
    at = 0
    while at < len(output):
        end = output.index(b"\n", at)
        header = output[at:end].decode("ascii", "replace").split(" ")
        at = end + 1
        if len(header) != 3:  # `<id> missing`: not in this clone
            continue
        size = int(header[2])
        found[header[0]] = output[at:at + size]
        at += size + 1  # the content is followed by a newline
    return found


def paths_in(cwd: Path, args: Sequence[str]) -> list[str]:
    """The paths a `-z` listing command (ls-files, status) prints, one per NUL."""
    return [p for p in git(cwd, *args).decode("utf-8", "replace").split("\0") if p]
