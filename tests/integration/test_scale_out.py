"""The scale-out set-up of README "Deployment at scale", in real processes on 127.0.0.1.

One ``chroma run`` (``ASSISTANT_CHROMA_URL``), one PostgreSQL database (``ASSISTANT_DATABASE_URL``,
a throwaway cluster from ``tests/postgres.py``) and two ``assistant serve`` workers, each with a
data dir of its own (its BM25 copy and embedding cache), started by the console script with
their settings in the environment, as a deployment starts them. Users are added beforehand with
``assistant users add``. The test plays the load balancer: it sends each request to one worker
or the other and, being the trusted proxy (``ASSISTANT_TRUSTED_PROXIES=127.0.0.1``), names the
client in ``X-Forwarded-For``. Offline engine (no LLM), fake embeddings.

What must hold through two workers: an upload through one is listed and searched (hybrid, dense
and BM25) through the other, and its removal too; a draft through one is read through the
other; the login back-off is one count for both; concurrent edits spread over both never give a
500, keep every edit that was answered 2xx as a version of its own, and answer a stale base 409.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import psycopg
import pytest

from assistant.api.app import ADMIN_PASSWORD_FILE
from assistant.reports.access import report_kb
from tests.api.test_reports import SHEET, parse_events
from tests.integration.servers import free_port, running, stop, together
from tests.postgres import Cluster, postgres_cluster

__all__ = ["postgres_cluster"]  # the session's PostgreSQL server, a fixture

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

T = TypeVar("T")
BIN = Path(sys.executable).parent  # the venv's console scripts: assistant, chroma
PASSWORD = "correct-horse-battery"
USERS = {"dora": "drafter", "dan": "drafter", "lena": "drafter"}
PROXY = "127.0.0.1"  # the load balancer's address, trusted for X-Forwarded-For
SECTION = "work_1"
LOGIN = "/api/v1/auth/login"
START_TIMEOUT = 90  # seconds for both workers to answer /health


@dataclass
class Deployment:
    workers: list[httpx.Client]
    database_url: str
    data_dirs: list[Path]
    logs: list[Path]


def _env(**settings: object) -> dict[str, str]:
    """This process's environment without any ASSISTANT_/OPENAI_ variable, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "OPENAI_"))}
    env.update({f"ASSISTANT_{name.upper()}": str(value) for name, value in settings.items()})
    return env


def _assistant(args: list[str], env: dict[str, str], cwd: Path, stdin: str = "") -> None:
    cmd = [str(BIN / "assistant"), *args]
    result = subprocess.run(
        cmd, input=stdin, env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"{' '.join(cmd)}: {result.stdout}{result.stderr}"


def _wait_ready(procs: list[subprocess.Popen[bytes]], ports: list[int], logs: list[Path]) -> None:
    """Every worker answers /health within the deadline; one that exits fails with its log."""
    deadline = time.monotonic() + START_TIMEOUT
    waiting = dict(enumerate(ports))
    while waiting:
        for i, port in list(waiting.items()):
            if procs[i].poll() is not None:
                raise RuntimeError(
                    f"worker {i} exited ({procs[i].returncode}) at start:\n"
                    + logs[i].read_text(errors="replace")[-3000:]
                )
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    del waiting[i]
            except httpx.HTTPError:
                pass
        if waiting and time.monotonic() > deadline:
            raise RuntimeError(f"workers {sorted(waiting)} not ready after {START_TIMEOUT}s")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def deployment(
    postgres_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    """Chroma server, a new PostgreSQL database, two workers started at once on it (they
    migrate in turn and one of them creates the first admin), then the users added with the
    CLI while they run."""
    root = tmp_path_factory.mktemp("scale-out")
    with ExitStack() as stack:  # unwound in reverse on any failure: workers, chroma, database
        database = postgres_cluster.create_database()
        stack.callback(postgres_cluster.drop_database, database)
        url = postgres_cluster.url(database)
        chroma_port = free_port()
        chroma = [str(BIN / "chroma"), "run", "--path", str(root / "chroma")]
        chroma += ["--host", "127.0.0.1", "--port", str(chroma_port)]
        stack.enter_context(
            running(
                chroma,
                f"http://127.0.0.1:{chroma_port}/api/v2/heartbeat",
                log=root / "chroma.log",
                cwd=root,
            )
        )
        shared = {
            "database_url": url,
            "chroma_url": f"http://127.0.0.1:{chroma_port}",
            "embeddings_provider": "fake",
            "trusted_proxies": PROXY,
        }
        ports = [free_port(), free_port()]
        data_dirs = [root / f"worker-{name}" for name in ("a", "b")]
        logs = [root / f"worker-{name}.log" for name in ("a", "b")]
        procs = []
        for port, data_dir, log in zip(ports, data_dirs, logs, strict=True):
            out = stack.enter_context(open(log, "wb"))
            cmd = [str(BIN / "assistant"), "serve", "--host", "127.0.0.1", "--port", str(port)]
            env = _env(data_dir=data_dir, **shared)
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=root)
            stack.callback(stop, proc)
            procs.append(proc)
        _wait_ready(procs, ports, logs)
        for name, role in USERS.items():  # the CLI on the same database, as an admin does it
            _assistant(
                ["users", "add", name, "--role", role, "--password-stdin"],
                _env(data_dir=root / "admin", **shared),
                root,
                PASSWORD + "\n",
            )
        clients = [
            stack.enter_context(httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60))
            for port in ports
        ]
        yield Deployment(workers=clients, database_url=url, data_dirs=data_dirs, logs=logs)


