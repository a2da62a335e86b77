"""Facts proposed from chat messages by rule: keys, values, units, notes, provenance."""

from __future__ import annotations

import pytest

from assistant.facts.from_chat import facts_from_message

Row = tuple[str, int | float | str, str]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("开了12次中心组学习", [("中心组学习", 12, "次")]),
        ("召开常委会议十二次", [("常委会议", 12, "次")]),
        ("参学党员3560名", [("参学党员", 3560, "名")]),
        ("共有参学党员3,560名", [("参学党员", 3560, "名")]),
        ("参学党员有三千五百六十名", [("参学党员", 3560, "名")]),
        ("覆盖单位126家", [("覆盖单位", 126, "家")]),
        ("培训人数达到1.2万人次", [("培训人数", 12000, "人次")]),
        ("完成率为98.5%", [("完成率", 98.5, "%")]),
        ("解决问题236个", [("解决问题", 236, "个")]),
        ("办实事120件，惠及群众3万余人", [("办实事", 120, "件"), ("惠及群众", 30000, "人")]),
        (
            "总要求是“学思想、强党性、重实践、建新功”",
            [("总要求", "学思想、强党性、重实践、建新功", "")],
        ),
        ("全年共召开党委会24次", [("党委会", 24, "次")]),
        ("组织党员干部开展志愿服务活动56场", [("志愿服务活动", 56, "场")]),
        ("整改问题一百二十三个", [("整改问题", 123, "个")]),
        ("参训干部两千名", [("参训干部", 2000, "名")]),
        ("惠及群众三万五千人", [("惠及群众", 35000, "人")]),
        ("开展１２次专题研讨", [("专题研讨", 12, "次")]),
        ("覆盖率达到百分之九十五", [("覆盖率", 95, "%")]),
        ("中心组学习次数为12次", [("中心组学习", 12, "次")]),
        ("建立制度15项、修订制度8项", [("建立制度", 15, "项"), ("修订制度", 8, "项")]),
        ("其中处级干部45名", [("处级干部", 45, "名")]),
        ("投入资金1.5亿元", [("投入资金", 150_000_000, "元")]),
        ("同比增长12.5%", [("同比增长", 12.5, "%")]),
        ("共青团员120名", [("共青团员", 120, "名")]),
        ("查处违规行为12起", [("查处违规行为", 12, "起")]),
        ("2023年以来开展学习研讨12次", [("学习研讨", 12, "次")]),
        ("开展“三会一课”48次", [("三会一课", 48, "次")]),
        ("参学党员：3560名", [("参学党员", 3560, "名")]),
        ("发放宣传资料5000余份", [("发放宣传资料", 5000, "份")]),
        (
            "我们今年开了12次中心组学习，参学党员3560名；覆盖单位126家。",
            [("中心组学习", 12, "次"), ("参学党员", 3560, "名"), ("覆盖单位", 126, "家")],
        ),
        ("主题是“两学一做”，开展学习12次", [("主题", "两学一做", ""), ("学习", 12, "次")]),
        ("时间是2023年9月", []),
        ("今天的会议开得很好", []),
        ("要进一步统一思想", []),
        ("学习时间为1～2小时", []),
    ],
)
def test_statements(text: str, expected: list[Row]) -> None:
    facts = facts_from_message(text, message_id="m7")
    assert [(p.key, p.fact.value, p.fact.unit) for p in facts] == expected
    assert all(p.fact.source == "chat:m7" for p in facts)
    assert all(0 < p.confidence <= 1 for p in facts)


def test_values_read_back_as_numbers() -> None:
    (fact,) = facts_from_message("培训人数达到1.2万人次", message_id="1")
    assert fact.fact.number() == 12000
    assert fact.fact.text == "12000人次"


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("惠及群众3万余人", "约数（原文：3万余人）"),
        ("收到意见建议近300条", "约数（原文：近300条）"),
        ("党员人数约为120人", "约数（原文：约为120人）"),
        ("发放宣传资料5000余份", "约数（原文：5000余份）"),
        ("开展谈心谈话超过500人次", "超过（原文：超过500人次）"),
        ("参学党员3560名", ""),
    ],
)
def test_approximate_counts_are_noted(text: str, note: str) -> None:
    (fact,) = facts_from_message(text, message_id="1")
    assert fact.fact.note == note


