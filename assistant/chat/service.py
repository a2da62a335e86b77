"""The chat bound to a report: one message in, the steps it asks for, a streamed reply.

A message becomes a list of steps (:mod:`assistant.chat.plan`): chosen by the model's tool calls
when an LLM with tool support is configured (:mod:`assistant.chat.tools`), else — and whenever
those calls are unusable — by the rules (:mod:`assistant.chat.rules`). The planner sees the
message, the recent messages, the section list and the fact keys, never an upload's text, so an
uploaded document cannot choose what is done; every step runs with the caller's own rights on
the one report the chat is bound to, and facts from chat stay proposals. The reply streams
``plan``, then per step ``step`` and that step's events (``token``, ``citations``, ``facts``,
``checks``, ``gaps``, ``progress``), and ends with ``done`` carrying ``actions``: what each step
did. A redraft that would replace a hand-edited, imported or approved text is not done: the reply
says so and names the message that confirms it (确认重写第二部分).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.orm import Session

from assistant.accounts.service import Principal
from assistant.chat.history import append, listing, session_for, window
from assistant.chat.plan import ReportView, Step
from assistant.chat.reading import GONE, ChatJob, Emit, ReadingSteps
from assistant.chat.replies import help_reply
from assistant.chat.rules import plan as plan_by_rules
from assistant.chat.view import report_view
from assistant.chat.writing import Turn, WritingSteps
from assistant.checks.checker import Checker
from assistant.drafting.extract import FactExtractor
from assistant.drafting.templates import ReportTemplate
from assistant.facts.numbers import readable
from assistant.reports.access import (
    Forbidden,
    NotFound,
    can_write,
    readable_report,
    writable_report,
)
from assistant.reports.drafting import DraftService
from assistant.reports.facts import Invalid
from assistant.reports.sections import SectionService
from assistant.reports.structure import template_of
from assistant.retrieval.search import Searcher
from assistant.retrieval.store import ChromaStore
from assistant.storage.db import Database
from assistant.uploads.proposals import record_proposals

if TYPE_CHECKING:
    from assistant.services import Services

log = logging.getLogger(__name__)
MAX_MESSAGE = 2000
MAX_STEPS = 6


class Planner(Protocol):
    """The model's choice of steps; ``None`` leaves the choice to the rules."""

    def plan(self, message: str, view: ReportView, *, report_id: int) -> list[Step] | None: ...