def login(worker: httpx.Client, name: str) -> dict[str, str]:
    r = worker.post(LOGIN, json={"username": name, "password": PASSWORD})
    assert r.status_code == 200, r.text
    worker.cookies.clear()  # by header: the cookie would need CSRF headers on writes
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def new_report(worker: httpx.Client, h: dict[str, str]) -> int:
    r = worker.post("/api/v1/reports", json=SHEET, headers=h)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def section_path(rid: int) -> str:
    return f"/api/v1/reports/{rid}/sections/{SECTION}"


def kept(worker: httpx.Client, h: dict[str, str], rid: int) -> dict[int, tuple[int, str]]:
    """Every stored version of the section: id → (number, text)."""
    r = worker.get(f"{section_path(rid)}/versions", headers=h)
    assert r.status_code == 200, r.text
    out = {}
    for v in r.json():
        one = worker.get(f"{section_path(rid)}/versions/{v['id']}", headers=h)
        assert one.status_code == 200, one.text
        out[int(v["id"])] = (int(v["version"]), str(one.json()["text"]))
    return out


def edit_text(i: int) -> str:
    return f"县委召开常委会议12次，派出巡回指导组6个。第{i + 1}稿补充了组织领导的做法。"


def texts(r: httpx.Response) -> list[str]:
    assert r.status_code == 200, r.text
    return [str(hit["text"]) for hit in r.json()]


# -- start-up ---------------------------------------------------------------------------------


def test_workers_started_at_once_on_a_new_database_make_one_first_admin(
    deployment: Deployment,
) -> None:
    """Both came up (the fixture waits for both); one created ``admin`` and wrote its password
    to its own data dir, which signs in through either worker."""
    files = [
        d / ADMIN_PASSWORD_FILE for d in deployment.data_dirs if (d / ADMIN_PASSWORD_FILE).exists()
    ]
    assert len(files) == 1, files
    password = files[0].read_text(encoding="utf-8").strip()
    for worker in deployment.workers:
        r = worker.post(LOGIN, json={"username": "admin", "password": password})
        assert r.status_code == 200, r.text
        worker.cookies.clear()
    with psycopg.connect(deployment.database_url, connect_timeout=10) as conn:
        names = [row[0] for row in conn.execute("SELECT username FROM users ORDER BY id")]
    assert names == ["admin", *USERS]


# -- uploads and search -----------------------------------------------------------------------

PHRASE = "全县新建村级电商服务站37个，带动农产品网络销售额2.6亿元。"


