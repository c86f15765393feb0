"""Validate stage: a loaded record becomes a typed `Deal`, or every problem in it is reported.

Structure and field syntax are checked by the model; this module adds what spans fields:
references between parties, instructions, obligations and exhibits, arithmetic that must
agree, dates that must follow each other, and files that must stay inside the content folder.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

import holidays
from pydantic import BaseModel, TypeAdapter, ValidationError

from dealroom import schedule
from dealroom.economics import compare, refusals
from dealroom.errors import Problem, RecordError, field_name
from dealroom.financing_checks import FinancingChecks
from dealroom.loader import Loaded, Path_
from dealroom.model import Deal
from dealroom.pagetext import exhibit_anchor, kind_name
from dealroom.precision import at_precision, places
from dealroom.types import MINOR_UNITS, PRICE_DECIMALS, IsoDate

_HINTS = {
    "missing": "add this required field",
    "literal_error": "use one of the allowed values",
    "list_type": "write a YAML list (lines starting with `- `)",
    "model_type": "write a mapping of fields (`key: value` lines)",
    "model_attributes_type": "write a mapping of fields (`key: value` lines)",
    "string_type": "write text",
    "string_pattern_mismatch": "match the documented format",
    "too_short": "add at least one entry",
}


def _problem(loaded: Loaded, path: Path_, message: str, fix: str = "", at_key: bool = False) -> Problem:
    line, column = loaded.key_position(path) if at_key else loaded.position(path)
    return Problem(loaded.file, line, column, field_name(path), message, fix)


def _fields_of(model: type[BaseModel], path: Path_, data: Any = None) -> list[str]:
    """The field names allowed at `path`, for "did you mean" suggestions: of the member of a
    union (an instrument) that the `kind` of `data`, the mapping there, names."""
    found = _model_at(model, path, data.get("kind") if isinstance(data, dict) else None)
    return list(found.model_fields) if found else []


def _at(data: Any, path: Path_) -> Any:
    """What the record holds at `path`, or None."""
    for part in path:
        inside = (isinstance(data, dict) and part in data) or \
            (isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data))
        if not inside:
            return None
        data = data[part]
    return data


def _allowed_values(path: Path_) -> list[str]:
    """The values a Literal field at `path` allows, in the model's order."""
    model = _model_at(Deal, path[:-1])
    info = model.model_fields.get(str(path[-1])) if model and path else None
    pending: list[Any] = [info.annotation] if info else []
    values: list[str] = []
    while pending:  # through `X | None` and `Annotated[...]` to the Literal
        annotation = pending.pop(0)
        if get_origin(annotation) is Literal:
            values.extend(str(value) for value in get_args(annotation))
        else:
            pending.extend(getattr(annotation, "__args__", ()))
    return values


def _did_you_mean(value: Any, allowed: list[str]) -> str | None:
    """The allowed value `value` was most likely meant as: the same but for case, or close."""
    if not isinstance(value, str) or not allowed:
        return None
    same = [option for option in allowed if option.casefold() == value.strip().casefold()]
    if same:
        return same[0]
    by_folded = {option.casefold(): option for option in allowed}
    close = difflib.get_close_matches(value.strip().casefold(), list(by_folded), n=1)
    return by_folded[close[0]] if close else None


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models a field's type names, through lists, unions and `Annotated`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in getattr(annotation, "__args__", ()) for model in _models_in(arg)]


def _model_at(model: type[BaseModel], path: Path_, kind: Any = None) -> type[BaseModel] | None:
    """The model whose fields are at `path` (list indexes skipped), or None; where the last
    step is a union of models told apart by `kind`, the member that `kind` names."""
    for part in path:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        if info is None:
            return None
        models = _models_in(info.annotation)
        chosen = [m for m in models if "kind" in m.model_fields
                  and kind in get_args(m.model_fields["kind"].annotation)]
        if not models:
            return None
        model = (chosen or models)[0]
    return model


