"""Which uploads were read by OCR: wholly (an image) or in part (a PDF's scanned pages).

The page marks such an upload (识别文字) and the facts read from it: a character may be misread,
so the user checks them against the original. No column holds it: the chunks say it
(``ocr_page`` in their metadata, the same mark passages and citations carry), so the answer
cannot drift from what the index holds.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.domain import Document
from assistant.ingest.formats import FORMATS
from assistant.retrieval.store import ChromaStore
from assistant.storage.models import Upload

IMAGE_KINDS = frozenset(f.suffix[1:] for f in FORMATS.values() if f.ocr)


def read_by_ocr(doc: Document) -> bool:
    """True when any of the document's text was read by OCR."""
    return any(b.ocr_page is not None for b in doc.blocks)


def ocr_uploads(store: ChromaStore, uploads: Iterable[Upload]) -> set[int]:
    """The ids of ``uploads`` read by OCR: every image; a PDF when a chunk of it was."""
    found: set[int] = set()
    pdfs: dict[str, dict[str, int]] = {}  # kb → doc_id → upload id
    for u in uploads:
        if u.kind in IMAGE_KINDS:
            found.add(u.id)
        elif u.kind == "pdf" and u.doc_id:
            pdfs.setdefault(u.kb, {})[u.doc_id] = u.id
    for kb, by_doc in pdfs.items():
        # Metadata only, and only while a PDF is still undecided.
        for chunk in store.iter_all(kb, with_text=False):
            if "ocr_page" in chunk.meta:
                upload_id = by_doc.pop(str(chunk.meta.get("doc_id", "")), None)
                if upload_id is not None:
                    found.add(upload_id)
                    if not by_doc:
                        break
    return found
