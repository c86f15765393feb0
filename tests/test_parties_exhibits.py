"""Many parties per side, groups, contacts and copies; exhibits, schedules and annexes by kind.

One room is built with the real `mkdocs build`: three purchasers named together as a group, an
agent with contacts and a "with a copy to", schedules `3(d)` and `2.01`, an Exhibit A beside a
Schedule A, and a party whose name is markup. The built HTML is parsed: what shows, under which
heading, and whether every anchor is unique and every link between the deal's pages lands.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import ROOT, Room
from dealroom.errors import RecordError
from dealroom.loader import load_text
from dealroom.pagetext import plural
from dealroom.render import Renderer
from dealroom.validate import validate

SLUG = "example-pipe"
PAGES = ("", "terms", "parties", "instructions", "exhibits", "timeline", "history", "print")

RECORD = """\
name: Example PIPE
status: signed
currency: USD
agreement:
  title: Securities Purchase Agreement
  date: 2024-03-01
  governing_law: State of New York
parties:
  - id: company
    name: Example Company, Inc.
    role: Company
    entity_type: corporation
    jurisdiction: Delaware
  - id: fund-a
    name: Alpha Fund, L.P.
    role: Purchaser
    entity_type: limited partnership
    jurisdiction: Ontario
  - id: agent
    name: Example Agency LLC
    role: Placement Agent
    contacts:
      - name: Jane Roe
        title: Managing Director
        phone: (212) 555-0100
        email: jroe@agency.example
        fax: (212) 555-0199
      - name: John Doe
        title: Associate
        email: jdoe@agency.example
    notices:
      attention: General Counsel
      address:
        - 1 Example Plaza
        - New York, NY 10001
      copies:
        - name: Counsel & Partners LLP
          attention: Pat Lee
          address:
            - 200 Law Street
            - New York, NY 10002
          email: plee@counsel.example
  - id: fund-b
    name: Beta Fund Ltd.
    role: Purchaser
  - id: hostile
    name: <script>alert(1)</script>
    role: Purchaser
groups:
  - id: purchasers
    name: Purchasers
    members: [fund-a, fund-b, hostile]
warrants:
  - id: warrant
    security: Common Stock
    issuer: company
    holder: fund-a
    shares: 1000
    exercise_price: 1.25
    term_years: 5
    form_exhibit: A
closing:
  deadline: 2024-03-05
obligations:
  - id: deliver-warrant
    obligor: company
    beneficiary: fund-a
    action: Deliver the Warrant.
    due: 2024-03-05
    exhibit: A
  - id: deliver-capitalization
    obligor: company
    beneficiary: fund-b
    action: Deliver the capitalization table.
    due: 2024-03-05
    exhibit: 3(d)
exhibits:
  - id: A
    title: Form of Warrant
  - id: 3(d)
    kind: schedule
    title: Capitalization
  - id: 2.01
    kind: schedule
    title: Purchasers and Commitments
  - id: A
    kind: schedule
    title: Schedule of Purchasers
  - id: I
    kind: annex
    title: Definitions
