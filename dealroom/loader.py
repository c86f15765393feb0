"""Load stage: YAML text to plain data plus the line and column of every value.

PyYAML's own constructors guess types (`021000021` becomes 4456465, `no` becomes False,
`12:30` becomes 750) and keep the last of duplicate keys. We build the data ourselves from
libyaml's events (or PyYAML's node tree) instead: every scalar stays the exact text that was
written, and the typed model decides what it means. Aliases, explicit tags and duplicate keys
are refused.
"""

from __future__ import annotations

import errno
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from dealroom.errors import Problem, RecordError, field_name

CParser: Any
try:  # libyaml's parser, in C: scanning in pure Python is most of the time of a large room
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml: the pure-Python parser alone
    CParser = None

MAX_RECORD_BYTES = 1024 * 1024  # a deal record is a page of text, not a data dump
NULLS = {"", "~", "null", "Null", "NULL"}

Path_ = tuple[str | int, ...]
Positions = dict[Path_, tuple[int, int]]  # path -> (line, column)


@dataclass
class Loaded:
    """A record's data, with positions for error messages (path -> (line, column))."""

    file: Path
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # path -> where its key is

    def position(self, path: Path_) -> tuple[int, int]:
        """Line and column of `path`, or of its nearest ancestor that exists."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def key_position(self, path: Path_) -> tuple[int, int]:
        """Line and column of the key that names `path`, else where its value is."""
        return self.keys.get(path) or self.position(path)


class _Refused(Exception):
    def __init__(self, node_or_mark: Any, message: str, fix: str, path: Path_ = ()) -> None:
        self.mark = getattr(node_or_mark, "start_mark", node_or_mark)
        self.message, self.fix, self.path = message, fix, path


class _RefusingComposer(Composer):
    """PyYAML's composer, refusing aliases, anchors and tags; no constructor ever runs."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]  # the Parser's, mixed in below
        if isinstance(event, AliasEvent):
            # Refusing aliases outright also defuses "billion laughs" expansion bombs.
            raise _Refused(event.start_mark, "YAML aliases (*name) are not allowed in deal records",
                           "write the value out in full")
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            raise _Refused(event.start_mark, f"YAML tag {tag!r} is not allowed in deal records",
                           "remove the tag; quote the value if it is text")
        if getattr(event, "anchor", None) is not None:
            raise _Refused(event.start_mark, "YAML anchors (&name) are not allowed in deal records",
                           "remove the anchor and write each value out in full")
        return super().compose_node(parent, index)


