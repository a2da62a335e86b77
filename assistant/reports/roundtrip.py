"""The Word round trip: a reviewed .docx read back into a report's sections as new versions.

This module owns three steps. **Parsing** (:func:`parse_docx`) reads the body of a .docx into
paragraphs with a role (title, 主送机关, level-1 heading, body, or ignored: 落款, date,
attachment note, 讨论稿 mark) and the bookmarks they carry; headers, footers, comments and
footnotes are not in the body and so never read; tracked deletions are dropped and insertions
kept (the text as Word shows it with changes accepted); table rows become lines.
**Matching** (:func:`match_sections`) finds each section of the report in those paragraphs: by
its bookmark ``gw_<section id>`` (the GB/T 9704 writer puts one on every section's first
paragraph), else by heading text (numbering, spaces and punctuation ignored, small edits
tolerated), else by position (title, 主送机关, the unnumbered opening sections in order, a short
closing line at the end). **Saving** (:class:`WordImport`) stores every section whose text
really changed as a new version of kind ``import``, through the same check and save steps as an
edit (:class:`assistant.reports.sections.SectionService`), all in one transaction.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from docx.oxml.ns import qn

from assistant.accounts.service import Principal
from assistant.checks.checker import Checker
from assistant.drafting.templates import ReportTemplate
from assistant.export import DRAFT_MARK
from assistant.ingest.errors import IngestError
from assistant.ingest.office import check_package
from assistant.reports.access import writable_report
from assistant.reports.facts import Invalid, sheet_of
from assistant.reports.sections import MAX_TEXT, CheckedText, SectionService, template_of
from assistant.reports.versions import diff, issues_summary
from assistant.retrieval.store import ChromaStore
from assistant.review.audit import record
from assistant.storage.db import Database
from assistant.storage.models import SectionVersion
from assistant.uploads.names import safe_filename

Role = Literal["title", "recipient", "heading", "body", "ignored"]
MatchedBy = Literal["bookmark", "heading", "position"]

MAX_DOCUMENT_CHARS = 400_000  # far beyond any report; bounds the matching work
HEADING_RATIO = 0.6  # a renamed heading still matches when this similar
CLOSING_MAX = 40  # a closing line (汇报完毕，谢谢。) is short
_DP_EXACT_LIMIT = 16  # front paragraphs up to which the split uses the exact (slower) ratio
_DP_LIMIT = 40  # more unnumbered paragraphs before the first heading than a report ever has

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Text Word shows neither in the document nor with changes accepted: tracked deletions and
# moved-away text, the fallback copy of drawings, text boxes (not part of the report's prose).
_SKIP = {qn("w:del"), qn("w:moveFrom"), qn("w:txbxContent"), qn("w:pPr"), qn("w:rPr"), _MC_FALLBACK}
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_BOOKMARK = qn("w:bookmarkStart")
_CONTAINERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:ins"), qn("w:moveTo")}

_CN = "一二三四五六七八九十"
_LEVEL1 = re.compile(rf"^[{_CN}]{{1,3}}[、，,.．]")
_NUMBERING = re.compile(
    rf"^\s*(?:[{_CN}百]+[、.．，,]|[（(][{_CN}]+[）)]|\d+[.．、]|[（(]\d+[）)]|第[{_CN}\d]+[部章节][分]?)"
)
_DATE_PART = r"[\d〇○零一二三四五六七八九十]"
_DATE = re.compile(rf"^{_DATE_PART}{{2,4}}年{_DATE_PART}{{1,3}}月{_DATE_PART}{{1,3}}日$")
_ATTACHMENT = re.compile(r"^附件(?:$|[：:\s\d１-９])")
_ATTACHMENT_ITEM = re.compile(r"^\d+[.．、]")
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_CLOSING = re.compile(
    r"汇报完毕|谢谢|请予|请审阅|请审议|请批示|请指正|妥否|特此报告|以上报告|以上汇报"
)
_DRAFT_MARKS = {DRAFT_MARK, f"{DRAFT_MARK}（未经审定，仅供讨论）"}
# Word's AutoFormat and IME switches change these without the reviewer meaning to.
_LOOKALIKE = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "′": "'",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
        "⋯": "...",
        "・": "·",
        "•": "·",
    }
)


class UnreadableDocx(Invalid):
    """The upload is not a .docx we can read (→ 422); the message names the file."""


class ImportConflict(Exception):
    """A matched section got a new version while the file was being checked (→ 409)."""


# -- parsing ------------------------------------------------------------------------------------


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
    if _LEVEL1.match(compact) and len(compact) <= 60 and not _SENTENCE_END.search(compact[:-1]):
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


def parse_docx(data: bytes, source: str) -> list[Para]:
    """The body of a .docx as paragraphs with roles; :class:`UnreadableDocx` naming ``source``
    when it is not one (checked for zip bombs before python-docx opens it)."""
    try:
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


# -- matching -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionRef:
    """A section of the report as matching needs it."""

    id: str
    heading: str  # with its number (一、…); empty for the unnumbered sections
    kind: str  # the template's kind: title, salutation, opening, overview, body, …, closing
    text: str = ""  # the current version's text


@dataclass
class Found:
    id: str
    by: MatchedBy
    lines: list[str] = field(default_factory=list)
    heading: str = ""  # the heading as the document has it (a heading or bookmark match)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class Stray:
    """Document text no section claims: a heading the report does not have, and what follows."""

    heading: str
    text: str


@dataclass
class Matching:
    found: list[Found]
    unmatched: list[Stray]


def bookmark_name(section_id: str) -> str:
    """``gw_<id>``, as the writer names it (Word allows 40 characters: letters, digits, _)."""
    return ("gw_" + re.sub(r"[^A-Za-z0-9_]", "_", section_id))[:40]


def heading_key(text: str) -> str:
    """A heading without its number, spaces and punctuation: what a heading match compares."""
    text = _NUMBERING.sub("", "".join(unicodedata.normalize("NFKC", text).split()), count=1)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def canonical_lines(text: str) -> list[str]:
    """The lines of ``text`` without what Word changes on its own: spaces, full- and half-width
    forms, curly quotes, dashes. Two texts with equal canonical lines say the same."""
    out = []
    for line in text.split("\n"):
        line = unicodedata.normalize("NFKC", line).translate(_LOOKALIKE)
        line = "".join(line.split())
        if line:
            out.append(line)
    return out


def same_text(a: str, b: str) -> bool:
    return canonical_lines(a) == canonical_lines(b)


def similarity(a: str, b: str, *, exact: bool = True) -> float:
    x, y = "".join(canonical_lines(a)), "".join(canonical_lines(b))
    if not x or not y:
        return 0.0
    matcher = difflib.SequenceMatcher(None, x, y, autojunk=False)
    return matcher.ratio() if exact else matcher.quick_ratio()


def _heading_like(p: Para, section: SectionRef) -> bool:
    if p.role == "heading" or _LEVEL1.match(p.text.strip()):
        return True
    return (
        difflib.SequenceMatcher(None, heading_key(p.text), heading_key(section.heading)).ratio()
        >= HEADING_RATIO
    )


def _closing_like(p: Para, section: SectionRef) -> bool:
    text = p.text.strip()
    if p.role == "heading" or not text or len(text) > CLOSING_MAX:
        return False
    return bool(_CLOSING.search(text)) or similarity(text, section.text) >= HEADING_RATIO


def _title_like(p: Para) -> bool:
    text = p.text.strip()
    return (
        p.role in ("body", "title")
        and 0 < len(text) <= 100
        and not text.endswith(("：", ":"))
        and not re.search(r"[。！？!?]", text)
    )


def _salutation_like(p: Para) -> bool:
    text = p.text.strip()
    return (
        p.role in ("body", "recipient")
        and text.endswith(("：", ":"))
        and len(text) <= 40
        and "。" not in text
        and "如下" not in text
    )


def _split_front(
    paras: Sequence[Para], sections: Sequence[SectionRef], anchors: Sequence[int | None]
) -> list[list[Para]] | None:
    """Share consecutive paragraphs among unnumbered sections in order, best fit first.

    Each section takes a run of paragraphs (possibly none); a bookmark pins its section's start.
    The split maximises the similarity of each run to the section's current text, with a small
    bonus for a non-empty run, so never-drafted sections still get the paragraphs in order.
    None when the bookmarks contradict the order, or there are too many paragraphs to share
    (then the caller reports the text unmatched).
    """
    n, k = len(paras), len(sections)
    if k == 0 or n > _DP_LIMIT:
        return None
    exact = n <= _DP_EXACT_LIMIT
    memo: dict[tuple[int, int], tuple[float, list[int]] | None] = {}

    @functools.cache
    def score(j: int, a: int, b: int) -> float:
        if a == b:
            return 0.0
        text = "\n".join(line for p in paras[a:b] for line in p.lines())
        return 0.05 + similarity(text, sections[j].text, exact=exact)

    def best(j: int, a: int) -> tuple[float, list[int]] | None:
        """Best (score, ends) placing paras[a:] into sections[j:]."""
        if (j, a) in memo:
            return memo[(j, a)]
        result: tuple[float, list[int]] | None = None
        pinned = [t for t in range(n) if anchors[t] == j]
        if pinned and pinned[0] != a:
            memo[(j, a)] = None
            return None
        ends = [n] if j == k - 1 else range(a + (1 if pinned else 0), n + 1)
        for b in ends:
            if any(anchors[t] is not None and anchors[t] != j for t in range(a, b)):
                break  # another section's bookmark inside this run: it must end before it
            if j == k - 1:
                result = (score(j, a, b), [b])
                break
            rest = best(j + 1, b)
            if rest is not None and (result is None or score(j, a, b) + rest[0] > result[0]):
                result = (score(j, a, b) + rest[0], [b, *rest[1]])
        memo[(j, a)] = result
        return result

    found = best(0, 0)
    if found is None:
        return None
    runs, start = [], 0
    for end in found[1]:
        runs.append(list(paras[start:end]))
        start = end
    return runs


def _bound(paras: Sequence[Para], sections: Sequence[SectionRef]) -> list[str | None]:
    """The section each paragraph's bookmark names (first occurrence of each only)."""
    names = {bookmark_name(s.id): s.id for s in sections}
    used: set[str] = set()
    out: list[str | None] = []
    for p in paras:
        hit = next((names[m] for m in p.bookmarks if m in names and names[m] not in used), None)
        if hit is not None:
            used.add(hit)
        out.append(hit)
    return out


