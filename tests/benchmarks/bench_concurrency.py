"""Reliability of one section under concurrent changes across real worker processes: two
``assistant serve`` processes on one state database, edits and drafts fired at once, spread over
both. Prints 500s, conflicts and lost versions (targets: 0 × 500, 0 lost). Not a timed test.

    python -m tests.benchmarks.bench_concurrency [--edits 16] [--drafts 10] [--database-url URL]

Without ``--database-url`` the workers share a SQLite file in a temporary data dir (the
embedded default); with one (``postgresql://…``) they share that database, as the scale-out
set-up does. Embeddings are the hashing fake; drafting is the offline engine.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from assistant.config import Settings
from assistant.services import build_services
from tests.integration.servers import free_port, running, together

PASSWORD = "bench-password-123"
SHEET = {
    "report": {"template": "工作情况汇报", "title": "并发基准报告", "organization": "中共青川县委"},
    "facts": [{"key": "常委会议", "value": 12, "unit": "次"}],
}
SECTION = "work_1"


def outcome(r: httpx.Response) -> str:
    """What one request came to: ``ok``, ``unchanged``, ``conflict``, ``500``, ``error`` …"""
    if r.status_code == 409:
        return "conflict"
    if r.status_code != 200:
        return str(r.status_code)
    if not r.headers.get("content-type", "").startswith("text/event-stream"):
        return "unchanged" if r.json().get("unchanged") else "ok"
    last = [b for b in r.text.split("\n\n") if b.startswith("event: ")][-1]
    name, _, data = last.partition("\ndata: ")
    body = json.loads(data)
    if name == "event: done":
        return "unchanged" if body.get("unchanged") else "ok"
    if body.get("status") == 409:
        return "conflict"
    return "internal error" if body.get("detail") == "internal error" else "error"


def measure(workers: list[httpx.Client], edits: int, drafts: int) -> dict[str, Any]:
    login = workers[0].post("/api/v1/auth/login", json={"username": "dora", "password": PASSWORD})
    assert login.status_code == 200, login.text
    h = {"Authorization": f"Bearer {login.json()['access_token']}"}

    def new_section() -> str:
        rid = workers[0].post("/api/v1/reports", json=SHEET, headers=h).json()["id"]
        return f"/api/v1/reports/{rid}/sections/{SECTION}"

    def kept(path: str) -> list[int]:
        return sorted(v["version"] for v in workers[1].get(f"{path}/versions", headers=h).json())

    results: dict[str, Any] = {}
    path = new_section()
    workers[1].put(path, json={"text": "县委召开常委会议12次。"}, headers=h)
    answers = together(
        edits,
        lambda i: workers[i % 2].put(
            path, json={"text": f"县委召开常委会议12次。第{i}稿。", "base_version": 1}, headers=h
        ),
    )
    saved = sum(r.status_code == 200 for r in answers)
    results["edits_one_base"] = {
        **Counter(outcome(r) for r in answers),
        "lost": saved + 1 - len(kept(path)),
    }

    path = new_section()
    answers = together(
        edits, lambda i: workers[i % 2].put(path, json={"text": f"第{i}稿。"}, headers=h)
    )
    saved = sum(r.status_code == 200 for r in answers)
    results["edits_no_base"] = {
        **Counter(outcome(r) for r in answers),
        "lost": saved - len(kept(path)),
    }

    path = new_section()
    answers = together(drafts, lambda i: workers[i % 2].post(f"{path}/draft", json={}, headers=h))
    counts = Counter(outcome(r) for r in answers)
    results["drafts_one_section"] = {**counts, "lost": counts["ok"] - len(kept(path))}
    results["500s"] = sum(v.get("500", 0) + v.get("internal error", 0) for v in results.values())
    results["lost"] = sum(v["lost"] for k, v in results.items() if isinstance(v, dict))
    return results


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--edits", type=int, default=16)
    ap.add_argument("--drafts", type=int, default=10)
    ap.add_argument("--database-url", default=None)
    args = ap.parse_args(argv)
    saved_env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        # The workers read their settings from the environment, as a deployment's do.
        for name in [n for n in os.environ if n.startswith("ASSISTANT_")]:
            del os.environ[name]
        os.environ["ASSISTANT_DATA_DIR"] = str(Path(tmp) / "data")
        os.environ["ASSISTANT_EMBEDDINGS_PROVIDER"] = "fake"
        if args.database_url:
            os.environ["ASSISTANT_DATABASE_URL"] = args.database_url
        settings = Settings(  # type: ignore[call-arg]
            data_dir=Path(tmp) / "data",
            embeddings_provider="fake",
            database_url=args.database_url,
            _env_file=None,
        )
        services = build_services(settings)
        services.accounts.ensure_admin()  # migrates; the workers then find the schema ready
        services.accounts.add("dora", PASSWORD, "drafter")
        services.close()
        ports = [free_port(), free_port()]
        # The console script beside this interpreter: the command the deployment runs.
        cmd = [str(Path(sys.executable).parent / "assistant"), "serve", "--host", "127.0.0.1"]
        cmd.append("--port")
        logs = [Path(tmp) / f"worker-{p}.log" for p in ports]
        with (
            running([*cmd, str(ports[0])], f"http://127.0.0.1:{ports[0]}/health", log=logs[0]),
            running([*cmd, str(ports[1])], f"http://127.0.0.1:{ports[1]}/health", log=logs[1]),
        ):
            clients = [httpx.Client(base_url=f"http://127.0.0.1:{p}", timeout=120) for p in ports]
            try:
                results = measure(clients, args.edits, args.drafts)
            finally:
                for c in clients:
                    c.close()
                os.environ.clear()
                os.environ.update(saved_env)
    results["database"] = "postgresql" if args.database_url else "sqlite"
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return results


if __name__ == "__main__":
    main()
