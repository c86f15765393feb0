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
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import SimpleNamespace

from dealroom.cache import PageCache
from dealroom.changes import deal_changes
from dealroom.derive import Agenda, Facts, agenda, derive, summary
from dealroom.errors import Problem, RecordError, field_name
from dealroom.exports import deadlines_calendar, merged_calendar, obligations_csv
from dealroom.extract import extract
from dealroom.gcpause import paused_gc
from dealroom.history import History, read_history, unavailable
from dealroom.loader import Loaded, load_bytes, read_record
from dealroom.mask import MaskPolicy, PublicRoom, Rule, past_values, secrets_of
from dealroom.numbers import Redactor, Secret
from dealroom.recorddiff import account_lines, read_snapshot
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
class _Name:
    """An id or an attached file's name a record writes, and where."""

    field: str
    value: str
    line: int
    column: int


@dataclass(frozen=True)
class _Known:
    """A deal as last loaded, and what proves its files unchanged since."""

    raw: bytes
    attached: tuple[tuple[str, int, int], ...]  # attached file, size, change time
    key: str
    facts: Facts
    names: tuple[_Name, ...]  # its ids and attached files' names, published as written
    secrets: tuple[Secret, ...]  # the raw values of its masked fields (`mask.secrets_of`)
    unreadable: tuple[Problem, ...] = ()  # attached files the guard cannot read (`_unreadable`)


# The fields whose values the room publishes as written, never masked: ids are in links and
# anchors (and the keys templates look entries up by), attached files' names in their links.
_NAME_FIELDS = ("id", "file")


def _names(loaded: Loaded) -> tuple[_Name, ...]:
    found: list[_Name] = []
    pending: list[tuple[tuple[str | int, ...], object]] = [((), loaded.data)]
    while pending:
        path, value = pending.pop()
        items = value.items() if isinstance(value, dict) else \
            enumerate(value) if isinstance(value, list) else ()
        for key, item in items:
            if isinstance(item, str):
                if key in _NAME_FIELDS:
                    found.append(_Name(field_name((*path, key)), item,
                                       *loaded.position((*path, key))))
            elif isinstance(item, dict | list):
                pending.append(((*path, key), item))
    return tuple(found)


@dataclass
class _Made:
    """What the room shows of a deal besides its pages, kept while the deal's key is unchanged."""

    row: SimpleNamespace  # in the list of deals and the nav
    agenda: Agenda
    shown: str  # a digest of what the room's own pages show of it, to tell when they change
    calendar: str | None = None  # its deadlines, in the room's calendar


@dataclass(frozen=True)
class Published:
    """What a room publishes: generated pages, attached files, and its public view."""

    public: PublicRoom
    pages: dict[str, str]  # site path -> Markdown
    files: dict[str, str | Path]  # site path -> generated text, or the attached file itself
    rewritten: frozenset[str] = frozenset()  # pages and files whose text this build changed
    shown: str = ""  # a digest of what the room's own pages and the nav show of every deal


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
        with os.scandir(deals_dir) as listing:  # no `Path` per entry: a thousand deals per build
            children = sorted(listing, key=lambda entry: entry.name)
    except OSError as error:  # a loop of links, a folder we may not list
        raise RecordError.single(deals_dir, f"the deals folder cannot be read: {error.strerror}",
                                 "make it a plain folder of records") from None
    found: list[tuple[str, Path]] = []
    problems: list[Problem] = []
    for child in children:
        name = PurePosixPath(child.name)
        stem, suffix = name.stem, name.suffix
        try:
            try:
                is_dir = child.is_dir()
            except OSError:  # a loop of links: not a folder, as `Path.is_dir` says
                is_dir = False
            if is_dir:
                # Whatever is there under a record's name is read: a loop of links, a link to
                # nothing or a folder is reported by `read_record`, not skipped as no record.
                named = [os.path.join(child.path, record_name) for record_name in RECORD_NAMES
                         if os.path.lexists(os.path.join(child.path, record_name))]
                found += [(child.name, Path(path)) for path in named]
                if not named:
                    problems += _no_record(deals_dir / child.name)
            elif suffix.lower() in (".yml", ".yaml"):
                found.append((stem, deals_dir / child.name))
            elif child.is_symlink() and not os.path.exists(child.path) and not suffix:
                # A deal's folder that is a loop of links, or a link to nothing: its deal would
                # be missing from the room without a word.
                problems.append(Problem(deals_dir / child.name, 1, 1, "", "this link in the deals "
                                        "folder leads back to itself or to nothing, so no deal "
                                        "can be read from it", "replace it with the deal's "
                                        "folder, or remove it"))
        except OSError:  # a loop of links: reading it reports the problem, with its name
            found.append((stem, deals_dir / child.name))
    records: list[tuple[str, Path]] = []
    seen: dict[str, Path] = {}
    for slug, record in found:
        if slug in RESERVED_IDS:
            problems.append(Problem(record, 1, 1, "", f"deal id {slug!r} is the address of the "
                                    f"room's {RESERVED_IDS[slug]} page", "rename the deal"))
            continue
        if slug in seen:
            problems.append(Problem(record, 1, 1, "", f"deal id {slug!r} is also used by "
                                    f"{seen[slug]}", "rename one of the two"))
            continue
        seen[slug] = record
        records.append((slug, record))
    return records, problems


