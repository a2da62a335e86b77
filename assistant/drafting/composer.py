"""The drafting pipeline: evidence → engine → citations → checks → provenance → Draft.

One path for every engine (:mod:`assistant.drafting.engine`): the LLM drafting a section, the
LLM revising one by instruction, the offline exemplar engine. The pipeline gathers the evidence,
hands it to the engine, turns the output's citation markers into structured citations and runs
the checker on the clean text against the very evidence the engine saw. :meth:`Drafter.engine`
is the one place an engine is chosen, and :meth:`Drafter.draft_sections` the one loop over a
report's sections (the CLI, the evals and :class:`~assistant.reports.drafting.DraftService`
all run it). Title, salutation and fixed closings are written by the program from the report
meta (:mod:`assistant.drafting.fixed`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.checks.checker import Checker
from assistant.checks.citations import check_marked
from assistant.domain import Draft, Issue, Provenance
from assistant.drafting.citations import parse_citations
from assistant.drafting.engine import (
    Engine,
    Revision,
    SectionTask,
    TokenSink,
    Writing,
    ms_since,
)
from assistant.drafting.evidence import EvidenceSet, Gatherer
from assistant.drafting.fixed import fixed_text
from assistant.drafting.llm import LLMEngine
from assistant.drafting.llm_writer import LLMDraft
from assistant.drafting.offline import OfflineEngine
from assistant.drafting.offline_writer import OfflineDraft
from assistant.drafting.outline import Outline, OutlineItem, propose_outline
from assistant.drafting.prompts import Prompt, load_prompt
from assistant.drafting.revise import Reviser
from assistant.drafting.templates import ReportTemplate
from assistant.facts.sheet import Fact, FactSheet


@dataclass(frozen=True)
class SectionRequest:
    """One section of a run over several: a fresh draft, or a revision when ``revision`` is set.

    ``item`` is the outline item to draft from; None takes the proposed outline's."""

    section_id: str
    item: OutlineItem | None = None
    revision: Revision | None = None


