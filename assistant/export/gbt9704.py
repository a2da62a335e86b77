"""The GB/T 9704-2012 (党政机关公文格式) Word writer: an :class:`ExportReport` as .docx bytes.

Order on the page: the 讨论稿 mark (drafts), the title (2号小标宋, centred, broken between words),
a blank line, the 主送机关 line (顶格, full-width colon), the sections (a section's heading is
level 1; numbered lines inside its text are levels 2–4; the rest is body), the attachment note,
a blank line, 落款 and date. Page geometry, fonts and footers live in ``layout``, ``styles`` and
``footer``; citations become footnotes (``notes``) and reviewer comments Word comments on request.
Every section's first paragraph carries a bookmark ``gw_<section id>`` for the Word round trip.
"""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass, field

from docx import Document
from docx.document import Document as DocumentObject
from docx.shared import RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from assistant.export.footer import DRAFT_MARK, add_draft_header, add_page_numbers, setup_page
from assistant.export.layout import (
    BODY_PT,
    LINE_PITCH,
    chinese_date,
    clean,
    heading_level,
    signature_indents,
    split_lead,
)
from assistant.export.model import ExportComment, ExportReport, ExportSection
from assistant.export.notes import Footnotes
from assistant.export.ooxml import add_bookmark, child, set_attrs, set_fonts
from assistant.export.styles import FOOTNOTE_REF_STYLE, ROLES, FontNames, install_styles
from assistant.export.titles import title_lines

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_NAME_CHARS = re.compile(r"[^A-Za-z0-9_]")
_TRAILING_PUNCT = "。，；：、.,;:"


def bookmark_name(section_id: str) -> str:
    """``gw_<id>``, within Word's rules: letters, digits and _, at most 40 characters."""
    return ("gw_" + _NAME_CHARS.sub("_", section_id))[:40]


def version_bookmark(section_id: str, version: int) -> str:
    """``gwv<n>_<id>``: the version a section was exported at, beside its ``gw_`` bookmark, so a
    file edited in Word and imported back names its base (Word keeps bookmarks)."""
    return (f"gwv{version}_" + _NAME_CHARS.sub("_", section_id))[:40]


@dataclass
class _Span:
    start: int
    end: int
    run: Run


@dataclass
class _Writer:
    doc: DocumentObject
    fonts: FontNames
    footnotes: Footnotes | None
    styles: dict[str, str] = field(default_factory=dict)  # role -> style id
    bookmarks: list[tuple[Paragraph, str]] = field(default_factory=list)

    def paragraph(self, role: str, section_id: str = "", version: int | None = None) -> Paragraph:
        p = self.doc.add_paragraph()
        p._p.style = self.styles[role]
        if section_id:
            self.bookmarks.append((p, bookmark_name(section_id)))
            if version is not None:
                self.bookmarks.append((p, version_bookmark(section_id, version)))
        return p

    def add_bookmarks(self) -> None:
        """Bookmarks go in last so that each spans its paragraph's whole content."""
        for i, (p, name) in enumerate(self.bookmarks):
            add_bookmark(p, name, i)

    def body_run(self, p: Paragraph, text: str) -> Run:
        """A run in the body font inside a heading paragraph (the text after a run-in heading)."""
        run = p.add_run(text)
        set_fonts(run._r.get_or_add_rPr(), self.fonts.body, self.fonts.latin)
        return run

    def section(self, section: ExportSection, comments: list[ExportComment]) -> list[_Span]:
        """Write one section; return its runs with their offsets into the text, for comments
        (a heading's run has offset -1)."""
        spans: list[_Span] = []
        first = section.id
        v = section.version
        heading = clean(section.heading).strip()
        if heading:
            p = self.paragraph(f"heading{heading_level(heading) or 1}", first, v)
            spans.append(_Span(-1, -1, p.add_run(heading)))
            first = ""
        text = clean(section.text)
        notes = _footnote_anchors(text, section) if self.footnotes else {}
        cuts = set(notes) | _comment_cuts(text, comments)
        offset = 0
        for raw in text.split("\n"):
            start = offset + len(raw) - len(raw.lstrip(" \u3000"))
            line = raw.strip(" \u3000")
            offset += len(raw) + 1
            if not line:
                continue
            level = heading_level(line)
            p = self.paragraph(f"heading{level}" if level else "body", first, v)
            first = ""
            lead = len(split_lead(line)[0]) if level else len(line)
            if level and lead < len(line):
                # A run-in heading carries its own text: it need not stay with the next line,
                # and keeping it there chains every layer of a part together (（一）…（四）),
                # which pushed a whole 一、 block to page 2 and left page 1 mostly empty.
                p.paragraph_format.keep_with_next = False
            inner = {c - start for c in cuts if start < c < start + len(line)}
            bounds = sorted({0, lead, len(line)} | inner)
            for a, b in itertools.pairwise(bounds):
                piece = line[a:b]
                run = self.body_run(p, piece) if level and a >= lead else p.add_run(piece)
                spans.append(_Span(start + a, start + b, run))
                if self.footnotes is not None:
                    for note in notes.get(start + b, []):
                        self.footnotes.reference(p, note)
        if first:  # an empty section still marks its place for the round trip
            self.paragraph("body", first, v)
        return spans


