"""The GB/T 9704-2012 format verifier: a .docx in, the rules it breaks out.

Checked: A4 page size and the four margins; a line grid of 22 lines and room for 28 characters
a line; for each paragraph by role (its ``GW …`` style, or, in a document that lost them, a role
guessed from its numbering, alignment and place) the East Asian font, the size, exact line
spacing, the first-line indent, the alignment, the 主送机关 colon and the date's form; page
numbers as PAGE fields in distinct odd and even footers with ``w:evenAndOddHeaders``, in 4号宋体,
right on odd pages and left on even ones; and heading numbering (一、二、… without gaps, （一）
restarting under each 一、, via :func:`assistant.checks.logic.heading_numbering`).

Equal violations are reported once with the paragraphs they concern, so a wrong style reads as
one line and not as one per paragraph.
"""

from __future__ import annotations

import io
import re
from dataclasses import asdict, dataclass
from typing import Any

from docx import Document
from docx.oxml.ns import qn

from assistant.checks.logic import heading_numbering
from assistant.errors import Unreadable
from assistant.export import props
from assistant.export.layout import (
    DATE_PATTERN,
    INDENT_CHARS,
    INDENT_TWIPS,
    LINES_PER_PAGE,
    TEXT_HEIGHT,
    heading_level,
)
from assistant.export.styles import ROLES, STYLE_ROLES, FontNames, font_of, same_font
from assistant.export.verify_page import check_footers, check_page

# Exact line spacing that gives 22 lines: more than a 23rd and at most a 22nd of the text height.
_LINE_MIN, _LINE_MAX = TEXT_HEIGHT // (LINES_PER_PAGE + 1) + 1, TEXT_HEIGHT // LINES_PER_PAGE
_INDENTED = {"heading1", "heading2", "heading3", "heading4", "body"}


class DocxUnreadable(Unreadable):
    """The bytes are not a .docx python-docx can open."""


@dataclass(frozen=True)
class Violation:
    rule: str
    where: str
    expected: str
    found: str

    def public(self) -> dict[str, str]:
        return asdict(self)


class _Report:
    """Collects violations, merging equal ones found on several paragraphs."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str, str, str], list[str]] = {}

    def add(self, rule: str, where: str, expected: str, found: str, *, group: str = "") -> None:
        self.items.setdefault((rule, group or where, expected, found), []).append(where)

    def violations(self) -> list[Violation]:
        out = []
        for (rule, group, expected, found), wheres in self.items.items():
            where = (
                wheres[0]
                if len(wheres) == 1
                else f"{group}: {len(wheres)} paragraphs, first {wheres[0]}"
            )
            out.append(Violation(rule, where, expected, found))
        return out


def _text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _infer_roles(paragraphs: list[Any], styles: props.Styles) -> list[str]:
    """Each paragraph's role: from its GW style, else guessed (documents that lost the styles)."""
    roles: list[str] = []
    seen_title = seen_body = False
    for i, p in enumerate(paragraphs):
        text = _text(p).strip()
        name = styles.name(styles.paragraph_style(p))
        role = STYLE_ROLES.get(name, "")
        if not role and text:
            level = heading_level(text)
            align = props.alignment(styles.ppr_chain(p))
            if level:
                role = f"heading{level}"
            elif name == "Title" or (align == "center" and not seen_title and not seen_body):
                role = "title"
            elif roles and roles[-1] == "title" and text.endswith(("：", ":")) and len(text) < 80:
                role = "recipient"
            elif align == "right" and re.match(r"^[\d〇零一二三四五六七八九十○]{4}年", text):
                role = "date"
            elif align == "right" and i + 1 < len(paragraphs) and "年" in _text(paragraphs[i + 1]):
                role = "signature"
            elif text.startswith("附件"):
                role = "attachment"
            else:
                role = "body"
        seen_title |= role == "title"
        seen_body |= role.startswith(("body", "heading"))
        roles.append(role)
    return roles


def _snippet(text: str) -> str:
    text = text.replace("\n", " ").strip()
    return text if len(text) <= 16 else text[:15] + "…"


def _check_runs(
    rep: _Report, p: Any, role: str, where: str, group: str, styles: props.Styles, fonts: FontNames
) -> None:
    want_font, want_pt = font_of(fonts, role), ROLES[role].pt
    first = True
    for r in p.iter(qn("w:r")):
        if not props.run_text(r).strip():
            continue
        chain = styles.rpr_chain(p, r)
        found = props.east_asian_font(chain)
        # A run-in heading's sentences after its lead are body text.
        allowed = (
            [want_font] if first or not role.startswith("heading") else [want_font, fonts.body]
        )
        if not any(same_font(f, found) for f in allowed):
            rep.add("font", where, want_font, found or "(none)", group=group)
        size = props.size_pt(chain)
        if size != want_pt:
            rep.add("font-size", where, f"{want_pt:g} pt", f"{size:g} pt", group=group)
        first = False


