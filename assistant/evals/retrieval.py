"""Retrieval evaluation: recall@5 and MRR@10 for dense, BM25 and hybrid, against a peer recipe.

The peer recipe is the usual RAG set-up: LangChain's RecursiveCharacterTextSplitter (750/150,
Chinese separators) over each document's text, dense-only search in Chroma, same embeddings.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.domain import Passage
from assistant.ingest.chunking import doc_id_for
from assistant.ingest.loaders import load_file
from assistant.retrieval.discovery import discover
from assistant.retrieval.search import Mode
from assistant.services import Services

_WS = re.compile(r"\s+")
BASELINE_SEPARATORS = ["\n\n", "\n", "。", "！", "？", "；", "，", " ", ""]


@dataclass(frozen=True)
class Query:
    id: str
    query: str
    doc: str
    phrase: str | None
    level: str
    wording: str


@dataclass
class Scores:
    name: str
    ranks: list[int | None] = field(default_factory=list)  # 1-based rank of first hit, in top 10
    seconds: list[float] = field(default_factory=list)

    def recall(self, k: int) -> float:
        return sum(1 for r in self.ranks if r is not None and r <= k) / max(1, len(self.ranks))

    def mrr(self, k: int = 10) -> float:
        return sum(1.0 / r for r in self.ranks if r is not None and r <= k) / max(
            1, len(self.ranks)
        )


def load_queries(path: Path) -> tuple[list[Path], list[Query]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "queries" not in data:
        raise ValueError(f"{path}: expected a mapping with 'sources' and 'queries'")
    root = Path.cwd()
    sources = [(root / s).resolve() for s in data.get("sources", [])]
    queries = []
    for i, q in enumerate(data["queries"], 1):
        try:
            queries.append(
                Query(
                    id=str(q.get("id", f"q{i}")),
                    query=str(q["query"]),
                    doc=str(q["doc"]),
                    phrase=str(q["phrase"]) if q.get("phrase") else None,
                    level=str(q.get("level", "passage" if q.get("phrase") else "document")),
                    wording=str(q.get("wording", "verbatim")),
                )
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"{path}: query #{i} lacks {exc}") from exc
    return sources, queries


def norm(text: str) -> str:
    return _WS.sub("", text)


def relevant(q: Query, source: str, heading: str, text: str) -> bool:
    if Path(source).name != q.doc:
        return False
    return q.phrase is None or norm(q.phrase) in norm(heading + text)


def rank_of(q: Query, hits: list[Passage]) -> int | None:
    for i, p in enumerate(hits[:10], 1):
        if relevant(q, p.source, p.heading, p.text):
            return i
    return None


def run(
    services: Services,
    queries: list[Query],
    *,
    kb: str,
    baseline_kb: str | None,
    sources: list[Path],
    log: Callable[[str], None] = print,
) -> list[Scores]:
    results = []
    modes: tuple[Mode, ...] = ("dense", "bm25", "hybrid")
    for mode in modes:
        search = functools.partial(services.searcher.search, k=10, kb=kb, mode=mode)
        results.append(_score(queries, f"ours: {mode}", search))
    if baseline_kb is not None:
        build_baseline(services, sources, baseline_kb, log=log)
        results.append(
            _score(
                queries,
                "peer recipe (750/150, dense)",
                lambda q: baseline_search(services, q, baseline_kb),
            )
        )
    return results


def _score(queries: list[Query], name: str, fn: Callable[[str], list[Passage]]) -> Scores:
    s = Scores(name)
    for q in queries:
        t = time.perf_counter()
        hits = fn(q.query)
        s.seconds.append(time.perf_counter() - t)
        s.ranks.append(rank_of(q, hits))
    return s


def build_baseline(
    services: Services, sources: list[Path], kb: str, *, log: Callable[[str], None]
) -> None:
    """Index ``sources`` the peer way: fixed 750/150 splits, no headings, dense only."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    if services.store.count(kb) > 0:
        return
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=750, chunk_overlap=150, separators=BASELINE_SEPARATORS, keep_separator="end"
    )
    files, _ = discover(sources)
    ids: list[str] = []
    texts: list[str] = []
    metas: list[dict[str, Any]] = []
    for f in files:
        doc = load_file(f, max_bytes=services.settings.max_file_bytes)
        did = doc_id_for(kb, str(f))
        for i, piece in enumerate(splitter.split_text(doc.text)):
            ids.append(f"{did}-{i:04d}")
            texts.append(piece)
            metas.append({"doc_id": did, "source": str(f), "title": doc.meta.title, "heading": ""})
    log(f"peer recipe: embedding {len(texts)} chunks of 750/150 characters")
    vectors = services.embeddings.embed_documents(texts)
    services.store.add(kb, ids=ids, vectors=vectors, texts=texts, metas=metas)


def baseline_search(services: Services, query: str, kb: str) -> list[Passage]:
    vector = services.embeddings.embed_query(query)
    return [
        Passage(
            chunk_id=h.chunk.id,
            doc_id=str(h.chunk.meta["doc_id"]),
            title=str(h.chunk.meta["title"]),
            source=str(h.chunk.meta["source"]),
            heading="",
            text=h.chunk.text,
            score=h.similarity,
        )
        for h in services.store.query(kb, vector, n=10, where=None)
    ]


def breakdown(queries: list[Query], scores: Scores) -> dict[str, float]:
    """recall@5 by query level and wording, to see where a method wins or loses."""
    out: dict[str, float] = {}
    for key in ("passage", "document", "verbatim", "paraphrase"):
        picked = [
            r for q, r in zip(queries, scores.ranks, strict=True) if key in (q.level, q.wording)
        ]
        if picked:
            out[key] = sum(1 for r in picked if r is not None and r <= 5) / len(picked)
    return out
