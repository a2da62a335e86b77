"""Page-level checks of the verifier: page size, margins, the grid, and the page-number footers.

Each check yields ``(rule, where, expected, found)``; :mod:`assistant.export.verify` turns them
into violations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from docx.oxml.ns import qn

from assistant.export import props
from assistant.export.footer import DASH
from assistant.export.layout import (
    CHARS_PER_LINE,
    LINES_PER_PAGE,
    MARGINS,
    MM,
    PAGE_HEIGHT,
    PAGE_NUMBER_PT,
    PAGE_WIDTH,
    TOLERANCE,
    chars_per_line,
    grid_pitch,
)
from assistant.export.styles import ROLES, same_font

Finding = tuple[str, str, str, str]
_FIELD = re.compile(r"\bPAGE\b")


def _twips(length: Any) -> int:
    return int(length.twips) if length is not None else 0


def _body_chain(styles: props.Styles) -> list[Any]:
    body = next((sid for sid in styles.by_id if styles.name(sid) == ROLES["body"].style), "")
    chain = [s.find(qn("w:rPr")) for s in styles.chain(body or styles.default_paragraph)]
    chain.append(styles.default_rpr)
    return [el for el in chain if el is not None]


def _grid(section: Any, styles: props.Styles, where: str) -> Iterator[Finding]:
    """22 lines a page and room for 28 characters a line: by a character grid's pitch, or,
    with a line grid, by the body text's size and character spacing."""
    grid = section._sectPr.find(qn("w:docGrid"))
    kind = grid.get(qn("w:type")) if grid is not None else None
    pitch = int(grid.get(qn("w:linePitch")) or 0) if grid is not None else 0
    height = _twips(section.page_height) - _twips(section.top_margin)
    height -= _twips(section.bottom_margin)
    width = _twips(section.page_width) - _twips(section.left_margin)
    width -= _twips(section.right_margin)
    lines = height // pitch if pitch > 0 else 0
    if kind not in ("lines", "linesAndChars", "snapToChars") or lines != LINES_PER_PAGE:
        found = f"type {kind or '(none)'}, {lines} lines"
        yield "doc-grid", where, f"a line grid of {LINES_PER_PAGE} lines a page", found
        return
    if kind == "lines":
        body = _body_chain(styles)
        char_pitch = props.size_pt(body) * 20 + props.char_spacing(body)
    else:
        defaults = [styles.default_rpr] if styles.default_rpr is not None else []
        char_pitch = grid_pitch(props.size_pt(defaults), int(grid.get(qn("w:charSpace")) or 0))
    chars = chars_per_line(width, char_pitch)
    if chars != CHARS_PER_LINE:
        yield "doc-grid", where, f"{CHARS_PER_LINE} characters a line", f"{chars} characters a line"


def check_page(doc: Any, styles: props.Styles) -> Iterator[Finding]:
    for n, section in enumerate(doc.sections, 1):
        where = f"section {n}"
        w, h = _twips(section.page_width), _twips(section.page_height)
        if abs(w - PAGE_WIDTH) > TOLERANCE or abs(h - PAGE_HEIGHT) > TOLERANCE:
            found = f"{w / MM:.1f} × {h / MM:.1f} mm"
            yield "page-size", where, "A4 portrait, 210 × 297 mm", found
        for side, want in MARGINS.items():
            got = _twips(getattr(section, f"{side}_margin"))
            if abs(got - want) > TOLERANCE:
                yield "margin", f"{where} {side}", f"{want / MM:.0f} mm", f"{got / MM:.1f} mm"
        yield from _grid(section, styles, where)


def _has_page_field(p: Any) -> bool:
    instr = (t.text or "" for t in p.iter(qn("w:instrText")))
    simple = (f.get(qn("w:instr")) or "" for f in p.iter(qn("w:fldSimple")))
    return any(_FIELD.search(text) for text in (*instr, *simple))


def _text(el: Any) -> str:
    return "".join(t.text or "" for t in el.iter(qn("w:t"))).strip()


def _footer(
    paragraph: Any, styles: props.Styles, label: str, side: str, font: str
) -> Iterator[Finding]:
    text = _text(paragraph)
    if not re.fullmatch(rf"{DASH}\s*\S+\s*{DASH}", text):
        yield "page-number", label, f"“{DASH} 1 {DASH}”", text
    align = props.alignment(styles.ppr_chain(paragraph))
    if align != side:
        yield "page-number-position", label, side, align
    for r in paragraph.iter(qn("w:r")):
        if not props.run_text(r).strip():
            continue
        chain = styles.rpr_chain(paragraph, r)
        size = props.size_pt(chain)
        # The digits are what shows: their (ascii) font must be 宋体, and so must the dashes.
        fonts = {props.latin_font(chain), props.east_asian_font(chain)}
        if size != PAGE_NUMBER_PT or not all(same_font(font, f) for f in fonts):
            found = f"{size:g} pt {'/'.join(sorted(f or '(none)' for f in fonts))}"
            yield "page-number-font", label, f"4号 ({PAGE_NUMBER_PT} pt) {font}", found
            return


def check_footers(doc: Any, styles: props.Styles, font: str) -> Iterator[Finding]:
    """Distinct odd and even footers, each with a PAGE field in ``font`` (宋体 by default)."""
    setting = doc.settings.element.find(qn("w:evenAndOddHeaders"))
    if setting is None or setting.get(qn("w:val")) in ("0", "false"):
        expected = "w:evenAndOddHeaders (distinct odd and even footers)"
        yield "even-odd-footers", "settings.xml", expected, "absent"
    sect_pr = doc.sections[0]._sectPr
    refs = {
        r.get(qn("w:type")): r.get(qn("r:id")) for r in sect_pr.findall(qn("w:footerReference"))
    }
    wanted = f"a PAGE field, “{DASH} 1 {DASH}”"
    for kind, label, side in (
        ("default", "odd-page footer", "right"),
        ("even", "even-page footer", "left"),
    ):
        rid = refs.get(kind)
        if rid is None or rid not in doc.part.related_parts:
            yield "page-number", label, wanted, "no footer"
            continue
        footer = doc.part.related_parts[rid].element
        paragraph = next((p for p in footer.iter(qn("w:p")) if _has_page_field(p)), None)
        if paragraph is None:
            yield "page-number", label, wanted, _text(footer)[:20] or "(empty)"
            continue
        yield from _footer(paragraph, styles, label, side, font)
