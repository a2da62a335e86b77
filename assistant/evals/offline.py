"""Offline engine evaluation: share of slots filled correctly on a labelled set.

Owns the format of ``tests/evals/offline_slots.yaml``: exemplar paragraphs with a fact sheet and
every slot labelled with what must fill it (a fact key, ``report.<field>``, or null for
【待补充】). An engine slot that overlaps a labelled slot is scored against that label; a label
no engine slot overlaps is a miss. Leaks are the figures of the filled text that the grounding
check traces to the exemplar rather than to the fact sheet: the number that must stay zero.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from assistant.checks.grounding import Evidence, Source, ground
from assistant.drafting.slots import Fill, apply_fills, fill_slots
from assistant.facts.sheet import FactSheet


@dataclass(frozen=True)
class Label:
    start: int
    end: int
    text: str
    expect: str | None


@dataclass(frozen=True)
class Case:
    id: str
    exemplar: str
    sheet: FactSheet
    labels: tuple[Label, ...]


def load_cases(path: Path) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    for i, raw in enumerate(data["cases"]):
        where = f"cases[{i}] ({raw.get('id', '?')})"
        exemplar = str(raw["exemplar"])
        try:
            sheet = FactSheet.model_validate(
                {"report": raw.get("report", {}), "facts": raw.get("facts", [])}
            )
        except ValidationError as exc:
            raise ValueError(f"{where}: not a valid fact sheet ({exc})") from exc
        labels = []
        for j, s in enumerate(raw["slots"]):
            at, slot = str(s["at"]), str(s["slot"])
            if exemplar.count(at) != 1 or slot not in at:
                raise ValueError(f"{where}.slots[{j}]: {at!r} must occur once and hold {slot!r}")
            start = exemplar.index(at) + at.index(slot)
            expect = s.get("expect")
            labels.append(
                Label(start, start + len(slot), slot, None if expect is None else str(expect))
            )
        cases.append(Case(str(raw["id"]), exemplar, sheet, tuple(labels)))
    return cases


def _overlapping(label: Label, fills: list[Fill]) -> Fill | None:
    best, size = None, 0
    for f in fills:
        common = min(label.end, f.slot.end) - max(label.start, f.slot.start)
        if common > size:
            best, size = f, common
    return best


def evaluate(path: Path) -> dict[str, Any]:
    cases = load_cases(path)
    counts: Counter[str] = Counter()
    mistakes: list[dict[str, Any]] = []
    leaks = 0
    for case in cases:
        fills = fill_slots(case.exemplar, case.sheet)
        for label in case.labels:
            fill = _overlapping(label, fills)
            got = fill.target if fill else "(no slot)"
            kind = (
                "fact"
                if label.expect and not label.expect.startswith("report.")
                else ("meta" if label.expect else "missing")
            )
            counts[f"{kind}_total"] += 1
            if fill is not None and got == label.expect:
                counts[f"{kind}_correct"] += 1
            else:
                mistakes.append(
                    {"case": case.id, "slot": label.text, "expect": label.expect, "got": got}
                )
        filled = apply_fills(case.exemplar, fills)
        evidence = Evidence(facts=case.sheet, exemplars=[Source("E1", case.exemplar)])
        grounded, _ = ground(filled, evidence)
        leaks += sum(g.status == "exemplar" for g in grounded)
        counts["engine_slots"] += len(fills)
    total = sum(counts[f"{k}_total"] for k in ("fact", "meta", "missing"))
    correct = sum(counts[f"{k}_correct"] for k in ("fact", "meta", "missing"))

    def share(kind: str) -> float:
        return (
            round(counts[f"{kind}_correct"] / counts[f"{kind}_total"], 3)
            if counts[f"{kind}_total"]
            else 0.0
        )

    return {
        "cases": len(cases),
        "slots": total,
        "filled_correctly": round(correct / total, 3) if total else 0.0,
        "by_expectation": {k: share(k) for k in ("fact", "meta", "missing")},
        "exemplar_figures_surviving": leaks,
        "mistakes": mistakes,
    }
