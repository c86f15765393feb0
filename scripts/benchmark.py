"""Benchmark: build synthetic rooms of N deals with the plugin and as hand-written pages.

    python scripts/benchmark.py [--sizes 1,10,100,1000] [--repeat 1] [--serve 1000]

For each N it generates a room (deterministic seed; every record as rich as the example and
valid), builds it (a) with the dealroom plugin, from a cold cache, and (b) as the baseline:
the very Markdown pages and nav the plugin generated, written to a plain docs folder and
built by MkDocs with the same theme and the plugin off. Each build runs in its own process:
CPU time counts the process and every process it started, reaped; peak memory is per build.
The plugin's own CPU is the CPU time spent in its hooks, timed inside the child. A warm
rebuild (the same room again, cache folder kept, as a CI job that keeps `.cache/`) is timed too.
`--history COMMITS` builds the largest room again as a git repository of COMMITS commits
(scripts/bench_history.py's fast-import), with its history pages and with `history: false`,
and prints what history adds. `--serve N` times `mkdocs serve --dirty --livereload` on a room
of N deals: five edits of one record, each until the changed page is served; the median counts.

The last lines are one summary per size, to compare from run to run:
    N=1000 pages=7003 wall_ratio=1.04 cpu_ratio=1.09 plugin_cpu_s=2.1 peak_mb=410 serve_edit_s=1.3
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = 20020605
HOOKS = ("on_config", "on_pre_build", "on_files", "on_page_markdown", "on_page_content", "on_page_context",
         "on_post_build")

# The child process: times every hook of the plugin, builds, reports JSON on stdout's last line.
_CHILD = """
import functools, json, logging, resource, sys, time
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import CombinedEvent
from dealroom.plugin import DealroomPlugin
hooks = {}
def timed(name, method):
    @functools.wraps(method)  # keeps the method's priority
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return method(*args, **kwargs)
        finally:
            hooks[name] = hooks.get(name, 0.0) + time.process_time() - start
    return wrapper
for name in sys.argv[3].split(","):
    event = DealroomPlugin.__dict__.get(name)
    if isinstance(event, CombinedEvent):  # several methods, each with its priority
        setattr(DealroomPlugin, name, CombinedEvent(*(timed(name, m) for m in event.methods)))
    elif event is not None:
        setattr(DealroomPlugin, name, timed(name, event))
logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
logging.root.handlers[0].setLevel(logging.WARNING)
notes = []  # the plugin's account of the whole-deal pages it bound, and of its processes (debug)
class Bound(logging.Handler):
    def emit(self, record):
        if "whole-deal pages bound" in record.getMessage() or "other process" in record.getMessage():
            notes.append(record.getMessage())
logging.getLogger("mkdocs.plugins.dealroom").addHandler(Bound())
logging.getLogger("mkdocs.plugins.dealroom").setLevel(logging.DEBUG)
start = time.perf_counter()
config = load_config(config_file=sys.argv[1], site_dir=sys.argv[2], strict=True)
config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does
try:
    build(config)
finally:
    config.plugins.on_shutdown()  # the plugin's processes stopped and reaped
usage = resource.getrusage(resource.RUSAGE_SELF)
helpers = resource.getrusage(resource.RUSAGE_CHILDREN)  # any process the build started, reaped
print(json.dumps({"build": time.perf_counter() - start, "hooks": hooks,
                  "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss,
                  "helper_cpu": helpers.ru_utime + helpers.ru_stime,
                  "helper_maxrss_kb": helpers.ru_maxrss, "bound": notes}))
