"""The Drafter with the LLM engine over a langchain fake chat model and the indexed sample corpus.

The fake records the messages it was given, so the prompt is checked as the model saw it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGenerationChunk
from pydantic import Field

from assistant.config import Settings
from assistant.domain import Draft
from assistant.drafting.composer import Drafter
from assistant.drafting.evidence import Gatherer
from assistant.drafting.llm import LLMEngine, LLMError
from assistant.drafting.outline import Outline, OutlineError
from assistant.drafting.prompts import load_prompt
from assistant.drafting.templates import ReportTemplate
from assistant.facts.sheet import FactSheet
from assistant.services import Services, build_services
from tests.conftest import ROOT

SHEET = {
    "report": {
        "template": "工作情况汇报",
        "title": "中共青川县委关于2024年主题教育工作情况的汇报",
        "organization": "中共青川县委",
        "recipient": "市委第二巡回指导组",
        "period": "2024年4月以来",
        "date": "2024-08-20",
    },
    "facts": [
        {"key": "参学单位", "value": 162, "unit": "家"},  # F1
        {"key": "参学党员", "value": 3560, "unit": "名"},  # F2
        {"key": "常委会议", "value": 12, "unit": "次"},  # F3
        {"key": "中心组学习", "value": 8, "unit": "次"},  # F4
        {"key": "领导小组会议", "value": 5, "unit": "次"},  # F5
        {"key": "巡回指导组", "value": 6, "unit": "个"},  # F6
        {"key": "专题研讨", "value": 10, "unit": "次"},  # F7
        {"key": "调研课题", "value": 28, "unit": "个"},  # F8
        {"key": "民生实事", "value": 30, "unit": "件"},  # F9
    ],
}

WORK_1 = (
    "第一时间学习贯彻。县委召开常委会议12次〔F3〕、理论学习中心组学习8次〔F4〕。\n"
    "第一时间成立机构。召开领导小组会议5次〔F5〕，派出巡回指导组6个【F6】。\n"
    "各项部署有力有序推进。"
)


class RecordingChat(GenericFakeChatModel):
    """Streams its scripted answers token by token and keeps the messages of every call."""

    received: list[list[BaseMessage]] = Field(default_factory=list)
    fail_after: int | None = None  # raise after this many chunks

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        self.received.append(messages)
        for n, chunk in enumerate(super()._stream(messages, stop, run_manager, **kwargs)):
            if self.fail_after is not None and n >= self.fail_after:
                raise RuntimeError("upstream went away")
            yield chunk


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """The sample corpus indexed once for the module; drafting only reads it."""
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path_factory.mktemp("drafting") / "data",
        embeddings_provider="fake",
        llm_model=None,
        llm_base_url=None,
        llm_api_key=None,
        _env_file=None,
    )
    svc = build_services(settings)
    report = svc.indexer.index([ROOT / "corpus"])
    assert report.ok and report.chunks > 0
    yield svc
    svc.close()


@pytest.fixture
def sheet() -> FactSheet:
    return FactSheet.model_validate(SHEET)


@pytest.fixture
def template(indexed: Services) -> ReportTemplate:
    return indexed.templates["工作情况汇报"]


def make(services: Services, *answers: str, fail_after: int | None = None) -> Drafter:
    model = RecordingChat(messages=iter([AIMessage(a) for a in answers]), fail_after=fail_after)
    return Drafter(
        gatherer=Gatherer(services.searcher),
        checker=services.checker,
        llm=LLMEngine(model, model_name="fake"),
        known_title=services.titles.known,
    )


def model_of(drafter: Drafter) -> RecordingChat:
    assert drafter.llm is not None and isinstance(drafter.llm.model, RecordingChat)
    return drafter.llm.model


def user_prompt(drafter: Drafter, call: int = -1) -> str:
    messages = model_of(drafter).received[call]
    assert [m.type for m in messages] == ["system", "human"]
    return str(messages[1].content)


def test_tokens_stream_to_on_token_in_order(
    indexed: Services, sheet: FactSheet, template: ReportTemplate
) -> None:
    drafter = make(indexed, WORK_1)
    tokens: list[tuple[str, str]] = []
    draft = drafter.draft_section(
        sheet, template, "work_1", on_token=lambda sid, t: tokens.append((sid, t))
    )
    assert len(tokens) > 3 and {sid for sid, _ in tokens} == {"work_1"}
    assert "".join(t for _, t in tokens) == WORK_1
    assert draft.raw == WORK_1


def test_prompt_holds_the_sections_facts_exemplars_length_and_meta(
    indexed: Services, sheet: FactSheet, template: ReportTemplate
) -> None:
    drafter = make(indexed, WORK_1)
    draft = drafter.draft_section(sheet, template, "work_1")
    user = user_prompt(drafter)
    system = str(model_of(drafter).received[-1][0].content)
    # F labels are positions in the fact sheet, only this section's facts are shown
    for line in ("- F3 常委会议：12次", "- F4 中心组学习：8次", "- F5 领导小组会议：5次"):
        assert line in user
    assert "- F6 巡回指导组：6个" in user
    assert "F7" not in user and "专题研讨：" not in user
    # exemplars from the corpus, labelled E1…, each as shown in provenance
    exemplars = [p for p in draft.provenance.passages if p["label"].startswith("E")]
    assert exemplars and all(p["kb"] == "corpus" and p["chunk_id"] for p in exemplars)
    for p in exemplars:
        assert f"〔{p['label']}〕《{p['title']}》" in user
    assert "（本报告尚无上传材料。）" in user  # no S layer without uploads
    # the length target, the heading and the report meta
    assert "300～700字" in user
    assert "一、加强组织领导，推动主题教育各项部署落地见效" in user
    for meta in ("- 单位：中共青川县委", "- 时间范围：2024年4月以来", "- 成文日期：2024-08-20"):
        assert meta in user
    assert "- 主送：市委第二巡回指导组" in user
    assert "{" not in user  # every variable was filled
    assert "中共青川县委" in system


def test_draft_has_clean_text_citations_and_provenance(
    indexed: Services, sheet: FactSheet, template: ReportTemplate
) -> None:
    drafter = make(indexed, WORK_1)
    draft = drafter.draft_section(sheet, template, "work_1")
    assert isinstance(draft, Draft) and draft.section_id == "work_1"
    assert draft.heading == "一、加强组织领导，推动主题教育各项部署落地见效"
    assert "〔" not in draft.text and "【F" not in draft.text
    assert draft.text.startswith("第一时间学习贯彻。县委召开常委会议12次、理论学习中心组学习8次。")
    targets = [t for c in draft.citations for t in c.targets]
    assert targets == ["fact:常委会议", "fact:中心组学习", "fact:领导小组会议", "fact:巡回指导组"]
    for c in draft.citations:
        assert draft.text[c.start : c.end].strip() == c.sentence
    assert not draft.blocking, draft.issues
    p = draft.provenance
    assert p.engine == "llm" and p.model == "fake" and p.engine_label == "fake"
    assert p.prompt == "draft_section"
    assert p.prompt_sha256 == load_prompt("draft_section").sha256
    assert p.facts == ["常委会议", "中心组学习", "领导小组会议", "巡回指导组"]
    assert p.facts_used == p.facts
    assert p.passages and all(r["chunk_id"] for r in p.passages)
    assert set(p.timings) == {
        "retrieve_ms",
        "prompt_ms",
        "first_token_ms",
        "generate_ms",
        "parse_ms",
        "check_ms",
        "total_ms",
        "overhead_ms",
    }
    assert all(v >= 0 for v in p.timings.values())
    assert p.timings["total_ms"] >= p.timings["generate_ms"]
    public = draft.public()
    assert public["provenance"]["prompt_sha256"] == p.prompt_sha256
    assert public["citations"][0]["targets"] == ["fact:常委会议", "fact:中心组学习"]


def test_invented_number_is_returned_with_a_grounding_error(
    indexed: Services, sheet: FactSheet, template: ReportTemplate
) -> None:
    answer = "县委召开常委会议12次〔F3〕。全县开展专题党课47场，覆盖面持续扩大。"
    drafter = make(indexed, answer)
    draft = drafter.draft_section(sheet, template, "work_1")
    assert draft.text == "县委召开常委会议12次。全县开展专题党课47场，覆盖面持续扩大。"
    grounding = [i for i in draft.issues if i.rule.startswith("GR")]
    assert grounding and grounding[0].severity == "error" and grounding[0].text == "47场"
    assert draft.blocking
    (ci002,) = [i for i in draft.issues if i.rule == "CI002"]
    assert draft.text[ci002.start : ci002.end] == "全县开展专题党课47场，覆盖面持续扩大。"
    assert draft.provenance.facts_used == ["常委会议"]


def test_unknown_label_from_the_model_is_an_error(
    indexed: Services, sheet: FactSheet, template: ReportTemplate
) -> None:
    # F7 (专题研讨) exists in the sheet but was not shown for work_1
    drafter = make(indexed, "组织专题研讨10次〔F7〕。")
    draft = drafter.draft_section(sheet, template, "work_1")
    assert "CI001" in {i.rule for i in draft.issues} and draft.blocking
    assert draft.citations == [] and draft.provenance.facts_used == []


def test_model_error_mid_stream_is_an_llm_error(
    indexed: Services, sheet: FactSheet, template: ReportTemplate
) -> None:
    drafter = make(indexed, WORK_1, fail_after=2)
    tokens: list[str] = []
    with pytest.raises(LLMError, match="upstream went away"):
        drafter.draft_section(sheet, template, "work_1", on_token=lambda _, t: tokens.append(t))
    assert len(tokens) == 2  # what was shown before the failure


@pytest.mark.parametrize(
    "first_line",
    [
        "一、加强组织领导，推动主题教育各项部署落地见效",
        "加强组织领导，推动主题教育各项部署落地见效",
        "## 一、加强组织领导，推动主题教育各项部署落地见效",
        "**一、加强组织领导，推动主题教育各项部署落地见效**",
    ],
)
def test_heading_repeated_on_the_first_line_is_dropped(
    indexed: Services, sheet: FactSheet, template: ReportTemplate, first_line: str
) -> None:
    drafter = make(indexed, f"{first_line}\n{WORK_1}")
    draft = drafter.draft_section(sheet, template, "work_1")
    assert draft.text.startswith("第一时间学习贯彻。")
    assert "加强组织领导" not in draft.text


def test_a_first_line_that_is_prose_is_kept(
    indexed: Services, sheet: FactSheet, template: ReportTemplate
) -> None:
    answer = "县委坚持提高政治站位，扎实推动各项部署落地见效，召开常委会议12次〔F3〕。\n下一段。"
    draft = make(indexed, answer).draft_section(sheet, template, "work_1")
    assert draft.text.startswith("县委坚持提高政治站位")


@pytest.mark.parametrize("answer", ["一、加强组织领导，推动主题教育各项部署落地见效", "  \n"])
def test_an_empty_answer_is_stored_with_a_blocking_issue(
    indexed: Services, sheet: FactSheet, template: ReportTemplate, answer: str
) -> None:
    draft = make(indexed, answer).draft_section(sheet, template, "work_1")
    assert draft.text == ""
    assert [i.rule for i in draft.issues] == ["DR001"] and draft.blocking


@pytest.mark.parametrize(
    ("section_id", "text"),
    [
        ("title", "中共青川县委关于2024年主题教育工作情况的汇报"),
        ("salutation", "市委第二巡回指导组："),
        ("closing", "汇报完毕，谢谢。"),
    ],
)
def test_title_salutation_and_closing_are_written_by_the_program(
    indexed: Services, sheet: FactSheet, template: ReportTemplate, section_id: str, text: str
) -> None:
    drafter = make(indexed)  # no answers: any call to the model would fail
    tokens: list[str] = []
    draft = drafter.draft_section(
        sheet, template, section_id, on_token=lambda _, t: tokens.append(t)
    )
    assert draft.text == text and tokens == [text]
    assert draft.provenance.engine == "template" and draft.provenance.prompt is None
    assert model_of(drafter).received == []
    assert "total_ms" in draft.provenance.timings


def test_title_from_the_pattern_when_the_sheet_has_none(
    indexed: Services, template: ReportTemplate
) -> None:
    sheet = FactSheet.model_validate(
        {"report": {"organization": "中共青川县委", "period": "2024年"}, "facts": []}
    )
    drafter = make(indexed)
    assert (
        drafter.draft_section(sheet, template, "title").text
        == "中共青川县委关于2024年【待补充：事项】工作情况的汇报"
    )
    assert drafter.draft_section(sheet, template, "salutation").text == "【待补充：称谓】："


def test_draft_report_follows_an_edited_outline(
    indexed: Services, sheet: FactSheet, template: ReportTemplate
) -> None:
    outline = make(indexed).outline(sheet, template)
    assert "专题研讨" in outline.item("work_2").facts
    edited = outline.model_copy(deep=True)
    edited.sections = [s for s in edited.sections if s.id not in {"work_3", "problems_plans"}]
    edited.item("work_2").facts.remove("专题研讨")
    edited.item("work_1").facts.append("专题研讨")
    edited.item("work_1").heading = "一、抓好组织领导"

    answers = ["开场。", "总体情况。", "组织专题研讨10次〔F7〕。", "调研课题28个〔F8〕。"]
    drafter = make(indexed, *answers)
    seen: list[str] = []
    drafts = drafter.draft_report(
        sheet, template, outline=edited, on_section=lambda d: seen.append(d.section_id)
    )
    ids = ["title", "salutation", "opening", "overview", "work_1", "work_2", "closing"]
    assert [d.section_id for d in drafts] == ids == seen
    prompts = [str(m[1].content) for m in model_of(drafter).received]
    assert len(prompts) == 4  # opening, overview, work_1, work_2: no calls for fixed sections
    work_1, work_2 = prompts[2], prompts[3]
    assert "- F7 专题研讨：10次" in work_1 and "F7" not in work_2
    assert "- F8 调研课题：28个" in work_2
    assert "一、抓好组织领导" in work_1
    by_id = {d.section_id: d for d in drafts}
    assert by_id["work_1"].heading == "一、抓好组织领导"
    assert by_id["work_1"].provenance.facts_used == ["专题研讨"]
    assert by_id["work_2"].provenance.facts == ["调研课题"]


def test_draft_report_rejects_an_outline_that_does_not_fit(
    indexed: Services, sheet: FactSheet, template: ReportTemplate
) -> None:
    drafter = make(indexed)
    outline = drafter.outline(sheet, template)
    bad = outline.model_copy(deep=True)
    bad.sections[4].facts = ["常委会议", "不存在的事实"]
    with pytest.raises(OutlineError, match=r"sections\[4\]\.facts\[1\]: no fact '不存在的事实'"):
        drafter.draft_report(sheet, template, outline=bad)
    assert model_of(drafter).received == []
    bad = outline.model_copy(deep=True)
    bad.sections[2].id = "nope"
    with pytest.raises(OutlineError, match=r"sections\[2\]\.id: .*no section 'nope'"):
        bad.check(template, sheet)
    with pytest.raises(OutlineError, match="not '工作情况汇报'"):
        Outline(template="述职报告", sections=[]).check(template, sheet)


def test_unknown_section_id_lists_the_sections(
    indexed: Services, sheet: FactSheet, template: ReportTemplate
) -> None:
    drafter = make(indexed)
    with pytest.raises(
        KeyError, match=r"no section 'nope' \(sections: title, salutation, .*closing"
    ):
        drafter.draft_section(sheet, template, "nope")
    assert model_of(drafter).received == []


def test_proposed_outline_gives_every_fact_to_exactly_one_section(
    indexed: Services, sheet: FactSheet, template: ReportTemplate
) -> None:
    outline = make(indexed).outline(sheet, template)
    assigned = [k for s in outline.sections for k in s.facts]
    assert sorted(assigned) == sorted(f.key for f in sheet.facts)
    for s in outline.sections:
        if s.id in {"title", "salutation", "closing"}:
            assert s.facts == []


def test_a_figure_that_is_not_its_cited_fact_is_an_error_in_the_draft(
    indexed: Services, sheet: FactSheet, template: ReportTemplate
) -> None:
    """9999次〔F3〕 when F3 is 常委会议 12次: the markers are gone from the stored text, the
    mismatch is still found, at the figure's place in it."""
    answer = "县委召开常委会议9999次〔F3〕、理论学习中心组学习8次〔F4〕。"
    draft = make(indexed, answer).draft_section(sheet, template, "work_1")
    wrong = [i for i in draft.issues if i.rule == "GR010"]
    assert len(wrong) == 1 and wrong[0].severity == "error", draft.issues
    assert draft.text[wrong[0].start : wrong[0].end] == "9999次"
    assert "常委会议" in wrong[0].message
    right = make(indexed, WORK_1).draft_section(sheet, template, "work_1")
    assert not [i for i in right.issues if i.rule == "GR010"]
