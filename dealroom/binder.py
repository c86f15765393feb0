"""The whole-deal page, bound from its sections as their own pages were converted.

The whole-deal page (`print.md`) repeats every section of the deal, each one heading level
down: converting its Markdown again cost a plain build of a thousand deals 14 of its 78
seconds. MkDocs converts instead the page's opening and its headings alone (the `skeleton`:
the table of contents, every heading's id and permalink, as the Markdown extensions make
them for the page), and `bind` puts each section's HTML, as converted on its own page,
under its heading. A section's HTML is Markdown's conversion of blocks that stand alone
(deal data cannot write Markdown, `render.escape`), so it converts the same on either page;
only its links to the deal's facts differ (`Renderer.print_links`). Whatever does not fit
this (a page changed by another plugin, a section not converted in this build) is converted
whole, as MkDocs would.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dealroom.render import DEAL_PAGES, NOT_PRINTED, STAMP_START

# The deal's pages the whole-deal page prints, in its order: their headings at level 2.
PRINTED = tuple(name for name, _, section in DEAL_PAGES if section and section not in NOT_PRINTED)
# Where a section printed from a page at another depth than the whole-deal page links a file or
# an image: that link would differ (the overview is `deals/x/`, the whole deal `deals/x/print/`).
_DEPTH = "index.md"
_RELATIVE_URL = re.compile(r'(?:href|src)="(?!#)')
# A heading line, as the templates write them (`heading`); data never starts a line with `#`.
_HEADING_LINE = re.compile(r"^#{1,6} .*$", re.MULTILINE)
# A heading as Markdown writes it: heading text cannot hold `</h` (escaped).
_HEADING = re.compile(r"<h([1-6])(?=[\s>])[^>]*>.*?</h\1>", re.DOTALL)


@dataclass(frozen=True)
class Outline:
    """What MkDocs converts in place of a whole-deal page, and where its sections come from."""

    skeleton: str  # the page's opening, then each heading of its sections
    opening: int  # headings of the opening (the deal's name)
    sections: tuple[tuple[str, int], ...]  # (page's file name, how many of its headings are printed)


def headings_in(markdown: str) -> int:
    """How many headings Markdown written by the templates holds."""
    return len(_HEADING_LINE.findall(markdown))


def outline(markdown: str) -> Outline | None:
    """The outline of a whole-deal page's Markdown: its sections begin at its level-2
    headings, one for each printed page. None: the page is not as the templates write it."""
    lines = list(_HEADING_LINE.finditer(markdown))
    tops = [i for i, line in enumerate(lines) if line[0].startswith("## ")]
    if len(tops) != len(PRINTED):
        return None
    counts = [end - start for start, end in itertools.pairwise([*tops, len(lines)])]
    skeleton = markdown[:lines[tops[0]].start()] + "".join(f"{line[0]}\n" for line in lines[tops[0]:])
    return Outline(skeleton, tops[0], tuple(zip(PRINTED, counts, strict=True)))


def bind(skeleton_html: str, sections: Sequence[tuple[str, int]], outline: Outline,
         print_links: Callable[[str, str], str]) -> str | None:
    """The whole-deal page's HTML: the skeleton's conversion with each section's HTML under
    its headings. `sections`: in `outline` order, each page's HTML and the number of headings
    of its Markdown. `print_links(html, file_name)`: a page's links to the deal's facts as the
    whole-deal page writes them. None: a page is not as expected (an extension or a plugin
    added or took away a heading, or text past a page's end), the caller converts the whole
    Markdown."""
    headings = list(_HEADING.finditer(skeleton_html))
    printed = sum(count for _, count in outline.sections)
    if printed == 0 or len(headings) != outline.opening + printed or \
            len(sections) != len(outline.sections):
        return None
    ours = headings[-printed:]
    # The skeleton ends in its headings alone, one to a line.
    if any(skeleton_html[a.end():b.start()] != "\n" for a, b in itertools.pairwise(ours)) or \
            ours[-1].end() != len(skeleton_html):
        return None
    bound = [skeleton_html[:ours[0].start()]]
    under = iter(ours)
    for (html, written), (name, count) in zip(sections, outline.sections, strict=True):
        ending = html.rfind(STAMP_START)  # every page ends with when its record last changed
        own = list(_HEADING.finditer(html, 0, max(ending, 0)))
        # Each heading its Markdown holds, the first `count` printed, and the page begins with them.
        if ending < 0 or count == 0 or len(own) != written or count > written or \
                html[:own[0].start()].strip():
            return None
        for index in range(count):
            end = own[index + 1].start() if index + 1 < len(own) else ending
            body = print_links(html[own[index].end():end], name)
            if name == _DEPTH and _RELATIVE_URL.search(body):
                return None
            bound += (next(under)[0], body)
    # Markdown strips what it writes, and the last section ends the page.
    return "".join(bound).strip()
