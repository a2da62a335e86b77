"""A minimal .docx writer (python-docx only): centred title, section headings, paragraphs.

It stands in for the GB/T 9704 writer, which will replace :func:`write_report` with the same
signature. A 讨论稿 (draft) carries its mark in every page header and above the title, so a
printed page or a pasted excerpt is never mistaken for the approved text.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DRAFT_MARK = "讨论稿"
_DRAFT_NOTE = f"{DRAFT_MARK}（未经审定，仅供讨论）"


def write_report(title: str, sections: list[tuple[str, str]], *, draft: bool) -> bytes:
    """``sections`` are (heading, text) pairs in order; an empty heading adds text only."""
    doc = Document()
    if draft:
        header = doc.sections[0].header.paragraphs[0]
        header.text = _DRAFT_NOTE
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark = doc.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = mark.add_run(DRAFT_MARK)
        run.bold = True
        run.font.size = Pt(16)
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    heading = doc.add_heading(title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for section_heading, text in sections:
        if section_heading.strip():
            doc.add_heading(section_heading.strip(), level=1)
        for line in text.splitlines():
            if line.strip():
                doc.add_paragraph(line.strip())
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
