"""A revision asked in the chat when no model is configured (离线范文模式).

The offline engine writes from the facts; it cannot follow 写具体点 or 精简一些, and redrafting
would only give the same text again (or ask to overwrite the person's words). So offline:

- an instruction that says exactly what the new text is (把“A”改成“B”, 删掉第三条, 最后加一句：…)
  is applied as the user's own edit (:mod:`assistant.reports.plain_edits`), checked and saved as
  the next version from the version it was read from (a write that landed meanwhile is a 409,
  never overwritten);
- any other instruction leaves the text as it is, and the reply says why and what works offline.

A revision that also proposes new facts (加上受理投诉9720件) is not handled here: a fresh draft
with the proposed facts is what the offline engine can do with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistant.chat.plan import Step
from assistant.chat.reading import ChatJob, Emit, gone, say
from assistant.chat.replies import checked
from assistant.drafting.evidence import told_in
from assistant.drafting.templates import ReportTemplate
from assistant.facts.numbers import readable
from assistant.facts.sheet import Fact
from assistant.reports.access import Forbidden, NotFound, writable_report
from assistant.reports.concurrency import SectionConflict
from assistant.reports.facts import sheet_of
from assistant.reports.outline import effective_outline
from assistant.reports.plain_edits import PlainEdit, plain_edit
from assistant.reports.sections import SectionService, find_section
from assistant.storage.models import Report, SectionVersion


def offline_hint(label: str) -> str:
    return (
        f"当前为离线范文模式（未配置大模型），不能按这类要求改写{label}，文本没有改动。"
        "离线可以做的修改：写明原文和新文字，如：把“扎实推进”改成“全面推进”；删掉某一句或某一条，"
        "如：删掉第三条；写明要加的句子或条目，如：最后加一句：……、加一条：……；或先补充事实（如：受理投诉9720件），"
        f"再发送“重新起草{label}”。也可以在编辑框里直接修改。"
    )


def untold_facts(
    report: Report, template: ReportTemplate, section_id: str, text: str
) -> list[Fact]:
    """The confirmed facts the outline gives this section that its text does not tell yet."""
    sheet = sheet_of(report)
    try:
        keys = effective_outline(report, template, sheet).item(section_id).facts
    except KeyError:
        return []
    by_key = {f.key: f for f in sheet.facts}
    return [by_key[k] for k in keys if k in by_key and not told_in(by_key[k], text)]


def untold_hint(label: str, short: str, untold: list[Fact]) -> str:
    """写具体点 offline: what the facts offer that the text does not say yet, and how to use it."""
    if not untold:
        return ""
    shown = "、".join(f"{f.key}（{_short(f)}）" for f in untold[:6])
    more = f"等{len(untold)}项" if len(untold) > 6 else ""
    return (
        f"当前为离线范文模式（未配置大模型），不能按这类要求改写{label}，文本没有改动。"
        f"事实表中按提纲应写进{short}、现稿还没写到的有：{shown}{more}。"
        f"发送“重新起草{short}”即可把它们写进去（现稿保留在历史版本中，可随时恢复）；"
        "也可以写明要改的文字，如：把“扎实推进”改成“全面推进”、最后加一句：……"
    )


def _short(f: Fact) -> str:
    value = readable(f.value, f.unit)
    return value if len(value) <= 24 else value[:23] + "…"


def revise_offline(
    sections: SectionService,
    job: ChatJob,
    step: Step,
    section_id: str,
    emit: Emit,
    edit_with: Callable[[str], PlainEdit | None] | None = None,
) -> dict[str, Any]:
    """Apply ``step``'s instruction to the section's current text if it says exactly how
    (``edit_with``: the edit already known, as a passage moved between parts is)."""
    label = job.view.label(section_id)
    with sections.db.session() as s:
        try:
            report = writable_report(s, job.user, job.report_id)
        except (NotFound, Forbidden):
            return gone(emit)
        row = find_section(report, section_id)
        current = s.get(SectionVersion, row.current_version_id or 0)
        text = current.text if current is not None else ""
        number, version_id = (current.number, current.id) if current is not None else (0, None)
        kind = next((sec.kind for sec in job.view.sections if sec.id == section_id), "")
        instruction = step.instruction or job.message
        edit = (
            edit_with(text)
            if edit_with is not None
            else plain_edit(text, instruction, step.passage, whole=kind == "title")
        )
        # only a refused edit needs the outline (what the facts offer that the text lacks)
        untold = [] if edit else untold_facts(report, job.view.template, section_id, text)
    if edit is None:
        reply = untold_hint(label, job.view.short(section_id), untold)
        if not reply:  # the manual once a message; the other parts only named (全文润色)
            reply = f"{label}同样没有改动。" if job.hinted else offline_hint(label)
            job.hinted.append(section_id)
        say(emit, reply)
        return {
            "reply": reply,
            "version_id": version_id,
            "version": number,
            "unchanged": True,
            "instruction_applied": False,
        }
    try:
        saved = sections.edit(job.user, job.report_id, section_id, edit.text, base_version=number)
    except SectionConflict as exc:
        emit("error", {"section": section_id, "status": 409, **exc.detail(), "detail": str(exc)})
        return {"reply": f"{label}刚被别人修改过，未保存本次修改，请刷新后重试。", "failed": True}
    except (NotFound, Forbidden):
        return gone(emit)
    emit(
        "checks",
        {"section": section_id, "issues": saved.issues, "summary": saved.summary.model_dump()},
    )
    reply = f"已修改{label}（第{saved.version}版）：{edit.summary}。"
    if saved.issues:
        errors = saved.summary.errors
        reply += checked(errors, len(saved.issues) - errors)
    say(emit, reply)  # what was changed, as it is kept in the chat history
    return {
        "reply": reply,
        "version_id": saved.version_id,
        "version": saved.version,
        "unchanged": saved.unchanged,
        "issues": len(saved.issues),
        "instruction_applied": True,
        "engine": "human",
    }