def test_an_upload_through_one_worker_is_found_through_the_other(
    deployment: Deployment,
) -> None:
    a, b = deployment.workers
    dora = login(a, "dora")
    assert b.get("/api/v1/auth/me", headers=dora).json()["username"] == "dora"  # one token table
    rid = new_report(a, dora)
    data = f"# 电商进农村工作情况\n\n{PHRASE}\n".encode()
    r = a.post(
        "/api/v1/documents",
        headers=dora,
        files={"file": ("电商情况.md", data)},
        data={"report_id": str(rid)},
    )
    assert r.status_code == 201, r.text
    upload = r.json()
    assert upload["report_id"] == rid and upload["chunks"] >= 1

    listed = b.get("/api/v1/documents", params={"report_id": rid}, headers=dora)
    assert listed.status_code == 200, listed.text
    assert [(u["id"], u["filename"]) for u in listed.json()] == [(upload["id"], "电商情况.md")]
    # dense from the shared store; BM25 from worker B's own copy, rebuilt at the new revision
    for mode in ("hybrid", "dense", "bm25"):
        found = b.get(
            "/api/v1/search",
            params={"q": "村级电商服务站", "report_id": rid, "mode": mode},
            headers=dora,
        )
        assert any("电商服务站37个" in t for t in texts(found)), (mode, found.json())
    # scoping holds on the other worker too: not dan's report
    dan = login(b, "dan")
    assert (
        b.get("/api/v1/search", params={"q": "电商", "report_id": rid}, headers=dan).status_code
        == 404
    )
    assert b.get("/api/v1/documents", params={"report_id": rid}, headers=dan).status_code == 404

    # a draft through B takes its S passages from the upload made through A
    r = b.post(f"{section_path(rid)}/draft", json={"base_version": 0}, headers=dora)
    name, done = parse_events(r.text)[-1]
    assert name == "done", r.text[-500:]
    version = a.get(f"{section_path(rid)}/versions/{done['version_id']}", headers=dora).json()
    sources = [x for x in version["provenance"]["passages"] if x["label"].startswith("S")]
    assert [(x["label"], x["kb"], x["title"]) for x in sources] == [
        ("S1", report_kb(rid), "电商进农村工作情况")
    ]

    # and a removal through B is seen through A, whose BM25 copy was built before it
    assert any("电商服务站37个" in t for t in texts(a.get(
        "/api/v1/search", params={"q": "村级电商服务站", "report_id": rid, "mode": "bm25"}, headers=dora
    )))  # fmt: skip
    assert b.delete(f"/api/v1/documents/{upload['id']}", headers=dora).status_code == 204
    assert a.get("/api/v1/documents", params={"report_id": rid}, headers=dora).json() == []
    for mode in ("hybrid", "dense", "bm25"):
        found = a.get(
            "/api/v1/search",
            params={"q": "村级电商服务站", "report_id": rid, "mode": mode},
            headers=dora,
        )
        assert not any("电商服务站" in t for t in texts(found)), (mode, found.json())


# -- drafts -----------------------------------------------------------------------------------


