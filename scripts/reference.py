"""The README's YAML reference, generated from the record model (`dealroom/model.py`).

    .venv/bin/python scripts/reference.py           # print the reference (Markdown)
    .venv/bin/python scripts/reference.py --write   # rewrite it in README.md, between the markers
    .venv/bin/python scripts/reference.py --check   # exit 1 when README.md's copy differs

One section a model class, one table row a field: its type in words, whether it is required
(with its default), and its description, the field's docstring in the model. The model is the
single source: the README and `dealroom schema` cannot tell different stories.

A script rather than a `dealroom` subcommand: it writes the project's own README, a developer's
task; a record's author has `dealroom schema` and the README itself.
"""

from __future__ import annotations

import argparse
import re
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from dealroom import types as field_types
from dealroom.field_titles import class_title, record_models
from dealroom.model import Deal

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- reference:start -->", "<!-- reference:end -->"
COMMAND = ".venv/bin/python scripts/reference.py --write"

# The field types of `dealroom.types`, in words: (one, several). A `Maybe...` type is its
# plain type that may also be written `not stated` or `redacted`.
WORDS: dict[str, tuple[str, str]] = {
    "Name": ("text", "texts"),
    "Text": ("text (several lines allowed)", "texts (several lines allowed)"),
    "Amount": ("amount", "amounts"),
    "Quantity": ("whole number", "whole numbers"),
    "Count": ("whole number", "whole numbers"),
    "Flag": ("`true` or `false`", "`true` or `false`"),
    "IsoDate": ("date", "dates"),
    "Date": ("date", "dates"),  # MaybeDate's
    "AccountNumber": ("account number (masked)", "account numbers (masked)"),
    "AbaNumber": ("ABA routing number", "ABA routing numbers"),
    "DtcNumber": ("DTC participant number", "DTC participant numbers"),
    "SecFileNumber": ("SEC file number", "SEC file numbers"),
    "Slug": ("id", "ids"),
    "TimeZone": ("time zone (IANA)", "time zones (IANA)"),
    "Currency": ("currency (ISO 4217 code)", "currencies (ISO 4217 codes)"),
    "Percent": ("percentage (`7%`)", "percentages (`7%`)"),
    "Iban": ("IBAN (masked)", "IBANs (masked)"),
    "Bic": ("BIC (SWIFT code)", "BICs (SWIFT codes)"),
    "SortCode": ("sort code", "sort codes"),
    "ExhibitId": ("exhibit id", "exhibit ids"),
}
BLANK = ", `not stated` or `redacted`"


def _aliases() -> dict[int, str]:
    """The validator of each named field type of `dealroom.types` -> the type's name.

    Pydantic keeps the very validator objects of a type on each field declared with it, so a
    field's type is known by them even where its annotation no longer carries the name."""
    found: dict[int, str] = {}
    for name, value in vars(field_types).items():
        if get_origin(value) is Annotated and name[:1].isupper():
            for part in get_args(value)[1:]:
                if hasattr(part, "func"):  # BeforeValidator, PlainValidator
                    # Types that are written alike are one object (typing caches `Annotated`):
                    # Years is Quantity. The first name defined is kept.
                    found.setdefault(id(part), name)
    return found


ALIASES = _aliases()


def anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lowercase, punctuation dropped, spaces as dashes."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def link(model: type[BaseModel]) -> str:
    return f"[{class_title(model)}](#{anchor(class_title(model))})"


def _bounds(metadata: list[Any]) -> str:
    low = next((m.ge for m in metadata if isinstance(m, annotated_types.Ge)), None)
    high = next((m.le for m in metadata if isinstance(m, annotated_types.Le)), None)
    if low is not None and high is not None:
        return f" ({low} to {high})"
    return "" if low is None else f" ({low} or more)"


