"""Reading order for positioned text (OFD text objects): lines by Y then X, then paragraphs.

A fixed-layout page has no paragraphs, only runs of text at positions. Runs whose baselines lie
within half a character of each other form a line, read left to right. Lines are rejoined into
paragraphs the way a reader sees them in a 公文: a line indented from the body's left edge starts
a paragraph, a line ending short of the body's right edge ends one, and a wide vertical gap ends
one too. Lines set larger than the body (the title, often over two centred lines) are joined
into one paragraph of their own. A line whose runs stand apart by wide gaps (two characters or
more) is a table row of cells; consecutive rows (two or more) are a table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import median

CELL_GAP = 2.0  # characters of blank between two runs that makes them two cells


@dataclass(frozen=True)
class Run:
    """Text at a position on a page (mm from the top left; ``y`` is the baseline)."""

    page: int
    x: float
    y: float
    size: float  # font size, mm
    text: str
    width: float = 0.0  # the run's advance, mm (0: estimated from its length)

    @property
    def end(self) -> float:
        return self.x + (self.width or self.size * len(self.text))


@dataclass(frozen=True)
class Line:
    page: int
    x: float
    end: float
    y: float
    size: float
    text: str
    cells: tuple[str, ...] = field(default=())  # a table row's cells (two or more)


@dataclass(frozen=True)
class Table:
    rows: list[list[str]]


def lines_of(runs: list[Run]) -> list[Line]:
    """Runs grouped into lines, in reading order (page, then top to bottom, then left to right)."""
    lines: list[Line] = []
    group: list[Run] = []
    for run in sorted(runs, key=lambda r: (r.page, r.y, r.x)):
        if group and (run.page != group[0].page or abs(run.y - group[0].y) > group[0].size / 2):
            lines.append(_line(group))
            group = []
        group.append(run)
    if group:
        lines.append(_line(group))
    return lines


def _line(group: list[Run]) -> Line:
    runs = sorted(group, key=lambda r: r.x)
    text = ""
    cells = [""]
    for prev, run in zip([None, *runs], runs, strict=False):
        gap = run.x - prev.end if prev is not None else 0.0
        if prev is not None and gap > prev.size * CELL_GAP:
            cells.append("")
        elif prev is not None and gap > prev.size * 0.9 and text[-1:].isascii():
            text += " "  # a gap between Latin words; Chinese is never spaced
            cells[-1] += " "
        text += run.text
        cells[-1] += run.text
    return Line(
        page=runs[0].page,
        x=runs[0].x,
        end=max(r.end for r in runs),
        y=runs[0].y,
        size=max(r.size for r in runs),
        text=text.strip(),
        cells=tuple(c.strip() for c in cells) if len(cells) > 1 else (),
    )


def blocks_of(
    lines: list[Line], join: Callable[[list[Line]], list[str]] | None = None
) -> list[str | Table]:
    """Paragraphs and tables in reading order: runs of two or more table rows are tables.
    ``join`` rejoins the prose lines into paragraphs (an OCR page has its own rules)."""
    paragraphs_of = join or paragraphs
    out: list[str | Table] = []
    prose: list[Line] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and lines[j].cells:
            j += 1
        if j - i >= 2:
            out.extend(paragraphs_of(prose))
            prose = []
            out.append(Table([list(ln.cells) for ln in lines[i:j]]))
            i = j
            continue
        prose.append(lines[i])
        i += 1
    out.extend(paragraphs_of(prose))
    return out


@dataclass(frozen=True)
class Frame:
    """The body text of a page: its type size and the left and right edges of its lines."""

    body: float
    left: float
    right: float


def frame_of(lines: list[Line], tolerance: float) -> Frame:
    """The frame of non-empty ``lines``: lines within ``tolerance`` of the median size are body."""
    body = median(ln.size for ln in lines)
    body_lines = [ln for ln in lines if abs(ln.size - body) < tolerance * body] or lines
    return Frame(body, min(ln.x for ln in body_lines), max(ln.end for ln in body_lines))


def paragraphs(lines: list[Line]) -> list[str]:
    """The lines rejoined into paragraphs (see the module docstring)."""
    lines = [ln for ln in lines if ln.text]
    if not lines:
        return []
    frame = frame_of(lines, 0.1)
    body, left, right = frame.body, frame.left, frame.right
    out: list[str] = []
    current = ""
    prev: Line | None = None
    for ln in lines:
        large = ln.size > body * 1.15
        starts = (
            prev is None
            or ln.x - left > body * 1.2  # indented (首行缩进 two characters)
            or right - prev.end > body * 1.5  # the line before ended short
            or (ln.page == prev.page and ln.y - prev.y > max(ln.size, prev.size) * 2.2)
            or large != (prev.size > body * 1.15)
            or (large and abs(ln.size - prev.size) > 0.05 * body)
        )
        if large and prev is not None and prev.size > body * 1.15 and ln.page == prev.page:
            # The next line of a title set over two lines (centred: each ends short).
            starts = ln.y - prev.y > ln.size * 2.5 or abs(ln.size - prev.size) > 0.05 * body
        if starts and current:
            out.append(current)
            current = ""
        current += ln.text
        prev = ln
    if current:
        out.append(current)
    return out
