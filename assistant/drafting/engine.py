"""The drafting engine interface: what the pipeline hands an engine and what it gets back.

An engine turns one :class:`SectionTask` and the evidence gathered for it into raw text with
citation markers (〔F1〕〔S2〕). There are three: the LLM drafting a section
(:class:`~assistant.drafting.llm_writer.LLMDraft`), the LLM revising one by instruction
(:class:`~assistant.drafting.revise.Reviser`) and the offline exemplar engine
(:class:`~assistant.drafting.offline_writer.OfflineDraft`). Everything around them (evidence,
citations, checks, provenance) is the pipeline's, in :mod:`assistant.drafting.composer`, so all
three are checked and recorded alike.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from assistant.domain import Provenance
from assistant.drafting.evidence import EvidenceSet
from assistant.drafting.outline import OutlineItem
from assistant.drafting.templates import ReportTemplate, SectionSpec
from assistant.facts.sheet import Fact, FactSheet

TokenSink = Callable[[str, str], None]  # (section id, text delta)


def ms_since(since: float) -> float:
    return (time.perf_counter() - since) * 1000


@dataclass(frozen=True)
class Revision:
    """A redraft by instruction: the section's current text, its citations and what to change."""

    current: str
    citations: list[dict[str, Any]] = field(default_factory=list)
    instruction: str = ""


@dataclass(frozen=True)
class SectionTask:
    """Everything an engine may read about the section it writes."""

    sheet: FactSheet
    template: ReportTemplate
    section: SectionSpec
    item: OutlineItem
    facts: list[Fact]  # the facts shown to the engine
    revision: Revision | None = None


@dataclass
class Writing:
    """What an engine writes into: the evidence (it may add what it used), the provenance (the
    prompt, timings, facts told) and the sink its text is streamed to."""

    evidence: EvidenceSet
    provenance: Provenance
    on_token: TokenSink | None = None

    def token(self, section_id: str, delta: str) -> None:
        if self.on_token:
            self.on_token(section_id, delta)


class Engine(Protocol):
    """Writes one section's raw text, with citation markers."""

    @property
    def name(self) -> Literal["llm", "offline"]: ...

    @property
    def model_name(self) -> str | None: ...

    @property
    def exemplars(self) -> bool:
        """Whether the pipeline gathers corpus exemplars into the evidence for it."""
        ...

    def write(self, task: SectionTask, out: Writing) -> str: ...
