"""Loading one file into a cleaned :class:`Document`: size limit, the loader the registry
(:mod:`assistant.ingest.formats`) names for its type, metadata."""

from __future__ import annotations

import hashlib
from pathlib import Path

from assistant.domain import BlockKind, Document
from assistant.ingest.errors import IngestError
from assistant.ingest.formats import SUPPORTED, format_of, parse
from assistant.ingest.limits import DEFAULT_LIMITS, ParseLimits
from assistant.ingest.metadata import infer_meta

__all__ = ["SUPPORTED", "file_hash", "load_bytes", "load_file", "read_limited"]


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_file(path: Path, *, max_bytes: int, limits: ParseLimits = DEFAULT_LIMITS) -> Document:
    """Load, clean and describe one file, or raise :class:`IngestError` with the reason."""
    format_of(path.suffix or path.name, str(path))  # an unsupported type is refused unread
    return load_bytes(read_limited(path, max_bytes=max_bytes), path=path, limits=limits)


def read_limited(path: Path, *, max_bytes: int) -> bytes:
    """The file's bytes, refused with a clear reason when it is over the size limit."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(
                source,
                f"file is {size / 1048576:.1f} MB, over the {max_bytes / 1048576:.0f} MB limit",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(source, f"cannot read file ({exc.strerror or exc})") from exc
    return data


def load_bytes(data: bytes, *, path: Path, limits: ParseLimits = DEFAULT_LIMITS) -> Document:
    """Parse ``data`` as the type ``path``'s suffix names, within ``limits`` (checked while
    parsing: a file over the text limit stops at the first paragraph past it)."""
    source = str(path)
    if not data.strip():
        raise IngestError(source, "empty file")
    front, blocks = parse(data, source, path.suffix, limits)
    if not blocks:
        raise IngestError(source, "no text found")
    paragraphs = [b.text for b in blocks if b.kind is not BlockKind.TABLE_ROW]
    meta, _ = infer_meta(front, paragraphs, path)
    for i, block in enumerate(blocks[:4]):
        if block.text == meta.title:
            # The title is metadata (and prefixes every chunk); it is not body text.
            blocks = blocks[:i] + blocks[i + 1 :]
            break
    if not blocks:
        raise IngestError(source, "no text found besides the title")
    return Document(source=source, meta=meta, blocks=blocks, file_hash=file_hash(data))
