from assistant.retrieval.query import parse_query


def test_relative_years_are_made_explicit() -> None:
    q = parse_query("2026年安徽省政府工作报告里去年粮食产量")
    assert "去年（2025年）" in q.expanded
    assert parse_query("今年的目标").expanded == "今年的目标"  # no year to anchor it


def test_a_figure_question_prefers_a_number_after_the_thing_named() -> None:
    q = parse_query("2026年安徽省政府工作报告里去年安徽粮食打了多少斤")
    assert "粮食" in q.figure_terms
    title = "2026年安徽省政府工作报告"
    assert q.wants_figure_near("全年粮食产量838.6亿斤，创历史新高。", title)
    assert not q.wants_figure_near("扛稳粮食安全重任，推进高标准农田建设。", title)
    # 安徽 names the document, not the figure
    assert not q.wants_figure_near("安徽2025年经济总量稳步提升。", title)
    assert parse_query("雄安新区总体规划批复").figure_terms == ()