def match_sections(paragraphs: Sequence[Para], sections: Sequence[SectionRef]) -> Matching:
    """Find the report's sections in a parsed document (see the module docstring)."""
    # A line of a section's own text that reads like a heading (一、… inside a section) is set
    # as one by the writer; it is text, not a section the report lacks.
    headings = {heading_key(s.heading) for s in sections if s.heading}
    content = {line for s in sections for line in canonical_lines(s.text)}
    paras = [
        replace(p, role="body")
        if p.role == "heading"
        and heading_key(p.text) not in headings
        and "".join(canonical_lines(p.text)) in content
        else p
        for p in paragraphs
        if p.role != "ignored"
    ]
    by_id = {s.id: s for s in sections}
    bound = _bound(paras, sections)
    numbered = [s for s in sections if s.heading]
    first_numbered = next((i for i, s in enumerate(sections) if s.heading), len(sections))
    last_numbered = max((i for i, s in enumerate(sections) if s.heading), default=-1)
    front = [s for s in sections[:first_numbered] if s.kind != "closing"]
    trailing = [s for s in sections[last_numbered + 1 :] if not s.heading and s not in front]
    found: list[Found] = []
    unmatched: list[Stray] = []

    # The closing line: by bookmark like any section, else the document's last paragraph when
    # it is short and reads like one (汇报完毕，谢谢。).
    closing = next((s for s in reversed(trailing) if s.id not in bound), None)
    position_closing = -1
    if closing is not None and paras and bound[-1] is None and _closing_like(paras[-1], closing):
        position_closing = len(paras) - 1
    closing_id = closing.id if closing is not None else ""

    numbered_ids = {s.id for s in numbered}
    h = next(
        (
            i
            for i, p in enumerate(paras)
            if p.role == "heading" or bound[i] in numbered_ids or i == position_closing
        ),
        len(paras),
    )

    # After the first heading: a new part at every heading and every bookmark.
    parts: list[Found] = []
    strays: list[Found] = []  # heading parts not (yet) matched
    for i in range(h, len(paras)):
        p = paras[i]
        sid = bound[i]
        if i == position_closing:
            parts.append(Found(closing_id, "position", p.lines()))
        elif sid is not None:
            section = by_id[sid]
            if section.heading and _heading_like(p, section):
                parts.append(Found(sid, "bookmark", [], p.text.strip()))
            else:
                parts.append(Found(sid, "bookmark", p.lines()))
        elif p.role == "heading":
            part = Found("", "heading", [], p.text.strip())
            parts.append(part)
            strays.append(part)
        elif parts:
            parts[-1].lines.extend(p.lines())
    _match_headings(strays, [s for s in numbered if s.id not in bound])

    # Before it: title, 主送机关, then the unnumbered sections shared out in order.
    head = list(range(h))
    title = next((s for s in front if s.kind == "title"), None)
    if title is not None and head:
        at = next((i for i in head if bound[i] == title.id), None)
        by: MatchedBy = "bookmark"
        if at is None:
            by = "position"
            at = next((i for i in head if paras[i].role == "title" and bound[i] is None), None)
        if at is None and bound[head[0]] is None and _title_like(paras[head[0]]):
            at = head[0]
        if at is not None:
            taken = [at]
            while taken[-1] + 1 < h and paras[taken[-1] + 1].role == "title":
                if bound[taken[-1] + 1] is not None:
                    break
                taken.append(taken[-1] + 1)
            # A long title broken over lines (or paragraphs) is one title.
            text = "".join(line for i in taken for line in paras[i].lines())
            found.append(Found(title.id, by, [text] if text else []))
            for i in head[: head.index(at)]:
                unmatched.append(Stray("", "\n".join(paras[i].lines())))
            head = [i for i in head[head.index(at) :] if i not in taken]
    salutation = next((s for s in front if s.kind == "salutation"), None)
    if salutation is not None and head:
        at = next((i for i in head if bound[i] == salutation.id), None)
        by = "bookmark"
        if at is None:
            by = "position"
            at = next((i for i in head if paras[i].role == "recipient" and bound[i] is None), None)
        if at is None and bound[head[0]] is None and _salutation_like(paras[head[0]]):
            at = head[0]
        if at is not None:
            found.append(Found(salutation.id, by, paras[at].lines()))
            head.remove(at)
    rest = [s for s in front if s not in (title, salutation)]
    anchors = [next((j for j, s in enumerate(rest) if s.id == bound[i]), None) for i in head]
    loose = [i for i, a in zip(head, anchors, strict=True) if a is None and bound[i] is not None]
    if loose:  # a bookmark of a section that does not belong here: the paragraph is its text
        for i in loose:
            found.append(Found(str(bound[i]), "bookmark", paras[i].lines()))
        keep = [n for n, i in enumerate(head) if i not in loose]
        head, anchors = [head[n] for n in keep], [anchors[n] for n in keep]
    if head:
        runs = _split_front([paras[i] for i in head], rest, anchors)
        if runs is None:
            unmatched.append(Stray("", "\n".join(ln for i in head for ln in paras[i].lines())))
        else:
            for j, run in enumerate(runs):
                if run:
                    pinned = bound[head[sum(len(r) for r in runs[:j])]] == rest[j].id
                    by = "bookmark" if pinned else "position"
                    found.append(Found(rest[j].id, by, [ln for p in run for ln in p.lines()]))

    for part in parts:
        if part.id:
            found.append(part)
        else:
            unmatched.append(Stray(part.heading, part.text))
    order = {s.id: n for n, s in enumerate(sections)}
    found.sort(key=lambda f: order[f.id])
    return Matching(found, unmatched)


