"""Saving a BM25 index while other workers save the same one (they share the data dir and see a
new store revision at the same moment): nobody fails, and the index on disk is a whole one."""

from __future__ import annotations

import threading
from pathlib import Path

from assistant.retrieval.keyword import KeywordIndex
from assistant.retrieval.tokenize import tokenize

TEXTS = ["县委召开常委会议12次", "派出巡回指导组6个", "参学党员3560名"]


def test_concurrent_saves_of_one_index_all_succeed(tmp_path: Path) -> None:
    index = KeywordIndex.build(
        [f"c{i}" for i in range(len(TEXTS))], [tokenize(t) for t in TEXTS], [{}] * 3, "r1"
    )
    target = tmp_path / "bm25" / "kb-corpus"
    target.parent.mkdir()
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def save() -> None:
        barrier.wait(timeout=10)
        try:
            for _ in range(5):
                index.save(target)
        except BaseException as exc:  # collected: the assertion names it
            errors.append(exc)

    threads = [threading.Thread(target=save) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    loaded = KeywordIndex.load(target)
    assert loaded is not None and loaded.ids == index.ids and loaded.revision == "r1"
    assert [p.name for p in target.parent.iterdir()] == ["kb-corpus"]  # no leftovers
