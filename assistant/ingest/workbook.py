"""Reading an .xlsx within bounds: shared strings counted first, cells counted as they stream.

openpyxl's default mode builds every cell of every sheet before the first is returned, and even
its read-only mode loads xl/sharedStrings.xml whole when the workbook opens (a million strings
took 28 s). So the shared strings are counted in a stream before openpyxl sees the file, the
sheets are read in read-only mode with their declared dimensions ignored (a header may claim
16,384 columns), and the walk stops at the first cell over the limit.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from assistant.ingest.errors import IngestError
from assistant.ingest.limits import DEFAULT_LIMITS, OverLimit, ParseLimits
from assistant.ingest.package import check_package

Cell = tuple[str, str]  # (text, A1 coordinate)
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def read_workbook(
    data: bytes, source: str, limits: ParseLimits = DEFAULT_LIMITS, *, fill_merged: bool = True
) -> Iterator[tuple[str, list[list[Cell]]]]:
    """Each sheet's title and grid of (text, coordinate); merged ranges copied from their
    top-left cell when ``fill_merged``. Raises :class:`IngestError` (or :class:`OverLimit`)."""
    check_package(data, source, ".xlsx", limits)
    _check_shared_strings(data, source, limits)
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a package that is not a workbook
        raise IngestError(source, f"corrupt .xlsx ({type(exc).__name__}: {exc})") from exc
    cells = 0
    try:
        for ws in wb.worksheets:
            if not hasattr(ws, "reset_dimensions"):
                continue  # a chartsheet: no cells
            ws.reset_dimensions()  # read the rows that are there, not the ones declared
            grid: list[list[Cell]] = []
            for r, row in enumerate(ws.iter_rows()):
                cells += max(1, len(row))
                if cells > limits.max_cells:
                    raise OverLimit(
                        source,
                        f"more than {limits.max_cells:,} cells, over the limit of "
                        f"{limits.max_cells:,} per workbook",
                    )
                grid.append(
                    [(_text(c), f"{get_column_letter(i + 1)}{r + 1}") for i, c in enumerate(row)]
                )
            _pad(grid, source, limits)
            if fill_merged:
                _fill_merged(grid, _merged_ranges(ws))
            yield ws.title, grid
    finally:
        wb.close()


def _pad(grid: list[list[Cell]], source: str, limits: ParseLimits) -> None:
    """Make the grid rectangular, as the sheet looks (rows end at their last written cell)."""
    from openpyxl.utils import get_column_letter

    width = max((len(row) for row in grid), default=0)
    if width * len(grid) > limits.max_cells:
        raise OverLimit(
            source,
            f"a sheet of {len(grid):,} rows by {width:,} columns, over the limit of "
            f"{limits.max_cells:,} cells per workbook",
        )
    for r, row in enumerate(grid):
        row.extend(("", f"{get_column_letter(c + 1)}{r + 1}") for c in range(len(row), width))


def _text(cell: Any) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    return cell_str(value, getattr(cell, "number_format", None) or "General")


def _check_shared_strings(data: bytes, source: str, limits: ParseLimits) -> None:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = {n.lower(): n for n in zf.namelist()}
        name = names.get("xl/sharedstrings.xml")
        if name is None:
            return
        count = 0
        try:
            with zf.open(name) as fh:
                for _, el in etree.iterparse(fh, events=("end",), tag=f"{_MAIN}si"):
                    count += 1
                    if count > limits.max_shared_strings:
                        raise OverLimit(
                            source,
                            f"more than {limits.max_shared_strings:,} shared strings, over the "
                            f"limit of {limits.max_shared_strings:,} per workbook",
                        )
                    el.clear()  # keep memory flat: nothing of the string is needed here
        except etree.XMLSyntaxError as exc:
            raise IngestError(source, "corrupt .xlsx (xl/sharedStrings.xml)") from exc


def _merged_ranges(ws: Any) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of each merged range, 1-based, read in a stream
    (read-only worksheets do not parse them)."""
    from lxml import etree
    from openpyxl.utils.cell import range_boundaries

    out: list[tuple[int, int, int, int]] = []
    try:
        with ws._get_source() as fh:
            for _, el in etree.iterparse(fh, events=("end",)):
                if el.tag == f"{_MAIN}mergeCell":
                    ref = el.get("ref") or ""
                    try:
                        min_col, min_row, max_col, max_row = range_boundaries(ref)
                    except (ValueError, TypeError):
                        continue
                    out.append((min_row, min_col, max_row, max_col))
                el.clear()
    except etree.XMLSyntaxError:
        return out  # the cells were read already; a broken tail only loses the merges
    return out


def _fill_merged(grid: list[list[Cell]], ranges: list[tuple[int, int, int, int]]) -> None:
    # Merged cells hold their value in the top-left cell only: copy it to the whole range.
    for min_row, min_col, max_row, max_col in ranges:
        if min_row - 1 >= len(grid) or min_col - 1 >= len(grid[min_row - 1]):
            continue
        value = grid[min_row - 1][min_col - 1][0]
        for r in range(min_row - 1, min(max_row, len(grid))):
            row = grid[r]
            for c in range(min_col - 1, min(max_col, len(row))):
                row[c] = (value, row[c][1])


def cell_str(value: object, number_format: str = "General") -> str:
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
