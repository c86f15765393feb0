"""The core, independent of MkDocs: a folder of records to the public files of a room.

    records -> load -> validate -> derive -> mask (one public view of the whole room) -> render

`Pipeline` keeps what it derived and rendered for the next build, keyed by the content of
each record and its attachments, so a rebuild (`mkdocs serve`, or a CI rebuild that keeps the
cache folder) checks and renders only the deals that changed. The MkDocs plugin, the CLI and
the tests all call it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from dealroom.cache import PageCache
from dealroom.changes import deal_changes
from dealroom.derive import Agenda, Facts, agenda, derive, summary
from dealroom.errors import Problem, RecordError
from dealroom.exports import deadlines_calendar, merged_calendar, obligations_csv
from dealroom.history import History, read_history, unavailable
from dealroom.loader import load_bytes, read_record
from dealroom.mask import MaskPolicy, PublicRoom
from dealroom.numbers import Redactor, Secret
from dealroom.recorddiff import read_snapshot
from dealroom.render import Renderer
from dealroom.validate import validate_record

RECORD_NAMES = ("deal.yml", "deal.yaml")


@dataclass(frozen=True)
class Settings:
    deals_dir: Path
    policy: MaskPolicy = field(default_factory=MaskPolicy)
    cache_dir: Path | None = None  # rendered pages kept between builds; None: in memory only
    history: bool = True  # read the records' history from git
    alarm_window_days: int = 30  # a payment change this close before signing, or after, alarms


@dataclass(frozen=True)
class _Known:
    """A deal as last loaded, and what proves its files unchanged since."""

    raw: bytes
    attached: tuple[tuple[Path, int, int], ...]  # attached file, size, change time
    key: str
    facts: Facts


@dataclass(frozen=True)
class Published:
    """What a room publishes: generated pages, attached files, and its public view."""

    public: PublicRoom
    pages: dict[str, str | Path]  # site path -> Markdown, or the cache file holding it
    files: dict[str, str | Path]  # site path -> redacted text, or the attached file itself


def find_records(deals_dir: Path) -> tuple[list[tuple[str, Path]], list[Problem]]:
    """(deal id, record file) for `<id>/deal.yml` and `<id>.yml` in `deals_dir`, and a problem
    for each id used twice."""
    if deals_dir.is_symlink() and not deals_dir.exists():
        raise RecordError.single(deals_dir, "the deals folder is a symbolic link that leads back "
                                 "to itself or to nothing", "give the records folder itself, or "
                                 "mend the link")
    if not deals_dir.is_dir():
        raise RecordError.single(deals_dir, "the deals folder does not exist",
                                 "create it, or set the plugin's `deals_dir` option")
    try:
        children = sorted(deals_dir.iterdir())
    except OSError as error:  # a loop of links, a folder we may not list
        raise RecordError.single(deals_dir, f"the deals folder cannot be read: {error.strerror}",
                                 "make it a plain folder of records") from None
    found: list[tuple[str, Path]] = []
    problems: list[Problem] = []
    for child in children:
        try:
            if child.is_dir():
                # Whatever is there under a record's name is read: a loop of links, a link to
                # nothing or a folder is reported by `read_record`, not skipped as no record.
                found.extend((child.name, child / name) for name in RECORD_NAMES
                             if os.path.lexists(child / name))
            elif child.suffix in (".yml", ".yaml"):
                found.append((child.stem, child))
            elif child.is_symlink() and not child.exists() and not child.suffix:
                # A deal's folder that is a loop of links, or a link to nothing: its deal would
                # be missing from the room without a word.
                problems.append(Problem(child, 1, 1, "", "this link in the deals folder leads "
                                        "back to itself or to nothing, so no deal can be read "
                                        "from it", "replace it with the deal's folder, or "
                                        "remove it"))
        except OSError:  # a loop of links: reading it reports the problem, with its name
            found.append((child.stem, child))
    records: list[tuple[str, Path]] = []
    seen: dict[str, Path] = {}
    for slug, record in found:
        if slug in seen:
            problems.append(Problem(record, 1, 1, "", f"deal id {slug!r} is also used by "
                                    f"{seen[slug]}", "rename one of the two"))
            continue
        seen[slug] = record
        records.append((slug, record))
    return records, problems


def _attached(facts: Facts) -> tuple[tuple[Path, int, int], ...]:
    stats = []
    for reference in sorted(facts.files):
        file = facts.folder / reference
        try:
            status = file.stat()
        except OSError:
            stats.append((file, -1, -1))
            continue
        stats.append((file, status.st_size, status.st_mtime_ns))
    return tuple(stats)


def _key(raw: bytes, facts: Facts) -> str:
    """A digest of everything a deal's pages are made of: its record and attached files."""
    digest = hashlib.sha256(raw)
    for reference in sorted(facts.files):
        text = facts.documents.get(reference)
        data = text.encode() if text is not None else (facts.folder / reference).read_bytes()
        digest.update(hashlib.sha256(reference.encode() + b"\0" + data).digest())
    return digest.hexdigest()


