"""Structure-aware chunking for 公文: heading paths, sentence-end splits, no cut inside a title.

Chunks never cross a numbered heading. Inside a section, paragraphs are packed up to the target
size; a run-in lead phrase (第一时间学习贯彻。) is a preferred place to start a new chunk and names
the chunk it starts. Over-long sentences are cut at ；, then ，, never inside a number or 《》.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from assistant.domain import BlockKind, Chunk, Document
from assistant.ingest.cleaning import has_placeholder
from assistant.ingest.headings import article_label, detect_heading, is_lead, numbering_level
from assistant.ingest.sentences import fit, sentences

DEFAULT_CHUNK_SIZE = 400


@dataclass
class _Piece:
    path: tuple[str, ...]
    text: str
    lead: str | None = None  # set when this piece starts a lead phrase
    new_paragraph: bool = False
    ocr_page: int | None = None


@dataclass
class _Open:
    path: tuple[str, ...]
    lead: str | None
    parts: list[str] = field(default_factory=list)
    size: int = 0
    ocr_page: int | None = None  # the first page read by OCR among its pieces

    def add(self, piece: _Piece) -> None:
        if self.ocr_page is None:
            self.ocr_page = piece.ocr_page
        sep = "\n" if piece.new_paragraph and self.parts else ""
        self.parts.append(sep + piece.text)
        self.size += len(piece.text)

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()


def doc_id_for(kb: str, source: str) -> str:
    return hashlib.sha1(f"{kb}\0{source}".encode()).hexdigest()[:16]


def chunk_document(
    doc: Document, *, doc_id: str, size: int = DEFAULT_CHUNK_SIZE, version: str = ""
) -> list[Chunk]:
    """Chunks of ``doc``; ``version`` (e.g. a file-hash prefix) makes each version's ids unique."""
    prefix = f"{doc_id}-{version}" if version else doc_id
    pieces = list(_pieces(doc, size))
    texts = _pack(pieces, size)
    return [
        Chunk(
            id=f"{prefix}-{i:04d}",
            doc_id=doc_id,
            ord=i,
            text=text,
            heading_path=path,
            has_placeholder=has_placeholder(text),
            ocr_page=page,
        )
        for i, (path, text, page) in enumerate(texts)
    ]


def _pieces(doc: Document, size: int) -> list[_Piece]:
    stack: list[tuple[int, str]] = []
    out: list[_Piece] = []

    def path() -> tuple[str, ...]:
        return tuple(text for _, text in stack)

    def push(level: int, text: str) -> None:
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, text))

    for block in doc.blocks:
        page = block.ocr_page
        if block.kind is BlockKind.HEADING:
            if block.text == doc.meta.title:
                continue
            # A styled heading that is numbered (## 一、…) ranks by its numbering.
            push(numbering_level(block.text) or block.level or 1, block.text)
            continue
        if block.kind is BlockKind.TABLE_ROW:
            ctx = (block.context,) if block.context else ()
            for part in fit(block.text, size):
                out.append(_Piece(path() + ctx, part, new_paragraph=True, ocr_page=page))
            continue
        body = block.text
        heading = detect_heading(body)
        run_in = False
        if heading is not None:
            push(heading.level, heading.text)
            body, run_in = heading.body.strip(), heading.run_in
            if not body:
                continue
        pieces = _paragraph_pieces(body, path(), size, bold_lead=block.lead, run_in=run_in)
        for piece in pieces:
            piece.ocr_page = page
        out.extend(pieces)
    return out


def _paragraph_pieces(
    body: str, path: tuple[str, ...], size: int, *, bold_lead: str | None, run_in: bool = False
) -> list[_Piece]:
    units = sentences(body)
    out: list[_Piece] = []
    for i, unit in enumerate(units):
        lead: str | None = None
        if i == 0 and run_in:
            pass  # the first sentence is the section's own heading, already in the path
        elif i == 0 and bold_lead and unit.startswith(bold_lead.rstrip("。")):
            lead = bold_lead.rstrip("。")
        elif i == 0 and article_label(unit):
            lead = article_label(unit)
        elif i < len(units) - 1 and is_lead(unit, first=i == 0):
            lead = unit.strip().rstrip("。")
        for j, part in enumerate(fit(unit, size)):
            out.append(
                _Piece(path, part, lead=lead if j == 0 else None, new_paragraph=i == 0 and j == 0)
            )
    return out


def _pack(pieces: list[_Piece], size: int) -> list[tuple[tuple[str, ...], str, int | None]]:
    chunks: list[_Open] = []
    current: _Open | None = None
    for piece in pieces:
        start_new = (
            current is None
            or piece.path != current.path
            or current.size + len(piece.text) > size
            or (piece.lead is not None and current.size >= size // 2)
        )
        if start_new:
            current = _Open(piece.path, piece.lead)
            chunks.append(current)
        assert current is not None
        current.add(piece)
    merged: list[_Open] = []
    for chunk in chunks:
        # A small tail of a section reads better with the chunk before it than on its own.
        if (
            merged
            and chunk.path == merged[-1].path
            and chunk.lead is None
            and chunk.size < size // 4
            and merged[-1].size + chunk.size <= size * 5 // 4
        ):
            prev = merged[-1]
            prev.parts.extend(chunk.parts)
            prev.size += chunk.size
            prev.ocr_page = prev.ocr_page if prev.ocr_page is not None else chunk.ocr_page
            continue
        merged.append(chunk)
    return [(c.path + ((c.lead,) if c.lead else ()), c.text, c.ocr_page) for c in merged if c.text]
