"""The OFD reader on packages we generate: reading order, paragraphs, title, 发文字号, bad input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from assistant.domain import BlockKind, Document
from assistant.ingest.errors import IngestError
from assistant.ingest.limits import MB, OverLimit, ParseLimits, TooMuchText
from assistant.ingest.loaders import load_bytes, load_file
from assistant.uploads.sniff import sniff
from tests.ofd_files import make_ofd

TITLE = "青川县人民政府办公室关于2024年数字乡村建设工作情况的报告"
PARAS = [
    "一、总体情况",
    "今年以来，我县深入推进数字乡村建设，全年建成5G基站326个，行政村光纤通达率100%，"
    "农村电商交易额达到12.6亿元，同比增长18.5%，数字化治理覆盖全部乡镇。",
    "二、主要做法",
    "（一）强化组织领导。成立县数字乡村建设领导小组，召开专题会议8次，研究解决问题23个。",
    "（二）完善基础设施。" + "持续推进网络提速降费，" * 12 + "群众获得感明显增强。",
]


def _doc(data: bytes, name: str = "报告.ofd", limits: ParseLimits | None = None) -> Document:
    return load_bytes(data, path=Path(name), limits=limits or ParseLimits())


def test_text_in_reading_order_rejoined_into_paragraphs() -> None:
    doc = _doc(make_ofd(PARAS, title=TITLE))
    assert doc.meta.title == TITLE  # set over two centred lines, joined into one
    assert [b.text for b in doc.blocks] == PARAS
    assert doc.meta.genre == "报告" and doc.meta.year == 2024


def test_paragraphs_continue_across_pages() -> None:
    long = "各乡镇要把数字乡村建设摆上重要议事日程，" * 40
    doc = _doc(make_ofd(["开头。", long, "结尾。"], title="关于推进工作的通知"))
    assert [b.text for b in doc.blocks] == ["开头。", long, "结尾。"]


def test_rows_of_cells_are_a_table_with_its_header() -> None:
    table = [
        ["指标", "2023年", "2024年"],
        ["5G基站（个）", "210", "326"],
        ["电商交易额", "10.6亿元", "12.6亿元"],
    ]
    doc = _doc(make_ofd(PARAS[:2], title=TITLE, tables={1: table}))
    assert [(b.kind, b.text, b.context) for b in doc.blocks[2:]] == [
        (BlockKind.TABLE_ROW, "指标：5G基站（个）；2023年：210；2024年：326", "表1"),
        (BlockKind.TABLE_ROW, "指标：电商交易额；2023年：10.6亿元；2024年：12.6亿元", "表1"),
    ]
    assert [b.text for b in doc.blocks[:2]] == PARAS[:2]


def test_the_doc_number_under_a_letterhead_is_found() -> None:
    data = make_ofd(
        PARAS[:2], letterhead="青川县人民政府文件", doc_no="青府发〔2024〕12号", title=TITLE
    )
    doc = _doc(data)
    assert doc.meta.doc_no == "青府发〔2024〕12号"
    assert doc.meta.title == TITLE
    assert doc.meta.issuer == "青川县人民政府办公室"


def test_the_docinfo_title_is_used_when_the_producer_set_one() -> None:
    doc = _doc(make_ofd(PARAS[1:2], info_title="数字乡村建设情况"))
    assert doc.meta.title == "数字乡村建设情况"


def test_an_ofd_is_sniffed_by_its_content_whatever_its_name(tmp_path: Path) -> None:
    data = make_ofd(PARAS, title=TITLE)
    assert sniff(data, "报告.ofd") == "ofd"
    assert sniff(data, "报告.docx") == "ofd"  # renamed: still read as what it is
    f = tmp_path / "报告.ofd"
    f.write_bytes(data)
    assert load_file(f, max_bytes=MB).blocks[0].text == "一、总体情况"


def _package(parts: dict[str, bytes | str], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as zf:
        for name, content in parts.items():
            zf.writestr(name, content)
    return out.getvalue()


def _parts(data: bytes) -> dict[str, bytes | str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"PK\x03\x04 not a zip at all", "corrupt .ofd (not a valid zip package)"),
        (_package({"readme.txt": "hello"}), "not an OFD file (no OFD.xml"),
        (_package({"OFD.xml": "<ofd:OFD"}), "corrupt .ofd (part OFD.xml"),
        (_package({"OFD.xml": "<OFD><DocBody/></OFD>"}), "names no DocRoot"),
        (
            _package(
                {
                    "OFD.xml": "<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot>"
                    "<Encryptions>Encryptions.xml</Encryptions></DocBody></OFD>",
                    "Encryptions.xml": "<Encryptions/>",
                    "Doc_0/Document.xml": "\x8f\x02 ciphertext",
                }
            ),
            ".ofd 文件设有打开密码（已加密），读不出其中的文字。请用 WPS 等办公软件输入密码",
        ),
        (
            _package(
                {"OFD.xml": "<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>"}
            ),
            "part Doc_0/Document.xml is missing",
        ),
    ],
)
def test_corrupt_packages_give_one_clear_line(data: bytes, reason: str) -> None:
    with pytest.raises(IngestError) as info:
        _doc(data, "坏.ofd")
    assert str(info.value).startswith("坏.ofd: ") and reason in str(info.value)


def test_an_entity_declaration_is_refused_unexpanded() -> None:
    parts = _parts(make_ofd(PARAS, title=TITLE))
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    page = "Doc_0/Pages/Page_0/Content.xml"
    parts[page] = laughs + str(parts[page], "utf-8").split("?>", 1)[1]
    with pytest.raises(IngestError, match="declares a DTD; refused"):
        _doc(_package(parts))


def test_a_zip_bomb_part_is_refused_before_it_is_parsed() -> None:
    parts = _parts(make_ofd(PARAS, title=TITLE))
    parts["Doc_0/Res/image1.bin"] = b"\0" * (60 * MB)
    with pytest.raises(IngestError, match=r"zip bomb|over the limit"):
        _doc(_package(parts))


def test_an_oversized_page_is_refused_naming_the_limit() -> None:
    parts = _parts(make_ofd(PARAS, title=TITLE))
    page = "Doc_0/Pages/Page_0/Content.xml"
    parts[page] = bytes(parts[page]) + b"<!-- " + bytes(range(32, 127)) * 40_000 + b" -->"
    limits = ParseLimits(max_part_bytes=2 * MB, max_ratio=10**6)
    with pytest.raises(OverLimit, match="over the limit of 2 MB per part"):
        _doc(_package(parts), limits=limits)


def test_text_over_the_limit_stops_the_read() -> None:
    with pytest.raises(TooMuchText):
        _doc(make_ofd(PARAS * 20, title=TITLE), limits=ParseLimits(max_chars=1000))
