"""Cheap requests do not queue behind heavy work (issue 17, item 2): uploads run in a lane of
their own threads, and drafting streams take turns (``assistant/api/lanes.py``)."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.api.sse import Emit, events_from_thread
from assistant.config import Settings
from assistant.retrieval.embeddings import Embeddings
from assistant.services import Services
from tests.api.conftest import PASSWORD, login

SHEET = {"report": {"template": "工作情况汇报", "organization": "中共青川县委"}, "facts": []}


class HeldPassages:
    """Embeds like the given embeddings, but every passage batch waits for ``release``."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0
        self.nice: set[int] = set()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self.nice.add(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        try:
            assert self.release.wait(20), "the test never released the uploads"
            return self.inner.embed_documents(texts)
        finally:
            with self.lock:
                self.running -= 1

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"heavy_jobs": 1})


@pytest.fixture
def held(services: Services) -> HeldPassages:
    held = HeldPassages(services.embeddings.inner)
    services.embeddings.inner = held
    return held


@pytest.fixture
def client(settings: Settings, services: Services, held: HeldPassages) -> Iterator[TestClient]:
    services.accounts.add("dora", PASSWORD, "drafter")
    with TestClient(create_app(settings, services)) as c:

        async def few_threads() -> None:
            # Three shared threads instead of forty: three uploads could hold them all.
            anyio.to_thread.current_default_thread_limiter().total_tokens = 3

        c.portal.call(few_threads)  # type: ignore[union-attr]
        yield c
        held.release.set()


def test_uploads_being_embedded_leave_the_shared_threads_to_cheap_requests(
    client: TestClient, held: HeldPassages, tmp_path: Path
) -> None:
    h = login(client, "dora")
    rid = client.post("/api/v1/reports", json=SHEET, headers=h).json()["id"]
    answers: list[int] = []

    def upload(n: int) -> None:
        text = f"第{n}份材料：县委召开常委会议{n + 10}次，研究部署主题教育工作。".encode()
        r = client.post(
            "/api/v1/documents",
            headers=h,
            files={"file": (f"材料{n}.txt", text)},
            data={"report_id": str(rid)},
        )
        answers.append(r.status_code)

    uploads = [threading.Thread(target=upload, args=(n,)) for n in range(4)]
    for t in uploads:
        t.start()
    deadline = time.monotonic() + 10
    while held.running == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)  # the other three uploads are in by now, waiting for their turn
    read: list[int] = []
    reader = threading.Thread(
        target=lambda: read.append(client.get(f"/api/v1/reports/{rid}", headers=h).status_code)
    )
    reader.start()
    reader.join(5)
    answered_meanwhile = read == [200]
    held.release.set()
    for t in [reader, *uploads]:
        t.join(30)
    assert answered_meanwhile, "a read of the report waited behind four uploads"
    assert held.most == 1, "more uploads embedded at once than ASSISTANT_HEAVY_JOBS"
    assert answers == [201] * 4
    if sys.platform == "linux":  # the heavy work yields the CPU to requests
        assert held.nice == {os.getpriority(os.PRIO_PROCESS, 0) + 10}


def test_drafting_streams_take_turns_and_a_waiting_client_that_leaves_starts_nothing() -> None:
    turns = threading.BoundedSemaphore(1)
    first_may_end = threading.Event()
    started: list[str] = []

    def work(name: str) -> Callable[[Emit], None]:
        def run(emit: Emit) -> None:
            started.append(name)
            emit("token", {"text": name})
            if name == "first":
                assert first_may_end.wait(10)
            emit("done", {})

        return run

    async def scenario() -> list[str]:
        first = events_from_thread(work("first"), turns=turns, keepalive=0.1)
        assert (await anext(first)).startswith("event: token")
        second = events_from_thread(work("second"), turns=turns, keepalive=0.1)
        third = events_from_thread(work("third"), turns=turns, keepalive=0.1)
        assert await anext(second) == ": keep-alive\n\n"  # waiting for its turn, still alive
        assert await anext(third) == ": keep-alive\n\n"
        await third.aclose()  # this client gives up while waiting
        await asyncio.sleep(0.4)
        assert started == ["first"]
        first_may_end.set()
        rest = [e async for e in first]
        out = [e async for e in second if not e.startswith(":")]
        assert rest[-1].startswith("event: done")
        return out

    out = asyncio.run(scenario())
    assert out[0].startswith("event: token") and out[-1].startswith("event: done")
    time.sleep(0.5)
    assert started == ["first", "second"], "the client that left still had its draft run"


def test_drafts_are_limited_offline_and_not_behind_an_llm(settings: Settings) -> None:
    offline = settings.model_copy(update={"llm_model": None, "draft_jobs": None})
    llm = offline.model_copy(update={"llm_model": "m", "llm_base_url": "http://127.0.0.1:9/v1"})
    assert offline.effective_draft_jobs == 4 and llm.effective_draft_jobs == 0
    assert llm.model_copy(update={"draft_jobs": 2}).effective_draft_jobs == 2
