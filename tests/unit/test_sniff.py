"""The upload content sniffer: types by their bytes, never by their names; and safe file names."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from assistant.ingest.names import safe_filename
from assistant.uploads.errors import Unsupported
from assistant.uploads.sniff import looks_like_table, sniff

WORD_TYPES = (
    '<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
EXCEL_TYPES = (
    '<?xml version="1.0"?><Types><Override PartName="/xl/workbook.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)


def package(entries: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in entries.items():
            zf.writestr(name, body)
    return buf.getvalue()


def real_docx() -> bytes:
    import docx

    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("正文")
    d.save(buf)
    return buf.getvalue()


def real_xlsx() -> bytes:
    import openpyxl

    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(["指标", "数值"])
    wb.save(buf)
    return buf.getvalue()


def test_office_files_by_their_parts_not_their_names() -> None:
    assert sniff(real_docx(), "whatever.xlsx") == "docx"
    assert sniff(real_xlsx(), "report.docx") == "xlsx"
    assert sniff(real_docx(), None) == "docx"
    assert sniff(package({"[Content_Types].xml": WORD_TYPES, "word/document.xml": "x"})) == "docx"
    assert sniff(package({"[Content_Types].xml": EXCEL_TYPES, "xl/workbook.xml": "x"})) == "xlsx"


def test_other_zip_packages_are_refused() -> None:
    with pytest.raises(Unsupported, match="no Word"):
        sniff(package({"a.txt": "hello"}), "a.docx")
    pptx = package({"[Content_Types].xml": "presentationml.presentation.main+xml", "ppt/x": "1"})
    assert sniff(pptx, "slides.docx") == "pptx"  # read as what it is
    pptm = package({"[Content_Types].xml": "presentationml.slideshow.macroEnabled.main+xml"})
    with pytest.raises(Unsupported, match="macros"):
        sniff(pptm, "m.pptx")
    docm = package(
        {"[Content_Types].xml": "application/vnd.ms-word.document.macroEnabled.main+xml"}
    )
    with pytest.raises(Unsupported, match="macros"):
        sniff(docm, "m.docx")


def test_a_damaged_zip_is_the_declared_office_type_else_refused() -> None:
    broken = real_docx()[:200]
    assert sniff(broken, "minutes.docx") == "docx"  # its loader says what is wrong (422)
    with pytest.raises(Unsupported, match="damaged zip"):
        sniff(broken, "minutes.zip")


def test_a_bomb_entry_is_never_inflated_while_sniffing() -> None:
    bomb = package({"[Content_Types].xml": b"\0" * 50_000_000, "word/document.xml": "x"})
    assert len(bomb) < 200_000
    assert sniff(bomb, "a.docx") == "docx"  # by its entry names; check_package refuses it later


def test_pdf_by_header() -> None:
    assert sniff(b"%PDF-1.7\n...", "scan.txt") == "pdf"


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"PE\x00\x00",
            "Windows executable",
        ),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "ELF executable"),
        (b"GIF89a" + os.urandom(200), "GIF image"),
        (b"\x1f\x8b\x08\x00" + os.urandom(200), "gzip archive"),
        (os.urandom(4096), "binary content"),
    ],
)
def test_binaries_are_refused_whatever_their_name(data: bytes, label: str) -> None:
    for name in ("report.txt", "data.csv", "notes.md", "x.docx", None):
        with pytest.raises(Unsupported, match=label):
            sniff(data, name)


@pytest.mark.parametrize(
    ("data", "declared", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "scan.png", "png"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "scan.txt", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "photo.jpeg", "jpeg"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "photo.docx", "jpg"),
        (b"II*\x00\x08\x00\x00\x00", "scan.tiff", "tiff"),
        (b"MM\x00*\x00\x00\x00\x08", None, "tif"),
    ],
)
def test_scans_and_photos_are_images_to_read_by_ocr(
    data: bytes, declared: str | None, kind: str
) -> None:
    assert sniff(data + os.urandom(100), declared) == kind


def test_binary_without_nul_bytes_is_still_refused() -> None:
    noise = bytes(b for b in os.urandom(8192) if b)  # no NUL, so only the decoding judges it
    with pytest.raises(Unsupported, match="binary"):
        sniff(noise, "a.txt")


def test_damaged_compound_files_and_rtf_are_refused_with_advice() -> None:
    # A damaged compound file is its declared legacy type (its loader says what is wrong) …
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "old.doc") == "doc"
    # … and refused under any other name.
    with pytest.raises(Unsupported, match="damaged Office compound file"):
        sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "old.bin")
    with pytest.raises(Unsupported, match="RTF"):
        sniff(b"{\\rtf1\\ansi hello}", "a.txt")


def test_text_kinds_follow_the_declared_extension() -> None:
    text = "一、总体情况\n今年以来，我们开展了学习。\n".encode()
    assert sniff(text, "a.txt") == "txt"
    assert sniff(text, "a.md") == "md"
    assert sniff(text, "A.MARKDOWN") == "md"
    assert sniff(text, "a.csv") == "csv"
    assert sniff("指标,数值\n参学党员,3560\n".encode("gbk"), "统计.csv") == "csv"


def test_text_under_another_name_is_text_or_a_table_by_content() -> None:
    assert sniff("一、总体情况\n今年以来，我们开展了学习。\n".encode(), "a.exe") == "txt"
    assert sniff("指标,数值\n参学党员,3560\n常委会议,12\n".encode(), "a.docx") == "csv"
    assert sniff("指标\t数值\n参学党员\t3560\n".encode("gbk"), None) == "csv"
    assert sniff("\ufeffplain utf-8 with BOM".encode(), "x") == "txt"
    assert sniff("UTF-16 文本".encode("utf-16"), "x.txt") == "txt"
    assert sniff("PK赛结果通报：第一名".encode(), "x.txt") == "txt"  # PK but no zip header


def test_table_heuristic() -> None:
    assert looks_like_table("a,b\n1,2\n3,4")
    assert looks_like_table("项目，数量\n学习，8\n调研，12")
    assert not looks_like_table("only one line, with a comma")
    assert not looks_like_table(
        "今年以来，我们开展了学习，成效明显。\n下一步，我们将继续努力，做好工作。"
    )
    assert not looks_like_table("a,b\nc\nd\ne\nf")


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("../../etc/passwd", "txt", "passwd"),
        ("..\\..\\Windows\\evil.docx", "docx", "evil.docx"),
        ("/abs/path/报告.docx", "docx", "报告.docx"),
        ("..", "txt", "upload.txt"),
        ("", "pdf", "upload.pdf"),
        (None, "csv", "upload.csv"),
        (".hidden.md", "md", "hidden.md"),
        ("a\x00b\r\n.txt", "txt", "ab.txt"),
        ("data#1.xlsx", "xlsx", "data_1.xlsx"),
        ("name. . ", "txt", "name"),
    ],
)
def test_safe_filename(raw: str | None, kind: str, expected: str) -> None:
    assert safe_filename(raw, kind) == expected


def test_long_names_keep_their_extension() -> None:
    name = safe_filename("长" * 400 + ".xlsx", "xlsx")
    assert len(name) == 150 and name.endswith("长.xlsx")