"""

# --- synthetic records -------------------------------------------------------------------

_WORDS = ("Acme", "Borealis", "Cobalt", "Delphi", "Ember", "Fathom", "Granite", "Helix", "Ionic",
          "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Orchid", "Pinnacle", "Quartz",
          "Redwood", "Sable", "Tidal", "Umbra", "Vertex", "Willow", "Xenon", "Yarrow", "Zephyr",
          "Atlas", "Beacon", "Cascade", "Drift")
_COMPANY = ("Therapeutics, Inc.", "Biosciences Corp.", "Energy, Inc.", "Networks, Inc.",
            "Pharmaceuticals, Inc.", "Semiconductor Corp.")
_FUNDS = ("Partners, L.P.", "Capital Fund, L.P.", "Opportunity Fund, Ltd.", "Master Fund, L.P.")
_BANKS = ("Chase Manhattan Bank", "Citibank, N.A.", "Bank of New York", "Wells Fargo Bank, N.A.")
_STATUSES = ("draft", "negotiating", "signed", "funded", "closed", "terminated")
_ZONES = ("America/New_York", "America/Chicago", "Europe/London", "America/Los_Angeles")
_SENTENCES = (
    "The parties agreed to fund on the closing date against delivery of the shares.",
    "Counsel for the purchaser reviewed the registration statement and the prospectus.",
    "The company confirmed that no stop order suspends the effectiveness of the shelf.",
    "Wire instructions were confirmed by a call back to a number on file, not by e-mail.",
    "The transfer agent was instructed to deliver the shares through the DWAC system.",
    "The warrant may be exercised for cash at any time during its term.",
)


def _aba(rng: random.Random) -> str:
    """A routing number with a valid check digit, written with spaces like the example."""
    d = [rng.randrange(10) for _ in range(8)]
    partial = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5]
    d.append((10 - partial % 10) % 10)
    text = "".join(map(str, d))
    return f"{text[:3]} {text[3:6]} {text[6:]}"


def _account(rng: random.Random) -> str:
    # 10 to 13 digits: with 6,000 numbers in a room of 1,000 deals, shorter ones turn up by
    # chance in the amounts of other deals, and the guard rightly refuses to publish them.
    digits = "".join(str(rng.randrange(10)) for _ in range(rng.randint(10, 13)))
    cut = rng.randint(3, 5)
    return f"{digits[:cut]}-{digits[cut:]}" if rng.random() < 0.6 else digits


def _notes(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(_SENTENCES) for _ in range(count))


def _party(rng: random.Random, index: int, name: str, role: str) -> dict[str, Any]:
    street = f"{rng.randint(1, 999)} {rng.choice(_WORDS)} Street"
    return {
        "id": f"party-{index}", "name": name, "role": role,
        "notices": {"attention": f"{rng.choice(_WORDS)} {rng.choice(_WORDS)}",
                    "address": [street, f"New York, NY {rng.randint(10001, 10299)}"],
                    "fax": f"(212) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}"},
        "signature": {"conformed_signature": f"/s/ {rng.choice(_WORDS)} {rng.choice(_WORDS)}",
                      "name": f"{rng.choice(_WORDS)} {rng.choice(_WORDS)}", "title": "President"},
        "notes": _notes(rng, 2),
    }


def _instruction(rng: random.Random, index: int, payer: str, payee: str) -> dict[str, Any]:
    common = {"id": f"instruction-{index}", "payer": payer, "payee": payee,
              "bank": rng.choice(_BANKS), "bank_address": ["1 Bank Plaza", "New York, NY 10004"]}
    if index % 2:
        return {**common, "kind": "dwac", "title": f"DWAC instructions {index}",
                "dtc_number": str(rng.randint(100, 9999)), "account_name": "Securities LLC",
                "account_number": _account(rng), "fbo": "Purchaser",
                "fbo_account_number": _account(rng), "contact_name": "Operations desk",
                "contact_phone": "(212) 555-0100"}
    account = _account(rng)
    return {**common, "kind": "wire", "title": f"Wire transfer instructions {index}",
            "aba_number": _aba(rng), "fbo": "Custodian", "fbo_account_number": account,
            "further_credit_name": "The Company", "further_credit_account_number": _account(rng),
            # A number quoted in free text too, as people do: the Redactor must mask it.
            "notes": f"Quote account {account} on the wire. {_notes(rng, 1)}"}


def deal_record(rng: random.Random, index: int) -> tuple[str, dict[str, Any], str]:
    """(slug, record, attached text) of one synthetic deal, valid by construction."""
    company = f"{rng.choice(_WORDS)} {rng.choice(_COMPANY)}"
    signed = date(2000, 1, 3) + timedelta(days=rng.randrange(25 * 365))
    holders = [f"{rng.choice(_WORDS)} {rng.choice(_FUNDS)}" for _ in range(rng.randint(1, 3))]
    parties = [_party(rng, 0, company, "Company")] + [
        _party(rng, i + 1, name, "Purchaser" if i == 0 else f"Co-Investor {i}")
        for i, name in enumerate(holders)]
    quantity, price = rng.randint(10, 2000) * 1000, rng.randint(5, 900) / 100
    exhibits = [{"id": chr(65 + i), "title": f"Exhibit document {i + 1}",
                 "description": _notes(rng, 1)} for i in range(rng.randint(5, 15))]
    exhibits[0]["file"] = "exhibit-a.txt"
    instructions = [_instruction(rng, i, "party-1" if i % 2 == 0 else "party-0",
                                 "party-0" if i % 2 == 0 else "party-1")
                    for i in range(rng.randint(2, 4))]
    obligations = [
        {"id": "pay", "obligor": "party-1", "beneficiary": "party-0",
         "action": "Wire the purchase price to the Company's account.", "due": str(signed + timedelta(1)),
         "instruction": "instruction-0"},
        {"id": "deliver", "obligor": "party-0", "beneficiary": "party-1",
         "action": "Deliver the shares through DWAC.", "due_next_business_day_after": "pay",
         "instruction": "instruction-1", "exhibit": "A", "notes": _notes(rng, 1)},
    ]
    events = [{"date": str(signed + timedelta(days=rng.randint(0, 400))),
               "title": f"Milestone {i + 1}", "notes": _notes(rng, 1)}
              for i in range(rng.randint(3, 8))]
    slug = f"{company.split()[0].lower()}-{holders[0].split()[0].lower()}-{signed.year}-{index:04d}"
    record = {
        "name": f"{company} – {holders[0]} financing {index}",
        "status": rng.choice(_STATUSES), "currency": "USD", "holiday_calendar": "NYSE",
        "summary": _notes(rng, 3),
        "agreement": {"title": "Securities Purchase Agreement", "date": str(signed),
                      "governing_law": "State of New York",
                      "provisions": [{"title": "Counterparts", "text": _notes(rng, 2)}]},
        "parties": parties,
        "shares": {"security": "Common Stock", "issuer": "party-0", "purchaser": "party-1",
                   "quantity": str(quantity), "price_per_share": f"{price:.2f}",
                   "aggregate_price": f"{quantity * price:.2f}"},
        "warrants": [{"id": "warrant", "security": "Common Stock", "issuer": "party-0",
                      "holder": "party-1", "shares": str(quantity // 4),
                      "exercise_price": f"{price * 1.25:.4f}", "term_years": "5",
                      "form_exhibit": "A"}],
        "registration": {"form": "S-3", "file_number": f"333-{rng.randint(10000, 99999)}",
                         "status": "Effective", "restrictive_legends": "none",
                         "resale_restrictions": "none"},
        "closing": {"deadline": str(signed + timedelta(2)), "deadline_time": "5:00 p.m.",
                    "timezone": rng.choice(_ZONES)},
        "instructions": instructions, "obligations": obligations, "exhibits": exhibits,
        "documents": [{"id": "agreement-text", "title": "Agreement text", "file": "agreement.txt"}],
        "events": events, "notes": _notes(rng, 4) + "\n\n" + _notes(rng, 3),
    }
    numbers = [i.get("account_number") or i["fbo_account_number"] for i in instructions]
    text = f"SECURITIES PURCHASE AGREEMENT\n\n{_notes(rng, 20)}\n\nPay to account {numbers[0]}.\n"
    return slug, record, text


# --- rooms ------------------------------------------------------------------------------------

def make_room(path: Path, deals: int, seed: int = SEED) -> None:
    """A room folder like the repository's: mkdocs.yml, site_overrides, pages, N deals."""
    rng = random.Random(seed)
    (path / "content" / "pages").mkdir(parents=True)
    shutil.copytree(ROOT / "site_overrides", path / "site_overrides")
    shutil.copy(ROOT / "mkdocs.yml", path / "mkdocs.yml")
    shutil.copy(ROOT / "content" / "pages" / "about.md", path / "content" / "pages")
    (path / "content" / "deals").mkdir()
    shutil.copy(ROOT / "content" / "deals" / ".dealroom", path / "content" / "deals")
    for index in range(deals):
        slug, record, text = deal_record(rng, index)
        folder = path / "content" / "deals" / slug
        folder.mkdir(parents=True)
        (folder / "deal.yml").write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True),
                                         encoding="utf-8")
        (folder / "agreement.txt").write_text(text, encoding="utf-8")
        (folder / "exhibit-a.txt").write_text(_notes(rng, 5) + "\n", encoding="utf-8")


