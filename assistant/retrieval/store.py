"""The Chroma vector store: one collection per knowledge base, embedded or on a Chroma server."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

_VALID_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]{0,60}[a-zA-Z0-9]$")
_PAGE = 2000


def collection_name(kb: str) -> str:
    """Map a knowledge-base name (maybe Chinese) to a valid Chroma collection name."""
    if _VALID_NAME.match(kb) and ".." not in kb:
        return f"kb-{kb}"
    return "kb-" + hashlib.sha1(kb.encode()).hexdigest()[:20]


@dataclass(frozen=True)
class StoredChunk:
    id: str
    text: str
    meta: dict[str, Any]


@dataclass(frozen=True)
class DenseHit:
    chunk: StoredChunk
    similarity: float


class ChromaStore:
    """Thin adapter over a chromadb client; callers pass vectors, never raw model calls."""

    def __init__(self, *, path: Path | None = None, url: str | None = None) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        # No network here or on an intranet: never send telemetry.
        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if url:
            parsed = urlparse(url)
            self._client = chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=chroma_settings,
            )
            self.location = url
        else:
            assert path is not None
            path.mkdir(parents=True, exist_ok=True)
            self._client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            self.location = str(path)

    def _collection(self, kb: str, *, create: bool = True) -> Any:
        name = collection_name(kb)
        if create:
            return self._client.get_or_create_collection(
                name,
                metadata={"kb": kb, "revision": "0"},
                configuration={"hnsw": {"space": "cosine"}},
                embedding_function=None,
            )
        try:
            return self._client.get_collection(name, embedding_function=None)
        except Exception:  # chromadb raises NotFoundError or ValueError by version
            return None

    def knowledge_bases(self) -> list[str]:
        out = []
        for col in self._client.list_collections():
            meta = col.metadata or {}
            if col.name.startswith("kb-") and "kb" in meta:
                out.append(str(meta["kb"]))
        return sorted(out)

    def revision(self, kb: str) -> str | None:
        col = self._collection(kb, create=False)
        if col is None:
            return None
        return str((col.metadata or {}).get("revision", "0"))

    def bump_revision(self, kb: str) -> str:
        col = self._collection(kb)
        rev = uuid.uuid4().hex
        col.modify(metadata={"kb": kb, "revision": rev})
        return rev

    def drop(self, kb: str) -> bool:
        """Delete a knowledge base and its chunks; False when there was none."""
        if self._collection(kb, create=False) is None:
            return False
        self._client.delete_collection(collection_name(kb))
        return True

    def count(self, kb: str) -> int:
        col = self._collection(kb, create=False)
        return 0 if col is None else int(col.count())

    def add(
        self,
        kb: str,
        *,
        ids: Sequence[str],
        vectors: Sequence[Sequence[float]],
        texts: Sequence[str],
        metas: Sequence[dict[str, Any]],
    ) -> None:
        col = self._collection(kb)
        for i in range(0, len(ids), _PAGE):
            col.upsert(
                ids=list(ids[i : i + _PAGE]),
                embeddings=[list(v) for v in vectors[i : i + _PAGE]],
                documents=list(texts[i : i + _PAGE]),
                metadatas=list(metas[i : i + _PAGE]),
            )

    def delete(self, kb: str, ids: Sequence[str]) -> None:
        col = self._collection(kb, create=False)
        if col is None:
            return
        for i in range(0, len(ids), _PAGE):
            col.delete(ids=list(ids[i : i + _PAGE]))

    def iter_all(self, kb: str, *, with_text: bool) -> Iterator[StoredChunk]:
        col = self._collection(kb, create=False)
        if col is None:
            return
        include = ["metadatas", "documents"] if with_text else ["metadatas"]
        offset = 0
        while True:
            page = col.get(include=include, limit=_PAGE, offset=offset)
            ids = page["ids"]
            if not ids:
                return
            docs = page.get("documents") or [""] * len(ids)
            for cid, meta, text in zip(ids, page["metadatas"], docs, strict=True):
                yield StoredChunk(cid, text or "", dict(meta or {}))
            offset += len(ids)

    def get(self, kb: str, ids: Sequence[str]) -> dict[str, StoredChunk]:
        col = self._collection(kb, create=False)
        if col is None or not ids:
            return {}
        page = col.get(ids=list(ids), include=["metadatas", "documents"])
        return {
            cid: StoredChunk(cid, text or "", dict(meta or {}))
            for cid, meta, text in zip(
                page["ids"], page["metadatas"], page["documents"], strict=True
            )
        }

    def query(
        self, kb: str, vector: Sequence[float], *, n: int, where: dict[str, Any] | None
    ) -> list[DenseHit]:
        col = self._collection(kb, create=False)
        if col is None:
            return []
        total = int(col.count())
        if total == 0:
            return []
        res = col.query(
            query_embeddings=[list(vector)],
            n_results=min(n, total),
            where=where,
            include=["metadatas", "documents", "distances"],
        )
        return [
            DenseHit(StoredChunk(cid, text or "", dict(meta or {})), 1.0 - float(dist))
            for cid, meta, text, dist in zip(
                res["ids"][0],
                res["metadatas"][0],
                res["documents"][0],
                res["distances"][0],
                strict=True,
            )
        ]