def _data_path(data: Any, loc: tuple[str | int, ...]) -> Path_:
    """Pydantic's error location without its own steps (`function-after[...]`): keys of the data."""
    path: list[str | int] = []
    for part in loc:
        if isinstance(data, dict) and part not in data and data.get("kind") == part:
            continue  # the member of a union its `kind` chose: pydantic's own step
        in_dict = isinstance(data, dict) and part in data
        if in_dict or (isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)):
            data = data[part]
        elif isinstance(part, str) and "[" in part:
            continue  # pydantic's own step, e.g. `function-after[...]`
        else:
            data = None  # a missing or unknown field: named all the same
        path.append(part)
    return tuple(path)


def _structure_problems(loaded: Loaded, error: ValidationError) -> Iterator[Problem]:
    for item in error.errors(include_url=False):
        path = _data_path(loaded.data, item["loc"])
        kind, message = item["type"], item["msg"]
        if kind == "extra_forbidden":
            known = _fields_of(Deal, path[:-1], _at(loaded.data, path[:-1]))
            close = difflib.get_close_matches(str(path[-1]), known, n=1)
            fix = f"did you mean `{close[0]}`?" if close else f"allowed here: {', '.join(known)}"
            yield _problem(loaded, path, f"unknown field `{field_name(path[-1:])}`", fix, at_key=True)
            continue
        if message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        fix = ""
        if kind != "missing" and "input" in item and item["input"] is None and path:
            # `price_per_share:` with nothing after it: whatever the field's type, it is blank.
            yield _problem(loaded, path, "the value is empty",
                           "write the value, or remove the field if it is optional")
            continue
        if "(fix: " in message:
            message, fix = message.removesuffix(")").split(" (fix: ", 1)  # one ")": fixes nest
        elif kind == "missing":
            message = "required field is missing"
        elif kind == "literal_error":
            message = f"{item['input']!r} is not allowed here; {message[0].lower()}{message[1:]}"
            allowed = _allowed_values(path)
            meant = _did_you_mean(item["input"], allowed)
            if meant is not None:
                fix = f"did you mean `{meant}`? use one of: {', '.join(allowed)}"
        yield _problem(loaded, path, message, fix or _HINTS.get(kind, ""))


# Attachments a browser shows inertly. HTML, SVG, XML or scripts published on the room's own
# origin would run with the room's privileges, so they are refused rather than published.
ATTACHMENT_SUFFIXES = {".pdf", ".txt", ".md", ".markdown", ".csv", ".png", ".jpg", ".jpeg", ".gif",
                       ".webp", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".zip"}


# Attachments shown as text on their deal's page, with every account number redacted.
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".csv"}
MAX_TEXT_ATTACHMENT_BYTES = 2 * 1024 * 1024


@cache
def _adapter(name: str) -> TypeAdapter[Any]:
    info = Deal.model_fields[name]
    if not info.metadata:
        return TypeAdapter(info.annotation)  # type: ignore[arg-type]  # every field has one
    return TypeAdapter(Annotated[info.annotation, *info.metadata])  # type: ignore[arg-type]


def _valid_parts(data: dict[str, Any]) -> tuple[Deal, set[str]]:
    """The parts of a structurally invalid record that are valid, and the fields that are not.

    Cross-field checks then run on what is valid, so a user sees a wrong reference and a
    malformed date in the same pass instead of one after the other.
    """
    parts: dict[str, Any] = {}
    failed: set[str] = set()
    for name, info in Deal.model_fields.items():
        value = data.get(name)
        if get_origin(info.annotation) is list:
            # Keep each valid entry: one bad party must not hide the others from the checks.
            items = value if isinstance(value, list) else []
            parsed = [_parsed(_item_adapter(get_args(info.annotation)[0]), item) for item in items]
            parts[name] = [item for item in parsed if item is not _INVALID]
            if len(parts[name]) < len(items) or not isinstance(value, list | None):
                failed.add(name)
        elif name not in data:
            failed |= {name} if info.is_required() else set()
        elif (parsed_value := _parsed(_adapter(name), value)) is _INVALID:
            failed.add(name)
        else:
            parts[name] = parsed_value
    return Deal.model_construct(**parts), failed


_INVALID = object()
_DATE: TypeAdapter[date] = TypeAdapter(IsoDate)


@cache
def _item_adapter(item_type: type) -> TypeAdapter[Any]:
    return TypeAdapter(item_type)


def _parsed(adapter: TypeAdapter[Any], value: Any) -> Any:
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return _INVALID


