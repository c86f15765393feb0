"""Smoke test of scripts/benchmark.py: a room of two deals, built both ways, reported."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_benchmark_builds_two_deals_both_ways_and_prints_the_table() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "benchmark.py"), "--sizes", "2"],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("| Deals |"))
    for column in ("Pages", "Ratio a/b", "Plugin hooks", "Peak memory", "Site size",
                   "Time per page", "`dealroom validate`"):
        assert column in header
    row = next(line for line in lines if line.startswith("| 2 |")).split("|")
    assert row[2].strip() == "17"  # home, all deals, about, and 7 pages for each deal
    assert float(row[4]) > 0  # the ratio of the plugin's build to the baseline's
    assert "on_post_build" in result.stdout  # the time of each plugin hook