def _check_paragraph(
    rep: _Report, p: Any, role: str, where: str, group: str, styles: props.Styles
) -> None:
    chain = styles.ppr_chain(p)
    text = _text(p).strip()
    if role not in ("title", "mark"):
        rule, line = props.line_spacing(chain)
        if rule != "exact" or line is None or not _LINE_MIN <= line <= _LINE_MAX:
            rep.add(
                "line-spacing",
                where,
                f"exact {_LINE_MIN}–{_LINE_MAX} twips ({LINES_PER_PAGE} lines a page)",
                f"{rule} {line}",
                group=group,
            )
    unit, value = props.first_line(chain)
    two_chars = (unit == "chars" and value == INDENT_CHARS) or (
        unit == "twips" and abs(value - INDENT_TWIPS) <= 20
    )
    if role in _INDENTED and not two_chars:
        rep.add("indent", where, "first line indented 2 characters", f"{value} {unit}", group=group)
    if role == "attachment" and not two_chars and props.left_indent(chain)[1] <= 0:
        rep.add(
            "indent",
            where,
            "附件 2 characters in, later names aligned",
            f"{value} {unit}",
            group=group,
        )
    if role == "recipient" and (value != 0 or props.left_indent(chain)[1] != 0):
        rep.add("indent", where, "顶格 (no indent)", f"{value} {unit}", group=group)
    align = props.alignment(chain)
    want = {"title": "center", "signature": "right", "date": "right"}.get(role)
    if want and align != want:
        rep.add("alignment", where, want, align, group=group)
    if role == "recipient" and not text.endswith("："):
        rep.add(
            "recipient", where, "主送机关 ending with a full-width colon ：", text[-1:], group=group
        )
    if role == "date" and not DATE_PATTERN.match(text):
        rep.add("date", where, "Arabic numerals without leading zeros, e.g. 2025年8月20日", text)


def _check_numbering(rep: _Report, entries: list[tuple[str, str]]) -> None:
    joined = "\n".join(text for _, text in entries)
    starts = [0]
    for _, text in entries:
        starts.append(starts[-1] + len(text) + 1)
    for finding in heading_numbering(joined):
        i = max(k for k, s in enumerate(starts[:-1]) if s <= finding.start)
        where, text = entries[i]
        rep.add(
            "heading-numbering",
            where,
            finding.message or "一、（一）1.（1） in order",
            _snippet(text),
        )


def verify_docx(data: bytes, *, fonts: FontNames | None = None) -> list[Violation]:
    """Every GB/T 9704 rule the document breaks (empty when it complies)."""
    fonts = fonts or FontNames()
    try:
        doc = Document(io.BytesIO(data))
        styles = props.Styles(doc.styles.element)
    except Exception as exc:  # zip, XML and package errors all mean the same to the caller
        raise DocxUnreadable(f"not a readable .docx: {exc}") from exc
    rep = _Report()
    for rule, where, expected, found in (
        *check_page(doc, styles),
        *check_footers(doc, styles, fonts.page_number),
    ):
        rep.add(rule, where, expected, found)
    paragraphs = list(doc.element.body.iterchildren(qn("w:p")))
    roles = _infer_roles(paragraphs, styles)
    headings: list[tuple[str, str]] = []
    for n, (p, role) in enumerate(zip(paragraphs, roles, strict=True), 1):
        text = _text(p).strip()
        if not text or role not in ROLES:
            continue
        style = styles.name(styles.paragraph_style(p))
        if style != ROLES[role].style:  # a guessed role: say so
            style = f"{style or 'no style'}, read as {role}"
        where = f"paragraph {n} ({style}) «{_snippet(text)}»"
        _check_runs(rep, p, role, where, style, styles, fonts)
        _check_paragraph(rep, p, role, where, style, styles)
        if role.startswith("heading"):
            level = heading_level(text)
            if level and f"heading{level}" != role:
                rep.add(
                    "heading-level",
                    where,
                    f"{ROLES[f'heading{level}'].style} for this number",
                    ROLES[role].style,
                )
            headings.append((where, text))
    _check_numbering(rep, headings)
    return rep.violations()