def _raw_ids(data: dict[str, Any], what: str) -> set[str]:
    """Ids written in a list of the record, valid entries or not."""
    items = data.get(what)
    if not isinstance(items, list):
        return set()
    return {item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)}


@cache
def _calendars() -> frozenset[str]:
    """The holiday calendars the library knows: listed once, not for every deal."""
    return frozenset(holidays.list_supported_financial()) | frozenset(holidays.list_supported_countries())


class _Checker:
    """Cross-field checks of one deal, collecting every problem.

    `failed` names the top-level fields that did not validate; checks that need them are
    skipped, and ids written in invalid entries still count as existing (their own problem is
    already reported), so no check reports a consequence of another problem.
    """

    def __init__(self, loaded: Loaded, deal: Deal, content_root: Path,
                 failed: frozenset[str] = frozenset()) -> None:
        self.loaded, self.deal, self.root, self.failed = loaded, deal, content_root, failed
        self.problems: list[Problem] = []
        self._resolved_root: Path | None = None
        self._plain: dict[str, bool] = {}  # folder -> it and its parents exist, none a link
        self.texts: dict[str, str] = {}  # attached text file -> its text, read once here

    def add(self, path: Path_, message: str, fix: str = "") -> None:
        self.problems.append(_problem(self.loaded, path, message, fix))

    def unique(self, items: list[Any], key: str, what: str) -> set[str]:
        seen: set[str] = set()
        for index, item in enumerate(items):
            value = getattr(item, key)
            if value in seen:
                self.add((what, index, key), f"duplicate id {value!r}", "give each entry its own id")
            seen.add(value)
        return seen

    def exhibit_ids(self) -> set[str]:
        """The ids a reference may name. An id is unique within its kind: Exhibit A and Schedule
        A may both exist, and a bare `A` names the exhibit (`pagetext.find_exhibit`). Two
        entries of one kind must not share the anchor their links go to either."""
        seen: dict[str, str] = {}  # anchor -> the id written first
        for index, exhibit in enumerate(self.deal.exhibits):
            anchor = exhibit_anchor(exhibit)
            if anchor not in seen:
                seen[anchor] = exhibit.id
                continue
            first = seen[anchor]
            if first == exhibit.id:
                self.add(("exhibits", index, "id"), f"duplicate id {exhibit.id!r} among the "
                         f"{kind_name(exhibit.kind, plural=True).lower()}",
                         "give each entry its own id, or the `kind` the agreement gives it "
                         "(exhibit, schedule, annex, appendix, attachment)")
            else:
                self.add(("exhibits", index, "id"), f"{kind_name(exhibit.kind)} {exhibit.id} and "
                         f"{kind_name(exhibit.kind)} {first} differ only in parentheses or dashes, "
                         "so their pages' links would be the same",
                         "write each id exactly as the agreement does")
        return {exhibit.id for exhibit in self.deal.exhibits}

    def ref(self, path: Path_, value: str | None, known: set[str], what: str) -> None:
        section = "parties" if what == "party" else f"{what}s"
        if section in self.failed and value in _raw_ids(self.loaded.data, section):
            return  # it names an entry that is invalid: that entry's problem is reported
        if value is not None and value not in known:
            options = ", ".join(sorted(known)) or "none defined"
            self.add(path, f"refers to {what} {value!r}, which does not exist",
                     f"use one of: {options}")

    def date(self, section: str, key: str) -> date | None:
        """A date of a section, even when another field of the section is invalid."""
        if section not in self.failed:
            known = getattr(getattr(self.deal, section), key, None)
            return known if isinstance(known, date) else None
        raw = self.loaded.data.get(section)
        value = _parsed(_DATE, raw.get(key)) if isinstance(raw, dict) else _INVALID
        return value if isinstance(value, date) else None

    def decimals(self, path: Path_, value: Decimal, allowed: int, what: str) -> None:
        places = -value.as_tuple().exponent  # type: ignore[operator]
        if places > allowed:
            self.add(path, f"{what} {value} has {places} decimal places; at most {allowed} "
                     "are allowed", "round it as the agreement states it")
        if value <= 0:
            self.add(path, f"{what} must be greater than zero", "write the positive amount")

    def run(self) -> list[Problem]:
        deal = self.deal
        parties = self.unique(deal.parties, "id", "parties")
        instructions = self.unique(deal.instructions, "id", "instructions")
        obligations = self.unique(deal.obligations, "id", "obligations")
        exhibits = self.exhibit_ids()
        groups = self.unique(deal.groups, "id", "groups")
        for index, group in enumerate(deal.groups):
            if group.id in parties:
                self.add(("groups", index, "id"), f"group id {group.id!r} is also a party's id",
                         "give the group its own id, e.g. purchasers")
            for member, party in enumerate(group.members):
                self.ref(("groups", index, "members", member), party, parties, "party")
        self.unique(deal.documents, "id", "documents")
        cents = MINOR_UNITS[deal.currency] if "currency" not in self.failed else None
        signing = self.date("agreement", "date")

        if "holiday_calendar" not in self.failed and deal.holiday_calendar not in _calendars():
            self.add(("holiday_calendar",), f"unknown holiday calendar {deal.holiday_calendar!r}",
                     "use a market such as NYSE or a country code such as US")
        if deal.shares:
            sale = deal.shares
            self.ref(("shares", "issuer"), sale.issuer, parties, "party")
            self.ref(("shares", "purchaser"), sale.purchaser, parties, "party")
            self.decimals(("shares", "price_per_share"), sale.price_per_share, PRICE_DECIMALS,
                          "price per share")
            if sale.par_value is not None:
                self.decimals(("shares", "par_value"), sale.par_value, PRICE_DECIMALS, "par value")
            if cents is not None:
                self.decimals(("shares", "aggregate_price"), sale.aggregate_price, cents,
                              "aggregate price")
            if sale.quantity <= 0:
                self.add(("shares", "quantity"), "quantity must be greater than zero")
            computed = sale.quantity * sale.price_per_share
            # Within the rounding of the stated precision the page shows both, flagged.
            if compare(computed, sale.aggregate_price) == "beyond":
                computed = at_precision(computed, places(sale.aggregate_price),
                                        2 if cents is None else cents)
                self.add(("shares", "aggregate_price"),
                         f"aggregate price {sale.aggregate_price:,} does not equal quantity "
                         f"{sale.quantity:,} x price {sale.price_per_share} = {computed:,}",
                         "correct the quantity, the price or the aggregate to match the agreement")
        for index, warrant in enumerate(deal.warrants):
            at = ("warrants", index)
            self.ref((*at, "issuer"), warrant.issuer, parties, "party")
            self.ref((*at, "holder"), warrant.holder, parties, "party")
            self.ref((*at, "form_exhibit"), warrant.form_exhibit, exhibits, "exhibit")
            self.decimals((*at, "exercise_price"), warrant.exercise_price, PRICE_DECIMALS,
                          "exercise price")
            if warrant.shares <= 0:
                self.add((*at, "shares"), "warrant shares must be greater than zero")
        if signing is None and "agreement" not in self.failed:
            for index, warrant in enumerate(deal.warrants):
                if warrant.term_starts_on is None:
                    self.add(("warrants", index, "term_starts_on"), "the agreement date is not "
                             "stated, so the warrant's term has no start", "give `term_starts_on`")
        FinancingChecks(self, parties, groups, exhibits, obligations, instructions).run()
        for path, message, fix in refusals(deal):  # stated figures the computed ones refute
            self.add(path, message, fix)
        if deal.registration and deal.registration.prospectus_supplement:
            self.ref(("registration", "prospectus_supplement", "exhibit"),
                     deal.registration.prospectus_supplement.exhibit, exhibits, "exhibit")
        deadline = self.date("closing", "deadline") if deal.closing or "closing" in self.failed \
            else None
        if signing and deadline and deadline < signing:
            self.add(("closing", "deadline"), f"the closing deadline {deadline} is "
                     f"before the agreement date {signing}", "check both dates")
        for index, instruction in enumerate(deal.instructions):
            self.ref(("instructions", index, "payer"), instruction.payer, parties | groups,
                     "party")
            self.ref(("instructions", index, "payee"), instruction.payee, parties | groups,
                     "party")
        for index, obligation in enumerate(deal.obligations):
            at = ("obligations", index)
            self.ref((*at, "obligor"), obligation.obligor, parties | groups, "party")
            self.ref((*at, "beneficiary"), obligation.beneficiary, parties | groups, "party")
            self.ref((*at, "instruction"), obligation.instruction, instructions, "instruction")
            self.ref((*at, "exhibit"), obligation.exhibit, exhibits, "exhibit")
            self.ref((*at, "due_next_business_day_after"), obligation.due_next_business_day_after,
                     obligations - {obligation.id}, "obligation")
            if signing and isinstance(obligation.due, date) and obligation.due < signing:
                self.add((*at, "due"), f"due date {obligation.due} is before the agreement date "
                         f"{signing}", "check the date")
        self._check_chains()
        for index, exhibit in enumerate(deal.exhibits):
            if exhibit.file is not None:
                self.check_file(("exhibits", index, "file"), exhibit.file)
        for index, document in enumerate(deal.documents):
            self.check_file(("documents", index, "file"), document.file)
        return self.problems

    def _check_chains(self) -> None:
        # Every rule counted from another (closings and obligations alike) must reach a date.
        for path, message, fix in schedule.circles(self.deal):
            self.add(path, message, fix)
        if not self.problems:  # otherwise valid: its dates are counted as `derive` counts them
            for path, message, fix in schedule.past_the_years(self.deal):
                self.add(path, message, fix)

    def check_file(self, path: Path_, reference: str) -> None:
        """A referenced file must be a regular file inside the content folder, not a link."""
        try:
            self._check_place(path, reference)
        except OSError as exc:  # a name too long for the file system, a loop of links...
            self.add(path, f"file {reference!r} cannot be read: {exc.strerror}",
                     "give the relative path of a file in the deal's folder")
        except RuntimeError:  # a loop of links in a folder of its path (Python 3.11's `resolve`)
            self.add(path, f"file {reference!r} cannot be read: a folder of its path is a loop "
                     "of symbolic links", "copy the file itself into the deal's folder")

    def _root(self) -> Path:
        """The content folder resolved, once per deal; an error is raised again at each call."""
        if self._resolved_root is None:
            self._resolved_root = self.root.resolve()
        return self._resolved_root

    def _under_plain_root(self, candidate: Path) -> bool:
        """Whether `candidate` has no `..`, lies under the content folder, and every one of its
        parents exists and is not a symbolic link, up to `/` (relative paths from the working
        directory, which `resolve()` joins them to).

        Then each parent resolves to itself, without error, and `candidate` resolves inside the
        folder: the checks below need no `resolve()` (a walk of the path per parent, most of
        the load time of attachments). Anything else takes those checks as they are.
        """
        text, root = str(candidate), str(self.root)
        if not candidate.is_absolute() or not self.root.is_absolute():
            try:
                cwd = os.getcwd()
            except OSError:  # deleted: `resolve()` raises, at the point it did
                return False
            text, root = os.path.join(cwd, text), os.path.join(cwd, root)
        if text.startswith("//") or "/../" in f"{text}/" or "/./" in f"{text}/" or \
                not text.startswith(root if root == "/" else f"{root}/"):
            return False
        if "\x00" in text:  # a name the OS cannot take makes `resolve()` raise: keep that error
            return False
        if not text.isascii():
            try:
                os.fsencode(text)
            except UnicodeEncodeError:
                return False
        return self._plain_chain(os.path.dirname(text))

    def _plain_chain(self, directory: str) -> bool:
        """Whether `directory` and each of its parents exist and are not symbolic links."""
        plain = self._plain.get(directory)
        if plain is None:
            parent = os.path.dirname(directory)
            plain = parent == directory or self._plain_chain(parent)
            if plain:
                try:
                    plain = not stat.S_ISLNK(os.lstat(directory).st_mode)
                except (OSError, ValueError):
                    plain = False
            self._plain[directory] = plain
        return plain

    def _check_place(self, path: Path_, reference: str) -> None:
        relative = Path(reference)
        folder = self.loaded.file.parent
        candidate = folder / relative
        plain = self._under_plain_root(candidate)
        root = self.root if plain else self._root()  # under plain parents, nothing below reads it
        if relative.is_absolute() or ".." in relative.parts:
            self.add(path, f"file {reference!r} points outside the deal's folder",
                     "copy the file into the deal's folder and give its relative path")
        elif candidate.is_symlink() or (not plain and any(p.is_symlink() for p in candidate.parents
                                                         if root in p.resolve().parents)):
            self.add(path, f"file {reference!r} is a symbolic link",
                     "copy the file itself into the deal's folder")
        elif not plain and not candidate.resolve().is_relative_to(root):
            self.add(path, f"file {reference!r} resolves outside the content folder",
                     "copy the file into the deal's folder")
        elif relative.suffix.lower() not in ATTACHMENT_SUFFIXES:
            self.add(path, f"file {reference!r} is not a type the room publishes; a browser "
                     "could run scripts in it", "attach it as one of: " +
                     " ".join(sorted(ATTACHMENT_SUFFIXES)))
        elif not candidate.is_file():
            self.add(path, f"file {reference!r} does not exist in {folder}",
                     "add the file or remove the reference")
        elif relative.suffix.lower() in TEXT_SUFFIXES:
            self._check_text(path, reference, candidate)

    def _check_text(self, path: Path_, reference: str, file: Path) -> None:
        """Attached text is shown on the page, redacted: it must be text we can read whole."""
        size = file.stat().st_size
        if size > MAX_TEXT_ATTACHMENT_BYTES:
            self.add(path, f"text file {reference!r} is {size:,} bytes; text shown on a page is "
                     f"limited to {MAX_TEXT_ATTACHMENT_BYTES:,} bytes", "attach it as a PDF")
            return
        try:
            self.texts[reference] = file.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            # Redaction needs to know the text; we do not guess an encoding.
            self.add(path, f"text file {reference!r} is not UTF-8 (byte {exc.start})",
                     "save it as UTF-8")


