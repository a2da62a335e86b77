"""Facts proposed from what a new user typed in the chat (the walk-through of 2026-12-07): keys
without the ask's colon, figures as written, a change kept with its figure, a part's content told
whole, and no key made of a filler word."""

from __future__ import annotations

from assistant.facts.from_chat import facts_from_message
from assistant.facts.numbers import readable


def _read(text: str) -> list[tuple[str, object, str, str]]:
    return [
        (p.fact.key, p.fact.value, p.fact.unit, p.fact.note)
        for p in facts_from_message(text, message_id="1")
    ]


def test_a_recorded_figure_keeps_its_change_and_loses_the_colon() -> None:
    assert _read("记一下：全年完成一般公共预算收入1.28亿元，同比增长4.6%") == [
        ("完成一般公共预算收入", 128000000, "元", "同比增长4.6%")
    ]
    assert readable(128000000, "元") == "1.28亿元"
    assert readable(2860000, "元") == "286万元"
    assert readable(12000, "人次") == "12000人次"  # only money takes 万
    assert readable(123456789, "元") == "123456789元"  # not a round figure: as it is


def test_a_parts_content_told_whole_is_one_text_fact() -> None:
    assert _read("存在的问题是镇级财力紧张，产业项目支撑不足") == [
        ("存在问题", "镇级财力紧张，产业项目支撑不足", "", "")
    ]
    assert _read("明年打算引进亿元以上项目2个，推进集镇污水管网改造") == [
        ("明年打算", "引进亿元以上项目2个，推进集镇污水管网改造", "", "")
    ]
    assert _read("下一步打算太少，再加两条") == []  # a judgement of the part, an ask


def test_the_rest_counted_is_no_key() -> None:
    assert _read("还有2个问题要长期坚持，就是教师队伍老化和校舍维修") == []
