"""Crash-safe indexing: the upload rows and the store's chunks reconciled at start-up.

An upload writes its chunks first and its row second (so a refused upload writes nothing), and a
deletion removes the chunks first. A process killed between the two leaves chunks with no row:
they cannot be deleted through the API and, unguarded, were searched and cited as S passages.
Two guards: :func:`upload_scope` limits every search of a report's knowledge base to the
documents that have a row (so such chunks are never found, even before a restart), and
:func:`reconcile` removes them at start-up:

- a report knowledge base whose report is gone (a deletion interrupted after its rows went) is
  dropped whole;
- chunks of a document with no upload row (in a report's knowledge base, or ``upload:``
  documents in the corpus) are deleted, unless written in the last ``grace`` seconds: another
  worker may be about to commit their row;
- rows whose chunks are missing or short (a deletion interrupted after the chunks went, or a
  damaged store) are reported, never deleted: a store pointed at the wrong place must not wipe
  the database. Deleting such an upload through the API finishes the job.

Corpus documents indexed by ``assistant index`` have no rows and are never touched.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from assistant.domain import CORPUS
from assistant.reports.access import kb_report
from assistant.retrieval.indexer import Indexer
from assistant.storage.db import Database
from assistant.storage.models import Report, Upload

log = logging.getLogger(__name__)
GRACE_SECONDS = 600.0


@dataclass
class Reconciled:
    dropped_kbs: list[str] = field(default_factory=list)
    orphan_chunks: int = 0  # deleted
    orphan_docs: list[tuple[str, str]] = field(default_factory=list)  # (kb, doc_id) deleted
    young_orphans: int = 0  # chunks without a row, left for now (within the grace period)
    incomplete_uploads: list[int] = field(default_factory=list)  # rows short of chunks

    def summary(self) -> str:
        return (
            f"{len(self.dropped_kbs)} knowledge bases of deleted reports dropped, "
            f"{self.orphan_chunks} orphan chunks of {len(self.orphan_docs)} documents removed, "
            f"{self.young_orphans} recent ones left, "
            f"{len(self.incomplete_uploads)} uploads short of chunks"
        )


def upload_scope(db: Database, kb: str) -> frozenset[str] | None:
    """The documents a report's knowledge base may answer from (those with an upload row);
    None for any other knowledge base (the corpus holds indexed files without rows)."""
    if kb_report(kb) is None:
        return None
    with db.session() as s:
        return frozenset(s.scalars(select(Upload.doc_id).where(Upload.kb == kb)))


def reconcile(
    db: Database, indexer: Indexer, *, grace: float = GRACE_SECONDS, now: float | None = None
) -> Reconciled:
    store = indexer.store
    now = time.time() if now is None else now
    with db.session() as s:
        reports = set(s.scalars(select(Report.id)))
        rows: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
        for upload in s.scalars(select(Upload)):
            rows[upload.kb][upload.doc_id] = (upload.id, upload.chunks)
    out = Reconciled()
    for kb in store.knowledge_bases():
        report_id = kb_report(kb)
        if report_id is not None and report_id not in reports:
            store.drop(kb)
            indexer.keywords.forget(kb)
            out.dropped_kbs.append(kb)
            continue
        if report_id is None and kb != CORPUS:
            continue
        _reconcile_kb(indexer, kb, rows.get(kb, {}), now - grace, out, corpus=report_id is None)
    if out.dropped_kbs or out.orphan_chunks or out.incomplete_uploads:
        log.warning(
            "reconciled uploads and the store: %s (uploads short of chunks: %s)",
            out.summary(),
            out.incomplete_uploads,
        )
    return out


def _reconcile_kb(
    indexer: Indexer,
    kb: str,
    rows: dict[str, tuple[int, int]],
    cutoff: float,
    out: Reconciled,
    *,
    corpus: bool,
) -> None:
    chunks: dict[str, list[str]] = defaultdict(list)
    newest: dict[str, float] = {}
    for c in indexer.store.iter_all(kb, with_text=False):
        doc_id = str(c.meta.get("doc_id", ""))
        if corpus and not str(c.meta.get("source", "")).startswith("upload:"):
            continue  # a file indexed by `assistant index`: it has no row by design
        chunks[doc_id].append(c.id)
        stamp = c.meta.get("indexed_at")
        # Chunks from before the stamp existed count as old.
        newest[doc_id] = max(newest.get(doc_id, 0.0), float(stamp or 0.0))
    orphan_ids: list[str] = []
    for doc_id, ids in chunks.items():
        if doc_id in rows:
            continue
        if newest[doc_id] > cutoff:
            out.young_orphans += len(ids)
            continue
        orphan_ids += ids
        out.orphan_docs.append((kb, doc_id))
    for doc_id, (upload_id, recorded) in rows.items():
        if len(chunks.get(doc_id, ())) < recorded:
            out.incomplete_uploads.append(upload_id)
    if orphan_ids:
        indexer.delete_chunks(kb, orphan_ids)
        out.orphan_chunks += len(orphan_ids)