def validate(loaded: Loaded, content_root: Path) -> Deal:
    """Return the typed deal of `loaded`, or raise `RecordError` with every problem found."""
    return _validated(loaded, content_root)[0]


def _validated(loaded: Loaded, content_root: Path) -> tuple[Deal, _Checker]:
    try:
        deal = Deal.model_validate(loaded.data)
    except ValidationError as error:
        partial, failed = _valid_parts(loaded.data)
        problems = list(_structure_problems(loaded, error))
        problems += _Checker(loaded, partial, content_root, frozenset(failed)).run()
        raise RecordError(problems) from None
    checker = _Checker(loaded, deal, content_root)
    problems = checker.run()
    if problems:
        raise RecordError(problems)
    return deal, checker


@dataclass(frozen=True)
class Validated:
    """A record that passed every check, with its attachments read once."""

    slug: str
    deal: Deal
    files: dict[str, str]  # attached file -> its path on the site, under the deal's folder
    texts: dict[str, str]  # attached text file -> its text, not yet masked


_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


def published_name(reference: str) -> str:
    """A safe, stable file name on the site for an attached file."""
    name = Path(reference).name
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(name).stem).strip("-.") or "file"
    suffix = Path(name).suffix.lower()
    # MkDocs would render a `.md` file as a page, raw HTML and scripts in it live: publish text.
    return f"files/{stem}{suffix}.txt" if suffix in (".md", ".markdown") else f"files/{stem}{suffix}"


def validate_record(slug: str, loaded: Loaded, content_root: Path) -> Validated:
    """Every check of one record: its id, its fields, and the files it attaches."""
    if not _SLUG.fullmatch(slug):
        raise RecordError.single(loaded.file, f"the deal's folder or file name {slug!r} is not a "
                                 "valid id", "rename it with lowercase letters, digits and dashes")
    deal, checker = _validated(loaded, content_root)
    files: dict[str, str] = {}
    problems: list[Problem] = []
    attached = [("exhibits", i, e.file) for i, e in enumerate(deal.exhibits) if e.file] + \
        [("documents", i, d.file) for i, d in enumerate(deal.documents)]
    first: dict[str, str] = {}
    for section, index, reference in attached:
        published = files[reference] = published_name(reference)
        if first.setdefault(published, reference) != reference:
            # Two attachments under one name would leave only one of them on the site.
            problems.append(_problem(loaded, (section, index, "file"), f"files {first[published]!r} "
                                     f"and {reference!r} would both be published as {published}",
                                     "rename one of the two files"))
    if problems:
        raise RecordError(problems)
    return Validated(slug, deal, files, checker.texts)
