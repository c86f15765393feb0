"""Every case of the corpus through the real loader and validator: exact problems, or exact values."""

from __future__ import annotations

import os
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest
from corpus_cases import BASE, CASES, Case

from dealroom.errors import RecordError
from dealroom.loader import MAX_RECORD_BYTES
from dealroom.pipeline import check


def deal_folder(tmp_path: Path, case: Case) -> Path:
    """The case's record as `deals/acme/deal.yml`, next to the base record's attachment."""
    folder = tmp_path / "deals" / "acme"
    shutil.copytree(BASE.parent, folder)
    (folder / "deal.yml").write_bytes(case.text())
    if case.setup:
        case.setup(folder)
    return folder


def outcome(tmp_path: Path, case: Case) -> list[str]:
    """The problems reported for the case, each without the file's path; [] when accepted."""
    folder = deal_folder(tmp_path, case)
    try:
        check(folder / "deal.yml")[0]
    except RecordError as error:
        return [str(problem).split("deal.yml:", 1)[1] for problem in error.problems]
    return []


def test_the_corpus_has_at_least_forty_cases_with_distinct_names() -> None:
    assert len(CASES) >= 40
    assert len({case.name for case in CASES}) == len(CASES)


def test_the_base_record_is_valid(tmp_path: Path) -> None:
    assert outcome(tmp_path, Case("base")) == []


@pytest.mark.parametrize("case", [c for c in CASES if c.errors], ids=str)
def test_a_bad_record_is_refused_with_every_problem_exactly(tmp_path: Path, case: Case) -> None:
    problems = outcome(tmp_path, case)
    assert len(problems) == len(case.errors), problems
    for problem, expected in zip(problems, case.errors, strict=True):
        assert problem.startswith(expected), problem
        assert "Traceback" not in problem


@pytest.mark.parametrize("case", [c for c in CASES if c.holds], ids=str)
def test_a_value_yaml_would_coerce_is_kept_as_written(tmp_path: Path, case: Case) -> None:
    folder = deal_folder(tmp_path, case)
    deal = check(folder / "deal.yml")[0].deal
    assert case.holds is not None and case.holds(deal)


def test_a_50_mb_record_is_refused_by_its_size_before_it_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "deals" / "huge"
    folder.mkdir(parents=True)
    with (folder / "deal.yml").open("wb") as record:
        record.truncate(50_000_000)  # a sparse file: nothing to parse but its size
    started = time.perf_counter()
    with pytest.raises(RecordError) as error:
        check(folder / "deal.yml")[0]
    assert time.perf_counter() - started < 0.5
    assert str(error.value).endswith(f"deal.yml:1:1: <record>: the record is 50,000,000 bytes; deal "
                                     f"records are limited to {MAX_RECORD_BYTES:,} bytes (fix: "
                                     "attach large material as an exhibit file instead)")


def test_an_alias_bomb_is_refused_fast_in_bounded_memory(tmp_path: Path) -> None:
    [bomb] = [c for c in CASES if c.name == "billion_laughs"]
    tracemalloc.start()
    started = time.perf_counter()
    problems = outcome(tmp_path, bomb)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert problems and elapsed < 1 and peak < 20_000_000


def test_problems_of_several_broken_files_are_reported_together(tmp_path: Path) -> None:
    deals = tmp_path / "deals"
    for slug, text in [("a-syntax", b"name: [\n"), ("b-binary", b"\x00\x01\x02"),
                       ("c-empty", b""), ("d-dupe", b"name: a\nname: b\n")]:
        (deals / slug).mkdir(parents=True)
        (deals / slug / "deal.yml").write_bytes(text)
    (deals / "Bad Name.yml").write_text("name: a\n")
    with pytest.raises(RecordError) as error:
        check(deals)
    files = [problem.file.parent.name or problem.file.name for problem in error.value.problems]
    assert files == ["deals", "a-syntax", "b-binary", "c-empty", "d-dupe"]


def test_two_records_for_one_deal_id_are_refused(tmp_path: Path) -> None:
    folder = deal_folder(tmp_path, Case("base"))
    shutil.copy(folder / "deal.yml", folder.parent / "acme.yml")
    with pytest.raises(RecordError, match=r"acme\.yml:1:1: <record>: deal id 'acme' is also used by "
                       r"\S+/acme/deal\.yml \(fix: rename one of the two\)"):
        check(folder.parent)


def test_a_pipe_named_like_a_record_is_refused_without_blocking(tmp_path: Path) -> None:
    deals = tmp_path / "deals"
    deals.mkdir()
    os.mkfifo(deals / "pipe.yml")  # reading it would wait for a writer forever
    with pytest.raises(RecordError, match=r"pipe\.yml:1:1: <record>: the record is not a regular file"):
        check(deals)


@pytest.mark.parametrize("case", [c for c in CASES if "account_number" in c.name], ids=str)
def test_a_problem_with_an_account_number_never_echoes_it(tmp_path: Path, case: Case) -> None:
    [problem] = outcome(tmp_path, case)
    assert "987" not in problem and "9876" not in problem


def test_a_long_chain_of_next_business_days_is_derived_without_recursion(tmp_path: Path) -> None:
    steps = "".join(f"  - id: s{i}\n    obligor: fund\n    beneficiary: issuer\n    action: Step.\n"
                    f"    due_next_business_day_after: {f's{i + 1}' if i < 2999 else 'pay'}\n"
                    for i in range(3000))  # each after the next one: the deepest walk
    case = Case("long_chain", edits=(("obligations:\n", "obligations:\n" + steps),))
    folder = deal_folder(tmp_path, case)
    facts = check(folder / "deal.yml")[0]
    assert facts.due["s2999"].on.isoformat() == "2024-03-05"
    assert facts.due["s0"].on.isoformat() == "2036-02-14"
