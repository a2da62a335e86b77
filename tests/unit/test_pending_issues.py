"""A figure proposed in the chat and not confirmed is an error where a text tells it — and only
there: the same digits inside a confirmed figure, a year or a longer number are not it."""

from __future__ import annotations

from assistant.facts.sheet import Fact
from assistant.reports.drafting import pending_issues

PENDING = Fact(key="受理群众来信", value=12, unit="件")


def spans(text: str, *pending: Fact) -> list[str]:
    return [text[i.start : i.end] + text[i.end : i.end + 1] for i in pending_issues(text, pending)]


def test_the_pending_figure_is_flagged_with_its_unit() -> None:
    text = "坚持以人民为中心，受理群众来信12件，办结率100%。"
    (issue,) = pending_issues(text, [PENDING])
    assert (issue.rule, issue.severity, issue.text) == ("CH001", "error", "12")
    assert text[issue.end] == "件" and "尚待确认" in issue.message


def test_the_same_digits_elsewhere_are_not_the_pending_figure() -> None:
    # 常委会议12次 is a confirmed fact; 2012年, 120件 and 1.12% hold the digits too.
    text = "县委召开常委会议12次，自2012年以来累计受理120件，增长1.12%。"
    assert pending_issues(text, [PENDING]) == []


def test_every_telling_is_flagged_and_a_space_before_the_unit_is_allowed() -> None:
    text = "受理群众来信12件。其中，来信 12 件均已办结。"
    assert spans(text, PENDING) == ["12件", "12 "]


def test_a_value_in_words_is_found_as_written() -> None:
    lead = Fact(key="带队领导", value="王建国")
    assert spans("由王建国同志带队。", lead) == ["王建国同"]


def test_a_figure_without_a_unit_needs_whole_number_bounds() -> None:
    rate = Fact(key="满意率", value=98.5, unit="")
    assert spans("满意率98.5，较上年提高0.5。", rate) == ["98.5，"]
    assert spans("满意率198.55。", rate) == []


def test_a_pending_figure_is_said_once_as_pending_not_also_as_unsourced() -> None:
    from assistant.domain import Issue
    from assistant.reports.drafting import with_pending

    text = "抓获犯罪嫌疑人612名。打掉犯罪团伙12个。"
    pending = pending_issues(text, [Fact(key="打掉犯罪团伙", value=12, unit="个")])
    unsourced = Issue("GR001", "数据核查", "error", 18, 21, "12个", "数字没有出处")
    other = Issue("CS001", "错别字", "warning", 0, 2, "抓获", "…")
    kept = with_pending([unsourced, other], pending)
    assert [i.rule for i in kept] == ["CH001", "CS001"]