def make_baseline(room: Path, path: Path) -> None:
    """The plugin's generated pages and nav, as a plain MkDocs project without the plugin."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    config = load_config(config_file=str(room / "mkdocs.yml"))
    # MkDocs keeps a plugin that has `on_startup` from one `load_config` to the next in a
    # process: started as a build, not as the last caller's `serve --dirty`.
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    files = config.plugins.on_files(get_files(config), config=config)
    config.plugins.on_shutdown()
    docs = path / "docs"
    for file in files:
        if file.generated_by is None and not Path(file.abs_src_path or "").is_relative_to(
                room / "content"):
            continue  # theme assets: the theme provides them again
        target = docs / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.content_bytes)
    shutil.copytree(room / "site_overrides", path / "site_overrides")
    settings = yaml.safe_load((room / "mkdocs.yml").read_text(encoding="utf-8"))
    settings.update(docs_dir="docs", nav=config.nav, plugins=["search"])
    settings.setdefault("extra", {})["dealroom"] = config.extra["dealroom"]
    (path / "mkdocs.yml").write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True),
                                     encoding="utf-8")


# --- measuring ----------------------------------------------------------------------------------

@dataclass
class Build:
    wall: float  # seconds, the whole child process: interpreter, imports, build
    build: float  # seconds inside mkdocs' build()
    cpu: float  # seconds of CPU, user and system, of the whole child process
    helper_cpu: float  # seconds of CPU of the processes it started, reaped
    hooks: dict[str, float]
    maxrss_mb: float
    helper_maxrss_mb: float  # the largest of the processes it started
    site_mb: float
    pages: int
    bound: list[str]  # the plugin's account of the whole-deal pages it bound (none: baseline)


def _env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1022112000",
            "PYTHONDONTWRITEBYTECODE": "1"}


def run_build(project: Path, site: Path, cold: bool = True, config: str = "mkdocs.yml") -> Build:
    if site.exists():
        shutil.rmtree(site)
    if cold:
        shutil.rmtree(project / ".cache", ignore_errors=True)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _CHILD, str(project / config), str(site),
                             ",".join(HOOKS)], cwd=project, env=_env(), capture_output=True,
                            text=True, check=False)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build of {project} failed:\n{result.stderr[-3000:]}")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    files = [p for p in site.rglob("*") if p.is_file()]
    return Build(wall, report["build"], report["cpu"], report["helper_cpu"], report["hooks"],
                 report["maxrss_kb"] / 1024, report["helper_maxrss_kb"] / 1024,
                 sum(p.stat().st_size for p in files) / 1e6,
                 sum(1 for p in files if p.name == "index.html"), report["bound"])


def time_validate(deals: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "dealroom.cli", "validate", str(deals)],
                            env=_env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"validate failed:\n{result.stderr[-3000:]}")
    return time.perf_counter() - start


def best(builds: list[Build]) -> Build:
    return min(builds, key=lambda b: b.wall)


def measure(size: int, work: Path, repeat: int) -> dict[str, Any]:
    room, baseline = work / f"room-{size}", work / f"baseline-{size}"
    make_room(room, size)
    make_baseline(room, baseline)
    plugin = best([run_build(room, work / f"site-{size}") for _ in range(repeat)])
    warm = best([run_build(room, work / f"site-{size}", cold=False) for _ in range(repeat)])
    plain = best([run_build(baseline, work / f"site-{size}-baseline") for _ in range(repeat)])
    validate = min(time_validate(room / "content" / "deals") for _ in range(repeat))
    return {"deals": size, "plugin": plugin, "warm": warm, "baseline": plain, "validate": validate}


def make_git_room(path: Path, deals: int, commits: int) -> None:
    """A room whose records folder has `commits` commits of history (git fast-import), and a
    second configuration, `mkdocs.nohistory.yml`, with the plugin's `history: false`."""
    history = _script("bench_history")
    make_room(path, deals)
    folders = sorted(p for p in (path / "content" / "deals").iterdir() if p.is_dir())
    records = {f.name: (f / "deal.yml").read_text(encoding="utf-8") for f in folders}
    attachments = {f.name: {p.name: p.read_bytes() for p in f.iterdir() if p.name != "deal.yml"}
                   for f in folders}
    for folder in folders:  # a renamed deal must not leave its old folder behind
        shutil.rmtree(folder)
    history.import_history(path, records, commits, random.Random(SEED), attachments)
    settings = yaml.safe_load((path / "mkdocs.yml").read_text(encoding="utf-8"))
    for plugin in settings["plugins"]:
        if isinstance(plugin, dict) and "dealroom" in plugin:
            plugin["dealroom"]["history"] = False
    (path / "mkdocs.nohistory.yml").write_text(yaml.safe_dump(settings, sort_keys=False,
                                                              allow_unicode=True), encoding="utf-8")


