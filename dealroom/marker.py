"""The marker of a records folder: a build from a folder without it would publish an empty room.

A wrong `deals_dir`, a folder not mounted or not checked out, all look like a room with no deal
to MkDocs; the marker file tells a records folder from any other folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from dealroom.errors import Problem

MARKER_NAME = ".dealroom"


def check_marker(deals_dir: Path) -> str | None:
    """A problem message (`file:line:col: field: message (fix: ...)`) if `deals_dir` is not a
    marked records folder; None if it is."""
    marker = deals_dir / MARKER_NAME
    if deals_dir.is_symlink() and not deals_dir.exists():
        return str(Problem(deals_dir, 1, 1, "", "the deals folder is a symbolic link that leads "
                           "back to itself or to nothing",
                           "point `deals_dir` at the records folder itself, or mend the link"))
    if not deals_dir.is_dir():
        return str(Problem(deals_dir, 1, 1, "", "the deals folder does not exist",
                           "check the plugin's `deals_dir` option, or that the folder is there"))
    if not marker.is_file():
        return str(Problem(marker, 1, 1, "",
                           "this folder is not marked as deal records: nothing would be published",
                           f"check that `deals_dir` names the records folder; if it does, "
                           f"add a {MARKER_NAME} file to it and commit it with the records"))
    return None


def link_to_records(docs_dir: Path, deals_dir: Path) -> Path | None:
    """A symbolic link in `docs_dir` that leads into the records folder (or to a folder holding
    it): MkDocs follows links, and would publish the raw records through it. None if none does."""
    records = deals_dir.resolve()
    for root, folders, names in os.walk(docs_dir):  # links to folders are not walked into
        for name in [*folders, *names]:
            path = Path(root, name)
            if not path.is_symlink():
                continue
            try:
                target = path.resolve()
            except (OSError, RuntimeError):  # a loop of links: MkDocs reports it
                continue
            if target.is_relative_to(records) or records.is_relative_to(target):
                return path
    return None
