"""The core pipeline, independent of MkDocs: records in a folder to the files of a room.

load -> validate -> derive -> mask -> render. The MkDocs plugin and the CLI both call this.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import SimpleNamespace

from dealroom.derive import Facts, derive
from dealroom.errors import Problem, RecordError
from dealroom.loader import Loaded, load_file
from dealroom.mask import MaskPolicy, Redactor, Secret, public_summary, public_view, secrets_of
from dealroom.render import Renderer
from dealroom.validate import TEXT_SUFFIXES, validate

RECORD_NAMES = ("deal.yml", "deal.yaml")
DEFAULT_POLICY = MaskPolicy()
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


@dataclass(frozen=True)
class Entry:
    """What the site needs of a deal before its pages: nav, the list of deals, files, secrets.

    Everything in it is public (from the public view) except `name` and `secrets`: the nav's
    title is redacted with every number of the room, and the secrets feed redaction and guard.
    """

    slug: str
    name: str
    date: date
    row: SimpleNamespace  # the public view's columns of the list of deals
    secrets: tuple[Secret, ...]
    files: dict[str, str | Path]  # site path -> redacted text, or the file published as it is


@dataclass
class Room:
    """Every deal of a content folder, validated and derived."""

    root: Path
    deals: list[Facts] = field(default_factory=list)
    records: dict[str, Path] = field(default_factory=dict)  # slug -> record file

    def entries(self, policy: MaskPolicy) -> list[Entry]:
        return [entry(facts, self.records[facts.slug], policy) for facts in self.deals]


def entry(facts: Facts, record: Path, policy: MaskPolicy) -> Entry:
    view = public_summary(facts, policy)
    deal = view.deal
    row = SimpleNamespace(slug=view.slug, deal=SimpleNamespace(
        name=deal.name, parties=[SimpleNamespace(name=p.name) for p in deal.parties],
        agreement=SimpleNamespace(date=deal.agreement.date), shares=deal.shares,
        currency=deal.currency, status=deal.status))
    # Text attachments are published redacted; other files as they are, and the guard scans
    # them like every other file of the site.
    files: dict[str, str | Path] = {
        f"deals/{facts.slug}/{published}":
            view.documents[reference] if reference in view.documents else record.parent / reference
        for reference, published in facts.files.items()}
    return Entry(facts.slug, facts.deal.name, facts.deal.agreement.date, row,
                 tuple(secrets_of(facts, policy)), files)


def find_records(deals_dir: Path) -> list[tuple[str, Path]]:
    """(slug, record file) for each deal: `<slug>/deal.yml` or `<slug>.yml` in `deals_dir`."""
    found: list[tuple[str, Path]] = []
    for child in sorted(deals_dir.iterdir()):
        if child.is_dir():
            records = [child / name for name in RECORD_NAMES if (child / name).is_file()]
            found.extend((child.name, record) for record in records)
        elif child.suffix in (".yml", ".yaml"):
            found.append((child.stem, child))
    return found


def _published_name(reference: str) -> str:
    """A safe, stable file name on the site for an attached file."""
    name = Path(reference).name
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(name).stem).strip("-.") or "file"
    suffix = Path(name).suffix.lower()
    # MkDocs would render a `.md` file as a page, raw HTML and scripts in it live: publish text.
    return f"files/{stem}{suffix}.txt" if suffix in (".md", ".markdown") else f"files/{stem}{suffix}"


def _read_attachments(record: Path, references: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Published paths of attached files, and the text of the text ones (to be redacted)."""
    files: dict[str, str] = {}
    texts: dict[str, str] = {}
    for reference in references:
        files[reference] = _published_name(reference)
        if Path(reference).suffix.lower() in TEXT_SUFFIXES:
            try:
                texts[reference] = (record.parent / reference).read_text(encoding="utf-8")
            except UnicodeDecodeError:
                # Redaction needs to know the text; we do not guess an encoding.
                raise RecordError.single(record, f"attached text file {reference!r} is not "
                                         "UTF-8", "save it as UTF-8") from None
    return files, texts


def _refuse_shared_names(loaded: Loaded, files: dict[str, str]) -> None:
    """Two attachments published under one name would leave only one of them on the site."""
    first: dict[str, str] = {}
    problems: list[Problem] = []
    for reference, published in files.items():
        if first.setdefault(published, reference) != reference:
            path = ("documents" if any(d.get("file") == reference for d in
                                       loaded.data.get("documents") or []) else "exhibits",)
            line, column = loaded.position(path)
            problems.append(Problem(loaded.file, line, column, path[0], f"files {first[published]!r} "
                                    f"and {reference!r} would both be published as {published}",
                                    "rename one of the two files"))
    if problems:
        raise RecordError(problems)