# Deal ids whose pages would take the address of a page of the room (`deals/changes.md`).
RESERVED_IDS = {"changes": "Recent changes"}


def _no_record(folder: Path) -> list[Problem]:
    """A folder of the deals folder with YAML in it but no record under a record's name: its
    deal would be missing from the room without a word (`deal.YML`, `record.yml`)."""
    try:
        with os.scandir(folder) as listing:
            yaml_files = sorted(entry.name for entry in listing
                                if PurePosixPath(entry.name).suffix.lower() in (".yml", ".yaml"))
    except OSError:
        return []
    if not yaml_files:
        return []  # a folder of other files (shared exhibits): not a deal's
    return [Problem(folder / yaml_files[0], 1, 1, "", f"this deal folder has no {RECORD_NAMES[0]}, "
                    "so its deal is not in the room", f"name the record {RECORD_NAMES[0]} "
                    "(lower case)")]


def _unreadable(facts: Facts, names: tuple[_Name, ...]) -> tuple[Problem, ...]:
    """An attached file no person has reviewed is published only if the leak guard can read
    all of it: one it cannot (an image, a page of outlines, an encrypted PDF) is refused with
    the records, at its entry in the record, before anything is built."""
    attached = [(exhibit.file, index, "exhibits") for index, exhibit in enumerate(facts.deal.exhibits)
                if exhibit.file and exhibit.reviewed_on is None]
    attached += [(document.file, index, "documents") for index, document in enumerate(facts.deal.documents)
                 if document.reviewed_on is None]
    problems = []
    for reference, index, section in attached:
        if reference in facts.documents:  # text, shown on the page: read as text
            continue
        try:
            data = (facts.folder / reference).read_bytes()
        except OSError:
            continue  # validation said what it could of the file; the build reports the rest
        reading = extract(reference, data, attachment=True)
        if not reading.complete:
            field = f"{section}[{index}].file"
            line, column = next(((n.line, n.column) for n in names if n.field == field), (1, 1))
            problems.append(Problem(facts.record, line, column, field,
                                    f"the leak guard cannot read all of {reference!r} "
                                    f"({reading.problem}), so it would not be published",
                                    "attach a version whose text can be read, or, once a person "
                                    "has checked that it holds no account number, add "
                                    "`reviewed_by` and `reviewed_on`"))
    return tuple(problems)


