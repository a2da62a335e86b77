"""The writing steps of the chat: draft or revise one section, draft the whole report, ask
which section is meant.

A step runs with the caller's rights through the drafting service; a redraft that would replace
a person's or an approved text is not done but asked about (确认重写第二部分). Offline a revision
is an exact edit or an honest refusal (:mod:`assistant.chat.editing`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.chat.editing import revise_offline
from assistant.chat.plan import Step
from assistant.chat.reading import ChatJob, Emit, gone, say
from assistant.chat.replies import NO_WRITE, checked
from assistant.chat.view import ask_to_confirm
from assistant.checks.checker import Checker
from assistant.drafting.templates import ReportTemplate
from assistant.facts.sheet import Fact
from assistant.reports.access import Forbidden, NotFound
from assistant.reports.concurrency import OverwriteNeeded
from assistant.reports.drafting import DraftService
from assistant.reports.facts import Invalid
from assistant.reports.plain_edits import move_in, move_out, moved_sentence
from assistant.reports.sections import SectionService
from assistant.reports.versions import issues_summary
from assistant.retrieval.store import ChromaStore
from assistant.storage.db import Database


@dataclass
class Turn:
    """What the steps of one message share: facts proposed by an earlier step."""

    proposed: list[dict[str, Any]] = field(default_factory=list)
    carried: dict[str, str] = field(default_factory=dict)  # part → the sentence moved into it


class WritingSteps:
    """The writing steps of :class:`~assistant.chat.service.ChatService` (its fields)."""

    db: Database
    templates: Mapping[str, ReportTemplate]
    drafts: DraftService
    checker: Checker
    store: ChromaStore
    sections: SectionService | None

    def _names(self, job: ChatJob) -> str:
        return "、".join(
            f"“{job.view.label(s.id)}”" for s in job.view.sections if s.kind != "title"
        )

    def _ask(self, job: ChatJob, emit: Emit) -> dict[str, Any]:
        text = (
            "请说明是哪一部分，例如“修改第二部分”或“把开头写得简洁些”。"
            f"本报告的部分有：{self._names(job)}。"
        )
        say(emit, text)
        return {"reply": text}

    def _draft(self, job: ChatJob, step: Step, emit: Emit, turn: Turn) -> dict[str, Any]:
        if not job.writable:
            say(emit, NO_WRITE)
            return {"reply": NO_WRITE, "refused": True}
        section = step.section or job.view.last_section
        if section is None:
            return self._ask(job, emit)
        shown = job.view.section(section)
        offline = self.drafts.drafter.llm is None
        # Offline, a drafted section is edited exactly or not at all: a redraft would not follow
        # the request (one that brings new facts is redrafted with them, below).
        moving = step.action == "revise" and bool(step.moved_to or step.moved_from)
        if step.moved_to and shown is not None:
            # 雨雪冰冻那条放到第三部分: the sentence the part gives up, for the part it joins
            turn.carried[step.moved_to] = moved_sentence(shown.text, step.passage)
        carried = turn.carried.get(section, "") if step.moved_from else ""
        # (an undrafted part that a moved passage joins takes the passage as its first text)
        if (
            step.action == "revise"
            and offline
            and not turn.proposed
            and shown
            and (shown.drafted or carried)
        ):
            editor = self.sections or SectionService(
                self.db, self.templates, self.checker, store=self.store
            )
            passage = step.passage
            edit_with = (
                (lambda text: move_out(text, passage))
                if step.moved_to
                else (lambda text: move_in(text, carried))
                if carried
                else None
            )
            done = revise_offline(editor, job, step, section, emit, edit_with=edit_with)
            if step.moved_to and not done.get("instruction_applied"):
                turn.carried.pop(step.moved_to, None)  # not taken out: not to be put in twice
            return done
        instruction = step.instruction if step.action == "revise" else ""
        if moving and step.moved_to and turn.carried.get(step.moved_to):
            instruction = (
                f"把“{turn.carried[step.moved_to]}”从本部分删去（移入"
                f"{job.view.label(step.moved_to)}），其余保持不变"
            )
        elif moving and carried:
            instruction = f"把下面这句移入本部分合适的位置，其余保持不变：{carried}"
        elif step.action == "revise" and step.passage:
            instruction = f"{instruction}（只改“{step.passage}”所在的那一层或那一段，其余保持不变）"
        try:
            draft_job = self.drafts.prepare(
                job.user,
                job.report_id,
                section,
                instruction=instruction[:480],
                overwrite=step.confirmed,
                pending=[
                    Fact(key=f["key"], value=f["value"], unit=f["unit"] or "", source="chat")
                    for f in turn.proposed
                ],
            )
        except Invalid as exc:
            emit("error", {"detail": str(exc), "section": section})
            return {"reply": str(exc), "failed": True}
        except OverwriteNeeded as exc:
            text = ask_to_confirm(exc, job.view, section)
            say(emit, text)
            return {"reply": text, "needs_confirmation": True}
        except (NotFound, Forbidden):
            return gone(emit)
        outcome: dict[str, Any] = {}
        self.drafts.run(draft_job, _relay(outcome, emit))
        label = job.view.label(section)
        if outcome.get("failed"):
            outcome["reply"] = f"{label}起草失败。"
        elif outcome.get("unchanged"):
            outcome["reply"] = (
                f"{label}重写结果与当前第{outcome.get('version')}版相同，没有另存新版本。"
            )
        else:
            what = "已修改" if step.action == "revise" else "已起草"
            outcome["reply"] = f"{what}{label}（第{outcome.get('version')}版）。"
            if turn.proposed:
                outcome["reply"] += (
                    "其中用到的新事实尚待确认：确认后发送“检查这一部分”，提示即消除。"
                )
        return outcome

    def _draft_all(self, job: ChatJob, step: Step, emit: Emit) -> dict[str, Any]:
        """Every section in turn with progress; a person's or an approved text is left as it is
        (and named) unless the message confirmed replacing it."""
        if not job.writable:
            say(emit, NO_WRITE)
            return {"reply": NO_WRITE, "refused": True}
        kept: list[str] = []
        done: list[dict[str, Any]] = []
        parts = [s for s in job.view.sections]
        for index, sec in enumerate(parts, start=1):
            emit(
                "progress",
                {
                    "section": sec.id,
                    "label": job.view.label(sec.id),
                    "index": index,
                    "total": len(parts),
                },
            )
            try:
                draft_job = self.drafts.prepare(
                    job.user, job.report_id, sec.id, overwrite=step.confirmed
                )
            except OverwriteNeeded:
                kept.append(job.view.label(sec.id))
                continue
            except (NotFound, Forbidden):
                return gone(emit)
            outcome: dict[str, Any] = {"section": sec.id}
            self.drafts.run(draft_job, _relay(outcome, emit))
            if outcome.get("failed"):
                text = f"起草到“{job.view.label(sec.id)}”时失败，之前各部分已保存。"
                say(emit, text)
                return {"reply": text, "failed": True, "sections": done}
            done.append(outcome)
        issues = sum(int(d.get("issues") or 0) for d in done)
        errors = sum(int(d.get("errors") or 0) for d in done)
        if done:
            text = f"已起草 {len(done)} 个部分，{checked(errors, issues - errors)}"
        else:  # nothing redrafted: no check ran, so none is reported as clean
            text = "没有重新起草任何部分。"
        if kept:
            text += (
                f"以下部分是人工修改或已批准的文本，未重写：{'、'.join(kept)}"
                "（如需重写请发送“确认整篇重写”）。"
            )
        say(emit, text)
        first = next((d for d in done if d.get("version_id")), None)
        return {
            "reply": text,
            "sections": done,
            "kept": kept,
            "issues": issues,
            **({"version_id": first["version_id"], "opens": first["section"]} if first else {}),
        }


def _relay(outcome: dict[str, Any], emit: Emit) -> Emit:
    """The drafting service's events passed on; its ``done`` becomes the step's outcome (the
    chat ends with its own ``done``)."""

    def relay(event: str, data: dict[str, Any]) -> None:
        if event == "done":
            outcome.update(version_id=data.get("version_id"), version=data.get("version"))
            outcome.update(engine=data.get("engine"), engine_label=data.get("engine_label"))
            outcome["unchanged"] = bool(data.get("unchanged"))
            return
        if event == "error":
            outcome["failed"] = True
        if event == "checks":
            found = data.get("issues") or []
            outcome["issues"] = len(found)
            outcome["errors"] = issues_summary(found)["errors"]
        emit(event, data)

    return relay
