"""Edits the chat makes without a model: exactly what the user said, or nothing."""

from __future__ import annotations

import pytest

from assistant.reports.plain_edits import plain_edit

TEXT = (
    "（一）扎实推进学习教育。一是抓实理论学习，开展集中学习12次；二是抓实研讨交流，组织研讨6次；"
    "三是抓实宣讲，宣讲80场。\n（二）全面推进整改落实。检视问题63个，已整改58个。\n"
)


@pytest.mark.parametrize(
    ("instruction", "old", "new"),
    [
        ("把“扎实推进”改成“全面推进”", "扎实推进学习教育", "全面推进学习教育"),
        ("第一段的扎实推进改成持续深化", "扎实推进学习教育", "持续深化学习教育"),
        ("扎实推进学习教育改为强化学习教育吧", "扎实推进学习教育", "强化学习教育"),
        ("“80场”换成“86场”", "宣讲80场", "宣讲86场"),
    ],
)
def test_replacing_words_the_text_contains(instruction: str, old: str, new: str) -> None:
    edit = plain_edit(TEXT, instruction)
    assert edit is not None and new in edit.text and old not in edit.text
    assert edit.text.replace(new, "") == TEXT.replace(old, "")  # nothing else touched


def test_deleting_a_layer_renumbers_and_closes_the_sentence() -> None:
    edit = plain_edit(TEXT, "二是那条删掉", passage="二是抓实研讨交流")
    assert edit is not None
    assert "研讨" not in edit.text
    assert "一是抓实理论学习，开展集中学习12次；二是抓实宣讲，宣讲80场。" in edit.text
    last = plain_edit(TEXT, "删掉第三条", passage="三是抓实宣讲")
    assert last is not None and "二是抓实研讨交流，组织研讨6次。\n" in last.text


def test_deleting_a_headed_paragraph_and_a_quoted_sentence() -> None:
    edit = plain_edit(TEXT, "第二条删了", passage="（二）全面推进整改落实")
    assert edit is not None and "整改" not in edit.text and edit.text.startswith("（一）")
    sentence = plain_edit(TEXT, "把“已整改58个”这句删了")
    assert sentence is not None and "63个" not in sentence.text
    assert sentence.text.endswith("（二）全面推进整改落实。\n")


def test_adding_a_dictated_sentence() -> None:
    edit = plain_edit(TEXT, "最后加一句：下一步将持续巩固整改成果")
    assert edit is not None
    assert edit.text == TEXT.rstrip("\n") + "下一步将持续巩固整改成果。\n"


def test_a_title_is_replaced_whole() -> None:
    edit = plain_edit("XX区2025年工作总结", "标题改成XX区市场监管局2025年工作总结", whole=True)
    assert edit is not None and edit.text == "XX区市场监管局2025年工作总结"
    assert plain_edit("XX区2025年工作总结", "标题改成XX区市场监管局2025年工作总结") is None


@pytest.mark.parametrize(
    "instruction",
    [
        "写具体点",
        "精简一些，删掉重复的话",  # which words are repeated is a judgement, not an edit
        "加上检视问题63个",  # a fact to tell, not a sentence dictated
        "把“不存在的话”改成“别的”",  # the words are not in the text
        "删掉“没有的内容”",
    ],
)
def test_what_is_not_said_exactly_is_not_done(instruction: str) -> None:
    assert plain_edit(TEXT, instruction) is None


def test_an_item_dictated_is_the_next_of_the_last_run() -> None:
    text = "还存在一些不足：一是调研不深；二是措施不实。针对上述问题，将重点做好以下工作：一是加强调研；二是细化措施。"
    edit = plain_edit(text, "今后努力方向加一条：强化督查问效")
    assert edit is not None
    assert edit.text.endswith("一是加强调研；二是细化措施；三是强化督查问效。")
    assert edit.text.startswith("还存在一些不足：一是调研不深；二是措施不实。")  # its own run
    plain = plain_edit("（一）强化组织领导。召开会议5次。", "加一条：建立周调度机制")
    assert plain is not None and plain.text == "（一）强化组织领导。召开会议5次。建立周调度机制。"


def test_a_layer_deleted_in_the_second_run_renumbers_only_that_run() -> None:
    text = "不足：一是调研不深；二是措施不实。下一步：一是加强调研；二是细化措施；三是强化督查。"
    edit = plain_edit(text, "把“细化措施”这条删掉", "二是细化措施")
    assert edit is not None
    assert edit.text == "不足：一是调研不深；二是措施不实。下一步：一是加强调研；二是强化督查。"