def _attached(facts: Facts) -> tuple[tuple[str, int, int], ...]:
    stats = []
    folder = str(facts.folder)  # no `pathlib`: two files for each of a thousand deals, each build
    for reference in sorted(facts.files):
        file = os.path.join(folder, reference)
        try:
            status = os.stat(file)
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
        self._hiding: tuple[frozenset[str], _Hide] | None = None
        # Every number the records held when they were last refused, valid records or not:
        # while serving, the last good room is served, and masked and guarded with these too.
        self.refused_numbers: list[Secret] = []
        self._checked: tuple[_Hide | None, dict[str, _Known]] = (None, {})
        self._kept_rule: Rule | None = None
        self._made: dict[str, tuple[str, _Made]] = {}  # deal -> the key it was made under, what
        self._room: tuple[str, dict[str, str]] | None = None  # what the room pages show, them
        self._ids: tuple[str, tuple[str, ...]] | None = None  # the rule and the ids last checked
        self.cache = PageCache(settings.cache_dir)

    @paused_gc
    def load(self) -> list[Facts]:
        """Load, validate and derive every record; raises `RecordError` with every problem.

        A record whose bytes and attached files are unchanged since the last call is not read
        again: its facts are reused."""
        self.refused_numbers = []
        records, problems = find_records(self.settings.deals_dir)
        known: dict[str, _Known] = {}
        failed: list[Path] = []
        for slug, file in records:
            try:
                known[slug] = self._load_deal(slug, file)
            except RecordError as error:
                problems.extend(error.problems)
                failed.append(file)
        if problems:
            # A message may quote a number another record holds (a folder named for it, an id
            # of one deal holding another's account): every number of the room is hidden.
            secrets = [s for k in known.values() for s in k.secrets]
            secrets += [s for file in failed for s in _numbers_of(file)]
            secrets += self._past_numbers(secrets)
            self.refused_numbers = secrets
            raise _Hide(secrets).error(RecordError(problems))
        previous, self._known = self._known, known
        deals = [k.facts for k in known.values()]
        try:
            # With the numbers the history held at the last build, as `history` will check them.
            self.refuse_numbers_in_names(deals, self._history.secrets() if self._history else None)
            unreadable = [problem for k in known.values() for problem in k.unreadable]
            if unreadable:  # an attached file's reason may name a member holding a number
                secrets = [s for k in known.values() for s in k.secrets]
                self.refused_numbers = secrets + self._past_numbers(secrets)
                raise _Hide(self.refused_numbers).error(RecordError(unreadable))
        except RecordError:
            self._known = previous  # the last good room is still the one served
            raise
        return deals

    def load_one(self, file: Path) -> list[Facts]:
        """One record file, loaded and checked as `load` would."""
        slug = file.parent.name if file.stem == "deal" else file.stem
        try:
            self._known = {slug: self._load_deal(slug, file)}
        except RecordError as error:
            # Its messages may quote another record's number, or one of the past: all hidden.
            secrets = room_numbers(self.settings.deals_dir) + _numbers_of(file)
            raise _Hide(secrets + self._past_numbers(secrets)).error(error) from None
        deals = [self._known[slug].facts]
        self.refuse_numbers_in_names(deals)
        if self._known[slug].unreadable:
            secrets = room_numbers(self.settings.deals_dir) + list(self._known[slug].secrets)
            raise _Hide(secrets + self._past_numbers(secrets)).error(
                RecordError(list(self._known[slug].unreadable)))
        return deals

    def _past_numbers(self, known: list[Secret]) -> list[Secret]:
        """The numbers earlier versions of the records held (git), which a message may quote
        too: as the last build read them, else read now (a refused build ends here)."""
        if self._history is not None:
            return self._history.secrets()
        if not self.settings.history:
            return []
        folder = self.settings.deals_dir.resolve()  # `read_history` takes it from `where`
        return read_history(folder, folder, known=known).secrets()

    def refuse_numbers_in_names(self, deals: list[Facts], past: list[Secret] | None = None) -> None:
        """A deal's folder name, its ids and its attached files' names are published as they are
        written, in URLs, anchors and links: none may hold a number of the room (`past`: numbers
        earlier versions held, which the room masks too), in any written form. Masked, an id
        would no longer name its entry; published, it would leak the number."""
        secrets = [*self._secrets(deals), *(past or [])]
        hide = self._hide(secrets)
        if self._checked[0] is not hide:
            self._checked = (hide, {})
        clean = self._checked[1]  # slug -> the deal found clean by this rule: not looked at again
        problems: list[Problem] = []
        for facts in deals:
            known = self._known[facts.slug]
            if clean.get(facts.slug) is known:
                continue
            before = len(problems)
            if hide.holds(facts.slug):
                problems.append(Problem(facts.record, 1, 1, "", "the deal's folder or file name "
                                        "holds one of the room's account numbers, and would "
                                        "publish it in every URL of the deal",
                                        "rename it"))
            for name in known.names:
                if not hide.holds(name.value):
                    continue
                if name.field.endswith("file"):
                    message = ("the file's name holds one of the room's account numbers, and would "
                               "publish it in the file's link and address")
                    fix = "rename the file without the number, and write its new name here"
                else:
                    message = ("the id holds one of the room's account numbers, and would publish "
                               "it in the deal's links and anchors")
                    fix = "choose an id without the number, and write it where the entry is named"
                problems.append(Problem(facts.record, name.line, name.column, name.field,
                                        message, fix))
            if len(problems) == before:
                clean[facts.slug] = known
        if problems:
            self.refused_numbers = secrets
            raise hide.error(RecordError(problems))

    def _hide(self, secrets: list[Secret]) -> _Hide:
        """The rule that hides `secrets`, kept while they stay the same (`mkdocs serve`)."""
        digits = frozenset(s.digits for s in secrets)
        if self._hiding is None or self._hiding[0] != digits:
            self._hiding = (digits, _Hide(secrets))
        return self._hiding[1]

    def _load_deal(self, slug: str, file: Path) -> _Known:
        raw = read_record(file)
        before = self._known.get(slug)
        if before is not None and before.raw == raw and before.attached == _attached(before.facts):
            return before
        try:
            loaded = load_bytes(file, raw)
            valid = validate_record(slug, loaded, self.settings.deals_dir)
            facts = derive(slug, valid.deal, valid.files, valid.texts, file)
        except RecordError as error:
            raise _Hide(_numbers_of(file, raw)).error(error) from None
        try:
            names = _names(loaded)
            return _Known(raw, _attached(facts), _key(raw, facts), facts, names,
                          tuple(secrets_of(facts, self.settings.policy)), _unreadable(facts, names))
        except OSError as error:  # removed or made unreadable since it was checked
            raise RecordError.single(file, f"an attached file cannot be read: {error.strerror}",
                                     "check the files the record attaches") from None

    @paused_gc
    def history(self, deals: list[Facts]) -> History:
        """The records' history from git, read once per build (what is known is kept)."""
        if not self.settings.history:
            return unavailable("reading the history is turned off (the plugin's `history` option)")
        current = self._secrets(deals)
        self._history = read_history(self.settings.deals_dir, self.settings.deals_dir, known=current,
                                     visible_digits=self.settings.policy.visible_digits,
                                     previous=self._history)
        past = self._history.secrets()
        if {s.digits for s in past} - {s.digits for s in current}:
            # Pages mask the numbers earlier versions held too: no name may hold one either.
            self.refuse_numbers_in_names(deals, past)
        return self._history

    def _secrets(self, deals: list[Facts]) -> list[Secret]:
        """Every secret of `deals` (`mask.room_secrets`): as found when each was loaded, or
        found again for a deal that is not the one last loaded (the last good room, served
        while a record is refused)."""
        found: list[Secret] = []
        for facts in deals:
            known = self._known.get(facts.slug)
            found += known.secrets if known is not None and known.facts.deal is facts.deal \
                else secrets_of(facts, self.settings.policy)
        return found

    def _rule(self, secrets: list[Secret]) -> Rule:
        """The room's masking rule, kept while the room's secrets stay the same."""
        if self._kept_rule is None or self._kept_rule.secrets != secrets:
            self._kept_rule = Rule(secrets, self.settings.policy)
        return self._kept_rule

    @paused_gc
    def publish(self, deals: list[Facts], with_home: bool, history: History | None = None) -> Published:
        """Mask the whole room with every secret of it, then render the pages not cached."""
        history = history or unavailable("no history was read")
        deals = [dataclasses.replace(facts, changes=deal_changes(history, facts,
                                                                 self.settings.alarm_window_days))
                 for facts in deals]
        rule = self._rule([*self._secrets(deals), *history.secrets(),
                           *past_values(history, self.settings.policy)])
        fingerprint = self.renderer.fingerprint(rule.digest)
        keys: dict[str, str] = {}
        for facts in deals:
            assert facts.changes is not None
            keys[facts.slug] = hashlib.sha256(f"{self._known[facts.slug].key}:{facts.changes.digest}:"
                                              f"{fingerprint}".encode()).hexdigest()
        # What a deal's key says is unchanged is not made again: its list row, its agenda, its
        # calendar and (`self.cache`) its pages, exports and redacted texts. The key covers the
        # deal, its history, the room's rule and the build date.
        kept = {slug: made for slug, (key, made) in self._made.items() if keys.get(slug) == key}
        public = PublicRoom(deals, self.settings.policy, rule=rule,
                            rows={slug: made.row for slug, made in kept.items()})
        # A deal's id is checked again when the ids or the room's numbers change.
        ids = (rule.digest, tuple(public.deals))
        if self._ids != ids:
            public.refuse_numbers_in_ids()
            self._ids = ids
        today = self.renderer.today
        names = {row.slug: str(row.deal.name) for row in public.rows}
        pages: dict[str, str] = {}
        files: dict[str, str | Path] = {}
        for facts, row in zip(deals, public.rows, strict=True):
            slug = facts.slug
            made = kept.get(slug)
            if made is None:
                # What is due and overdue as of the build date, masked like every page.
                due = agenda(facts, today).redacted(public.redact)
                made = _Made(row, due, hashlib.sha256(repr((row, due)).encode()).hexdigest())
            # Kept files keep their time, so a dirty build neither renders nor copies them.
            cached = self.cache.get(slug, keys[slug])
            if cached is None:
                cached = self.cache.put(slug, keys[slug], {
                    **self.renderer.deal_pages(public.view(slug), made.agenda),
                    **_exports_of(slug, made.agenda, names),
                    **public.texts(slug)})
            for path, text in cached.items():
                if path.endswith(".md"):
                    pages[path] = text
                else:
                    files[path] = text
            files.update(public.attached(slug))
            if made.calendar is None:
                made.calendar = cached[f"deals/{slug}/deadlines.ics"]
            kept[slug] = made
        self._made = {slug: (keys[slug], kept[slug]) for slug in public.deals}
        made_all = [kept[slug] for slug in public.deals]
        files["deadlines.ics"] = merged_calendar((made.calendar or "" for made in made_all),
                                                 f"{self.renderer.room_title} — deadlines")
        room = summary(deals, (made.agenda for made in made_all), today)
        recent = public.recent(history)
        # The list of deals and the home page show every deal: made again only when what they
        # show changed, not on every edit of a deal's other fields.
        shown = hashlib.sha256(repr((fingerprint, with_home, [made.shown for made in made_all],
                                     room.by_status, room.amounts, recent, history.available,
                                     history.reason)).encode()).hexdigest()
        if self._room is None or self._room[0] != shown:
            self._room = (shown, self.cache.put_room(self.renderer.room_pages(
                public.rows, with_home, room, names, history, recent)))
        pages.update(self._room[1])
        self.cache.save(set(public.deals))
        rewritten, self.cache.rewritten = frozenset(self.cache.rewritten), set()
        return Published(public, pages, files, rewritten, shown)


