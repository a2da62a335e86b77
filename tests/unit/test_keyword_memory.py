"""The BM25 rebuild holds one string per distinct token, not one per occurrence (issue 17,
item 4: at 100,000 chunks the separate copies were hundreds of megabytes)."""

from __future__ import annotations

from pathlib import Path

from assistant.retrieval.cache import CacheDB
from assistant.retrieval.keyword_sync import tokens_for


def test_the_same_token_is_one_object_across_chunks_and_from_the_cache(tmp_path: Path) -> None:
    cache = CacheDB(tmp_path / "cache.sqlite")
    try:
        texts = ["县委召开常委会议12次", "常委会议研究部署主题教育", "县委召开常委会议12次"]
        first = tokens_for(texts[:2], cache)
        again = tokens_for(texts, cache)  # now read back from the cache
        for tokens in (first, again):
            flat = [t for toks in tokens for t in toks]
            assert flat.count("会议") >= 2
            by_text: dict[str, int] = {}
            for t in flat:
                assert by_text.setdefault(t, id(t)) == id(t), f"two copies of {t!r}"
        assert again[0] == again[2] == first[0]
    finally:
        cache.close()