def _script(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = sys.modules.setdefault(name, importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)
    return module


def measure_history(size: int, commits: int, work: Path, repeat: int) -> dict[str, Any]:
    """The same room with its history shown and without: what reading git adds to a build."""
    room = work / f"git-{size}"
    make_git_room(room, size, commits)
    on = best([run_build(room, work / f"site-git-{size}") for _ in range(repeat)])
    off = best([run_build(room, work / f"site-git-{size}", config="mkdocs.nohistory.yml")
                for _ in range(repeat)])
    return {"deals": size, "commits": commits, "on": on, "off": off}


def history_summary(row: dict[str, Any]) -> str:
    on, off = row["on"], row["off"]
    return (f"N={row['deals']} commits={row['commits']} history_wall_ratio={on.wall / off.wall:.3f} "
            f"history_cpu_ratio={(on.cpu + on.helper_cpu) / (off.cpu + off.helper_cpu):.3f} "
            f"history_wall_s={on.wall - off.wall:.2f}")


def serve_edits(size: int, work: Path, edits: int = 5) -> list[float]:
    """Seconds from saving a changed record to `mkdocs serve` serving the changed page."""
    room = work / f"serve-{size}"
    if not room.exists():
        make_room(room, size)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--livereload",
                               "-a", f"127.0.0.1:{port}"], cwd=room, env=_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    record = sorted((room / "content" / "deals").glob("*/deal.yml"))[0]
    url = f"http://127.0.0.1:{port}/deals/{record.parent.name}/"
    times = []
    try:
        _wait_for(url, "", timeout=900)
        text = record.read_text(encoding="utf-8")
        for _ in range(edits):
            time.sleep(1.5)  # let the watcher settle after the last build
            marker = f"Rebuilt marker {time.time_ns()}"
            start = time.perf_counter()
            record.write_text(text.replace("summary: ", f"summary: {marker}. ", 1), encoding="utf-8")
            _wait_for(url, marker, timeout=600)
            times.append(time.perf_counter() - start)
        return times
    finally:
        record.write_text(text, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)


