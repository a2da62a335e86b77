"""One file's bytes into a knowledge base: type by content, parse in the bounded worker, the
text limit, then chunks embedded and written (all or nothing).

The same steps and limits as a report upload (:mod:`assistant.uploads`): the loader registry the
CLI's ``assistant index`` uses, read in a child process stopped at the time and memory limits.
Every refusal is raised as is; :func:`assistant.knowledge.reasons.failure_for` says it in Chinese.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from assistant.config import Settings
from assistant.ingest.bounds import ReadBounds
from assistant.ingest.chunking import doc_id_for
from assistant.knowledge.progress import Reporter
from assistant.knowledge.reasons import empty, too_large, too_many_chars
from assistant.retrieval.indexer import Indexer
from assistant.uploads.reading import read_upload
from assistant.uploads.sniff import sniff


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_chars: int
    bounds: ReadBounds

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            max_bytes=settings.max_file_bytes,
            max_chars=settings.max_upload_chars,
            bounds=ReadBounds.from_settings(settings),
        )


@dataclass(frozen=True)
class Indexed:
    title: str
    characters: int
    doc_id: str
    chunks: int


def kind_of(data: bytes, filename: str | None, limits: Limits) -> str:
    """The file's type judged by its bytes (the name only chooses among the text kinds)."""
    if len(data) > limits.max_bytes:
        raise too_large(limits.max_bytes)
    if not data.strip():
        raise empty()
    return sniff(data, filename)


def index_bytes(
    indexer: Indexer,
    *,
    kb: str,
    data: bytes,
    name: str,
    kind: str,
    limits: Limits,
    report: Reporter,
) -> Indexed:
    """Parse, chunk, embed and add the file under a fresh ``doc_id``; nothing is left in the
    store when this raises. The caller records it, or takes the chunks back out."""
    doc, _ = read_upload(
        data, name, kind, proposals=False, bounds=limits.bounds, on_page=report.page
    )
    chars = len(doc.text)
    if chars > limits.max_chars:
        # Embedding runs at ~1,700 characters/s on two cores: refuse what would hold a worker
        # for many minutes rather than time out half-way.
        raise too_many_chars(chars, limits.max_chars)
    # A fresh id per indexing: a re-index writes beside the old version and swaps, and a
    # removal is exact.
    doc_id = doc_id_for(kb, f"upload:{uuid.uuid4().hex}")
    chunks = indexer.index_document(doc, kb=kb, doc_id=doc_id, on_embedded=report.embedded)
    return Indexed(
        title=(doc.meta.title or "").strip()[:300],
        characters=chars,
        doc_id=doc_id,
        chunks=len(chunks),
    )
