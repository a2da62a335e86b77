"""A .docx saved by WPS (numbered style ids, its own namespace, headings made by outline level,
text cut into many runs, at times no styles part) loads with its title, headings, body and
table; sniffed as .docx whatever it is named (WPS saves a .docx under .wps too)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement

from assistant.domain import BlockKind
from assistant.ingest.limits import DEFAULT_LIMITS
from assistant.ingest.loaders import load_bytes
from assistant.ingest.office import load_docx
from assistant.uploads.sniff import sniff
from tests.wps_files import BODY, HEADING_1, HEADING_2, HEADING_3, LAST, TITLE, wps_docx


def _blocks(
    data: bytes, name: str = "汇报.docx"
) -> tuple[str, list[tuple[BlockKind, int | None, str]]]:
    loaded = load_bytes(data, path=Path(name))
    return loaded.meta.title, [(b.kind, b.level, b.text) for b in loaded.blocks]


def test_a_docx_saved_by_wps_keeps_its_title_headings_body_and_table() -> None:
    title, blocks = _blocks(wps_docx())
    assert title == TITLE
    assert blocks == [
        (BlockKind.HEADING, 1, HEADING_1),  # styleId "2", named heading 1
        (BlockKind.PARAGRAPH, None, BODY),  # its runs (and the empty ones) joined
        (BlockKind.HEADING, 2, HEADING_2),  # 大纲级别 on the paragraph
        (BlockKind.TABLE_ROW, None, "指标：安全检查；数值：326"),
        (BlockKind.HEADING, 1, HEADING_3),  # a custom style with an outline level
        (BlockKind.PARAGRAPH, None, LAST),
    ]


def test_without_a_styles_part_it_still_loads_with_its_text() -> None:
    title, blocks = _blocks(wps_docx(styles=False))
    assert title == TITLE
    assert [text for _, _, text in blocks] == [
        HEADING_1,
        BODY,
        HEADING_2,
        "指标：安全检查；数值：326",
        HEADING_3,
        LAST,
    ]
    # The paragraph's own outline level needs no style; the chunker ranks 一、 by its numbering.
    assert (BlockKind.HEADING, 2, HEADING_2) in blocks


def test_it_is_sniffed_as_a_docx_whatever_its_name() -> None:
    data = wps_docx()
    assert sniff(data, "汇报.docx") == "docx" and sniff(data, "汇报.wps") == "docx"
    assert _blocks(data, "汇报.wps") == _blocks(data)  # a .docx under .wps: read unconverted


def _with_outline(text: str, level: int) -> bytes:
    document = docx.Document()
    paragraph = document.add_paragraph(text)
    ppr = paragraph._p.get_or_add_pPr()
    node = OxmlElement("w:outlineLvl")
    node.set(qn("w:val"), str(level))
    ppr.append(node)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_an_outline_level_makes_a_heading_only_of_a_short_line_not_body_text() -> None:
    def kind(text: str, level: int) -> tuple[BlockKind, int | None]:
        (block,) = load_docx(_with_outline(text, level), "a.docx", DEFAULT_LIMITS)
        return block.kind, block.level

    assert kind("工作开展情况", 0) == (BlockKind.HEADING, 1)
    assert kind("工作开展情况", 9) == (BlockKind.PARAGRAPH, None)  # 9: body text
    assert kind(BODY * 3, 0) == (BlockKind.PARAGRAPH, None)  # a paragraph, whatever its level