def _wait_for(url: str, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"{url} did not show {text!r} within {timeout} s")


# --- report -------------------------------------------------------------------------------------

def table(rows: list[dict[str, Any]]) -> str:
    head = ("| Deals | Pages | Wall time a / b | Ratio a/b | CPU time a (+ helpers) / b | CPU ratio | "
            "Plugin hooks (share of a) | Peak memory a (+ largest helper) / b | Site size | "
            "Time per page (a) | Warm rebuild (a, cache kept; its plugin hooks) | `dealroom validate` |")
    lines = [head, "|" + "---:|" * (head.count("|") - 1)]
    for row in rows:
        a, b = row["plugin"], row["baseline"]
        hooks = sum(a.hooks.values())
        lines.append(f"| {row['deals']:,} | {a.pages:,} | {a.wall:.2f} / {b.wall:.2f} s | "
                     f"{a.wall / b.wall:.3f} | {a.cpu:.2f} (+ {a.helper_cpu:.2f}) / {b.cpu:.2f} s | "
                     f"{(a.cpu + a.helper_cpu) / b.cpu:.3f} | "
                     f"{hooks:.2f} s ({100 * hooks / a.wall:.1f} %) | "
                     f"{a.maxrss_mb:.0f} (+ {a.helper_maxrss_mb:.0f}) / {b.maxrss_mb:.0f} MB | "
                     f"{a.site_mb:.1f} MB | "
                     f"{1000 * a.wall / a.pages:.1f} ms | {row['warm'].wall:.2f} s "
                     f"({sum(row['warm'].hooks.values()):.2f} s) | "
                     f"{row['validate']:.2f} s |")
    return "\n".join(lines)