def load_deal(slug: str, record: Path, root: Path, policy: MaskPolicy = DEFAULT_POLICY) -> Facts:
    """Load, validate and derive one deal; raises `RecordError` with every problem."""
    if not _SLUG.fullmatch(slug):
        raise RecordError.single(record, f"the deal's folder or file name {slug!r} is not a "
                                 "valid id", "rename it with lowercase letters, digits and dashes")
    loaded = load_file(record)
    deal = validate(loaded, root)
    references = [e.file for e in deal.exhibits if e.file] + [d.file for d in deal.documents]
    files, texts = _read_attachments(record, references)
    _refuse_shared_names(loaded, files)
    facts = derive(slug, deal, files, texts)
    _refuse_number_in_id(facts, record, policy)
    return facts


def _refuse_number_in_id(facts: Facts, record: Path, policy: MaskPolicy) -> None:
    """A deal's id is in every URL of the deal: it must not hold one of its masked numbers."""
    secrets = secrets_of(facts, policy)
    if facts.slug.isascii():
        # Redaction only changes text whose letters and digits, upper case, hold a number's:
        # most ids hold none, and need no Redactor (building one per deal was this check's time).
        compact = re.sub(r"[^0-9A-Za-z]+", "", facts.slug).upper()
        if not any(secret.digits in compact for secret in secrets):
            return
    redact = Redactor(secrets, 0)
    if redact(facts.slug) != facts.slug:
        # The message masks the number in the path too: CI logs are read by more people.
        raise RecordError.single(Path(redact(str(record))), "the deal's folder or file name "
                                 "holds one of its account numbers, and would publish it in "
                                 "every URL of the deal", "rename it")


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Loading and rendering make millions of short-lived objects, freed by reference counting;
    the cycle collector's passes over every live object took a third of a large room's load."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_room(deals_dir: Path, policy: MaskPolicy = DEFAULT_POLICY,
              found: tuple[list[tuple[str, Path]], list[Problem]] | None = None) -> Room:
    """Every deal under `deals_dir`; raises `RecordError` with the problems of all records.

    `found` is what `unique_records(deals_dir)` returned, when the caller has it already."""
    with _without_cycle_collection():
        return _load_room(deals_dir, policy, found or unique_records(deals_dir))


def _load_room(deals_dir: Path, policy: MaskPolicy,
               found: tuple[list[tuple[str, Path]], list[Problem]]) -> Room:
    records, problems = found
    room = Room(deals_dir, records=dict(records))
    room.deals, more = load_deals(records, deals_dir, policy)
    if problems or more:
        raise RecordError(problems + more)
    return room


def unique_records(deals_dir: Path) -> tuple[list[tuple[str, Path]], list[Problem]]:
    """The records of `deals_dir`, and a problem for each id used twice."""
    if not deals_dir.is_dir():
        raise RecordError.single(deals_dir, "the deals folder does not exist",
                                 "create it, or set the plugin's `deals_dir` option")
    records, problems = [], []
    slugs: dict[str, Path] = {}
    for slug, record in find_records(deals_dir):
        if slug in slugs:
            problems.append(Problem(record, 1, 1, "", f"deal id {slug!r} is also used by "
                                    f"{slugs[slug]}", "rename one of the two"))
            continue
        slugs[slug] = record
        records.append((slug, record))
    return records, problems


def load_deals(records: list[tuple[str, Path]], root: Path,
               policy: MaskPolicy) -> tuple[list[Facts], list[Problem]]:
    """Each record loaded, or its problems: one bad record does not hide another's."""
    deals, problems = [], []
    for slug, record in records:
        try:
            deals.append(load_deal(slug, record, root, policy))
        except RecordError as error:
            problems.extend(error.problems)
    return deals, problems


def build_files(room: Room, policy: MaskPolicy, renderer: Renderer,
                with_home: bool = True) -> dict[str, str | bytes]:
    """Every generated file of the room (Markdown pages and attachments), keyed by path."""
    with _without_cycle_collection():
        entries = room.entries(policy)
        output: dict[str, str | bytes] = {}
        output.update(renderer.room_pages([e.row for e in entries], with_home))
        for facts, item in zip(room.deals, entries, strict=True):
            output.update(renderer.deal_pages(public_view(facts, policy)))
            output.update({path: source if isinstance(source, str) else source.read_bytes()
                           for path, source in item.files.items()})
        return output
