"""Low-level WordprocessingML the python-docx API does not cover: children in schema order,
explicit fonts, bookmarks, PAGE fields and the footnotes part.

Word refuses a file whose ``w:pPr``/``w:rPr``/``w:sectPr`` children are out of the schema's
order, so every child added here goes through :func:`child`, which inserts it in place.
"""

from __future__ import annotations

import copy
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

_ORDER: dict[str, list[str]] = {
    "w:pPr": (
        "w:pStyle w:keepNext w:keepLines w:pageBreakBefore w:framePr w:widowControl w:numPr "
        "w:suppressLineNumbers w:pBdr w:shd w:tabs w:suppressAutoHyphens w:kinsoku w:wordWrap "
        "w:overflowPunct w:topLinePunct w:autoSpaceDE w:autoSpaceDN w:bidi w:adjustRightInd "
        "w:snapToGrid w:spacing w:ind w:contextualSpacing w:mirrorIndents w:suppressOverlap w:jc "
        "w:textDirection w:textAlignment w:textboxTightWrap w:outlineLvl w:divId w:cnfStyle "
        "w:rPr w:sectPr w:pPrChange"
    ).split(),
    "w:rPr": (
        "w:rStyle w:rFonts w:b w:bCs w:i w:iCs w:caps w:smallCaps w:strike w:dstrike w:outline "
        "w:shadow w:emboss w:imprint w:noProof w:snapToGrid w:vanish w:webHidden w:color "
        "w:spacing w:w w:kern w:position w:sz w:szCs w:highlight w:u w:effect w:bdr w:shd "
        "w:fitText w:vertAlign w:rtl w:cs w:em w:lang w:eastAsianLayout w:specVanish w:oMath"
    ).split(),
    "w:sectPr": (
        "w:headerReference w:footerReference w:footnotePr w:endnotePr w:type w:pgSz w:pgMar "
        "w:paperSrc w:pgBorders w:lnNumType w:pgNumType w:cols w:formProt w:vAlign w:noEndnote "
        "w:titlePg w:textDirection w:bidi w:rtlGutter w:docGrid w:printerSettings w:sectPrChange"
    ).split(),
}
_RANK = {qn(parent): {qn(t): i for i, t in enumerate(tags)} for parent, tags in _ORDER.items()}


def child(parent: Any, tag: str) -> Any:
    """``parent``'s ``tag`` child, created in schema order when missing."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    el = OxmlElement(tag)
    rank = _RANK.get(parent.tag)
    if rank is None or qn(tag) not in rank:
        parent.append(el)
        return el
    mine = rank[qn(tag)]
    for sibling in parent:
        if rank.get(sibling.tag, -1) > mine:
            sibling.addprevious(el)
            return el
    parent.append(el)
    return el


def set_attrs(el: Any, **attrs: str | int) -> Any:
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), str(value))
    return el


def set_fonts(rpr: Any, east_asia: str, latin: str) -> None:
    """Explicit font names on every script of a ``w:rPr``; theme attributes removed, since
    Word prefers a theme font over a named one."""
    fonts = child(rpr, "w:rFonts")
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    set_attrs(fonts, ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin)


def set_size(rpr: Any, pt: float) -> None:
    half_points = round(pt * 2)
    set_attrs(child(rpr, "w:sz"), val=half_points)
    set_attrs(child(rpr, "w:szCs"), val=half_points)


def add_bookmark(paragraph: Any, name: str, bookmark_id: int) -> None:
    """A bookmark spanning the paragraph's content (after its ``w:pPr``)."""
    p = paragraph._p
    start = set_attrs(OxmlElement("w:bookmarkStart"), id=bookmark_id, name=name)
    end = set_attrs(OxmlElement("w:bookmarkEnd"), id=bookmark_id)
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


def add_field(paragraph: Any, instruction: str, cached: str, rpr: Any | None = None) -> None:
    """A complex field (``w:fldChar`` begin/separate/end) with a cached result, as Word writes
    it; readers that do not update fields still show ``cached``."""

    def run(*children: Any) -> None:
        r = OxmlElement("w:r")
        if rpr is not None:
            r.append(copy.deepcopy(rpr))
        for c in children:
            r.append(c)
        paragraph._p.append(r)

    run(set_attrs(OxmlElement("w:fldChar"), fldCharType="begin"))
    instr = OxmlElement("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    run(instr)
    run(set_attrs(OxmlElement("w:fldChar"), fldCharType="separate"))
    text = OxmlElement("w:t")
    text.text = cached
    run(text)
    run(set_attrs(OxmlElement("w:fldChar"), fldCharType="end"))
