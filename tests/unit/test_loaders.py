"""Each loader on a real file built here (python-docx, openpyxl, reportlab), and bad input."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pytest

from assistant.domain import BlockKind
from assistant.ingest.errors import EncryptedFile, IngestError
from assistant.ingest.loaders import load_file
from tests.conftest import write

MB = 1024 * 1024


def make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_heading("中共青川县委关于2024年主题教育工作情况的汇报", level=0)
    d.add_heading("一、提高政治站位", level=1)
    p = d.add_paragraph()
    p.add_run("第一时间学习贯彻。").bold = True
    p.add_run("县委召开常委会议12次。")
    table = d.add_table(rows=3, cols=3)
    for i, h in enumerate(["单位", "指标", "数值"]):
        table.cell(0, i).text = h
    table.cell(1, 0).merge(table.cell(2, 0)).text = "县委办"  # vertical merge
    table.cell(1, 1).text = "学习次数"
    table.cell(1, 2).text = "12"
    table.cell(2, 1).merge(table.cell(2, 2)).text = "全部完成"  # horizontal merge
    d.add_paragraph("汇报完毕，谢谢。")
    d.save(str(path))
    return path


def test_docx_paragraphs_headings_bold_leads_and_merged_table_cells(tmp_path: Path) -> None:
    document = load_file(make_docx(tmp_path / "r.docx"), max_bytes=MB)
    assert document.meta.title == "中共青川县委关于2024年主题教育工作情况的汇报"
    kinds = [(b.kind, b.text) for b in document.blocks]
    assert (BlockKind.HEADING, "一、提高政治站位") in kinds
    lead = [b for b in document.blocks if b.lead]
    assert lead and lead[0].lead == "第一时间学习贯彻。"
    rows = [b.text for b in document.blocks if b.kind is BlockKind.TABLE_ROW]
    assert rows[0] == "单位：县委办；指标：学习次数；数值：12"
    # the vertically merged 县委办 and the horizontally merged 全部完成 are expanded
    assert rows[1] == "单位：县委办；指标：全部完成；数值：全部完成"
    assert document.blocks[-1].text == "汇报完毕，谢谢。"


def test_xlsx_sheets_with_header_and_merged_cells(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "学习情况"
    ws.append(["单位", "季度", "次数"])
    ws.append(["县委", "一季度", 4])
    ws.append([None, "二季度", 5.0])
    ws.merge_cells("A2:A3")
    kv = wb.create_sheet("基本情况")
    kv.append(["参学党员", 3560])
    kv.append(["常委会议", 12])
    titled = wb.create_sheet("指标")
    titled.append(["2024年主要指标完成情况表", None, None])
    titled.merge_cells("A1:C1")
    titled.append(["指标", "2024年完成值", "会议时间"])
    titled.append(["增长率", 0.065, datetime.time(8, 30)])
    titled["B3"].number_format = "0.0%"
    two = wb.create_sheet("两列")
    two.append(["指标", "2024年完成值"])
    two.append(["地区生产总值", "18.7亿元"])
    wb.save(tmp_path / "s.xlsx")
    document = load_file(tmp_path / "s.xlsx", max_bytes=MB)
    rows = [(b.context, b.text) for b in document.blocks]
    assert ("学习情况", "单位：县委；季度：二季度；次数：5") in rows
    assert ("基本情况", "参学党员：3560") in rows
    assert (
        "指标 > 2024年主要指标完成情况表",
        "指标：增长率；2024年完成值：6.5%；会议时间：08:30",
    ) in rows
    assert ("两列", "指标：地区生产总值；2024年完成值：18.7亿元") in rows


def test_csv_in_gbk(tmp_path: Path) -> None:
    f = write(tmp_path / "数据.csv", "指标,数值,单位\n常委会议,12,次\n参学党员,3560,名\n", "gbk")
    document = load_file(f, max_bytes=MB)
    assert [b.text for b in document.blocks] == [
        "指标：常委会议；数值：12；单位：次",
        "指标：参学党员；数值：3560；单位：名",
    ]


def _pdf(path: Path, lines: list[str], encrypt: str | None = None) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), encrypt=encrypt)
    c.setFont("STSong-Light", 11)
    y = 780
    for line in lines:
        c.drawString(60, y, line)
        y -= 18
    c.save()
    return path


def test_pdf_text_layer_with_wrapped_lines_rejoined(tmp_path: Path) -> None:
    lines = [
        "青川县数字乡村建设实施方案",
        "一、工作目标",
        "到2027年，全县行政村5G网络覆盖率达到100%，农产品网络零售额年均",
        "增长15%以上，建成县级数字乡村服务中心1个，培育电商示范村20个，",
        "带动农户增收。",
        "— 1 —",
    ]
    document = load_file(_pdf(tmp_path / "p.pdf", lines), max_bytes=MB)
    assert document.meta.title == "青川县数字乡村建设实施方案"
    texts = [b.text for b in document.blocks]
    assert texts[0] == "一、工作目标"
    assert texts[1].startswith("到2027年") and "年均增长15%以上" in texts[1]
    assert not any("1 —" in t for t in texts)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n ", "empty file"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "not a .doc file (no OLE compound file header"),
        ("old.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "corrupt .wps file"),
        ("old.pages", b"whatever", "unsupported file type '.pages'"),
        ("bad.docx", b"PK\x03\x04 not really a zip", "corrupt .docx"),
        ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "encrypted or legacy"),
        ("bad.pdf", b"%PDF-1.4 garbage", "corrupt PDF"),
        ("notpdf.pdf", b"hello", "not a PDF"),
        ("bin.txt", b"\x00\x01\x02" * 50, "binary content"),
    ],
)
def test_bad_files_give_one_clear_line(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(IngestError) as info:
        load_file(f, max_bytes=MB)
    message = str(info.value)
    assert message.startswith(str(f)) and reason in message
    assert "\n" not in message


def test_encrypted_pdf(tmp_path: Path) -> None:
    f = _pdf(tmp_path / "secret.pdf", ["机密文件内容"], encrypt="s3cret")
    with pytest.raises(EncryptedFile, match=r"PDF 文件设有打开密码（已加密），读不出其中的文字"):
        load_file(f, max_bytes=MB)


def test_oversize_file(tmp_path: Path) -> None:
    f = write(tmp_path / "big.txt", "大" * 400_000)
    with pytest.raises(IngestError, match=r"over the 1 MB limit"):
        load_file(f, max_bytes=MB)


def test_zip_bomb_docx_is_refused(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"0" * (50 * MB))
    f = tmp_path / "bomb.docx"
    f.write_bytes(buf.getvalue())
    with pytest.raises(IngestError, match="zip bomb"):
        load_file(f, max_bytes=MB)


def test_markdown_headings_and_front_matter(tmp_path: Path) -> None:
    f = write(
        tmp_path / "a.md",
        '---\ntitle: "某某方案"\ngenre: "实施方案"\nyear: 2025\n---\n'
        "# 总体要求\n\n**主要目标。**到2027年建成示范村20个。\n",
    )
    document = load_file(f, max_bytes=MB)
    assert document.meta.genre == "实施方案" and document.meta.year == 2025
    assert document.blocks[0].kind is BlockKind.HEADING
    assert document.blocks[1].lead == "主要目标。" and "**" not in document.blocks[1].text