def summary(row: dict[str, Any], serve: list[float] | None) -> str:
    """One line per size, in a fixed form, to compare from run to run."""
    a, b = row["plugin"], row["baseline"]
    line = (f"N={row['deals']} pages={a.pages} wall_ratio={a.wall / b.wall:.2f} "
            f"cpu_ratio={(a.cpu + a.helper_cpu) / (b.cpu + b.helper_cpu):.2f} "
            f"plugin_cpu_s={sum(a.hooks.values()) + a.helper_cpu:.1f} "
            f"peak_mb={a.maxrss_mb + a.helper_maxrss_mb:.0f}")
    if serve:
        line += f" serve_edit_s={statistics.median(serve):.1f}"
    return line


def hook_table(rows: list[dict[str, Any]]) -> str:
    lines = ["| Deals | " + " | ".join(HOOKS) + " |", "|---:|" + "---:|" * len(HOOKS)]
    for row in rows:
        hooks = row["plugin"].hooks
        lines.append(f"| {row['deals']:,} | " + " | ".join(f"{hooks.get(h, 0):.3f}" for h in HOOKS)
                     + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10,100,1000",
                        help="comma-separated numbers of deals (default: 1,10,100,1000)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="builds per size and kind; the fastest counts (default: 1)")
    parser.add_argument("--serve", type=int, default=0, metavar="N",
                        help="also time a serve rebuild after one record of N deals changes")
    parser.add_argument("--history", type=int, default=0, metavar="COMMITS",
                        help="also build the largest size as a git repository of COMMITS commits, "
                             "with and without the history pages")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    work = args.keep or Path(tempfile.mkdtemp(prefix="dealroom-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        rows = []
        for size in sizes:
            rows.append(measure(size, work, args.repeat))
            print(f"built N = {size:,}", file=sys.stderr, flush=True)
        print(table(rows))
        print()
        print("Plugin time per hook, seconds:")
        print()
        print(hook_table(rows))
        print()
        for row in rows:  # bound from their sections' pages (`dealroom.binder`), or converted whole
            bound = row["plugin"].bound or ["no account of the whole-deal pages"]
            print(f"N={row['deals']}: " + "; ".join(bound))
        serve: dict[int, list[float]] = {}
        if args.serve:
            serve[args.serve] = serve_edits(args.serve, work)
            print()
            print(f"Serve edits, {args.serve:,} deals, `mkdocs serve --dirty`: "
                  + ", ".join(f"{t:.2f}" for t in serve[args.serve]) + " s from save to the page served")
        print()
        for row in rows:
            print(summary(row, serve.get(row["deals"])))
        for size in set(serve) - set(sizes):
            print(f"N={size} serve_edit_s={statistics.median(serve[size]):.1f}")
        if args.history:
            print(history_summary(measure_history(max(sizes), args.history, work, args.repeat)))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
