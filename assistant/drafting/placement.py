"""Where each fact of a sheet belongs in a report, and why.

A fact goes, in this order of precedence, to:

1. the section whose template names it (``facts:`` in the template);
2. the section that ``takes`` its role: a text fact about 问题/不足/短板 is a *problem*, one about
   打算/下步/建议 a *plan*, how an inquiry was made (调研、座谈、问卷) a *method*, 廉洁/八项规定 an
   *integrity* fact, feedback counts of an inspection (反馈问题、已完成整改) *feedback*, the
   writer's own post (职务、分管) a *post*, and a “关于……的问题” rectification an *item*;
3. the section whose ``attracts`` words (and, weakly, heading and purpose) its key and note share
   most;
4. the template's ``default`` body section.

The role words are read in the key first (it says what the clerk meant), then the note, then a
text value. Numbers are achievements unless their key says otherwise: 检视问题63个 is work done,
not a shortcoming. Every placement carries its reason, shown in the outline the user may edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.drafting.evidence import overlap, wanted_facts
from assistant.drafting.templates import FactRole, ReportTemplate, SectionSpec
from assistant.facts.sheet import Fact, FactSheet

# Sections whose text the program writes from the report meta; they carry no facts.
META_KINDS = frozenset({"title", "salutation", "closing"})

_ROLE_WORDS: dict[FactRole, re.Pattern[str]] = {
    "item": re.compile(r"^关于.{2,40}问题"),
    "plan": re.compile(
        r"打算|方向|今后|下步|下一步|下阶段|计划|对策|建议|明年|来年|改进措施|推进安排"
        r"|长效机制|长效常治|常态长效"
        r"|\d{4}年.{0,4}(?:将|要|重点|打算|思路|计划|目标|安排)"
    ),
    "integrity": re.compile(
        r"廉洁|廉政|八项规定|纪律|个人有关事项|一岗双责|清正|礼金|述廉|作风建设|拒腐"
        r"|回扣|红包|收受|不插手|不参与.{0,10}(?:采购|招标|谈判)"
    ),
    "method": re.compile(
        r"调研|座谈|问卷|走访|访谈|实地|调查|样本|入户|抽样|调阅|查阅|阅卷|^方法$|^方式方法$"
    ),
    "feedback": re.compile(
        r"反馈|已完成整改|完成整改|整改完成|整改率|完成率|立行立改|基本完成|问题总数|序时"
        r"|正在推进|持续推进|长期坚持|尚未完成|未完成|整改到位|已整改"
    ),
    "post": re.compile(r"职务|分管|任职|岗位|主持.{0,4}工作|协管"),
    "problem": re.compile(
        r"问题|不足|短板|差距|薄弱|困难|瓶颈|弱项|难点|欠缺|不够|不强|不高|滞后|不平衡|不充分"
        r"|风险|隐忧|堵点|痛点|原因|成因|参差不齐|缺乏|偏低|较弱|不健全|不完善|不到位|流动性大"
        r"|没有专职"
    ),
    # A measure to take, said as one (推行…, 建立…): what a 调研报告 proposes, not what was done.
    "measure": re.compile(
        r"^(?:推行|建立|健全|完善|加强|落实|推动|探索|鼓励|支持|引导|实施|强化|优化|构建|打造|设立"
        r"|推进|深化|提升|与.{2,10}合作)"
    ),
}
_DONE = re.compile(r"了|已|完成|共计|累计|\d")
# A number is a plan only when its key opens with the future (明年计划新建3所).
_PLAN_NUMBER = re.compile(r"^(?:明年|来年|下步|下一步|下阶段|计划|拟|目标|预计|\d{4}年计划)")
# Roles a number can have; the others describe text (a list of shortcomings, of measures).
_NUMBER_ROLES: tuple[FactRole, ...] = ("item", "feedback", "method", "integrity")
# Roles a text value alone can give: its words say what it is only for shortcomings, plans and
# integrity; 岗位练兵 in a value is no post, 未完成事项 in a measure no progress count.
_VALUE_ROLES: tuple[FactRole, ...] = ("plan", "integrity", "problem", "measure")
_ORDER: tuple[FactRole, ...] = (
    "item",
    "plan",
    "integrity",
    "method",
    "feedback",
    "post",
    "problem",
    "measure",
)
_ROLE_NAMES: dict[FactRole, str] = {
    "problem": "问题、不足类",
    "plan": "打算、建议类",
    "method": "调研方法类",
    "integrity": "廉洁自律类",
    "feedback": "反馈和整改进度",
    "post": "本人职务和分工",
    "item": "具体问题的整改",
    "measure": "对策措施类",
}


@dataclass(frozen=True)
class Placement:
    section_id: str
    reason: str


def is_number(fact: Fact) -> bool:
    return not isinstance(fact.value, str) or (bool(fact.unit) and fact.number() is not None)


def role_of(fact: Fact) -> FactRole | None:
    """The role of a fact, read from its key, then its note, then a text value."""
    found = read_role(fact)
    return found[0] if found else None


def read_role(fact: Fact) -> tuple[FactRole, str] | None:
    """(role, where it was read: ``key``, ``note`` or ``value``)."""
    number = is_number(fact)
    value = "" if number else str(fact.value)
    if _ROLE_WORDS["item"].search(value):
        return "item", "value"  # 问题3：关于台账不一致的问题…: the value says what it is
    if _ROLE_WORDS["feedback"].search(fact.key) and _ROLE_WORDS["plan"].search(value):
        return "plan", "value"  # 未完成：3个问题计划2026年3月底前整改到位
    texts = [("key", fact.key), ("note", fact.note)]
    if not number:
        texts.append(("value", value))
    for where, text in texts:
        if not text:
            continue
        for role in _ORDER:
            if number and role not in _NUMBER_ROLES:
                if role == "plan" and _PLAN_NUMBER.search(fact.key):
                    return "plan", where
                continue
            if where == "value" and role not in _VALUE_ROLES:
                continue
            if role == "measure" and (where != "value" or _DONE.search(text)):
                continue
            if _ROLE_WORDS[role].search(text):
                return role, where
    return None


def _attraction(fact: Fact, section: SectionSpec) -> float:
    if section.kind in ("overview", "opening"):
        # A headline part is drawn by what the key names (整治范围), not by a word of the note
        # (辖区交通事故起数同比下降 is an achievement of the body).
        return _key_attraction(fact, section)
    about = f"{fact.key}{fact.note}"
    value = "" if is_number(fact) else str(fact.value)
    score = 0.0
    for word in section.attracts:
        if word in about:
            score += 2.0
        elif word in value:
            score += 1.0
    described = f"{section.heading}{section.purpose}{section.guidance}"
    return score + 0.5 * overlap(about, described)


def _key_attraction(fact: Fact, section: SectionSpec) -> float:
    # The head of a Chinese compound is its last word: 整治范围 is a 范围 before it is 整治.
    return sum(
        2.0 + fact.key.endswith(word) for word in section.attracts if word in fact.key
    )


def _takers(template: ReportTemplate, role: FactRole) -> list[SectionSpec]:
    return [s for s in template.sections if role in s.takes and s.kind not in META_KINDS]


def _candidates(template: ReportTemplate) -> list[SectionSpec]:
    """Sections a fact may be drawn to by its topic: bodies, and overviews that attract."""
    return [
        s
        for s in template.sections
        if s.kind == "body" or (s.kind in ("overview", "opening") and s.attracts)
    ]


def _default(template: ReportTemplate) -> SectionSpec | None:
    bodies = [s for s in template.sections if s.kind == "body"]
    marked = [s for s in template.sections if s.default]
    if marked:
        return marked[0]
    if bodies:
        return bodies[0]
    rest = [s for s in template.sections if s.kind not in META_KINDS]
    return rest[0] if rest else None


def place_facts(template: ReportTemplate, sheet: FactSheet) -> dict[str, Placement]:
    """Every fact key of the sheet → the section it is told in and the reason."""
    placed: dict[str, Placement] = {}
    for s in template.sections:
        if s.kind in META_KINDS:
            continue
        for f in wanted_facts(sheet, s):
            if f.key not in placed:
                placed[f.key] = Placement(s.id, "模板指定本部分使用")
    candidates = _candidates(template)
    fallback = _default(template)
    for f in sheet.facts:
        if f.key in placed:
            continue
        found = read_role(f)
        role = found[0] if found else None
        takers = _takers(template, role) if role else []
        # A role read only in a long value (a 风险 among the measures of a 专班) yields to a
        # section the key itself names (专班 → 组织领导).
        keyed = [s for s in candidates if _key_attraction(f, s) >= 2.0]
        if found and found[1] == "value" and keyed:
            takers = []
        if role and takers:
            # Several takers (问题和下步打算 in one section, or apart): the best fit among them.
            best = max(takers, key=lambda s: (_attraction(f, s), -takers.index(s)))
            placed[f.key] = Placement(best.id, f"{_ROLE_NAMES[role]}事实归入本部分")
            continue
        scored = [(s, _attraction(f, s)) for s in candidates]
        scored = [(s, v) for s, v in scored if v >= 1.0]
        if scored:
            best, _ = max(
                scored, key=lambda sv: (sv[1], sv[0].kind == "body", -candidates.index(sv[0]))
            )
            words = [w for w in best.attracts if w in f"{f.key}{f.note}{f.value}"]
            why = f"与本部分主题相关（{'、'.join(words[:3])}）" if words else "与本部分主题最接近"
            placed[f.key] = Placement(best.id, why)
        elif fallback is not None:
            placed[f.key] = Placement(fallback.id, "工作成效类事实归入主体部分")
    return placed
