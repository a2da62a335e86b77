"""The labelled grounding set is well formed, the scorer counts right, and the checker's figures.

Target (issue 4, "Measure"): every fabricated number flagged (recall 1.0), precision >= 0.95.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.evals.grounding import evaluate, load_cases
from assistant.facts.sheet import FactSheet
from tests.conftest import ROOT

LABELLED = ROOT / "tests" / "evals" / "grounding.yaml"


@functools.cache
def figures() -> dict[str, Any]:
    return evaluate(LABELLED)


def test_labelled_file_is_well_formed() -> None:
    data = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    sheets = data["sheets"]
    assert 4 <= len(sheets) <= 6
    for name, raw in sheets.items():
        body = {k: v for k, v in raw.items() if k not in ("uploads", "exemplars")}
        FactSheet.model_validate(body)  # raises when a sheet does not validate
        for passage in raw.get("uploads", []) + raw.get("exemplars", []):
            assert passage["id"] and passage["text"], name
    ids = [c["id"] for c in data["cases"]]
    assert len(ids) == len(set(ids)) >= 70
    for case in data["cases"]:
        assert case["sheet"] in sheets, case["id"]
        for sub in (case.get("fabricated") or []) + (case.get("supported") or []):
            assert isinstance(sub, str) and len(sub) >= 2, (case["id"], sub)
            assert case["text"].count(sub) == 1, (case["id"], sub)
    with_fabricated = sum(1 for c in data["cases"] if c.get("fabricated"))
    assert 0.35 <= with_fabricated / len(ids) <= 0.5
    _, cases = load_cases(LABELLED)  # the loader's own checks agree
    assert len(cases) == len(ids)


def test_loader_rejects_a_label_that_is_not_in_the_text(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "sheets: {s: {facts: []}}\n"
        "cases: [{id: x, sheet: s, text: 召开12次会议, fabricated: [13次], supported: []}]\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="x"):
        load_cases(bad)


def test_scoring_counts_hits_misses_and_false_alarms(tmp_path: Path) -> None:
    tiny = tmp_path / "tiny.yaml"
    tiny.write_text(
        """
sheets:
  s:
    report: {period: 2023年, date: 2023-12-31}
    facts: [{key: 会议, value: 12, unit: 次}]
    exemplars: [{id: E1, text: 参学党员4200名}]
cases:
  - {id: a, sheet: s, text: 召开会议12次，参学党员4200名。, fabricated: [4200名], supported: [12次]}
  - {id: b, sheet: s, text: 召开会议12次，新建道路17公里。, fabricated: [], supported: [12次]}
""",
        encoding="utf-8",
    )
    r = evaluate(tiny)
    assert (r["cases"], r["sheets"], r["fabricated"], r["supported"]) == (2, 1, 1, 2)
    assert r["recall"] == 1.0 and r["misses"] == []
    assert r["precision"] == 0.5  # 17公里 is unlabelled: an error there is a false alarm
    assert [(f["case"], f["labelled"]) for f in r["false_alarms"]] == [("b", "unlabelled")]
    assert r["false_alarms_on_supported"] == 0


def test_every_fabricated_number_is_flagged() -> None:
    r = figures()
    assert r["recall"] == 1.0, r["misses"]


def test_precision_reaches_the_target() -> None:
    r = figures()
    assert r["precision"] >= 0.95, r["false_alarms"]


HELDOUT = ROOT / "tests" / "evals" / "grounding_heldout.yaml"


def test_names_titles_and_totals_are_scored_by_kind() -> None:
    r = figures()
    names, titles = r["by_kind"]["name"], r["by_kind"]["title"]
    assert names["fabricated"] >= 14 and names["supported"] >= 15
    assert titles["fabricated"] >= 2
    assert names["recall"] == 1.0 and names["precision"] >= 0.95
    assert r["warnings_on_supported"] <= 3, r["warned_supported"]


def test_held_out_set_reaches_the_targets() -> None:
    # Issue 12: planted foreign names and wrong totals recall 1.0, precision >= 0.95.
    r = evaluate(HELDOUT)
    assert r["cases"] >= 30 and r["by_kind"]["name"]["fabricated"] >= 8
    assert r["recall"] == 1.0, r["misses"]
    assert r["precision"] >= 0.95, r["false_alarms"]


def test_second_held_out_set_rates_uploads_and_totals() -> None:
    # Written blind for rates, upload figures about other things and totals; scored once:
    # recall 0.941 (16 of 17), precision 1.0. Not tuned on: the floor keeps what was measured.
    r = evaluate(ROOT / "tests" / "evals" / "grounding_heldout2.yaml")
    assert r["cases"] >= 36
    assert r["recall"] >= 0.94 and r["precision"] >= 0.95, r["false_alarms"]


def test_a_name_label_is_scored_like_a_number(tmp_path: Path) -> None:
    tiny = tmp_path / "tiny.yaml"
    tiny.write_text(
        """
sheets:
  s:
    report: {organization: 中共青溪县委, period: 2024年, date: 2024-12-31}
    facts: []
    exemplars: [{id: E1, text: 云岭镇党委召开会议}]
cases:
  - {id: a, sheet: s, text: 青溪县委书记到云岭镇调研。, fabricated: [云岭镇], supported: [青溪县委]}
""",
        encoding="utf-8",
    )
    r = evaluate(tiny)
    assert r["by_kind"]["name"] == {
        "fabricated": 1,
        "supported": 1,
        "recall": 1.0,
        "precision": 1.0,
        "false_alarms_on_supported": 0,
    }


def test_correct_documents_raise_no_name_errors() -> None:
    from assistant.evals.grounding import name_alarms

    docs = sorted((ROOT / "corpus").glob("2*.md"))
    r = name_alarms(docs)
    assert r["documents"] == len(docs) and r["counts"]["GR006"] == 0
    # The 青川县 documents cite their city's (云州市) documents; front matter alone does not say
    # 云州 is their superior, so those titles are the only errors.
    assert {e["rule"] for e in r["errors"]} <= {"GR007"}
    assert all("云州" in e["text"] for e in r["errors"])
