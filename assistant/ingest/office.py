"""Loaders for Office Open XML files (.docx, .xlsx): paragraphs, headings, bold leads, tables."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Sequence

from assistant.domain import Block, BlockKind
from assistant.ingest.cleaning import clean_line
from assistant.ingest.errors import IngestError

_NUMBER = re.compile(r"^[-+]?[\d,，.．]+\s*[%％万亿元个次人名件项]*$")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.I)
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100


def check_package(data: bytes, source: str, kind: str) -> None:
    """Reject what is not a sane zip package: legacy/encrypted files, corrupt zips, zip bombs."""
    if data.startswith(_OLE_MAGIC):
        raise IngestError(
            source, f"encrypted or legacy (pre-2007) Office file; save it as an unprotected {kind}"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise IngestError(source, f"corrupt {kind} (not a valid zip package)") from exc
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
        raise IngestError(
            source,
            f"{kind} expands to {total / 1e6:.0f} MB (ratio {total / packed:.0f}:1); "
            "refused as a possible zip bomb",
        )


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


def load_docx(data: bytes, source: str) -> list[Block]:
    check_package(data, source, ".docx")
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for a broken package
        raise IngestError(source, f"corrupt .docx ({type(exc).__name__})") from exc
    blocks: list[Block] = []
    n_tables = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            block = _paragraph_block(item)
            if block is not None:
                blocks.append(block)
        elif isinstance(item, Table):
            n_tables += 1
            rows = [[cell.text for cell in row.cells] for row in item.rows]
            blocks.extend(table_blocks(rows, context=f"表{n_tables}"))
    return blocks


def _paragraph_block(paragraph: object) -> Block | None:
    from docx.text.paragraph import Paragraph

    assert isinstance(paragraph, Paragraph)
    text = clean_line(paragraph.text)
    if not text:
        return None
    style = paragraph.style.name if paragraph.style is not None else ""
    m = _HEADING_STYLE.match(style or "")
    if m:
        return Block(text=text, kind=BlockKind.HEADING, level=int(m.group(1)))
    if style == "Title":
        return Block(text=text, kind=BlockKind.HEADING, level=0)
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


def load_xlsx(data: bytes, source: str) -> list[Block]:
    check_package(data, source, ".xlsx")
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:
        raise IngestError(source, f"corrupt .xlsx ({type(exc).__name__})") from exc
    blocks: list[Block] = []
    for ws in wb.worksheets:
        grid = [
            ["" if c.value is None else _cell_str(c.value, c.number_format) for c in row]
            for row in ws.iter_rows()
        ]
        # Merged cells hold their value in the top-left cell only: copy it to the whole range.
        for rng in ws.merged_cells.ranges:
            value = grid[rng.min_row - 1][rng.min_col - 1] if grid else ""
            for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
                for c in range(rng.min_col - 1, min(rng.max_col, len(grid[r]))):
                    grid[r][c] = value
        blocks.extend(table_blocks(grid, context=ws.title))
    return blocks


def _cell_str(value: object, number_format: str = "General") -> str:
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in number_format:
        decimals = number_format.split(".")[1].count("0") if "." in number_format else 0
        return f"{value * 100:.{decimals}f}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
