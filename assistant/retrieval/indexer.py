"""Indexing runs: scan paths, skip unchanged files, re-index changed ones, drop removed ones.

Each file is loaded, chunked and embedded before anything is written, then its new chunks are
upserted and its stale ones deleted, so a failure leaves that file's previous version intact and
never a half-indexed file.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.domain import Chunk, Document, IndexReport
from assistant.ingest.chunking import chunk_document, doc_id_for
from assistant.ingest.errors import IngestError
from assistant.ingest.loaders import SUPPORTED, file_hash, load_file
from assistant.ingest.metadata import genre_family
from assistant.retrieval.cache import CachedEmbeddings
from assistant.retrieval.keyword_sync import KeywordIndexes, index_text
from assistant.retrieval.store import ChromaStore

_SKIP_NAMES = ("readme", "license", "changelog")


@dataclass
class IndexEvents:
    """Callbacks a front end can use to show progress; all optional."""

    planned: Callable[[int, int], None] | None = None  # (files to index, chunks to embed)
    embedded: Callable[[int], None] | None = None  # chunks done since the last call
    failed: Callable[[str, str], None] | None = None  # (source, reason)


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to index under ``paths``; missing paths and unsupported named files are failures."""
    files: list[Path] = []
    failures: list[tuple[str, str]] = []
    for p in paths:
        if p.is_dir():
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    f = Path(root) / name
                    if _wanted(f):
                        files.append(f.resolve())
        elif p.is_file():
            files.append(p.resolve())
        else:
            failures.append((str(p), "no such file or folder"))
    return sorted(set(files)), failures


def _wanted(f: Path) -> bool:
    name = f.name.lower()
    if name.startswith((".", "~$")) or name.split(".")[0] in _SKIP_NAMES:
        return False
    return f.suffix.lower() in SUPPORTED


def chunk_metadata(kb: str, doc: Document, chunk: Chunk) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "kb": kb,
        "doc_id": chunk.doc_id,
        "source": doc.source,
        "title": doc.meta.title,
        "heading": chunk.heading,
        "ord": chunk.ord,
        "has_placeholder": chunk.has_placeholder,
        "file_hash": doc.file_hash,
    }
    optional = {
        "genre": doc.meta.genre,
        "genre_family": genre_family(doc.meta.genre),
        "year": doc.meta.year,
        "issuer": doc.meta.issuer,
        "doc_no": doc.meta.doc_no,
    }
    meta.update({k: v for k, v in optional.items() if v is not None})  # Chroma stores no None
    return meta


class Indexer:
    def __init__(
        self,
        *,
        store: ChromaStore,
        embeddings: CachedEmbeddings,
        keywords: KeywordIndexes,
        chunk_size: int,
        max_file_bytes: int,
    ) -> None:
        self.store = store
        self.embeddings = embeddings
        self.keywords = keywords
        self.chunk_size = chunk_size
        self.max_file_bytes = max_file_bytes

    def index(
        self, paths: Iterable[Path], *, kb: str = "corpus", events: IndexEvents | None = None
    ) -> IndexReport:
        started = time.perf_counter()
        ev = events or IndexEvents()
        report = IndexReport()
        paths = list(paths)
        files, report.failures = discover(paths)
        report.files_seen = len(files)
        existing = self._existing(kb)

        plan: list[tuple[Document, list[Chunk]]] = []
        for f in files:
            source = str(f)
            try:
                old = existing.get(source)
                if (
                    old is not None
                    and f.stat().st_size <= self.max_file_bytes
                    and file_hash(f.read_bytes()) == old[0]
                ):
                    report.unchanged += 1
                    continue
                doc = load_file(f, max_bytes=self.max_file_bytes)
                chunks = chunk_document(doc, doc_id=doc_id_for(kb, source), size=self.chunk_size)
                if not chunks:
                    raise IngestError(source, "no text to index")
                plan.append((doc, chunks))
            except IngestError as exc:
                self._fail(report, ev, exc.source, exc.reason, kept=source in existing)
            except OSError as exc:
                self._fail(report, ev, source, f"cannot read file ({exc})", kept=source in existing)
        if ev.planned:
            ev.planned(len(plan), sum(len(c) for _, c in plan))

        changed = False
        for doc, chunks in plan:
            try:
                self._write(kb, doc, chunks, existing.get(doc.source, ("", []))[1], ev)
            except Exception as exc:  # an embedding server or the store failed for this file
                reason = f"indexing failed ({type(exc).__name__}: {exc})"
                self._fail(report, ev, doc.source, reason, kept=doc.source in existing)
                continue
            changed = True
            report.indexed += 1
            report.chunks += len(chunks)
            report.characters += sum(len(c.text) for c in chunks)

        present = {str(f) for f in files}
        roots = [p.resolve() for p in paths]
        for source, (_, ids) in existing.items():
            if (
                source not in present
                and _under_any(Path(source), roots)
                and not Path(source).exists()
            ):
                self.store.delete(kb, ids)
                report.removed += 1
                changed = True

        if changed:
            self.store.bump_revision(kb)
            self.keywords.rebuild(kb)
        else:
            self.keywords.get(kb)  # loads it, or rebuilds it if its files went missing
        report.seconds = time.perf_counter() - started
        return report

    def _existing(self, kb: str) -> dict[str, tuple[str, list[str]]]:
        out: dict[str, tuple[str, list[str]]] = {}
        for c in self.store.iter_all(kb, with_text=False):
            source = str(c.meta.get("source", ""))
            entry = out.setdefault(source, (str(c.meta.get("file_hash", "")), []))
            entry[1].append(c.id)
        return out

    def _write(
        self, kb: str, doc: Document, chunks: list[Chunk], old_ids: list[str], ev: IndexEvents
    ) -> None:
        metas = [chunk_metadata(kb, doc, c) for c in chunks]
        inputs = [index_text(m, c.text) for m, c in zip(metas, chunks, strict=True)]
        vectors = self.embeddings.embed_documents(inputs, progress=ev.embedded)
        ids = [c.id for c in chunks]
        self.store.add(kb, ids=ids, vectors=vectors, texts=[c.text for c in chunks], metas=metas)
        stale = sorted(set(old_ids) - set(ids))
        if stale:
            self.store.delete(kb, stale)

    @staticmethod
    def _fail(
        report: IndexReport, ev: IndexEvents, source: str, reason: str, *, kept: bool
    ) -> None:
        if kept:
            reason += "; the previously indexed version is kept"
        report.failures.append((source, reason))
        if ev.failed:
            ev.failed(source, reason)


def _under_any(path: Path, roots: list[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)
