"""Slot filling (the first offline engine's method, kept as the old measure) and the offline
engine on the example sheet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.checks.grounding import Evidence, Source, ground
from assistant.drafting.slots import apply_fills, fill_slots, find_slots
from assistant.drafting.templates import load_templates
from assistant.evals.offline import evaluate, load_cases
from assistant.facts.quantities import find_quantities
from assistant.facts.sheet import FactSheet, load_fact_sheet
from assistant.services import Services
from tests.conftest import ROOT, SEED

EVALS = ROOT / "tests" / "evals"
CORPUS = ROOT / "corpus"
EXAMPLE = ROOT / "docs" / "examples" / "主题教育汇报.yaml"
MARKER = re.compile(r"【待补充：[^】]*】")


def _sheet(**facts: tuple[object, str]) -> FactSheet:
    return FactSheet.model_validate(
        {
            "report": {"organization": "中共青溪县委", "period": "2025年3月以来"},
            "facts": [{"key": k, "value": v, "unit": u} for k, (v, u) in facts.items()],
        }
    )


def test_seed_placeholders_become_facts_meta_or_markers() -> None:
    text = "X委先后召开XX次常委会议、XXX次理论学习中心组会议，全X农村、社区等XXX家参学单位参加。"
    sheet = _sheet(常委会议=(9, "次"), 中心组学习=(14, "次"), 领导小组会议=(5, "次"))
    out = apply_fills(text, fill_slots(text, sheet))
    assert out == (
        "中共青溪县委先后召开9次常委会议、14次理论学习中心组会议，全县农村、社区等"
        "【待补充：参学单位数量】参学单位参加。"
    )


def test_period_at_the_head_and_as_of_date_come_from_the_report() -> None:
    sheet = FactSheet.model_validate(
        {"report": {"period": "2025年3月以来", "date": "2025-08-20"}, "facts": []}
    )
    text = "2023年9月份以来，各项工作有序推进。截至2023年12月20日，已完成整改15项。"
    out = apply_fills(text, fill_slots(text, sheet))
    assert out.startswith("2025年3月以来，")
    assert "截至2025年8月20日" in out
    assert "15项" not in out and "【待补充：整改数量】" in out


def test_units_and_context_pick_between_facts_of_the_same_unit() -> None:
    text = "全年召开常委会议12次，举办专题读书班3期，理论学习中心组学习18次。"
    sheet = _sheet(中心组学习=(14, "次"), 常委会议=(9, "次"), 读书班=(2, "期"))
    fills = {f.slot.text: f.fact for f in fill_slots(text, sheet)}
    assert fills == {"12次": "常委会议", "3期": "读书班", "18次": "中心组学习"}


def test_unit_mismatch_is_never_filled() -> None:
    text = "参学党员3560名。"
    fills = fill_slots(text, _sheet(参学党员=(126, "家")))
    assert fills[0].fact is None and fills[0].text.startswith("【待补充")


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("新建省级以上研发平台9个。", ("新建市级研发平台", 4, "个")),  # another level
        ("新增发明专利授权612件。", ("有效发明专利", 2300, "件")),  # stock, not flow
        ("其中10亿元以上项目4个。", ("50亿元以上项目", 2, "个")),  # another threshold
    ],
)
def test_a_similar_name_for_another_quantity_is_not_a_match(
    text: str, fact: tuple[str, int, str]
) -> None:
    key, value, unit = fact
    fills = fill_slots(text, _sheet(**{key: (value, unit)}))
    assert all(f.fact is None for f in fills)


def test_no_exemplar_figure_survives_in_the_sample_corpus() -> None:
    """With an empty fact sheet, every figure of every sample paragraph becomes a marker."""
    sheet = FactSheet.model_validate({"report": {"organization": "中共青溪县委"}, "facts": []})
    checked = 0
    for path in sorted(CORPUS.glob("*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        for para in filter(None, (p.strip() for p in body.split("\n"))):
            out = MARKER.sub("", apply_fills(para, fill_slots(para, sheet)))
            out = re.sub(r"《[^》]*》", "", out)  # titles are checked as titles, not figures
            left = [q.text for q in find_quantities(out) if q.kind != "year"]
            assert not left, f"{path.name}: {left} survived in {out[:80]}"
            checked += len(find_slots(para))
    assert checked > 300


@pytest.mark.parametrize("name", ["offline_slots.yaml", "offline_slots_heldout.yaml"])
def test_labelled_slot_sets_fill_well_and_leak_nothing(name: str) -> None:
    result = evaluate(EVALS / name)
    assert result["exemplar_figures_surviving"] == 0
    assert result["filled_correctly"] >= 0.85, result["mistakes"][:10]


def test_labelled_set_outputs_are_grounded_or_marked() -> None:
    for case in load_cases(EVALS / "offline_slots.yaml"):
        out = apply_fills(case.exemplar, fill_slots(case.exemplar, case.sheet))
        grounded, _ = ground(
            out, Evidence(facts=case.sheet, exemplars=[Source("E1", case.exemplar)])
        )
        assert not [g for g in grounded if g.status == "exemplar"], case.id


def test_seed_overview_with_the_example_sheet(shared_data: Path) -> None:
    sheet = load_fact_sheet(EXAMPLE)
    lines = SEED.read_text(encoding="utf-8").split("\n")
    overview = next(line for line in lines if "汇报如下" in line)
    out = apply_fills(overview, fill_slots(overview, sheet))
    assert out.startswith("2025年3月以来")
    assert "312家参学单位" in out and "8650名党员" in out
    assert "XX" not in out and "2023" not in out


def test_offline_drafter_end_to_end(services: Services) -> None:
    services.indexer.index([CORPUS], kb="corpus")
    sheet = load_fact_sheet(EXAMPLE)
    template = load_templates()["工作情况汇报"]
    draft = services.drafter.draft_section(sheet, template, "work_1")
    assert draft.provenance.engine == "offline"
    assert draft.provenance.engine_label == "离线范文模式"
    assert "〔" not in draft.text
    assert not [i for i in draft.issues if i.severity == "error"], draft.issues
    used = set(draft.provenance.facts_used)
    assert used == {"常委会议", "中心组学习", "领导小组会议", "巡回指导组"}
    for value in ("9次", "14次", "5次", "6个"):
        assert value in draft.text
    for c in draft.citations:
        assert all(t.startswith("fact:") for t in c.targets)
        assert c.sentence in draft.text
