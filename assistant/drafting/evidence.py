"""The evidence a section is drafted from, numbered for the prompt and for citations.

Facts are numbered by their place in the fact sheet (F1 is the first fact, in every section, so a
label means the same thing all through a report); passages from the report's own uploads are S1…
and style exemplars from the corpus E1…, numbered per section. The same set becomes the checker's
:class:`~assistant.checks.grounding.Evidence`, so what the engine was shown is what the draft is
checked against.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.checks.grounding import Evidence, Source
from assistant.domain import CORPUS, Passage
from assistant.drafting.headings import report_topic
from assistant.drafting.templates import ReportTemplate, SectionSpec
from assistant.facts.numbers import readable
from assistant.facts.sheet import Fact, FactSheet
from assistant.retrieval.search import Filters, Mode, Searcher


@dataclass(frozen=True)
class LabelledPassage:
    label: str
    passage: Passage

    def ref(self) -> dict[str, Any]:
        p = self.passage
        return {
            "label": self.label,
            "kb": p.kb,
            "chunk_id": p.chunk_id,
            "doc_id": p.doc_id,
            "title": p.title,
            "heading": p.heading,
        } | ({"ocr_page": p.ocr_page, "provenance": p.provenance} if p.ocr_page else {})


@dataclass
class EvidenceSet:
    sheet: FactSheet
    fact_labels: dict[str, Fact]  # F1 → fact, for the facts shown to the engine
    sources: list[LabelledPassage] = field(default_factory=list)
    exemplars: list[LabelledPassage] = field(default_factory=list)

    def target(self, label: str) -> str | None:
        """What a citation label points at: ``fact:<key>``, ``chunk:<id>`` or None if unknown."""
        if label in self.fact_labels:
            return f"fact:{self.fact_labels[label].key}"
        for lp in (*self.sources, *self.exemplars):
            if lp.label == label:
                return f"chunk:{lp.passage.chunk_id}"
        return None

    def for_checker(self, known_title: Callable[[str], bool] | None = None) -> Evidence:
        return Evidence(
            facts=self.sheet,
            uploads=[Source(lp.label, lp.passage.text) for lp in self.sources],
            exemplars=[Source(lp.label, lp.passage.text) for lp in self.exemplars],
            known_title=known_title,
        )

    def passage_refs(self) -> list[dict[str, Any]]:
        return [lp.ref() for lp in (*self.sources, *self.exemplars)]


def fact_label(sheet: FactSheet, key: str) -> str:
    for i, f in enumerate(sheet.facts, start=1):
        if f.key == key:
            return f"F{i}"
    raise KeyError(key)


def render_facts(labels: dict[str, Fact]) -> str:
    if not labels:
        return "（无。本部分需要的数字、日期一律写【待补充：缺什么】。）"
    lines = []
    for label, f in labels.items():
        note = f"（{f.note}）" if f.note else ""
        lines.append(f"- {label} {f.key}：{f.value}{f.unit}{note}")
    return "\n".join(lines)


def render_passages(items: Sequence[LabelledPassage], empty: str) -> str:
    if not items:
        return empty
    blocks = []
    for lp in items:
        where = f"《{lp.passage.title}》" + (f" {lp.passage.heading}" if lp.passage.heading else "")
        blocks.append(f"〔{lp.label}〕{where}\n{lp.passage.text.strip()}")
    return "\n\n".join(blocks)


_BIGRAM = re.compile(r"(?=(\w\w))")


def bigrams(text: str) -> set[str]:
    return {m.group(1) for m in _BIGRAM.finditer(re.sub(r"[\s\d]", "", text))}


def _number_forms(f: Fact) -> list[str]:
    value = f.value
    forms = {str(value)}
    if isinstance(value, float) and value.is_integer():
        forms.add(str(int(value)))
    if f.unit:  # 128000000 元 as the draft says it: 1.28亿(元)
        forms.add(readable(value, f.unit).removesuffix(f.unit))
    return [s for s in forms if s]


def told_in(f: Fact, text: str) -> bool:
    """Does ``text`` state the fact: its figure, or most of a text value's words?"""
    if isinstance(f.value, str) and f.number() is None:
        if re.search(r"\d", f.value) and f.value.strip() in text:
            return True  # 3200～4500 (元): a range, said as written
        wanted = bigrams(f.value)
        return bool(wanted) and len(wanted & bigrams(text)) / len(wanted) >= 0.6
    return any(
        re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", text) for form in _number_forms(f)
    )