def _footnote_anchors(text: str, section: ExportSection) -> dict[int, list[str]]:
    """Offsets in ``text`` after which a footnote reference goes: the end of each cited sentence
    (the section's end when an edit has removed it)."""
    anchors: dict[int, list[str]] = {}
    end = len(text.rstrip(" \u3000\n"))
    for c in section.citations:
        sentence = clean(c.sentence).strip()
        at = text.find(sentence) if sentence else -1
        where = at + len(sentence) if at >= 0 else end
        anchors.setdefault(where, []).append(clean(c.note) or "、".join(c.refs) or sentence)
    return anchors


def _comment_cuts(text: str, comments: list[ExportComment]) -> set[int]:
    cuts: set[int] = set()
    for c in comments:
        sentence = clean(c.sentence)
        at = text.find(sentence) if sentence else -1
        if at >= 0:
            cuts.update((at, at + len(sentence)))
    return cuts


def _anchor_runs(text: str, sentence: str, spans: list[_Span]) -> list[Run]:
    """The runs a comment covers: its sentence's, or the section's first run."""
    sentence = clean(sentence)
    at = text.find(sentence) if sentence else -1
    if at >= 0:
        covered = [s.run for s in spans if s.start < at + len(sentence) and s.end > at]
        if covered:
            return covered
    return [spans[0].run] if spans else []


def _mark(w: _Writer) -> None:
    run = w.paragraph("mark").add_run(DRAFT_MARK)
    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)


def _title(w: _Writer, report: ExportReport) -> None:
    lines = title_lines(clean(report.title).replace("\n", ""))
    if not lines:
        return
    p = w.paragraph("title", report.title_id)
    for i, line in enumerate(lines):
        run = p.add_run(line)
        if i < len(lines) - 1:
            run.add_break()


def _recipient(w: _Writer, report: ExportReport) -> None:
    name = clean(report.recipient).replace("\n", "").strip().rstrip("：:").strip()
    if name:
        w.paragraph("recipient", report.recipient_id).add_run(name + "：")


def _attachments(w: _Writer, report: ExportReport) -> None:
    """附件：1. … with the second and later names aligned under the first (GB/T 9704 §7.3.4);
    a single attachment takes no number, and names end without punctuation."""
    names = [clean(a).replace("\n", "").strip().rstrip(_TRAILING_PUNCT) for a in report.attachments]
    names = [n for n in names if n]
    for i, name in enumerate(names):
        p = w.paragraph("attachment")
        ppr = p._p.get_or_add_pPr()
        if i == 0:
            set_attrs(child(ppr, "w:spacing"), before=LINE_PITCH)  # 正文下空一行
            p.add_run(f"附件：1. {name}" if len(names) > 1 else f"附件：{name}")
        else:
            # 左空二字 plus the width of 附件： (three characters) lines the names up.
            indent = 5 * BODY_PT * 20
            set_attrs(
                child(ppr, "w:ind"), leftChars=500, left=indent, firstLineChars=0, firstLine=0
            )
            p.add_run(f"{i + 1}. {name}")


def _signature(w: _Writer, report: ExportReport) -> None:
    organization = clean(report.organization).replace("\n", "").strip()
    date = chinese_date(report.date) if report.date else ""
    org_right, date_right = signature_indents(organization, date)
    first = True
    for role, text, right in (("signature", organization, org_right), ("date", date, date_right)):
        if not text:
            continue
        p = w.paragraph(role)
        ppr = p._p.get_or_add_pPr()
        if first:
            set_attrs(child(ppr, "w:spacing"), before=LINE_PITCH)
            first = False
        twips = round(right * BODY_PT * 20)
        set_attrs(child(ppr, "w:ind"), rightChars=round(right * 100), right=twips)
        p.add_run(text)


def write_docx(
    report: ExportReport,
    *,
    fonts: FontNames | None = None,
    footnotes: bool = False,
    comments: bool = False,
) -> bytes:
    """The report as a GB/T 9704 .docx. ``footnotes`` puts each citation's source in a
    footnote after its sentence; ``comments`` adds the report's comments as Word comments."""
    fonts = fonts or FontNames()
    doc = Document()
    install_styles(doc, fonts)
    setup_page(doc.sections[0])
    add_page_numbers(doc, fonts)
    styles = {role: doc.styles[r.style].style_id for role, r in ROLES.items()}
    notes = Footnotes(styles["footnote"], doc.styles[FOOTNOTE_REF_STYLE].style_id)
    w = _Writer(doc, fonts, notes if footnotes else None, styles)
    if report.draft:
        add_draft_header(doc, fonts)
        _mark(w)
    _title(w, report)
    _recipient(w, report)
    by_section: dict[str, list[ExportComment]] = {}
    for c in report.comments if comments else []:
        by_section.setdefault(c.section_id, []).append(c)
    for section in report.sections:
        mine = by_section.get(section.id, [])
        spans = w.section(section, mine)
        text = clean(section.text)
        for c in mine:
            runs = _anchor_runs(text, c.sentence, spans)
            if runs:
                doc.add_comment(runs, text=clean(c.text), author=clean(c.author) or "审核人")
    _attachments(w, report)
    _signature(w, report)
    w.add_bookmarks()
    notes.install(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


__all__ = ["DOCX_MEDIA_TYPE", "bookmark_name", "version_bookmark", "write_docx"]
