"""The offline exemplar engine (离线范文模式): a section from exemplar passages, with no LLM.

It takes the exemplars retrieved for the section, preferring those under a heading like the
section's, drops their own level-1 headings, and rewrites every slot (see
:mod:`assistant.drafting.slots`): figures become the user's facts or 【待补充】 markers, the
exemplar's unit becomes the reporting organisation, and documents it cites that are local to it
become 【待补充：文件名称】. A 〔F…〕 marker follows each sentence that now states a fact, so
offline drafts carry citations like LLM drafts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.domain import Passage
from assistant.drafting.slots import Fill, fill_slots
from assistant.drafting.templates import SectionSpec
from assistant.facts.sheet import Fact, FactSheet
from assistant.ingest.metadata import issuer_of

_ORG_HEAD = re.compile(r"^(?:中共|中国共产党)")
_ORG_TAIL = re.compile(r"(?:委员会|党委|党组|委|人民政府|政府|办公室|局|集团)$")
_TITLE = re.compile(r"《[^《》\n]{2,80}》")
_SENTENCE_END = "。！？；"


@dataclass(frozen=True)
class OfflineResult:
    raw: str  # with 〔F…〕 markers
    fills: list[Fill]
    exemplars: list[Passage]


def _place(org: str) -> str:
    """中共青川县委 → 青川县; 临江市水务局 → 临江市."""
    core = _ORG_TAIL.sub("", _ORG_HEAD.sub("", org))
    m = re.match(r"^(.{2,6}?[省市县区镇乡])", core)
    return m.group(1) if m else core


def localise(text: str, source_org: str | None, target_org: str | None) -> str:
    """Replace the exemplar's own unit and place with the report's; its local documents → 待补充."""
    if not source_org:
        return text
    place = _place(source_org)
    bare = place[:-1] if len(place) > 2 else place
    text = _TITLE.sub(
        lambda m: "《【待补充：文件名称】》" if bare and bare in m.group() else m.group(), text
    )
    target = target_org or "【待补充：单位名称】"
    text = text.replace(source_org, target)
    if target_org:
        to_place = _place(target_org)
        text = text.replace(place, to_place)
        if bare and len(to_place) > 2:
            text = text.replace(bare, to_place[:-1])
    elif bare:
        text = text.replace(bare, "【待补充：地名】")
    return text


_CN = "一二三四五六七八九十"
_HEADING1 = re.compile(r"^[一二三四五六七八九十]+、")
_CLOSING = re.compile(r"^(?:汇报完毕|以上报告|以上汇报|特此报告|妥否|请予审议|请批评指正|谢谢)")
_PLANS = re.compile(r"问题|不足|短板|差距|打算|下步|下一步|计划|努力方向|思路|建议")
_OVERVIEW = re.compile(r"如下[：:]\s*$")


def _is_salutation(line: str) -> bool:
    return line.endswith(("：", ":")) and len(line) <= 40 and not re.search(r"[，。]|如下", line)


def _is_heading1(line: str) -> bool:
    return bool(_HEADING1.match(line)) and len(line) <= 40


def paragraphs_for(kind: str, text: str) -> list[str]:
    """The lines of an exemplar that can stand in a section of this kind."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    lines = [
        ln
        for ln in lines
        if not _is_salutation(ln) and not _is_heading1(ln) and not _CLOSING.match(ln)
    ]
    overview = [ln for ln in lines if _OVERVIEW.search(ln)]
    if kind == "overview":
        return overview
    if kind == "opening":
        cut = next((i for i, ln in enumerate(lines) if _OVERVIEW.search(ln)), len(lines))
        return lines[:cut]
    return [ln for ln in lines if ln not in overview]


def role_fit(p: Passage, kind: str, ordinal: int, template_name: str) -> float:
    """How well a passage's place in its document matches the section's place in the report."""
    root = p.heading.split(" > ")[0] if p.heading else ""
    score = 1.0 if p.genre == template_name else 0.0
    if kind in ("opening", "overview"):
        score += 2.0 if not root else 0.0
    elif kind in ("problems", "plans"):
        score += 2.0 if root and _PLANS.search(root) else 0.0
    elif kind == "body" and root:
        score += 0.5
        if 0 < ordinal <= len(_CN) and root.startswith(f"{_CN[ordinal - 1]}、"):
            score += 1.5
        if _PLANS.search(root):
            score -= 1.0
    return score


def pick_exemplars(
    passages: Sequence[Passage],
    section: SectionSpec,
    *,
    ordinal: int,
    template_name: str,
) -> list[tuple[Passage, list[str]]]:
    """Passages (with their usable lines) in order of fit, until the length target is met."""
    ranked = sorted(
        enumerate(passages),
        key=lambda item: (-role_fit(item[1], section.kind, ordinal, template_name), item[0]),
    )
    chosen: list[tuple[Passage, list[str]]] = []
    length = 0
    best = role_fit(ranked[0][1], section.kind, ordinal, template_name) if ranked else 0.0
    for _, p in ranked:
        # A shorter section beats one that borrows from a passage written for another purpose.
        if length >= section.length[0] or (
            chosen and role_fit(p, section.kind, ordinal, template_name) < best - 0.5
        ):
            break
        lines = paragraphs_for(section.kind, p.text)
        if lines:
            chosen.append((p, lines))
            length += sum(len(ln) for ln in lines)
    return chosen


def trim(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut after a sentence end (never inside one)."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(ch, 0, limit) for ch in _SENTENCE_END)
    return text[: cut + 1] if cut > 0 else text[:limit]


def with_markers(text: str, fills: list[Fill], label_of: Callable[[str], str | None]) -> str:
    """The filled text with 〔F…〕 before each end of a sentence that states a fact."""
    out: list[str] = []
    pending: list[str] = []
    last = 0
    spans = sorted(fills, key=lambda f: f.slot.start)

    def copy(segment: str) -> None:
        for ch in segment:
            if ch in _SENTENCE_END and pending:
                out.append("〔" + "、".join(pending) + "〕")
                pending.clear()
            out.append(ch)

    for fill in spans:
        copy(text[last : fill.slot.start])
        out.append(fill.text)
        label = label_of(fill.fact) if fill.fact else None
        if label and label not in pending:
            pending.append(label)
        last = fill.slot.end
    copy(text[last:])
    if pending:
        out.append("〔" + "、".join(pending) + "〕")
    return "".join(out)


class OfflineEngine:
    engine = "offline"
    model_name = None

    def draft(
        self,
        *,
        section: SectionSpec,
        heading: str,
        sheet: FactSheet,
        facts: Sequence[Fact],
        exemplars: Sequence[Passage],
        label_of: Callable[[str], str | None],
        ordinal: int = 0,
        template_name: str = "",
    ) -> OfflineResult:
        chosen = pick_exemplars(exemplars, section, ordinal=ordinal, template_name=template_name)
        pieces: list[str] = []
        fills: list[Fill] = []
        remaining = list(facts)
        for p, lines in chosen:
            text = localise("\n".join(lines), issuer_of(p.title), sheet.report.organization)
            found = fill_slots(text, sheet, remaining)
            used = {f.fact for f in found if f.fact}
            remaining = [f for f in remaining if f.key not in used]  # no figure told twice
            pieces.append(with_markers(text, found, label_of))
            fills += found
        raw = "\n".join(pieces)
        if not raw:
            raw = f"【待补充：{heading or section.purpose}】"
        return OfflineResult(trim(raw, section.length[1] + 40), fills, [p for p, _ in chosen])
