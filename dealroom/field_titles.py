"""The record's JSON Schema with a readable title on every field, for an editor's hover.

Pydantic titles a field from its name ("Aba Number", "Of"); the model's attribute docstrings
are the descriptions. The titles are set here, over the generated schema, so the model's field
lines stay plain declarations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, get_args

from pydantic import BaseModel

from dealroom.model import Deal

# Words written in capitals, or otherwise, wherever they appear in a field's name.
WORDS = {"aba": "ABA", "bic": "BIC", "iban": "IBAN", "dtc": "DTC", "fbo": "FBO", "id": "ID",
         "sec": "SEC", "ach": "ACH", "safe": "SAFE"}
# Fields whose name alone makes a poor title, by name and, where it differs by class, by class.
TITLES = {
    "id": "ID",
    "of": "Percentage of (instrument)",
    "of_text": "Percentage of (as worded)",
    "fbo": "For the benefit of (FBO)",
    "fbo_account_number": "FBO account number",
    "due": "Due date",
    "due_after": "Due after",
    "due_every": "Due every",
    "due_upon": "Due upon",
    "headline": "Headline instrument",
    "copies": "Copies to",
    "timezone": "Time zone",
    "term_years": "Term in years",
    "term_months": "Term in months",
    "make_whole": "Make-whole",
    "verified": "Verified by call-back",
}
CLASS_TITLES = {
    ("Registration", "file_number"): "SEC file number",
    ("Registration", "form"): "Registration form",
    ("After", "event"): "Counted from",
    ("Fee", "cap"): "Cap (most paid)",
    ("Rate", "fixed"): "Fixed rate",
    ("Rate", "base"): "Base rate",
    ("Redemption", "optional"): "Optional redemption",
    ("Redemption", "mandatory"): "Mandatory redemption",
    ("Redemption", "price"): "Redemption price",
    ("Rate", "cap"): "Cap (highest rate)",
    ("Conversion", "into"): "Converts into",
    ("Conversion", "per_principal"): "Per principal amount",
    ("Conversion", "at_option_of"): "Converts at the option of",
    ("Signature", "through"): "Signing through",
    ("Verification", "by"): "Called by",
    ("Verification", "called"): "Person called",
    ("Verification", "number"): "Number called",
    ("Verification", "on"): "Called on",
    ("Recurrence", "every"): "Frequency",
    ("Recurrence", "first"): "First date",
    ("Recurrence", "until"): "Last date",
    ("After", "days"): "Number of days",
}


def field_title(model: type[BaseModel], name: str) -> str:
    """The title an editor shows for a field: the model's own if it sets one, else readable."""
    info = model.model_fields[name]
    if info.title:
        return info.title
    if (model.__name__, name) in CLASS_TITLES:
        return CLASS_TITLES[model.__name__, name]
    if name in TITLES:
        return TITLES[name]
    words = [WORDS.get(word, word) for word in name.split("_")]
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


def class_title(model: type[BaseModel]) -> str:
    """`ScheduledClosing` -> `Scheduled closing`."""
    words = [WORDS.get(word.lower(), word.lower()) for word in re.findall(r"[A-Z][a-z]*", model.__name__)]
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


def record_models(root: type[BaseModel] = Deal) -> Iterator[type[BaseModel]]:
    """Every model a record is made of, once each: `root` first, each model's parts after it."""
    seen: set[type[BaseModel]] = set()

    def nested(annotation: Any) -> Iterator[type[BaseModel]]:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield annotation
        for arg in get_args(annotation):
            yield from nested(arg)

    def walk(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
        if model in seen:
            return
        seen.add(model)
        yield model
        for info in model.model_fields.values():
            for part in nested(info.annotation):
                yield from walk(part)

    yield from walk(root)


def titled(document: dict[str, Any], root: type[BaseModel] = Deal) -> dict[str, Any]:
    """`document` (`root`'s JSON Schema) with every property titled as `field_title` says."""
    defs: dict[str, Any] = document.get("$defs", {})
    for model in record_models(root):
        schema = document if model is root else defs[model.__name__]
        if model is not root:  # the root's title is the document's own
            schema["title"] = class_title(model)
        for name, prop in schema.get("properties", {}).items():
            prop["title"] = field_title(model, name)
    return document
