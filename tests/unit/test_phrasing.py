"""One fact as a 公文 clause: what the figure counts, the figure, and what the note adds."""

from __future__ import annotations

from assistant.drafting.phrasing import clause
from assistant.facts.sheet import Fact


def test_a_note_that_only_names_the_base_of_a_change_reads_as_the_change() -> None:
    assert clause(Fact(key="社零增速", value=6.2, unit="%", note="同比"), "〔F1〕") == (
        "社零同比增长6.2%〔F1〕"
    )
    assert clause(Fact(key="事故起数降幅", value=12, unit="%", note="较上年"), "") == (
        "事故起数较上年下降12%"
    )
    # A total with a base is no change: the base stays beside the figure.
    assert clause(Fact(key="地区生产总值", value=120, unit="亿元", note="同比"), "") == (
        "地区生产总值达到120亿元（同比）"
    )


def test_a_note_that_says_more_is_told_as_the_work_done() -> None:
    talk = Fact(key="廉洁谈话", value=36, unit="人次", note="与分管科室干部开展的谈心谈话、廉洁提醒")
    assert clause(talk, "") == "与分管科室干部开展谈心谈话、廉洁提醒36人次"
    # A note that continues the sentence stays after the figure.
    assert clause(Fact(key="受理投诉", value=120, unit="件", note="同比增长12%"), "") == (
        "受理投诉120件，同比增长12%"
    )


def test_a_rate_that_should_be_low_is_kept_down_not_reached() -> None:
    assert clause(Fact(key="婴儿死亡率", value=2.8, unit="‰"), "") == "婴儿死亡率控制在2.8‰"
    assert clause(Fact(key="群众满意率", value=96, unit="%"), "") == "群众满意率达到96%"
