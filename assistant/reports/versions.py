"""Section versions: numbering, the current pointer, reopening approval, history with diffs.

A section's text is never overwritten: every draft, edit or import is a new numbered version,
so a review decision always refers to an exact text and the history shows who changed what.
A new version becomes current and reopens an approved section (the approval was of other words).
Diffs are by sentence, since a Chinese paragraph is one long line and a line diff says little.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.drafting.citations import sentence_spans
from assistant.reports import textdiff
from assistant.reports.public import (
    ChangePublic,
    IssuesSummaryPublic,
    VersionBriefPublic,
    VersionFullPublic,
    VersionHistoryPublic,
)
from assistant.storage.audit import record
from assistant.storage.models import Section, SectionVersion, User

ENGINE_LABELS = {
    "llm": "LLM",
    "offline": "离线范文模式",
    "template": "程序生成（报告信息）",
    "human": "人工编辑",
    "import": "导入",
}


def iso(value: dt.datetime) -> str:
    """A stored time (naive, always UTC) as ISO 8601 with its offset, as the other routes say."""
    return value.replace(tzinfo=dt.UTC).isoformat()


def issues_summary(issues: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    counts = Counter(str(i.get("severity")) for i in issues)
    return {
        "errors": counts["error"],
        "warnings": counts["warning"],
        "infos": counts["info"],
        "blocking": counts["error"] > 0,
    }


def summary_public(issues: Iterable[Mapping[str, Any]]) -> IssuesSummaryPublic:
    return IssuesSummaryPublic.model_validate(issues_summary(issues))


def engine_label(version: SectionVersion) -> str:
    label = version.provenance.get("engine_label")
    return str(label) if label else ENGINE_LABELS.get(version.engine, version.engine)


def sentences(text: str) -> list[str]:
    """The units a diff compares: sentences, with a paragraph break written as ``¶``."""
    units = []
    for a, b in sentence_spans(text):
        unit = text[a:b].strip()
        if unit:
            ends_paragraph = text[b - 1] == "\n" or text[b : b + 1] == "\n"
            units.append(unit + ("¶" if ends_paragraph else ""))
    return units


def diff(old: str, new: str, *, old_label: str = "", new_label: str = "") -> str:
    """A unified diff of two texts, one sentence per line; empty when they say the same."""
    lines = difflib.unified_diff(
        sentences(old), sentences(new), fromfile=old_label, tofile=new_label, n=1, lineterm=""
    )
    return "\n".join(lines)


def identical(a: str, b: str) -> bool:
    """The same words: a new version of them would only add an empty diff to the history."""
    return a.strip() == b.strip()


def add_version(
    s: Session,
    section: Section,
    *,
    text: str,
    kind: str,
    author_id: int,
    engine: str,
    provenance: dict[str, Any] | None = None,
    citations: list[Any] | None = None,
    issues: list[Any] | None = None,
) -> SectionVersion:
    """Store the next version of ``section``, make it current and log it (action = kind)."""
    last = s.scalar(
        select(func.max(SectionVersion.number)).where(SectionVersion.section_pk == section.id)
    )
    version = SectionVersion(
        section_pk=section.id,
        number=(last or 0) + 1,
        text=text,
        kind=kind,
        engine=engine,
        provenance=provenance or {},
        citations=citations or [],
        issues=issues or [],
        author_id=author_id,
    )
    s.add(version)
    s.flush()
    section.current_version_id = version.id
    section.approved_version_id = None  # new words need a new approval
    section.status = "draft"
    title = text.strip().splitlines()[0].strip() if text.strip() else ""
    if section.section_id == "title" and title and "【" not in title and len(title) <= 300:
        # The title section is the report's title: the list, the header and the file name
        # follow an edit or a Word import of it (walk-through: two titles after an import).
        report = section.report
        if report.meta.get("title") != title or report.title != title:
            report.meta = {**report.meta, "title": title}
            report.title = title
    record(
        s,
        user_id=author_id,
        action=kind,
        object_type="section",
        object_id=section.id,
        detail={
            "report_id": section.report_id,
            "section": section.section_id,
            "version_id": version.id,
            "version": version.number,
            "engine": engine,
        },
    )
    return version


def usernames(s: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = s.execute(select(User.id, User.username).where(User.id.in_(ids)))
    return {uid: name for uid, name in rows}


def version_brief(version: SectionVersion, author: str) -> VersionBriefPublic:
    return VersionBriefPublic(
        id=version.id,
        version=version.number,
        kind=version.kind,
        engine=version.engine,
        engine_label=engine_label(version),
        author=author,
        created_at=iso(version.created_at),
        issues_summary=summary_public(version.issues),
    )


def version_full(s: Session, version: SectionVersion) -> VersionFullPublic:
    author = usernames(s, {version.author_id}).get(version.author_id, "")
    return VersionFullPublic(
        **dict(version_brief(version, author)),
        text=version.text,
        citations=version.citations,
        issues=version.issues,
        provenance=version.provenance,
    )


def history(s: Session, section: Section) -> list[VersionHistoryPublic]:
    """Every version, newest first, each with its diff against the one before it: ``diff``
    (unified, for scripts) and ``changes`` (kept/deleted/inserted runs, for people)."""
    versions = list(
        s.scalars(
            select(SectionVersion)
            .where(SectionVersion.section_pk == section.id)
            .order_by(SectionVersion.number)
        )
    )
    authors = usernames(s, {v.author_id for v in versions})
    out = []
    previous = ""
    for v in versions:
        out.append(
            VersionHistoryPublic(
                **dict(version_brief(v, authors.get(v.author_id, ""))),
                diff=diff(previous, v.text, old_label=f"v{v.number - 1}", new_label=f"v{v.number}"),
                changes=[ChangePublic(**c) for c in textdiff.changes(previous, v.text)],
            )
        )
        previous = v.text
    return out[::-1]
