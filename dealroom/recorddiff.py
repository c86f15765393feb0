"""Two versions of a deal record compared field by field, in the record's own terms.

A field's path names list items by their `id` where every item has a distinct one
(`instructions[company-wire].fbo_account_number`, `parties[purchaser].notices.fax`), else by
index (`events[2].title`). What leaves this module can be printed: account numbers are masked
on both sides of a change, and every other value is passed through the given redactor. The
raw values stay in `Snapshot` and `Difference`, whose reprs do not show them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from dealroom.errors import RecordError
from dealroom.loader import MAX_RECORD_BYTES, load_text
from dealroom.model import ACCOUNT_NUMBER_FIELDS
from dealroom.numbers import mask_number

ACCOUNT_FIELDS = frozenset(ACCOUNT_NUMBER_FIELDS)
VISIBLE_DIGITS = 4
# Fields of an instruction that decide where the money (or the shares) goes; and any field
# whose name holds one of the words after them.
DESTINATION_FIELDS = frozenset({
    "bank", "aba_number", "routing", "routing_number", "account_number", "fbo_account_number",
    "further_credit_account_number", "iban", "bic", "swift", "swift_code", "beneficiary", "fbo",
    "payee", "further_credit_name", "dtc_number", "sort_code", "intermediary", "escrow_agent"})
_DESTINATION_WORDS = ("account", "iban", "swift", "routing", "beneficiary")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")
_PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# An account field as written on its own line: how numbers are found in a version that does
# not parse (and would otherwise hide them from the redactor).
_ACCOUNT_LINE = re.compile(r"""^[\s-]*["']?([A-Za-z_]*(?:account|iban)[A-Za-z_]*)["']?\s*:[ \t]*(.+?)\s*$""",
                           re.M)

Redact = Callable[[str], str]
Kind = Literal["added", "removed", "changed"]


def decides_destination(name: str) -> bool:
    return name in DESTINATION_FIELDS or any(word in name for word in _DESTINATION_WORDS)


def is_account_number(value: str) -> bool:
    """What the record format accepts as an account number has at least five digits."""
    return sum(ch.isdigit() for ch in value) >= 5


def masked(value: str, visible: int = VISIBLE_DIGITS) -> str:
    """The last `visible` characters at most, never more than half of them: `•••••8038` (an
    IBAN keeps its country code too: `GB•• •••• •••• •••• ••54 32`)."""
    return mask_number(value, visible)


def key_path(path: str, key: str) -> str:
    if _PLAIN_KEY.fullmatch(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{key!r}]"


def item_path(path: str, key: str | int) -> str:
    if isinstance(key, str) and _PLAIN_ID.fullmatch(key) and not key.isdigit():
        return f"{path}[{key}]"
    return f"{path}[{key!r}]" if isinstance(key, str) else f"{path}[{key}]"


def item_ids(items: list[Any]) -> list[str] | None:
    """The items' ids when every item has a distinct one: then items are matched by id."""
    ids = [item.get("id") if isinstance(item, dict) else None for item in items]
    if all(isinstance(i, str) and i for i in ids) and len(set(ids)) == len(ids):
        return ids  # type: ignore[return-value]  # all str, checked above
    return None


@dataclass(frozen=True)
class Snapshot:
    """One version of a record file: its data, or why it could not be read."""

    data: dict[str, Any] | None = field(repr=False)
    numbers: tuple[tuple[str, str], ...] = field(repr=False)  # (account number, field path)
    problem: str | None = None  # a loader message: where, never a value


def _decoded(raw: bytes) -> str:
    if len(raw) > MAX_RECORD_BYTES:
        raise ValueError(f"the record is {len(raw):,} bytes, more than a record may be")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("the file is not valid UTF-8") from None
    if "\x00" in text:
        raise ValueError("the file contains a NUL byte")
    return text.removeprefix("\ufeff")


Blocks = dict[str, "Parsed"]


