"""Facts proposed from .xlsx and .csv uploads: layouts, units, provenance, bad files."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from assistant.facts.from_table import facts_from_table
from assistant.facts.proposed import ProposedFact
from assistant.ingest.errors import IngestError


def _xlsx(wb: openpyxl.Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _by_key(facts: list[ProposedFact]) -> dict[str, ProposedFact]:
    return {p.key: p for p in facts}


@pytest.fixture
def workbook() -> bytes:
    wb = openpyxl.Workbook()
    kv = wb.active
    assert kv is not None
    kv.title = "汇总"
    kv.append(["2023年主题教育数据表"])
    kv.merge_cells("A1:D1")
    kv.append(["指标", "数值", "单位", "备注"])
    kv.append(["参学党员", 3560, "名", None])
    kv.append(["中心组学习", "12次", None, None])
    kv.append(["完成率", 0.855, None, "截至年底"])
    kv["B5"].number_format = "0.0%"
    kv.append(["培训人数", "1.2万", "人次"])
    kv.append(["总要求", "学思想、强党性、重实践、建新功"])
    kv.append(["发放资料", "5000余份"])

    years = wb.create_sheet("分年")
    years.append(["各年度情况"])
    years.merge_cells("A1:C1")
    years.append(["项目", "2023年", 2024])
    years.append(["参学党员", 3000, 3560])
    years.append(["覆盖率", 0.9, 0.955])
    years["B4"].number_format = "0%"
    years["C4"].number_format = "0.0%"
    years.append(["说明：数据来自组织部"])

    table = wb.create_sheet("活动")
    table.append(["序号", "活动", "次数", "人数（名）", "合计", "备注"])
    table.append([1, "学习研讨", 12, 300, 312, "含线上"])
    table.append([2, "专题党课", None, "待统计", 5, None])
    return _xlsx(wb)


def test_key_value_sheet_with_header_unit_and_note(workbook: bytes) -> None:
    facts = _by_key(facts_from_table(workbook, filename="数据.xlsx"))
    p = facts["参学党员"]
    assert (p.fact.value, p.fact.unit, p.fact.source) == (3560, "名", "upload:数据.xlsx#汇总!B3")
    assert p.confidence == 0.9
    assert "指标" not in facts and "2023年主题教育数据表" not in facts
    assert (facts["中心组学习"].fact.value, facts["中心组学习"].fact.unit) == (12, "次")
    rate = facts["完成率"].fact
    assert (rate.value, rate.unit, rate.note) == (85.5, "%", "截至年底")
    trained = facts["培训人数"].fact
    assert (trained.value, trained.unit, trained.source) == (
        12000,
        "人次",
        "upload:数据.xlsx#汇总!B6",
    )
    assert trained.number() == 12000


def test_key_value_sheet_keeps_text_values_and_approximate_counts(workbook: bytes) -> None:
    facts = _by_key(facts_from_table(workbook, filename="数据.xlsx"))
    assert facts["总要求"].fact.value == "学思想、强党性、重实践、建新功"
    assert facts["总要求"].fact.unit == ""
    leaflets = facts["发放资料"].fact
    assert (leaflets.value, leaflets.unit) == (5000, "份")
    assert leaflets.note.startswith("约数")


def test_year_columns_and_percent_cells(workbook: bytes) -> None:
    facts = _by_key(facts_from_table(workbook, filename="数据.xlsx"))
    assert facts["2023年参学党员"].fact.value == 3000
    assert facts["2023年参学党员"].fact.source == "upload:数据.xlsx#分年!B3"
    assert facts["2024年参学党员"].fact.source == "upload:数据.xlsx#分年!C3"
    assert (facts["2023年覆盖率"].fact.value, facts["2023年覆盖率"].fact.unit) == (90, "%")
    assert facts["2024年覆盖率"].fact.value == 95.5
    assert not any("说明" in k or "各年度" in k for k in facts)


def test_table_keys_units_from_header_and_index_column(workbook: bytes) -> None:
    facts = _by_key(facts_from_table(workbook, filename="数据.xlsx"))
    count = facts["学习研讨次数"].fact
    assert (count.value, count.unit, count.note) == (12, "次", "含线上")
    assert count.source == "upload:数据.xlsx#活动!C2"
    people = facts["学习研讨人数"].fact
    assert (people.value, people.unit, people.source) == (300, "名", "upload:数据.xlsx#活动!D2")
    # 合计 names the measurement, so the row label alone is the key.
    assert facts["学习研讨"].fact.value == 312
    # 序号 is not a label column and its numbers are not facts.
    sources = [p.fact.source for p in facts.values()]
    assert not any(
        s.startswith(("upload:数据.xlsx#活动!A", "upload:数据.xlsx#活动!B")) for s in sources
    )
    # 待统计 and empty cells give nothing; 专题党课 合计 still does.
    assert "专题党课人数" not in facts and "专题党课次数" not in facts
    assert facts["专题党课"].fact.source == "upload:数据.xlsx#活动!E3"


def test_colliding_key_gets_the_sheet_name_then_a_counter() -> None:
    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    first.title = "一"
    first.append(["参学党员", 10])
    first.append(["参学党员", 11])
    second = wb.create_sheet("二")
    second.append(["参学党员", 20])
    second.append(["参学党员", 21])
    keys = [p.key for p in facts_from_table(_xlsx(wb), filename="x.xlsx")]
    assert keys == ["参学党员", "参学党员（一）", "参学党员（二）", "参学党员（二）2"]


def test_gbk_csv_key_value() -> None:
    data = '项目,数量\n学习研讨,12次\n参学党员,"3,560"\n覆盖率,85.5%\n'.encode("gbk")
    facts = facts_from_table(data, filename="a.csv")
    got = [(p.key, p.fact.value, p.fact.unit, p.fact.source) for p in facts]
    assert got == [
        ("学习研讨", 12, "次", "upload:a.csv#csv!B2"),
        ("参学党员", 3560, "", "upload:a.csv#csv!B3"),
        ("覆盖率", 85.5, "%", "upload:a.csv#csv!B4"),
    ]


def test_gbk_csv_table_first_column_headed_unit_is_the_label() -> None:
    data = "单位,参学人数,覆盖率\n党委办公室,45,98.5%\n组织部,30,100%\n".encode("gbk")
    got = {
        p.key: (p.fact.value, p.fact.unit, p.fact.source)
        for p in facts_from_table(data, filename="b.csv")
    }
    assert got == {
        "党委办公室参学人数": (45, "人", "upload:b.csv#csv!B2"),
        "党委办公室覆盖率": (98.5, "%", "upload:b.csv#csv!C2"),
        "组织部参学人数": (30, "人", "upload:b.csv#csv!B3"),
        "组织部覆盖率": (100, "%", "upload:b.csv#csv!C3"),
    }


def test_csv_beyond_column_z_and_tab_separated() -> None:
    header = "\t".join(["项目"] + [f"指标{i}" for i in range(27)])
    row = "\t".join(["甲"] + [str(i) for i in range(27)])
    facts = facts_from_table(f"{header}\n{row}\n".encode(), filename="wide.csv")
    assert facts[-1].key == "甲指标26"
    assert facts[-1].fact.source == "upload:wide.csv#csv!AB2"


def test_max_facts_caps_the_result() -> None:
    data = "\n".join(f"指标{i},{i}" for i in range(50)).encode()
    assert len(facts_from_table(data, filename="c.csv", max_facts=7)) == 7


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n", "只有一列\n标题\n".encode(), "项目,次数\n学习研讨,待统计\n".encode("gbk")],
)
def test_nothing_to_read_is_not_an_error(data: bytes) -> None:
    assert facts_from_table(data, filename="empty.csv") == []


def test_corrupt_xlsx_names_the_file() -> None:
    with pytest.raises(IngestError, match=r"坏\.xlsx: corrupt \.xlsx"):
        facts_from_table(b"PK\x03\x04 this is not a zip", filename="坏.xlsx")


def test_zip_that_is_not_a_workbook_is_a_clear_error() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(IngestError, match=r"x\.xlsx: corrupt \.xlsx"):
        facts_from_table(buf.getvalue(), filename="x.xlsx")


def test_legacy_xls_and_binary_are_refused() -> None:
    with pytest.raises(IngestError, match="legacy"):
        facts_from_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, filename="old.xls")
    with pytest.raises(IngestError, match=r"bin\.dat: binary"):
        facts_from_table(b"\x00\x01\x02\x03", filename="bin.dat")