class Pipeline:
    """The room's stages, with what they produced kept for the next build."""

    def __init__(self, settings: Settings, renderer: Renderer) -> None:
        self.settings = settings
        self.renderer = renderer
        self._known: dict[str, _Known] = {}
        self._history: History | None = None
        self.cache = PageCache(settings.cache_dir)

    def load(self) -> list[Facts]:
        """Load, validate and derive every record; raises `RecordError` with every problem.

        A record whose bytes and attached files are unchanged since the last call is not read
        again: its facts are reused."""
        records, problems = find_records(self.settings.deals_dir)
        known: dict[str, _Known] = {}
        for slug, file in records:
            try:
                known[slug] = self._load_deal(slug, file)
            except RecordError as error:
                problems.extend(error.problems)
        if problems:
            raise RecordError(problems)
        self._known = known
        return [k.facts for k in known.values()]

    def load_one(self, file: Path) -> list[Facts]:
        """One record file, loaded and checked as `load` would."""
        slug = file.parent.name if file.stem == "deal" else file.stem
        return [self._load_deal(slug, file).facts]

    def _load_deal(self, slug: str, file: Path) -> _Known:
        raw = read_record(file)
        before = self._known.get(slug)
        if before is not None and before.raw == raw and before.attached == _attached(before.facts):
            return before
        try:
            valid = validate_record(slug, load_bytes(file, raw), self.settings.deals_dir)
        except RecordError as error:
            raise _without_numbers(error, raw, file) from None
        facts = derive(slug, valid.deal, valid.files, valid.texts, file)
        try:
            return _Known(raw, _attached(facts), _key(raw, facts), facts)
        except OSError as error:  # removed or made unreadable since it was checked
            raise RecordError.single(file, f"an attached file cannot be read: {error.strerror}",
                                     "check the files the record attaches") from None

    def history(self, deals: list[Facts]) -> History:
        """The records' history from git, read once per build (what is known is kept)."""
        if not self.settings.history:
            return unavailable("reading the history is turned off (the plugin's `history` option)")
        current = PublicRoom(deals, self.settings.policy).secrets
        self._history = read_history(self.settings.deals_dir, self.settings.deals_dir, known=current,
                                     previous=self._history)
        return self._history

    def publish(self, deals: list[Facts], with_home: bool, history: History | None = None) -> Published:
        """Mask the whole room with every secret of it, then render the pages not cached."""
        history = history or unavailable("no history was read")
        deals = [dataclasses.replace(facts, changes=deal_changes(history, facts,
                                                                 self.settings.alarm_window_days))
                 for facts in deals]
        public = PublicRoom(deals, self.settings.policy, history.secrets())
        public.refuse_numbers_in_ids()
        fingerprint = self.renderer.fingerprint(public.rule_digest)
        today = self.renderer.today
        pages: dict[str, str | Path] = {}
        files: dict[str, str | Path] = {}
        # What is due and overdue as of the build date, masked like every page.
        agendas = {facts.slug: agenda(facts, today).redacted(public.redact) for facts in deals}
        names = {row.slug: str(row.deal.name) for row in public.rows}
        calendars: list[str | Path] = []
        for facts in deals:
            assert facts.changes is not None
            slug = facts.slug
            key = hashlib.sha256(f"{self._known[slug].key}:{facts.changes.digest}:{fingerprint}"
                                 .encode()).hexdigest()
            # A deal's pages, exports and redacted texts are made again only when the deal, its
            # history, the room's rule or the build date changed; kept files keep their time,
            # so a dirty build neither renders nor copies them.
            made = self.cache.get(slug, key)
            if made is None:
                made = self.cache.put(slug, key, {
                    **self.renderer.deal_pages(public.view(slug), agendas[slug]),
                    **_exports_of(slug, agendas[slug], names),
                    **public.texts(slug)})
            for path, source in made.items():
                (pages if path.endswith(".md") else files)[path] = source
            files.update(public.attached(slug))
            calendars.append(made[f"deals/{slug}/deadlines.ics"])
        files["deadlines.ics"] = merged_calendar(
            (c if isinstance(c, str) else c.read_text(encoding="utf-8") for c in calendars),
            f"{self.renderer.room_title} — deadlines")
        room_pages = self.renderer.room_pages(public.rows, with_home,
                                              summary(deals, agendas.values(), today), names,
                                              history, public.recent(history))
        pages.update(self.cache.put_room(room_pages))
        self.cache.save(set(public.deals))
        return Published(public, pages, files)


