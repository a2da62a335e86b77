"""Word export speed: write and verify a 10,000-character report in GB/T 9704 format.

    python -m tests.benchmarks.bench_export [--chars 10000] [--runs 21]

The report is real 公文 prose from the sample corpus (corpus/*.md): its 一、 sections, with the
（一）/1. lines inside them, renumbered in order and cut to length; a long title (broken into
lines), a recipient, 落款 and date, two attachments, a citation per paragraph and a comment per
section. Times are medians over ``--runs`` after one warm-up (which loads jieba and is reported
on its own as ``first_export_ms``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from pathlib import Path
from typing import Any

from assistant.export import (
    ExportCitation,
    ExportComment,
    ExportReport,
    ExportSection,
    write_docx,
)
from assistant.export.layout import heading_level
from assistant.export.verify import verify_docx
from assistant.ingest.metadata import split_front_matter

ROOT = Path(__file__).resolve().parents[2]
_CN = "一二三四五六七八九十"


def _numeral(n: int) -> str:
    return _CN[n - 1] if n <= 10 else "十" + _CN[n - 11] if n < 20 else str(n)


def _sections(chars: int) -> list[tuple[str, list[str]]]:
    """(heading, lines) of the corpus's 一、 sections until ``chars`` characters are gathered."""
    out: list[tuple[str, list[str]]] = []
    total = 0
    while total < chars:
        for path in sorted((ROOT / "corpus").glob("2*.md")):
            body = split_front_matter(path.read_text(encoding="utf-8"), str(path))[1]
            for raw in body.split("\n"):
                line = raw.strip()
                if not line:
                    continue
                if heading_level(line) == 1:
                    out.append((line.split("、", 1)[1], []))
                elif out and total < chars:
                    out[-1][1].append(line)
                    total += len(line)
    return [(h, lines) for h, lines in out if lines]


def sample_report(chars: int) -> ExportReport:
    sections = []
    for n, (heading, lines) in enumerate(_sections(chars), 1):
        text = "\n".join(lines)
        citations = [
            ExportCitation(line.split("。")[0] + "。", ("F1",), (), "事实“示例”") for line in lines
        ]
        sections.append(ExportSection(f"s{n}", f"{_numeral(n)}、{heading}", text, citations))
    comments = [ExportComment(s.id, s.text[:20], "审核人", "请核实") for s in sections]
    return ExportReport(
        title="中共青川县委关于2024年学习贯彻习近平新时代中国特色社会主义思想主题教育工作情况的汇报",
        recipient="市委第二巡回指导组",
        organization="中共青川县委",
        date=dt.date(2024, 12, 20),
        sections=sections,
        attachments=["主题教育工作台账", "调研课题清单"],
        comments=comments,
    )


def _ms(fn: Any, runs: int) -> dict[str, float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "p50": round(statistics.median(times), 1),
        "p95": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
        "min": round(times[0], 1),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--chars", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args(argv)
    report = sample_report(args.chars)
    t = time.perf_counter()
    data = write_docx(report)
    first_ms = (time.perf_counter() - t) * 1000
    full = write_docx(report, footnotes=True, comments=True)
    out = {
        "characters": sum(len(s.text) for s in report.sections),
        "sections": len(report.sections),
        "paragraphs": sum(s.text.count("\n") + 2 for s in report.sections),
        "bytes": len(data),
        "first_export_ms": round(first_ms, 1),
        "export_ms": _ms(lambda: write_docx(report), args.runs),
        "export_footnotes_comments_ms": _ms(
            lambda: write_docx(report, footnotes=True, comments=True), args.runs
        ),
        "verify_ms": _ms(lambda: verify_docx(full), args.runs),
        "violations": len(verify_docx(full)),
        "target_export_ms": 300,
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return out


if __name__ == "__main__":
    main()
