"""Keeps each knowledge base's BM25 index in step with the vector store (the source of truth).

Every indexing run bumps the collection's revision; a worker whose BM25 index carries another
revision rebuilds it from the store, so several API workers sharing one Chroma server agree.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from assistant.retrieval.cache import CacheDB, text_hash
from assistant.retrieval.keyword import KeywordIndex
from assistant.retrieval.store import ChromaStore, collection_name
from assistant.retrieval.tokenize import tokenize

FILTER_KEYS = ("doc_id", "source", "genre", "genre_family", "year")


def index_text(meta: dict[str, Any], text: str) -> str:
    """What is embedded and tokenised for a chunk: title and heading path, then the text."""
    head = "\n".join(x for x in (meta.get("title"), meta.get("heading")) if x)
    return f"{head}\n{text}" if head else text


def tokens_for(texts: list[str], cache: CacheDB) -> list[list[str]]:
    hashes = [text_hash(t) for t in texts]
    known = cache.get_tokens(sorted(set(hashes)))
    new = {}
    for h, t in zip(hashes, texts, strict=True):
        if h not in known and h not in new:
            new[h] = tokenize(t)
    if new:
        cache.put_tokens(new.items())
        known.update(new)
    # One string object per distinct token: at 100,000 chunks the token lists held ten million
    # separate copies (issue 17, item 4: memory), a vocabulary of a few ten thousand words.
    vocab: dict[str, str] = {}
    shared = {h: [vocab.setdefault(t, t) for t in toks] for h, toks in known.items()}
    return [shared[h] for h in hashes]


class KeywordIndexes:
    def __init__(self, store: ChromaStore, cache: CacheDB, directory: Path) -> None:
        self._store = store
        self._cache = cache
        self._dir = directory
        self._loaded: dict[str, KeywordIndex] = {}
        self._lock = threading.Lock()

    def _path(self, kb: str) -> Path:
        return self._dir / collection_name(kb)

    def get(self, kb: str) -> KeywordIndex:
        revision = self._store.revision(kb) or "0"
        with self._lock:
            index = self._loaded.get(kb)
            if index is None or index.revision != revision:
                index = KeywordIndex.load(self._path(kb))
                if index is None or index.revision != revision:
                    index = self._rebuild(kb, revision)
                self._loaded[kb] = index
            return index

    def forget(self, kb: str) -> None:
        """Drop a deleted knowledge base's keyword index, in memory and on disk."""
        import shutil

        with self._lock:
            self._loaded.pop(kb, None)
            path = self._path(kb)
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            elif path.exists():
                path.unlink()

    def rebuild(self, kb: str) -> KeywordIndex:
        with self._lock:
            index = self._rebuild(kb, self._store.revision(kb) or "0")
            self._loaded[kb] = index
            return index

    def _rebuild(self, kb: str, revision: str) -> KeywordIndex:
        chunks = sorted(self._store.iter_all(kb, with_text=True), key=lambda c: c.id)
        ids = [c.id for c in chunks]
        texts = [index_text(c.meta, c.text) for c in chunks]
        meta = [{k: c.meta.get(k) for k in FILTER_KEYS} for c in chunks]
        del chunks  # the chunks' texts and metadata go before the tokens come (peak memory)
        tokens = tokens_for(texts, self._cache)
        del texts
        index = KeywordIndex.build(ids, tokens, meta, revision)
        self._dir.mkdir(parents=True, exist_ok=True)
        index.save(self._path(kb))
        return index
