"""Reading a reviewed .docx back: its body as paragraphs with a role, for the Word round trip.

This module owns **parsing** (:func:`parse_docx`): the body of a .docx read into paragraphs with a
role (title, 主送机关, level-1 heading, body, or ignored: 落款, date, attachment note, 讨论稿
mark) and the bookmarks they carry. Roles come from paragraph styles (our ``GW …`` styles, Word's
built-in ones, a user's style based on either, outline levels), else from the words (a date line,
a 附件 note, 一、… headings) for documents typed without our styles. Headers, footers, comments
and footnotes are not in the body and so never read; tracked deletions are dropped and insertions
kept (the text as Word shows it with changes accepted); table rows become lines. A Word 97–2003
or WPS file (.doc, .wps) is first converted to .docx through the loader registry
(:func:`assistant.ingest.formats.as_modern`, LibreOffice), as uploads and ``assistant index`` do.
A file that is not a readable .docx (or is a zip bomb, or far too long) is refused with
:class:`UnreadableDocx`.
Matching the paragraphs to sections is :mod:`assistant.reports.roundtrip.match`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any, Literal

from docx.oxml.ns import qn

from assistant.errors import Unreadable
from assistant.export import DRAFT_MARK
from assistant.ingest.errors import IngestError
from assistant.ingest.formats import as_modern
from assistant.ingest.limits import DEFAULT_LIMITS, ParseLimits
from assistant.ingest.ole import OLE_MAGIC
from assistant.ingest.package import check_package
from assistant.ingest.worker import DEFAULT_BOUNDS, WorkerBounds, run_bounded

Role = Literal["title", "recipient", "heading", "body", "ignored"]

MAX_DOCUMENT_CHARS = 400_000  # far beyond any report; bounds the matching work
CLOSING_MAX = 40  # a closing line (汇报完毕，谢谢。) is short

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Text Word shows neither in the document nor with changes accepted: tracked deletions and
# moved-away text, the fallback copy of drawings, text boxes (not part of the report's prose).
_SKIP = {qn("w:del"), qn("w:moveFrom"), qn("w:txbxContent"), qn("w:pPr"), qn("w:rPr"), _MC_FALLBACK}
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_BOOKMARK = qn("w:bookmarkStart")
_CONTAINERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:ins"), qn("w:moveTo")}

CN_NUMERALS = "一二三四五六七八九十"
# A level-1 heading typed by hand (一、…); matching uses it too.
LEVEL1 = re.compile(rf"^[{CN_NUMERALS}]{{1,3}}[、，,.．]")
_DATE_PART = r"[\d〇○零一二三四五六七八九十]"
_DATE = re.compile(rf"^{_DATE_PART}{{2,4}}年{_DATE_PART}{{1,3}}月{_DATE_PART}{{1,3}}日$")
_ATTACHMENT = re.compile(r"^附件(?:$|[：:\s\d１-９])")
_ATTACHMENT_ITEM = re.compile(r"^\d+[.．、]")
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_DRAFT_MARKS = {DRAFT_MARK, f"{DRAFT_MARK}（未经审定，仅供讨论）"}


class UnreadableDocx(Unreadable):
    """The upload is not a .docx we can read (→ 422); the message names the file."""


@dataclass(frozen=True)
class Para:
    """One paragraph (or table row) of the body: its text, role and bookmark names."""

    text: str
    role: Role = "body"
    bookmarks: tuple[str, ...] = ()
    style: str = ""

    def lines(self) -> list[str]:
        """The lines it contributes to a section's text (a manual line break starts one)."""
        return [x for x in (line.strip(" \u3000\t") for line in self.text.split("\n")) if x]


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None


def _val(el: Any, tag: str) -> str | None:
    found = el.find(qn(tag)) if el is not None else None
    return None if found is None else found.get(qn("w:val"))


def _outline(ppr: Any) -> int | None:
    value = _val(ppr, "w:outlineLvl")
    return int(value) if value is not None and value.isdigit() else None


def _styles(document: Any) -> dict[str, _Style]:
    table: dict[str, _Style] = {}
    for el in document.styles.element.iterchildren(qn("w:style")):
        style_id = el.get(qn("w:styleId"))
        if style_id:
            name = _val(el, "w:name") or style_id
            table[style_id] = _Style(name, _val(el, "w:basedOn"), _outline(el.find(qn("w:pPr"))))
    return table


