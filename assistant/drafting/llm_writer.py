"""The LLM drafting engine: a section's prompt rendered from its evidence, streamed from the model.

Also owns what both LLM engines (drafting here, revising in :mod:`assistant.drafting.revise`)
share: the system prompt with its placeholder for a missing unit name, and the stream loop that
passes each delta on and records the first-token and generation times.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

from assistant.domain import Provenance
from assistant.drafting.engine import SectionTask, TokenSink, ms_since
from assistant.drafting.evidence import EvidenceSet, overlap, render_facts, render_passages
from assistant.drafting.llm import ChatPrompt, LLMEngine
from assistant.drafting.prompts import Prompt
from assistant.facts.sheet import FactSheet

NO_SOURCES = "（本报告尚无上传材料。）"


def system_text(system: Prompt, sheet: FactSheet, template_name: str) -> str:
    org = sheet.report.organization or "【待补充：单位名称】"
    return system.render(organization=org, template=template_name)


def stream_text(
    llm: LLMEngine,
    prompt: ChatPrompt,
    provenance: Provenance,
    section_id: str,
    on_token: TokenSink | None,
) -> str:
    """The model's whole answer, each delta passed to ``on_token`` as it arrives."""
    t = time.perf_counter()
    parts: list[str] = []
    for delta in llm.stream(prompt):
        if not parts:
            provenance.timings["first_token_ms"] = ms_since(t)
        parts.append(delta)
        if on_token:
            on_token(section_id, delta)
    provenance.timings["generate_ms"] = ms_since(t)
    return "".join(parts)


@dataclass(frozen=True)
class LLMDraft:
    """A fresh draft from the ``draft_section`` prompt, with corpus exemplars for style."""

    llm: LLMEngine
    system: Prompt
    prompt: Prompt
    name: Literal["llm"] = "llm"
    exemplars: bool = True
    under_heading: bool = True

    @property
    def model_name(self) -> str | None:
        return self.llm.model_name

    def write(
        self,
        task: SectionTask,
        evidence: EvidenceSet,
        provenance: Provenance,
        on_token: TokenSink | None,
    ) -> str:
        t = time.perf_counter()
        prompt = ChatPrompt(
            system_text(self.system, task.sheet, task.template.name),
            self._user(task, evidence),
        )
        provenance.prompt = self.prompt.name
        provenance.prompt_sha256 = self.prompt.sha256
        provenance.timings["prompt_ms"] = ms_since(t)
        text = stream_text(self.llm, prompt, provenance, task.section.id, on_token)
        return drop_heading(text.strip(), task.item.heading)

    def _user(self, task: SectionTask, evidence: EvidenceSet) -> str:
        meta, section, item = task.sheet.report, task.section, task.item
        report = "\n".join(
            f"- {label}：{value}"
            for label, value in (
                ("标题", meta.title),
                ("单位", meta.organization),
                ("主送", meta.recipient),
                ("时间范围", meta.period),
                ("成文日期", meta.date.isoformat() if meta.date else None),
            )
            if value
        )
        return self.prompt.render(
            template=task.template.name,
            heading=item.heading,
            purpose=section.purpose,
            guidance=section.guidance or "无",
            points=item.points or "无",
            length_min=section.length[0],
            length_max=section.length[1],
            report=report or "（未提供）",
            facts=render_facts(evidence.fact_labels),
            sources=render_passages(evidence.sources, NO_SOURCES),
            exemplars=render_passages(evidence.exemplars, "（无。）"),
        )


def drop_heading(text: str, heading: str) -> str:
    """Models often repeat the section heading despite the prompt; layout owns it."""
    first, _, rest = text.partition("\n")
    bare = heading.split("、", 1)[-1]
    if bare and len(first) <= len(heading) + 4 and overlap(bare, first) >= 0.8:
        return rest.strip()
    return text
