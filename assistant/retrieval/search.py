"""Hybrid search: dense (Chroma) and BM25 rankings fused by reciprocal rank, filtered by scope.

At most ``per_doc`` chunks of one document reach the top k, so one long report cannot crowd out
every other source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.embeddings import Embeddings

from assistant.domain import Passage
from assistant.retrieval.keyword_sync import KeywordIndexes
from assistant.retrieval.store import ChromaStore, StoredChunk

Mode = Literal["hybrid", "dense", "bm25"]
RRF_K = 60
# Candidates taken from each ranking before fusion: enough that a passage ranked low by one
# method but high by the other still surfaces.
MIN_CANDIDATES = 50


@dataclass(frozen=True)
class Filters:
    genre: str | None = None
    year: int | None = None
    doc_id: str | None = None
    source: str | None = None

    def where(self) -> dict[str, Any] | None:
        conds: list[dict[str, Any]] = []
        if self.genre:
            conds.append({"$or": [{"genre": self.genre}, {"genre_family": self.genre}]})
        if self.year is not None:
            conds.append({"year": self.year})
        if self.doc_id:
            conds.append({"doc_id": self.doc_id})
        if self.source:
            conds.append({"source": self.source})
        if not conds:
            return None
        return conds[0] if len(conds) == 1 else {"$and": conds}

    def accepts(self, meta: dict[str, Any]) -> bool:
        if self.genre and self.genre not in (meta.get("genre"), meta.get("genre_family")):
            return False
        if self.year is not None and meta.get("year") != self.year:
            return False
        if self.doc_id and meta.get("doc_id") != self.doc_id:
            return False
        return not (self.source and meta.get("source") != self.source)

    @property
    def empty(self) -> bool:
        return self.where() is None


class Searcher:
    def __init__(self, *, store: ChromaStore, embeddings: Embeddings, keywords: KeywordIndexes):
        self.store = store
        self.embeddings = embeddings
        self.keywords = keywords

    def search(
        self,
        query: str,
        *,
        k: int = 5,
        kb: str = "corpus",
        filters: Filters | None = None,
        mode: Mode = "hybrid",
        per_doc: int | None = 2,
    ) -> list[Passage]:
        query = query.strip()
        if not query or k <= 0:
            return []
        filters = filters or Filters()
        n = max(MIN_CANDIDATES, 10 * k)
        chunks: dict[str, StoredChunk] = {}
        rankings: list[list[tuple[str, float]]] = []
        if mode in ("hybrid", "dense"):
            vector = self.embeddings.embed_query(query)
            dense = self.store.query(kb, vector, n=n, where=filters.where())
            chunks.update((h.chunk.id, h.chunk) for h in dense)
            rankings.append([(h.chunk.id, h.similarity) for h in dense])
        if mode in ("hybrid", "bm25"):
            index = self.keywords.get(kb)
            mask = None if filters.empty else index.mask(filters.accepts)
            hits = index.search(query, n=n, mask=mask)
            rankings.append([(h.chunk_id, h.score) for h in hits])
        ranked = _rrf(rankings) if mode == "hybrid" else rankings[0]
        missing = [cid for cid, _ in ranked if cid not in chunks]
        if missing:
            chunks.update(self.store.get(kb, missing[: max(n, k * 4)]))
        return _cap([(chunks[cid], s) for cid, s in ranked if cid in chunks], k, per_doc, kb)


def _rrf(rankings: list[list[tuple[str, float]]]) -> list[tuple[str, float]]:
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, (cid, _) in enumerate(ranking):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (RRF_K + rank + 1)
    return sorted(scores.items(), key=lambda kv: -kv[1])


def _cap(
    ranked: list[tuple[StoredChunk, float]], k: int, per_doc: int | None, kb: str
) -> list[Passage]:
    out: list[Passage] = []
    seen: dict[str, int] = {}
    for chunk, score in ranked:
        doc = str(chunk.meta.get("doc_id", ""))
        if per_doc is not None and seen.get(doc, 0) >= per_doc:
            continue
        seen[doc] = seen.get(doc, 0) + 1
        out.append(to_passage(chunk, score, kb))
        if len(out) >= k:
            break
    return out


def to_passage(chunk: StoredChunk, score: float, kb: str) -> Passage:
    m = chunk.meta
    year = m.get("year")
    return Passage(
        chunk_id=chunk.id,
        doc_id=str(m.get("doc_id", "")),
        title=str(m.get("title", "")),
        source=str(m.get("source", "")),
        heading=str(m.get("heading", "")),
        text=chunk.text,
        score=score,
        genre=m.get("genre"),
        year=int(year) if isinstance(year, int) else None,
        kb=kb,
        has_placeholder=bool(m.get("has_placeholder", False)),
    )
