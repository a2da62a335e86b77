from pathlib import Path

import pytest

from assistant.ingest.errors import IngestError
from assistant.ingest.metadata import genre_family, genre_of, infer_meta, split_front_matter


@pytest.mark.parametrize(
    ("title", "genre"),
    [
        ("XXX党委（党组）2023年主题教育工作情况汇报及下步工作打算", "工作情况汇报"),
        ("2025年中华人民共和国国务院政府工作报告", "政府工作报告"),
        ("国务院办公厅关于推进政务新媒体健康有序发展的意见", "意见"),
        ("关于河北雄安新区总体规划（2018—2035年）的批复", "批复"),
        ("国务院办公厅关于湖北省在温家宝总理考察工作时所提问题和建议办理情况的函", "函"),
        ("临江市水务局2024年工作总结", "工作总结"),
        ("关于开展城镇小区配套幼儿园治理工作的通知", "通知"),
        ("青川县数字乡村建设实施方案（2025—2027年）", "实施方案"),
        ("会议记录", None),
    ],
)
def test_genre_from_title_ending(title: str, genre: str | None) -> None:
    assert genre_of(title) == genre


def test_genre_family() -> None:
    assert genre_family("通报（调查处理情况）") == "通报"
    assert genre_family("指导意见") == "意见"
    assert genre_family("政府工作报告") == "报告"


def test_front_matter_wins_and_bad_yaml_names_the_file() -> None:
    front, body = split_front_matter('---\ntitle: "甲"\nyear: 2020\n---\n正文', "a.md")
    assert front == {"title": "甲", "year": 2020} and body == "正文"
    with pytest.raises(IngestError, match=r"b.md: invalid YAML front matter"):
        split_front_matter("---\ntitle: [unclosed\n---\n正文", "b.md")


def test_inference_without_front_matter() -> None:
    paras = [
        "中共青川县委关于2024年主题教育工作情况的汇报",
        "尊敬的各位领导：",
        "汇报完毕，谢谢。",
    ]
    meta, used = infer_meta({}, paras, Path("x.txt"))
    assert used
    assert (meta.title, meta.genre, meta.year, meta.issuer) == (
        paras[0],
        "汇报",
        2024,
        "中共青川县委",
    )


def test_signature_gives_issuer_and_year_and_file_name_gives_title() -> None:
    paras = ["各乡镇人民政府：", "现将有关事项通知如下。", "青川县人民政府办公室", "2025年3月8日"]
    meta, used = infer_meta({}, paras, Path("2025_关于做好春耕生产工作的通知.txt"))
    assert not used
    assert meta.title == "关于做好春耕生产工作的通知"
    assert meta.genre == "通知" and meta.year == 2025 and meta.issuer == "青川县人民政府办公室"
