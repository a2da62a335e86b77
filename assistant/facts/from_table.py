"""Proposing facts from an uploaded spreadsheet (.xlsx or .csv), each with its cell of origin;
and from the tables of a scan read by OCR, each with its page and cell (``#p3!B2``), its origin
marked as OCR and its confidence lowered (a digit may be misread).

Two layouts are recognised per sheet. A key/value sheet (指标 | 数值 [| 单位 [| 备注]]) gives one
fact per row and may hold text values. A table with a header row and a label column gives one
fact per numeric cell, keyed by row label and column header (学习研讨 × 次数 → 学习研讨次数,
参学党员 × 2023年 → 2023年参学党员). Title rows (one non-empty cell) are skipped everywhere.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator

from assistant.domain import Block
from assistant.facts.proposed import ProposedFact, split_value
from assistant.facts.sheet import Fact
from assistant.ingest.cleaning import clean_line
from assistant.ingest.encoding import decode_bytes
from assistant.ingest.limits import DEFAULT_LIMITS, ParseLimits
from assistant.ingest.package import OLE_MAGIC
from assistant.ingest.workbook import read_workbook

MAX_KEY = 100
# Column headers of a key/value sheet; a row matching them is a header, not a fact.
_KV_KEY_HEADERS = {"指标", "项目", "名称", "指标名称", "事项", "内容", "类别", "类型", "数据项"}
_KV_VALUE_HEADERS = {"数值", "数量", "值", "数据", "数", "指标值", "完成值", "完成情况", "情况"}
_UNIT_HEADERS = {"单位", "计量单位"}
_NOTE_HEADERS = {"备注", "说明", "注"}
# Headers that name the measurement rather than what is measured: the row label is the key.
_GENERIC_HEADERS = _KV_VALUE_HEADERS | {"合计", "总计", "小计", "总数", "结果", "实际完成"}
_INDEX_HEADERS = {"序号", "编号", "序"}
_COUNTERS = set("次人个件户家项名场期篇份条所")
_HEADER_UNIT = re.compile(r"^(?P<name>.*?)\s*[（(](?P<unit>[^（）()]{1,6})[）)]$")
_YEAR = re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<suffix>年度?)?$")
_PUNCT = re.compile(r"[，、。；：,;:！？!?]")

Cell = tuple[str, str]  # (text, A1 coordinate)


def facts_from_table(
    data: bytes, *, filename: str, max_facts: int = 500, limits: ParseLimits = DEFAULT_LIMITS
) -> list[ProposedFact]:
    """Proposed facts of every sheet, at most ``max_facts``; [] when nothing is recognised.

    Raises :class:`IngestError` naming ``filename`` when the file cannot be read.
    """
    if not data.strip():
        return []
    if data.startswith((b"PK", OLE_MAGIC)):
        sheets = _xlsx_sheets(data, filename, limits)
    else:
        sheets = iter([("csv", _csv_grid(decode_bytes(data, filename)))])
    out: list[ProposedFact] = []
    taken: set[str] = set()
    for sheet, grid in sheets:
        for key, fact, origin, conf in _sheet_facts(grid):
            fact.key = _unique(key, taken, sheet)
            fact.source = f"upload:{filename}#{sheet}!{fact.source}"
            out.append(ProposedFact(fact=fact, origin=origin, confidence=conf))
            if len(out) >= max_facts:
                return out
    return out


def facts_from_scan(
    blocks: Iterable[Block], *, filename: str, max_facts: int = 500
) -> list[ProposedFact]:
    """Proposed facts of the tables read by OCR from a scan, each named by its page and cell
    (``upload:<file>#p3!B2``; a page's second table ``p3-2``); [] when there is none."""
    out: list[ProposedFact] = []
    taken: set[str] = set()
    per_page: dict[int, int] = {}
    for block in blocks:
        if block.grid is None or block.ocr_page is None:
            continue
        n = per_page[block.ocr_page] = per_page.get(block.ocr_page, 0) + 1
        sheet = f"p{block.ocr_page}" + (f"-{n}" if n > 1 else "")
        grid = [
            [(clean_line(text), f"{_column(c)}{r + 1}") for c, text in enumerate(row)]
            for r, row in enumerate(block.grid)
        ]
        for key, fact, origin, conf in _sheet_facts(grid):
            fact.key = _unique(key, taken, sheet)
            fact.source = f"upload:{filename}#{sheet}!{fact.source}"
            # Read by OCR: a digit may be misread, so it is proposed less surely.
            out.append(
                ProposedFact(
                    fact=fact, origin=f"OCR 识别：{origin}", confidence=round(conf * 0.9, 2)
                )
            )
            if len(out) >= max_facts:
                return out
    return out


def _xlsx_sheets(
    data: bytes, filename: str, limits: ParseLimits
) -> Iterator[tuple[str, list[list[Cell]]]]:
    # Merged ranges stay as they are: a fact's source names the cell that holds its value.
    for title, grid in read_workbook(data, filename, limits, fill_merged=False):
        yield title, [[(clean_line(text), ref) for text, ref in row] for row in grid]


def _csv_grid(text: str) -> list[list[Cell]]:
    lines = text.splitlines()
    sample = "\n".join(lines[:20])
    # Excel exports use commas; Chinese tools sometimes use tabs or full-width commas.
    delimiter = max(",\t;，", key=sample.count)
    rows = csv.reader(lines, delimiter=delimiter)
    return [
        [(clean_line(v), f"{_column(c)}{r + 1}") for c, v in enumerate(row)]
        for r, row in enumerate(rows)
    ]


def _column(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (spreadsheet column letters)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def _unique(key: str, taken: set[str], sheet: str) -> str:
    """The key, or key（sheet）, then key（sheet）2, 3 …, each within MAX_KEY characters."""
    key = key[:MAX_KEY]
    candidate, n = key, 1
    while candidate in taken:
        suffix = f"（{sheet}）" + (str(n) if n > 1 else "")
        candidate = key[: MAX_KEY - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate


def _is_header(texts: list[str]) -> bool:
    """A row of column names: nothing numeric after the label and every name short and plain."""
    label, rest = texts[0], [t for t in texts[1:] if t]
    if not rest or any(split_value(t) is not None and not _YEAR.match(t) for t in rest):
        return False
    if not label or label in _KV_KEY_HEADERS or label in _INDEX_HEADERS:
        return True
    # 总要求 | 学思想、强党性… is a key/value row with a text value, not a header.
    return all(len(t) <= 15 and not _PUNCT.search(t) for t in rest)


def _sheet_facts(grid: list[list[Cell]]) -> Iterator[tuple[str, Fact, str, float]]:
    """(key, fact with the bare cell reference as source, origin, confidence) of one sheet."""
    rows = [row for row in grid if sum(1 for t, _ in row if t) >= 2]  # no titles, no notes
    if not rows:
        return
    width = max(len(r) for r in rows)
    first = min(next(i for i, (t, _) in enumerate(r) if t) for r in rows)
    rows = [r[first:] + [("", "")] * (width - len(r)) for r in rows]
    head = [t for t, _ in rows[0]]
    if _is_header(head) and head[0] in _INDEX_HEADERS:
        # A 序号 column precedes the labels: the labels are the next column.
        rows, head = [r[1:] for r in rows], head[1:]
    header = _is_header(head)
    if not header:
        yield from _key_value(rows, None, 0.85)
    elif _kv_header(head):
        yield from _key_value(rows[1:], head, 0.9)
    else:
        yield from _table(rows[1:], head)


def _kv_header(head: list[str]) -> bool:
    names = [t for t in head if t]
    return (
        len(names) <= 4
        and len(head) >= 2
        and head[1] in _KV_VALUE_HEADERS
        and (len(head) < 3 or head[2] in _UNIT_HEADERS | {""})
        and (len(head) < 4 or head[3] in _NOTE_HEADERS | {""})
        and not any(head[4:])
    )


def _key_value(
    rows: list[list[Cell]], head: list[str] | None, conf: float
) -> Iterator[tuple[str, Fact, str, float]]:
    for row in rows:
        texts = [t for t, _ in row]
        key, (value_text, ref) = texts[0], row[1]
        if not key or not value_text:
            continue
        unit_col = texts[2] if len(texts) > 2 else ""
        note = texts[3] if len(texts) > 3 else ""
        if head is None and unit_col and len(unit_col) > 4:
            unit_col, note = "", unit_col  # too long for a unit: an unheaded note column
        parts = split_value(value_text)
        if parts is None:
            fact = Fact(key=key[:MAX_KEY], value=value_text, unit=unit_col, note=note, source=ref)
        else:
            value, unit, approx = parts
            notes = "；".join(n for n in (note, approx) if n)
            fact = Fact(
                key=key[:MAX_KEY], value=value, unit=unit or unit_col, note=notes, source=ref
            )
        yield key, fact, "｜".join(t for t in texts if t), conf


def _column_name(header: str) -> tuple[str, str]:
    """人数（名） → (人数, 名); 次数 → (次数, 次); 2023 → (2023年, "")."""
    unit = ""
    m = _HEADER_UNIT.match(header)
    if m:
        header, unit = m.group("name"), m.group("unit")
    y = _YEAR.match(header)
    if y:
        header = y.group("y") + (y.group("suffix") or "年")
    elif not unit and len(header) >= 2 and header[-1] == "数" and header[-2] in _COUNTERS:
        unit = header[-2]  # 次数 counts 次, 人数 counts 人
    return header, unit


def _table_key(label: str, name: str) -> str:
    if not name or name in _GENERIC_HEADERS:
        return label
    if _YEAR.match(name):
        return f"{name}{label}"
    return label if label.endswith(name) else f"{label}{name}"


def _table(rows: list[list[Cell]], head: list[str]) -> Iterator[tuple[str, Fact, str, float]]:
    columns = [_column_name(h) for h in head]
    # Column 0 holds the labels even when it is headed 单位 (the organisation, not a unit).
    unit_col = next((i for i, h in enumerate(head) if i and h in _UNIT_HEADERS), None)
    note_col = next((i for i, h in enumerate(head) if i and h in _NOTE_HEADERS), None)
    for row in rows:
        label = row[0][0]
        if not label:
            continue  # a continuation of a vertically merged label: nothing names the row
        row_unit = row[unit_col][0] if unit_col is not None else ""
        row_note = row[note_col][0] if note_col is not None else ""
        for i in range(1, len(row)):
            text, ref = row[i]
            if i in (unit_col, note_col) or not text:
                continue
            parts = split_value(text)
            if parts is None:
                continue
            value, unit, approx = parts
            name, head_unit = columns[i] if i < len(columns) else ("", "")
            key = _table_key(label, name)
            note = "；".join(n for n in (row_note, approx) if n)
            fact = Fact(
                key=key[:MAX_KEY],
                value=value,
                unit=unit or head_unit or row_unit,
                note=note,
                source=ref,
            )
            yield key, fact, f"{label}｜{head[i] if i < len(head) else ''}｜{text}", 0.8