def read_snapshot(raw: bytes, name: str, blocks: Blocks | None = None) -> Snapshot:
    """A version of a record, parsed by our loader; one that does not parse is kept as such,
    with the numbers its account lines hold (they must still be masked wherever written).

    `blocks` (the parsed top-level fields of earlier versions, by their text) makes a version
    that differs from another in one field cost the parse of that field alone.
    """
    text = raw.decode("utf-8", "replace")
    try:
        text = _decoded(raw)
        if blocks is not None and not _stream_marks(text):
            split = _by_blocks(text, Path(name), blocks)
            if split is not None:
                return split
        data = load_text(Path(name), text).data
    except ValueError as exc:
        return Snapshot(None, _line_numbers(text), str(exc))
    except RecordError as error:
        first = error.problems[0]
        where = f"line {first.line}" + (f", {first.field}" if first.field else "")
        return Snapshot(None, _line_numbers(text), f"{where}: {first.message}")
    return Snapshot(data, tuple(numbers_in(data)))


# A line that starts a top-level field: a plain key at column 0, then `:` and a space or the
# end of the line. Inside a block scalar such a line would end it; inside a quoted or flow
# value it leaves the text before it unclosed, which does not parse (then the whole is read).
# (Matched from the line break before it: a literal first character makes the search fast.)
_TOP_KEY = re.compile(r"\n[A-Za-z_][A-Za-z0-9_-]*[ \t]*:(?=[ \t\n]|$)")
_ACCOUNT_KEYS = tuple(sorted(ACCOUNT_FIELDS))


def _stream_marks(text: str) -> bool:
    """Document markers or directives: where a text could parse in parts, not as a whole."""
    return text.startswith(("---", "...", "%")) or "\n---" in text or "\n..." in text \
        or "\n%" in text


def _may_hold_numbers(text: str) -> bool:
    # A key is written as its name, or with escapes in quotes: else it holds no account field.
    return "\\" in text or any(key in text for key in _ACCOUNT_KEYS)


def _by_blocks(text: str, name: Path, blocks: Blocks) -> Snapshot | None:
    """The version parsed one top-level field at a time, each field's text parsed once; None
    when a part does not parse alone or a key repeats: the whole text says why."""
    starts = [0, *(match.start() + 1 for match in _TOP_KEY.finditer(text))]
    if len(starts) > 1 and all(not line.strip() or line.lstrip().startswith("#")
                               for line in text[:starts[1]].splitlines()):
        del starts[1]  # comments before the first field go with it
    if len(starts) < 2:
        return None
    data: dict[str, Any] = {}
    numbers: list[tuple[str, str]] = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        try:
            part, held = _block(text[start:end], name, blocks)
        except RecordError:
            return None
        if not data.keys().isdisjoint(part):
            return None
        data.update(part)
        numbers.extend(held)
    return Snapshot(data, tuple(numbers))


ITEMS_FROM = 512  # a list written in more characters is parsed an item at a time
_FIRST_ITEM = re.compile(r"\n( *)-(?=[ \n])")


@cache
def _item_start(indent: int) -> re.Pattern[str]:
    return re.compile("\n" + " " * indent + r"-(?=[ \n])")


def _block(block: str, name: Path, blocks: Blocks) -> Parsed:
    """A top-level field's value and numbers, from `blocks` or parsed (`RecordError`)."""
    parsed = blocks.get(block)
    if parsed is None:
        parsed = _by_items(block, name, blocks) if len(block) >= ITEMS_FROM else None
        if parsed is None:
            part = load_text(name, block).data
            parsed = part, tuple(numbers_in(part)) if _may_hold_numbers(block) else ()
        blocks[block] = parsed
    return parsed


Parsed = tuple[dict[str, Any], tuple[tuple[str, str], ...]]  # a field's value, its numbers


def _by_items(block: str, name: Path, blocks: Blocks) -> Parsed | None:
    """A list written as `key:` then its items, each item parsed (as `key:` and the item) once
    (an edit changes one party, one instruction); None when the parts do not read as a list."""
    first = _FIRST_ITEM.search(block)
    if first is None:
        return None
    key_line = block[:block.index("\n") + 1]
    header, _ = _block(block[:first.start() + 1], name, blocks)
    key = next(iter(header))
    if len(header) != 1 or header[key] is not None or key in ACCOUNT_FIELDS:
        return None
    starts = [first.start() + 1, *(m.start() + 1 for m in
                                   _item_start(len(first[1])).finditer(block, first.end()))]
    if len(starts) < 2:
        return None  # one item: it is the whole (and parsing it as a part would be this again)
    items: list[Any] = []
    numbers: list[tuple[str, str]] = []
    for start, end in zip(starts, [*starts[1:], len(block)], strict=True):
        part, held = _block(key_line + block[start:end], name, blocks)
        if list(part) != [key] or not isinstance(part[key], list) or len(part[key]) != 1:
            return None
        items += part[key]
        numbers += held
    merged = {key: items}
    if item_ids(items) is None:  # paths by index: an item's own are not the list's
        numbers = list(numbers_in(merged)) if _may_hold_numbers(block) else []
    return merged, tuple(numbers)


