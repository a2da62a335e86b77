"""ASSISTANT_CHROMA_URL: index and search against a real `chroma run` on 127.0.0.1."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.services import build_services
from tests.conftest import write
from tests.integration.servers import free_port, running

pytestmark = pytest.mark.slow


def test_index_and_search_on_a_chroma_server(tmp_path: Path) -> None:
    chroma = Path(sys.executable).parent / "chroma"
    port = free_port()
    cmd = [
        str(chroma),
        "run",
        "--path",
        str(tmp_path / "srv"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with running(cmd, f"http://127.0.0.1:{port}/api/v2/heartbeat", log=tmp_path / "chroma.log"):
        settings = Settings(
            data_dir=tmp_path / "data",
            embeddings_provider="fake",
            chroma_url=f"http://127.0.0.1:{port}",
            _env_file=None,
        )  # type: ignore[call-arg]
        services = build_services(settings)
        docs = tmp_path / "docs"
        write(
            docs / "a.md",
            '---\ntitle: "防汛工作总结"\nyear: 2024\n---\n一、工作成效\n汛期发布预警信息42期，转移群众1.3万人次。\n',
        )
        write(docs / "b.txt", "数字乡村实施方案\n一、工作目标\n到2027年培育电商示范村20个。\n")
        report = services.indexer.index([docs])
        assert report.ok and report.indexed == 2
        assert not (settings.data_dir / "chroma").exists()  # nothing embedded locally
        hits = services.searcher.search("预警信息", k=2)
        assert "42期" in hits[0].text
        assert services.indexer.index([docs]).unchanged == 2
        # a second worker with an empty local dir rebuilds BM25 from the server's store
        other = build_services(settings.model_copy(update={"data_dir": tmp_path / "worker2"}))
        hits = other.searcher.search("电商示范村", k=1, mode="bm25")
        assert hits and hits[0].title == "数字乡村实施方案"
        other.close()
        services.close()
