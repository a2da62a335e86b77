"""Drafting evaluation: are the user's facts told where they belong, and nothing foreign?

Owns the format of ``tests/evals/drafting_sheets/``: fact sheets with two more keys,
``unit_kind`` (free text) and ``labels`` (every fact key → the section ids where a reader
expects it). For each sheet the outline is proposed and the whole report drafted offline; the
LLM prompts are rendered through the real drafting path with a recording engine. Measured per
template and overall:

- placement: share of facts the outline puts in one of their labelled sections;
- offline_told: share of facts whose value the offline draft states in a labelled section;
- llm_prompt: share of facts shown (label, key and value) in a labelled section's LLM prompt;
- llm_prompt_placed: share shown in the prompt of the section the outline gave them (none hidden);
- foreign: names and topic words of the corpus documents absent from the sheet, per draft;
- numbering: the checker's heading-order and numbering issues on the drafts;
- unsupported: numbers the checker finds no source for (or only in an exemplar), names or
  document titles it finds only in an exemplar (GR006, GR007), and figures their own citation
  marker does not hold (GR010 errors: the engine's draft must not contradict its markers);
- placeholders_per_1000: 【待补充】 markers per 1,000 characters of offline draft;
- warnings: the checker's warnings on the offline drafts (each one a user must read and
  dismiss on text the engine wrote from their own facts);
- glued_figures: figures run together with no word between (…上年同期为19件2件), which no
  sheet wrote: a sentence whose figure landed after the wrong words.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from assistant.domain import Draft
from assistant.drafting.composer import Drafter
from assistant.drafting.evidence import told_in
from assistant.drafting.llm import ChatPrompt, LLMEngine
from assistant.drafting.templates import ReportTemplate
from assistant.evals.foreign import ForeignWords
from assistant.facts.sheet import FactSheet

_PLACEHOLDER = re.compile(r"【待补充[：:][^】]*】")
_NUMBERING_RULES = ("BD001", "BT")
_UNITS = "个件名人项次户家所座条台辆处场期批起万亿元吨亩公里米张套份篇部册股对枚"
_GLUED = re.compile(rf"\d+(?:\.\d+)?(?:%|‰|[{_UNITS}]{{1,3}})\d+(?:\.\d+)?(?:%|[{_UNITS}]{{1,3}})")


@dataclass(frozen=True)
class Sheet:
    name: str
    unit_kind: str
    sheet: FactSheet
    labels: dict[str, list[str]]


def load_sheets(folder: Path) -> list[Sheet]:
    out = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        labels = {str(k): [str(s) for s in v] for k, v in (data.pop("labels", None) or {}).items()}
        unit_kind = str(data.pop("unit_kind", ""))
        try:
            sheet = FactSheet.model_validate(data)
        except ValidationError as exc:
            raise ValueError(f"{path}: not a valid fact sheet ({exc})") from exc
        missing = {f.key for f in sheet.facts} - set(labels)
        if missing:
            raise ValueError(f"{path}: labels: no sections for {', '.join(sorted(missing))}")
        out.append(Sheet(path.name, unit_kind, sheet, labels))
    if not out:
        raise ValueError(f"{folder}: no fact sheets (*.yaml)")
    return out


class RecordingEngine(LLMEngine):
    """The LLM engine with the model replaced: records each prompt, answers with nothing."""

    def __init__(self) -> None:
        super().__init__(model=None, model_name="recording")  # type: ignore[arg-type]
        self.prompts: list[ChatPrompt] = []

    def stream(self, prompt: ChatPrompt) -> Iterator[str]:
        self.prompts.append(prompt)
        yield "【待补充：录制引擎不写正文】"


@dataclass
class Tally:
    facts: int = 0
    placed: int = 0
    told: int = 0
    prompted: int = 0
    prompted_placed: int = 0
    foreign: int = 0
    numbering: int = 0
    unsupported: int = 0
    placeholders: int = 0
    glued: int = 0
    warnings: int = 0
    characters: int = 0
    sheets: int = 0
    sections: int = 0  # drafted sections with prose (not title, salutation or fixed text)
    short: int = 0  # of which shorter than the template's minimum length
    seconds: list[float] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in (
            "facts",
            "placed",
            "told",
            "prompted",
            "prompted_placed",
            "foreign",
            "numbering",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in (
            "unsupported",
            "placeholders",
            "glued",
            "warnings",
            "characters",
            "sheets",
            "sections",
            "short",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.seconds += other.seconds

    def public(self) -> dict[str, Any]:
        def share(n: int) -> float | None:
            return round(n / self.facts, 3) if self.facts else None

        return {
            "sheets": self.sheets,
            "facts": self.facts,
            "placement": share(self.placed),
            "offline_told": share(self.told),
            "llm_prompt": share(self.prompted),
            "llm_prompt_placed": share(self.prompted_placed),
            "foreign": self.foreign,
            "numbering": self.numbering,
            "unsupported": self.unsupported,
            "placeholders_per_1000": round(1000 * self.placeholders / self.characters, 2)
            if self.characters
            else None,
            "warnings": self.warnings,
            "glued_figures": self.glued,
            "short_sections": round(self.short / self.sections, 3) if self.sections else None,
            "report_seconds_median": round(sorted(self.seconds)[len(self.seconds) // 2], 3)
            if self.seconds
            else None,
        }


def _fact_layer(sheet: FactSheet, template: ReportTemplate) -> str:
    meta = sheet.report
    parts = [meta.title or "", meta.organization or "", meta.recipient or "", meta.period or ""]
    parts += [f"{f.key}{f.note}{f.value}{f.unit}" for f in sheet.facts]
    parts += [
        f"{s.heading}{s.heading_pattern}{s.purpose}{s.guidance}{s.text}" for s in template.sections
    ]
    return "".join(parts)


def score_sheet(
    case: Sheet,
    template: ReportTemplate,
    offline: Drafter,
    recording: Drafter,
    foreign: ForeignWords,
    mistakes: list[dict[str, Any]],
) -> Tally:
    import time

    sheet = case.sheet
    tally = Tally(facts=len(sheet.facts), sheets=1)
    outline = offline.outline(sheet, template)
    where = {key: item.id for item in outline.sections for key in item.facts}
    started = time.perf_counter()
    drafts: dict[str, Draft] = {
        d.section_id: d for d in offline.draft_report(sheet, template, outline=outline)
    }
    tally.seconds.append(time.perf_counter() - started)
    engine = recording.llm
    assert isinstance(engine, RecordingEngine)
    prompts: dict[str, str] = {}
    for item in outline.sections:
        engine.prompts.clear()
        recording.draft_section(sheet, template, item.id, item=item)
        prompts[item.id] = "\n".join(p.user for p in engine.prompts)
    for i, f in enumerate(sheet.facts, start=1):
        wanted = case.labels[f.key]
        placed = where.get(f.key)
        ok_place = placed in wanted
        ok_told = any(told_in(f, drafts[s].text) for s in wanted if s in drafts)
        line = f"F{i} {f.key}：{f.value}"
        ok_prompt = any(line in prompts.get(s, "") for s in wanted)
        tally.placed += ok_place
        tally.told += ok_told
        tally.prompted += ok_prompt
        tally.prompted_placed += line in prompts.get(placed or "", "")
        if not (ok_place and ok_told and ok_prompt):
            mistakes.append(
                {
                    "sheet": case.name,
                    "fact": f.key,
                    "labels": wanted,
                    "placed": placed,
                    "told": ok_told,
                    "prompt": ok_prompt,
                }
            )
    own = _fact_layer(sheet, template)
    # Each field apart: a note ending 19件 and the value 2件 are no 19件2件 the sheet wrote.
    sheet_words = "\n".join(
        part for f in sheet.facts for part in (f.key, f.note, f"{f.value}{f.unit}")
    )
    for d in drafts.values():
        hits = foreign.found(d.text, own)
        tally.foreign += len(hits)
        if hits:
            mistakes.append({"sheet": case.name, "section": d.section_id, "foreign": hits})
        numbering = [i for i in d.issues if i.rule.startswith(_NUMBERING_RULES)]
        # Numbers with no source or only an exemplar's; names and titles only an exemplar holds.
        unsupported = [
            i
            for i in d.issues
            if i.rule in ("GR001", "GR002", "GR006", "GR007")
            or (i.rule == "GR010" and i.severity == "error")
        ]
        tally.warnings += sum(i.severity == "warning" for i in d.issues)
        tally.numbering += len(numbering)
        tally.unsupported += len(unsupported)
        for issue in numbering + unsupported:
            mistakes.append(
                {
                    "sheet": case.name,
                    "section": d.section_id,
                    "rule": issue.rule,
                    "text": issue.text,
                }
            )
        spec = template.section(d.section_id)
        if spec.kind not in ("title", "salutation") and not spec.text:
            tally.sections += 1
            tally.short += len(d.text) < spec.length[0]
        tally.placeholders += len(_PLACEHOLDER.findall(d.text))
        glued = [m.group(0) for m in _GLUED.finditer(d.text) if m.group(0) not in sheet_words]
        tally.glued += len(glued)
        mistakes.extend({"sheet": case.name, "section": d.section_id, "glued": g} for g in glued)
        tally.characters += len(d.text)
    return tally


def evaluate(
    folder: Path,
    *,
    templates: dict[str, ReportTemplate],
    offline: Drafter,
    recording: Drafter,
    foreign: ForeignWords,
    log: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    per_template: dict[str, Tally] = defaultdict(Tally)
    overall = Tally()
    mistakes: list[dict[str, Any]] = []
    kinds: set[str] = set()
    for case in load_sheets(folder):
        name = case.sheet.report.template or ""
        if name not in templates:
            raise ValueError(f"{case.name}: unknown template {name!r}")
        log(f"{case.name} …")
        tally = score_sheet(case, templates[name], offline, recording, foreign, mistakes)
        per_template[name].add(tally)
        overall.add(tally)
        kinds.add(case.unit_kind)
    return {
        "folder": str(folder),
        "unit_kinds": len(kinds),
        "overall": overall.public(),
        "per_template": {k: v.public() for k, v in sorted(per_template.items())},
        "mistakes": mistakes,
    }
