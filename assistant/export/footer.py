"""Page setup, page numbers and the 讨论稿 header of an export.

Page numbers follow GB/T 9704 §7.5: 4号半角宋体阿拉伯数字 between two 一字线 ("— 1 —"), a PAGE
field so Word and LibreOffice count the pages; right-aligned one character in from the edge on
odd pages and left-aligned one character in on even pages. Odd and even pages need distinct
footers, which Word only uses when settings.xml carries ``w:evenAndOddHeaders``.
"""

from __future__ import annotations

import copy
from typing import Any

from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.section import Section
from docx.shared import RGBColor, Twips

from assistant.export.layout import (
    FOOTER_DISTANCE,
    GRID_TYPE,
    HEADER_DISTANCE,
    LINE_PITCH,
    MARGINS,
    PAGE_HEIGHT,
    PAGE_NUMBER_PT,
    PAGE_WIDTH,
)
from assistant.export.ooxml import add_field, child, set_attrs, set_fonts, set_size
from assistant.export.styles import FontNames

DASH = "—"  # 一字线 (U+2014)
DRAFT_MARK = "讨论稿"
DRAFT_NOTE = f"{DRAFT_MARK}（未经审定，仅供讨论）"
_ONE_CHAR = PAGE_NUMBER_PT * 20  # 空一字 in the page number's own size: 280 twips


def setup_page(section: Section) -> None:
    """A4 portrait, the standard's margins and a 22-line grid (see ``layout`` for why it is a
    line grid and how 28 characters fit a line)."""
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(MARGINS["top"]), Twips(MARGINS["bottom"])
    section.left_margin, section.right_margin = Twips(MARGINS["left"]), Twips(MARGINS["right"])
    section.header_distance = Twips(HEADER_DISTANCE)
    section.footer_distance = Twips(FOOTER_DISTANCE)
    section.gutter = Twips(0)
    grid = child(section._sectPr, "w:docGrid")
    for name in list(grid.attrib):
        del grid.attrib[name]
    set_attrs(grid, type=GRID_TYPE, linePitch=LINE_PITCH)


def _run_properties(fonts: FontNames) -> Any:
    rpr = OxmlElement("w:rPr")
    set_fonts(rpr, fonts.page_number, fonts.page_number)
    set_size(rpr, PAGE_NUMBER_PT)
    return rpr


def _page_number(paragraph: Any, fonts: FontNames, *, odd: bool) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    # The footer style's tab stops and spacing are Word's defaults, not the standard's.
    paragraph.style = None
    set_attrs(child(ppr, "w:spacing"), before=0, after=0, line=240, lineRule="auto")
    side = "right" if odd else "left"
    set_attrs(child(ppr, "w:ind"), **{side: _ONE_CHAR, f"{side}Chars": 100})
    set_attrs(child(ppr, "w:jc"), val=side)
    rpr = _run_properties(fonts)

    def text_run(text: str) -> None:
        r = OxmlElement("w:r")
        r.append(copy.deepcopy(rpr))
        t = OxmlElement("w:t")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = text
        r.append(t)
        paragraph._p.append(r)

    text_run(f"{DASH} ")
    add_field(paragraph, "PAGE", "1" if odd else "2", rpr)
    text_run(f" {DASH}")


def add_page_numbers(doc: DocumentObject, fonts: FontNames) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    _page_number(section.footer.paragraphs[0], fonts, odd=True)
    _page_number(section.even_page_footer.paragraphs[0], fonts, odd=False)


def add_draft_header(doc: DocumentObject, fonts: FontNames) -> None:
    """讨论稿 in the header of every page, odd and even, so no printed page passes for final."""
    section = doc.sections[0]
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        paragraph.style = None
        set_attrs(child(paragraph._p.get_or_add_pPr(), "w:jc"), val="center")
        run = paragraph.add_run(DRAFT_NOTE)
        set_fonts(run._r.get_or_add_rPr(), fonts.heading1, fonts.latin)
        set_size(run._r.get_or_add_rPr(), 12)
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
