"""Quotes the chat reads back: the clause that tells a figure, cut at a clause or word
boundary, never inside a word, a number or a title."""

from __future__ import annotations

from assistant.quoting import ELLIPSIS, clause_of, quote


def test_a_short_sentence_is_quoted_whole() -> None:
    assert quote("召开常委会议12次。") == "召开常委会议12次。"
    assert quote("召开常委会议\n12次") == "召开常委会议 12次"


def test_a_long_sentence_is_cut_at_its_last_clause_break() -> None:
    text = (
        "坚持以人民为中心，全年受理群众来信312件、来访96批次，办结率达到100%，群众满意度明显提升。"
    )
    assert quote(text) == "坚持以人民为中心，全年受理群众来信312件、来访96批次" + ELLIPSIS


def test_without_a_break_the_cut_falls_between_words_not_inside_a_number() -> None:
    text = (
        "县委常委会专题研究部署基层党组织标准化规范化建设工作推进会议精神贯彻落实情况汇报材料123456"
    )
    out = quote(text, 20)
    assert out.endswith(ELLIPSIS) and len(out) <= 20 + len(ELLIPSIS)
    assert out.removesuffix(ELLIPSIS) == "县委常委会专题研究部署基层党组织标准化"
    digits = "完成投资额" + "1" * 40
    assert quote(digits, 20) == "完成投资额" + ELLIPSIS


def test_a_title_is_not_cut_open() -> None:
    text = "印发了《关于进一步加强和改进新时代基层治理工作的实施意见》并组织学习"
    assert (
        quote(text, 20) == "印发了《关于进一步加强和改进新时代基层治理工作的实施意见》" + ELLIPSIS
    )
    long_title = "印发了《" + "关于" * 30 + "的意见》"
    assert quote(long_title, 20) == "印发了" + ELLIPSIS


def test_the_clause_that_tells_the_figure_is_chosen() -> None:
    sentence = "县委召开常委会议12次，派出巡回指导组6个，发放资料2000册。"
    assert clause_of(sentence, 6) == "派出巡回指导组6个"
    assert clause_of(sentence, "2000") == "发放资料2000册"
    assert clause_of(sentence, "王建国") == sentence
    assert clause_of("只有一句12次", 12) == "只有一句12次"