def test_a_draft_through_one_worker_is_read_through_the_other(deployment: Deployment) -> None:
    a, b = deployment.workers
    dora = login(a, "dora")
    rid = new_report(a, dora)
    r = a.post(f"{section_path(rid)}/draft", json={"base_version": 0}, headers=dora)
    assert r.status_code == 200, r.text
    events = parse_events(r.text)
    name, done = events[-1]
    assert name == "done", events[-3:]
    assert done["version"] == 1 and done["unchanged"] is False
    streamed = "".join(data["text"] for name, data in events if name == "token")

    versions = b.get(f"{section_path(rid)}/versions", headers=dora)
    assert versions.status_code == 200, versions.text
    assert [(v["id"], v["version"]) for v in versions.json()] == [(done["version_id"], 1)]
    one = b.get(f"{section_path(rid)}/versions/{done['version_id']}", headers=dora)
    assert one.status_code == 200, one.text
    # the stored text is the streamed one without its citation markers (〔F1〕 …)
    assert one.json()["text"] == re.sub(r"〔[A-Z]+\d+〕", "", streamed)
    assert "〔F1〕" in streamed and "12次" in one.json()["text"]
    (cited,) = [data for name, data in events if name == "citations"]
    assert one.json()["citations"] == cited["citations"] and cited["citations"]
    assert one.json()["engine"] == done["engine"] == "offline"
    report = b.get(f"/api/v1/reports/{rid}", headers=dora).json()
    (section,) = [s for s in report["sections"] if s["id"] == SECTION]
    assert section["current_version"]["version"] == 1

    # an edit through B on that base; A's stale redraft of version 1 is then refused
    edit = b.put(section_path(rid), json={"text": edit_text(0), "base_version": 1}, headers=dora)
    assert edit.status_code == 200 and edit.json()["version"] == 2, edit.text
    stale = a.post(
        f"{section_path(rid)}/draft", json={"base_version": 1, "overwrite": True}, headers=dora
    )
    assert stale.status_code == 409, stale.text
    assert stale.json()["detail"]["code"] == "stale_base"
    assert stale.json()["detail"]["current_version"] == 2
    assert [v["version"] for v in a.get(f"{section_path(rid)}/versions", headers=dora).json()] == [
        2,
        1,
    ]


# -- the login limit --------------------------------------------------------------------------


def test_the_login_limit_is_one_count_for_both_workers(deployment: Deployment) -> None:
    """README: the first ASSISTANT_LOGIN_FREE_ATTEMPTS (5) per account are free, then each
    further one waits 1, 2, 4 … s; counted in the database, so for every worker. Each worker
    alone sees at most 3 failures here: a per-process limit would never answer 429."""
    a, b = deployment.workers
    workers = [a, b]

    def guess(i: int, password: str = "wrong-guess-1") -> httpx.Response:
        # every attempt from another client address, as the load balancer forwards it
        return workers[i % 2].post(
            LOGIN,
            json={"username": "lena", "password": password},
            headers={"X-Forwarded-For": f"203.0.113.{i + 1}"},
        )

    assert [guess(i).status_code for i in range(4)] == [401] * 4  # A, B, A, B
    # the fifth and five more at once, three on each worker: one is free, the rest wait
    burst = together(6, lambda i: guess(4 + i))
    assert Counter(r.status_code for r in burst) == {401: 1, 429: 5}, [r.text for r in burst]
    for r in burst:
        if r.status_code == 429:
            assert r.json()["detail"].startswith("登录尝试过于频繁")
            assert 1 <= int(r.headers["Retry-After"]) <= 2
    # the owner, with the right password, waits too (the attempt counts before the password)
    owner = guess(11, PASSWORD)
    assert owner.status_code == 429, owner.text

    with psycopg.connect(deployment.database_url, connect_timeout=10) as conn:
        rows = dict(conn.execute("SELECT key, failures FROM login_throttle").fetchall())
    assert rows["user:lena"] == 5
    # per client by the forwarded address (the proxy is trusted): five counted, one each
    forwarded = {k: v for k, v in rows.items() if k.startswith("addr:203.0.113.")}
    assert len(forwarded) == 5 and set(forwarded.values()) == {1}

    # a back-off, not a lock-out: after Retry-After the owner gets in, on the other worker
    time.sleep(int(owner.headers["Retry-After"]))
    assert guess(12, PASSWORD).status_code == 200
    with psycopg.connect(deployment.database_url, connect_timeout=10) as conn:
        left = conn.execute("SELECT count(*) FROM login_throttle WHERE key = 'user:lena'")
        assert left.fetchone() == (0,)  # the streak ended


# -- concurrent edits -------------------------------------------------------------------------


def _stale(r: httpx.Response, base: int) -> dict[str, Any]:
    detail: dict[str, Any] = r.json()["detail"]
    assert detail["code"] == "stale_base" and detail["base_version"] == base, detail
    assert detail["current_version"] > base, detail
    return detail


