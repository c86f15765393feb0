"""Zensical builds a room only from an export: it runs no MkDocs plugin, ours included.

Zensical reads mkdocs.yml but drops, without a word, every plugin it does not implement itself
(zensical/config.py, `_convert_plugins`). `dealroom export OUT` is to write a room it can build:
the generated pages, already masked, with a zensical.toml beside them."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLE_SLUG, RAW_ACCOUNT_NUMBERS, ROOT, digits_pattern, site_text
from engines import command, copy_example_room, installed, missing_seed_facts, run

pytestmark = pytest.mark.skipif(not installed("zensical"),
                                reason="zensical is not installed (pip install -e '.[test]')")


def dealroom(*args: str, cwd: Path) -> tuple[int, str]:
    result = run(command("dealroom"), *args, cwd=cwd)
    return result.returncode, result.stdout + result.stderr


@pytest.fixture(scope="module")
def mkdocs_yml_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example room as `zensical build -f mkdocs.yml` builds it (whatever its exit code)."""
    room = copy_example_room(tmp_path_factory.mktemp("zensical") / "room")
    run(command("zensical"), "build", "-f", "mkdocs.yml", cwd=room)
    return room / "site"


def test_zensical_reading_mkdocs_yml_skips_the_plugin_and_publishes_no_deal(mkdocs_yml_site: Path) -> None:
    # Today it also exits 0 and reports no issue: a room with its About page and nothing else.
    assert (mkdocs_yml_site / "about" / "index.html").is_file()  # it did build
    assert not (mkdocs_yml_site / "deals").exists() and not (mkdocs_yml_site / "index.html").exists()
    assert not [p for p, text in site_text(mkdocs_yml_site).items() if "Omicron" in text]


def test_the_scan_refuses_a_site_built_without_the_plugin(mkdocs_yml_site: Path) -> None:
    code, output = dealroom("scan", str(mkdocs_yml_site), "--deals", "content/deals", cwd=ROOT)
    assert code == 1 and "index.html: missing" in output, output
    assert len(output.splitlines()) == 1 and "Traceback" not in output


def test_our_theme_overrides_keep_zensicals_own_search_box_and_name_its_dialog(mkdocs_yml_site: Path) -> None:
    # A copy of Material's search partial in site_overrides/ replaced Zensical's: an unstyled form.
    page = (mkdocs_yml_site / "about" / "index.html").read_text(encoding="utf-8")
    search = page[page.index('<div class="md-search"'):]
    search = search[: search.index("</div>")]
    assert 'role="dialog" aria-label="Search"' in search
    assert 'class="md-search__button"' in search and "md-search__input" not in search


def test_an_exported_room_builds_with_zensical_passes_the_scan_and_shows_every_seed_fact(
        tmp_path: Path) -> None:
    room = copy_example_room(tmp_path / "room")
    out = tmp_path / "out"
    code, output = dealroom("export", str(out), cwd=room)
    assert code == 0, output
    assert (out / "mkdocs.yml").is_file() and (out / "zensical.toml").is_file()
    assert [p for p in (out / "docs").rglob("*.md")], "no page exported"
    # The export is published material too: masked before it is written.
    for path, text in site_text(out).items():
        for number in RAW_ACCOUNT_NUMBERS:
            assert not digits_pattern(number).search(text), f"{number} in {path}"

    built = run(command("zensical"), "build", "--strict", cwd=out)
    assert built.returncode == 0, built.stdout + built.stderr
    code, output = dealroom("scan", str(out / "site"), "--deals", "content/deals", cwd=room)
    assert code == 0, output
    assert (out / "site" / "deals" / EXAMPLE_SLUG / "index.html").is_file()
    assert missing_seed_facts(out / "site") == []
