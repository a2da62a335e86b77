"""Loaders for Office Open XML files (.docx, .xlsx): paragraphs, headings, bold leads, tables."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from assistant.domain import Block, BlockKind
from assistant.ingest.cleaning import clean_line
from assistant.ingest.errors import IngestError
from assistant.ingest.limits import DEFAULT_LIMITS, ParseLimits, TextBudget
from assistant.ingest.package import OLE_MAGIC, check_package
from assistant.ingest.workbook import cell_str, read_workbook

__all__ = ["check_package", "load_docx", "load_xlsx", "row_text", "table_blocks"]
_OLE_MAGIC = OLE_MAGIC  # kept for the callers that import it from here
_cell_str = cell_str

_NUMBER = re.compile(r"^[-+]?[\d,，.．]+\s*[%％万亿元个次人名件项]*$")
_HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.I)
_OUTLINE = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}outlineLvl"
_VAL = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val"
_BODY_LEVEL = 9  # outline level 9: body text
_MAX_HEADING = 60  # a longer paragraph with an outline level is text, whatever its level


def row_text(header: Sequence[str], row: Sequence[str]) -> str:
    """One table row as text, each value labelled with its column header."""
    parts = []
    for i, value in enumerate(row):
        if not value:
            continue
        name = header[i] if i < len(header) and header[i] and header[i] != value else ""
        parts.append(f"{name}：{value}" if name else value)
    return "；".join(parts)


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text))


def table_blocks(rows: Iterable[Sequence[str]], context: str) -> list[Block]:
    """Blocks for a table, each row labelled with its column headers.

    A row holding one value across the table (a merged title such as 2024年主要指标完成情况表)
    names the table instead of serving as its header. A two-column table whose first row is data
    (参学党员 | 3560) is a key/value sheet: each row reads 参学党员：3560.
    """
    header: list[str] | None = None
    blocks: list[Block] = []
    key_value = False

    def emit(text: str) -> None:
        if text:
            blocks.append(Block(text=text, kind=BlockKind.TABLE_ROW, context=context))

    for raw in rows:
        row = [clean_line(c) for c in raw]
        values = [c for c in row if c]
        if not values:
            continue
        if header is None:
            if len(set(values)) == 1 and len(row) > 1:
                context = f"{context} > {values[0]}" if context else values[0]
                continue
            header = row
            key_value = len(values) == 2 and _is_number(values[1])
            if key_value:
                emit(f"{values[0]}：{values[1]}")
            continue
        if key_value and len(values) == 2:
            emit(f"{values[0]}：{values[1]}")
        else:
            emit(row_text(header, row))
    if header is not None and not key_value and not blocks:
        emit("；".join(h for h in header if h))
    return blocks


def load_docx(data: bytes, source: str, limits: ParseLimits = DEFAULT_LIMITS) -> list[Block]:
    check_package(data, source, ".docx", limits)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for a broken package
        raise IngestError(source, f"corrupt .docx ({type(exc).__name__})") from exc
    budget = TextBudget(source, limits.max_chars)
    styles = _style_names(document)
    outlines = _outline_levels(document)
    blocks: list[Block] = []
    n_tables = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            block = _paragraph_block(item, styles, budget, outlines)
            if block is not None:
                blocks.append(block)
        elif isinstance(item, Table):
            n_tables += 1
            rows = [[budget.take(cell.text) for cell in row.cells] for row in item.rows]
            blocks.extend(table_blocks(rows, context=f"表{n_tables}"))
    return blocks


def _style_names(document: Any) -> Mapping[str | None, str]:
    """Paragraph style id → name, read once: python-docx looks a paragraph's style up by an
    XPath search of styles.xml on every access (50 s for a 298 KB file of short paragraphs).
    The key None is the default paragraph style (a paragraph naming none, or an unknown one)."""
    from docx.enum.style import WD_STYLE_TYPE

    names: dict[str | None, str] = {}
    for style in document.styles:
        if style.type == WD_STYLE_TYPE.PARAGRAPH and style.style_id:
            names[style.style_id] = style.name or ""
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    names[None] = (default.name or "") if default is not None else ""
    return names


def _outline_levels(document: Any) -> Mapping[str, int]:
    """Paragraph style id → the outline level (大纲级别, 0 for level 1) it gives, its own or
    inherited. WPS users make headings so, and WPS's own styles (公文一级标题) carry one where
    Word's would be named Heading N; outline level 9 is body text."""
    from docx.enum.style import WD_STYLE_TYPE

    by_id = {
        s.style_id: s for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH and s.style_id
    }
    levels: dict[str, int] = {}
    for style_id, style in by_id.items():
        level, step = None, style
        for _ in range(8):  # basedOn chains are short; a loop in a damaged file is cut off
            level = _own_outline(step.element)
            base = step.element.basedOn_val
            if level is not None or base is None or base not in by_id:
                break
            step = by_id[base]
        if level is not None:
            levels[style_id] = level
    return levels


def _own_outline(element: Any) -> int | None:
    """The outline level an element's own pPr sets (``<w:outlineLvl w:val="0"/>``), if any."""
    ppr = element.pPr
    node = ppr.find(_OUTLINE) if ppr is not None else None
    value = node.get(_VAL) if node is not None else None
    return int(value) if value is not None and value.isdigit() else None


def _paragraph_block(
    paragraph: Any,
    styles: Mapping[str | None, str],
    budget: TextBudget,
    outlines: Mapping[str, int] | None = None,
) -> Block | None:
    text = clean_line(budget.take(paragraph.text))
    if not text:
        return None
    style_id = paragraph._p.style
    style = styles.get(style_id, styles[None])
    m = _HEADING_STYLE.match(style or "")
    if m:
        return Block(text=text, kind=BlockKind.HEADING, level=int(m.group(1)))
    if style == "Title":
        return Block(text=text, kind=BlockKind.HEADING, level=0)
    outline = _own_outline(paragraph._p)
    if outline is None and outlines is not None and style_id is not None:
        outline = outlines.get(style_id)
    if outline is not None and outline < _BODY_LEVEL and len(text) <= _MAX_HEADING:
        return Block(text=text, kind=BlockKind.HEADING, level=outline + 1)
    lead = ""
    for run in paragraph.runs:
        if not run.text.strip():
            lead += run.text
            continue
        if run.bold:
            lead += run.text
        else:
            break
    lead = clean_line(lead)
    if lead and lead != text and len(lead) <= 40:
        return Block(text=text, lead=lead)
    return Block(text=text)


def load_xlsx(data: bytes, source: str, limits: ParseLimits = DEFAULT_LIMITS) -> list[Block]:
    budget = TextBudget(source, limits.max_chars)
    blocks: list[Block] = []
    for title, grid in read_workbook(data, source, limits):
        rows = [[budget.take(text) for text, _ in row] for row in grid]
        blocks.extend(table_blocks(rows, context=title))
    return blocks
