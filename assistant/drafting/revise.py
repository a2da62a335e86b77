"""The LLM revising engine: redrafting a section by instruction (更简洁一些), ``revise_section``.

The model gets the current text with its citation markers put back (so it can keep them), the
instruction, and the same facts and upload passages a draft would see; the pipeline then parses
and checks its answer as it does a draft's. Facts the instruction names are shown as well (the
pipeline adds them to the task), so 补上民生实事的数字 can be followed. The offline engine cannot
follow instructions: there a redraft is a fresh draft and the instruction is only recorded
(see :mod:`assistant.reports.drafting`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.drafting.engine import SectionTask
from assistant.drafting.evidence import EvidenceSet, fact_label, render_facts, render_passages
from assistant.drafting.llm_writer import NO_SOURCES, LLMWriter
from assistant.facts.sheet import FactSheet

_STOPS = "。！？；"


def with_markers(text: str, citations: list[dict[str, Any]], sheet: FactSheet) -> str:
    """``text`` with 〔F3〕 markers before each cited sentence's stop, labels as of ``sheet``."""
    out = text
    for c in sorted(citations, key=lambda c: int(c.get("end", 0)), reverse=True):
        labels = []
        for target in c.get("targets", []):
            key = str(target).removeprefix("fact:")
            if str(target).startswith("fact:") and any(f.key == key for f in sheet.facts):
                labels.append(fact_label(sheet, key))
        end = int(c.get("end", 0))
        if not labels or not 0 < end <= len(out):
            continue
        while end > 0 and out[end - 1] in "\n ":
            end -= 1
        at = end - 1 if end > 0 and out[end - 1] in _STOPS else end
        out = f"{out[:at]}〔{'、'.join(labels)}〕{out[at:]}"
    return out


@dataclass(frozen=True)
class Reviser(LLMWriter):
    """The current text rewritten as the task's revision asks; no exemplars are shown."""

    exemplars: bool = False

    def user(self, task: SectionTask, evidence: EvidenceSet) -> str:
        revision = task.revision
        if revision is None:
            raise ValueError("the revising engine needs a revision")
        return self.prompt.render(
            template=task.template.name,
            heading=task.item.heading,
            instruction=revision.instruction,
            draft=with_markers(revision.current, revision.citations, task.sheet),
            facts=render_facts(evidence.fact_labels),
            sources=render_passages(evidence.sources, NO_SOURCES),
        )