def words(annotation: Any, metadata: list[Any], plural: bool = False) -> str:
    """A field's type as a reader says it: "date, `not stated` or `redacted`", "list of ids"."""
    alias = next((ALIASES[id(m)] for m in metadata if id(m) in ALIASES), None)
    if alias is not None:
        blank = alias.startswith("Maybe")
        base = alias.removeprefix("Maybe") if blank else alias
        if base not in WORDS:
            raise ValueError(f"the field type {alias} has no words: add {base} to WORDS in "
                             "scripts/reference.py")
        return WORDS[base][plural] + (BLANK if blank else "") + _bounds(metadata)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return words(args[0], [*args[1:], *metadata], plural)
    if origin is list:
        least = next((m.min_length for m in metadata if isinstance(m, annotated_types.MinLen)), 0)
        return f"list of {words(args[0], [], plural=True)}" + (" (at least one)" if least else "")
    if origin in (Union, types.UnionType):
        options = [arg for arg in args if arg is not type(None)]
        if len(options) == 1:
            return words(options[0], metadata, plural)
        if all(isinstance(arg, type) and issubclass(arg, BaseModel) for arg in options):
            # The instruments: one table each, told apart by `kind`.
            return ("instruments" if plural else "an instrument") + ", by `kind`: " + \
                ", ".join(link(arg) for arg in options)
    elif origin is Literal:
        values = [f"`{value}`" for value in args]
        return values[0] if len(values) == 1 else "one of: " + ", ".join(values)
    elif annotation is bool:
        return "`true` or `false`"
    elif annotation is int:
        return ("whole numbers" if plural else "whole number") + _bounds(metadata)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return link(annotation)
    raise ValueError(f"no words for the type {annotation!r}: teach `words` in scripts/reference.py")


def _code(value: Any) -> str:
    return f"`{str(value).lower() if isinstance(value, bool) else value}`"


def required(info: FieldInfo) -> str:
    if info.is_required():
        return "required"
    default = info.get_default()
    if default is None or default == []:
        return "optional"
    return f"optional; default {_code(default)}"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def paths(model: type[BaseModel] = Deal, prefix: str = "") -> Iterator[tuple[type[BaseModel], str]]:
    """Each model with each place a record writes it: (Party, `parties[]`)."""
    for name, info in model.model_fields.items():
        annotation = info.annotation
        is_list = get_origin(annotation) is list
        path = f"{prefix}{name}{'[]' if is_list else ''}"
        pending = [annotation]
        while pending:
            current = pending.pop(0)
            if isinstance(current, type) and issubclass(current, BaseModel):
                yield current, path
                yield from paths(current, f"{path}.")
            else:
                pending.extend(get_args(current))


def section(model: type[BaseModel], where: list[str]) -> list[str]:
    lines = [f"#### {class_title(model)}", ""]
    doc = _cell(model.__doc__ or "")
    written = ("Written at " + ", ".join(f"`{path}`" for path in where) + ".") if where \
        else "The record's top level."
    lines += [f"{doc} {written}" if doc else written, ""]
    lines += ["| Field | Type | Required | Description |", "| --- | --- | --- | --- |"]
    for name, info in model.model_fields.items():
        if not info.description:
            raise ValueError(f"{model.__name__}.{name} has no description: write a docstring "
                             "under it in dealroom/model.py")
        annotation = info.annotation
        lines.append(f"| `{name}` | {_cell(words(annotation, list(info.metadata)))} | "
                     f"{required(info)} | {_cell(info.description)} |")
    return [*lines, ""]


def reference() -> str:
    """The generated reference: a section a model, the record's top level first."""
    where: dict[type[BaseModel], list[str]] = {}
    for model, path in paths():
        if path not in where.setdefault(model, []):
            where[model].append(path)
    lines = [line for model in record_models() for line in section(model, where.get(model, []))]
    return "\n".join(lines).rstrip("\n") + "\n"


def replaced(readme: str, text: str) -> str:
    """README text with the part between the markers replaced by `text`."""
    if readme.count(START) != 1 or readme.count(END) != 1 or readme.index(START) > readme.index(END):
        raise ValueError(f"README.md needs one {START} line and, after it, one {END} line")
    head, rest = readme.split(START)
    return f"{head}{START}\n{text}{END}{rest.split(END)[1]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print the README's YAML reference, generated "
                                     "from dealroom/model.py, or write it into README.md.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite README.md between the markers")
    mode.add_argument("--check", action="store_true", help="exit 1 when README.md differs")
    parser.add_argument("--readme", type=Path, default=README, help="the README to write or check "
                        "(default: the project's)")
    args = parser.parse_args(argv)
    text = reference()
    if not (args.write or args.check):
        sys.stdout.write(text)
        return 0
    readme = args.readme.read_text(encoding="utf-8")
    updated = replaced(readme, text)
    if args.check:
        if updated != readme:
            print(f"{args.readme.name}: the YAML reference differs from dealroom/model.py (fix: "
                  f"run {COMMAND})", file=sys.stderr)
            return 1
        return 0
    if updated != readme:
        args.readme.write_text(updated, encoding="utf-8")
        print(f"{args.readme.name}: YAML reference rewritten")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
