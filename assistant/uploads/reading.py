"""Reading an upload's bytes: the document to index and, for tables, the facts it proposes.

Both are read in one bounded worker (:mod:`assistant.ingest.worker`): a hostile file costs at
most the time and memory limits, and its parse never runs in the server's own process. Every
refusal names the file by its safe name (never a path) and the limit it hit: 413 for a file too
large in some dimension, 422 for one that cannot be read, took too long, or holds more text
than may be indexed.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from assistant.domain import Document
from assistant.facts.from_table import facts_from_scan, facts_from_table
from assistant.facts.proposed import ProposedFact
from assistant.ingest.bounds import ReadBounds
from assistant.ingest.errors import EncryptedFile, IngestError, encrypted_message
from assistant.ingest.formats import FORMATS, as_modern
from assistant.ingest.limits import OverLimit, ParseLimits, TooMuchText
from assistant.ingest.loaders import file_hash, load_bytes
from assistant.ingest.progress import PageReport, reporting
from assistant.ingest.worker import run_bounded
from assistant.uploads.errors import KEEPS_CODE, Encrypted, TooLarge, Unreadable

log = logging.getLogger(__name__)
TABLE_KINDS = tuple(f.suffix[1:] for f in FORMATS.values() if f.table)
# What may be read by OCR: images, and PDFs (any page without a text layer).
OCR_KINDS = ("pdf", *(f.suffix[1:] for f in FORMATS.values() if f.ocr))
OCR_PAGE_SECONDS = 60.0  # the page under way when the OCR time limit passes
OCR_MEMORY_MB = 3072  # address space: onnxruntime reserves ~2 GB (1 GB resident) for a page


def read_upload(
    data: bytes,
    name: str,
    kind: str,
    *,
    proposals: bool,
    bounds: ReadBounds,
    on_page: PageReport | None = None,
) -> tuple[Document, list[ProposedFact]]:
    """The parsed document (its source ``upload:<name>``) and, when asked, a table's facts;
    the pages read by OCR are reported to ``on_page`` as they are done."""
    worker = bounds.worker
    if worker is not None and FORMATS[f".{kind}"].convert is not None:
        # LibreOffice converts first (its own process group, its own time limit), then the
        # converted file is parsed: the worker is given both times.
        worker = replace(worker, seconds=worker.seconds + bounds.limits.convert_seconds)
    if worker is not None and kind in OCR_KINDS:
        # Pages read by OCR stop at their own limit (ASSISTANT_OCR_TIMEOUT), checked page by
        # page; the worker gives that time (and a page's more) once OCR starts, as a last resort.
        worker = replace(
            worker,
            ocr_seconds=bounds.limits.ocr_seconds + OCR_PAGE_SECONDS,
            memory_mb=max(worker.memory_mb, OCR_MEMORY_MB),
        )
    try:
        if worker is None:
            with reporting(on_page):
                return parse_upload(data, name, kind, proposals, bounds.limits)
        return run_bounded(
            parse_upload,
            data,
            name,
            kind,
            proposals,
            bounds.limits,
            source=name,
            bounds=worker,
            on_page=on_page,
        )
    except TooMuchText as exc:
        raise KEEPS_CODE[exc.code](
            f"{name}: {exc.reason} (ASSISTANT_MAX_UPLOAD_CHARS); "
            "split the file or index it with assistant index"
        ) from exc
    except OverLimit as exc:
        raise KEEPS_CODE.get(exc.code, TooLarge)(f"{name}: {exc.reason}") from exc
    except EncryptedFile as exc:
        raise Encrypted(encrypted_message(name)) from exc
    except IngestError as exc:
        raise KEEPS_CODE.get(exc.code, Unreadable)(f"{name}: {exc.reason}") from exc
    except Exception as exc:  # a parser bug or a malformed part no loader anticipated
        log.warning("cannot parse upload %s", name, exc_info=True)
        raise Unreadable(f"{name}: cannot read this {kind} file ({type(exc).__name__})") from exc


def parse_upload(
    data: bytes, name: str, kind: str, proposals: bool, limits: ParseLimits
) -> tuple[Document, list[ProposedFact]]:
    """What the worker runs: the document, then (for a table) its proposed facts."""
    # The loader picks its parser by suffix: give it the sniffed one, never the declared one.
    path = Path(f"{Path(name).stem or 'upload'}.{kind}")
    # A legacy or WPS file is converted once, for the document and for its table's facts.
    modern, suffix = as_modern(data, str(path), path.suffix, limits)
    doc = load_bytes(modern, path=path.with_suffix(suffix), limits=limits)
    doc = Document(
        source=f"upload:{name}", meta=doc.meta, blocks=doc.blocks, file_hash=file_hash(data)
    )
    if proposals and kind in OCR_KINDS:  # tables read by OCR from a scan
        return doc, facts_from_scan(doc.blocks, filename=name)
    wanted = proposals and kind in TABLE_KINDS
    return doc, facts_from_table(modern, filename=name, limits=limits) if wanted else []
