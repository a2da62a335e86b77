"""Loading one file into a cleaned :class:`Document`: type checks, size limit, metadata."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

from assistant.domain import Block, BlockKind, Document
from assistant.ingest.cleaning import clean_line, split_paragraphs
from assistant.ingest.encoding import decode_bytes
from assistant.ingest.errors import IngestError
from assistant.ingest.limits import DEFAULT_LIMITS, ParseLimits, TextBudget
from assistant.ingest.metadata import infer_meta, split_front_matter
from assistant.ingest.office import load_docx, load_xlsx, table_blocks

SUPPORTED = (".txt", ".md", ".docx", ".pdf", ".xlsx", ".csv")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_MD_BOLD_LEAD = re.compile(r"^\*\*(.{1,40}?)\*\*")
_PAGE_NUMBER = re.compile(r"^[—–\-－\s]*\d{1,4}[—–\-－\s]*$")


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_file(path: Path, *, max_bytes: int, limits: ParseLimits = DEFAULT_LIMITS) -> Document:
    """Load, clean and describe one file, or raise :class:`IngestError` with the reason."""
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise IngestError(
            source,
            f"unsupported file type '{suffix or path.name}' (supported: {', '.join(SUPPORTED)})",
        )
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
    suffix = path.suffix.lower()
    front: dict[str, object] = {}
    if suffix in (".txt", ".md"):
        front, blocks = _load_text(data, source, markdown=suffix == ".md")
    elif suffix == ".docx":
        blocks = load_docx(data, source, limits)
    elif suffix == ".xlsx":
        blocks = load_xlsx(data, source, limits)
    elif suffix == ".pdf":
        blocks = _load_pdf(data, source, limits)
    elif suffix == ".csv":
        blocks = _load_csv(data, source, context=path.stem)
    else:
        raise IngestError(source, f"unsupported file type '{suffix}'")
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


def _load_text(
    data: bytes, source: str, *, markdown: bool
) -> tuple[dict[str, object], list[Block]]:
    # Text files are decoded whole (their bytes are bounded); the text limit is applied to
    # the cleaned document by the caller.
    text = decode_bytes(data, source).replace("\r\n", "\n").replace("\r", "\n")
    front: dict[str, object] = {}
    if markdown or text.startswith("---"):
        front, text = split_front_matter(text, source)
    blocks: list[Block] = []
    for para in split_paragraphs(text):
        if markdown:
            m = _MD_HEADING.match(para)
            if m:
                blocks.append(
                    Block(
                        text=clean_line(m.group(2)), kind=BlockKind.HEADING, level=len(m.group(1))
                    )
                )
                continue
            lead = _MD_BOLD_LEAD.match(para)
            plain = para.replace("**", "").replace("__", "")
            if lead:
                blocks.append(Block(text=plain, lead=lead.group(1)))
                continue
            para = plain
        blocks.append(Block(text=para))
    return front, blocks


def _load_pdf(data: bytes, source: str, limits: ParseLimits) -> list[Block]:
    if not data.startswith(b"%PDF"):
        raise IngestError(source, "not a PDF file (no %PDF header)")
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(source, "encrypted PDF (a password is required)")
        budget = TextBudget(source, limits.max_chars)
        pages = [budget.take(page.extract_text() or "") for page in reader.pages]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise IngestError(source, f"corrupt PDF ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:
        if "decrypt" in str(exc).lower() or "crypt" in type(exc).__name__.lower():
            raise IngestError(source, "encrypted PDF (cannot be decrypted)") from exc
        raise IngestError(source, f"corrupt PDF ({type(exc).__name__})") from exc
    lines = [ln for page in pages for ln in _without_page_number(page.split("\n"))]
    if not any(ln.strip() for ln in lines):
        raise IngestError(source, "PDF has no text layer (a scanned image needs OCR first)")
    return [Block(text=p) for p in split_paragraphs("\n".join(lines))]


def _without_page_number(lines: list[str]) -> list[str]:
    """Drop a page number (“— 3 —”, “3”) standing as the first or last line of a page."""
    lines = [ln for ln in lines if ln.strip()]
    if lines and _PAGE_NUMBER.match(lines[-1]):
        lines = lines[:-1]
    if lines and _PAGE_NUMBER.match(lines[0]):
        lines = lines[1:]
    return lines


def _load_csv(data: bytes, source: str, *, context: str) -> list[Block]:
    text = decode_bytes(data, source)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",\t;，")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise IngestError(source, f"malformed CSV ({exc})") from exc
    return table_blocks(rows, context=context)
