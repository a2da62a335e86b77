"""Redrafting a section by instruction (更简洁一些) with the LLM: the ``revise_section`` prompt.

The model gets the current text with its citation markers put back (so it can keep them), the
instruction, and the same facts and upload passages a draft would see; its answer goes through
the same citation parsing and checks as a draft. Facts the instruction names are shown as well,
so 补上民生实事的数字 can be followed. The offline engine cannot follow instructions: there a
redraft is a fresh draft and the instruction is only recorded (see drafting.py).
"""

from __future__ import annotations

import time
from typing import Any

from assistant.checks.citations import check_marked
from assistant.domain import Draft, Issue, Provenance
from assistant.drafting.citations import parse_citations
from assistant.drafting.composer import Drafter, TokenSink
from assistant.drafting.evidence import fact_label, render_facts, render_passages
from assistant.drafting.llm import ChatPrompt
from assistant.drafting.outline import propose_outline
from assistant.drafting.prompts import Prompt, load_prompt
from assistant.drafting.templates import ReportTemplate
from assistant.facts.sheet import FactSheet

_STOPS = "。！？；"


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000


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


class Reviser:
    def __init__(self, drafter: Drafter, prompt: Prompt | None = None) -> None:
        if drafter.llm is None:
            raise ValueError("revising by instruction needs an LLM")
        self.drafter = drafter
        self.prompt = prompt or load_prompt("revise_section")

    def revise(
        self,
        sheet: FactSheet,
        template: ReportTemplate,
        section_id: str,
        *,
        current: str,
        citations: list[dict[str, Any]],
        instruction: str,
        uploads_kb: str | None = None,
        on_token: TokenSink | None = None,
    ) -> Draft:
        drafter, llm = self.drafter, self.drafter.llm
        assert llm is not None
        started = time.perf_counter()
        section = template.section(section_id)
        item = propose_outline(template, sheet).item(section_id)
        facts = [f for f in sheet.facts if f.key in item.facts or f.key in instruction]
        t = time.perf_counter()
        evidence = drafter.gatherer.gather(
            sheet, template, section, facts=facts, uploads_kb=uploads_kb, with_exemplars=False
        )
        provenance = Provenance(
            "llm",
            model=llm.model_name,
            prompt=self.prompt.name,
            prompt_sha256=self.prompt.sha256,
            facts=[f.key for f in facts],
            passages=evidence.passage_refs(),
            timings={"retrieve_ms": _ms(t)},
        )
        meta = sheet.report
        user = self.prompt.render(
            template=template.name,
            heading=item.heading,
            instruction=instruction,
            draft=with_markers(current, citations, sheet),
            facts=render_facts(evidence.fact_labels),
            sources=render_passages(evidence.sources, "（本报告尚无上传材料。）"),
        )
        system = drafter.system_prompt.render(
            organization=meta.organization or "【待补充：单位名称】", template=template.name
        )
        t = time.perf_counter()
        parts: list[str] = []
        for delta in llm.stream(ChatPrompt(system, user)):
            if not parts:
                provenance.timings["first_token_ms"] = _ms(t)
            parts.append(delta)
            if on_token:
                on_token(section_id, delta)
        provenance.timings["generate_ms"] = _ms(t)
        raw = "".join(parts).strip()
        parsed = parse_citations(raw, evidence.target)
        provenance.facts_used = [
            evidence.fact_labels[label].key
            for label in parsed.labels
            if label in evidence.fact_labels
        ]
        t = time.perf_counter()
        checked = evidence.for_checker(drafter.known_title)
        result = drafter.checker.check(parsed.text, evidence=checked, genre=template.genre)
        issues = parsed.issues + result.issues + check_marked(raw, checked)
        if not parsed.text.strip():
            issues.append(
                Issue("DR001", "起草", "error", 0, 0, "", "引擎没有写出正文，请重新起草或手工填写")
            )
        provenance.timings["check_ms"] = _ms(t)
        provenance.timings["total_ms"] = _ms(started)
        return Draft(
            section_id,
            item.heading,
            parsed.text,
            provenance,
            parsed.citations,
            sorted(issues, key=lambda i: (i.start, i.rule)),
            "".join(parts),
        )
