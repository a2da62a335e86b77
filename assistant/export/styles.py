"""Fonts and the named paragraph styles of an export, one per paragraph role.

The style names (``GW Title`` … ``GW Attachment``) are a contract: the verifier checks each role
by them and the Word round trip finds titles, headings and body text by them. Fonts are set as
explicit names on every script (``w:eastAsia`` for Chinese, ``w:ascii``/``w:hAnsi`` for Latin and
digits) with no theme references, because a theme font overrides an explicit one in Word.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from assistant.export.layout import (
    BODY_PT,
    CONDENSE,
    INDENT_CHARS,
    INDENT_TWIPS,
    LINE_PITCH,
    PAGE_NUMBER_PT,
    TITLE_PT,
)
from assistant.export.ooxml import child, set_attrs, set_fonts, set_size


@dataclass(frozen=True)
class FontNames:
    """Font names by use. Defaults are the standard's; offices without the GB2312 fonts often
    use 仿宋/楷体 instead, which the verifier accepts as the same family."""

    title: str = "方正小标宋简体"
    body: str = "仿宋_GB2312"
    heading1: str = "黑体"
    heading2: str = "楷体_GB2312"
    heading3: str = "仿宋_GB2312"
    heading4: str = "仿宋_GB2312"
    page_number: str = "宋体"
    latin: str = "Times New Roman"

    @classmethod
    def from_settings(cls, settings: Any) -> FontNames:
        """Names from ``export_font_<field>`` settings where the settings class has them."""
        default = cls()
        values = {
            name: str(getattr(settings, f"export_font_{name}", None) or getattr(default, name))
            for name in cls.__dataclass_fields__
        }
        return cls(**values)


Align = Literal["center", "both", "left", "right"]


@dataclass(frozen=True)
class Role:
    style: str
    font: str  # a FontNames field
    pt: int
    align: Align
    indent: bool  # first-line indent of two characters
    bold: bool = False


ROLES: dict[str, Role] = {
    "title": Role("GW Title", "title", TITLE_PT, "center", False),
    "recipient": Role("GW Recipient", "body", BODY_PT, "both", False),
    "heading1": Role("GW Heading 1", "heading1", BODY_PT, "both", True),
    "heading2": Role("GW Heading 2", "heading2", BODY_PT, "both", True),
    "heading3": Role("GW Heading 3", "heading3", BODY_PT, "both", True),
    "heading4": Role("GW Heading 4", "heading4", BODY_PT, "both", True),
    "body": Role("GW Body", "body", BODY_PT, "both", True),
    "attachment": Role("GW Attachment", "body", BODY_PT, "both", True),
    "signature": Role("GW Signature", "body", BODY_PT, "right", False),
    "date": Role("GW Date", "body", BODY_PT, "right", False),
    # 讨论稿 at the top right, in 3号黑体 like the standard's 密级 and 紧急程度 marks.
    "mark": Role("GW Mark", "heading1", BODY_PT, "right", False),
    "footnote": Role("GW Footnote Text", "body", PAGE_NUMBER_PT, "both", False),
}
STYLE_ROLES = {r.style: name for name, r in ROLES.items()}
FOOTNOTE_REF_STYLE = "GW Footnote Reference"
# Names offices use for the same typeface; the verifier takes any of a family for the other.
_FAMILIES = (
    {
        "仿宋_GB2312",
        "仿宋",
        "FangSong",
        "FangSong_GB2312",
        "仿宋_GBK",
        "方正仿宋_GBK",
        "方正仿宋简体",
    },
    {"黑体", "SimHei", "方正黑体_GBK", "方正黑体简体"},
    {"楷体_GB2312", "楷体", "KaiTi", "KaiTi_GB2312", "楷体_GBK", "方正楷体_GBK", "方正楷体简体"},
    {"方正小标宋简体", "方正小标宋_GBK", "方正小标宋体", "小标宋", "FZXiaoBiaoSong-B05S"},
    {"宋体", "SimSun", "NSimSun", "新宋体"},
)


def same_font(expected: str, found: str) -> bool:
    return found == expected or any(expected in f and found in f for f in _FAMILIES)


def font_of(fonts: FontNames, role: str) -> str:
    name: str = getattr(fonts, ROLES[role].font)
    return name


def _defaults(doc: DocumentObject, fonts: FontNames) -> None:
    """Document defaults in the body font, so unstyled text (and Word's grid, which counts
    characters in the default size) follows the standard too."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = child(child(defaults, "w:rPrDefault"), "w:rPr")
    set_fonts(rpr, fonts.body, fonts.latin)
    set_size(rpr, BODY_PT)
    set_attrs(child(rpr, "w:lang"), eastAsia="zh-CN")
    ppr = child(child(defaults, "w:pPrDefault"), "w:pPr")
    set_attrs(child(ppr, "w:spacing"), after=0, line=LINE_PITCH, lineRule="exact")
    normal = doc.styles["Normal"].element.get_or_add_rPr()
    set_fonts(normal, fonts.body, fonts.latin)
    set_size(normal, BODY_PT)


def _paragraph_style(doc: DocumentObject, role: Role, fonts: FontNames) -> None:
    style = doc.styles.add_style(role.style, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    ppr = style.element.get_or_add_pPr()
    if role.style.startswith("GW Heading"):
        child(ppr, "w:keepNext")  # a heading stays with the text it introduces
        set_attrs(child(ppr, "w:outlineLvl"), val=int(role.style[-1]) - 1)
    set_attrs(child(ppr, "w:snapToGrid"), val=1)
    if role is ROLES["footnote"]:
        set_attrs(child(ppr, "w:spacing"), before=0, after=0, line=240, lineRule="auto")
    else:
        # 主送机关 stands one blank line under the title (GB/T 9704 §7.3.3).
        after = LINE_PITCH if role is ROLES["title"] else 0
        set_attrs(child(ppr, "w:spacing"), before=0, after=after, line=LINE_PITCH, lineRule="exact")
    chars, twips = (INDENT_CHARS, INDENT_TWIPS) if role.indent else (0, 0)
    set_attrs(child(ppr, "w:ind"), firstLineChars=chars, firstLine=twips)
    set_attrs(child(ppr, "w:jc"), val=role.align)
    rpr = style.element.get_or_add_rPr()
    set_fonts(rpr, getattr(fonts, role.font), fonts.latin)
    if role.bold:
        child(rpr, "w:b")
    if role.pt == BODY_PT:
        set_attrs(child(rpr, "w:spacing"), val=CONDENSE)  # 28 characters a line (``layout``)
    set_size(rpr, role.pt)


def install_styles(doc: DocumentObject, fonts: FontNames) -> None:
    _defaults(doc, fonts)
    for role in ROLES.values():
        _paragraph_style(doc, role, fonts)
    ref = doc.styles.add_style(FOOTNOTE_REF_STYLE, WD_STYLE_TYPE.CHARACTER)
    set_attrs(child(ref.element.get_or_add_rPr(), "w:vertAlign"), val="superscript")
