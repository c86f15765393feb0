"""Benchmark: `read_history` over a repository of 1,000 deal records and 5,000 commits.

    python scripts/bench_history.py [--deals 1000] [--commits 5000] [--repeat 3] [--keep DIR]

The repository is written by one `git fast-import` (seconds, not the minutes 5,000 `git commit`
take): records as rich as the example (`scripts/benchmark.py`'s synthetic deals), created ten
to a commit, then one edit per commit to a random deal (a fax, a status, an account number, a
note), a folder renamed every 500 commits. Prints the best wall time of `read_history` (and its
CPU time, and git's, which runs alongside: on a shared machine CPU time is the steadier
figure), and of a read given the previous history (`previous=`, as a server rebuilding would).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dealroom.history import History, read_history  # noqa: E402  (after the path is set)

SEED = 20020605
START = 1_600_000_000  # commit times, one hour apart from here


def _synthetic() -> object:
    spec = importlib.util.spec_from_file_location("benchmark", ROOT / "scripts" / "benchmark.py")
    assert spec and spec.loader
    module = sys.modules.setdefault("benchmark", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)  # registered first: its dataclasses look themselves up
    return module


def _edit(rng: random.Random, text: str, step: int) -> str:
    """One change a deal team makes, as a text edit (re-dumping YAML would be most of the time)."""
    choice = step % 4
    if choice == 0:
        return re.sub(r"fax: .*", f"fax: (212) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
                      text, count=1)
    if choice == 1:
        status = rng.choice(("draft", "negotiating", "signed", "funded", "closed"))
        return re.sub(r"^status: .*$", f"status: {status}", text, count=1, flags=re.M)
    if choice == 2:
        number = "".join(str(rng.randrange(10)) for _ in range(11))
        return re.sub(r"fbo_account_number: .*", f"fbo_account_number: {number[:4]}-{number[4:]}",
                      text, count=1)
    return text.replace("\nnotes: ", f"\nnotes: Revised in step {step}. ", 1)


def _data(payload: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(payload), payload)


def make_repository(path: Path, deals: int, commits: int, seed: int = SEED) -> None:
    synthetic = _synthetic()
    rng = random.Random(seed)
    records: dict[str, str] = {}
    for index in range(deals):
        slug, record, _ = synthetic.deal_record(rng, index)  # type: ignore[attr-defined]
        records[slug] = yaml.dump(record, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
    import_history(path, records, commits, rng)


def import_history(path: Path, records: dict[str, str], commits: int, rng: random.Random,
                   attachments: dict[str, dict[str, bytes]] | None = None,
                   others: dict[str, bytes] | None = None) -> None:
    """Make `path` a repository whose `main` ends with `records` (slug -> deal.yml text) after
    `commits` commits: the deals created ten to a commit (with their `attachments`, and `others`
    paths in the first commit), then one edit per commit, a folder renamed every 500."""
    records, attachments = dict(records), dict(attachments or {})
    slugs = list(records)
    stream: list[bytes] = []
    count = 0

    def commit(message: str, operations: list[bytes]) -> None:
        nonlocal count
        when = START + count * 3600
        stream.append(b"commit refs/heads/main\n")
        stream.append(b"committer Deal Team <deals@example.com> %d +0000\n" % when)
        stream.append(_data(message.encode()))
        stream.extend(operations)
        count += 1

    def files(slug: str) -> list[bytes]:
        texts = {"deal.yml": records[slug].encode(), **attachments.get(slug, {})}
        return [b"M 100644 inline content/deals/%s/%s\n%s" % (slug.encode(), name.encode(), _data(data))
                for name, data in texts.items()]

    creations = (len(slugs) + 9) // 10
    for start in range(0, len(slugs), 10):
        extra = [b"M 100644 inline %s\n%s" % (name.encode(), _data(data))
                 for name, data in (others or {}).items()] if start == 0 else []
        commit(f"Add deals {start} to {start + 9}",
               extra + [op for slug in slugs[start:start + 10] for op in files(slug)])
    for step in range(commits - creations):
        index = rng.randrange(len(slugs))
        slug = slugs[index]
        if step % 500 == 499:
            renamed = f"{slug}-renamed"
            commit(f"Rename {slug}", [b"R content/deals/%s content/deals/%s\n" % (slug.encode(),
                                                                                  renamed.encode())])
            records[renamed] = records.pop(slug)
            slugs[index] = renamed
            continue
        records[slug] = _edit(rng, records[slug], step)
        commit(f"Edit {slug}", [b"M 100644 inline content/deals/%s/deal.yml\n%s" % (
            slug.encode(), _data(records[slug].encode()))])
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=path, input=b"".join(stream), check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=path, check=True)


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float  # this process
    git_cpu: float  # the git processes, which run alongside


def timed(path: Path, previous: History | None = None) -> tuple[Run, History]:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    start, cpu = time.perf_counter(), time.process_time()
    history = read_history(path, Path("content/deals"), previous=previous)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    git = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    return Run(wall, cpu, git), history


def _line(label: str, runs: list[Run]) -> str:
    best = min(runs, key=lambda r: r.wall)
    return (f"{label}: {best.wall:.2f} s wall, best of {len(runs)} ({best.cpu:.2f} s CPU here, "
            f"{best.git_cpu:.2f} s in git alongside)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="make the repository here, and keep it")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        path = args.keep or Path(temporary) / "room"
        start = time.perf_counter()
        make_repository(path, args.deals, args.commits)
        print(f"repository: {args.deals} records, {args.commits} commits, made in "
              f"{time.perf_counter() - start:.1f} s")
        runs = [timed(path) for _ in range(args.repeat)]
        history = runs[-1][1]
        assert history.available, history.reason
        versions = sum(len(d.versions) for d in history.deals.values())
        print(f"{len(history.deals)} deals, {versions} versions; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(_line("read_history", [run for run, _ in runs]))
        print(_line("read_history with the previous history",
                    [timed(path, history)[0] for _ in range(args.repeat)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
