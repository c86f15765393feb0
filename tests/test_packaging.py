"""The package as released: built to a wheel and an sdist, installed into a fresh venv from the
wheel (its dependencies from the package index), and building the example room there."""

from __future__ import annotations

import re
import sys
import tarfile
import tomllib
import zipfile
from dataclasses import dataclass
from importlib.metadata import entry_points, version
from pathlib import Path

import pytest

import dealroom
from conftest import EXAMPLE_SLUG, EXAMPLE_SLUGS, ROOT, building_in_the_repository
from dealroom.plugin import DealroomPlugin
from engines import copy_example_room, run

# A line of build or install output that warns about the license (setuptools' deprecation of
# a `license` table, of license classifiers, a missing license file...).
LICENSE_WARNING = re.compile(r"(?i)^.*(?:warn|deprecat).*licen.*$|^.*licen.*(?:warn|deprecat).*$", re.M)
# Runs in the normal suite; `-m "not install"` leaves these out where no package index is reached.
install_from_index = pytest.mark.install


@dataclass(frozen=True)
class Release:
    wheel: Path
    sdist: Path
    output: str  # what `python -m build` printed


@dataclass(frozen=True)
class Install:
    venv: Path
    output: str  # what `venv` and `pip install` printed

    def command(self, name: str) -> str:
        return str(self.venv / "bin" / name)


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Release:
    """`python -m build`: an sdist, then a wheel built from that sdist, as a release is made."""
    dist = tmp_path_factory.mktemp("dist")
    with building_in_the_repository(tmp_path_factory):  # it writes the egg-info there
        result = run(sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT), cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    [wheel] = dist.glob("*.whl")
    [sdist] = dist.glob("*.tar.gz")
    return Release(wheel, sdist, result.stdout + result.stderr)


@pytest.fixture(scope="module")
def install(release: Release, tmp_path_factory: pytest.TempPathFactory) -> Install:
    """A fresh venv with the wheel installed by the venv's own pip."""
    venv = tmp_path_factory.mktemp("installed") / "venv"
    made = run(sys.executable, "-m", "venv", str(venv), cwd=venv.parent)
    assert made.returncode == 0, made.stderr
    # --no-compile: the bytecode is written when the commands first import the modules.
    pip = run(str(venv / "bin" / "python"), "-m", "pip", "install", "--no-compile", str(release.wheel),
              cwd=venv.parent, timeout=300)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    return Install(venv, made.stdout + made.stderr + pip.stdout + pip.stderr)


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


def test_the_version_is_written_once_in_the_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert version("dealroom") == dealroom.__version__


@install_from_index
def test_the_release_builds_without_a_warning(release: Release) -> None:
    assert not LICENSE_WARNING.findall(release.output)
    # `python -m build` prints what the build backend warns about as `WARNING ...` lines.
    assert not re.findall(r"^WARNING.*$", release.output, re.M)


@install_from_index
def test_the_wheel_ships_the_templates_the_typing_marker_and_the_license(release: Release) -> None:
    with zipfile.ZipFile(release.wheel) as wheel:
        names = set(wheel.namelist())
        [metadata] = [n for n in names if n.endswith(".dist-info/METADATA")]
        fields = wheel.read(metadata).decode("utf-8")
    templates = {p.relative_to(ROOT).as_posix() for p in (ROOT / "dealroom" / "templates").glob("*.j2")}
    assert templates and templates <= names
    assert "dealroom/py.typed" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert re.search(r"^License-Expression: MIT$", fields, re.M)
    assert re.search(rf"^Version: {re.escape(dealroom.__version__)}$", fields, re.M)
    assert not re.search(r"^Classifier: License ::", fields, re.M)  # the expression says it


@install_from_index
def test_the_sdist_carries_the_license_and_the_templates(release: Release) -> None:
    with tarfile.open(release.sdist) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"LICENSE", "pyproject.toml", "README.md", "dealroom/py.typed",
            "dealroom/templates/terms.md.j2"} <= names


@install_from_index
def test_installing_the_wheel_prints_no_license_warning(install: Install) -> None:
    assert not LICENSE_WARNING.findall(install.output)


@install_from_index
def test_the_installed_command_validates_the_example_records(install: Install, tmp_path: Path) -> None:
    room = copy_example_room(tmp_path / "room")
    result = run(install.command("dealroom"), "validate", "content/deals", cwd=room)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{len(EXAMPLE_SLUGS)} deal record(s) valid"


@install_from_index
def test_the_installed_wheel_builds_the_example_room(install: Install, tmp_path: Path) -> None:
    room = copy_example_room(tmp_path / "room")
    result = run(install.command("mkdocs"), "build", "--strict", cwd=room)
    assert result.returncode == 0, result.stderr
    assert not LICENSE_WARNING.findall(result.stdout + result.stderr)
    deal = room / "site" / "deals" / EXAMPLE_SLUG
    assert "Omicron Partners" in (deal / "index.html").read_text(encoding="utf-8")
    assert "333-53108" in (deal / "terms" / "index.html").read_text(encoding="utf-8")
    # The plugin that ran is the wheel's, not this checkout's.
    where = run(install.command("python"), "-c", "import dealroom; print(dealroom.__file__)", cwd=room)
    assert Path(where.stdout.strip()).is_relative_to(install.venv), where.stdout + where.stderr