# A character as `repr` escapes it in a message (`'066\\u200b198038'`).
_ESCAPE = re.compile(r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[tnr])")


def _unescaped(text: str) -> str:
    def character(found: re.Match[str]) -> str:
        try:
            ch = found[0].encode("ascii").decode("unicode_escape")
        except UnicodeDecodeError:  # beyond U+10FFFF: no character, text as written
            return found[0]
        return found[0] if "\ud800" <= ch <= "\udfff" else ch
    return _ESCAPE.sub(character, text)


class _Hide:
    """The room's mask (`numbers.Redactor`: its numbers with any gap, and labelled numbers) for
    names and problems."""

    def __init__(self, secrets: list[Secret]) -> None:
        self._redact = Redactor(secrets, 0)

    def holds(self, name: str) -> bool:
        """Whether `name` holds a number the room masks: published as written, it would leak
        it; masked, it would no longer be the name it is (a link to nothing)."""
        return self._redact(name) != name

    def _text(self, text: str) -> str:
        # A message quotes a value as `repr` writes it: its escapes are read as the characters
        # they stand for (gaps in a number), and written again as escapes when it is printed.
        return self._redact(_unescaped(text) if "\\" in text else text)

    def error(self, error: RecordError) -> RecordError:
        """The problems with every number hidden: in their files' paths, fields, messages, fixes."""
        return RecordError([dataclasses.replace(p, file=p.file.__class__(self._text(str(p.file))),
                                                field=self._text(p.field), message=self._text(p.message),
                                                fix=self._text(p.fix)) for p in error.problems])


def _numbers_of(file: Path, raw: bytes | None = None) -> list[Secret]:
    """Every number a record's account fields hold, valid record or not, to hide in its
    problems: a message echoes the value it refuses, and an account number pasted into the
    wrong field (a currency, an id, a kind) is still the real one. Read as `dealroom diff`
    reads any version."""
    if raw is None:
        try:
            raw = read_record(file)
        except RecordError:
            return []
    # An account line another field's text swallowed is quoted whole by that field's problem.
    numbers = [*read_snapshot(raw, file.name).numbers, *account_lines(raw)]
    return [Secret(number, file.name, field) for number, field in numbers]


def room_numbers(deals_dir: Path) -> list[Secret]:
    """Every number the records of `deals_dir` hold, read as `dealroom diff` reads any version
    (valid or not): what a message about one record must hide too, as it may quote another's."""
    try:
        records, _ = find_records(deals_dir)
    except RecordError:
        return []
    return [secret for _, file in records for secret in _numbers_of(file)]


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
    return deals
