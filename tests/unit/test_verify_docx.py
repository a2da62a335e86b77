"""The format verifier: clean exports pass, each kind of damage is caught by its rule."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from assistant.export import ExportReport, ExportSection, write_docx
from assistant.export.ooxml import child, set_attrs
from assistant.export.verify import DocxUnreadable, Violation, verify_docx
from tests.unit.test_export_docx import sample_report

CLEAN = write_docx(sample_report())


def damaged(change: Callable[[Any], None], data: bytes = CLEAN) -> list[Violation]:
    doc = docx.Document(io.BytesIO(data))
    change(doc)
    out = io.BytesIO()
    doc.save(out)
    return verify_docx(out.getvalue())


def rules(violations: list[Violation]) -> set[str]:
    return {v.rule for v in violations}


def test_every_export_variant_is_clean() -> None:
    for kwargs in (
        {},
        {"footnotes": True},
        {"comments": True},
        {"footnotes": True, "comments": True},
    ):
        for draft in (False, True):
            assert verify_docx(write_docx(sample_report(draft=draft), **kwargs)) == []


def test_changed_margins_are_caught() -> None:
    def change(doc: Any) -> None:
        doc.sections[0].left_margin = Mm(20)
        doc.sections[0].top_margin = Mm(25.4)

    found = damaged(change)
    margins = {v.where: v for v in found if v.rule == "margin"}
    assert set(margins) == {"section 1 left", "section 1 top"}
    assert (
        margins["section 1 left"].expected == "28 mm"
        and margins["section 1 left"].found == "20.0 mm"
    )
    # A wider text area no longer holds exactly 28 characters a line.
    assert "doc-grid" in rules(found)


def test_a_letter_page_is_caught() -> None:
    def change(doc: Any) -> None:
        doc.sections[0].page_width, doc.sections[0].page_height = Mm(215.9), Mm(279.4)

    assert "page-size" in rules(damaged(change))


def test_a_wrong_font_in_a_style_is_one_violation_for_all_its_paragraphs() -> None:
    def change(doc: Any) -> None:
        doc.styles["GW Body"].element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")

    (v,) = [v for v in damaged(change) if v.rule == "font"]
    assert (v.expected, v.found) == ("仿宋_GB2312", "宋体")
    assert v.where.startswith("GW Body: ") and "paragraphs" in v.where


def test_a_direct_font_on_one_paragraph_is_caught_there() -> None:
    def change(doc: Any) -> None:
        p = next(p for p in doc.paragraphs if p.style.name == "GW Heading 1")
        p.runs[0]._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "微软雅黑")

    (v,) = damaged(change)
    assert v.rule == "font" and v.expected == "黑体" and v.found == "微软雅黑"
    assert "一、提高政治站位" in v.where


def test_a_theme_font_is_not_the_standard_font() -> None:
    def change(doc: Any) -> None:
        doc.styles["GW Heading 2"].element.rPr.rFonts.set(qn("w:eastAsiaTheme"), "minorEastAsia")

    (v,) = damaged(change)
    assert v.rule == "font" and v.found == "theme:minorEastAsia"


def test_wrong_size_spacing_and_indent_are_caught() -> None:
    def change(doc: Any) -> None:
        body = doc.styles["GW Body"]
        body.font.size = Pt(14)
        body.paragraph_format.line_spacing = 1.0
        ind = body.element.pPr.find(qn("w:ind"))
        ind.set(qn("w:firstLineChars"), "0")
        ind.set(qn("w:firstLine"), "0")

    found = {v.rule: v for v in damaged(change)}
    assert found["font-size"].found == "14 pt" and found["font-size"].expected == "16 pt"
    assert found["line-spacing"].found.startswith("auto")
    assert found["indent"].expected == "first line indented 2 characters"


def test_missing_page_numbers_are_caught() -> None:
    def change(doc: Any) -> None:
        sect = doc.sections[0]._sectPr
        for ref in sect.findall(qn("w:footerReference")):
            sect.remove(ref)

    found = [v for v in damaged(change) if v.rule == "page-number"]
    assert sorted(v.where for v in found) == ["even-page footer", "odd-page footer"]
    assert all(v.found == "no footer" for v in found)


def test_a_footer_without_a_page_field_is_caught() -> None:
    def change(doc: Any) -> None:
        footer = doc.sections[0].even_page_footer
        for p in footer.paragraphs:
            p._p.getparent().remove(p._p)
        footer.add_paragraph("第二页")

    (v,) = damaged(change)
    assert (v.rule, v.where, v.found) == ("page-number", "even-page footer", "第二页")


def test_odd_and_even_settings_positions_and_font_of_page_numbers() -> None:
    def change(doc: Any) -> None:
        doc.settings.odd_and_even_pages_header_footer = False
        odd = doc.sections[0].footer.paragraphs[0]
        odd.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for r in odd.runs:
            r.font.size = Pt(10.5)

    found = {v.rule: v for v in damaged(change)}
    assert set(found) == {"even-odd-footers", "page-number-position", "page-number-font"}
    assert (found["page-number-position"].expected, found["page-number-position"].found) == (
        "right",
        "center",
    )


def test_a_missing_grid_is_caught() -> None:
    def change(doc: Any) -> None:
        sect = doc.sections[0]._sectPr
        sect.remove(sect.find(qn("w:docGrid")))

    (v,) = damaged(change)
    assert v.rule == "doc-grid" and "22 lines" in v.expected


def test_a_word_character_grid_counts_as_28_characters() -> None:
    """A file re-saved by Word with 指定行和字符网格 (linesAndChars, charSpace −849) is fine."""

    def change(doc: Any) -> None:
        grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
        set_attrs(grid, type="linesAndChars", charSpace=-849)

    assert damaged(change) == []

    def too_wide(doc: Any) -> None:
        change(doc)
        set_attrs(doc.sections[0]._sectPr.find(qn("w:docGrid")), charSpace=0)

    assert [v.found for v in damaged(too_wide)] == ["27 characters a line"]


def test_heading_numbering_gaps_and_wrong_levels_are_caught() -> None:
    report = ExportReport(
        title="关于工作的报告",
        sections=[
            ExportSection("a", "一、总体情况", "（二）第二项。正文。"),
            ExportSection("b", "三、下步打算", "正文。"),
        ],
    )

    found = damaged(lambda doc: None, write_docx(report))
    numbering = [v for v in found if v.rule == "heading-numbering"]
    assert [v.found for v in numbering] == ["（二）第二项。正文。", "三、下步打算"]
    assert "缺号" in numbering[1].expected

    def restyle(doc: Any) -> None:
        p = next(p for p in doc.paragraphs if p.text.startswith("（二）"))
        p.style = doc.styles["GW Heading 3"]

    assert "heading-level" in rules(damaged(restyle, write_docx(report)))


def test_dates_with_leading_zeros_or_chinese_numerals_are_caught() -> None:
    for text in ("2025年08月05日", "二〇二五年八月五日"):

        def change(doc: Any, text: str = text) -> None:
            p = next(p for p in doc.paragraphs if p.style.name == "GW Date")
            p.runs[0].text = text

        (v,) = damaged(change)
        assert v.rule == "date" and v.found == text


def test_a_recipient_without_its_colon_is_caught() -> None:
    def change(doc: Any) -> None:
        p = next(p for p in doc.paragraphs if p.style.name == "GW Recipient")
        p.runs[0].text = "市委第三巡回指导组"

    (v,) = damaged(change)
    assert v.rule == "recipient"


def test_a_document_without_the_styles_is_checked_by_inferred_roles() -> None:
    doc = docx.Document()
    doc.add_paragraph("关于工作情况的汇报").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("县委：")
    doc.add_paragraph("一、总体情况")
    doc.add_paragraph("正文。")
    doc.add_paragraph("三、下步打算")
    out = io.BytesIO()
    doc.save(out)
    found = verify_docx(out.getvalue())
    assert {"page-size", "margin", "doc-grid", "page-number", "even-odd-footers"} <= rules(found)
    fonts = {v.expected for v in found if v.rule == "font"}
    assert {"方正小标宋简体", "仿宋_GB2312", "黑体"} <= fonts
    assert any("read as title" in v.where for v in found)
    assert any(v.rule == "heading-numbering" and v.found == "三、下步打算" for v in found)


@pytest.mark.parametrize("data", [b"", b"not a zip at all", b"PK\x03\x04broken"])
def test_unreadable_bytes_raise(data: bytes) -> None:
    with pytest.raises(DocxUnreadable):
        verify_docx(data)


def test_a_zip_that_is_not_a_docx_raises() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(DocxUnreadable):
        verify_docx(out.getvalue())


def test_violations_serialise() -> None:
    v = Violation("margin", "section 1 left", "28 mm", "20.0 mm")
    assert v.public() == {
        "rule": "margin",
        "where": "section 1 left",
        "expected": "28 mm",
        "found": "20.0 mm",
    }


def test_condensing_removed_gives_27_characters() -> None:
    def change(doc: Any) -> None:
        rpr = doc.styles["GW Body"].element.rPr
        set_attrs(child(rpr, "w:spacing"), val=0)

    assert [v.found for v in damaged(change)] == ["27 characters a line"]
