"""A login flood against a real ``assistant serve`` on 127.0.0.1 (issue 18 item 4). Prints figures.

    python -m tests.benchmarks.bench_login [--attempts 400] [--seconds 20] [--mode both]

The server runs in its own process, so its RSS is its own (``/proc/<pid>/status``: VmRSS
before the flood, VmHWM, the peak, after). Attempts are sent at an even rate, each without
waiting for the last (at most ``--in-flight`` open at once), while another user, signed in
beforehand, reads ``GET /api/v1/reports`` every 100 ms; the p95 of those reads is the figure
that must stay under 1 s.

Modes:
- ``one-client``: the attack as found — one address guessing one account (X-Forwarded-For sent
  but not believed): the back-off stops it.
- ``distributed``: the server trusts 127.0.0.1 as a proxy and every attempt comes from a new
  forwarded address for a new user name, so no back-off applies: only the argon2 gate bounds
  the work.

Bounded: ``attempts`` requests over ``seconds``, each with a 30 s timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

from assistant.config import Settings
from assistant.services import build_services
from tests.integration.servers import free_port

PASSWORD = "bench-password-123"


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


async def _flood(
    base: str, attempts: int, seconds: float, in_flight: int, distributed: bool
) -> tuple[Counter[int], list[float], list[float]]:
    codes: Counter[int] = Counter()
    login_ms: list[float] = []
    other_ms: list[float] = []
    limits = httpx.Limits(max_connections=in_flight + 4)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as c:
        r = await c.post("/api/v1/auth/login", json={"username": "alice", "password": PASSWORD})
        r.raise_for_status()
        headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
        done = asyncio.Event()

        async def other_user() -> None:
            while not done.is_set():
                t = time.perf_counter()
                r = await c.get("/api/v1/reports", headers=headers)
                other_ms.append((time.perf_counter() - t) * 1000)
                if r.status_code != 200:
                    codes[-r.status_code] += 1  # negative: the other user's errors
                await asyncio.sleep(0.1)

        gate = asyncio.Semaphore(in_flight)

        async def attempt(i: int) -> None:
            async with gate:
                name = f"victim{i}" if distributed else "victim"
                xff = f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"
                t = time.perf_counter()
                try:
                    r = await c.post(
                        "/api/v1/auth/login",
                        json={"username": name, "password": f"guess-{i:06d}"},
                        headers={"X-Forwarded-For": xff},
                    )
                    codes[r.status_code] += 1
                except httpx.HTTPError:
                    codes[0] += 1
                login_ms.append((time.perf_counter() - t) * 1000)

        reader = asyncio.create_task(other_user())
        await asyncio.sleep(1.0)  # a second of quiet reads first: the baseline
        tasks = []
        for i in range(attempts):
            tasks.append(asyncio.create_task(attempt(i)))
            await asyncio.sleep(seconds / attempts)
        await asyncio.gather(*tasks)
        done.set()
        await reader
    return codes, login_ms, other_ms


def run(attempts: int, seconds: float, in_flight: int, distributed: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-login-") as tmp:
        data = Path(tmp) / "data"
        settings = Settings(data_dir=data, embeddings_provider="fake", _env_file=None)  # type: ignore[call-arg]
        services = build_services(settings)
        services.accounts.add("alice", PASSWORD, "drafter")
        services.accounts.add("victim", PASSWORD, "drafter")
        services.close()
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
        env |= {"ASSISTANT_DATA_DIR": str(data), "ASSISTANT_EMBEDDINGS_PROVIDER": "fake"}
        if distributed:
            env["ASSISTANT_TRUSTED_PROXIES"] = "127.0.0.1"
        cmd = [str(Path(sys.executable).parent / "assistant"), "serve", "--port", str(port)]
        log = Path(tmp) / "serve.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"serve did not start:\n{log.read_text()}")
                time.sleep(0.2)
            rss_before = _status_kb(proc.pid, "VmRSS")
            started = time.monotonic()
            codes, login_ms, other_ms = asyncio.run(
                _flood(base, attempts, seconds, in_flight, distributed)
            )
            took = time.monotonic() - started - 1.0
            peak = _status_kb(proc.pid, "VmHWM")
            rss_after = _status_kb(proc.pid, "VmRSS")
        finally:
            proc.terminate()
            proc.wait(timeout=15)
            errors = [ln for ln in log.read_text(errors="replace").splitlines() if "Error:" in ln]
    mode = "distributed (trusted proxy, new address and name each)" if distributed else "one-client"
    evaluated = codes[401] + codes[200]
    print(f"\n== login flood, {mode}: {attempts} attempts in {took:.1f} s ==")
    print(f"  answers: {dict(sorted(codes.items()))}  (401 = password checked)")
    print(f"  attempts evaluated: {evaluated}")
    print(
        f"  server RSS: {rss_before / 1024:.0f} MB before, peak {peak / 1024:.0f} MB, "
        f"{rss_after / 1024:.0f} MB after"
    )
    print(
        f"  login latency: p50 {statistics.median(login_ms):.0f} ms, "
        f"p95 {_pct(login_ms, 0.95):.0f} ms"
    )
    print(
        f"  other user's GET /api/v1/reports during the flood: n={len(other_ms)}, "
        f"p50 {statistics.median(other_ms):.0f} ms, p95 {_pct(other_ms, 0.95):.0f} ms, "
        f"max {max(other_ms):.0f} ms (target p95 < 1000 ms)"
    )
    if errors:
        print(f"  server log errors ({len(errors)}): {sorted(set(errors))[:8]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--attempts", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--in-flight", type=int, default=64)
    parser.add_argument("--mode", choices=["one-client", "distributed", "both"], default="both")
    args = parser.parse_args()
    modes = {"one-client": [False], "distributed": [True], "both": [False, True]}[args.mode]
    for distributed in modes:
        run(args.attempts, args.seconds, args.in_flight, distributed)


if __name__ == "__main__":
    main()
