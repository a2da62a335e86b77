"""What an export contains: a report as the writer lays it out, and its reading from draft JSON.

The model is plain data with no layout: the title, 主送机关, sections in order (each with the
sentences its citations back), attachments, 落款 and date, reviewer comments and the draft flag.
``from_draft_json`` reads what ``assistant draft --out x.json`` writes
(:func:`assistant.drafting.render.to_json`); sections of kind ``title`` and ``salutation`` become
the title and the recipient line, every other section (the closing too) is body.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.errors import Invalid

if TYPE_CHECKING:
    from assistant.drafting.templates import ReportTemplate

CHECKER = "核查"  # author of the comments made from the checker's issues


class ExportInputError(Invalid, ValueError):
    """The input cannot be exported; the message names the place (``sections[2].text``)."""


@dataclass(frozen=True)
class ExportCitation:
    sentence: str
    refs: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    note: str = ""  # what the footnote says: the fact or document the sentence rests on


@dataclass(frozen=True)
class ExportSection:
    id: str
    heading: str
    text: str
    citations: list[ExportCitation] = field(default_factory=list)
    version: int | None = None  # the stored version exported, marked for the Word round trip


@dataclass(frozen=True)
class ExportComment:
    section_id: str
    sentence: str  # the text the comment is anchored on; the section's start when not found
    author: str
    text: str


@dataclass(frozen=True)
class ExportReport:
    title: str
    recipient: str = ""
    organization: str = ""
    date: dt.date | None = None
    sections: list[ExportSection] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    draft: bool = False
    comments: list[ExportComment] = field(default_factory=list)
    # Section ids of the title and 主送机关 lines: their bookmarks (gw_<id>) let the Word round
    # trip find them like any other section.
    title_id: str = "title"
    recipient_id: str = "salutation"


def _str(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ExportInputError(f"{where}: expected text, got {type(value).__name__}")
    return value


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ExportInputError(f"report.date: {value!r} is not a date (YYYY-MM-DD)") from exc


def _attachments(meta: Mapping[str, Any]) -> list[str]:
    raw = meta.get("attachments") or []
    if not isinstance(raw, list):
        raise ExportInputError("report.attachments: expected a list of titles")
    return [_str(a, f"report.attachments[{i}]").strip() for i, a in enumerate(raw) if a]


def from_meta(
    meta: Mapping[str, Any],
    *,
    title: str,
    recipient: str | None,
    sections: list[ExportSection],
    draft: bool,
    comments: list[ExportComment] | None = None,
    title_id: str = "title",
    recipient_id: str = "salutation",
) -> ExportReport:
    """A report from a fact sheet's ``report`` part (organization, recipient, date,
    attachments) and its sections; a drafted salutation (``recipient``) wins over
    ``meta.recipient``."""
    return ExportReport(
        title=title.strip() or _str(meta.get("title"), "report.title").strip(),
        recipient=(recipient or _str(meta.get("recipient"), "report.recipient")).strip(" ：:"),
        organization=_str(meta.get("organization"), "report.organization").strip(),
        date=_date(meta.get("date")),
        sections=sections,
        attachments=_attachments(meta),
        draft=draft,
        comments=comments or [],
        title_id=title_id,
        # A recipient taken from the meta is no section's text: no bookmark to round-trip.
        recipient_id=recipient_id if recipient else "",
    )


def _fact_note(fact: Mapping[str, Any]) -> str:
    note = f"事实“{fact.get('key', '')}”：{fact.get('value', '')}{fact.get('unit') or ''}"
    if fact.get("note"):
        note += f"，{fact['note']}"
    source = str(fact.get("source") or "user")
    return note + ("" if source == "user" else f"（来源：{source}）")


def _citation_note(
    targets: list[str], facts: Mapping[str, Mapping[str, Any]], passages: Mapping[str, Any]
) -> str:
    parts = []
    for target in targets:
        kind, _, key = target.partition(":")
        if kind == "fact" and key in facts:
            parts.append(_fact_note(facts[key]))
        elif kind == "chunk" and key in passages:
            p = passages[key]
            heading = f"，{p['heading']}" if p.get("heading") else ""
            parts.append(f"《{p.get('title') or p.get('doc_id', '')}》{heading}")
        else:
            parts.append(target)
    return "；".join(parts)


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ExportInputError(f"{where}: expected a list")
    return value


def _dict(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ExportInputError(f"{where}: expected an object")
    return value


def from_draft_json(
    data: Any, *, templates: Mapping[str, ReportTemplate] | None = None, draft: bool = False
) -> ExportReport:
    """Read ``assistant draft --out x.json``. The checker's issues become comments by
    ``核查``; an optional top-level ``comments`` list (``section_id, sentence, author, text``)
    adds reviewers' comments. An unknown template or a misshapen field raises
    :class:`ExportInputError` naming the place."""
    from assistant.drafting.templates import TemplateError, load_templates, pick_template

    data = _dict(data, "the draft")
    try:
        template = pick_template(
            dict(templates) if templates is not None else load_templates(),
            _str(data.get("template"), "template") or None,
            where="template",
        )
    except TemplateError as exc:
        raise ExportInputError(str(exc)) from exc
    meta = _dict(data.get("report") or {}, "report")
    facts = {
        str(f.get("key")): f
        for f in _list(data.get("facts"), "facts")
        if isinstance(f, dict) and f.get("key")
    }
    kinds = {s.id: s.kind for s in template.sections}
    raw_sections = _list(data.get("sections"), "sections")
    if not raw_sections:
        raise ExportInputError("sections: the draft has no sections")
    title, recipient = "", None
    sections: list[ExportSection] = []
    comments: list[ExportComment] = []
    for i, raw in enumerate(raw_sections):
        where = f"sections[{i}]"
        s = _dict(raw, where)
        sid = _str(s.get("section_id"), f"{where}.section_id")
        if not sid:
            raise ExportInputError(f"{where}.section_id: missing")
        text = _str(s.get("text"), f"{where}.text")
        kind = kinds.get(sid, "body")
        if kind == "title":
            title = text.strip()
            continue
        if kind == "salutation":
            recipient = text.strip()
            continue
        provenance = s.get("provenance")
        provenance = provenance if isinstance(provenance, dict) else {}
        passages = {
            str(p.get("chunk_id")): p
            for p in _list(provenance.get("passages"), f"{where}.provenance.passages")
            if isinstance(p, dict)
        }
        citations = []
        for j, c in enumerate(_list(s.get("citations"), f"{where}.citations")):
            c = _dict(c, f"{where}.citations[{j}]")
            targets = [str(t) for t in _list(c.get("targets"), f"{where}.citations[{j}].targets")]
            refs = tuple(str(r) for r in _list(c.get("refs"), f"{where}.citations[{j}].refs"))
            note = _str(c.get("note"), f"{where}.citations[{j}].note")
            citations.append(
                ExportCitation(
                    sentence=_str(c.get("sentence"), f"{where}.citations[{j}].sentence"),
                    refs=refs,
                    targets=tuple(targets),
                    note=note or _citation_note(targets, facts, passages) or "、".join(refs),
                )
            )
        for j, issue in enumerate(_list(s.get("issues"), f"{where}.issues")):
            issue = _dict(issue, f"{where}.issues[{j}]")
            message = _str(issue.get("message"), f"{where}.issues[{j}].message")
            suggestion = _str(issue.get("suggestion"), f"{where}.issues[{j}].suggestion")
            comments.append(
                ExportComment(
                    section_id=sid,
                    sentence=_str(issue.get("text"), f"{where}.issues[{j}].text"),
                    author=CHECKER,
                    text=f"{message}（建议：{suggestion}）" if suggestion else message,
                )
            )
        heading = _str(s.get("heading"), f"{where}.heading")
        sections.append(ExportSection(sid, heading, text, citations))
    for j, c in enumerate(_list(data.get("comments"), "comments")):
        c = _dict(c, f"comments[{j}]")
        comments.append(
            ExportComment(
                section_id=_str(c.get("section_id"), f"comments[{j}].section_id"),
                sentence=_str(c.get("sentence"), f"comments[{j}].sentence"),
                author=_str(c.get("author"), f"comments[{j}].author") or "审核人",
                text=_str(c.get("text"), f"comments[{j}].text"),
            )
        )
    by_kind = {kind: sid for sid, kind in reversed(list(kinds.items()))}
    return from_meta(
        meta,
        title=title,
        recipient=recipient,
        sections=sections,
        draft=draft,
        comments=comments,
        title_id=by_kind.get("title", ""),
        recipient_id=by_kind.get("salutation", ""),
    )
