"""Real git repositories of deal records in temporary folders, with commits at set dates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import EXAMPLE_DEAL

EXAMPLE_TEXT = (EXAMPLE_DEAL / "deal.yml").read_text(encoding="utf-8")


def run_git(cwd: Path, *args: str, date: str = "2024-01-02T10:00:00+00:00",
            author: str = "Ann Author") -> str:
    # No user or system configuration: signing or hooks set up on this machine stay out.
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", "-c", f"user.name={author}", "-c", "user.email=deals@example.com",
                           *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


class Repo:
    """A repository whose deals folder is `content/deals`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        run_git(path, "init", "-q", "-b", "main")

    @property
    def deals(self) -> Path:
        return self.path / "content" / "deals"

    def record(self, slug: str) -> Path:
        return self.deals / slug / "deal.yml"

    def write(self, slug: str, text: str = EXAMPLE_TEXT) -> Path:
        record = self.record(slug)
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(text, encoding="utf-8")
        return record

    def edit(self, slug: str, old: str, new: str) -> None:
        text = self.record(slug).read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in the record"
        self.write(slug, text.replace(old, new, 1))

    def commit(self, message: str, date: str = "2024-01-02T10:00:00+00:00",
               author: str = "Ann Author") -> str:
        run_git(self.path, "add", "-A")
        run_git(self.path, "commit", "-q", "-m", message, date=date, author=author)
        return run_git(self.path, "rev-parse", "HEAD").strip()

    def git(self, *args: str, date: str = "2024-01-02T10:00:00+00:00") -> str:
        return run_git(self.path, *args, date=date)
