"""The offline engine (离线范文模式) behind the engine interface.

:class:`~assistant.drafting.offline.OfflineEngine` writes the text; this adapter finds its
exemplar candidates and records in the evidence and provenance what it used: the exemplars it
borrowed framing from and any fact it told beyond the section's own (a headline figure the
overview repeats from the body), so the checker and the citations see them too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal

from assistant.drafting.engine import SectionTask, Writing, ms_since
from assistant.drafting.evidence import Gatherer, LabelledPassage, fact_label, report_about
from assistant.drafting.offline import OfflineEngine

OFFLINE_CANDIDATES = 12


@dataclass(frozen=True)
class OfflineDraft:
    gatherer: Gatherer
    offline: OfflineEngine = field(default_factory=OfflineEngine)
    name: Literal["offline"] = "offline"
    model_name: str | None = None
    exemplars: bool = False  # it chooses its own, below

    def write(self, task: SectionTask, out: Writing) -> str:
        evidence, provenance = out.evidence, out.provenance
        sheet, template, section = task.sheet, task.template, task.section
        t = time.perf_counter()
        # It chooses among more candidates than a prompt shows, by their place in their document.
        candidates = self.gatherer.exemplars(
            template,
            section,
            k=OFFLINE_CANDIDATES,
            per_doc=OFFLINE_CANDIDATES // 2,
            about=report_about(sheet, task.facts),
            dense=False,  # framing is lent by its words: keyword search, no embedding
        )
        provenance.timings["retrieve_ms"] += ms_since(t)
        result = self.offline.draft(
            section=section,
            heading=task.item.heading,
            sheet=sheet,
            facts=task.facts,
            exemplars=candidates,
            label_of=lambda key: fact_label(sheet, key),
            ordinal=template.ordinal(section.id),
            template_name=template.name,
        )
        for key in result.told:  # a headline figure the overview repeats from the body
            fact = next((f for f in sheet.facts if f.key == key), None)
            if fact is not None and fact not in task.facts:
                evidence.fact_labels[fact_label(sheet, key)] = fact
                provenance.facts.append(key)
        evidence.exemplars = [
            LabelledPassage(f"E{i}", p) for i, p in enumerate(result.exemplars, start=1)
        ]
        provenance.passages = evidence.passage_refs()
        out.token(section.id, result.raw)
        return result.raw
