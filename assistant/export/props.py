"""Effective formatting in a .docx, as Word resolves it: direct formatting, then the character
style, then the paragraph style and its ``basedOn`` chain, then the document defaults.

The verifier reads every property through here, so a document whose styles are right but whose
text carries a wrong direct font (pasted from elsewhere) is caught, and so is one whose direct
formatting is right but whose styles are not.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn


class Styles:
    def __init__(self, root: Any) -> None:
        self.by_id: dict[str, Any] = {}
        self.default_paragraph = ""
        for style in root.findall(qn("w:style")):
            sid = style.get(qn("w:styleId")) or ""
            self.by_id[sid] = style
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in (
                "1",
                "true",
            ):
                self.default_paragraph = sid
        defaults = root.find(qn("w:docDefaults"))
        self.default_rpr = _path(defaults, "w:rPrDefault", "w:rPr")
        self.default_ppr = _path(defaults, "w:pPrDefault", "w:pPr")

    def name(self, style_id: str) -> str:
        style = self.by_id.get(style_id)
        el = style.find(qn("w:name")) if style is not None else None
        return str(el.get(qn("w:val"))) if el is not None else style_id

    def chain(self, style_id: str) -> list[Any]:
        """The style and the styles it is based on, nearest first."""
        out: list[Any] = []
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            style = self.by_id[style_id]
            out.append(style)
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else ""
        return out

    def paragraph_style(self, p: Any) -> str:
        ppr = p.find(qn("w:pPr"))
        ps = ppr.find(qn("w:pStyle")) if ppr is not None else None
        return str(ps.get(qn("w:val"))) if ps is not None else self.default_paragraph

    def ppr_chain(self, p: Any) -> list[Any]:
        chain = [p.find(qn("w:pPr"))]
        chain += [s.find(qn("w:pPr")) for s in self.chain(self.paragraph_style(p))]
        chain.append(self.default_ppr)
        return [el for el in chain if el is not None]

    def rpr_chain(self, p: Any, r: Any) -> list[Any]:
        rpr = r.find(qn("w:rPr"))
        chain = [rpr]
        rstyle = rpr.find(qn("w:rStyle")) if rpr is not None else None
        if rstyle is not None:
            chain += [s.find(qn("w:rPr")) for s in self.chain(str(rstyle.get(qn("w:val"))))]
        chain += [s.find(qn("w:rPr")) for s in self.chain(self.paragraph_style(p))]
        chain.append(self.default_rpr)
        return [el for el in chain if el is not None]


def _path(el: Any, *tags: str) -> Any:
    for tag in tags:
        if el is None:
            return None
        el = el.find(qn(tag))
    return el


def east_asian_font(chain: list[Any]) -> str:
    """The font Chinese text is set in; a theme reference reads ``theme:<name>``."""
    for rpr in chain:
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            continue
        theme = fonts.get(qn("w:eastAsiaTheme"))
        if theme:
            return f"theme:{theme}"
        name = fonts.get(qn("w:eastAsia"))
        if name:
            return str(name)
    return ""


def latin_font(chain: list[Any]) -> str:
    for rpr in chain:
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None and fonts.get(qn("w:ascii")):
            return str(fonts.get(qn("w:ascii")))
    return ""


def size_pt(chain: list[Any]) -> float:
    for rpr in chain:
        sz = rpr.find(qn("w:sz"))
        if sz is not None and sz.get(qn("w:val")):
            return int(sz.get(qn("w:val"))) / 2
    return 10.0  # the schema's default when nothing says otherwise


def char_spacing(chain: list[Any]) -> int:
    """Extra space after each character in twips (negative: condensed)."""
    for rpr in chain:
        sp = rpr.find(qn("w:spacing"))
        if sp is not None and sp.get(qn("w:val")) is not None:
            return int(sp.get(qn("w:val")))
    return 0


def attr(chain: list[Any], tag: str, name: str) -> str | None:
    """The first value of ``tag``'s attribute ``name`` along a pPr/rPr chain."""
    for el in chain:
        child = el.find(qn(tag))
        if child is not None and child.get(qn(name)) is not None:
            return str(child.get(qn(name)))
    return None


def line_spacing(chain: list[Any]) -> tuple[str, int | None]:
    """(lineRule, line in twips or 240ths) of the first level that sets the line."""
    for ppr in chain:
        sp = ppr.find(qn("w:spacing"))
        if sp is not None and sp.get(qn("w:line")) is not None:
            return str(sp.get(qn("w:lineRule")) or "auto"), int(sp.get(qn("w:line")))
    return "auto", None


def first_line(chain: list[Any]) -> tuple[str, int]:
    """The first-line indent as ("chars", hundredths) or ("twips", twips; hanging negative)."""
    for ppr in chain:
        ind = ppr.find(qn("w:ind"))
        if ind is None:
            continue
        chars = ind.get(qn("w:firstLineChars"))
        if chars is not None and int(chars) != 0:
            return "chars", int(chars)
        hanging_chars = ind.get(qn("w:hangingChars"))
        if hanging_chars is not None and int(hanging_chars) != 0:
            return "chars", -int(hanging_chars)
        if ind.get(qn("w:firstLine")) is not None:
            return "twips", int(ind.get(qn("w:firstLine")))
        if ind.get(qn("w:hanging")) is not None:
            return "twips", -int(ind.get(qn("w:hanging")))
        if chars is not None:
            return "chars", 0
    return "twips", 0


def left_indent(chain: list[Any]) -> tuple[str, int]:
    for ppr in chain:
        ind = ppr.find(qn("w:ind"))
        if ind is None:
            continue
        for key, unit in (("w:leftChars", "chars"), ("w:startChars", "chars")):
            if ind.get(qn(key)) is not None and int(ind.get(qn(key))) != 0:
                return unit, int(ind.get(qn(key)))
        for key in ("w:left", "w:start"):
            if ind.get(qn(key)) is not None:
                return "twips", int(ind.get(qn(key)))
    return "twips", 0


def alignment(chain: list[Any]) -> str:
    value = attr(chain, "w:jc", "w:val") or "left"
    return {"start": "left", "end": "right", "distribute": "both"}.get(value, value)


def run_text(r: Any) -> str:
    return "".join(t.text or "" for t in r.iter(qn("w:t")))
