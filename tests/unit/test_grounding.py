"""Grounding decisions: fact, upload, derived, exemplar, unsupported; periods and titles."""

from __future__ import annotations

from assistant.checks.grounding import Evidence, Source, ground
from assistant.facts.sheet import FactSheet

SHEET = FactSheet.model_validate(
    {
        "report": {
            "title": "中共青川县委关于2023年主题教育工作情况的汇报",
            "period": "2023年9月以来",
            "date": "2023-12-15",
        },
        "facts": [
            {"key": "常委会议", "value": 12, "unit": "次"},
            {"key": "中心组学习", "value": 8, "unit": "次"},
            {"key": "覆盖党员", "value": 3500, "unit": "名"},
            {"key": "参学党员", "value": 3560, "unit": "名"},
            {"key": "资金", "value": 1.5, "unit": "亿元"},
        ],
    }
)


def statuses(text: str, **kw: object) -> dict[str, str]:
    grounded, _ = ground(text, Evidence(facts=SHEET, **kw))  # type: ignore[arg-type]
    return {g.quantity.text: g.status for g in grounded}


def test_facts_in_any_notation() -> None:
    s = statuses("召开十二次常委会议、12 次常委会议、１２次常委会议，覆盖3560人，投入15000万元。")
    assert set(s.values()) == {"fact"}


def test_derived_upload_exemplar_and_unsupported() -> None:
    s = statuses(
        "共召开20次会议，覆盖率98.3%，调研报告23篇，另有4600名群众参与，新建道路17公里。",
        uploads=[Source("S1", "形成调研报告23篇")],
        exemplars=[Source("E1", "全县4600名群众参与")],
    )
    assert s == {
        "20次": "derived",
        "98.3%": "derived",
        "23篇": "upload",
        "4600名": "exemplar",
        "17公里": "unsupported",
    }


def test_a_wrong_unit_or_a_near_miss_is_not_supported() -> None:
    s = statuses("召开12名常委会议，覆盖3650名党员。")
    assert s == {"12名": "unsupported", "3650名": "unsupported"}


def test_issues_block_on_fabrications_and_warn_on_dates_and_titles() -> None:
    text = "2022年5月，按照《青川县不存在的方案》要求，另有4600名群众参与。"
    _, issues = ground(text, Evidence(facts=SHEET, exemplars=[Source("E1", "4600名群众")]))
    by_rule = {(i.rule, i.severity, i.text) for i in issues}
    assert ("GR001", "error", "2022年5月") in by_rule
    assert ("GR003", "warning", "2022年5月") in by_rule
    assert ("GR002", "error", "4600名") in by_rule
    assert ("GR004", "warning", "《青川县不存在的方案》") in by_rule
    for i in issues:
        assert text[i.start : i.end] == i.text


def test_titles_known_to_the_corpus_or_the_uploads_pass() -> None:
    text = "按照《中国共产党纪律处分条例》和《青川县实施方案》要求。"
    _, issues = ground(
        text,
        Evidence(
            facts=SHEET,
            uploads=[Source("S1", "印发《青川县实施方案》")],
            known_title=lambda t: t == "中国共产党纪律处分条例",
        ),
    )
    assert issues == []


def test_a_level_named_in_words_and_a_share_of_villages_are_no_fabrications() -> None:
    # from the walk-through: 三级 was an unsourced figure (blocking approval), 部分村 a name
    for text in ("县乡村三级医疗机构实现人员、技术、管理统一调配。", "部分村卫生室后继乏人。"):
        _, issues = ground(text, Evidence(facts=SHEET))
        assert issues == [], (text, [(i.rule, i.text) for i in issues])
    _, issues = ground("新建村卫生室5个。", Evidence(facts=SHEET))
    assert [i.rule for i in issues] == ["GR001"]  # a count still needs its source


def test_a_date_the_facts_give_is_not_questioned_outside_the_period() -> None:
    from assistant.facts.sheet import Fact, FactSheet, ReportMeta

    sheet = FactSheet(
        report=ReportMeta(title="整改情况报告", period="2025年4—9月"),
        facts=[Fact(key="未完成", value="新校区建设计划2026年6月底前完成")],
    )
    _, issues = ground(
        "新校区建设计划2026年6月底前完成，另定于2027年3月验收。", Evidence(facts=sheet)
    )
    dated = {i.text for i in issues if i.rule == "GR003"}
    assert "2026年6月" not in dated
    assert "2027年3月" in dated
