"""What ``/v1/chat/completions`` adds to a chat message. Prints figures (target: < 20 ms).

    python -m tests.benchmarks.bench_openai_overhead [--runs 30] [--data DIR]

For each message, back to back and interleaved: ``chat_ms``, the chat itself in process
(:meth:`ChatService.prepare` + :meth:`ChatService.run`, the same work the route starts), and
``v1_ms`` / ``v1_stream_ms``, the same message through the real ``openai`` client to uvicorn on
127.0.0.1 with a personal API key (not streamed / streamed to ``[DONE]``): the key's look-up and
its audit row, the request's validation, the model's report check, the thread hand-off, the
reply's composition and notes, the ``chat.openai`` audit row, HTTP and the client's parsing.
``overhead_ms`` is the median of the per-message differences ``v1 − chat``. The messages are
ones the chat answers without drafting (an answer from the facts, the gaps, a check), so the
chat's own time is small and stable and the difference is the layer's. Fake embeddings, a
fresh SQLite data dir, the offline engine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import openai

from assistant.chat.service import ChatService
from assistant.config import Settings
from assistant.reports.service import ReportService
from tests.api.test_reports import SHEET
from tests.benchmarks.bench_api import Server

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = ["开了几次常委会议？", "这份汇报还缺哪些数据？", "参学党员有多少名？"]


def _figures(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"n": len(values), "p50": round(statistics.median(values), 2), "p95": round(p95, 2)}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30, help="rounds over the messages")
    ap.add_argument("--data", type=Path)
    args = ap.parse_args(argv)
    data = args.data or Path(tempfile.mkdtemp(prefix="bench-openai-"))
    settings = Settings(data_dir=data, embeddings_provider="fake", _env_file=None)  # type: ignore[call-arg]
    with Server(settings) as server:
        services = server.services
        services.indexer.index([ROOT / "corpus"])
        user = services.accounts.add("bench", "bench-password-1", "drafter")
        rid = ReportService(services.db, services.templates).create(user, SHEET).id
        _, key = services.api_keys.create(user, name="bench", scope="draft")
        chat = ChatService.of(services)
        client = openai.OpenAI(base_url=f"{server.url}/v1", api_key=key, max_retries=0)
        model = f"report-{rid}"

        def direct(message: str) -> float:
            t = time.perf_counter()
            chat.run(chat.prepare(user, rid, message), lambda e, d: None)
            return (time.perf_counter() - t) * 1000

        def v1(message: str) -> float:
            t = time.perf_counter()
            reply = client.chat.completions.create(
                model=model, messages=[{"role": "user", "content": message}]
            )
            assert reply.choices[0].message.content
            return (time.perf_counter() - t) * 1000

        def v1_stream(message: str) -> float:
            t = time.perf_counter()
            stream = client.chat.completions.create(
                model=model, messages=[{"role": "user", "content": message}], stream=True
            )
            text = "".join(c.choices[0].delta.content or "" for c in stream)
            assert text
            return (time.perf_counter() - t) * 1000

        for message in MESSAGES:  # warm caches, the connection pool and the checker
            direct(message), v1(message), v1_stream(message)
        chat_ms: list[float] = []
        v1_ms: list[float] = []
        stream_ms: list[float] = []
        overhead: list[float] = []
        stream_overhead: list[float] = []
        for _ in range(args.runs):
            for message in MESSAGES:
                a = direct(message)
                b = v1(message)
                c = v1_stream(message)
                chat_ms.append(a)
                v1_ms.append(b)
                stream_ms.append(c)
                overhead.append(b - a)
                stream_overhead.append(c - a)
        results = {
            "chat_ms": _figures(chat_ms),
            "v1_ms": _figures(v1_ms),
            "v1_stream_ms": _figures(stream_ms),
            "overhead_ms": _figures(overhead),
            "stream_overhead_ms": _figures(stream_overhead),
            "target_ms": 20,
        }
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return results


if __name__ == "__main__":
    main()