def _match_headings(parts: list[Found], candidates: list[SectionRef]) -> None:
    """Give each unbound heading part the section whose heading it best resembles (≥ 0.6)."""
    pairs = []
    for n, part in enumerate(parts):
        key = heading_key(part.heading)
        for m, section in enumerate(candidates):
            other = heading_key(section.heading)
            ratio = 1.0 if key == other else difflib.SequenceMatcher(None, key, other).ratio()
            if key and ratio >= HEADING_RATIO:
                pairs.append((ratio, -abs(n - m), n, section.id))
    taken_parts: set[int] = set()
    taken_sections: set[str] = set()
    for _, _, n, sid in sorted(pairs, reverse=True):
        if n not in taken_parts and sid not in taken_sections:
            parts[n].id = sid
            taken_parts.add(n)
            taken_sections.add(sid)


# -- saving -------------------------------------------------------------------------------------


def _shown(title: str, meta: Mapping[str, Any], kind: str) -> str:
    """What the export prints for a never-drafted title or 主送机关 (the report meta's): the
    same words coming back are no edit."""
    if kind == "title":
        return (title or str(meta.get("title") or "")).strip()
    recipient = str(meta.get("recipient") or "").strip(" ：:")
    return f"{recipient}：" if kind == "salutation" and recipient else ""


