"""Installing the package provides the MkDocs plugin and the `dealroom` command."""

from __future__ import annotations

import tomllib
from importlib.metadata import entry_points

from conftest import ROOT
from dealroom.plugin import DealroomPlugin


def test_the_plugin_is_registered_as_dealroom_for_mkdocs() -> None:
    [entry] = entry_points(group="mkdocs.plugins", name="dealroom")
    assert entry.load() is DealroomPlugin


def test_the_dealroom_command_is_installed() -> None:
    [entry] = entry_points(group="console_scripts", name="dealroom")
    assert entry.value == "dealroom.cli:main"


def test_mkdocs_and_material_are_pinned_to_the_versions_that_keep_working() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "mkdocs>=1.6,<2" in project["dependencies"]
    assert "mkdocs-material>=9.5,<10" in project["dependencies"]


def test_the_layout_is_in_place() -> None:
    for name in ("mkdocs.yml", "pyproject.toml", "dealroom", "content", "tests", "site_overrides"):
        assert (ROOT / name).exists(), name
