"""Is a cited 《title》 a document the knowledge base holds, or one its documents cite?"""

from __future__ import annotations

from functools import lru_cache

from assistant.domain import CORPUS
from assistant.retrieval.keyword_sync import KeywordIndexes
from assistant.retrieval.store import ChromaStore


class TitleLookup:
    def __init__(self, store: ChromaStore, keywords: KeywordIndexes) -> None:
        self._store = store
        self._keywords = keywords
        self._titles = lru_cache(maxsize=32)(self._load_titles)

    def _load_titles(self, kb: str, revision: str) -> frozenset[str]:
        return frozenset(
            str(c.meta.get("title", "")) for c in self._store.iter_all(kb, with_text=False)
        )

    def known(self, title: str, *, kb: str = CORPUS) -> bool:
        revision = self._store.revision(kb)
        if revision is None:
            return False
        bare = title.strip("《》")
        if any(bare == t or f"《{bare}》" in t for t in self._titles(kb, revision)):
            return True
        # Cited by a document we hold: the keyword index finds passages naming it.
        hits = self._keywords.get(kb).search(bare, n=20)
        chunks = self._store.get(kb, [h.chunk_id for h in hits])  # one round trip, not twenty
        return any(f"《{bare}》" in c.text for c in chunks.values())
