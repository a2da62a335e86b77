"""The OFD loader (GB/T 33190): the text of an OFD package, in reading order, as paragraphs.

An OFD file is a zip of XML: ``OFD.xml`` names the document (``DocBody/DocRoot``) and its
``DocInfo`` (the title, when the producer set one); ``Document.xml`` lists the pages in order
(``Pages/Page@BaseLoc``); each page's ``Content.xml`` holds ``TextObject``s (a ``Boundary`` box,
a font ``Size``) with ``TextCode``s (``X``/``Y`` in the box). The text is put in reading order
and rejoined into paragraphs (rows of cells set apart into tables) by
:mod:`assistant.ingest.ofd_layout`; the title and 发文字号 are then
found by the same metadata code as every other file. Templates, annotations, signatures and
images are not read.

The package is checked like a .docx first (:func:`assistant.ingest.package.check_package`:
declared and actual part sizes, the expansion ratio), every part read is bounded again, a DTD
or entity declaration is refused outright (OFD uses none; no entity is ever expanded), and the
page count and text are bounded.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree as ET

from assistant.domain import Block
from assistant.ingest.errors import EncryptedFile, IngestError
from assistant.ingest.limits import OverLimit, ParseLimits, TextBudget
from assistant.ingest.ofd_layout import Run, Table, blocks_of, lines_of
from assistant.ingest.office import table_blocks
from assistant.ingest.package import check_package, local_name, read_part_xml

MAX_PAGES = 5000


def load_ofd(
    data: bytes, source: str, limits: ParseLimits
) -> tuple[dict[str, object], list[Block]]:
    """The title from ``DocInfo`` (as front matter, when set) and the paragraphs."""
    check_package(data, source, ".ofd", limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            package = _Package(zf, source, limits)
            return package.read()
    except zipfile.BadZipFile as exc:
        raise IngestError(source, "corrupt .ofd (not a valid zip package)") from exc


class _Package:
    def __init__(self, zf: zipfile.ZipFile, source: str, limits: ParseLimits) -> None:
        self.zf = zf
        self.source = source
        self.limits = limits
        self.names = set(zf.namelist())
        self.budget = TextBudget(source, limits.max_chars)

    def read(self) -> tuple[dict[str, object], list[Block]]:
        if "OFD.xml" not in self.names:
            raise IngestError(self.source, "not an OFD file (no OFD.xml in the package)")
        root = self._xml("OFD.xml")
        # GB/T 33190 §: an encrypted document names its Encryptions (or ships Encryptions.xml);
        # its parts are ciphertext, which would read as "corrupt".
        encrypted = _find(root, "DocBody", "Encryptions") is not None or any(
            posixpath.basename(n).lower() == "encryptions.xml" for n in self.names
        )
        if encrypted:
            raise EncryptedFile(self.source, ".ofd")
        doc_root = _text(_find(root, "DocBody", "DocRoot"))
        if not doc_root:
            raise IngestError(self.source, "corrupt .ofd (OFD.xml names no DocRoot)")
        title = _text(_find(root, "DocBody", "DocInfo", "Title"))
        document_path = self._resolve("", doc_root)
        document = self._xml(document_path)
        base = posixpath.dirname(document_path)
        runs: list[Run] = []
        for number, loc in enumerate(self._pages(document)):
            if number >= MAX_PAGES:
                raise OverLimit(self.source, f"more than {MAX_PAGES} pages, over the limit")
            page_path = self._resolve(base, loc)
            runs.extend(_runs(self._xml(page_path), number, self.budget))
        blocks: list[Block] = []
        tables = 0
        for item in blocks_of(lines_of(runs)):
            if isinstance(item, Table):
                tables += 1
                blocks.extend(table_blocks(item.rows, context=f"表{tables}"))
            else:
                blocks.append(Block(text=item))
        return ({"title": title} if title else {}), blocks

    def _pages(self, document: ET.Element) -> Iterator[str]:
        pages = _find(document, "Pages")
        if pages is None:
            raise IngestError(self.source, "corrupt .ofd (Document.xml lists no pages)")
        for page in pages:
            if local_name(page.tag) == "Page" and page.get("BaseLoc"):
                yield str(page.get("BaseLoc"))

    def _resolve(self, base: str, loc: str) -> str:
        """A path in the package: absolute (``/Doc_0/…``) or relative to the referring file."""
        loc = loc.replace("\\", "/")
        candidates = (
            [loc.lstrip("/")]
            if loc.startswith("/")
            else [
                posixpath.normpath(posixpath.join(base, loc)),
                posixpath.normpath(loc),
            ]
        )
        for path in candidates:
            if path in self.names:
                return path
        raise IngestError(self.source, f"corrupt .ofd (part {loc} is missing)")

    def _xml(self, name: str) -> ET.Element:
        return read_part_xml(self.zf, name, self.source, ".ofd", self.limits)


def _runs(page: ET.Element, number: int, budget: TextBudget) -> Iterator[Run]:
    for obj in page.iter():
        if local_name(obj.tag) != "TextObject":
            continue
        box = _floats(obj.get("Boundary", ""))
        bx, by = (box[0], box[1]) if len(box) >= 2 else (0.0, 0.0)
        size = _float(obj.get("Size"), 3.5)
        for code in obj:
            if local_name(code.tag) != "TextCode" or not code.text:
                continue
            text = budget.take(code.text)
            deltas = _floats(code.get("DeltaX", ""))
            width = sum(deltas) + size if deltas else 0.0
            yield Run(
                page=number,
                x=bx + _float(code.get("X"), 0.0),
                y=by + _float(code.get("Y"), 0.0),
                size=size,
                text=text,
                width=width,
            )


def _find(root: ET.Element, *path: str) -> ET.Element | None:
    node: ET.Element | None = root
    for name in path:
        if node is None:
            return None
        node = next((child for child in node if local_name(child.tag) == name), None)
    return node


def _text(node: ET.Element | None) -> str:
    return (node.text or "").strip() if node is not None else ""


def _float(value: str | None, default: float) -> float:
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default


def _floats(value: str) -> list[float]:
    """Numbers of a space-separated list; the ``g N d`` repeat shorthand of DeltaX expanded."""
    out: list[float] = []
    parts = value.split()
    i = 0
    while i < len(parts):
        if parts[i] == "g" and i + 2 < len(parts):
            count, step = int(_float(parts[i + 1], 0)), _float(parts[i + 2], 0.0)
            out.extend([step] * min(max(count, 0), 10_000))
            i += 3
            continue
        out.append(_float(parts[i], 0.0))
        i += 1
    return out