def _without_numbers(error: RecordError, raw: bytes, file: Path) -> RecordError:
    """The problems of a record with every number its account fields hold masked: a message
    echoes the value it refuses, and an account number pasted into the wrong field (a currency,
    an id, a kind) is still the real one. Read as `dealroom diff` reads any version."""
    numbers = read_snapshot(raw, file.name).numbers
    if not numbers:
        return error
    redact = Redactor([Secret(number, file.name, field) for number, field in numbers], 0)
    return RecordError([dataclasses.replace(p, field=redact(p.field), message=redact(p.message),
                                            fix=redact(p.fix)) for p in error.problems])


def _exports_of(slug: str, agenda: Agenda, names: dict[str, str]) -> dict[str, str]:
    return {f"deals/{slug}/obligations.csv": obligations_csv(agenda),
            f"deals/{slug}/deadlines.ics": deadlines_calendar([agenda], names,
                                                              f"{names[slug]} — deadlines")}


def build_in_memory(deals_dir: Path, policy: MaskPolicy | None = None, renderer: Renderer | None = None,
                    with_home: bool = True) -> dict[str, str | bytes]:
    """Every generated file of a room (Markdown pages and attachments), as the plugin publishes
    them: for the CLI's export and for tests that read a room without building HTML."""
    pipeline = Pipeline(Settings(deals_dir, policy or MaskPolicy()), renderer or Renderer())
    published = pipeline.publish(pipeline.load(), with_home)
    output: dict[str, str | bytes] = {}
    for path, source in {**published.pages, **published.files}.items():
        output[path] = source if isinstance(source, str) else source.read_bytes()
        if isinstance(source, Path) and path.endswith(".md"):
            output[path] = source.read_text(encoding="utf-8")
    return output



def check(path: Path, policy: MaskPolicy | None = None) -> list[Facts]:
    """Every check of a records folder, or of one record file, without rendering: what
    `dealroom validate` runs. Raises `RecordError` with every problem."""
    if not path.exists():
        if os.path.lexists(path):
            raise RecordError.single(path, "a symbolic link that leads back to itself or to "
                                     "nothing", "give the deals folder or the record file itself")
        raise RecordError.single(path, "no such file or folder", "give a deals folder or one record file")
    policy = policy or MaskPolicy()
    if path.is_file():
        pipeline = Pipeline(Settings(path.parent.parent if path.stem == "deal" else path.parent,
                                     policy), Renderer())
        deals = pipeline.load_one(path)
    else:
        deals = Pipeline(Settings(path, policy), Renderer()).load()
    PublicRoom(deals, policy).refuse_numbers_in_ids()
    return deals
