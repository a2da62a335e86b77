"""Facts from chat: the LLM proposes, the program checks every value against the message."""

from __future__ import annotations

from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant.drafting.extract import FactExtractor
from assistant.drafting.llm import LLMEngine

MESSAGE = "今年以来开了12次中心组学习，参学党员三千五百六十名，总要求是“学思想、强党性”。"


def _extractor(*answers: str) -> FactExtractor:
    return FactExtractor(LLMEngine(FakeListChatModel(responses=list(answers)), model_name="fake"))


def test_llm_proposals_are_validated_and_kept() -> None:
    answer = (
        "好的：\n```json\n"
        '[{"key": "中心组学习", "value": 12, "unit": "次"},'
        ' {"key": "参学党员", "value": 3560, "unit": "名"},'
        ' {"key": "总要求", "value": "学思想、强党性"}]\n```'
    )
    result = _extractor(answer).propose(MESSAGE, message_id="m7", template="工作情况汇报")
    assert result.engine == "llm"
    got = {p.key: (p.fact.value, p.fact.unit, p.fact.source) for p in result.facts}
    assert got == {
        "中心组学习": (12, "次", "chat:m7"),
        "参学党员": (3560, "名", "chat:m7"),
        "总要求": ("学思想、强党性", "", "chat:m7"),
    }


def test_a_number_the_user_never_wrote_is_dropped() -> None:
    answer = (
        '[{"key": "中心组学习", "value": 12, "unit": "次"},'
        ' {"key": "学习时长", "value": 36, "unit": "小时"},'
        ' {"key": "", "value": 1}]'
    )
    result = _extractor(answer).propose(MESSAGE, message_id="m1", template="工作情况汇报")
    assert [p.key for p in result.facts] == ["中心组学习"]
    assert any("36" in d and "not in the message" in d for d in result.dropped)
    assert len(result.dropped) == 2


def test_garbled_answer_falls_back_to_the_rules() -> None:
    result = _extractor("抱歉，我无法完成。").propose(MESSAGE, message_id="m2", template="x")
    assert result.engine == "rules"
    assert "中心组学习" in {p.key for p in result.facts}
    assert result.dropped and "unusable" in result.dropped[0]


def test_without_an_llm_the_rules_answer() -> None:
    result = FactExtractor(None).propose("召开常委会议十二次", message_id="m3", template="x")
    assert result.engine == "rules"
    assert [(p.key, p.fact.value, p.fact.unit) for p in result.facts] == [("常委会议", 12, "次")]


def test_scaled_units_match_the_message() -> None:
    answer = '[{"key": "培训人次", "value": 1.2, "unit": "万人次"}]'
    result = _extractor(answer).propose("培训1.2万人次", message_id="m4", template="x")
    assert [p.key for p in result.facts] == ["培训人次"]
