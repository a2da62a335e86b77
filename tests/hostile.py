"""Hostile Office files, generated at any size: the upload bounds are tested and measured on them.

Written straight as zip parts (not through python-docx or openpyxl), streamed into the archive
so that a 186 MB document.xml never sits in memory whole. The text varies from paragraph to
paragraph, so the packages compress about as well as real ones (ratio well under the zip-bomb
guard's 100:1): what is refused is their size, not their compressibility.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.styles+xml"/>'
    "</Types>"
)
_DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>'
)
_CJK = "一二三四五六七八九十百千万亿年月日县乡镇村党委政府工作会议学习调研整改落实推进完成情况"


def _styles(n: int) -> str:
    styles = "".join(
        f'<w:style w:type="paragraph" w:styleId="s{i}"><w:name w:val="正文样式{i}"/></w:style>'
        for i in range(n)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{_W}">'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
        f'<w:name w:val="Normal"/></w:style>{styles}</w:styles>'
    )


def _paragraphs(count: int, styles: int) -> Iterator[str]:
    for i in range(count):
        # A counter and a few characters picked by it: each paragraph differs, as in real text.
        words = "".join(_CJK[(i * k) % len(_CJK)] for k in (3, 7, 11, 13, 17))
        style = f'<w:pPr><w:pStyle w:val="s{i % styles}"/></w:pPr>' if styles else ""
        yield f"<w:p>{style}<w:r><w:t>第{i}项{words}工作已按计划推进。</w:t></w:r></w:p>"


def docx_of_paragraphs(count: int, *, styles: int = 40) -> bytes:
    """A .docx of ``count`` short paragraphs, each naming one of ``styles`` paragraph styles."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _DOCX_TYPES)
        zf.writestr("_rels/.rels", _DOCX_RELS)
        zf.writestr("word/_rels/document.xml.rels", _DOC_RELS)
        zf.writestr("word/styles.xml", _styles(styles))
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(
                f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>'.encode()
            )
            batch: list[str] = []
            for p in _paragraphs(count, styles):
                batch.append(p)
                if len(batch) >= 5000:
                    fh.write("".join(batch).encode())
                    batch = []
            fh.write(("".join(batch) + "</w:body></w:document>").encode())
    return out.getvalue()


def docx_of_xml_size(megabytes: float) -> bytes:
    """A .docx whose word/document.xml is about ``megabytes`` MB of paragraphs."""
    per_paragraph = len(next(_paragraphs(1, 40)).encode()) + 6
    return docx_of_paragraphs(int(megabytes * 1024 * 1024 / per_paragraph))


def xlsx_of_shared_strings(count: int) -> bytes:
    """An .xlsx whose sharedStrings.xml holds ``count`` distinct strings (one sheet uses a few)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>",
        )
        zf.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        zf.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_S}" xmlns:r="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
        zf.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_S}"><sheetData>'
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
            "</sheetData></worksheet>",
        )
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(
                f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_S}" count="{count}" '
                f'uniqueCount="{count}">'.encode()
            )
            for start in range(0, count, 5000):
                fh.write(
                    "".join(
                        f"<si><t>指标{i}</t></si>" for i in range(start, min(count, start + 5000))
                    ).encode()
                )
            fh.write(b"</sst>")
    return out.getvalue()
