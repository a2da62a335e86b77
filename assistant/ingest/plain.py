"""Loaders for text files: plain text, Markdown (headings, bold leads, front matter) and CSV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from assistant.domain import Block, BlockKind
from assistant.ingest.cleaning import clean_line, split_paragraphs
from assistant.ingest.encoding import decode_bytes
from assistant.ingest.errors import IngestError
from assistant.ingest.limits import ParseLimits
from assistant.ingest.metadata import split_front_matter
from assistant.ingest.office import table_blocks

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_MD_BOLD_LEAD = re.compile(r"^\*\*(.{1,40}?)\*\*")


def load_txt(
    data: bytes, source: str, limits: ParseLimits
) -> tuple[dict[str, object], list[Block]]:
    return load_text(data, source, markdown=False)


def load_md(data: bytes, source: str, limits: ParseLimits) -> tuple[dict[str, object], list[Block]]:
    return load_text(data, source, markdown=True)


def load_text(data: bytes, source: str, *, markdown: bool) -> tuple[dict[str, object], list[Block]]:
    """Front matter (when there is any) and the paragraphs of a text or Markdown file."""
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


def load_csv(data: bytes, source: str, limits: ParseLimits) -> list[Block]:
    """The rows of a CSV file (any of , tab ; ，), each labelled with its column headers."""
    text = decode_bytes(data, source)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",\t;，")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise IngestError(source, f"malformed CSV ({exc})") from exc
    return table_blocks(rows, context=Path(source).stem)
