"""The chat's own overhead before the first token. Prints figures.

    python -m tests.benchmarks.bench_chat [--runs 5] [--data DIR]

``plan_ms``: the rule planner on every labelled message of tests/evals/chat_messages*.yaml.
``to_first_token_ms``: from :meth:`ChatService.run` to the first ``token`` event for messages
whose first step answers without drafting (answer, gaps, check, ask, help) — the planning, the
message row, the report read and the step itself: all of it is ours. ``to_step_ms``: from ``run``
to the ``step`` event of a drafting message, i.e. what the chat adds before the drafting service
(whose own overhead bench_drafting measures) starts. Fake embeddings, a fresh SQLite data dir.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from assistant.chat.rules import plan
from assistant.chat.service import ChatService
from assistant.config import Settings
from assistant.evals.chat import _views
from assistant.reports.service import ReportService
from assistant.services import build_services
from tests.api.test_reports import SHEET

ROOT = Path(__file__).resolve().parents[2]
EVALS = ROOT / "tests" / "evals"
QUICK = [
    "开了几次常委会议？",
    "这份汇报还缺哪些数据？",
    "把全文检查一遍有没有错别字",
    "你好",
    "把那部分改一下",
]


def _figures(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return {"n": len(values), "p50": round(statistics.median(values), 2), "p95": round(p95, 2)}


def _plan_times() -> list[float]:
    import yaml

    from assistant.chat.plan import ReportView
    from assistant.drafting.templates import load_templates

    out: list[float] = []
    templates = load_templates()
    for path in sorted(EVALS.glob("chat_messages*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        views = _views(data, templates)
        for m in data["messages"]:
            v = views[m["report"]]
            v = ReportView(v.template, v.sections, last_section=m.get("last"))
            t = time.perf_counter()
            plan(m["text"], v)
            out.append((time.perf_counter() - t) * 1000)
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--data", type=Path)
    args = ap.parse_args(argv)
    data = args.data or Path(tempfile.mkdtemp(prefix="bench-chat-"))
    settings = Settings(data_dir=data, embeddings_provider="fake", _env_file=None)  # type: ignore[call-arg]
    services = build_services(settings)
    try:
        services.indexer.index([ROOT / "corpus"])
        user = services.accounts.add("bench", "bench-password-1", "drafter")
        rid = ReportService(services.db, services.templates).create(user, SHEET).id
        chat = ChatService.of(services)
        chat.run(chat.prepare(user, rid, "起草第一部分"), lambda e, d: None)  # warm the caches
        first_token: list[float] = []
        to_step: list[float] = []
        for _ in range(args.runs):
            for message in QUICK:
                t = time.perf_counter()
                job = chat.prepare(user, rid, message)
                seen: list[float] = []

                def on_event(
                    event: str, _: dict[str, Any], seen: list[float] = seen, t: float = t
                ) -> None:
                    if event == "token" and not seen:
                        seen.append((time.perf_counter() - t) * 1000)

                chat.run(job, on_event)
                first_token += seen
            t = time.perf_counter()
            job = chat.prepare(user, rid, "第一部分再精简一些")
            marks: list[float] = []

            def on_step(
                event: str, _: dict[str, Any], marks: list[float] = marks, t: float = t
            ) -> None:
                if event == "step" and not marks:
                    marks.append((time.perf_counter() - t) * 1000)

            chat.run(job, on_step)
            to_step += marks
        results = {
            "plan_ms": _figures(_plan_times()),
            "to_first_token_ms": _figures(first_token),
            "to_step_ms": _figures(to_step),
        }
    finally:
        services.close()
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return results


if __name__ == "__main__":
    main()
