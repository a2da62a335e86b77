"""Keeps each knowledge base's BM25 index in step with the vector store (the source of truth).

Every indexing run bumps the collection's revision; a worker whose BM25 index carries another
revision rebuilds it from the store, so several API workers sharing one Chroma server agree.
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
from pathlib import Path
from typing import Any

import numpy as np

from assistant.retrieval.cache import CacheDB, text_hash
from assistant.retrieval.keyword import EMPTY_TOKEN, KeywordIndex
from assistant.retrieval.store import ChromaStore, collection_name
from assistant.retrieval.tokenize import tokenize

FILTER_KEYS = ("doc_id", "source", "genre", "genre_family", "year")


def index_text(meta: dict[str, Any], text: str) -> str:
    """What is embedded and tokenised for a chunk: title and heading path, then the text."""
    head = "\n".join(x for x in (meta.get("title"), meta.get("heading")) if x)
    return f"{head}\n{text}" if head else text


def tokens_for(texts: list[str], cache: CacheDB) -> list[list[str]]:
    """The tokens of each text, from the cache where it has them (tokenised and cached if not)."""
    hashes = [text_hash(t) for t in texts]
    known = cache.get_tokens(sorted(set(hashes)))
    new = {}
    for h, t in zip(hashes, texts, strict=True):
        if h not in known and h not in new:
            new[h] = tokenize(t)
    if new:
        cache.put_tokens(new.items())
        known.update(new)
    return [known[h] for h in hashes]


# Chunks tokenised at a time while the index is rebuilt: the page's texts and token strings go
# before the next page is read.
_PAGE = 2000


def give_back_memory() -> None:
    """Return the heap a bulk build freed to the system: glibc keeps it otherwise, and the next
    peak starts from there (after a 30,000-chunk rebuild, 95 MB)."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class TokenIds:
    """Token lists as arrays of vocabulary ids (int32), the vocabulary numbered in order of first
    sight: at 100,000 chunks the lists of strings took several hundred MB (issue 17, item 4)."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}

    def of(self, tokens: list[str]) -> np.ndarray:
        vocab = self.vocab
        return np.fromiter((vocab.setdefault(t, len(vocab)) for t in tokens), dtype=np.int32)


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
        """The index built from the store page by page: texts are tokenised and turned into
        vocabulary ids as they come, so no page's texts or token strings outlive it."""
        give_back_memory()  # what the bulk write before it freed: the rebuild's peak starts lower
        numbering = TokenIds()
        rows: list[tuple[str, dict[str, Any], np.ndarray]] = []
        page: list[tuple[str, dict[str, Any], str]] = []

        def flush() -> None:
            tokens = tokens_for([text for _, _, text in page], self._cache)
            rows.extend(
                (cid, meta, numbering.of(toks or [EMPTY_TOKEN]))
                for (cid, meta, _), toks in zip(page, tokens, strict=True)
            )
            page.clear()

        for c in self._store.iter_all(kb, with_text=True):
            page.append((c.id, {k: c.meta.get(k) for k in FILTER_KEYS}, index_text(c.meta, c.text)))
            if len(page) >= _PAGE:
                flush()
        flush()
        rows.sort(key=lambda row: row[0])
        index = KeywordIndex.build_from_ids(
            [r[0] for r in rows],
            [r[2] for r in rows],
            numbering.vocab,
            [r[1] for r in rows],
            revision,
        )
        rows.clear()  # the ids arrays now live in the index's matrix
        self._dir.mkdir(parents=True, exist_ok=True)
        index.save(self._path(kb))
        give_back_memory()
        return index
