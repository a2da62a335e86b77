"""Plain models shared by every stage. Imports nothing from the project."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Literal

# The shared knowledge base of past reports and policy texts (the style layer); each report's
# uploads have one of their own (``assistant.reports.access.report_kb``).
CORPUS = "corpus"


class BlockKind(StrEnum):
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    TABLE_ROW = "table_row"


@dataclass(frozen=True)
class Block:
    """One unit of a loaded document, in reading order.

    ``level`` is set when the source says a block is a heading (a Word heading style, a Markdown
    ``#``); otherwise headings are recognised from 公文 numbering by the chunker. ``lead`` is a
    run-in lead phrase the source marked in bold (``第一时间学习贯彻。``).
    """

    text: str
    kind: BlockKind = BlockKind.PARAGRAPH
    level: int | None = None
    lead: str | None = None
    context: str | None = None  # table rows: the sheet or table they belong to
    ocr_page: int | None = None  # read by OCR from this page of a scan (counted from 1)
    # The first row of a table read by OCR carries the whole table as read, cell by cell:
    # facts are proposed from it as from a sheet (``upload:<file>#p3!B2``).
    grid: tuple[tuple[str, ...], ...] | None = None


@dataclass(frozen=True)
class DocMeta:
    title: str
    genre: str | None = None
    year: int | None = None
    issuer: str | None = None
    doc_no: str | None = None


@dataclass(frozen=True)
class Document:
    """A loaded, cleaned document: metadata plus blocks."""

    source: str
    meta: DocMeta
    blocks: list[Block]
    file_hash: str = ""

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


@dataclass(frozen=True)
class Chunk:
    """A retrievable piece of a document with the heading path it sits under."""

    id: str
    doc_id: str
    ord: int
    text: str
    heading_path: tuple[str, ...]
    has_placeholder: bool = False
    ocr_page: int | None = None  # read by OCR: the page of the scan where the chunk starts

    @property
    def heading(self) -> str:
        return " > ".join(self.heading_path)


def file_name(source: str) -> str:
    """The last part of a path, with either separator (``/srv/corpus/a.txt`` → ``a.txt``)."""
    return source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or source


@dataclass(frozen=True)
class Passage:
    """A search hit: a chunk with its document's metadata and a fused score."""

    chunk_id: str
    doc_id: str
    title: str
    source: str
    heading: str
    text: str
    score: float
    genre: str | None = None
    year: int | None = None
    kb: str = CORPUS
    has_placeholder: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    ocr_page: int | None = None  # read by OCR from this page of a scan

    @property
    def provenance(self) -> str:
        """Its source, and for text read by OCR the page too (``upload:a.pdf#p3``)."""
        return f"{self.source}#p{self.ocr_page}" if self.ocr_page is not None else self.source

    def public(self, *, server_paths: bool = True) -> dict[str, Any]:
        """The CLI/API contract: ``{doc_id, title, source, heading, text, score}``.

        ``server_paths=False`` (the API) shows only the file's name as ``source``: where the
        server keeps its corpus is none of a user's business, and says more than it should.
        """
        out: dict[str, Any] = {
            "doc_id": self.doc_id,
            "title": self.title,
            "source": self.source if server_paths else file_name(self.source),
            "heading": self.heading,
            "text": self.text,
            "score": round(self.score, 6),
        }
        if self.ocr_page is not None:  # text read by OCR says so, and from which page
            out["ocr_page"] = self.ocr_page
            out["provenance"] = f"{out['source']}#p{self.ocr_page}"
        return out


Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Issue:
    """One finding of the checker (grounding or proofreading), with offsets into the text.

    ``error`` blocks a final export; ``warning`` and ``info`` are advice.
    """

    rule: str
    category: str
    severity: Severity
    start: int
    end: int
    text: str
    message: str
    suggestion: str = ""

    def public(self) -> dict[str, Any]:
        return asdict(self)  # every field, in their order: the stored and answered shape


@dataclass
class IndexReport:
    """What one indexing run did."""

    files_seen: int = 0
    indexed: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks: int = 0
    characters: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        return (
            f"files: {self.files_seen} (indexed {self.indexed}, unchanged {self.unchanged}, "
            f"removed {self.removed}), chunks: {self.chunks}, seconds: {self.seconds:.1f}, "
            f"{self.rate_text()}failures: {len(self.failures)}"
        )

    def rate_text(self) -> str:
        """``characters: 55,714 (1,462/s), `` when text was indexed, else nothing."""
        if not self.characters or self.seconds <= 0:
            return ""
        return f"characters: {self.characters:,} ({self.characters / self.seconds:,.0f}/s), "


@dataclass(frozen=True)
class Citation:
    """Which evidence backs which sentence of a draft: ``refs`` are F…/S…/E… labels.

    ``start``/``end`` are offsets into the draft's clean text (markers removed); ``targets``
    resolve each label to a fact key (``fact:常委会议``) or a passage (``chunk:<id>``).
    """

    start: int
    end: int
    sentence: str
    refs: tuple[str, ...]
    targets: tuple[str, ...]

    def public(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "sentence": self.sentence,
            "refs": list(self.refs),
            "targets": list(self.targets),
        }


@dataclass
class Provenance:
    """Where a draft came from: engine, model, prompt, evidence and timings (milliseconds)."""

    engine: Literal["llm", "offline", "template"]
    model: str | None = None
    prompt: str | None = None
    prompt_sha256: str | None = None
    facts: list[str] = field(default_factory=list)  # fact keys shown to the engine
    facts_used: list[str] = field(default_factory=list)  # fact keys cited or filled in
    passages: list[dict[str, Any]] = field(default_factory=list)  # label, kb, chunk, doc, title
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def engine_label(self) -> str:
        if self.engine == "llm":
            return self.model or "LLM"
        return "离线范文模式" if self.engine == "offline" else "程序生成（报告信息）"

    def public(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "engine_label": self.engine_label,
            "model": self.model,
            "prompt": self.prompt,
            "prompt_sha256": self.prompt_sha256,
            "facts": list(self.facts),
            "facts_used": list(self.facts_used),
            "passages": list(self.passages),
            "timings": {k: round(v, 2) for k, v in self.timings.items()},
        }


@dataclass
class Draft:
    """One drafted section: clean text, its citations, provenance and the checker's issues."""

    section_id: str
    heading: str
    text: str
    provenance: Provenance
    citations: list[Citation] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    raw: str = ""  # the engine's output before citation markers were taken out

    @property
    def blocking(self) -> bool:
        return any(i.severity == "error" for i in self.issues)

    def public(self) -> dict[str, Any]:
        return {
            "section_id": self.section_id,
            "heading": self.heading,
            "text": self.text,
            "citations": [c.public() for c in self.citations],
            "issues": [i.public() for i in self.issues],
            "provenance": self.provenance.public(),
        }
