"""The chat bound to a report: one message in, one action, a streamed reply with its evidence.

The action is chosen by rule (:mod:`assistant.chat.intent`), never by the text of an upload or
by what a message tells the assistant to do, so a message saying 忽略以上指令… can only ever get
the help reply, and every action runs with the caller's own rights on the one report the chat
is bound to. Every reply ends with ``citations``, ``checks`` and ``done`` events; drafts stream
their tokens like the section draft route, because they are the same drafting service. A
redraft that would replace a hand-edited, imported or approved text is not done: the reply says
so and names the message that confirms it (确认重写第二部分).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from assistant.accounts.service import Principal
from assistant.chat.history import append, session_for, window
from assistant.chat.intent import CN, KIND_WORDS, Intent, classify
from assistant.checks.checker import Checker
from assistant.checks.grounding import Evidence
from assistant.drafting.extract import FactExtractor
from assistant.drafting.templates import ReportTemplate
from assistant.reports.access import (
    Forbidden,
    NotFound,
    can_write,
    readable_report,
    report_kb,
    writable_report,
)
from assistant.reports.concurrency import OverwriteNeeded
from assistant.reports.drafting import DraftService
from assistant.reports.facts import Invalid, sheet_of
from assistant.reports.sections import template_of
from assistant.retrieval.search import Searcher
from assistant.retrieval.store import ChromaStore
from assistant.storage.db import Database
from assistant.storage.models import Report, Section, SectionVersion
from assistant.uploads.proposals import record_proposals

log = logging.getLogger(__name__)
Emit = Callable[[str, dict[str, Any]], None]
MAX_MESSAGE = 2000
GONE = "报告已被删除或您已无权访问，本条消息未保存。"
HELP = (
    "我可以：起草或重写某一部分（如“起草第一部分”）；按要求修改刚起草的内容（如“更简洁一些”）；"
    "从您的话中识别事实（如“今年开了12次中心组学习”），确认后加入事实表；"
    "检索范文和本报告的上传材料（如“查一下防汛工作总结”）；说明某部分数字的出处。"
)


@dataclass(frozen=True)
class ChatJob:
    user: Principal
    report_id: int
    message: str
    intent: Intent
    template: ReportTemplate
    writable: bool
    last_section: str | None


@dataclass
class ChatService:
    db: Database
    templates: Mapping[str, ReportTemplate]
    drafts: DraftService
    extractor: FactExtractor
    searcher: Searcher
    store: ChromaStore
    checker: Checker

    def prepare(self, user: Principal, report_id: int, message: str) -> ChatJob:
        message = message.strip()
        if not message or len(message) > MAX_MESSAGE:
            raise Invalid(f"message: 1 to {MAX_MESSAGE} characters")
        with self.db.session() as s:
            report = readable_report(s, user, report_id)
            template = template_of(self.templates, report)
            drafted = [sec for sec in report.sections if sec.current_version_id]
            chat = session_for(s, report_id=report_id, user_id=user.id)
            recent = [t.meta.get("section") for t in window(s, chat) if t.meta.get("section")]
            last = recent[-1] if recent else (drafted[-1].section_id if drafted else None)
            intent = classify(message, template, has_draft=bool(drafted))
            return ChatJob(
                user, report_id, message, intent, template, can_write(user, report), last
            )

    def run(self, job: ChatJob, emit: Emit) -> None:
        with self.db.session() as s:
            # Access was checked in prepare(); the report may have gone since (every write
            # re-checks in its own transaction).
            if self._report_now(s, job) is None:
                emit("error", {"detail": GONE})
                return
            chat = session_for(s, report_id=job.report_id, user_id=job.user.id)
            asked = append(
                s,
                chat,
                role="user",
                content=job.message,
                meta={"action": job.intent.action, "section": job.intent.section},
            )
            message_id = asked.id
        action = job.intent.action
        result: dict[str, Any] = {"action": action}
        if action in ("draft", "revise"):
            result.update(self._draft(job, emit))
        elif action == "facts":
            result.update(self._facts(job, message_id, emit))
        elif action == "search":
            result.update(self._search(job, emit))
        elif action == "sources":
            result.update(self._sources(job, emit))
        else:
            self._say(emit, HELP)
            emit("citations", {"citations": []})
            emit("checks", {"issues": [], "summary": {}})
        with self.db.session() as s:
            if self._report_now(s, job) is not None:
                chat = session_for(s, report_id=job.report_id, user_id=job.user.id)
                content = result.pop("reply", "")
                reply = append(s, chat, role="assistant", content=content, meta=result)
                result["message_id"] = reply.id
            else:  # deleted while the action ran: there is no history left to add to
                result.pop("reply", None)
                result["message_id"] = None
        emit("done", result)

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
        emit("token", {"text": text})

    def _draft(self, job: ChatJob, emit: Emit) -> dict[str, Any]:
        section = job.intent.section or (
            job.last_section if job.intent.action == "revise" else None
        )
        if not job.writable:
            text = "只有报告的起草人（或管理员）可以起草和修改；您可以查看、检索或询问出处。"
            self._say(emit, text)
            emit("citations", {"citations": []})
            emit("checks", {"issues": [], "summary": {}})
            return {"reply": text, "refused": True}
        if section is None:
            names = "、".join(
                f"{s.heading or s.purpose}（{s.id}）" for s in job.template.sections if s.heading
            )
            text = f"请说明要起草哪一部分，例如“起草第一部分”。本报告的部分有：{names}。"
            self._say(emit, text)
            emit("citations", {"citations": []})
            emit("checks", {"issues": [], "summary": {}})
            return {"reply": text}
        instruction = job.message if job.intent.action == "revise" else ""
        try:
            draft_job = self.drafts.prepare(
                job.user,
                job.report_id,
                section,
                instruction=instruction,
                overwrite=job.intent.confirmed,
            )
        except Invalid as exc:
            emit("error", {"detail": str(exc)})
            return {"reply": str(exc), "section": section, "failed": True}
        except OverwriteNeeded as exc:
            text = ask_to_confirm(exc, job.template, section)
            self._say(emit, text)
            emit("citations", {"citations": []})
            emit("checks", {"issues": [], "summary": {}})
            return {"reply": text, "section": section, "needs_confirmation": True}
        outcome: dict[str, Any] = {"section": section}

        def relay(event: str, data: dict[str, Any]) -> None:
            # The chat ends with its own ``done``; the section's becomes part of it.
            if event == "done":
                outcome.update(version_id=data.get("version_id"), engine=data.get("engine"))
                outcome["engine_label"] = data.get("engine_label")
                outcome["version"] = data.get("version")
                outcome["unchanged"] = bool(data.get("unchanged"))
            else:
                if event == "error":
                    outcome["failed"] = True
                emit(event, data)

        self.drafts.run(draft_job, relay)
        if outcome.get("failed"):
            outcome["reply"] = "起草失败。"
        elif outcome.get("unchanged"):
            outcome["reply"] = f"重写结果与当前第{outcome.get('version')}版相同，没有另存新版本。"
        else:
            outcome["reply"] = "已起草。"
        return outcome

    def _facts(self, job: ChatJob, message_id: int, emit: Emit) -> dict[str, Any]:
        extraction = self.extractor.propose(
            job.message, message_id=str(message_id), template=job.template.name
        )
        added: list[dict[str, Any]] = []
        gone = False
        if job.writable and extraction.facts:
            with self.db.session() as s:
                gone = not self._writable_now(s, job, len(extraction.facts))
                rows = [] if gone else record_proposals(s, job.report_id, extraction.facts)[0]
                confidence = {p.key: p.confidence for p in extraction.facts}
                added = [
                    {
                        "id": r.id,
                        "key": r.key,
                        "value": r.value.get("v"),
                        "unit": r.unit,
                        "source": r.source,
                        "confidence": confidence.get(r.key, r.confidence),
                    }
                    for r in rows
                ]
        if gone:
            emit("error", {"detail": GONE})
            return {"reply": GONE, "proposed": [], "failed": True}
        if added:
            listing = "；".join(f"{f['key']}：{f['value']}{f['unit']}" for f in added)
            text = f"识别出 {len(added)} 条事实，确认后加入事实表：{listing}。"
        elif extraction.facts and not job.writable:
            text = "识别出事实，但只有报告的起草人可以把它们加入事实表。"
        else:
            text = "没有识别出新的事实（已在事实表中的不再重复）。"
        self._say(emit, text)
        emit("facts", {"proposed": added, "engine": extraction.engine})
        emit("citations", {"citations": []})
        emit("checks", {"issues": [], "summary": {}})
        return {"reply": text, "proposed": [f["id"] for f in added]}

    @staticmethod
    def _writable_now(s: Session, job: ChatJob, proposals: int) -> bool:
        """Extraction may take an LLM round trip, during which the report can be deleted or
        the caller's rights change: checked again in the transaction that writes, so proposals
        never land in a report the caller may not write now."""
        try:
            writable_report(s, job.user, job.report_id)
        except (NotFound, Forbidden):
            log.warning(
                "chat: %d proposed facts dropped: report %s deleted or no longer writable",
                proposals,
                job.report_id,
            )
            return False
        return True

    def _search(self, job: ChatJob, emit: Emit) -> dict[str, Any]:
        hits = self.searcher.search(job.intent.query, k=5, kb="corpus")
        kb = report_kb(job.report_id)
        if kb in self.store.knowledge_bases():
            hits = self.searcher.search(job.intent.query, k=3, kb=kb, per_doc=None) + hits
        passages = [
            {**h.public(server_paths=False), "kb": h.kb, "chunk_id": h.chunk_id} for h in hits
        ]
        if passages:
            lines = "；".join(f"《{p['title']}》{p['heading'] or ''}" for p in passages[:5])
            text = f"找到 {len(passages)} 段相关材料：{lines}。"
        else:
            text = "没有找到相关材料。"
        self._say(emit, text)
        emit("citations", {"citations": passages})
        emit("checks", {"issues": [], "summary": {}})
        return {"reply": text}

    def _sources(self, job: ChatJob, emit: Emit) -> dict[str, Any]:
        section_id = job.intent.section or job.last_section
        with self.db.session() as s:
            report = self._report_now(s, job)
            if report is None:
                emit("error", {"detail": GONE})
                return {"reply": GONE, "section": section_id, "failed": True}
            sheet = sheet_of(report)
            section = next((x for x in report.sections if x.section_id == section_id), None)
            version = (
                s.get(SectionVersion, section.current_version_id)
                if isinstance(section, Section) and section.current_version_id
                else None
            )
            citations = list(version.citations) if version else []
            text_of_version = version.text if version else ""
        if version is None:
            text = "这一部分还没有草稿，请先起草。"
            self._say(emit, text)
            emit("citations", {"citations": []})
            emit("checks", {"issues": [], "summary": {}})
            return {"reply": text, "section": section_id}
        facts = {f.key: f for f in sheet.facts}
        lines = []
        for c in citations:
            for target in c.get("targets", []):
                if target.startswith("fact:") and target[5:] in facts:
                    f = facts[target[5:]]
                    lines.append(
                        f"“{c.get('sentence', '')[:30]}”依据事实“{f.key}：{f.value}{f.unit}”"
                    )
                elif target.startswith("chunk:"):
                    lines.append(f"“{c.get('sentence', '')[:30]}”依据上传材料 {target[6:]}")
        text = "；".join(lines) + "。" if lines else "这一部分没有标注出处的句子。"
        self._say(emit, text)
        emit("citations", {"citations": citations})
        result = self.checker.check(text_of_version, evidence=Evidence(facts=sheet))
        emit("checks", {"issues": [i.public() for i in result.issues], "summary": result.summary()})
        return {"reply": text, "section": section_id}


def section_phrase(template: ReportTemplate, section_id: str) -> str:
    """How a message names the section so that :func:`classify` finds it again: 第二部分 for a
    numbered one, else its kind's word (开头, 结尾 …) or its heading."""
    numbered = [s.id for s in template.sections if s.numbered]
    if section_id in numbered:
        n = numbered.index(section_id) + 1
        return f"第{CN[n - 1]}部分" if n <= len(CN) else f"第{n}部分"
    spec = template.section(section_id)
    words = KIND_WORDS.get(spec.kind)
    if words and sum(s.kind == spec.kind for s in template.sections) == 1:
        return words[0]
    return spec.heading or spec.purpose or section_id


def ask_to_confirm(exc: OverwriteNeeded, template: ReportTemplate, section_id: str) -> str:
    what = "；".join(s["reason"] for s in exc.sections)
    phrase = f"确认重写{section_phrase(template, section_id)}"
    return (
        f"{what}，重写会生成新版本取代它（旧版本仍可在版本记录中恢复）。"
        f"如确需重写，请发送“{phrase}”。"
    )
