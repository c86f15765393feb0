"""Golden files: the Markdown the example room's records render to, as reviewed in a diff.

A template change shows in `tests/golden/` as a diff of the generated pages. After a change
that is meant, regenerate them with:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT
from dealroom.pipeline import build_in_memory
from dealroom.render import Renderer

GOLDEN = Path(__file__).parent / "golden"
# The day the golden pages are "as of": after the closing, so they show obligations overdue.
AS_OF = date(2002, 6, 10)


def _generated() -> dict[str, str]:
    return {path: text for path, text in build_in_memory(ROOT / "content" / "deals",
                                                                renderer=Renderer(today=AS_OF)).items()
            if path.endswith(".md") and isinstance(text, str)}


@pytest.mark.skipif(not os.environ.get("UPDATE_GOLDEN"), reason="UPDATE_GOLDEN=1 regenerates")
def test_regenerate_golden_files() -> None:
    for old in GOLDEN.rglob("*.md"):
        old.unlink()
    for path, text in _generated().items():
        (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
        (GOLDEN / path).write_text(text, encoding="utf-8")


def test_the_example_room_renders_to_its_golden_markdown() -> None:
    generated = _generated()
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
              for p in GOLDEN.rglob("*.md")}
    assert sorted(generated) == sorted(golden)
    for path, text in generated.items():
        assert text == golden[path], f"{path} differs from tests/golden/{path}; see this file's docstring"
