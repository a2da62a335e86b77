"""Composition root: builds the embeddings, store, caches, indexer and searcher once.

The CLI and the API both call :func:`build_services`; nothing is built at import time.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.config import Settings
from assistant.retrieval.cache import CacheDB, CachedEmbeddings
from assistant.retrieval.embeddings import build_embeddings
from assistant.retrieval.indexer import Indexer
from assistant.retrieval.keyword_sync import KeywordIndexes
from assistant.retrieval.search import Searcher
from assistant.retrieval.store import ChromaStore
from assistant.retrieval.titles import TitleLookup


@dataclass
class Services:
    settings: Settings
    cache: CacheDB
    embeddings: CachedEmbeddings
    store: ChromaStore
    keywords: KeywordIndexes
    indexer: Indexer
    searcher: Searcher
    titles: TitleLookup

    def close(self) -> None:
        self.cache.close()


def build_services(settings: Settings) -> Services:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    cache = CacheDB(settings.index_dir / "cache.sqlite")
    embeddings = CachedEmbeddings(
        build_embeddings(settings), cache, batch_size=settings.embeddings_batch_size
    )
    store = ChromaStore(path=settings.chroma_dir, url=settings.chroma_url)
    keywords = KeywordIndexes(store, cache, settings.index_dir / "bm25")
    indexer = Indexer(
        store=store,
        embeddings=embeddings,
        keywords=keywords,
        chunk_size=settings.chunk_size,
        max_file_bytes=settings.max_file_bytes,
    )
    searcher = Searcher(store=store, embeddings=embeddings, keywords=keywords)
    titles = TitleLookup(store, keywords)
    return Services(settings, cache, embeddings, store, keywords, indexer, searcher, titles)
