"""The BM25 rebuild holds each chunk's tokens as an int32 array of vocabulary ids, not lists of
strings (issue 17, item 4: at 100,000 chunks the strings were hundreds of megabytes), and the
index it builds scores every query exactly as the index built from the token strings."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.retrieval.cache import CacheDB
from assistant.retrieval.keyword import KeywordIndex
from assistant.retrieval.keyword_sync import TokenIds, tokens_for

TEXTS = [
    "县委召开常委会议12次，研究部署安全生产工作",
    "常委会议研究部署主题教育，开展专题调研",
    "区市场监管局开展食品安全专项检查，立案查处96件",
    "",
    "镇党委书记带头走访困难群众，解决实际问题",
]


def test_tokens_become_ids_numbered_in_order_of_first_sight(tmp_path: Path) -> None:
    cache = CacheDB(tmp_path / "cache.sqlite")
    try:
        first = tokens_for(TEXTS[:2], cache)
        again = tokens_for(TEXTS[:2], cache)  # now read back from the cache
        assert again == first
        numbering = TokenIds()
        arrays = [numbering.of(t) for t in first]
        assert all(a.dtype == np.int32 for a in arrays)
        shared = numbering.vocab["会议"]
        assert shared in arrays[0] and shared in arrays[1]
        assert list(numbering.vocab.values()) == list(range(len(numbering.vocab)))
    finally:
        cache.close()


def test_the_index_from_ids_scores_as_the_index_from_tokens(tmp_path: Path) -> None:
    cache = CacheDB(tmp_path / "cache.sqlite")
    try:
        tokens = [t or ["\u2400"] for t in tokens_for(TEXTS, cache)]
    finally:
        cache.close()
    ids = [f"c{i}" for i in range(len(TEXTS))]
    meta = [{"doc_id": i} for i in ids]
    numbering = TokenIds()
    by_ids = KeywordIndex.build_from_ids(
        ids, [numbering.of(t) for t in tokens], numbering.vocab, meta, "r1"
    )
    by_tokens = KeywordIndex.build(ids, tokens, meta, "r1")
    for query in ["常委会议", "安全生产 检查", "立案查处", "困难群众 走访", "专题调研"]:
        got = [(h.chunk_id, h.score) for h in by_ids.search(query, n=5)]
        assert got == [(h.chunk_id, h.score) for h in by_tokens.search(query, n=5)]
        assert got, query
