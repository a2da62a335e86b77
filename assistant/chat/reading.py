"""The chat's steps that read the report and say what they found: search, sources, answers,
gaps and checks.

They write nothing but the reply; each reads the report afresh with the caller's rights (it may
have been deleted while the message was planned) and ends with the events the page shows:
``citations``, ``checks`` or ``gaps``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.accounts.service import Principal
from assistant.chat.answers import answer, gaps, in_uploads
from assistant.chat.found import found_reply
from assistant.chat.plan import ReportView, Step
from assistant.checks.checker import Checker
from assistant.checks.citations import figures_off_target
from assistant.checks.grounding import Evidence
from assistant.domain import CORPUS, file_name
from assistant.errors import NotFound
from assistant.facts.numbers import readable
from assistant.facts.sheet import Fact, FactSheet
from assistant.quoting import clause_of, quote
from assistant.reports.access import readable_report, uploads_kb
from assistant.reports.drafting import pending_issues, with_pending
from assistant.reports.facts import sheet_of
from assistant.reports.outline import effective_outline
from assistant.reports.sections import upload_sources
from assistant.retrieval.search import Searcher
from assistant.retrieval.store import ChromaStore
from assistant.storage.db import Database
from assistant.storage.models import FactRow, Report, SectionVersion

log = logging.getLogger(__name__)
Emit = Callable[[str, dict[str, Any]], None]
GONE = "报告已被删除或您已无权访问，本条消息未保存。"


@dataclass(frozen=True)
class ChatJob:
    """One message, ready to run: who sent it, about which report, and the report as seen."""

    user: Principal
    report_id: int
    message: str
    view: ReportView
    writable: bool
    # parts already told, in this message, what offline revising cannot do (全文润色: once)
    hinted: list[str] = field(default_factory=list)


def say(emit: Emit, text: str) -> None:
    """A reply to the user (a ``token`` without a section: not a section's text)."""
    emit("token", {"text": text})


def gone(emit: Emit) -> dict[str, Any]:
    """The report was deleted, or the caller lost access, while the message was handled."""
    emit("error", {"detail": GONE})
    return {"reply": GONE, "failed": True}


class ReadingSteps:
    """The reading steps of :class:`~assistant.chat.service.ChatService` (its fields)."""

    db: Database
    searcher: Searcher
    store: ChromaStore
    checker: Checker

    @staticmethod
    def _report_now(s: Session, job: ChatJob) -> Report | None:
        """The bound report if the caller may still read it (it may be deleted meanwhile)."""
        try:
            return readable_report(s, job.user, job.report_id)
        except NotFound:
            log.info("chat: report %s went away during a message; not saved", job.report_id)
            return None

    @staticmethod
    def _say(emit: Emit, text: str) -> None:
        say(emit, text)

    def _sheet_now(self, job: ChatJob) -> FactSheet | None:
        with self.db.session() as s:
            report = self._report_now(s, job)
            return sheet_of(report) if report is not None else None

    def _pending_now(self, job: ChatJob) -> list[Fact]:
        """The report's facts proposed and not yet confirmed or rejected."""
        with self.db.session() as s:
            rows = s.scalars(
                select(FactRow).where(
                    FactRow.report_id == job.report_id, FactRow.status == "proposed"
                )
            ).all()
            out = []
            for r in rows:
                try:
                    out.append(Fact(key=r.key, value=r.value.get("v", ""), unit=r.unit))
                except ValueError:
                    continue  # a proposal the sheet could not hold is no told fact
            return out

    def _search(self, job: ChatJob, step: Step, emit: Emit) -> dict[str, Any]:
        query = step.query or job.message
        hits = self.searcher.search(query, k=5, kb=CORPUS)
        kb = uploads_kb(job.report_id, self.store.knowledge_bases())
        if kb is not None:
            hits = self.searcher.search(query, k=3, kb=kb, per_doc=None) + hits
        passages = [
            {**h.public(server_paths=False), "kb": h.kb, "chunk_id": h.chunk_id} for h in hits
        ]
        text = found_reply(query, passages)
        self._say(emit, text)
        emit("citations", {"citations": passages})
        return {"reply": text, "found": len(passages)}

    def _sources(self, job: ChatJob, step: Step, emit: Emit) -> dict[str, Any]:
        section_id = step.section or job.view.last_section
        with self.db.session() as s:
            report = self._report_now(s, job)
            if report is None:
                return gone(emit)
            sheet = sheet_of(report)
            section = next((x for x in report.sections if x.section_id == section_id), None)
            version = (
                s.get(SectionVersion, section.current_version_id)
                if section is not None and section.current_version_id
                else None
            )
            citations = list(version.citations) if version else []
            text_of_version = version.text if version else ""
            passages = (version.provenance or {}).get("passages", []) if version else []
        titles = {str(p.get("chunk")): str(p.get("title") or "") for p in passages}
        if version is None or section_id is None:
            text = "这一部分还没有草稿，请先起草。"
            self._say(emit, text)
            return {"reply": text}
        facts = {f.key: f for f in sheet.facts}
        lines = []
        for c in citations:
            for target in c.get("targets", []):
                if target.startswith("fact:") and target[5:] in facts:
                    f = facts[target[5:]]
                    # judged per fact: 9999次 is 常委会议's figure, not 巡回指导组's 6个
                    off = figures_off_target(text_of_version, {**c, "targets": [target]}, facts)
                    warn = f"，但其中“{'、'.join(off)}”与该事实不符，请核对" if off else ""
                    told = quote(clause_of(c.get("sentence", ""), f.value))
                    lines.append(f"“{told}”依据事实“{f.key}：{readable(f.value, f.unit)}”{warn}")
                elif target.startswith("chunk:"):
                    title = titles.get(target[6:])
                    where = f"《{title}》" if title else f"（{target[6:]}）"
                    lines.append(f"“{quote(c.get('sentence', ''))}”依据上传材料{where}")
        text = "；".join(lines) + "。" if lines else "这一部分没有标注出处的句子。"
        self._say(emit, text)
        emit("citations", {"citations": citations, "section": section_id})
        result = self.checker.check(text_of_version, evidence=Evidence(facts=sheet))
        emit(
            "checks",
            {
                "issues": [i.public() for i in result.issues],
                "summary": result.summary(),
                "section": section_id,
            },
        )
        return {"reply": text, "section": section_id, "issues": len(result.issues)}

    def _answer(self, job: ChatJob, step: Step, emit: Emit) -> dict[str, Any]:
        sheet = self._sheet_now(job)
        if sheet is None:
            return gone(emit)
        view = job.view
        if step.section:
            view = ReportView(
                view.template, tuple(x for x in view.sections if x.id == step.section)
            )
        found = answer(step.query or job.message, sheet, view)
        if not found.facts:  # 乡村医生有多少名？ answered by an uploaded scan, said as such
            told = in_uploads(step.query or job.message, self._upload_passages(job, step))
            if told:
                found = replace(found, text=told)
        self._say(emit, found.text)
        cited = [{"targets": [f"fact:{k}"], "sentence": found.text} for k in found.facts]
        emit("citations", {"citations": cited})
        return {"reply": found.text, "facts": found.facts}

    def _upload_passages(self, job: ChatJob, step: Step) -> list[tuple[str, str]]:
        kb = uploads_kb(job.report_id, self.store.knowledge_bases())
        if kb is None:
            return []
        hits = self.searcher.search(step.query or job.message, k=3, kb=kb, per_doc=None)
        return [(file_name(h.source.removeprefix("upload:")), h.text) for h in hits]

    def _gaps(self, job: ChatJob, step: Step, emit: Emit) -> dict[str, Any]:
        with self.db.session() as s:
            report = self._report_now(s, job)
            if report is None:
                return gone(emit)
            sheet = sheet_of(report)
            outline = effective_outline(report, job.view.template, sheet)
        found = gaps(job.view, sheet, outline, step.section)
        if found:
            text = (
                "还缺："
                + "；".join(f"{g['label']}——{'、'.join(map(str, g['missing']))}" for g in found)
                + "。"
            )
        else:
            text = "各部分都已起草，没有【待补充】，事实表覆盖了提纲的各部分。"
        self._say(emit, text)
        emit("gaps", {"sections": found})
        return {"reply": text, "gaps": len(found)}

    def _check(self, job: ChatJob, step: Step, emit: Emit) -> dict[str, Any]:
        """Proofread and ground the drafted text of one section or of the whole report against
        the fact sheet and the report's uploads."""
        sheet = self._sheet_now(job)
        if sheet is None:
            return gone(emit)
        evidence = Evidence(facts=sheet, uploads=upload_sources(self.store, job.report_id))
        pending = self._pending_now(job)
        wanted = [x for x in job.view.sections if x.drafted and (step.section in (None, x.id))]
        if not wanted:
            text = (
                "这一部分还没有草稿，请先起草。" if step.section else "报告还没有草稿，请先起草。"
            )
            self._say(emit, text)
            return {"reply": text, "issues": 0}
        total = 0
        lines: list[str] = []
        for sec in wanted:
            heading = f"一、{sec.heading}" if sec.numbered else ""
            result = self.checker.check(
                sec.text, evidence=evidence, genre=job.view.template.genre, heading=heading
            )
            # What the page marks too: facts told from the chat and not confirmed yet.
            found = pending_issues(sec.text, pending)
            issues = [i.public() for i in with_pending(result.issues, found)]
            total += len(issues)
            emit(
                "checks",
                {
                    "section": sec.id,
                    "label": job.view.label(sec.id),
                    "issues": issues,
                    "summary": result.summary(),
                },
            )
            for i in issues[:5]:
                fix = f"，建议：{i['suggestion']}" if i.get("suggestion") else ""
                lines.append(f"{job.view.label(sec.id)}“{i['text']}”：{i['message']}{fix}")
        scope = job.view.label(step.section) if step.section else "全文"
        if total:
            text = f"检查了{scope}，发现 {total} 处问题：" + "；".join(lines[:12]) + "。"
        else:
            text = f"检查了{scope}，没有发现错别字、不规范提法或没有出处的数字。"
        self._say(emit, text)
        return {"reply": text, "issues": total}
