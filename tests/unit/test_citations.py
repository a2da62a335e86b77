"""Citation markers in an engine's output → clean text, sentence-level citations and issues."""

from __future__ import annotations

import pytest

from assistant.domain import Passage
from assistant.drafting.citations import parse_citations, sentence_spans
from assistant.drafting.evidence import EvidenceSet, LabelledPassage
from assistant.facts.sheet import FactSheet

TARGETS = {"F1": "fact:常委会议", "F2": "fact:中心组学习", "F3": "fact:参学党员", "S2": "chunk:s2"}


def resolve(label: str) -> str | None:
    return TARGETS.get(label)


@pytest.mark.parametrize(
    "marker",
    ["〔F1〕", "[F1]", "【F1】", "（F1）", "(F1)", "〔 F1 〕", "【F1】"],
)
def test_every_bracket_variant_is_read_and_stripped(marker: str) -> None:
    parsed = parse_citations(f"县委召开常委会议12次{marker}。", resolve)
    assert parsed.text == "县委召开常委会议12次。"
    assert [c.refs for c in parsed.citations] == [("F1",)]
    assert parsed.issues == [] and parsed.labels == ["F1"]


@pytest.mark.parametrize(
    "joined", ["【F1、S2】", "〔F1,S2〕", "[F1，S2]", "〔F1；S2〕", "〔F1/S2〕", "〔F1 S2〕"]
)
def test_joined_labels_become_one_citation_with_both_refs(joined: str) -> None:
    parsed = parse_citations(f"召开常委会议12次{joined}。", resolve)
    assert parsed.text == "召开常委会议12次。"
    (c,) = parsed.citations
    assert c.refs == ("F1", "S2") and c.targets == ("fact:常委会议", "chunk:s2")


def test_text_without_a_label_in_brackets_is_left_alone() -> None:
    raw = "要求【待补充：文件名称】落实到位（见附件）。"
    parsed = parse_citations(raw, resolve)
    assert parsed.text == raw and parsed.citations == [] and parsed.issues == []


@pytest.mark.parametrize(
    "raw",
    [
        "一是加强领导。县委召开常委会议12次〔F1〕。二是深化学习。",  # before the stop
        "一是加强领导。县委召开常委会议12次。〔F1〕二是深化学习。",  # after the stop
    ],
)
def test_span_points_at_the_sentence_the_marker_ends(raw: str) -> None:
    parsed = parse_citations(raw, resolve)
    text = parsed.text
    assert text == "一是加强领导。县委召开常委会议12次。二是深化学习。"
    (c,) = parsed.citations
    assert text[c.start : c.end] == "县委召开常委会议12次。" == c.sentence
    assert c.targets == ("fact:常委会议",)


def test_spans_across_paragraphs_and_repeated_labels() -> None:
    raw = (
        "县委召开常委会议12次〔F1〕、中心组学习8次〔F2〕〔F1〕。\n"
        "参学党员3560名〔F3〕。\n"
        "下步将持续推进〔S2〕。"
    )
    parsed = parse_citations(raw, resolve)
    assert "〔" not in parsed.text
    spans = [(parsed.text[c.start : c.end].strip(), c.refs) for c in parsed.citations]
    assert spans == [
        ("县委召开常委会议12次、中心组学习8次。", ("F1", "F2")),
        ("参学党员3560名。", ("F3",)),
        ("下步将持续推进。", ("S2",)),
    ]
    assert parsed.labels == ["F1", "F2", "F3", "S2"]
    assert parsed.issues == []


def test_unknown_label_is_a_ci001_error_on_its_sentence() -> None:
    parsed = parse_citations("工作有序推进。派出巡回指导组6个〔F9、F1〕。", resolve)
    (issue,) = [i for i in parsed.issues if i.rule == "CI001"]
    assert issue.severity == "error"
    assert parsed.text[issue.start : issue.end] == "派出巡回指导组6个。" == issue.text
    assert "F9" in issue.message and "〔F9、F1〕" in issue.message
    # the known label of the same marker still counts
    assert [c.refs for c in parsed.citations] == [("F1",)] and parsed.labels == ["F1"]


def test_uncited_sentence_with_a_figure_is_a_ci002_warning() -> None:
    parsed = parse_citations("县委召开常委会议12次〔F1〕。全县参学党员3560名。", resolve)
    (issue,) = parsed.issues
    assert issue.rule == "CI002" and issue.severity == "warning"
    assert parsed.text[issue.start : issue.end] == "全县参学党员3560名。"
    assert "3560" in issue.message


@pytest.mark.parametrize(
    "raw", ["2024年以来，工作有序推进。", "各项工作扎实推进，成效明显。", "【待补充：会议次数】。"]
)
def test_sentences_without_figures_or_with_only_years_need_no_marker(raw: str) -> None:
    assert parse_citations(raw, resolve).issues == []


def test_an_answer_of_only_markers_does_not_crash() -> None:
    parsed = parse_citations("〔F1〕", resolve)
    assert parsed.text == "" and parsed.citations == [] and parsed.issues == []
    parsed = parse_citations("〔F9〕", resolve)
    assert [i.rule for i in parsed.issues] == ["CI001"]


def test_closing_quote_stays_with_its_sentence() -> None:
    text = "他说：“要抓落实。”下一句。\n”末尾。"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "他说：“要抓落实。”",
        "下一句。",
        "\n",
        "”末尾。",
    ]
    parsed = parse_citations("全年开展“四下基层”12次。”〔F1〕随后推进。", resolve)
    (c,) = parsed.citations
    assert c.sentence == "全年开展“四下基层”12次。”" and parsed.issues == []


def test_targets_resolve_through_the_evidence_set() -> None:
    sheet = FactSheet.model_validate(
        {
            "facts": [
                {"key": "常委会议", "value": 12, "unit": "次"},
                {"key": "参学党员", "value": 3560, "unit": "名"},
            ]
        }
    )
    passage = Passage("c-17", "d-1", "某某汇报", "a.md", "", "正文", 1.0, kb="draft-x")
    exemplar = Passage("c-42", "d-2", "范文", "b.md", "", "正文", 1.0)
    evidence = EvidenceSet(
        sheet,
        {"F2": sheet.facts[1]},
        sources=[LabelledPassage("S1", passage)],
        exemplars=[LabelledPassage("E1", exemplar)],
    )
    raw = "参学党员3560名〔F2〕。召开会议〔S1、E1〕。另有〔F1〕。"
    parsed = parse_citations(raw, evidence.target)
    assert [c.targets for c in parsed.citations] == [
        ("fact:参学党员",),
        ("chunk:c-17", "chunk:c-42"),
    ]
    # F1 is a real fact but was not shown for this section: it names no evidence here
    assert [i.rule for i in parsed.issues] == ["CI001"]


def test_the_reports_period_and_unit_need_no_marker() -> None:
    raw = "2025年1—10月，市12345热线中心扎实推进各项工作。受理诉求9720件〔F1〕。办结8000件。"
    parsed = parse_citations(
        raw, lambda label: "fact:受理诉求", plain=("2025年1—10月", "市12345热线中心")
    )
    unmarked = [i.text for i in parsed.issues if i.rule == "CI002"]
    assert unmarked == ["办结8000件。"]
