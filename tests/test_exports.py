"""Exports: each deal's obligations as CSV and its deadlines as iCalendar, read back by their
libraries, masked like the pages."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date
from pathlib import Path

import icalendar

from conftest import EXAMPLE_SLUG, ROOT, no_raw_number
from dealroom.mask import MaskPolicy
from dealroom.pipeline import build_in_memory
from dealroom.render import Renderer

AS_OF = date(2002, 6, 10)
FILES = build_in_memory(ROOT / "content" / "deals", renderer=Renderer(today=AS_OF))
DEAL = f"deals/{EXAMPLE_SLUG}"


def text(path: str) -> str:
    value = FILES[path]
    return value if isinstance(value, str) else value.decode()


def test_the_csv_has_a_header_and_one_row_per_obligation_with_its_status_as_of_the_build() -> None:
    rows = list(csv.DictReader(io.StringIO(text(f"{DEAL}/obligations.csv"), newline="")))
    assert len(rows) == 5
    wire = next(r for r in rows if r["obligation"] == "wire-purchase-price")
    assert wire == {"obligation": "wire-purchase-price", "who": "Omicron Partners, L.P.",
                    "what": "Wire the Purchase Price ($280,000) to the Company's account.",
                    "to whom": "NeoTherapeutics, Inc.", "due date": "2002-06-06",
                    "due time": "close of business", "status": "overdue"}


def test_the_csv_ends_lines_with_crlf_as_rfc_4180_says() -> None:
    data = text(f"{DEAL}/obligations.csv")
    assert data.count("\r\n") == 6 and "\n" not in data.replace("\r\n", "")


def test_the_deal_calendar_has_an_event_per_obligation_and_the_closing_with_stable_uids() -> None:
    calendar = icalendar.Calendar.from_ical(text(f"{DEAL}/deadlines.ics"))
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 6
    uids = {str(e["UID"]) for e in events}
    assert f"{EXAMPLE_SLUG}.closing@dealroom" in uids
    assert f"{EXAMPLE_SLUG}.wire-purchase-price@dealroom" in uids
    wire = next(e for e in events if str(e["UID"]).startswith(f"{EXAMPLE_SLUG}.wire"))
    assert wire.decoded("DTSTART") == date(2002, 6, 6)
    assert "Omicron Partners – " not in str(wire["SUMMARY"])
    assert str(wire["SUMMARY"]).endswith("NeoTherapeutics – Omicron Partners securities purchase")


def test_a_rebuild_writes_the_same_calendar() -> None:
    again = build_in_memory(ROOT / "content" / "deals", renderer=Renderer(today=AS_OF))
    assert again["deadlines.ics"] == FILES["deadlines.ics"]


def test_the_room_calendar_holds_every_deals_events() -> None:
    def events(path: str) -> list[str]:
        return [str(e["UID"]) for e in icalendar.Calendar.from_ical(text(path)).walk("VEVENT")]

    each = [uid for path in FILES if path.endswith("/deadlines.ics") for uid in events(path)]
    assert len(events(f"{DEAL}/deadlines.ics")) == 6
    assert events("deadlines.ics") == each and len(set(each)) == len(each)


def test_no_export_holds_a_raw_account_number() -> None:
    for path in (f"{DEAL}/obligations.csv", f"{DEAL}/deadlines.ics", "deadlines.ics"):
        assert no_raw_number(text(path)), path


def with_obligation(tmp_path: Path, slug: str, action: str) -> dict[str, str | bytes]:
    """The files of a room of the example deal whose wire obligation's action is `action`."""
    deals = tmp_path / "deals"
    (deals / slug).mkdir(parents=True)
    record = (ROOT / "content" / "deals" / EXAMPLE_SLUG / "deal.yml").read_text(encoding="utf-8")
    record = record.replace("Wire the Purchase Price ($280,000) to the Company's account.", action)
    shutil.copy(ROOT / "content" / "deals" / EXAMPLE_SLUG / "agreement.txt", deals / slug)
    (deals / slug / "deal.yml").write_text(record, encoding="utf-8")
    return build_in_memory(deals, renderer=Renderer(today=AS_OF))


def test_an_account_number_quoted_in_an_obligation_is_masked_in_the_exports(tmp_path: Path) -> None:
    files = with_obligation(tmp_path, "quoted", "Wire the Purchase Price to account 561-04051-19-103.")
    for path in ("deals/quoted/obligations.csv", "deals/quoted/deadlines.ics", "deadlines.ics"):
        value = files[path]
        assert isinstance(value, str) and no_raw_number(value), path
        assert "•9103" in value.replace("\r\n ", ""), path  # the masked form is there


def test_pages_rendered_as_of_another_day_are_rendered_again() -> None:
    assert Renderer(today=AS_OF).fingerprint("") != Renderer(today=date(2002, 6, 11)).fingerprint("")


def test_the_room_calendar_is_the_same_text_as_one_made_from_every_deal_at_once(
        tmp_path: Path) -> None:
    from conftest import benchmark_script
    from dealroom.derive import agenda
    from dealroom.exports import deadlines_calendar, merged_calendar
    from dealroom.pipeline import Pipeline, Settings

    benchmark_script().make_room(tmp_path, 4)
    deals = Pipeline(Settings(tmp_path / "content" / "deals", MaskPolicy()), Renderer()).load()
    agendas = [agenda(facts, AS_OF) for facts in deals]
    names = {facts.slug: str(facts.deal.name) for facts in deals}
    each = [deadlines_calendar([a], names, "one deal") for a in agendas]
    assert merged_calendar(each, "Room") == deadlines_calendar(agendas, names, "Room")
    assert merged_calendar(each, "Room").count("BEGIN:VEVENT") >= 4


def test_a_calendar_is_the_text_icalendar_writes_for_it_long_lines_folded(tmp_path: Path) -> None:
    from conftest import benchmark_script
    from dealroom.derive import agenda
    from dealroom.exports import deadlines, deadlines_calendar
    from dealroom.pipeline import Pipeline, Settings

    benchmark_script().make_room(tmp_path, 3)
    deals = Pipeline(Settings(tmp_path / "content" / "deals", MaskPolicy()), Renderer()).load()
    agendas = [agenda(facts, AS_OF) for facts in deals]
    # Names long enough to fold, in several scripts: a fold never splits a character's bytes.
    names = {facts.slug: f"{facts.deal.name} — Zürich Société Générale 東京 {'é' * index * 20}"
             for index, facts in enumerate(deals)}
    written = deadlines_calendar(agendas, names, "Room — 東京")
    assert written == deadlines(agendas, names, "Room — 東京").to_ical().decode("utf-8")
    assert "\r\n " in written and max(len(line.encode()) for line in written.split("\r\n")) <= 75


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(tmp_path: Path) -> None:
    csv_text = with_obligation(tmp_path, "formula", '=HYPERLINK("http://evil.example","Open")')[
        "deals/formula/obligations.csv"]
    assert isinstance(csv_text, str)
    rows = list(csv.DictReader(io.StringIO(csv_text, newline="")))
    assert [row["what"] for row in rows if "HYPERLINK" in row["what"]] == \
        ['\'=HYPERLINK("http://evil.example","Open")']
    assert not any(cell.lstrip().startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
