"""Drafting a stored report's sections, streamed as events and saved as versions.

:meth:`DraftService.prepare` checks access and reads everything a draft needs (fact sheet,
template, current texts) before a stream starts, so a refusal is a plain 403/404. :meth:`run`
then drafts in the caller's (worker) thread and reports through ``emit``: ``token`` deltas
while the engine writes, then ``citations``, ``facts``, ``checks`` and ``done`` once the version
is saved. A failed draft saves nothing and ends with ``error``: the previous version stays
current. A redraft with an instruction uses the ``revise_section`` prompt when an LLM is
configured and the section has a text, and joins the section's points in the draft prompt when
it has none yet; the offline engine cannot follow one, so there the redraft is a fresh draft
that only records the instruction (``instruction_applied: false``).

Redrafts never destroy work: a fresh draft over a person's text (edited, imported, restored) or
over an approved version is refused (:class:`OverwriteNeeded`, 409) unless the caller confirms
with ``overwrite``; a revision by instruction starts from that text, so it needs no confirming,
except over an approval. Each section's draft is based on the version current when it was
prepared (or the ``base_version`` named): if another change landed while it was being written,
it is refused at saving (:class:`StaleBase`) — of several concurrent drafts of one section,
exactly one is saved. A draft saying what the current version says is not stored again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from assistant.accounts.service import Principal
from assistant.checks.grounding import CATEGORY
from assistant.domain import Draft, Issue
from assistant.drafting.composer import Drafter, SectionRequest
from assistant.drafting.engine import Revision
from assistant.drafting.evidence import fact_label
from assistant.drafting.llm import LLMError
from assistant.drafting.outline import OutlineItem, propose_outline
from assistant.drafting.templates import ReportTemplate
from assistant.errors import Forbidden, Invalid, NotFound
from assistant.facts.sheet import Fact, FactSheet
from assistant.reports.access import uploads_kb, writable_report
from assistant.reports.concurrency import (
    OverwriteNeeded,
    SectionConflict,
    StaleBase,
    check_base,
    lock_report,
    protected,
)
from assistant.reports.facts import sheet_of
from assistant.reports.outline import effective_outline
from assistant.reports.sections import find_section
from assistant.reports.structure import template_of
from assistant.reports.versions import add_version, identical, issues_summary
from assistant.retrieval.store import ChromaStore
from assistant.storage.db import Database
from assistant.storage.models import SectionVersion, now

Emit = Callable[[str, dict[str, Any]], None]
MAX_INSTRUCTION = 500


@dataclass(frozen=True)
class SectionJob:
    section_id: str
    item: OutlineItem | None = None
    current_id: int | None = None
    current_number: int = 0
    current_text: str = ""
    current_citations: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class DraftJob:
    report_id: int
    user: Principal
    sheet: FactSheet
    template: ReportTemplate
    uploads_kb: str | None
    sections: list[SectionJob]
    instruction: str = ""
    whole: bool = False  # the whole report: progress events and a closing summary
    # Facts proposed in the same chat message, not confirmed yet: the draft may tell them, and
    # each one told is an error (CH001) until the user confirms it and checks the section again.
    pending: tuple[Fact, ...] = ()


@dataclass
class DraftService:
    db: Database
    templates: Mapping[str, ReportTemplate]
    drafter: Drafter
    store: ChromaStore | None = None

    def prepare(
        self,
        user: Principal,
        report_id: int,
        section_id: str | None = None,
        *,
        instruction: str = "",
        base_version: int | None = None,
        overwrite: bool = False,
        pending: Sequence[Fact] = (),
    ) -> DraftJob:
        """Everything a draft needs, read now; ``section_id=None`` is the whole report.

        Raises :class:`StaleBase` when ``base_version`` is not the section's current version
        and :class:`OverwriteNeeded` when a fresh draft would replace a person's work or an
        approved text and ``overwrite`` is not set.
        """
        instruction = instruction.strip()
        if len(instruction) > MAX_INSTRUCTION:
            raise Invalid(f"instruction: at most {MAX_INSTRUCTION} characters")
        with self.db.session() as s:
            report = writable_report(s, user, report_id)
            template = template_of(self.templates, report)
            sheet = sheet_of(report)
            wanted = [find_section(report, section_id)] if section_id else list(report.sections)
            known = {spec.id for spec in template.sections}
            jobs = []
            guarded = []
            outline = effective_outline(report, template, sheet)  # the user's edits included
            for section in wanted:
                if section.section_id not in known:
                    if section_id is None:
                        continue  # a section the template dropped since: nothing to draft from
                    raise Invalid(f"template {template.name!r} has no section {section_id!r}")
                current = s.get(SectionVersion, section.current_version_id or 0)
                if section_id is not None:
                    check_base(section, current, base_version)
                reason = protected(section, current)
                # A revision by instruction rewrites the person's own text, so it keeps their
                # work; only an approval it would reopen needs confirming.
                revises = self._follows(template, section.section_id, instruction)
                approved = current is not None and section.approved_version_id == current.id
                if reason and not overwrite and (approved or not revises):
                    guarded.append(
                        {
                            "section": section.section_id,
                            "version": current.number if current else 0,
                            "reason": reason,
                        }
                    )
                jobs.append(
                    SectionJob(
                        section.section_id,
                        # The report's own heading: the user may have renamed the section.
                        item=outline.item(section.section_id).model_copy(
                            update={"heading": section.heading}
                        )
                        if section.heading
                        else outline.item(section.section_id),
                        current_id=current.id if current else None,
                        current_number=current.number if current else 0,
                        current_text=current.text if current else "",
                        current_citations=list(current.citations) if current else [],
                    )
                )
            if guarded:
                raise OverwriteNeeded(guarded)
        existing = self.store.knowledge_bases() if self.store is not None else ()
        return DraftJob(
            report_id,
            user,
            sheet,
            template,
            uploads_kb(report_id, existing),
            jobs,
            instruction=instruction,
            whole=section_id is None,
            pending=tuple(f for f in pending if all(f.key != g.key for g in sheet.facts)),
        )

    def run(self, job: DraftJob, emit: Emit) -> None:
        """Draft, save and report each section in turn; stop at the first failure."""
        done: list[dict[str, Any]] = []
        total = len(job.sections)
        planned = [self._request(job, s) for s in job.sections]
        at = [0]  # the index of the section being drafted

        def on_start(index: int, request: SectionRequest) -> None:
            at[0] = index - 1
            if job.whole:
                emit("progress", {"section": request.section_id, "index": index, "total": total})

        def on_token(sid: str, delta: str) -> None:
            emit("token", {"section": sid, "text": delta})

        def on_section(draft: Draft) -> None:
            _, mode, applied = planned[at[0]]
            done.append(self._keep(job, job.sections[at[0]], draft, mode, applied, emit))

        sheet = job.sheet
        if job.pending:
            sheet = job.sheet.model_copy(update={"facts": [*job.sheet.facts, *job.pending]})
        try:
            self.drafter.draft_sections(
                sheet,
                job.template,
                [request for request, _, _ in planned],
                uploads_kb=job.uploads_kb,
                on_token=on_token,
                on_start=on_start,
                on_section=on_section,
            )
        except (LLMError, NotFound, Forbidden) as exc:  # also: the report went away meanwhile
            sid = job.sections[at[0]].section_id
            # status and code as a refusal's answer has them: the page words it in Chinese
            emit(
                "error",
                {"section": sid, "status": exc.status, "code": exc.code, "detail": str(exc)},
            )
            return
        except SectionConflict as exc:  # another change landed while this draft was written
            sid = job.sections[at[0]].section_id
            emit("error", {"section": sid, "status": 409, **exc.detail(), "detail": str(exc)})
            return
        if job.whole:
            emit("done", {"report": job.report_id, "total": total, "sections": done})

    def _keep(
        self, job: DraftJob, section: SectionJob, draft: Draft, mode: str, applied: bool, emit: Emit
    ) -> dict[str, Any]:
        """Save ``draft`` and report it (``citations`` … ``done``); the section's result."""
        draft = _pending_marked(draft, job.pending)
        version_id, number, unchanged = self._save(job, section, draft, mode, applied)
        self._report(job, section.section_id, draft, emit)
        result = {
            "section": section.section_id,
            "version_id": version_id,
            "version": number,
            "unchanged": unchanged,
        }
        engine = {"engine": draft.provenance.engine, "engine_label": draft.provenance.engine_label}
        emit("done", {**result, **engine})
        return result

    def _follows(self, template: ReportTemplate, sid: str, instruction: str) -> bool:
        """Whether the engine is given the instruction (an LLM, a section it writes)."""
        spec = template.section(sid)
        fixed = spec.kind in ("title", "salutation") or bool(spec.text)
        return bool(instruction.strip()) and self.drafter.llm is not None and not fixed

    def _request(self, job: DraftJob, section: SectionJob) -> tuple[SectionRequest, str, bool]:
        """What to ask the pipeline for, how it is made (``draft`` | ``revise``) and whether the
        instruction is given to the engine."""
        sid = section.section_id
        follows = self._follows(job.template, sid, job.instruction)
        if follows and section.current_text:
            revision = Revision(section.current_text, section.current_citations, job.instruction)
            return SectionRequest(sid, revision=revision), "revise", True
        item = section.item
        if job.pending:
            item = item or propose_outline(job.template, job.sheet).item(sid)
            item = item.model_copy(update={"facts": [*item.facts, *(f.key for f in job.pending)]})
        if follows:  # nothing to revise yet: the instruction joins the section's points
            item = item or propose_outline(job.template, job.sheet).item(sid)
            item = item.model_copy(
                update={"points": f"{item.points}（用户要求：{job.instruction}）"}
            )
        return SectionRequest(sid, item=item), "draft", follows

    def _save(
        self, job: DraftJob, section: SectionJob, draft: Draft, mode: str, applied: bool
    ) -> tuple[int, int, bool]:
        """Store the draft as the next version; ``(id, number, unchanged)``."""
        provenance = {
            **draft.provenance.public(),
            "mode": mode,
            "based_on": section.current_id,
            "instruction": job.instruction or None,
            "instruction_applied": applied if job.instruction else None,
        }
        with self.db.session() as s:
            lock_report(s, job.report_id)
            report = writable_report(s, job.user, job.report_id)
            row = find_section(report, section.section_id)
            current = s.get(SectionVersion, row.current_version_id or 0)
            if row.current_version_id != section.current_id:
                raise StaleBase(row.section_id, base=section.current_number, current=current)
            if current is not None and identical(current.text, draft.text):
                return current.id, current.number, True
            version = add_version(
                s,
                row,
                text=draft.text,
                kind="draft",
                author_id=job.user.id,
                engine=draft.provenance.engine,
                provenance=provenance,
                citations=[c.public() for c in draft.citations],
                issues=[i.public() for i in draft.issues],
            )
            report.updated_at = now()
            return version.id, version.number, False

    @staticmethod
    def _report(job: DraftJob, sid: str, draft: Draft, emit: Emit) -> None:
        facts = {f.key: f for f in job.sheet.facts}
        used = [
            {
                "label": fact_label(job.sheet, key),
                "key": key,
                "value": facts[key].value,
                "unit": facts[key].unit,
            }
            for key in draft.provenance.facts_used
            if key in facts
        ]
        issues = [i.public() for i in draft.issues]
        emit("citations", {"section": sid, "citations": [c.public() for c in draft.citations]})
        emit("facts", {"section": sid, "facts": used, "shown": draft.provenance.facts})
        emit(
            "checks",
            {
                "section": sid,
                "issues": issues,
                "summary": {**issues_summary(issues), "characters": len(draft.text)},
            },
        )