def account_lines(raw: bytes) -> tuple[tuple[str, str], ...]:
    """(value, where) of every line of a record's text that reads as an account field, wherever
    it stands: in a version that does not parse, or swallowed by another field's text (a quote
    or a block scalar left open), where the parsed record has no such field."""
    return _line_numbers(raw.decode("utf-8", "replace"))


def _line_numbers(text: str) -> tuple[tuple[str, str], ...]:
    found = []
    for match in _ACCOUNT_LINE.finditer(text):
        value = re.sub(r"\s+#.*$", "", match[2]).strip().strip("'\"").strip()
        if is_account_number(value):
            line = text.count("\n", 0, match.start()) + 1
            found.append((value, f"{match[1]} (line {line}, in a version that does not parse)"))
    return tuple(found)


def numbers_in(data: Any, path: str = "", secret: bool = False) -> Iterator[tuple[str, str]]:
    """(value, field path) of every account number in `data`: any field named as one, at any
    depth, and anything under such a field."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str):
                if (secret or key in ACCOUNT_FIELDS) and is_account_number(value):
                    yield value.strip(), key_path(path, key)
            elif value is not None:
                yield from numbers_in(value, key_path(path, key), secret or key in ACCOUNT_FIELDS)
    elif isinstance(data, list):
        ids = item_ids(data)
        for index, value in enumerate(data):
            at = item_path(path, ids[index] if ids else index)
            if isinstance(value, str):
                if secret and is_account_number(value):
                    yield value.strip(), at
            elif value is not None:
                yield from numbers_in(value, at, secret)


def scalars(data: Any, path: str = "", secret: bool = False) -> Iterator[tuple[str, Any, bool]]:
    """(path, value, is it an account number) of every scalar and empty list or mapping."""
    if isinstance(data, dict) and data:
        for key, value in data.items():
            yield from scalars(value, key_path(path, key), secret or key in ACCOUNT_FIELDS)
    elif isinstance(data, list) and data:
        ids = item_ids(data)
        for index, value in enumerate(data):
            yield from scalars(value, item_path(path, ids[index] if ids else index), secret)
    else:
        yield path, data, secret


# --- comparing two versions --------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """What a path is in the record: an account number, a field that decides where money goes."""

    secret: bool = False
    payment: bool = False  # a change here changes a payment instruction's destination
    instruction: str | None = None  # the id of the instruction it is in, when known
    level: int = 0  # 0 the record, 1 the instructions, 2 in an instruction, 3 elsewhere
    item: bool = False  # a whole instruction: its own fields do not inherit `payment`


def _in_key(where: Where, key: str) -> Where:
    secret = where.secret or key in ACCOUNT_FIELDS
    if where.level == 0:
        return Where(secret, True, None, 1) if key == "instructions" else Where(secret, level=3)
    if where.level == 1:  # `instructions` written as a mapping: every change in it counts
        return Where(secret, True, None, 2)
    if where.level == 2:
        inherited = where.payment and not where.item
        return Where(secret, inherited or decides_destination(key), where.instruction, 2)
    return Where(secret, level=3)


def _in_item(where: Where, ident: str | None) -> Where:
    if where.level == 1:
        return Where(where.secret, True, ident, 2, item=True)
    return Where(where.secret, where.payment and not where.item, where.instruction, where.level)


@dataclass(frozen=True)
class Difference:
    """One field changed, with its raw values: for this package only, `render` before showing."""

    path: str
    kind: Kind
    old: Any = field(repr=False)
    new: Any = field(repr=False)
    where: Where


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[Difference]:
    """The fields added, removed or changed from `old` to `new`; a whole added or removed list
    or mapping is one difference."""
    found: list[Difference] = []
    _compare(old, new, "", Where(), found)
    return found


def _compare(old: Any, new: Any, path: str, where: Where, found: list[Difference]) -> None:
    if old == new:  # equal subtrees are skipped whole, compared in C
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key, value in new.items():
            if key in old:
                if old[key] != value:  # (most fields are unchanged: nothing to make for them)
                    _compare(old[key], value, key_path(path, key), _in_key(where, key), found)
            else:
                found.append(Difference(key_path(path, key), "added", None, value,
                                        _in_key(where, key)))
        found.extend(Difference(key_path(path, key), "removed", value, None, _in_key(where, key))
                     for key, value in old.items() if key not in new)
    elif isinstance(old, list) and isinstance(new, list):
        _compare_items(old, new, path, where, found)
    else:
        found.append(Difference(path, "changed", old, new, where))


def _compare_items(old: list[Any], new: list[Any], path: str, where: Where,
                   found: list[Difference]) -> None:
    old_ids, new_ids = item_ids(old), item_ids(new)
    if old_ids is not None and new_ids is not None:
        before = dict(zip(old_ids, old, strict=True))
        after = dict(zip(new_ids, new, strict=True))
        for ident, value in after.items():
            inner = _in_item(where, ident)
            if ident in before:
                _compare(before[ident], value, item_path(path, ident), inner, found)
            else:
                found.append(Difference(item_path(path, ident), "added", None, value, inner))
        found.extend(Difference(item_path(path, ident), "removed", value, None,
                                _in_item(where, ident)) for ident, value in before.items()
                     if ident not in after)
        return
    # Matched by position: which instruction an index is, is not known (None: any of them).
    for index in range(max(len(old), len(new))):
        inner, at = _in_item(where, None), item_path(path, index)
        if index >= len(old):
            found.append(Difference(at, "added", None, new[index], inner))
        elif index >= len(new):
            found.append(Difference(at, "removed", old[index], None, inner))
        else:
            _compare(old[index], new[index], at, inner, found)


# --- showing a change --------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field changed, as it may be shown: numbers masked, free text redacted."""

    path: str
    kind: Kind
    old: str | None  # None when added
    new: str | None  # None when removed
    masked: bool  # the values are account numbers, shown masked
    payment: bool  # the field decides where a payment instruction sends money
    instruction: str | None  # the id of the instruction it is in, when known

    def __str__(self) -> str:
        if self.kind == "added":
            return f"{self.path}: added {one_line(self.new or '')}"
        if self.kind == "removed":
            return f"{self.path}: removed (was {one_line(self.old or '')})"
        return f"{self.path}: {one_line(self.old or '')} -> {one_line(self.new or '')}"


