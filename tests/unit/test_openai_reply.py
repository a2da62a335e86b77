"""A chat's events as one OpenAI reply: markers out even when split across tokens, sections under
their names, sources as numbered notes; model ids parsed strictly."""

from __future__ import annotations

import pytest

from assistant.compat.completion import is_client_task, last_user_message, message_text
from assistant.compat.models import parse_model
from assistant.compat.reply import MarkerFilter, ReplyWriter
from assistant.errors import Invalid


def test_markers_split_across_tokens_are_taken_out() -> None:
    f = MarkerFilter()
    pieces = ["召开常委会议12次〔", "F1〕，派出巡回", "指导组6个[F2、", "F3]。（一）加强领导"]
    out = "".join(f.feed(p) for p in pieces) + f.flush()
    assert out == "召开常委会议12次，派出巡回指导组6个。（一）加强领导"


def test_an_opening_bracket_that_is_no_marker_is_not_held_for_long() -> None:
    f = MarkerFilter()
    assert f.feed("（") == ""
    assert f.feed("一") == ""
    assert f.feed("）组织领导") == "（一）组织领导"
    assert f.feed("【待补充：" + "很长的说明" * 6) != ""


def test_a_draft_reply_reads_as_one_text_with_notes() -> None:
    out: list[str] = []
    w = ReplyWriter(out.append)
    w.notes.fact("常委会议", 12, "次")
    w.event("step", {"index": 0, "action": "draft", "section": "work_1", "label": "一、组织领导"})
    for t in ["召开常委", "会议12次〔F", "1〕。"]:
        w.event("token", {"section": "work_1", "text": t})
    w.event(
        "citations",
        {
            "section": "work_1",
            "citations": [
                {"sentence": "召开常委会议12次。", "targets": ["fact:常委会议"]},
                {"sentence": "依据材料。", "targets": ["chunk:abc"]},
            ],
        },
    )
    w.notes.chunks["abc"] = {"title": "统计表", "kb": "report-7"}
    w.event(
        "done",
        {
            "actions": [
                {
                    "action": "draft",
                    "section": "work_1",
                    "label": "一、组织领导",
                    "version_id": 5,
                    "version": 2,
                    "engine_label": "离线范文模式",
                    "issues": 1,
                }
            ]
        },
    )
    w.finish()
    text = "".join(out)
    assert text.startswith(
        "**一、组织领导**\n\n召开常委会议12次。\n\n已起草一、组织领导（已保存为第2版"
    )
    assert "检查发现 1 处需要注意" in text
    assert text.endswith(
        "来源：\n[1] 事实表：常委会议：12次 —— “召开常委会议12次。”\n"
        "[2] 本报告上传材料《统计表》 —— “依据材料。”"
    )
    assert w.version_ids() == [5]


def test_a_read_only_refusal_says_why() -> None:
    out: list[str] = []
    w = ReplyWriter(out.append, read_only=True)
    w.event("token", {"text": "只有报告的起草人（或管理员）可以起草和修改。"})
    w.event("done", {"actions": [{"action": "draft", "refused": True}]})
    w.finish()
    assert "此 API 密钥为只读" in "".join(out)


@pytest.mark.parametrize(
    ("name", "report"),
    [("report-12", 12), ("corpus", None), (" report-1 ", 1)],
)
def test_model_ids(name: str, report: int | None) -> None:
    target = parse_model(name)
    assert target is not None and target.report_id == report


@pytest.mark.parametrize(
    "name", ["report-0", "report-012", "report-x", "gpt-4o", "report-99999999999"]
)
def test_unknown_model_ids(name: str) -> None:
    assert parse_model(name) is None


def test_the_last_user_message_is_read_from_strings_or_parts() -> None:
    assert message_text([{"type": "text", "text": "甲"}, {"type": "image_url"}]) == "甲"
    msgs = [
        {"role": "user", "content": "旧"},
        {"role": "user", "content": [{"type": "text", "text": "新"}]},
    ]
    assert last_user_message(msgs) == "新"
    with pytest.raises(Invalid):
        last_user_message([{"role": "system", "content": "x"}])
    assert is_client_task("### Task:\nGenerate a title\n<chat_history>…</chat_history>")
    assert not is_client_task("起草第一部分")


def test_each_fact_note_quotes_the_clause_that_tells_it() -> None:
    from assistant.compat.notes import Notes

    notes = Notes()
    notes.fact("家庭医生签约率", 76.5, "%")
    notes.fact("党组会议", 11, "次")
    sentence = "坚持以患者为中心，家庭医生签约服务覆盖率达到76.5%，召开党组会议11次。"
    notes.citations([{"sentence": sentence, "targets": ["fact:家庭医生签约率", "fact:党组会议"]}])
    text = notes.text()
    assert "[1] 事实表：家庭医生签约率：76.5% —— “家庭医生签约服务覆盖率达到76.5%”" in text
    assert "[2] 事实表：党组会议：11次 —— “召开党组会议11次”" in text
