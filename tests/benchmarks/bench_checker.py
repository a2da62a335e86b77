"""Checker speed: grounding plus proofreading over a 20,000-character report. Prints figures.

    python -m tests.benchmarks.bench_checker [--chars 20000] [--runs 21]

The text is real report prose (the 2025 政府工作报告 from ../shared/corpus, or the sample corpus
when ../shared is absent), cut to length; the fact sheet holds 40 facts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from assistant.checks.checker import Checker
from assistant.checks.grounding import Evidence, Source
from assistant.facts.sheet import FactSheet
from assistant.ingest.metadata import split_front_matter

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT.parent / "shared" / "corpus" / "2025_国务院_政府工作报告.md"


def sample_text(chars: int) -> str:
    files = [REPORT] if REPORT.exists() else sorted((ROOT / "corpus").glob("2*.md"))
    text = ""
    while len(text) < chars:
        for f in files:
            text += split_front_matter(f.read_text(encoding="utf-8"), str(f))[1]
    return text[:chars]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chars", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args(argv)
    text = sample_text(args.chars)
    sheet = FactSheet.model_validate(
        {
            "report": {"title": "2025年工作情况汇报", "period": "2025年", "date": "2025-12-20"},
            "facts": [{"key": f"指标{i}", "value": 100 + 37 * i, "unit": "个"} for i in range(40)],
        }
    )
    evidence = Evidence(
        facts=sheet, uploads=[Source("S1", text[:2000])], exemplars=[Source("E1", text[2000:4000])]
    )
    started = time.perf_counter()
    checker = Checker()
    load_ms = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        result = checker.check(text, evidence=evidence, genre="工作情况汇报")
        times.append((time.perf_counter() - t) * 1000)
    out = {
        "characters": len(text),
        "runs": args.runs,
        "rules_load_ms": round(load_ms, 1),
        "check_ms_median": round(statistics.median(times), 1),
        "check_ms_max": round(max(times), 1),
        "issues": len(result.issues),
        "quantities": len(result.grounded),
    }
    print(json.dumps(out, ensure_ascii=False))
    return out


if __name__ == "__main__":
    main()