def test_key_guessed_from_after_the_number_is_less_certain() -> None:
    after, before = facts_from_message("开了12次中心组学习，召开常委会议十二次", message_id="1")
    assert after.key == "中心组学习" and after.confidence < 0.7
    assert before.key == "常委会议" and before.confidence >= 0.8


def test_origin_is_the_clause() -> None:
    facts = facts_from_message("办实事120件，惠及群众3万余人。", message_id="1")
    assert [p.origin for p in facts] == ["办实事120件", "惠及群众3万余人"]


def test_repeated_key_is_made_unique() -> None:
    facts = facts_from_message("开展学习12次；开展学习8次", message_id="1")
    assert [(p.key, p.fact.value) for p in facts] == [("学习", 12), ("学习2", 8)]


def test_numbers_inside_a_quoted_slogan_are_not_counts() -> None:
    facts = facts_from_message("口号是“三年行动100天冲刺”", message_id="1")
    assert [(p.key, p.fact.value) for p in facts] == [("口号", "三年行动100天冲刺")]


def test_the_words_of_the_ask_and_where_it_was_read_are_no_part_of_the_key() -> None:
    from assistant.facts.from_chat import facts_from_message

    def keys(text: str) -> list[tuple[str, object, str]]:
        return [
            (p.key, p.fact.value, p.fact.unit) for p in facts_from_message(text, message_id="1")
        ]

    assert keys("第二部分写具体一点 加上家庭医生签约率76.5%") == [("家庭医生签约率", 76.5, "%")]
    assert keys("把扫描件里的义诊活动47场次也写进去") == [("义诊活动", 47, "场次")]
    assert keys("把关口前移的检查12次") == [("把关口前移的检查", 12, "次")]


def test_a_figure_that_says_which_ones_are_counted_is_no_fact_of_its_own() -> None:
    # from the walk-through: 以上的有 60岁 and 以上 141名 were proposed
    got = [
        (p.fact.key, p.fact.value, p.fact.unit)
        for p in facts_from_message("全县乡村医生共有312名，其中60岁以上的有141名", message_id="1")
    ]
    assert got == [("全县乡村医生", 312, "名"), ("60岁以上乡村医生", 141, "名")]
    got = [
        (p.fact.key, p.fact.value, p.fact.unit)
        for p in facts_from_message("80周岁以上老人1.26万人", message_id="1")
    ]
    assert got == [("80周岁以上老人", 12600, "人")]


def test_the_figures_of_a_new_wording_quoted_after_gaicheng_are_proposed() -> None:
    said = facts_from_message("「节约资金1.2亿元」改成「节约资金1.16亿元」", message_id="m1")
    assert [(p.fact.key, p.fact.value, p.fact.unit) for p in said] == [
        ("节约资金", 116000000, "元")
    ]
    said = facts_from_message(
        "“船舶平均验放时间”那句改成“船舶平均验放时间压缩至16分钟”", message_id="m2"
    )
    assert [(p.fact.key, p.fact.value, p.fact.unit) for p in said] == [
        ("船舶平均验放时间", 16, "分钟")
    ]
    # A slogan quoted as a value stays whole; its figures are no counts.
    said = facts_from_message("口号是“两学一做”", message_id="m3")
    assert [(p.fact.key, p.fact.value) for p in said] == [("口号", "两学一做")]


def test_the_place_and_the_ask_before_the_figure_are_not_its_key() -> None:
    def keys(text: str) -> list[str]:
        return [p.key for p in facts_from_message(text, message_id="1")]

    assert keys("第二部分加上打掉犯罪团伙12个") == ["打掉犯罪团伙"]
    assert keys("开头补充参训干部320人") == ["参训干部"]
    assert keys("新增补充耕地2860亩") == ["新增补充耕地"]
    assert keys("集中加工企业12家") == ["集中加工企业"]
