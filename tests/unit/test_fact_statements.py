"""Facts told in words: what a message states about the unit becomes a text fact to confirm."""

from __future__ import annotations

import pytest

from assistant.facts.from_chat import facts_from_message
from assistant.facts.statements import statements


@pytest.mark.parametrize(
    ("message", "told"),
    [
        ("开头那段加一句，我们局今年获评全省市场监管系统先进集体",
         [("获得荣誉", "今年获评全省市场监管系统先进集体")]),
        ("开头说清楚我是2023年3月到任的 加进去", [("到任时间", "2023年3月")]),
        ("记一下 巡察反馈会是4月28日下午开的 反馈人是第三巡察组组长王立新",
         [("巡察反馈会", "4月28日下午开的"), ("反馈人", "第三巡察组组长王立新")]),
        ("第二部分加点内容 今年我带头签了廉政承诺书，还给全镇党员干部上了廉政党课",
         [("带头签了廉政承诺书", "今年我带头签了廉政承诺书，还给全镇党员干部上了廉政党课")]),
        # who holds a post, told by name (the salutation and the 落款 need it)
        ("记一下：集团党委书记叫王建国", [("集团党委书记", "王建国")]),
        ("称谓里加上调研组组长的全名，周建平", [("调研组组长", "周建平")]),
        ("督导组组长换了 现在是王组长 开场白帮我重新起草一下", [("督导组组长", "王组长")]),
    ],
)  # fmt: skip
def test_what_a_message_tells(message: str, told: list[tuple[str, str]]) -> None:
    assert [(s.key, s.value) for s in statements(message)] == told


@pytest.mark.parametrize(
    "message",
    [
        "我觉得第二部分太长了",  # an opinion
        "督导组组长叫什么",  # a question of a name
        "今年的数字都换成最新的",  # an ask
        "我们单位的总结帮我看看",
        "这次调研去了几家平台企业",  # a question
        "我想在总结里引一句",  # a wish
        "把“压实整改责任”那一层展开写写",
    ],
)
def test_asks_questions_and_opinions_tell_nothing(message: str) -> None:
    assert statements(message) == []


def test_a_statement_with_figures_is_left_to_the_figures() -> None:
    proposed = facts_from_message("记一下，全年受理投诉举报9720件，办结率99.6%", message_id="1")
    assert [(p.fact.key, p.fact.value) for p in proposed] == [
        ("受理投诉举报", 9720),
        ("办结率", 99.6),
    ]


def test_a_statement_in_words_is_proposed_as_a_text_fact() -> None:
    (p,) = facts_from_message("开头加一句，这次调研是县委主要领导点题的", message_id="7")
    assert (p.fact.key, p.fact.value, p.fact.source) == ("这次调研", "县委主要领导点题的", "chat:7")
    assert p.confidence < 0.7  # a guessed key: the page asks the user to look


def test_a_correction_proposes_the_new_value_under_a_clean_key() -> None:
    proposed = facts_from_message("记一下 家庭医生签约率是68.5% 不是65%", message_id="1")
    assert [(p.fact.key, p.fact.value, p.fact.unit) for p in proposed] == [
        ("家庭医生签约率", 68.5, "%")
    ]


def test_a_name_told_is_proposed_as_a_fact_to_confirm() -> None:
    (proposed,) = facts_from_message("记一下：集团党委书记叫王建国", message_id="m1")
    assert (proposed.fact.key, proposed.fact.value) == ("集团党委书记", "王建国")


@pytest.mark.parametrize(
    ("message", "told"),
    [
        # what the unit does or who does it, beside an ask to add it: told
        ("第二部分写上 信息平台实行一房一码管理", True),
        ("开头补上 局长带队全程陪同督导组", True),
        ("开头补上 本人同时兼任乡村振兴金融服务领导小组组长", True),
        # wording asked for, praise, or a measure proposed: nothing told
        ("第一部分加一句 推动形成齐抓共管的工作格局", False),
        ("总体情况再加一句 为地方经济发展作出了积极贡献", False),
        ("建议第二条加上开通夜间定制公交", False),
        ("下步打算那几条太空了，每条后面加上时间节点和牵头科室", False),
    ],
)
def test_what_was_done_is_told_and_wording_is_not(message: str, told: bool) -> None:
    assert bool(statements(message)) is told


def test_a_practice_is_told_only_with_someone_keeping_it() -> None:
    from assistant.facts.statements import outcome, statements

    told = statements("补充一下 院长每周召开一次整改推进会")
    assert told and outcome(told[-1])
    assert not any(outcome(st) for st in statements("问题部分加上 每年开展一次全市儿童口腔检查"))
