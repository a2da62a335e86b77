"""Indexing embeds several files' chunks together, and a failure still stays with its file."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.retrieval.indexer import IndexEvents
from assistant.services import Services
from tests.conftest import write
from tests.unit.test_index_and_search import PLAN, REPORT, WATER


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    write(root / "water.md", WATER)
    write(root / "plan.md", PLAN)
    write(root / "report.txt", REPORT)
    return root


def _calls(services: Services, refuse: str | None = None) -> list[list[str]]:
    calls: list[list[str]] = []
    inner = services.embeddings.inner
    original = inner.embed_documents

    def counting(texts: list[str]) -> list[list[float]]:
        calls.append(list(texts))
        if refuse and any(refuse in t for t in texts):
            raise ConnectionError("embedding server refused the batch")
        return original(texts)

    inner.embed_documents = counting  # type: ignore[method-assign]
    return calls


def test_short_files_share_one_batch(services: Services, docs: Path) -> None:
    calls = _calls(services)
    report = services.indexer.index([docs])
    assert report.ok and report.indexed == 3
    # Three files of a few chunks each: one call to the model, not one per file.
    assert len(calls) == 1 and len(calls[0]) == report.chunks


def test_a_file_the_model_refuses_fails_alone(services: Services, docs: Path) -> None:
    calls = _calls(services, refuse="供水管网")
    report = services.indexer.index([docs])
    assert report.indexed == 2
    assert [Path(s).name for s, _ in report.failures] == ["water.md"]
    sources = {
        Path(str(c.meta["source"])).name for c in services.store.iter_all("corpus", with_text=False)
    }
    assert sources == {"plan.md", "report.txt"}
    assert len(calls) == 4  # the group, then each file alone


def test_an_interrupted_group_keeps_its_vectors(services: Services, docs: Path) -> None:
    services.embeddings.batch_size = 2  # several batches in the one group
    calls = _calls(services)
    inner = services.embeddings.inner
    counting = inner.embed_documents

    def interrupted(texts: list[str]) -> list[list[float]]:
        if len(calls) == 2:  # Ctrl-C during the third batch
            raise KeyboardInterrupt
        return counting(texts)

    inner.embed_documents = interrupted  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        services.indexer.index([docs])
    assert services.store.count("corpus") == 0  # nothing half-written
    inner.embed_documents = counting  # type: ignore[method-assign]
    report = services.indexer.index([docs])
    assert report.ok and report.indexed == 3
    # The two batches done before the interruption are not embedded again.
    assert sum(len(c) for c in calls) == report.chunks


def test_progress_counts_every_chunk_and_character(services: Services, docs: Path) -> None:
    seen = {"chunks": 0, "chars": 0, "total_chars": 0}

    def add(key: str) -> object:
        return lambda n: seen.__setitem__(key, seen[key] + n)

    events = IndexEvents(
        embedded=add("chunks"),  # type: ignore[arg-type]
        embedded_characters=add("chars"),  # type: ignore[arg-type]
        characters=add("total_chars"),  # type: ignore[arg-type]
    )
    report = services.indexer.index([docs], events=events)
    assert seen == {
        "chunks": report.chunks,
        "chars": report.characters,
        "total_chars": report.characters,
    }