"""


@dataclass
class Page:
    """What a built page holds: element ids, links, headings (level, text) and visible text."""

    ids: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    text: str = ""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page, self._heading, self._script = Page(), None, False
        self._words: list[str] = []
        self._heading_words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.page.ids.append(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.page.links.append(str(found["href"]))
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading, self._heading_words = int(tag[1]), []
        self._script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self._heading is not None:
            # Material's permalink "¶" ends every heading: it is not the heading's text.
            text = "".join(self._heading_words).replace("¶", "").strip()
            self.page.headings.append((self._heading, text))
            self._heading = None
        self._script = False

    def handle_data(self, data: str) -> None:
        if self._script:
            self.page.scripts.append(data)
            return
        self._words.append(data)
        if self._heading is not None:
            self._heading_words.append(data)

    def close(self) -> None:
        super().close()
        self.page.text = " ".join(" ".join(self._words).split())


def read(path: Path) -> Page:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader.page


def page_file(site: Path, name: str) -> Path:
    return site / "deals" / SLUG / name / "index.html" if name else site / "deals" / SLUG / "index.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    room = Room(tmp_path_factory.mktemp("parties") / "room")
    (room.path / "content" / "pages").mkdir(parents=True)
    shutil.copytree(ROOT / "site_overrides", room.path / "site_overrides")
    shutil.copy(ROOT / "content" / "pages" / "about.md", room.path / "content" / "pages")
    room.deals.mkdir(parents=True)
    shutil.copy(ROOT / "content" / "deals" / ".dealroom", room.deals)
    shutil.copy(ROOT / "mkdocs.yml", room.path / "mkdocs.yml")
    room.add_deal(SLUG, RECORD)
    result = room.build()
    assert result.returncode == 0, result.stderr
    return room.site


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, Page]:
    return {name: read(page_file(site, name)) for name in PAGES}


def _section(headings: list[tuple[int, str]], title: str) -> list[str]:
    """The headings under the heading `title`, up to the next heading of its level."""
    start = next(i for i, (_, text) in enumerate(headings) if text == title)
    level = headings[start][0]
    below = []
    for depth, text in headings[start + 1:]:
        if depth <= level:
            break
        below.append(text)
    return below


def test_parties_sharing_a_role_are_listed_together_under_it(pages: dict[str, Page]) -> None:
    headings = pages["parties"].headings
    assert _section(headings, "Purchasers") == [
        "Alpha Fund, L.P. — Purchaser", "Beta Fund Ltd. — Purchaser", "<script>alert(1)</script> — Purchaser"]
    assert _section(headings, "Placement Agent") == ["Example Agency LLC — Placement Agent"]
    assert _section(headings, "Company") == ["Example Company, Inc. — Company"]


def test_a_group_is_shown_with_its_members_linked(pages: dict[str, Page]) -> None:
    page = pages["parties"]
    assert "the Purchasers : Alpha Fund, L.P. , Beta Fund Ltd. , <script>alert(1)</script>" in page.text
    for member in ("fund-a", "fund-b", "hostile"):
        assert f"../parties/#party-{member}" in page.links
    assert "group-purchasers" in page.ids


def test_a_party_shows_its_entity_type_and_jurisdiction(pages: dict[str, Page]) -> None:
    assert "a Delaware corporation" in pages["parties"].text
    assert "an Ontario limited partnership" in pages["parties"].text


def test_contacts_and_the_copy_to_are_shown(pages: dict[str, Page]) -> None:
    text = pages["parties"].text
    assert "Jane Roe Managing Director (212) 555-0100 jroe@agency.example (212) 555-0199" in text
    assert "John Doe Associate jdoe@agency.example" in text
    assert ("With a copy to : Counsel & Partners LLP Attention: Pat Lee 200 Law Street "
            "New York, NY 10002 E-mail: plee@counsel.example") in text


def test_exhibits_are_listed_under_their_kind_with_the_agreements_ids(pages: dict[str, Page]) -> None:
    page = pages["exhibits"]
    assert [text for level, text in page.headings if level == 2] == ["Exhibits", "Schedules", "Annexes",
                                                                    "Documents"][:3]
    for label in ("Exhibit A", "Schedule 3(d)", "Schedule 2.01", "Schedule A", "Annex I"):
        assert label in page.text
    assert {"exhibit-A", "schedule-3-d", "schedule-2.01", "schedule-A", "annex-I"} <= set(page.ids)


def test_a_bare_reference_names_the_exhibit_else_the_schedule(pages: dict[str, Page]) -> None:
    timeline = pages["timeline"]
    assert "../exhibits/#exhibit-A" in timeline.links
    assert "../exhibits/#schedule-3-d" in timeline.links
    assert "../exhibits/#schedule-A" not in timeline.links
    assert "../exhibits/#exhibit-A" in pages["terms"].links


@pytest.mark.parametrize("name", PAGES)
def test_every_id_on_a_page_is_unique(pages: dict[str, Page], name: str) -> None:
    ids = pages[name].ids
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


@pytest.mark.parametrize("name", PAGES)
def test_every_link_to_a_fact_of_the_deal_lands_on_an_element(site: Path, pages: dict[str, Page],
                                                               name: str) -> None:
    base = f"deals/{SLUG}/{name}/" if name else f"deals/{SLUG}/"
    checked = 0
    for link in pages[name].links:
        target = urlsplit(urljoin(base, link))
        if not target.fragment or not target.path.startswith(f"deals/{SLUG}/") or target.scheme:
            continue
        if target.fragment.startswith("__") or target.path.endswith((".csv", ".ics")):
            continue  # Material's own controls; files beside the pages
        landing = read(site / target.path / "index.html") if target.path.endswith("/") else \
            read(site / target.path)
        assert target.fragment in landing.ids, f"{link} on {name or 'index'} lands nowhere"
        checked += 1
    assert checked or name == "history"


def test_a_name_written_as_markup_is_shown_as_text(site: Path, pages: dict[str, Page]) -> None:
    for name in ("parties", "print", ""):
        assert "<script>alert(1)</script>" in pages[name].text
        assert not any("alert(1)" in script for script in pages[name].scripts)
        assert "<script>alert" not in page_file(site, name).read_text(encoding="utf-8")


def test_a_reference_to_a_group_shows_the_groups_name_linked_to_it() -> None:
    deal = validate(load_text(Path("deal.yml"), RECORD), ROOT)
    template = Renderer().env.from_string(
        '{% from "_macros.md.j2" import party_ref %}{{ party_ref(group) }} / {{ party_ref(party) }}')
    shown = template.render(group=deal.groups[0], party=deal.parties[1])
    assert shown == ('<a href="dealroom:parties#group-purchasers">Purchasers</a> / '
                     '<a href="dealroom:parties#party-fund-a">Alpha Fund, L.P.</a> (Purchaser)')


def _problems(record: str) -> list[str]:
    with pytest.raises(RecordError) as error:
        validate(load_text(Path("deal.yml"), record), ROOT)
    return [f"{p.field}: {p.message}" for p in error.value.problems]


def test_an_exhibit_and_a_schedule_may_share_an_id() -> None:
    deal = validate(load_text(Path("deal.yml"), RECORD), ROOT)
    assert [(e.kind, e.id) for e in deal.exhibits if e.id == "A"] == [("exhibit", "A"), ("schedule", "A")]


def test_two_schedules_with_one_id_are_refused() -> None:
    record = RECORD.replace("  - id: 2.01\n", "  - id: 3(d)\n")
    assert _problems(record) == ["exhibits[2].id: duplicate id '3(d)' among the schedules"]


def test_ids_that_differ_only_in_parentheses_are_refused() -> None:
    record = RECORD.replace("  - id: 2.01\n", "  - id: 3-d\n")
    assert _problems(record) == ["exhibits[2].id: Schedule 3-d and Schedule 3(d) differ only in "
                                 "parentheses or dashes, so their pages' links would be the same"]


def test_a_reference_to_a_missing_exhibit_is_refused() -> None:
    record = RECORD.replace("    exhibit: 3(d)\n", "    exhibit: 3(e)\n")
    assert _problems(record) == ["obligations[1].exhibit: refers to exhibit '3(e)', which does not exist"]




@pytest.mark.parametrize(("role", "count", "heading"), [
    ("Purchaser", 3, "Purchasers"), ("Escrow Agent", 2, "Escrow Agents"), ("Company", 2, "Companies"),
    ("Trustee", 2, "Trustees"), ("Holder of Notes", 2, "Holder of Notes (2)"), ("Lender", 1, "Lender")])
def test_a_role_over_several_parties_is_put_in_the_plural_only_when_that_is_safe(
        role: str, count: int, heading: str) -> None:
    assert plural(role, count) == heading


def test_a_payment_instruction_may_be_paid_by_a_group_of_parties(
        make_room: Callable[..., Room]) -> None:
    room = make_room()
    room.edit("\nshares:", "\ngroups:\n  - id: investors\n    name: Investors\n    members: "
              "[purchaser]\n\nshares:")
    room.edit("    payer: purchaser\n    payee: company", "    payer: investors\n    payee: company")
    result = room.build()
    assert result.returncode == 0, result.stderr
    page = room.page("instructions")
    assert 'href="../parties/#group-investors">Investors</a>' in page
