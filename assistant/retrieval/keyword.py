"""BM25 over jieba tokens (bm25s), persisted beside the vector store and rebuilt from it."""

from __future__ import annotations

import contextlib
import json
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.retrieval.tokenize import tokenize

# bm25s fails on an empty token list: such a chunk gets this placeholder token.
EMPTY_TOKEN = "\u2400"


@dataclass(frozen=True)
class KeywordHit:
    chunk_id: str
    score: float


class KeywordIndex:
    """One BM25 index for one knowledge base, with each chunk's filterable metadata."""

    def __init__(self, ids: list[str], meta: list[dict[str, Any]], retriever: Any, revision: str):
        self.ids = ids
        self.meta = meta
        self.revision = revision
        self._retriever = retriever
        self._vocab: dict[str, int] = dict(retriever.vocab_dict) if retriever is not None else {}
        self._position = {cid: i for i, cid in enumerate(ids)}

    def meta_of(self, chunk_id: str) -> dict[str, Any] | None:
        i = self._position.get(chunk_id)
        return None if i is None else self.meta[i]

    @classmethod
    def build(
        cls, ids: list[str], tokens: list[list[str]], meta: list[dict[str, Any]], revision: str
    ) -> KeywordIndex:
        import bm25s

        retriever = None
        if ids:
            retriever = bm25s.BM25()
            retriever.index([t or [EMPTY_TOKEN] for t in tokens], show_progress=False)
        return cls(ids, meta, retriever, revision)

    @classmethod
    def build_from_ids(
        cls,
        ids: list[str],
        token_ids: list[np.ndarray],
        vocab: dict[str, int],
        meta: list[dict[str, Any]],
        revision: str,
    ) -> KeywordIndex:
        """The same index as :meth:`build` (the same scores for every query; only the columns'
        order differs), from each chunk's vocabulary ids."""
        import bm25s

        retriever = None
        if ids:
            retriever = bm25s.BM25()
            retriever.index((token_ids, dict(vocab)), show_progress=False)
        return cls(ids, meta, retriever, revision)

    def __len__(self) -> int:
        return len(self.ids)

    def search(
        self,
        query: str,
        *,
        n: int,
        mask: np.ndarray | None = None,
        extra: str = "",
        extra_weight: float = 1.0,
    ) -> list[KeywordHit]:
        """Top ``n`` chunks for ``query``. The words of ``extra`` (a query's expansions) that it
        lacks add their scores times ``extra_weight``."""
        if self._retriever is None:
            return []
        own = [t for t in tokenize(query) if t in self._vocab]
        added = [t for t in tokenize(extra) if t in self._vocab and t not in own] if extra else []
        if extra_weight <= 0:
            added = []
        if not own and not added:
            return []
        scores = np.zeros(len(self.ids), dtype=np.float32)
        if own:
            scores += np.asarray(self._retriever.get_scores(own), dtype=np.float32)
        if added:
            scores += extra_weight * np.asarray(self._retriever.get_scores(added), dtype=np.float32)
        return self._top(scores, n, mask)

    def _top(self, scores: np.ndarray, n: int, mask: np.ndarray | None) -> list[KeywordHit]:
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [KeywordHit(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def mask(self, predicate: Any) -> np.ndarray:
        return np.fromiter(
            (bool(predicate(m)) for m in self.meta), dtype=bool, count=len(self.meta)
        )

    def save(self, directory: Path) -> None:
        # Names of its own: workers sharing a data dir rebuild the same index at the same time
        # (a new revision reaches them all at once), and a shared ``.tmp`` was torn out from
        # under one of them mid-write.
        mine = uuid.uuid4().hex[:12]
        tmp = directory.with_name(f"{directory.name}.tmp-{mine}")
        tmp.mkdir(parents=True)
        if self._retriever is not None:
            self._retriever.save(str(tmp / "bm25"), show_progress=False)
        with open(tmp / "chunks.json", "w", encoding="utf-8") as fh:
            json.dump(
                {"revision": self.revision, "ids": self.ids, "meta": self.meta},
                fh,
                ensure_ascii=False,
            )
        # Swap in whole so a reader never sees half of an index. Losing the race to another
        # worker is fine: it built the same revision from the same store.
        old = directory.with_name(f"{directory.name}.old-{mine}")
        with contextlib.suppress(FileNotFoundError):  # none yet, or another worker's swap
            directory.rename(old)
        try:
            tmp.rename(directory)
        except OSError:  # another worker's index took the place first
            shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex | None:
        try:
            with open(directory / "chunks.json", encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            return None
        retriever = None
        if data["ids"]:
            import bm25s

            try:
                retriever = bm25s.BM25.load(str(directory / "bm25"), show_progress=False)
            except (OSError, ValueError):
                return None
        return cls(data["ids"], data["meta"], retriever, data["revision"])