def test_sixteen_edits_from_one_base_over_both_workers_one_wins(deployment: Deployment) -> None:
    a, b = deployment.workers
    workers = [a, b]
    dora = login(a, "dora")
    rid = new_report(a, dora)
    first = b.put(section_path(rid), json={"text": edit_text(100), "base_version": 0}, headers=dora)
    assert first.status_code == 200 and first.json()["version"] == 1, first.text

    answers = together(
        16,
        lambda i: workers[i % 2].put(
            section_path(rid), json={"text": edit_text(i), "base_version": 1}, headers=dora
        ),
    )
    assert Counter(r.status_code for r in answers) == {200: 1, 409: 15}, [r.text for r in answers]
    (i,) = [i for i, r in enumerate(answers) if r.status_code == 200]
    won = answers[i].json()
    assert won["version"] == 2
    for r in answers:
        if r.status_code == 409:
            detail = _stale(r, 1)
            assert (detail["current_version"], detail["current_version_id"]) == (
                2,
                won["version_id"],
            )
    assert sorted(kept(a, dora, rid).values()) == [(1, edit_text(100)), (2, edit_text(i))]


def test_concurrent_editors_over_both_workers_lose_nothing(deployment: Deployment) -> None:
    """Eight editors, each reading the section through one worker and saving through the other
    with that base, until saved: every save a distinct version, every conflict a 409."""
    a, b = deployment.workers
    workers = [a, b]
    dora = login(a, "dora")
    rid = new_report(b, dora)
    attempts = 40  # per editor: bounded (eight editors need at most eight rounds in turn)

    def edit_until_saved(i: int) -> list[tuple[int, httpx.Response]]:
        tried = []
        for attempt in range(attempts):
            reader, writer = workers[(i + attempt) % 2], workers[(i + attempt + 1) % 2]
            report = reader.get(f"/api/v1/reports/{rid}", headers=dora)
            assert report.status_code == 200, report.text
            (section,) = [s for s in report.json()["sections"] if s["id"] == SECTION]
            base = section["current_version"]["version"] if section["current_version"] else 0
            r = writer.put(
                section_path(rid),
                json={"text": edit_text(i)},
                headers={**dora, "If-Match": f'"{base}"'},
            )
            tried.append((base, r))
            if r.status_code != 409:
                break
        return tried

    runs = together(8, edit_until_saved)
    statuses = Counter(r.status_code for run in runs for _, r in run)
    assert set(statuses) == {200, 409} or set(statuses) == {200}, statuses  # no 500, nothing else
    for run in runs:
        assert run[-1][1].status_code == 200, f"not saved in {attempts} attempts"
        for base, r in run[:-1]:
            _stale(r, base)
    saved = {i: run[-1][1].json() for i, run in enumerate(runs)}
    assert all(s["unchanged"] is False for s in saved.values())
    stored = kept(b, dora, rid)
    assert sorted(s["version"] for s in saved.values()) == list(range(1, 9))  # distinct numbers
    for i, s in saved.items():  # each saved edit is the version it was answered with
        assert stored[s["version_id"]] == (s["version"], edit_text(i))
    assert len(stored) == 8


def test_edits_without_a_base_over_both_workers_all_get_their_own_version(
    deployment: Deployment,
) -> None:
    """Old clients name no base: every edit is saved (the last one current), never a 500."""
    a, b = deployment.workers
    workers = [a, b]
    dora = login(b, "dora")
    rid = new_report(a, dora)
    answers = together(
        12,
        lambda i: workers[i % 2].put(section_path(rid), json={"text": edit_text(i)}, headers=dora),
    )
    assert [r.status_code for r in answers] == [200] * 12, [r.text for r in answers]
    stored = kept(a, dora, rid)
    assert sorted(number for number, _ in stored.values()) == list(range(1, 13))
    for i, r in enumerate(answers):
        assert stored[r.json()["version_id"]] == (r.json()["version"], edit_text(i))


def test_the_workers_logged_no_unhandled_error(deployment: Deployment) -> None:
    for log in deployment.logs:
        text = log.read_text(errors="replace")
        assert "Traceback" not in text and "unhandled error" not in text, text[-3000:]
