"""Indexing runs: scan paths, skip unchanged files, re-index changed ones, drop removed ones.

Each file is loaded, chunked and embedded before anything is written, then its new chunks are
upserted and its stale ones deleted, so a failure leaves that file's previous version intact and
never a half-indexed file. Embedding runs over several files at once (a group of at least
``GROUP_BATCHES`` batches of chunks) so that short files fill the model's batches; the vectors land
in the cache, and each file is still written on its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.domain import CORPUS, Chunk, Document, IndexReport
from assistant.ingest.chunking import chunk_document, doc_id_for
from assistant.ingest.errors import IngestError
from assistant.ingest.limits import DEFAULT_LIMITS, ParseLimits
from assistant.ingest.loaders import file_hash, load_file
from assistant.ingest.metadata import genre_family
from assistant.ingest.progress import reporting
from assistant.retrieval.cache import CachedEmbeddings
from assistant.retrieval.discovery import discover, under_any
from assistant.retrieval.keyword_sync import KeywordIndexes, index_text
from assistant.retrieval.store import ChromaStore

CHUNKER_VERSION = "c2"
# Batches embedded together across files: short files would otherwise send the model part-filled
# batches (tests/benchmarks/bench_embed_batch.py measures characters/s per batch size). Four
# batches leave a part-filled one only every fourth; an interrupted run loses none of a group's
# vectors (they are in the cache), only the time to write its files.
GROUP_BATCHES = 4


@dataclass
class _Indexed:
    """What the store holds for one source file."""

    versions: set[tuple[str, str]] = field(default_factory=set)  # (file hash, chunking)
    ids: list[str] = field(default_factory=list)


class _StaleLeft(Exception):
    """The new version is in; some chunks of the old one could not be deleted."""


@dataclass
class IndexEvents:
    """Callbacks a front end can use to show progress; all optional."""

    planned: Callable[[int, int], None] | None = None  # (files to index, chunks to embed)
    embedded: Callable[[int], None] | None = None  # chunks done since the last call
    # characters to embed (once, after planned), then characters done since the last call
    characters: Callable[[int], None] | None = None
    embedded_characters: Callable[[int], None] | None = None
    failed: Callable[[str, str], None] | None = None  # (source, reason)
    page: Callable[[str, int, int], None] | None = None  # (source, pages read by OCR, of)


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
    if chunk.ocr_page is not None:
        meta["ocr_page"] = chunk.ocr_page  # read by OCR: passages and citations say so
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
        limits: ParseLimits = DEFAULT_LIMITS,
    ) -> None:
        self.limits = limits  # OCR's page and time limits, LibreOffice's (no text limit)
        self.store = store
        self.embeddings = embeddings
        self.keywords = keywords
        self.chunk_size = chunk_size
        self.max_file_bytes = max_file_bytes

    @property
    def chunking(self) -> str:
        """What produced the chunks: a change of chunker or chunk size means re-chunking."""
        return f"{CHUNKER_VERSION}-{self.chunk_size}"

    def index(
        self, paths: Iterable[Path], *, kb: str = CORPUS, events: IndexEvents | None = None
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
                if self._unchanged(f, existing.get(source)):
                    report.unchanged += 1
                    continue
                doc = self._load(f, ev)
                chunks = chunk_document(
                    doc,
                    doc_id=doc_id_for(kb, source),
                    size=self.chunk_size,
                    version=doc.file_hash[:8],
                )
                if not chunks:
                    raise IngestError(source, "no text to index")
                plan.append((doc, chunks))
            except IngestError as exc:
                self._fail(report, ev, exc.source, exc.reason, kept=source in existing)
            except OSError as exc:
                self._fail(report, ev, source, f"cannot read file ({exc})", kept=source in existing)
            except Exception as exc:  # a loader bug must not stop the batch: report and go on
                reason = f"cannot load ({type(exc).__name__}: {exc})"
                self._fail(report, ev, source, reason, kept=source in existing)
        present = {str(f) for f in files}
        roots = [p.resolve() for p in paths]
        removed = [
            source
            for source in existing
            if source not in present
            and under_any(Path(source), roots)
            and not Path(source).exists()
        ]
        if ev.planned:
            ev.planned(len(plan), sum(len(c) for _, c in plan))
        if ev.characters:
            ev.characters(sum(len(c.text) for _, chunks in plan for c in chunks))
        if plan or removed:
            # Mark the keyword index stale before the first write, so an interrupted run still
            # leads every reader to rebuild it from the store.
            self.store.bump_revision(kb)

        for group in _groups(plan, GROUP_BATCHES * self.embeddings.batch_size):
            # Embedded together into the cache; a failure here is no file's failure: each file
            # then embeds alone in _write, so only the one the server refuses fails.
            inputs = [self._inputs(kb, doc, chunks) for doc, chunks in group]
            grouped = self._embed_group(group, [i for _, i in inputs], ev)
            for (doc, chunks), (metas, texts) in zip(group, inputs, strict=True):
                old_ids = existing[doc.source].ids if doc.source in existing else []
                try:
                    self._write(kb, doc, chunks, metas, texts, old_ids, None if grouped else ev)
                except _StaleLeft as exc:
                    self._fail(report, ev, doc.source, str(exc), kept=False)
                except Exception as exc:  # an embedding server or the store failed for this file
                    reason = f"indexing failed ({type(exc).__name__}: {exc})"
                    self._fail(report, ev, doc.source, reason, kept=doc.source in existing)
                    continue
                report.indexed += 1
                report.chunks += len(chunks)
                report.characters += sum(len(c.text) for c in chunks)

        for source in removed:
            self.store.delete(kb, existing[source].ids)
            report.removed += 1

        if plan or removed:
            self.store.bump_revision(kb)
            self.keywords.rebuild(kb)
        else:
            self.keywords.get(kb)  # loads it, or rebuilds it if it is missing or stale
        report.seconds = time.perf_counter() - started
        return report

    def _load(self, f: Path, ev: IndexEvents) -> Document:
        listener = ev.page

        def page(done: int, total: int, stage: str) -> None:
            if listener is not None:
                listener(str(f), done, total)

        with reporting(page):
            return load_file(f, max_bytes=self.max_file_bytes, limits=self.limits)

    def index_document(
        self,
        doc: Document,
        *,
        kb: str,
        doc_id: str,
        on_embedded: Callable[[int, int], None] | None = None,
    ) -> list[Chunk]:
        """Chunk, embed and add one in-memory document (an upload) to ``kb``, all or nothing.

        Everything slow (chunking, embedding) happens before the first write; a failed write
        removes whatever part of the document landed. Raises :class:`IngestError` when the
        document holds no text to index. ``on_embedded(done, total)`` hears of each batch of
        chunks embedded (the slow part: a page shows it as progress).
        """
        chunks = chunk_document(doc, doc_id=doc_id, size=self.chunk_size, version=doc.file_hash[:8])
        if not chunks:
            raise IngestError(doc.source, "no text to index")
        # As in index(): stale first, so an interrupted write still makes readers rebuild BM25.
        events = IndexEvents()
        if on_embedded is not None:
            done = [0]
            on_embedded(0, len(chunks))

            def embedded(n: int) -> None:
                done[0] += n
                on_embedded(done[0], len(chunks))

            events.embedded = embedded
        with self.changing(kb):
            metas, texts = self._inputs(kb, doc, chunks)
            self._write(kb, doc, chunks, metas, texts, [], events)
        return chunks

    def remove_document(self, kb: str, doc_id: str) -> int:
        """Delete every chunk of ``doc_id`` from ``kb``; the number deleted.

        Found by scanning metadata rather than by rebuilding ids, so chunks left by an
        interrupted earlier attempt go too.
        """
        if not doc_id:
            return 0
        ids = [
            c.id for c in self.store.iter_all(kb, with_text=False) if c.meta.get("doc_id") == doc_id
        ]
        self.delete_chunks(kb, ids)
        return len(ids)

    def delete_chunks(self, kb: str, ids: list[str]) -> None:
        if ids:
            with self.changing(kb):
                self.store.delete(kb, ids)

    @contextmanager
    def changing(self, kb: str) -> Iterator[None]:
        """Around a write to ``kb``'s chunks: readers see the keyword index stale from before
        the first write (so an interrupted one is still noticed) until it is rebuilt after."""
        self.store.bump_revision(kb)
        try:
            yield
        finally:
            self.store.bump_revision(kb)
            self.keywords.rebuild(kb)

    def _unchanged(self, f: Path, old: _Indexed | None) -> bool:
        if old is None or f.stat().st_size > self.max_file_bytes:
            return False
        # Chunks of two versions (an interrupted update) or of other chunk settings: re-index.
        return old.versions == {(file_hash(f.read_bytes()), self.chunking)}

    def _existing(self, kb: str) -> dict[str, _Indexed]:
        out: dict[str, _Indexed] = {}
        for c in self.store.iter_all(kb, with_text=False):
            entry = out.setdefault(str(c.meta.get("source", "")), _Indexed())
            entry.versions.add((str(c.meta.get("file_hash", "")), str(c.meta.get("chunking", ""))))
            entry.ids.append(c.id)
        return out

    def _inputs(
        self, kb: str, doc: Document, chunks: list[Chunk]
    ) -> tuple[list[dict[str, Any]], list[str]]:
        """The chunks' metadata and the texts their vectors are computed from."""
        metas = [chunk_metadata(kb, doc, c) | {"chunking": self.chunking} for c in chunks]
        return metas, [index_text(m, c.text) for m, c in zip(metas, chunks, strict=True)]

    def _embed_group(
        self, group: list[tuple[Document, list[Chunk]]], inputs: list[list[str]], ev: IndexEvents
    ) -> bool:
        """Embed a group's texts in one call (into the cache); False if that failed."""
        flat = [t for texts in inputs for t in texts]
        chars = [len(c.text) for _, chunks in group for c in chunks]
        done = 0

        def progress(n: int) -> None:
            nonlocal done
            # The cache reports counts, not which texts: characters are shared out pro rata.
            share = sum(chars[done : done + n])
            done += n
            if ev.embedded:
                ev.embedded(n)
            if ev.embedded_characters:
                ev.embedded_characters(share)

        try:
            self.embeddings.embed_documents(flat, progress=progress)
        except Exception:
            return False
        return True

    def _write(
        self,
        kb: str,
        doc: Document,
        chunks: list[Chunk],
        metas: list[dict[str, Any]],
        inputs: list[str],
        old_ids: list[str],
        ev: IndexEvents | None,
    ) -> None:
        # Without events the vectors are in the cache already (embedded with the group).
        vectors = self.embeddings.embed_documents(inputs, progress=ev.embedded if ev else None)
        if ev and ev.embedded_characters:
            ev.embedded_characters(sum(len(c.text) for c in chunks))
        # Stamped after the (slow) embedding, just before the write: the start-up reconcile
        # leaves chunks this young alone, as another worker may be committing their row.
        stamp = time.time()
        metas = [m | {"indexed_at": stamp} for m in metas]
        ids = [c.id for c in chunks]
        try:
            texts = [c.text for c in chunks]
            self.store.add(kb, ids=ids, vectors=vectors, texts=texts, metas=metas)
        except Exception:
            self.store.delete(kb, ids)  # roll back whatever part of the new version landed
            raise
        stale = sorted(set(old_ids) - set(ids))
        try:
            self.store.delete(kb, stale)
        except Exception as exc:
            raise _StaleLeft(
                f"new version indexed, but {len(stale)} old chunks could not be removed "
                f"({type(exc).__name__}: {exc}); the next run removes them"
            ) from exc

    @staticmethod
    def _fail(
        report: IndexReport, ev: IndexEvents, source: str, reason: str, *, kept: bool
    ) -> None:
        if kept:
            reason += "; the previously indexed version is kept"
        report.failures.append((source, reason))
        if ev.failed:
            ev.failed(source, reason)


def _groups(
    plan: list[tuple[Document, list[Chunk]]], size: int
) -> list[list[tuple[Document, list[Chunk]]]]:
    """Consecutive files, each group holding at least ``size`` chunks (the last one may not)."""
    groups: list[list[tuple[Document, list[Chunk]]]] = []
    current: list[tuple[Document, list[Chunk]]] = []
    count = 0
    for item in plan:
        current.append(item)
        count += len(item[1])
        if count >= size:
            groups.append(current)
            current, count = [], 0
    if current:
        groups.append(current)
    return groups
