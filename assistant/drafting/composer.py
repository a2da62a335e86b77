"""Drafting a section or a whole report: evidence → engine → citations → checks → Draft.

One path for both engines: the LLM engine streams prose from the rendered prompt, the offline
engine rewrites exemplars; either way the output's citation markers become structured
citations and the checker runs on the clean text against the very evidence the engine saw.
Title, salutation and fixed closings are written by the program from the report meta.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from assistant.checks.checker import Checker
from assistant.checks.citations import check_marked
from assistant.domain import Draft, Issue, Provenance
from assistant.drafting.citations import parse_citations
from assistant.drafting.evidence import (
    EvidenceSet,
    Gatherer,
    LabelledPassage,
    fact_label,
    overlap,
    render_facts,
    render_passages,
    report_about,
)
from assistant.drafting.llm import ChatPrompt, LLMEngine
from assistant.drafting.offline import OfflineEngine
from assistant.drafting.outline import Outline, OutlineItem, propose_outline
from assistant.drafting.prompts import Prompt, load_prompt
from assistant.drafting.templates import ReportTemplate, SectionSpec
from assistant.facts.sheet import Fact, FactSheet

OFFLINE_CANDIDATES = 12
TokenSink = Callable[[str, str], None]  # (section id, text delta)


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return f"【待补充：{ {'topic': '事项'}.get(key, key) }】"


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000


@dataclass
class Drafter:
    gatherer: Gatherer
    checker: Checker
    llm: LLMEngine | None = None
    offline: OfflineEngine = field(default_factory=OfflineEngine)
    known_title: Callable[[str], bool] | None = None
    system_prompt: Prompt = field(default_factory=lambda: load_prompt("system"))
    section_prompt: Prompt = field(default_factory=lambda: load_prompt("draft_section"))

    @property
    def engine_name(self) -> str:
        return "llm" if self.llm else "offline"

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
        outline = outline or self.outline(sheet, template)
        outline.check(template, sheet)
        drafts = []
        for item in outline.sections:
            draft = self.draft_section(
                sheet, template, item.id, item=item, uploads_kb=uploads_kb, on_token=on_token
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
        uploads_kb: str | None = None,
        on_token: TokenSink | None = None,
    ) -> Draft:
        started = time.perf_counter()
        section = template.section(section_id)
        item = item or propose_outline(template, sheet).item(section_id)
        facts = [f for f in sheet.facts if f.key in item.facts]
        fixed = self._fixed_text(sheet, template, section)
        if fixed is not None:
            draft = Draft(section_id, item.heading, fixed, Provenance("template"), raw=fixed)
            if on_token:
                on_token(section_id, fixed)
            return self._finish(draft, EvidenceSet(sheet, {}), template, started)
        t = time.perf_counter()
        evidence = self.gatherer.gather(
            sheet,
            template,
            section,
            facts=facts,
            uploads_kb=uploads_kb,
            with_exemplars=self.llm is not None,
        )
        timings = {"retrieve_ms": _ms(t)}
        provenance = Provenance(
            self.engine_name,  # type: ignore[arg-type]  # "llm" | "offline"
            model=self.llm.model_name if self.llm else None,
            facts=[f.key for f in facts],
            passages=evidence.passage_refs(),
            timings=timings,
        )
        if self.llm:
            raw = self._llm_text(sheet, template, section, item, evidence, provenance, on_token)
        else:
            # The offline engine chooses among more candidates, by their place in their document.
            candidates = self.gatherer.exemplars(
                template,
                section,
                k=OFFLINE_CANDIDATES,
                per_doc=OFFLINE_CANDIDATES // 2,
                about=report_about(sheet, facts),
                dense=False,  # framing is lent by its words: keyword search, no embedding
            )
            timings["retrieve_ms"] = _ms(t)
            result = self.offline.draft(
                section=section,
                heading=item.heading,
                sheet=sheet,
                facts=facts,
                exemplars=candidates,
                label_of=lambda key: fact_label(sheet, key),
                ordinal=template.ordinal(section_id),
                template_name=template.name,
            )
            raw = result.raw
            for key in result.told:  # a headline figure the overview repeats from the body
                fact = next((f for f in sheet.facts if f.key == key), None)
                if fact is not None and fact not in facts:
                    evidence.fact_labels[fact_label(sheet, key)] = fact
                    provenance.facts.append(key)
            evidence.exemplars = [
                LabelledPassage(f"E{i}", p) for i, p in enumerate(result.exemplars, start=1)
            ]
            provenance.passages = evidence.passage_refs()
            if on_token:
                on_token(section_id, raw)
        t = time.perf_counter()
        parsed = parse_citations(raw, evidence.target)
        provenance.facts_used = [
            evidence.fact_labels[label].key
            for label in parsed.labels
            if label in evidence.fact_labels
        ]
        timings["parse_ms"] = _ms(t)
        draft = Draft(
            section_id, item.heading, parsed.text, provenance, parsed.citations, parsed.issues, raw
        )
        return self._finish(draft, evidence, template, started)

    def _llm_text(
        self,
        sheet: FactSheet,
        template: ReportTemplate,
        section: SectionSpec,
        item: OutlineItem,
        evidence: EvidenceSet,
        provenance: Provenance,
        on_token: TokenSink | None,
    ) -> str:
        assert self.llm is not None
        t = time.perf_counter()
        prompt = self._prompt(sheet, template, section, item, evidence)
        provenance.prompt = self.section_prompt.name
        provenance.prompt_sha256 = self.section_prompt.sha256
        provenance.timings["prompt_ms"] = _ms(t)
        t = time.perf_counter()
        parts: list[str] = []
        for delta in self._stream(prompt):
            if not parts:
                provenance.timings["first_token_ms"] = _ms(t)
            parts.append(delta)
            if on_token:
                on_token(section.id, delta)
        provenance.timings["generate_ms"] = _ms(t)
        return _drop_heading("".join(parts).strip(), item.heading)

    def _stream(self, prompt: ChatPrompt) -> Iterator[str]:
        assert self.llm is not None
        return self.llm.stream(prompt)

    def _prompt(
        self,
        sheet: FactSheet,
        template: ReportTemplate,
        section: SectionSpec,
        item: OutlineItem,
        evidence: EvidenceSet,
    ) -> ChatPrompt:
        meta = sheet.report
        org = meta.organization or "【待补充：单位名称】"
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
        user = self.section_prompt.render(
            template=template.name,
            heading=item.heading,
            purpose=section.purpose,
            guidance=section.guidance or "无",
            points=item.points or "无",
            length_min=section.length[0],
            length_max=section.length[1],
            report=report or "（未提供）",
            facts=render_facts(evidence.fact_labels),
            sources=render_passages(evidence.sources, "（本报告尚无上传材料。）"),
            exemplars=render_passages(evidence.exemplars, "（无。）"),
        )
        system = self.system_prompt.render(organization=org, template=template.name)
        return ChatPrompt(system, user)

    def _fixed_text(
        self, sheet: FactSheet, template: ReportTemplate, section: SectionSpec
    ) -> str | None:
        meta = sheet.report
        values = _Blank(
            {
                k: str(v)
                for k, v in {
                    "organization": meta.organization,
                    "period": meta.period,
                    "recipient": meta.recipient,
                    "title": meta.title,
                }.items()
                if v
            }
        )
        if section.kind == "title":
            return meta.title or template.title_pattern.format_map(values) or None
        if section.kind == "salutation":
            if meta.recipient:
                return (
                    f"{meta.recipient}：" if not meta.recipient.endswith("：") else meta.recipient
                )
            return section.text.format_map(values) if section.text else "【待补充：称谓】："
        if section.text:
            return section.text.format_map(values)
        return None

    def _finish(
        self, draft: Draft, evidence: EvidenceSet, template: ReportTemplate, started: float
    ) -> Draft:
        t = time.perf_counter()
        checked = evidence.for_checker(self.known_title)
        result = self.checker.check(
            draft.text, evidence=checked, genre=template.genre, heading=draft.heading
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
        timings["check_ms"] = _ms(t)
        timings["total_ms"] = _ms(started)
        timings["overhead_ms"] = timings["total_ms"] - timings.get("generate_ms", 0.0)
        return draft


def _drop_heading(text: str, heading: str) -> str:
    """Models often repeat the section heading despite the prompt; layout owns it."""
    first, _, rest = text.partition("\n")
    bare = heading.split("、", 1)[-1]
    if bare and len(first) <= len(heading) + 4 and overlap(bare, first) >= 0.8:
        return rest.strip()
    return text


def facts_of(sheet: FactSheet, keys: list[str]) -> list[Fact]:
    return [f for f in sheet.facts if f.key in keys]