@dataclass
class WordImport:
    """Import a reviewed .docx into a report: matched, checked, saved in one transaction."""

    db: Database
    templates: Mapping[str, ReportTemplate]
    checker: Checker
    store: ChromaStore | None = None
    known_title: Callable[[str], bool] | None = None

    def _sections(self) -> SectionService:
        return SectionService(
            self.db, self.templates, self.checker, store=self.store, known_title=self.known_title
        )

    def authorize(self, user: Principal, report_id: int) -> None:
        """404 unless the user sees the report, 403 unless they may change it (owner, admin)."""
        with self.db.session() as s:
            writable_report(s, user, report_id)

    def run(
        self, user: Principal, report_id: int, data: bytes, filename: str | None
    ) -> dict[str, Any]:
        """Read, match, check and save; see the module docstring. Raises :class:`UnreadableDocx`
        (nothing saved), ``Invalid``, ``NotFound``, ``Forbidden`` or :class:`ImportConflict`."""
        name = safe_filename(filename, "docx")
        paragraphs = parse_docx(data, name)  # a file that cannot be read stops everything here
        sections = self._sections()
        with self.db.session() as s:
            report = writable_report(s, user, report_id)
            template = template_of(self.templates, report)
            sheet = sheet_of(report)
            kinds = {spec.id: spec.kind for spec in template.sections}
            current: dict[str, SectionVersion | None] = {}
            refs = []
            for section in report.sections:
                version = s.get(SectionVersion, section.current_version_id or 0)
                current[section.section_id] = version
                kind = kinds.get(section.section_id, "body" if section.heading else "opening")
                text = (
                    version.text
                    if version is not None
                    else _shown(report.title, report.meta or {}, kind)
                )
                refs.append(SectionRef(section.section_id, section.heading, kind, text))
        matching = match_sections(paragraphs, refs)
        for f in matching.found:
            if len(f.text) > MAX_TEXT:
                raise Invalid(
                    f"{name}: section {f.id!r} has {len(f.text)} characters, at most {MAX_TEXT}"
                )
        shown = {r.id: r.text for r in refs}
        old = {sid: v.text if v is not None else "" for sid, v in current.items()}
        # Checks read the vector store, not the database: they run before the transaction.
        checked: dict[str, CheckedText] = {
            f.id: sections.check_text(
                report_id,
                f.text,
                sheet=sheet,
                genre=template.genre,
                previous=current[f.id],
                engine="import",
                provenance={"file": name, "matched_by": f.by},
            )
            for f in matching.found
            if not same_text(f.text, shown[f.id])
        }
        with self.db.session() as s:
            report = writable_report(s, user, report_id)
            by_id = {section.section_id: section for section in report.sections}
            out = []
            for f in matching.found:
                section = by_id[f.id]
                before = current[f.id]
                if section.current_version_id != (before.id if before is not None else None):
                    raise ImportConflict(
                        f"section {f.id!r} changed while {name} was being read; upload it again"
                    )
                entry: dict[str, Any] = {"id": f.id, "matched_by": f.by}
                if f.id in checked:
                    version = sections.save_checked(
                        s, user, report, section, checked[f.id], kind="import"
                    )
                    number = before.number if before is not None else 0
                    entry |= {
                        "changed": True,
                        "version_id": version.id,
                        "version": version.number,
                        "diff": diff(
                            old[f.id],
                            version.text,
                            old_label=f"v{number}",
                            new_label=f"v{version.number}",
                        ),
                        "issues_summary": issues_summary(version.issues),
                    }
                else:
                    entry |= {
                        "changed": False,
                        "version_id": before.id if before is not None else None,
                        "version": before.number if before is not None else None,
                        "diff": "",
                        "issues_summary": issues_summary(before.issues if before else []),
                    }
                out.append(entry)
            matched = {f.id for f in matching.found}
            result: dict[str, Any] = {
                "sections": out,
                "unmatched": [{"heading": u.heading, "text": u.text} for u in matching.unmatched],
                "unchanged": [e["id"] for e in out if not e["changed"]],
                "missing": [r.id for r in refs if r.id not in matched],
            }
            record(
                s,
                user_id=user.id,
                action="import",
                object_type="report",
                object_id=report.id,
                detail={
                    "file": name,
                    "bytes": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "sections": [
                        {
                            "section": e["id"],
                            "matched_by": e["matched_by"],
                            "version_id": e["version_id"],
                            "version": e["version"],
                        }
                        for e in out
                        if e["changed"]
                    ],
                    "unchanged": result["unchanged"],
                    "unmatched": len(matching.unmatched),
                },
            )
            return result