def _style_role(name: str) -> tuple[Role, int] | None:
    """The role a style's name gives, with the heading level; None when the name says nothing."""
    key = re.sub(r"\s+", "", name).casefold()
    if key in {"gwtitle", "title", "标题"}:
        return "title", 0
    if key == "gwrecipient":
        return "recipient", 0
    if key in {"gwsignature", "gwdate", "gwattachment", "gwmark", "gwfootnotetext"}:
        return "ignored", 0
    if key in {"gwbody", "normal", "正文"}:
        return "body", 0
    found = re.fullmatch(r"(?:gwheading|heading|标题)(\d)", key)
    if found:
        return "heading", int(found.group(1))
    return None


def _role_of(p: Any, styles: Mapping[str, _Style]) -> tuple[Role, int, str]:
    """(role, heading level, style name) from the style's name, its ancestors, outline levels."""
    ppr = p.find(qn("w:pPr"))
    style_id = _val(ppr, "w:pStyle")
    first = styles.get(style_id) if style_id is not None else None
    name = first.name if first is not None else ""
    outline = _outline(ppr)
    seen: set[str] = set()
    while style_id is not None and style_id in styles and style_id not in seen:
        seen.add(style_id)  # a user's style based on one of ours takes its role
        style = styles[style_id]
        by_name = _style_role(style.name)
        if by_name is not None and by_name[0] != "body":
            return by_name[0], by_name[1], name
        if by_name is not None:
            break
        outline = style.outline if outline is None else outline
        style_id = style.based_on
    if outline is not None and outline < 9:
        return "heading", outline + 1, name
    return "body", 0, name


def _text(el: Any, out: list[str]) -> None:
    for node in el.iterchildren():
        tag = node.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _T:
            out.append(node.text or "")
        elif tag == _TAB:
            out.append("\t")
        elif tag in (_BR, _CR):
            # A page or column break is layout; a line break is the writer's or the user's.
            out.append("" if node.get(qn("w:type")) in ("page", "column") else "\n")
        elif tag == qn("w:noBreakHyphen"):
            out.append("-")
        else:
            _text(node, out)


def paragraph_text(p: Any) -> str:
    out: list[str] = []
    _text(p, out)
    return "".join(out)


def _bookmarks(el: Any) -> tuple[str, ...]:
    return tuple(str(b.get(qn("w:name"), "")) for b in el.iter(_BOOKMARK))


def _body_items(el: Any) -> Iterator[Any]:
    """Paragraphs, tables and loose bookmark starts of the body, content controls opened."""
    for node in el.iterchildren():
        if node.tag in _CONTAINERS:
            yield from _body_items(node)
        elif node.tag in (_P, _TBL, _BOOKMARK):
            yield node


def _table_rows(tbl: Any) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Each row as one line, its cells separated by a tab; merged cells are one ``w:tc``."""
    for tr in tbl.iterchildren(_TR):  # a table nested in a cell is read with its cell
        cells = []
        for tc in tr.iterchildren(_TC):
            texts = [paragraph_text(p).replace("\n", " ").strip() for p in tc.iter(_P)]
            cells.append(" ".join(t for t in texts if t))
        yield "\t".join(cells).strip(), _bookmarks(tr)


def _word_role(text: str, *, in_attachments: bool) -> Role:
    """What a body paragraph is by its words, for documents typed without our styles: a date
    line, a 附件 note (and the numbered names under it) or a level-1 heading (一、…)."""
    compact = re.sub(r"\s+", "", text)
    if _DATE.match(compact) or _ATTACHMENT.match(compact):
        return "ignored"
    if in_attachments and _ATTACHMENT_ITEM.match(compact):
        return "ignored"
    if LEVEL1.match(compact) and len(compact) <= 60 and not _SENTENCE_END.search(compact[:-1]):
        return "heading"
    return "body"


def _signatures(paras: list[Para]) -> list[Para]:
    """Mark the 落款 of a plain document: a short line without punctuation just above a date."""
    out = list(paras)
    for i in range(1, len(out)):
        p, before = out[i], out[i - 1]
        is_date = p.role == "ignored" and _DATE.match(re.sub(r"\s+", "", p.text))
        if (
            is_date
            and before.role == "body"
            and not before.bookmarks
            and len(before.text.strip()) <= CLOSING_MAX
            and not re.search(r"[。，；！？：,;:!?]", before.text)
        ):
            out[i - 1] = Para(before.text, "ignored", before.bookmarks, before.style)
    return out


def parse_docx(
    data: bytes,
    source: str,
    *,
    bounds: WorkerBounds | None = DEFAULT_BOUNDS,
    limits: ParseLimits = DEFAULT_LIMITS,
) -> list[Para]:
    """The body of a .docx as paragraphs with roles; :class:`UnreadableDocx` naming ``source``
    when it is not one. Parsed in a bounded worker (the upload loaders' limits: part sizes,
    time, memory), in this process only when ``bounds`` is None. ``limits`` carry the
    service's LibreOffice command and conversion time for a .doc or .wps."""
    if bounds is not None and data.startswith(OLE_MAGIC):  # LibreOffice converts it first
        bounds = replace(bounds, seconds=bounds.seconds + limits.convert_seconds)
    try:
        if bounds is None:
            return parse_docx_here(data, source, limits)
        return run_bounded(parse_docx_here, data, source, limits, source=source, bounds=bounds)
    except IngestError as exc:  # a limit of the package or of the worker
        raise UnreadableDocx(str(exc)) from exc


