"""From OCR lines to a page's paragraphs and tables, in reading order, each with its page.

The engine gives lines as tilted boxes in no particular order. A page fed crooked is set
straight first: the boxes' median tilt is undone on their corners, so that lines of one row
share a height again. Then they are read as positioned text, the way an OFD page is
(:mod:`assistant.ingest.ofd_layout`): boxes on one row make a line, read left to right; a line
indented from the body's left edge starts a paragraph (首行缩进), one ending short of its right
edge ends one, a title set larger stands alone, boxes far apart on a row are table cells.
Recognised Western punctuation inside Chinese (``，`` read as ``,``) is set back to full width,
a page number alone at the top or foot of a page is dropped, and a paragraph cut by a page
break is joined again.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from statistics import median

from assistant.ingest.cleaning import is_heading_line
from assistant.ingest.ocr import OcrLine
from assistant.ingest.ofd_layout import Line, Run, Table, blocks_of, frame_of, lines_of

_PAGE_NUMBER = re.compile(r"^[—–\-－_\s]*\d{1,4}[—–\-－_\s]*$")
_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
# Western punctuation touching a Chinese character; a comma or colon between digits stays
# (12,400 and 10:30), and a full stop is never touched (286.4).
_WESTERN = re.compile(rf"(?<=[{_CJK}])[,;:!?()]|[,;:!?()](?=[{_CJK}])|(?<=\d)[,;:!?](?!\d)")
_ENDS = tuple("。！？；：…”）)")


@dataclass(frozen=True)
class Placed:
    """A paragraph (text) or a table of one page, in reading order."""

    page: int  # counted from 1
    item: str | Table


def full_width(text: str) -> str:
    """Western punctuation the engine read inside Chinese text set back to full width."""
    return _WESTERN.sub(lambda m: _FULL[m.group(0)], text)


def _tilt(lines: list[OcrLine]) -> float:
    """The page's tilt in radians: the median slope of the top edges of the longer boxes."""
    slopes = []
    for ln in lines:
        (x0, y0), (x1, y1) = ln.box[0], ln.box[1]
        height = math.dist(ln.box[0], ln.box[3])
        if x1 - x0 > 3 * height:
            slopes.append(math.atan2(y1 - y0, x1 - x0))
    return median(slopes) if slopes else 0.0


def _runs(lines: list[OcrLine], page: int) -> list[Run]:
    tilt = _tilt(lines)
    cos, sin = math.cos(-tilt), math.sin(-tilt)
    runs = []
    for ln in lines:
        xs = [x * cos - y * sin for x, y in ln.box]
        ys = [x * sin + y * cos for x, y in ln.box]
        height = max(ys) - min(ys)
        runs.append(
            Run(
                page=page,
                x=min(xs),
                y=(min(ys) + max(ys)) / 2,
                size=height,
                text=full_width(ln.text.strip()),
                width=max(xs) - min(xs),
            )
        )
    return runs


def paragraphs(lines: list[Line]) -> list[str]:
    """Lines of one page rejoined into paragraphs (see the module docstring)."""
    lines = [ln for ln in lines if ln.text]
    if not lines:
        return []
    frame = frame_of(lines, 0.2)  # OCR's sizes wander more than a layout's
    body, left, right = frame.body, frame.left, frame.right
    out: list[str] = []
    prev: Line | None = None
    for ln in lines:
        large = ln.size > body * 1.2
        starts = (
            prev is None
            or ln.x - left > body * 1.2  # indented (首行缩进 two characters)
            or ln.y - prev.y > max(ln.size, prev.size) * 2.2  # a wide gap
            or large != (prev.size > body * 1.2)
        )
        if prev is not None and not starts and right - prev.end > body * 1.5:
            # The line before ended short: a paragraph's last line, or a heading's.
            starts = prev.text.endswith(_ENDS) or is_heading_line(out[-1])
        if starts:
            out.append(ln.text)
        else:
            out[-1] += ln.text
        prev = ln
    return out


def page_items(lines: list[OcrLine], page: int) -> list[Placed]:
    """One page's paragraphs and tables, its page number (if it stands alone) dropped."""
    items = blocks_of(lines_of(_runs(lines, page)), paragraphs)
    if items and isinstance(items[-1], str) and _PAGE_NUMBER.match(items[-1]):
        items = items[:-1]
    if items and isinstance(items[0], str) and _PAGE_NUMBER.match(items[0]):
        items = items[1:]
    return [Placed(page, item) for item in items]


def join_pages(pages: list[list[Placed]]) -> list[Placed]:
    """The pages' items in order; a paragraph that runs on over a page break is one again
    (it keeps the page where it starts)."""
    out: list[Placed] = []
    for items in pages:
        if (
            out
            and items
            and isinstance(out[-1].item, str)
            and isinstance(items[0].item, str)
            and not out[-1].item.endswith(_ENDS)
            and not is_heading_line(items[0].item)
        ):
            out[-1] = Placed(out[-1].page, out[-1].item + items[0].item)
            items = items[1:]
        out.extend(items)
    return out
