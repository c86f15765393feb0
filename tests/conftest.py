"""Shared fixtures: real MkDocs builds of real rooms in temporary folders."""

from __future__ import annotations

import copy
import fcntl
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_SLUG = "neotherapeutics-omicron-2002"
EXAMPLE_DEAL = ROOT / "content" / "deals" / EXAMPLE_SLUG
# Every deal of the example room: the seed and the seven other real agreements.
EXAMPLE_SLUGS = tuple(sorted(p.parent.name for p in (ROOT / "content" / "deals").glob("*/deal.yml")))
# The seed's account numbers as written in the agreement. They must never reach a site.
RAW_ACCOUNT_NUMBERS = ("066-198038", "561-04051-19-103", "1233932118", "313-12878")


BUILD_EPOCH = "1022112000"  # the day tests build as of: 2002-05-23


def mkdocs(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the real `mkdocs` command of this environment."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": BUILD_EPOCH}
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def digits_pattern(number: str) -> re.Pattern[str]:
    """A raw number with any (or no) separators between its digits: an independent check."""
    digits = [ch for ch in number if ch.isdigit()]
    return re.compile(r"(?<!\d)" + r"[\s\-./]*".join(digits) + r"(?!\d)")


def no_raw_number(text: str) -> bool:
    return not any(digits_pattern(number).search(text) for number in RAW_ACCOUNT_NUMBERS)


def benchmark_script() -> ModuleType:
    """scripts/benchmark.py, for its synthetic rooms (valid, rich records)."""
    spec = importlib.util.spec_from_file_location("benchmark", ROOT / "scripts" / "benchmark.py")
    assert spec and spec.loader
    module = sys.modules.setdefault("benchmark", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)
    return module


def value_paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every value in loaded record data, containers included (root excluded)."""
    if path:
        yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from value_paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from value_paths(value, (*path, index))


def value_at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def with_value(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A deep copy of record data with the value at `path` replaced."""
    changed = copy.deepcopy(data)
    value_at(changed, path[:-1])[path[-1]] = value
    return changed


def site_text(site: Path) -> dict[Path, str]:
    return {p: p.read_bytes().decode("utf-8", errors="replace")
            for p in sorted(site.rglob("*")) if p.is_file()}


@dataclass
class Room:
    """A deal room in a temporary folder: mkdocs.yml, content/pages, content/deals."""

    path: Path

    @property
    def deals(self) -> Path:
        return self.path / "content" / "deals"

    @property
    def site(self) -> Path:
        return self.path / "site"

    def record(self, slug: str = EXAMPLE_SLUG) -> Path:
        return self.deals / slug / "deal.yml"

    def edit(self, old: str, new: str, slug: str = EXAMPLE_SLUG) -> None:
        record = self.record(slug)
        text = record.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in the record"
        record.write_text(text.replace(old, new, 1), encoding="utf-8")

    def add_deal(self, slug: str, text: str) -> Path:
        folder = self.deals / slug
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "deal.yml").write_text(text, encoding="utf-8")
        return folder / "deal.yml"

    def build(self, *extra: str) -> subprocess.CompletedProcess[str]:
        return mkdocs("build", "--strict", *extra, cwd=self.path)

    def page(self, name: str, slug: str = EXAMPLE_SLUG) -> str:
        path = self.site / "deals" / slug / name / "index.html" if name else \
            self.site / "deals" / slug / "index.html"
        return path.read_text(encoding="utf-8")


@pytest.fixture
def make_room(tmp_path: Path) -> Callable[..., Room]:
    """A copy of the example room; `plugin_options` replace the dealroom plugin's options."""

    def make(plugin_options: str | None = None, with_example: bool = True) -> Room:
        room = Room(tmp_path / "room")
        (room.path / "content" / "pages").mkdir(parents=True)
        shutil.copytree(ROOT / "site_overrides", room.path / "site_overrides")
        shutil.copy(ROOT / "content" / "pages" / "about.md", room.path / "content" / "pages")
        room.deals.mkdir(parents=True)
        shutil.copy(ROOT / "content" / "deals" / ".dealroom", room.deals)
        if with_example:
            shutil.copytree(EXAMPLE_DEAL, room.deals / EXAMPLE_SLUG)
        config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
        if plugin_options is not None:
            config = config[: config.index("  - dealroom:")] + "  - dealroom:\n" + plugin_options
        (room.path / "mkdocs.yml").write_text(config, encoding="utf-8")
        return room

    return make


@contextmanager
def building_in_the_repository(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Held while a test builds in the repository itself (its `.cache/`, its egg-info), so the
    processes of a parallel run (pytest-xdist) never build there at once. Yields a folder the
    processes of this run share."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # each worker's base folder is in the run's own
    with (shared / "repository-build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield shared
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own example room, built once with the repository's mkdocs.yml (in the
    repository: its history pages read its git history), and shared by a parallel run's processes."""
    with building_in_the_repository(tmp_path_factory) as shared:
        site = shared / "example-site"
        if not site.is_dir():
            building = shared / "example-site.building"
            result = mkdocs("build", "--strict", "--site-dir", str(building), cwd=ROOT)
            assert result.returncode == 0, result.stderr
            building.rename(site)
    return site
