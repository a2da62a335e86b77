"""The .pptx loader: the text of each slide in presentation order, one block per paragraph.

Slides are taken in the order ``ppt/presentation.xml`` lists them (``sldIdLst`` through the
package relationships), else by their file number. Each text paragraph (``a:p``, its ``a:t``
runs joined) is a block; a slide's first paragraph is marked as a heading (its title, in the
usual layouts). Notes, masters, layouts, charts and images are not read. The package gets the
.docx checks (:func:`assistant.ingest.package.check_package`) and every part is bounded.
.ppt and .dps decks reach this loader converted by LibreOffice.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree as ET

from assistant.domain import Block, BlockKind
from assistant.ingest.cleaning import clean_line
from assistant.ingest.errors import IngestError
from assistant.ingest.limits import ParseLimits, TextBudget
from assistant.ingest.package import check_package, local_name, read_part_xml

_SLIDE = re.compile(r"^ppt/slides/slide(\d+)\.xml$")
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def load_pptx(data: bytes, source: str, limits: ParseLimits) -> list[Block]:
    check_package(data, source, ".pptx", limits)
    budget = TextBudget(source, limits.max_chars)
    blocks: list[Block] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for path in _slide_order(zf, source, limits):
                slide = read_part_xml(zf, path, source, ".pptx", limits)
                blocks.extend(_slide_blocks(slide, budget))
    except zipfile.BadZipFile as exc:
        raise IngestError(source, "corrupt .pptx (not a valid zip package)") from exc
    return blocks


def _slide_order(zf: zipfile.ZipFile, source: str, limits: ParseLimits) -> list[str]:
    names = set(zf.namelist())
    numbered = sorted(
        (int(m.group(1)), name) for name in names if (m := _SLIDE.match(name)) is not None
    )
    if not numbered:
        raise IngestError(source, "not a PowerPoint file (no slides in the package)")
    rels_path = "ppt/_rels/presentation.xml.rels"
    if "ppt/presentation.xml" not in names or rels_path not in names:
        return [name for _, name in numbered]
    rels = {
        rel.get("Id"): posixpath.normpath(posixpath.join("ppt", rel.get("Target", "")))
        for rel in read_part_xml(zf, rels_path, source, ".pptx", limits)
    }
    presentation = read_part_xml(zf, "ppt/presentation.xml", source, ".pptx", limits)
    ordered = [
        rels.get(node.get(_REL_NS))
        for node in presentation.iter()
        if local_name(node.tag) == "sldId"
    ]
    listed = [path for path in ordered if path in names]
    return listed or [name for _, name in numbered]


def _slide_blocks(slide: ET.Element, budget: TextBudget) -> list[Block]:
    blocks: list[Block] = []
    for para in slide.iter():
        if local_name(para.tag) != "p":
            continue
        text = clean_line(
            budget.take("".join(t.text or "" for t in para.iter() if local_name(t.tag) == "t"))
        )
        if not text:
            continue
        if not blocks:
            blocks.append(Block(text=text, kind=BlockKind.HEADING, level=2))
        else:
            blocks.append(Block(text=text))
    return blocks
