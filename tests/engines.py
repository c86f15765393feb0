"""Building the example room with other engines than this environment's `mkdocs`."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from test_example_room import SEED_FACTS, page_text

# What a room is made of: its configuration, its records and pages, its theme overrides.
ROOM_PARTS = ("mkdocs.yml", "content", "site_overrides")


def copy_example_room(into: Path) -> Path:
    """The repository's example room, copied to `into` (created), ready to build there."""
    into.mkdir(parents=True, exist_ok=True)
    for name in ROOM_PARTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, into / name)
        else:
            shutil.copy(source, into / name)
    return into


def installed(module: str) -> bool:
    """True if `module` can be imported in this environment (an engine that is installed)."""
    return importlib.util.find_spec(module) is not None


def command(name: str) -> str:
    """A command installed beside this environment's Python (its venv's `bin`)."""
    return str(Path(sys.executable).parent / name)


def run(*args: str, cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run a command as a user would, with the environment the MkDocs tests build in."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1022112000"}
    env.pop("PYTHONPATH", None)  # the command imports what its own environment installed
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def missing_seed_facts(site: Path) -> list[str]:
    """Every seed fact not shown on its deal page of a built `site`, as `page: fact`."""
    missing = []
    for page, facts in SEED_FACTS.items():
        try:
            text = page_text(site, page)
        except (OSError, ValueError) as error:  # no such page, or no article in it
            missing.append(f"{page or 'overview'}: {error}")
            continue
        missing += [f"{page or 'overview'}: {fact}" for fact in facts if fact not in text]
    return missing