def _pending_marked(draft: Draft, pending: Sequence[Fact]) -> Draft:
    """``draft`` with an error on each figure it tells from a fact not confirmed yet."""
    found = pending_issues(draft.text, pending)
    return replace(draft, issues=with_pending(draft.issues, found)) if found else draft


# What a pending fact's figure is also flagged as, for want of a confirmed source: said once,
# as pending (CH001), the user has one thing to do (confirm it), not two errors to read.
_UNSOURCED = frozenset({"GR001", "GR010", "CI002"})


def with_pending(issues: Sequence[Issue], pending: Sequence[Issue]) -> list[Issue]:
    """``issues`` and ``pending`` (CH001), without the unsourced-figure issues a pending
    figure also raised."""

    def covered(i: Issue) -> bool:
        return i.rule in _UNSOURCED and any(p.start < i.end and i.start < p.end for p in pending)

    return [*pending, *(i for i in issues if not covered(i))]


def pending_issues(text: str, pending: Sequence[Fact]) -> list[Issue]:
    """An error (CH001) where ``text`` tells a fact proposed in the chat and not confirmed yet;
    shared by drafts and the chat's check, so both say the same.

    A figure is found as a whole number with its unit: a pending 12件 is not the 12 of a
    confirmed 常委会议12次 nor of 2012年 (which had flagged sections citing confirmed facts)."""
    issues: list[Issue] = []
    for f in pending:
        for at, end in _told_at(text, f):
            issues.append(
                Issue(
                    rule="CH001",
                    category=CATEGORY,
                    severity="error",
                    start=at,
                    end=end,
                    text=text[at:end],
                    message=f"“{f.key}：{f.value}{f.unit}”是聊天中识别的事实，尚待确认",
                    suggestion="在事实表中确认后，发送“检查这一部分”",
                )
            )
    return issues


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _told_at(text: str, fact: Fact) -> list[tuple[int, int]]:
    """Where ``text`` tells ``fact``'s value: each whole-number occurrence followed by its unit,
    or, for a value in words (a name, a title), each occurrence of it."""
    value = f"{fact.value}"
    if not value:
        return []
    if not _NUMBER.fullmatch(value):
        return [(m.start(), m.end()) for m in re.finditer(re.escape(value), text)]
    unit = re.escape(fact.unit.strip()) if fact.unit.strip() else ""
    pattern = rf"(?<![\d.]){re.escape(value)}(?![\d.])" + (rf"(?=\s*{unit})" if unit else "")
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]