@dataclass
class Drafter:
    gatherer: Gatherer
    checker: Checker
    llm: LLMEngine | None = None
    offline: OfflineEngine = field(default_factory=OfflineEngine)
    known_title: Callable[[str], bool] | None = None
    system_prompt: Prompt = field(default_factory=lambda: load_prompt("system"))
    section_prompt: Prompt = field(default_factory=lambda: load_prompt("draft_section"))
    revise_prompt: Prompt = field(default_factory=lambda: load_prompt("revise_section"))

    @property
    def engine_name(self) -> str:
        return self.engine().name

    def engine(self, *, revising: bool = False) -> Engine:
        """The engine for a fresh draft, or for a revision by instruction (LLM only)."""
        if revising:
            if self.llm is None:
                raise ValueError("revising by instruction needs an LLM")
            return Reviser(self.llm, self.system_prompt, self.revise_prompt)
        if self.llm is not None:
            return LLMDraft(self.llm, self.system_prompt, self.section_prompt)
        return OfflineDraft(self.gatherer, self.offline)

    def outline(self, sheet: FactSheet, template: ReportTemplate) -> Outline:
        return propose_outline(template, sheet)

    def draft_report(
        self,
        sheet: FactSheet,
        template: ReportTemplate,
        *,
        outline: Outline | None = None,
        uploads_kb: str | None = None,
        on_token: TokenSink | None = None,
        on_section: Callable[[Draft], None] | None = None,
    ) -> list[Draft]:
        """Every section of ``outline`` (the proposed one by default), in order."""
        outline = outline or self.outline(sheet, template)
        outline.check(template, sheet)
        return self.draft_sections(
            sheet,
            template,
            [SectionRequest(item.id, item=item) for item in outline.sections],
            uploads_kb=uploads_kb,
            on_token=on_token,
            on_section=on_section,
        )

    def draft_sections(
        self,
        sheet: FactSheet,
        template: ReportTemplate,
        requests: Sequence[SectionRequest],
        *,
        uploads_kb: str | None = None,
        on_token: TokenSink | None = None,
        on_start: Callable[[int, SectionRequest], None] | None = None,
        on_section: Callable[[Draft], None] | None = None,
    ) -> list[Draft]:
        """Draft (or revise) each request in turn: ``on_start(index, request)`` before it (from
        1), ``on_section(draft)`` after it. An exception, the engine's or ``on_section``'s, stops
        the run there."""
        drafts = []
        for index, request in enumerate(requests, start=1):
            if on_start:
                on_start(index, request)
            draft = self.draft_section(
                sheet,
                template,
                request.section_id,
                item=request.item,
                revision=request.revision,
                uploads_kb=uploads_kb,
                on_token=on_token,
            )
            drafts.append(draft)
            if on_section:
                on_section(draft)
        return drafts

    def draft_section(
        self,
        sheet: FactSheet,
        template: ReportTemplate,
        section_id: str,
        *,
        item: OutlineItem | None = None,
        revision: Revision | None = None,
        uploads_kb: str | None = None,
        on_token: TokenSink | None = None,
    ) -> Draft:
        """One section: a fresh draft, or with ``revision`` its current text rewritten."""
        started = time.perf_counter()
        section = template.section(section_id)
        item = item or propose_outline(template, sheet).item(section_id)
        fixed = fixed_text(sheet, template, section) if revision is None else None
        if fixed is not None:
            draft = Draft(section_id, item.heading, fixed, Provenance("template"), raw=fixed)
            if on_token:
                on_token(section_id, fixed)
            return self._finish(
                draft, EvidenceSet(sheet, {}), template, started, heading=draft.heading
            )
        named = revision.instruction if revision else ""  # facts the instruction asks for
        facts = [f for f in sheet.facts if f.key in item.facts or (named and f.key in named)]
        task = SectionTask(sheet, template, section, item, facts, revision)
        engine = self.engine(revising=revision is not None)
        return self._compose(engine, task, uploads_kb, on_token, started)

    def _compose(
        self,
        engine: Engine,
        task: SectionTask,
        uploads_kb: str | None,
        on_token: TokenSink | None,
        started: float,
    ) -> Draft:
        t = time.perf_counter()
        evidence = self.gatherer.gather(
            task.sheet,
            task.template,
            task.section,
            facts=task.facts,
            uploads_kb=uploads_kb,
            with_exemplars=engine.exemplars,
        )
        provenance = Provenance(
            engine.name,
            model=engine.model_name,
            facts=[f.key for f in task.facts],
            passages=evidence.passage_refs(),
            timings={"retrieve_ms": ms_since(t)},
        )
        raw = engine.write(task, Writing(evidence, provenance, on_token))
        t = time.perf_counter()
        meta = evidence.sheet.report
        parsed = parse_citations(
            raw, evidence.target, plain=(meta.period or "", meta.organization or "")
        )
        provenance.facts_used = [
            evidence.fact_labels[label].key
            for label in parsed.labels
            if label in evidence.fact_labels
        ]
        provenance.timings["parse_ms"] = ms_since(t)
        draft = Draft(
            task.section.id,
            task.item.heading,
            parsed.text,
            provenance,
            parsed.citations,
            parsed.issues,
            raw,
        )
        # Every text is proofread under its section heading, a revision too: a revised part
        # opening on （一） is no skipped level (it had been flagged BD001).
        return self._finish(draft, evidence, task.template, started, heading=draft.heading)

    def _finish(
        self,
        draft: Draft,
        evidence: EvidenceSet,
        template: ReportTemplate,
        started: float,
        *,
        heading: str,
    ) -> Draft:
        """Checks on ``draft`` (proofread under ``heading``), DR001 if empty, the timings."""
        t = time.perf_counter()
        checked = evidence.for_checker(self.known_title)
        result = self.checker.check(
            draft.text,
            evidence=checked,
            genre=template.genre,
            heading=heading,
        )
        # The markers are gone from the text: whether each figure is its cited fact's is read
        # from the engine's own output.
        issues = draft.issues + result.issues + check_marked(draft.raw, checked)
        if not draft.text.strip():
            issues.append(
                Issue("DR001", "起草", "error", 0, 0, "", "引擎没有写出正文，请重新起草或手工填写")
            )
        draft.issues = sorted(issues, key=lambda i: (i.start, i.rule))
        timings = draft.provenance.timings
        timings["check_ms"] = ms_since(t)
        timings["total_ms"] = ms_since(started)
        timings["overhead_ms"] = timings["total_ms"] - timings.get("generate_ms", 0.0)
        return draft


def facts_of(sheet: FactSheet, keys: list[str]) -> list[Fact]:
    return [f for f in sheet.facts if f.key in keys]
