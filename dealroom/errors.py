"""The one error type every stage raises for bad input, and its stable one-line format."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


def _display(file: Path) -> Path:
    """A path relative to the working directory when under it: what editors and CI expect."""
    try:
        cwd = Path.cwd()
        try:
            return file.resolve().relative_to(cwd)
        except (OSError, RuntimeError):  # a loop of links (Python 3.11 raises RuntimeError)
            return Path(os.path.abspath(file)).relative_to(cwd)
    except (ValueError, OSError):  # not under it, or no working directory
        return file


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")


def field_name(path: Iterable[str | int]) -> str:
    """`('parties', 0, 'name')` -> `parties[0].name`: the form our messages use."""
    text = ""
    for part in path:
        if isinstance(part, int) or not _PLAIN_KEY.fullmatch(part):
            # An odd key (a line break, a space) is quoted: the message stays on one line.
            text += f"[{part}]" if isinstance(part, int) else f"[{part!r}]"
        else:
            text += f".{part}" if text else part
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a record: where it is, what is wrong, and how to fix it."""

    file: Path
    line: int
    column: int
    field: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        # `path:line:column: field: message` is what editors and CI annotators parse.
        where = f"{_display(self.file)}:{self.line}:{self.column}"
        text = f"{self.message} (fix: {self.fix})" if self.fix else self.message
        return _printable(f"{where}: {self.field or '<record>'}: {text}")


def _printable(text: str) -> str:
    """Each character that does not print (a line break or a bidi control in a folder's name,
    say) as its escape, as `repr` writes it: a problem stays one line, and reads as written."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


class RecordError(Exception):
    """Raised with every problem found, so a user fixes them all in one pass."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (str(p.file), p.line, p.column, p.field))
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: Path, message: str, fix: str = "", line: int = 1, column: int = 1,
               field: str = "") -> RecordError:
        return cls([Problem(file, line, column, field, message, fix)])
