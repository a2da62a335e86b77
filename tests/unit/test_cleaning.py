import pytest

from assistant.ingest.cleaning import clean_line, has_placeholder, split_paragraphs
from assistant.ingest.encoding import decode_bytes
from assistant.ingest.errors import IngestError


def test_site_markers_and_fullwidth_spaces_are_removed() -> None:
    assert clean_line("##paidbegin##二、严格标准要求") == "二、严格标准要求"
    assert clean_line("\u3000\u3000截至目前，全县  共有\u00a0党员") == "截至目前，全县共有党员"
    assert clean_line("GDP growth  of 5 %") == "GDP growth of 5 %"


def test_lines_broken_inside_a_sentence_are_joined_but_headings_are_not() -> None:
    wrapped = (
        "一、总体要求\n"
        "坚持以人民为中心的发展思想，统筹推进数字乡村建设，到2027年全县行政村\n"
        "5G网络覆盖率达到100%，农产品网络零售额年均增长15%以上，建成县级数字\n"
        "乡村服务中心1个。\n"
        "二、重点任务\n"
        "加快农村信息基础设施建设，推进千兆光网向自然村延伸，提升网络服务质量。\n"
    )
    paras = split_paragraphs(wrapped)
    assert paras[0] == "一、总体要求"
    assert paras[1].startswith("坚持以人民为中心") and paras[1].endswith("服务中心1个。")
    assert "全县行政村5G网络" in paras[1]
    assert paras[2] == "二、重点任务"


def test_one_paragraph_per_line_is_left_alone() -> None:
    text = "各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议。\n一、工作回顾\n"
    assert split_paragraphs(text) == [
        "各位代表：",
        "现在，我代表国务院，向大会报告政府工作，请予审议。",
        "一、工作回顾",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("X委先后召开XX次常委会议", True),
        ("全XXX名党员", True),
        ("Ｘ月Ｘ日", True),
        ("国内生产总值增长5%", False),
        ("XBRL报表和Xinjiang", False),
    ],
)
def test_placeholders(text: str, expected: bool) -> None:
    assert has_placeholder(text) is expected


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings_are_detected(encoding: str) -> None:
    text = "中共青川县委关于2024年主题教育工作情况的汇报：截至目前，共开展专题学习研讨12次。"
    assert decode_bytes(text.encode(encoding), "x.txt") == text


def test_binary_is_refused_with_the_file_name() -> None:
    with pytest.raises(IngestError, match=r"blob.txt: binary content"):
        decode_bytes(b"\x00\x01\x02\xff" * 100, "blob.txt")
