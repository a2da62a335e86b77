"""The LLM engines' common part, and the drafting one: a section's prompt rendered from its
evidence, streamed from the model.

:class:`LLMWriter` owns what drafting (:class:`LLMDraft`) and revising
(:class:`~assistant.drafting.revise.Reviser`) share: the system prompt with its placeholder for
a missing unit name, the prompt's name and hash in the provenance, and the stream loop that passes
each delta on and records the first-token and generation times. Each engine renders its own
user prompt.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Literal

from assistant.drafting.engine import SectionTask, Writing, ms_since
from assistant.drafting.evidence import EvidenceSet, overlap, render_facts, render_passages
from assistant.drafting.llm import ChatPrompt, LLMEngine
from assistant.drafting.prompts import Prompt

NO_SOURCES = "（本报告尚无上传材料。）"


@dataclass(frozen=True)
class LLMWriter(ABC):
    llm: LLMEngine
    system: Prompt
    prompt: Prompt  # the task prompt, rendered by :meth:`user`
    name: Literal["llm"] = "llm"
    exemplars: bool = True

    @property
    def model_name(self) -> str | None:
        return self.llm.model_name

    @abstractmethod
    def user(self, task: SectionTask, evidence: EvidenceSet) -> str:
        """The task's user prompt, rendered from its evidence (each engine words its own)."""

    def write(self, task: SectionTask, out: Writing) -> str:
        """The model's whole answer, stripped; each delta goes to ``out`` as it arrives."""
        t = time.perf_counter()
        org = task.sheet.report.organization or "【待补充：单位名称】"
        system = self.system.render(organization=org, template=task.template.name)
        prompt = ChatPrompt(system, self.user(task, out.evidence))
        timings = out.provenance.timings
        out.provenance.prompt = self.prompt.name
        out.provenance.prompt_sha256 = self.prompt.sha256
        timings["prompt_ms"] = ms_since(t)
        t = time.perf_counter()
        parts: list[str] = []
        for delta in self.llm.stream(prompt):
            if not parts:
                timings["first_token_ms"] = ms_since(t)
            parts.append(delta)
            out.token(task.section.id, delta)
        timings["generate_ms"] = ms_since(t)
        return "".join(parts).strip()


@dataclass(frozen=True)
class LLMDraft(LLMWriter):
    """A fresh draft from the ``draft_section`` prompt, with corpus exemplars for style."""

    def write(self, task: SectionTask, out: Writing) -> str:
        return drop_heading(super().write(task, out), task.item.heading)

    def user(self, task: SectionTask, evidence: EvidenceSet) -> str:
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