class _ComposingLoader(Reader, Scanner, Parser, _RefusingComposer, Resolver):
    """PyYAML's pure-Python parser: the reference, and the source of every error message."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        Resolver.__init__(self)


def _libyaml_differs(text: str) -> bool:
    """Tabs, BOMs and Unicode line breaks are where libyaml accepts more or counts columns
    differently. (Five substring searches: a regex's character class was 20 times slower.)"""
    return "\t" in text or "\x85" in text or "\u2028" in text or "\u2029" in text or "\ufeff" in text


_UNTAGGED = (None, "!")


class _Fallback(Exception):
    """The fast path met what only the pure-Python path explains: parse the text again there."""


class _Pending(Exception):
    """A refusal of the data (a duplicate or non-plain key), raised once the whole text parsed."""

    def __init__(self, refused: _Refused) -> None:
        self.refused = refused


def _fast_collection(get: Any, start: Any, path: Path_, positions: dict[Path_, tuple[int, int]],
                     check: bool, keys_at: dict[Path_, tuple[int, int]]) -> Any:
    """Data straight from libyaml's events, as `_build` makes it of the node tree.

    Node objects and a second walk over them were most of the load time. Anchors, aliases and
    tags raise `_Fallback` (looked for only if `check`); scalars are handled inline, only
    collections recurse.
    """
    mark: Any = start.start_mark
    positions[path] = (mark.line + 1, mark.column + 1)
    if start.__class__ is SequenceStartEvent:
        items: list[Any] = []
        while (event := get()).__class__ is not SequenceEndEvent:
            if check and (event.anchor is not None or event.tag not in _UNTAGGED):  # an alias too
                raise _Fallback
            at = (*path, len(items))
            if event.__class__ is ScalarEvent:  # libyaml says '' for a plain style
                mark = event.start_mark
                positions[at] = (mark.line + 1, mark.column + 1)
                items.append(None if not event.style and event.value in NULLS else event.value)
            else:
                items.append(_fast_collection(get, event, at, positions, check, keys_at))
        return items
    result: dict[str, Any] = {}
    keys: dict[str, Any] = {}  # key -> its event, for the line of the first of two
    while (event := get()).__class__ is not MappingEndEvent:
        if check and (event.anchor is not None or event.tag not in _UNTAGGED):
            raise _Fallback
        if event.__class__ is not ScalarEvent:
            raise _Pending(_Refused(event, "a key must be plain text", "use a simple name as the key",
                                    path))
        key = event.value
        if key in keys:
            first = keys[key].start_mark.line + 1
            raise _Pending(_Refused(event, f"duplicate key {key!r} (first written on line {first}); "
                                    "YAML would silently keep only the last one",
                                    "remove one of the two, or merge them", (*path, key)))
        keys[key] = event
        at = (*path, key)
        mark = event.start_mark
        keys_at[at] = (mark.line + 1, mark.column + 1)
        event = get()
        if check and (event.anchor is not None or event.tag not in _UNTAGGED):
            raise _Fallback
        if event.__class__ is ScalarEvent:
            mark = event.start_mark
            positions[at] = (mark.line + 1, mark.column + 1)
            result[key] = None if not event.style and event.value in NULLS else event.value
        else:
            result[key] = _fast_collection(get, event, at, positions, check, keys_at)
    return result


def _fast_load(parser: Any, check: bool = True) -> tuple[Any, Positions, Positions] | None:
    """The data and positions of the single document libyaml parses, or None for no document.

    Like the composer it replaces, the whole stream is parsed before a refusal of the data is
    raised: a syntax error or an anchor further down goes to the pure-Python path first.
    `check=False` when the text cannot hold an anchor, alias or tag.
    """
    get = parser.get_event
    get()  # the start of the stream
    if get().__class__ is StreamEndEvent:
        return None
    positions: Positions = {}
    keys: Positions = {}
    pending: _Refused | None = None
    event = get()
    if event.anchor is not None or event.tag not in _UNTAGGED:
        raise _Fallback
    try:
        if event.__class__ is ScalarEvent:
            mark: Any = event.start_mark
            positions[()] = (mark.line + 1, mark.column + 1)
            data = None if not event.style and event.value in NULLS else event.value
        else:
            data = _fast_collection(get, event, (), positions, check, keys)
    except _Pending as exc:
        pending = exc.refused
        # The rest of the document, checked as the composer would have: it ends at its end.
        while (event := get()).__class__ is not DocumentEndEvent:
            if isinstance(event, NodeEvent) and \
                    (event.anchor is not None or getattr(event, "tag", None) not in _UNTAGGED):
                raise _Fallback from None
    else:
        get()  # the end of the document
    if get().__class__ is not StreamEndEvent:
        raise _Fallback  # a second document: the composer's message
    if pending is not None:
        raise pending
    return data, positions, keys


def _load(text: str) -> tuple[Any, Positions, Positions] | None:
    """Data, positions of values and positions of keys of `text`, or None when it holds no document.

    libyaml when it parses the text, else the pure-Python parser.
    """
    if CParser is not None and not _libyaml_differs(text):  # else PyYAML alone
        parser = CParser(text)
        try:
            # Without `&`, `*` or `!` (most records) no event need be looked at for them.
            return _fast_load(parser, "&" in text or "*" in text or "!" in text)
        except (yaml.YAMLError, _Fallback):
            pass  # parse again below, so that messages and positions are always PyYAML's
        finally:
            parser.dispose()
    loader = _ComposingLoader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is None:
        return None
    positions: Positions = {}
    keys: Positions = {}
    return _build(node, (), positions, keys), positions, keys


def _build(node: Node, path: Path_, positions: Positions, keys: Positions) -> Any:
    positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, ScalarNode):
        if node.style is None and node.value in NULLS:
            return None
        return node.value  # the exact text: typing is the model's job
    if isinstance(node, SequenceNode):
        return [_build(item, (*path, i), positions, keys) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _Refused(key_node, "a key must be plain text", "use a simple name as the key",
                               path)
            key = key_node.value
            if key in seen:
                first = seen[key].start_mark.line + 1
                raise _Refused(key_node, f"duplicate key {key!r} (first written on line {first}); "
                               "YAML would silently keep only the last one",
                               "remove one of the two, or merge them", (*path, key))
            seen[key] = key_node
            keys[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _build(value_node, (*path, key), positions, keys)
        return result
    raise _Refused(node, "unsupported YAML node", "write plain mappings, lists and text")


def _too_large(file: Path, size: int) -> RecordError:
    return RecordError.single(file, f"the record is {size:,} bytes; deal records are limited "
                              f"to {MAX_RECORD_BYTES:,} bytes",
                              "attach large material as an exhibit file instead")


def _decode(file: Path, raw: bytes) -> str:
    if len(raw) > MAX_RECORD_BYTES:
        raise _too_large(file, len(raw))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise RecordError.single(file, f"the file is not valid UTF-8 (byte {exc.start})",
                                 "save the file as UTF-8", line=line, column=column) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise RecordError.single(file, "the file contains a NUL byte: it is binary, not a YAML "
                                 "record", "replace it with a YAML text record", line=line)
    return text.removeprefix("\ufeff")


_LONG_ESCAPE = re.compile(r"\\U([0-9a-fA-F]{8})")


def load_text(file: Path, text: str) -> Loaded:
    """Parse YAML `text` (read from `file`) into a `Loaded` record, or raise `RecordError`."""
    try:
        loaded = _load(text)
        if loaded is None:
            raise RecordError.single(file, "the record is empty",
                                     "write the deal's fields (see the README's YAML reference)")
        data, positions, keys = loaded
    except _Refused as exc:
        raise RecordError.single(file, exc.message, exc.fix, line=exc.mark.line + 1,
                                 column=exc.mark.column + 1, field=field_name(exc.path)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = f"YAML syntax error: {exc.problem or exc.context}"
        # PyYAML writes a tab as '\\t' in its message: a tab where indentation was expected.
        hint = "indent with spaces, not tabs" if "'\\t'" in problem or "tab character" in problem \
            else "check the indentation and quoting on this line"
        raise RecordError([Problem(file, line, column, "", problem, hint)]) from None
    except yaml.reader.ReaderError as exc:  # control characters and the like
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise RecordError.single(file, f"control character U+{exc.character:04X} is not allowed "
                                 "in a YAML file", "delete it", line=line, column=column) from None
    except yaml.YAMLError as exc:
        raise RecordError.single(file, f"YAML error: {exc}", "remove the invalid characters") from None
    except ValueError:  # PyYAML's own scanner, on an escape past U+10FFFF (`"\U00110000"`)
        found = next((m for m in _LONG_ESCAPE.finditer(text) if int(m[1], 16) > 0x10FFFF), None)
        at = found.start() if found else 0
        raise RecordError.single(file, "an escape writes a character past U+10FFFF, which does "
                                 "not exist", "write the character itself, or delete the escape",
                                 line=text.count("\n", 0, at) + 1,
                                 column=at - (text.rfind("\n", 0, at) + 1) + 1) from None
    except RecursionError:  # lists in lists a thousand deep: no record needs more than a few
        raise RecordError.single(file, "the record nests lists or mappings too deeply to read",
                                 "write the fields as the README's YAML reference shows") from None
    if not isinstance(data, dict):
        raise RecordError.single(file, "a deal record must be a mapping of fields",
                                 "start the file with `name:` and the other fields")
    return Loaded(file, data, positions, keys)


def load_file(file: Path) -> Loaded:
    """Read and parse one record file."""
    return load_bytes(file, read_record(file))


def load_bytes(file: Path, raw: bytes) -> Loaded:
    """Parse a record's bytes as read from `file`."""
    return load_text(file, _decode(file, raw))


def read_record(file: Path) -> bytes:
    """A record file's bytes; refused before reading when it cannot be a record."""
    try:
        status = file.stat()
        if not stat.S_ISREG(status.st_mode):  # a pipe or a device would block the build forever
            raise RecordError.single(file, "the record is not a regular file",
                                     "replace it with a YAML text file")
        if status.st_size > MAX_RECORD_BYTES:  # refuse before reading: a 50 MB file costs nothing
            raise _too_large(file, status.st_size)
        return file.read_bytes()
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # `deal.yml -> deal.yml`, or two links to each other
            raise RecordError.single(file, "the record is a loop of symbolic links: it leads "
                                     "back to itself, never to a file",
                                     "replace the link with the record file itself") from None
        raise RecordError.single(file, f"cannot read the record: {exc.strerror}",
                                 "check the file exists and is readable") from None


__all__ = ["Loaded", "load_bytes", "load_file", "load_text", "read_record"]