def parse_docx_here(data: bytes, source: str, limits: ParseLimits = DEFAULT_LIMITS) -> list[Para]:
    """:func:`parse_docx` in this process (what its worker runs)."""
    try:
        data = _as_docx(data, source, limits)
        check_package(data, source, ".docx")
    except IngestError as exc:
        raise UnreadableDocx(str(exc)) from exc
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for what is not a .docx
        raise UnreadableDocx(f"{source}: not a readable .docx ({type(exc).__name__})") from exc
    try:
        return _paragraphs(document, source)
    except (ValueError, KeyError, AttributeError) as exc:
        raise UnreadableDocx(f"{source}: unreadable .docx content ({type(exc).__name__})") from exc


def _as_docx(data: bytes, source: str, limits: ParseLimits) -> bytes:
    """A .doc or .wps converted to .docx; any other file as it is (the .docx checks judge it)."""
    if not data.startswith(OLE_MAGIC):
        return data
    named = ".wps" if PurePosixPath(source).suffix.lower() == ".wps" else ".doc"
    data, suffix = as_modern(data, source, named, limits)
    if suffix != ".docx":
        raise UnreadableDocx(f"{source}: not a Word document (a spreadsheet or slide deck)")
    return data


def _paragraphs(document: Any, source: str) -> list[Para]:
    styles = _styles(document)
    paras: list[Para] = []
    pending: list[str] = []  # bookmarks placed between paragraphs belong to the next one
    total = 0
    in_attachments = False
    for item in _body_items(document.element.body):
        if item.tag == _BOOKMARK:
            pending.append(str(item.get(qn("w:name"), "")))
            continue
        if item.tag == _TBL:
            for text, marks in _table_rows(item):
                marks = (*pending, *marks)
                if text or marks:
                    paras.append(Para(text, "body", marks, "table"))
                    pending = []
                total += len(text)
            continue
        text = paragraph_text(item).strip(" \u3000\t\n")
        marks = (*pending, *_bookmarks(item))
        pending = []
        total += len(text)
        if total > MAX_DOCUMENT_CHARS:
            raise UnreadableDocx(
                f"{source}: over {MAX_DOCUMENT_CHARS} characters of text; not an export of a report"
            )
        if not text and not any(m.startswith("gw_") for m in marks):
            continue  # an empty paragraph is spacing, unless it marks an empty section
        role, level, style = _role_of(item, styles)
        if role == "body" and text:
            role = _word_role(text, in_attachments=in_attachments)
        elif role == "heading" and level > 1:
            role = "body"  # （一）, 1., （1） headings belong to their section's text
        if text in _DRAFT_MARKS:
            role = "ignored"
        in_attachments = role == "ignored" and (
            in_attachments or style == "GW Attachment" or bool(_ATTACHMENT.match(text))
        )
        paras.append(Para(text, role, marks, style))
    return _signatures(paras)