def shown(value: Any, secret: bool, redact: Redact, visible: int = VISIBLE_DIGITS) -> str:
    """A value as it may be shown: a scalar as written (a secret masked to its last `visible`
    digits), a list or mapping as a summary."""
    if value is None:
        return ""
    if isinstance(value, str):
        return masked(value, visible) if secret else redact(value)
    if isinstance(value, list):
        return f"({len(value)} item{'' if len(value) == 1 else 's'})"
    if isinstance(value, dict):
        label = next((value[k] for k in ("title", "name", "id") if isinstance(value.get(k), str)),
                     None)
        count = f"({len(value)} field{'' if len(value) == 1 else 's'})"
        return f"{redact(label)} {count}" if label and not secret else count
    return redact(str(value))


def render(difference: Difference, redact: Redact, visible: int = VISIBLE_DIGITS) -> Change:
    where = difference.where
    old = None if difference.kind == "added" else shown(difference.old, where.secret, redact, visible)
    new = None if difference.kind == "removed" else shown(difference.new, where.secret, redact, visible)
    return Change(redact(difference.path), difference.kind, old, new, where.secret, where.payment,
                  where.instruction)


def one_line(text: str) -> str:
    """Text on one line: line breaks written as `\\n` (a backslash doubled)."""
    return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")


def textconv(snapshot: Snapshot, redact: Redact) -> list[str]:
    """A record as one `field.path: value` line per scalar, numbers masked: for `git diff`."""
    if snapshot.data is None:
        return [f"(the record does not parse: {redact(snapshot.problem or '')})"]
    lines = []
    for path, value, secret in scalars(snapshot.data):
        text = "[]" if value == [] else "{}" if value == {} else shown(value, secret, redact)
        lines.append(f"{redact(path)}: {one_line(text)}")
    return lines
