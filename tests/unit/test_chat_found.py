"""The chat's search reply says which passages mention what was asked, and admits when none do."""

from __future__ import annotations

from assistant.chat.found import found_reply, topic_terms


def _p(title: str, text: str) -> dict[str, object]:
    return {"title": title, "heading": "", "text": text}


def test_request_words_are_not_the_topic() -> None:
    assert topic_terms("帮我找几篇关于河长制的范文") == ["河长制"]
    assert "依据" not in topic_terms("有没有耕地保护的上级文件依据")


def test_passages_that_mention_the_topic_come_first() -> None:
    passages = [
        _p("某区招商引资工作总结", "全年引进项目42个。"),
        _p("某县河长制工作汇报", "全面推行河长制，巡河1.2万次。"),
    ]
    reply = found_reply("河长制范文", passages)
    assert reply.startswith("找到 1 段提到“河长制”的材料：《某县河长制工作汇报》")
    assert "另有 1 段意思相近" in reply
    assert [p["mentions"] for p in passages] == [[], ["河长制"]]


def test_no_passage_about_it_is_said_plainly() -> None:
    reply = found_reply("口腔医院院感防控", [_p("某区招商引资工作总结", "引进项目42个。")])
    assert reply.startswith("没有找到提到“口腔医院”、“院感”、“防控”的材料")
    assert "仅供参考" in reply and "相关材料" not in reply


def test_nothing_found() -> None:
    assert found_reply("河长制", []).startswith("没有找到材料")