LAYERED = (
    "（一）狠抓问题整改，确保真改实改\n坚持即知即改、真改实改，问责5人。\n"
    "（二）统筹抓好其他工作，推动全面进步\n同时，游客投诉41件。\n"
)


def test_a_sentence_dictated_for_a_layer_pointed_at_closes_that_layer() -> None:
    edit = plain_edit(LAYERED, "第二部分第一条加一句：建立问题整改销号台账", "第一条")
    assert edit is not None
    assert "问责5人。建立问题整改销号台账。\n（二）" in edit.text
    edit = plain_edit("今后：一是甲项工作；二是乙项工作。", "第二条加一句：抓好落实", "第二条")
    assert edit is not None and edit.text == "今后：一是甲项工作；二是乙项工作。抓好落实。"
    # inside a run of 一是…；二是…: not guessed
    assert (
        plain_edit("今后：一是甲项工作；二是乙项工作。", "第一条加一句：抓好落实", "第一条") is None
    )


def test_a_layer_pointed_at_by_its_ordinal_is_deleted_and_the_rest_renumbered() -> None:
    edit = plain_edit(LAYERED, "删掉第一条", "第一条")
    assert edit is not None
    assert edit.text == "（一）统筹抓好其他工作，推动全面进步\n同时，游客投诉41件。\n"
    edit = plain_edit("今后：一是甲项工作；二是乙项工作；三是丙项。", "删掉第二条")
    assert edit is not None and edit.text == "今后：一是甲项工作；二是丙项。"
    edit = plain_edit("今后：一是甲项工作；二是乙项工作；三是丙项。", "删掉第三条")
    assert edit is not None and edit.text == "今后：一是甲项工作；二是乙项工作。"


def test_the_layer_a_quoted_lead_phrase_opens_goes_whole() -> None:
    text = (
        "健全治理体系。坚持自治、法治、德治相结合，刑事警情同比下降21.6%。\n"
        "统筹抓好其他工作。同时，群众安全感达到98.1%。止付冻结涉案资金2860万元。\n"
    )
    edit = plain_edit(text, "把第三部分“统筹抓好其他工作”那层删掉", "统筹抓好其他工作")
    assert edit is not None
    assert edit.text == "健全治理体系。坚持自治、法治、德治相结合，刑事警情同比下降21.6%。\n"


def test_a_moved_figure_takes_its_clause_and_a_moved_item_its_item() -> None:
    from assistant.reports.plain_edits import move_in, move_out, moved_sentence

    text = "强化教育培训。坚持分类施训、按需施教，专题研讨24场，检视问题63个。\n健全机制。"
    assert moved_sentence(text, "检视问题63个") == "检视问题63个"
    out = move_out(text, "检视问题63个")
    assert out is not None
    assert out.text == "强化教育培训。坚持分类施训、按需施教，专题研讨24场。\n健全机制。"
    listed = "存在问题：一是学习不深；二是遭遇雨雪冰冻天气，组织除冰1260人次；三是设施老化。"
    assert moved_sentence(listed, "雨雪冰冻") == "遭遇雨雪冰冻天气，组织除冰1260人次"
    out = move_out(listed, "雨雪冰冻")
    assert out is not None and out.text == "存在问题：一是学习不深；二是设施老化。"
    joined = move_in("强化组织领导。召开会议9次。", "检视问题63个")
    assert joined is not None and joined.text == "强化组织领导。召开会议9次。检视问题63个。"
    # words the text does not hold move nothing
    assert move_out(text, "不存在的话") is None and moved_sentence(text, "不存在的话") == ""


def test_a_pointer_counted_from_the_end_removes_that_one_not_the_nth() -> None:
    text = "第一段。\n第二段。\n第三段。\n第四段。"
    edit = plain_edit(text, "倒数第二段删掉", "倒数第二段")
    assert edit is not None and edit.text == "第一段。\n第二段。\n第四段。"
    edit = plain_edit(text, "最后一段删掉", "最后一段")
    assert edit is not None and edit.text == "第一段。\n第二段。\n第三段。"
    edit = plain_edit("一是甲；二是乙；三是丙。", "删掉最后一条", "最后一条")
    assert edit is not None and edit.text == "一是甲；二是乙。"
