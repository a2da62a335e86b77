"""Reading an upload's bytes: the document to index and, for tables, the facts it proposes.

Every refusal is an :class:`Unreadable` naming the file by its safe name (never a path).
"""

from __future__ import annotations

import logging
from pathlib import Path

from assistant.domain import Document
from assistant.facts.from_table import facts_from_table
from assistant.facts.proposed import ProposedFact
from assistant.ingest.errors import IngestError
from assistant.ingest.loaders import load_bytes
from assistant.uploads.errors import Unreadable

log = logging.getLogger(__name__)
TABLE_KINDS = ("xlsx", "csv")


def read_document(data: bytes, name: str, kind: str) -> Document:
    """The parsed document, its source ``upload:<name>``."""
    # The loader picks its parser by suffix: give it the sniffed one, never the declared one.
    path = Path(f"{Path(name).stem or 'upload'}.{kind}")
    try:
        doc = load_bytes(data, path=path)
    except IngestError as exc:
        raise Unreadable(f"{name}: {exc.reason}") from exc
    except Exception as exc:  # a parser bug or a malformed part no loader anticipated
        log.warning("cannot parse upload %s", name, exc_info=True)
        raise Unreadable(f"{name}: cannot read this {kind} file ({type(exc).__name__})") from exc
    return Document(
        source=f"upload:{name}", meta=doc.meta, blocks=doc.blocks, file_hash=doc.file_hash
    )


def read_proposals(data: bytes, name: str, kind: str) -> list[ProposedFact]:
    """Facts proposed by a table (.xlsx, .csv); [] for any other kind."""
    if kind not in TABLE_KINDS:
        return []
    try:
        return facts_from_table(data, filename=name)
    except IngestError as exc:
        raise Unreadable(f"{name}: {exc.reason}") from exc
    except Exception as exc:
        log.warning("cannot read facts from upload %s", name, exc_info=True)
        raise Unreadable(f"{name}: cannot read the table ({type(exc).__name__})") from exc
