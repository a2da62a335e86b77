"""The planted-error set is well formed and the rules catch it; corpus alarms are counted right;
clean 公文 sentences (legitimate reduplication, canonical terms, real uses of X) raise nothing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from assistant.checks.proofread import Proofreader
from assistant.checks.rulebook import load_rules
from assistant.evals.proofreading import (
    LABELLED,
    LabelError,
    corpus_alarms,
    evaluate,
    load_labelled,
    split_front_matter,
)

CATEGORIES = {
    "用词规范",
    "政治术语",
    "标题层次",
    "标点符号",
    "日期数字",
    "重复字词",
    "文种",
    "占位符",
}


def test_labelled_set_is_well_formed() -> None:
    raw = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["documents"]
    docs = load_labelled()
    assert 8 <= len(docs) <= 15
    rule_categories = {r.category for r in load_rules()}
    per_category: Counter[str] = Counter()
    for doc, entry in zip(docs, raw, strict=True):
        assert 300 <= len(doc.text) <= 800, doc.id
        for planted, err in zip(doc.errors, entry["errors"], strict=True):
            assert doc.text.count(err["text"]) == 1, (doc.id, err["text"])
            assert doc.text[planted.start : planted.end] == err["text"]
            assert planted.category in rule_categories, planted.category
            per_category[planted.category] += 1
    assert sum(per_category.values()) >= 110
    assert set(per_category) == CATEGORIES
    assert min(per_category.values()) >= 8, per_category


def test_planted_errors_are_caught() -> None:
    report = evaluate()
    assert report["recall"] >= 0.95, report["missed"]
    for category, row in report["per_category"].items():
        assert row["recall"] >= 0.85, (category, report["missed"])
    assert report["precision"] >= 0.9, report["extra_findings"]


def test_a_planted_text_must_occur_exactly_once(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "documents:\n  - id: d1\n    text: 的的确确的的\n"
        "    errors:\n      - {text: 的的, category: 重复字词}\n",
        encoding="utf-8",
    )
    with pytest.raises(LabelError, match=r"document d1: '的的' occurs 2 times"):
        load_labelled(path)


def test_recall_and_precision_are_computed_from_spans(tmp_path: Path) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(
        "documents:\n  - id: d1\n    genre: 工作汇报\n"
        "    text: 截止目前，已建立问题整改台账。以上汇报，请批示。\n"
        "    errors:\n      - {text: 截止目前, category: 用词规范}\n"
        "      - {text: 已建立, category: 用词规范}\n",
        encoding="utf-8",
    )
    report = evaluate(path)
    assert report["planted"] == 2 and report["caught"] == 1
    assert report["per_category"]["用词规范"]["recall"] == 0.5
    assert [m["text"] for m in report["missed"]] == ["已建立"]
    # 请批示 in a 汇报 is a real finding but overlaps no planted error: an extra finding.
    assert [e["text"] for e in report["extra_findings"]] == ["请批示"]
    assert report["precision"] == 0.5


def test_corpus_alarms_strip_front_matter_and_pass_the_genre(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        '---\ntitle: "x"\ngenre: "工作报告"\n---\n截止目前，全市已完成投资12亿元。以上报告，请批示。\n',
        encoding="utf-8",
    )
    (tmp_path / "b.md").write_text("全市已完成投资12亿元。以上报告，请批示。\n", encoding="utf-8")
    meta, body = split_front_matter((tmp_path / "a.md").read_text(encoding="utf-8"))
    assert meta["genre"] == "工作报告" and body.startswith("截止目前")
    report = corpus_alarms(sorted(tmp_path.glob("*.md")))
    assert report["files"] == 2
    # a.md: 截止目前 (everywhere) and 请批示 (only because its genre is a 报告); b.md has no genre.
    assert sorted(e["text"] for e in report["error_issues"]) == ["截止", "请批示"]
    assert {e["file"] for e in report["error_issues"]} == {"a.md"}
    assert report["errors"] == 2
    assert report["errors_per_10k"] == pytest.approx(2 * 10_000 / report["characters"])


CLEAN = [
    "谢谢大家。人人参与、层层落实、事事有回应，天天讲、常常抓，一一对账、个个过关。",
    "实实在在为群众办实事，的的确确把好事办好。为了了解基层实际，防止不了了之。",
    "通过电话、微信等方式征求意见。在农村等地区开展试点。",
    "截至目前，全市已建成5G基站1.2万个；申报截止日期为2024年5月31日。",
    "深入学习贯彻习近平新时代中国特色社会主义思想，以中国式现代化全面推进中华民族伟大复兴。",
    "增强“四个意识”、坚定“四个自信”、做到“两个维护”，深刻领悟“两个确立”的决定性意义。",
    "编制《全市国土空间总体规划（2021—2035年）》，办理时限压缩至15～30天，增长10%～20%。",
    "开展1+X证书制度试点，打造“7+3+X”发展格局，构建“4×4”现代化产业体系。",
    "到二〇三五年基本实现社会主义现代化。会议于2024年3月5日召开。",
]


@pytest.mark.parametrize("text", CLEAN)
def test_clean_text_raises_nothing(text: str) -> None:
    issues = Proofreader(confusables=[]).check(text, genre="工作报告")
    assert not issues, [(i.rule, i.text) for i in issues]


def test_held_out_planted_errors() -> None:
    """A set written by someone who had not seen the rules (tests/evals/proofreading_heldout.yaml).

    Measured 58 of 60 (0.967) after the near-miss check for political terms was added; the two
    misses (a two-digit year 24年度, a doubled 为为) are left as they are, so the set stays honest.
    """
    from pathlib import Path

    from assistant.evals.proofreading import evaluate

    r = evaluate(Path(__file__).parents[1] / "evals" / "proofreading_heldout.yaml")
    assert r["planted"] == 60 and r["recall"] >= 0.95
