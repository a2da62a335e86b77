""".docx files as WPS Office writes them, made by hand from a python-docx file.

WPS (金山 WPS 文字) saves a .docx that Word and LibreOffice open, but it writes some parts its
own way, and a reader tuned on Word's output can lose headings or refuse the file:

- ``word/document.xml`` (and styles, settings) declare WPS's own namespace
  ``xmlns:wpsCustomData="http://www.wps.cn/officeDocument/2013/wpsCustomData"`` beside Word's, and
  ``mc:Ignorable`` lists the Word 2010/2013 extensions (w14 w15 wp14);
- style ids are numbers (``w:styleId="2"`` named ``heading 1``, ``"1"`` the Normal style), so a
  paragraph says ``<w:pStyle w:val="2"/>``;
- a heading is often made by an outline level on the paragraph (大纲级别: ``<w:outlineLvl
  w:val="0"/>``) or on a custom style (公文一级标题), not by a built-in heading style;
- text is cut into many runs, with empty ``<w:t xml:space="preserve"> </w:t>`` ones between;
- ``docProps/custom.xml`` holds ``KSOProductBuildVer`` (2052-12.1.0.xxxxx), and some writers (WPS
  for the web, converters around it) leave ``word/styles.xml`` out altogether.

:func:`wps_docx` builds such a package from known text: a title, 一、/（一） headings by each of
those means, body text in split runs, and a table.
"""

from __future__ import annotations

import io
import zipfile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (
    'xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    f'xmlns:w="{W}" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word" '
    'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
    'xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" '
    'xmlns:wpi="http://schemas.microsoft.com/office/word/2010/wordprocessingInk" '
    'xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wpsCustomData="http://www.wps.cn/officeDocument/2013/wpsCustomData" '
    'mc:Ignorable="w14 w15 wp14"'
)

TITLE = "关于2024年安全生产工作情况的汇报"
HEADING_1 = "一、主要工作开展情况"  # by the numbered heading style (styleId 2)
HEADING_2 = "（一）强化隐患排查整治"  # by an outline level on the paragraph itself
HEADING_3 = "二、存在的问题和不足"  # by a custom style with an outline level (公文一级标题)
BODY = "全年共开展安全检查326次，排查整改隐患1285处，整改率达到98.6%。"
LAST = "下一步，我们将持续压实安全生产责任。"

_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {NAMESPACES}>
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="宋体"/>
<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="1"><w:name w:val="Normal"/><w:qFormat/>
<w:uiPriority w:val="0"/><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 1"/><w:basedOn w:val="1"/>
<w:next w:val="1"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr>
<w:rPr><w:b/><w:kern w:val="44"/><w:sz w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="3"><w:name w:val="heading 2"/><w:basedOn w:val="1"/>
<w:next w:val="1"/><w:qFormat/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="9"><w:name w:val="Title"/><w:basedOn w:val="1"/>
<w:next w:val="1"/><w:qFormat/><w:pPr><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr>
</w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="12"><w:name w:val="公文一级标题"/>
<w:basedOn w:val="1"/><w:qFormat/><w:pPr><w:outlineLvl w:val="0"/></w:pPr>
<w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>
<w:style w:type="character" w:default="1" w:styleId="10"><w:name w:val="Default Paragraph Font"/>
<w:semiHidden/></w:style>
<w:style w:type="table" w:default="1" w:styleId="8"><w:name w:val="Normal Table"/><w:semiHidden/>
<w:tblPr><w:tblCellMar><w:left w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
</w:styles>
"""


def _runs(text: str, size: int = 4) -> str:
    """``text`` cut into runs of ``size`` characters with empty runs between, as WPS writes
    it after edits (each run its own rPr)."""
    rpr = '<w:rPr><w:rFonts w:hint="eastAsia"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr>'
    out = []
    for i in range(0, len(text), size):
        out.append(f"<w:r>{rpr}<w:t>{text[i : i + size]}</w:t></w:r>")
        out.append(f'<w:r>{rpr}<w:t xml:space="preserve"></w:t></w:r>')
    return "".join(out)


def _p(text: str, ppr: str = "") -> str:
    return f'<w:p w14:paraId="1A2B3C4D"><w:pPr>{ppr}</w:pPr>{_runs(text)}</w:p>'


def _cell(text: str) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="4261" w:type="dxa"/></w:tcPr>{_p(text)}</w:tc>'


def _document(styled: bool) -> str:
    # Without a styles part the paragraphs still name styles (WPS writes them either way).
    table = (
        '<w:tbl><w:tblPr><w:tblStyle w:val="8"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
        '<w:tblGrid><w:gridCol w:w="4261"/><w:gridCol w:w="4261"/></w:tblGrid>'
        f"<w:tr>{_cell('指标')}{_cell('数值')}</w:tr>"
        f"<w:tr>{_cell('安全检查')}{_cell('326')}</w:tr></w:tbl>"
    )
    body = "".join(
        [
            _p(TITLE, '<w:pStyle w:val="9"/>'),
            _p(HEADING_1, '<w:pStyle w:val="2"/>'),
            _p(BODY, '<w:ind w:firstLine="640" w:firstLineChars="200"/>'),
            _p(HEADING_2, '<w:outlineLvl w:val="1"/><w:ind w:firstLine="640"/>'),
            table,
            _p(HEADING_3, '<w:pStyle w:val="12"/>'),
            _p(LAST),
            '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" '
            'w:bottom="1984" w:left="1587" w:header="851" w:footer="992" w:gutter="0"/>'
            "</w:sectPr>",
        ]
    )
    del styled  # the document part is the same; only the package differs
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:document {NAMESPACES}><w:body>{body}</w:body></w:document>"
    )


def _content_types(styled: bool) -> str:
    styles = (
        '<Override PartName="/word/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
        if styled
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        f"{styles}"
        '<Override PartName="/docProps/custom.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.custom-properties+xml"/>'
        "</Types>"
    )


_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/custom-properties" Target="docProps/custom.xml"/>'
    "</Relationships>"
)
_CUSTOM = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer">'
    "<vt:lpwstr>2052-12.1.0.16729</vt:lpwstr></property></Properties>"
)


def _document_rels(styled: bool) -> str:
    styles = (
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/>'
        if styled
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{styles}</Relationships>"
    )


def wps_docx(*, styles: bool = True) -> bytes:
    """A .docx as WPS writes one (see the module's docstring); ``styles=False`` leaves
    ``word/styles.xml`` out (its relationship and content type too)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _content_types(styles))
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("docProps/custom.xml", _CUSTOM)
        zf.writestr("word/_rels/document.xml.rels", _document_rels(styles))
        zf.writestr("word/document.xml", _document(styles))
        if styles:
            zf.writestr("word/styles.xml", _STYLES)
    return out.getvalue()
