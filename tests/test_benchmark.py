"""Smoke test of scripts/benchmark.py: a room of two deals, built both ways, and the same room as a
git repository built with and without its history, reported. One run of the script holds both."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def report() -> str:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "benchmark.py"), "--sizes", "2",
                             "--history", "30"],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_benchmark_prints_a_summary_line_with_the_measured_figures(report: str) -> None:
    [line] = [line for line in report.splitlines() if line.startswith("N=2 pages=")]
    summary = re.fullmatch(r"N=2 pages=(\d+) wall_ratio=([\d.]+) cpu_ratio=([\d.]+) "
                           r"plugin_cpu_s=([\d.]+) peak_mb=(\d+)", line)
    assert summary, report
    pages, wall_ratio, cpu_ratio, _, peak_mb = summary.groups()
    assert pages == "20"  # home, all deals, recent changes, about, and 8 pages for each deal
    # The plugin does more than the plain build of the same pages, and it is measured.
    assert float(wall_ratio) > 0.5 and float(cpu_ratio) > 1.0 and int(peak_mb) > 20
    assert "| on_post_build |" in report  # the CPU time of each plugin hook
    # The whole-deal pages are bound from their sections' pages, hooks timed or not.
    assert "N=2: dealroom: 2 of 2 whole-deal pages bound" in report


def test_benchmark_measures_what_history_adds_on_a_real_repository(report: str) -> None:
    line = re.fullmatch(r"N=2 commits=30 history_wall_ratio=([\d.]+) history_cpu_ratio=([\d.]+) "
                        r"history_wall_s=(-?[\d.]+)", report.splitlines()[-1])
    assert line, report
    assert 0.5 < float(line[1]) < 3 and 0.5 < float(line[2]) < 3
