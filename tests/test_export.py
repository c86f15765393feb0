"""`dealroom export` writes the room as a plain project; `dealroom scan` guards any built site."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import EXAMPLE_SLUG, EXAMPLE_SLUGS, RAW_ACCOUNT_NUMBERS, ROOT, Room, no_raw_number
from dealroom.marker import MARKER_NAME


def dealroom(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = str(Path(sys.executable).parent / "dealroom")
    return subprocess.run([command, *args], cwd=cwd, capture_output=True, text=True, check=False,
                          timeout=60)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_exports_of_a_room_are_byte_identical(tmp_path: Path) -> None:
    assert dealroom("export", str(tmp_path / "one"), cwd=ROOT).returncode == 0
    assert dealroom("export", str(tmp_path / "two"), cwd=ROOT).returncode == 0
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_an_export_holds_every_page_and_no_raw_number_nor_record(tmp_path: Path) -> None:
    result = dealroom("export", str(tmp_path / "out"), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    files = tree(tmp_path / "out")
    assert {"mkdocs.yml", "zensical.toml", "docs/index.md", "docs/about.md", "docs/deals/index.md",
            f"docs/deals/{EXAMPLE_SLUG}/instructions.md", "site_overrides/main.html"} <= set(files)
    assert not [path for path in files if path.endswith(("deal.yml", MARKER_NAME))]
    assert [path for path, data in files.items() if not no_raw_number(data.decode("utf-8", "replace"))] == []


def test_a_hand_written_page_is_exported_redacted(make_room: Callable[..., Room], tmp_path: Path) -> None:
    room = make_room()
    (room.path / "content" / "pages" / "wire.md").write_text("Send to A/C 066.198.038\n", encoding="utf-8")
    assert dealroom("export", str(tmp_path / "out"), cwd=room.path).returncode == 0
    text = (tmp_path / "out" / "docs" / "wire.md").read_text(encoding="utf-8")
    assert no_raw_number(text) and "8038" in text


def test_the_exported_mkdocs_yml_builds_without_the_plugin(tmp_path: Path) -> None:
    assert dealroom("export", str(tmp_path / "out"), cwd=ROOT).returncode == 0
    config = (tmp_path / "out" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "dealroom:\n    banner:" in config and "- dealroom" not in config
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=tmp_path / "out",
                           capture_output=True, text=True, check=False, timeout=120)
    assert built.returncode == 0, built.stderr
    result = dealroom("scan", str(tmp_path / "out" / "site"), "--deals", "content/deals", cwd=ROOT)
    assert result.returncode == 0 and result.stdout.count("\n") == 1, result.stderr


def test_export_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine\n")
    result = dealroom("export", str(tmp_path / "out"), cwd=ROOT)
    assert result.returncode == 1 and "not empty" in result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["keep.txt"]


def test_export_of_a_bad_record_exits_1_with_one_line_and_writes_nothing(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room = make_room()
    room.edit("status: signed", "status: sold")
    result = dealroom("export", str(tmp_path / "out"), cwd=room.path)
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"dealroom: content/deals/{EXAMPLE_SLUG}/deal.yml:") and "status" in line
    assert no_raw_number(result.stderr) and not (tmp_path / "out").exists()


def test_scan_names_file_and_field_of_a_planted_number_and_never_prints_it(
        example_site: Path, tmp_path: Path) -> None:
    site = shutil.copytree(example_site, tmp_path / "site")
    (site / "about" / "wire.txt").write_text(f"Send to A/C {RAW_ACCOUNT_NUMBERS[0]}\n")
    result = dealroom("scan", str(site), "--deals", "content/deals", cwd=ROOT)
    assert result.returncode == 1
    assert "about/wire.txt: raw account number" in result.stderr and "field" in result.stderr
    assert no_raw_number(result.stdout + result.stderr)
    assert not (site / "about" / "wire.txt").exists()  # removed: no server publishes it


def test_scan_passes_the_example_site(example_site: Path) -> None:
    result = dealroom("scan", str(example_site), "--deals", "content/deals", cwd=ROOT)
    assert (result.returncode, result.stdout) == (
        0, f"{example_site}: no raw account number of {len(EXAMPLE_SLUGS)} deal(s) found\n")


def test_scan_refuses_a_site_without_the_rooms_deal_pages(example_site: Path, tmp_path: Path) -> None:
    site = shutil.copytree(example_site, tmp_path / "site")
    shutil.rmtree(site / "deals" / EXAMPLE_SLUG)
    result = dealroom("scan", str(site), "--deals", "content/deals", cwd=ROOT)
    assert result.returncode == 1 and f"deals/{EXAMPLE_SLUG}/index.html: missing" in result.stderr


def test_a_records_folder_without_its_marker_fails_the_build(make_room: Callable[..., Room]) -> None:
    room = make_room()
    (room.deals / MARKER_NAME).unlink()
    result = room.build()
    assert result.returncode == 1
    assert "dealroom: " in result.stderr and "is not marked as deal records" in result.stderr
    assert not room.site.exists()


def test_validate_export_and_scan_refuse_a_folder_without_its_marker(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room = make_room()
    (room.deals / MARKER_NAME).unlink()
    for args in (["validate", "content/deals"], ["export", str(tmp_path / "out")],
                 ["scan", str(tmp_path), "--deals", "content/deals"]):
        result = dealroom(*args, cwd=room.path)
        assert result.returncode == 1 and "is not marked as deal records" in result.stderr, args


def test_export_refuses_a_number_in_the_settings_or_the_theme_overrides(
        make_room: Callable[..., Room], tmp_path: Path) -> None:
    room = make_room()
    config = room.path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "site_description: Financing deals", "site_description: Wires go to 066-198038. Financing deals"),
        encoding="utf-8")
    (room.path / "site_overrides" / "x.html").write_text("<!-- 066198038 -->\n", encoding="utf-8")
    result = dealroom("export", str(tmp_path / "out"), cwd=room.path)
    assert result.returncode == 1 and not (tmp_path / "out").exists()
    assert "mkdocs.yml: raw account number" in result.stderr
    assert "site_overrides/x.html: raw account number" in result.stderr
    assert no_raw_number(result.stderr)