@dataclass
class ChatService(ReadingSteps, WritingSteps):
    db: Database
    templates: Mapping[str, ReportTemplate]
    drafts: DraftService
    extractor: FactExtractor
    searcher: Searcher
    store: ChromaStore
    checker: Checker
    planner: Planner | None = None
    sections: SectionService | None = None  # the user's own edits; built from the fields if unset

    @classmethod
    def of(cls, services: Services) -> ChatService:
        """The chat over the composition root's services (the route and the benchmark)."""
        drafts = DraftService(
            services.db, services.templates, services.drafter, store=services.store
        )
        return cls(
            services.db,
            services.templates,
            drafts,
            services.extractor,
            services.searcher,
            services.store,
            services.checker,
            planner=services.chat_planner,
            sections=SectionService(
                services.db,
                services.templates,
                services.checker,
                store=services.store,
                known_title=services.titles.known,
            ),
        )

    def prepare(self, user: Principal, report_id: int, message: str) -> ChatJob:
        message = message.strip()
        if not message or len(message) > MAX_MESSAGE:
            raise Invalid(f"消息须为 1 到 {MAX_MESSAGE} 个字")
        with self.db.session() as s:
            report = readable_report(s, user, report_id)
            template = template_of(self.templates, report)
            chat = session_for(s, report_id=report_id, user_id=user.id)
            turns = window(s, chat)
            recent = [t.meta.get("section") for t in turns if t.meta.get("section")]
            drafted = [sec for sec in report.sections if sec.current_version_id]
            last = recent[-1] if recent else (drafted[-1].section_id if drafted else None)
            history = tuple(t.content[:200] for t in turns if t.role == "user")
            view = report_view(report, template, s, last_section=last, history=history)
            return ChatJob(user, report_id, message, view, can_write(user, report))

    def history(self, user: Principal, report_id: int) -> list[dict[str, Any]]:
        with self.db.session() as s:
            readable_report(s, user, report_id)
            return listing(s, session_for(s, report_id=report_id, user_id=user.id))

    def plan(self, job: ChatJob) -> tuple[list[Step], str]:
        """The steps and who chose them (``tools`` | ``rules``)."""
        if self.planner is not None:
            steps = self.planner.plan(job.message, job.view, report_id=job.report_id)
            if steps:
                return steps[:MAX_STEPS], "tools"
        return plan_by_rules(job.message, job.view)[:MAX_STEPS], "rules"

    def run(self, job: ChatJob, emit: Emit) -> None:
        with self.db.session() as s:
            # Access was checked in prepare(); the report may have gone since (every write
            # re-checks in its own transaction).
            if self._report_now(s, job) is None:
                emit("error", {"detail": GONE})
                return
        steps, planner = self.plan(job)
        log.info("chat: %s planned %s", planner, [st.action for st in steps])
        with self.db.session() as s:
            chat = session_for(s, report_id=job.report_id, user_id=job.user.id)
            first = steps[0]
            asked = append(
                s,
                chat,
                role="user",
                content=job.message,
                meta={"action": first.action, "section": first.section, "planner": planner},
            )
            message_id = asked.id
        emit("plan", {"actions": [self._public(job, st) for st in steps], "planner": planner})
        turn = Turn()
        actions: list[dict[str, Any]] = []
        replies: list[str] = []
        for index, step in enumerate(steps):
            emit("step", {"index": index, **self._public(job, step)})
            outcome = self._step(job, step, turn, message_id, emit)
            replies.append(str(outcome.pop("reply", "")))
            actions.append({**self._public(job, step), **outcome})
        result: dict[str, Any] = {
            **{k: v for k, v in actions[0].items() if k != "label"},
            "section": actions[0].get("section"),
            "actions": actions,
            "planner": planner,
        }
        first_draft = next((a for a in actions if a.get("version_id")), None)
        if first_draft is not None:
            result.update(
                section=first_draft.get("opens") or first_draft.get("section"),
                version_id=first_draft["version_id"],
            )
        with self.db.session() as s:
            if self._report_now(s, job) is not None:
                chat = session_for(s, report_id=job.report_id, user_id=job.user.id)
                meta = {k: v for k, v in result.items() if k != "message_id"}
                reply = append(s, chat, role="assistant", content="\n".join(replies), meta=meta)
                result["message_id"] = reply.id
            else:  # deleted while the steps ran: there is no history left to add to
                result["message_id"] = None
        emit("done", result)

    @staticmethod
    def _public(job: ChatJob, step: Step) -> dict[str, Any]:
        out = step.public()
        if step.section:
            out["label"] = job.view.label(step.section)
        return out

    def _step(
        self, job: ChatJob, step: Step, turn: Turn, message_id: int, emit: Emit
    ) -> dict[str, Any]:
        if step.action in ("draft", "revise"):
            return self._draft(job, step, emit, turn)
        if step.action == "draft_all":
            return self._draft_all(job, step, emit)
        if step.action == "facts":
            return self._facts(job, message_id, turn, emit)
        if step.action == "search":
            return self._search(job, step, emit)
        if step.action == "sources":
            return self._sources(job, step, emit)
        if step.action == "answer":
            return self._answer(job, step, emit)
        if step.action == "gaps":
            return self._gaps(job, step, emit)
        if step.action == "check":
            return self._check(job, step, emit)
        if step.action == "ask":
            return self._ask(job, emit)
        # 谢谢 / 好的 / 辛苦了: an acknowledgement, not a request for the manual.
        reply = help_reply(job.message)
        self._say(emit, reply)
        return {"reply": reply}

    def _facts(self, job: ChatJob, message_id: int, turn: Turn, emit: Emit) -> dict[str, Any]:
        extraction = self.extractor.propose(
            job.message, message_id=str(message_id), template=job.view.template.name
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
        turn.proposed.extend(added)
        if added:
            listing_ = "；".join(
                f"{f['key']}：{readable(f['value'], f['unit'] or '')}" for f in added
            )
            text = f"识别出 {len(added)} 条事实，确认后加入事实表：{listing_}。"
        elif extraction.facts and not job.writable:
            text = "识别出事实，但只有报告的起草人可以把它们加入事实表。"
        else:
            text = "没有识别出新的事实（已在事实表中的不再重复）。"
        self._say(emit, text)
        emit("facts", {"proposed": added, "engine": extraction.engine})
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