def overlap(a: str, b: str) -> float:
    """Share of ``a``'s character bigrams found in ``b`` (Chinese has no word boundaries)."""
    ga = bigrams(a)
    return len(ga & bigrams(b)) / len(ga) if ga else 0.0


def wanted_facts(sheet: FactSheet, section: SectionSpec) -> list[Fact]:
    """The facts a section names in its template, matched to the sheet's keys loosely."""
    out: list[Fact] = []
    for name in section.facts:
        for f in sheet.facts:
            if f in out:
                continue
            # Both ways: 问题 is not 检视问题, though one holds the other.
            if f.key == name or (overlap(name, f.key) >= 0.5 and overlap(f.key, name) >= 0.5):
                out.append(f)
    return out


def _interleave(runs: Sequence[Sequence[Passage]]) -> list[Passage]:
    out: list[Passage] = []
    for i in range(max((len(r) for r in runs), default=0)):
        out += [r[i] for r in runs if i < len(r)]
    return out


def exemplar_query(template: ReportTemplate, section: SectionSpec, about: str = "") -> str:
    """What a section's exemplars are searched by: genre and part, and the report's own topic
    (``about``: subject, organisation, fact keys), so a 市场监管 report finds 监管 passages."""
    heading = section.heading or section.purpose
    return f"{template.name} {heading} {section.purpose} {about}".strip()


def report_about(sheet: FactSheet, facts: Sequence[Fact] = ()) -> str:
    keys = [f.key for f in (facts or sheet.facts)][:8]
    return " ".join(filter(None, [report_topic(sheet), sheet.report.organization or "", *keys]))


class Gatherer:
    """Retrieves a section's exemplars (corpus, genre-aware) and sources (report uploads)."""

    def __init__(self, searcher: Searcher, *, exemplars: int = 3, sources: int = 4) -> None:
        self.searcher = searcher
        self.n_exemplars = exemplars
        self.n_sources = sources

    def exemplars(
        self,
        template: ReportTemplate,
        section: SectionSpec,
        *,
        k: int | None = None,
        per_doc: int = 2,
        about: str = "",
        dense: bool = True,
    ) -> list[Passage]:
        """Exemplars by genre and part (hybrid search, its query vector cached per template
        section) interleaved with exemplars by the report's own topic (``about``, by keyword:
        a new report costs no new embedding). ``dense=False``: by keyword only."""
        k = self.n_exemplars if k is None else k
        if k <= 0:
            return []
        base = exemplar_query(template, section)
        topical = exemplar_query(template, section, about) if about else ""
        found: list[Passage] = []
        # The template's own kind first (述职报告), then its family (报告), then anything.
        for genre in (template.name, template.genre, None):
            seen = {p.chunk_id for p in found}
            filters = Filters(genre=genre)
            runs = []
            if topical:
                runs.append(self._search(topical, k, filters, per_doc, "bm25"))
            if dense or not topical:
                runs.append(self._search(base, k, filters, per_doc, "hybrid" if dense else "bm25"))
            for hit in _interleave(runs):
                if hit.chunk_id not in seen:
                    seen.add(hit.chunk_id)
                    found.append(hit)
            if len(found) >= k:
                break
        return found[:k]

    def _search(
        self, query: str, k: int, filters: Filters, per_doc: int, mode: Mode
    ) -> list[Passage]:
        return self.searcher.search(
            query, k=k, kb=CORPUS, filters=filters, per_doc=per_doc, mode=mode
        )

    def sources(self, kb: str | None, query: str) -> list[Passage]:
        if not kb or self.n_sources <= 0:
            return []
        return self.searcher.search(query, k=self.n_sources, kb=kb, per_doc=None)

    def gather(
        self,
        sheet: FactSheet,
        template: ReportTemplate,
        section: SectionSpec,
        *,
        facts: Sequence[Fact],
        uploads_kb: str | None = None,
        with_exemplars: bool = True,
    ) -> EvidenceSet:
        labels = {fact_label(sheet, f.key): f for f in facts}
        query = " ".join([section.heading, section.purpose, *(f.key for f in facts)])
        return EvidenceSet(
            sheet=sheet,
            fact_labels=labels,
            sources=[
                LabelledPassage(f"S{i}", p)
                for i, p in enumerate(self.sources(uploads_kb, query), start=1)
            ],
            exemplars=[
                LabelledPassage(f"E{i}", p)
                for i, p in enumerate(
                    self.exemplars(template, section, about=report_about(sheet, facts))
                    if with_exemplars
                    else [],
                    start=1,
                )
            ],
        )
