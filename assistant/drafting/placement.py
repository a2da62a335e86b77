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
text value; a role no section of the template takes is passed over for the next reading. Numbers
are achievements unless their key or note says otherwise: 检视问题63个 is work done, not a
shortcoming, but 剩余积案77件 and 人员缺口38人 are. A year after the report's period names a plan;
a count of the report's own subject (the title's words) is its scope, told in the overview. Every
placement carries its reason, shown in the outline the user may edit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.drafting import role_words as lex
from assistant.drafting.evidence import overlap, wanted_facts
from assistant.drafting.fact_shape import bare, is_number
from assistant.drafting.fixed import head_of
from assistant.drafting.scope import is_scope, is_subject
from assistant.drafting.templates import FactRole, ReportTemplate, SectionSpec
from assistant.facts.sheet import Fact, FactSheet

# Sections whose text the program writes from the report meta; they carry no facts.
META_KINDS = frozenset({"title", "salutation", "closing"})


@dataclass(frozen=True)
class Placement:
    section_id: str
    reason: str


def role_of(fact: Fact, *, skip: frozenset[FactRole] = frozenset()) -> FactRole | None:
    """The role of a fact, read from its key, then its note, then a text value."""
    found = read_role(fact, skip=skip)
    return found[0] if found else None


def read_role(
    fact: Fact,
    *,
    skip: frozenset[FactRole] = frozenset(),
    after_year: int | None = None,
    first_half: bool = False,
) -> tuple[FactRole, str] | None:
    """(role, where it was read: ``key``, ``note`` or ``value``).

    ``skip`` holds roles no section of the template takes, so that the next reading counts
    (调查研究 in a 述职报告 whose text says 调研不够 is a shortcoming, not a method);
    ``after_year`` is the last year of the report's period: a year after it names a plan, as
    下半年 does in a report on the first half (``first_half``).
    """
    fact = bare(fact)
    number = is_number(fact)
    value = "" if number else lex.WORDS.NO_INCIDENT.sub("", str(fact.value))
    value = lex.WORDS.SOLVED.sub("", value)

    def ok(role: FactRole) -> bool:
        return role not in skip

    if ok("plan") and after_year is not None and _plans_ahead(value or fact.note, after_year):
        # 2026年6月底前完成剩余4个问题整改; the key's own role first (长效机制 = 2026年起……)
        keyed = _read_in(fact.key, "key", number=number, ok=ok, key=fact.key)
        if keyed and keyed[0] != "feedback":  # 未完成：……计划2026年3月底前: a plan still
            return keyed
        return "plan", "value" if value else "note"
    if ok("item") and lex.ROLE_WORDS["item"].search(value):
        return "item", "value"  # 问题3：关于台账不一致的问题…: the value says what it is
    progress = lex.ROLE_WORDS["feedback"].search(fact.key)
    if ok("plan") and progress and lex.ROLE_WORDS["plan"].search(value):
        return "plan", "value"  # 未完成：3个问题计划2026年3月底前整改到位
    if ok("problem") and value and lex.WORDS.OPEN_KEY.search(fact.key):
        # 未完成：站内床位不足……尚在申报: what is still open, not a count of progress
        return "problem", "key"
    if ok("plan") and after_year is not None and _future(fact.key, after_year):
        return "plan", "key"  # 2026年重点, in a report on 2025
    if ok("plan") and first_half and fact.key.startswith("下半年"):
        return "plan", "key"  # 下半年, in a report on 1—6月
    if ok("item") and value and lex.WORDS.ITEM_KEY.match(fact.key):
        return "item", "key"  # 问题3：医德医风……: what was done about it, whatever it found
    faulty = lex.ROLE_WORDS["problem"].search(value)
    remedied = bool(lex.WORDS.REMEDY.match(value)) and not faulty
    for where, text in (("key", fact.key), ("note", fact.note)):
        found = _read_in(text, where, number=number, ok=ok, key=fact.key)
        if found and found[0] == "problem" and where == "key" and ok("item") and remedied:
            return "item", "key"  # 巡查值班记录不规范：修订《……制度》: the item done
        if found == ("problem", "key") and _risk_handled(fact.key, value, faulty):
            continue  # 税收风险: 开展风险应对1460户次…: a line of work, not a shortcoming
        if found == ("method", "key") and re.search(r"(?:发现|显示|反映|表明|结果)$", fact.key):
            continue  # 问卷发现: what the inquiry found, read in the value, not how it was made
        if found:
            return found
    if number:
        return None
    if (
        ok("problem")
        and lex.WORDS.PROBLEM_OPENING.search(value)
        and lex.ROLE_WORDS["problem"].search(value)
    ):
        return "problem", "value"
    if (
        ok("problem")
        and lex.WORDS.DEMAND.search(value)
        and not re.search(r"已|完成|办结|(?<!希望)(?<!要求)(?<!需要)(?<!盼望)解决", value)
    ):
        return "problem", "value"  # 问卷中68%的企业希望……, 14个村反映……: what is still wanted
    found = _read_in(value, "value", number=False, ok=ok, key=fact.key)
    if found:
        return found
    if ok("plan") and after_year is not None and _future(value[:12], after_year):
        return "plan", "value"  # 2026年完成再认证……
    return None


def _risk_handled(key: str, value: str, faulty: re.Match[str] | None) -> bool:
    """A key naming a field of risk (税收风险, 金融风险) whose value tells the work done on it."""
    return (
        key.endswith("风险")
        and bool(lex.WORDS.DOING_OPENS.match(value))
        and (faulty is None or "风险" in faulty.group(0))
    )


def _future(text: str, after_year: int) -> bool:
    return any(int(y) > after_year for y in lex.WORDS.YEAR.findall(text))


def _plans_ahead(text: str, after_year: int) -> bool:
    return any(int(m.group(1)) > after_year for m in lex.WORDS.FUTURE_PLAN.finditer(text))


def _read_in(
    text: str, where: str, *, number: bool, ok: Callable[[FactRole], bool], key: str
) -> tuple[FactRole, str] | None:
    if not text:
        return None
    found = _roles_in(text, where, number=number, ok=ok, key=key)
    if where == "key" and len(found) > 1:
        # The head of a compound is its last word: 问卷里不愿献血的原因 is a cause (a finding),
        # not a method, though 问卷 comes first.
        return max(found, key=lambda rw: (rw[2], -found.index(rw)))[:2]
    return found[0][:2] if found else None


def _roles_in(
    text: str, where: str, *, number: bool, ok: Callable[[FactRole], bool], key: str
) -> list[tuple[FactRole, str, int]]:
    """Every role ``text`` names, in the order of precedence, each with where its word ends."""
    out: list[tuple[FactRole, str, int]] = []
    for role in lex.ORDER:
        if not ok(role):
            continue
        if number and role not in lex.NUMBER_ROLES:
            if role == "plan" and (
                planned := lex.WORDS.PLAN_NUMBER.search(key)
                if where == "key"
                else lex.WORDS.PLAN_NOTE.search(text)
            ):
                out.append(("plan", where, planned.end()))
            if (
                role == "problem"
                and (m := lex.WORDS.UNDONE_NUMBER.search(text))
                and not lex.WORDS.SETTLED.search(text)
                and not lex.WORDS.RESOLVING.search(key)
            ):
                out.append(("problem", where, m.end()))
            continue
        if where == "value" and role not in lex.VALUE_ROLES:
            continue
        if where == "note" and (
            role == "post" or (role == "method" and lex.WORDS.SOURCE_NOTE.match(text))
        ):
            continue  # 本人分管领域的改革试点 / 根据有效问卷统计: context of the fact, not its role
        if role == "plan" and where == "value" and lex.WORDS.PLAN_MET.search(text):
            continue  # 完成年度计划的103%: a plan met is a result
        if role == "measure" and (
            where != "value"
            or (lex.WORDS.DONE.search(text) and not re.search(r"预计|拟|力争", text))
            or lex.WORDS.DONE_KEY.search(key)  # 主要做法: 盘活闲置校舍…: done, not proposed
        ):
            continue
        ends = [m.end() for m in lex.ROLE_WORDS[role].finditer(text)]
        if ends:
            out.append((role, where, ends[-1]))
    return out


def _attraction(fact: Fact, section: SectionSpec, title: str = "") -> float:
    fact = bare(fact)
    if section.kind in ("overview", "opening"):
        # A headline part is drawn by what the key names (整治范围), not by a word of the note
        # (辖区交通事故起数同比下降 is an achievement of the body).
        return _key_attraction(fact, section, title)
    about = f"{fact.key}{fact.note}"
    value = "" if is_number(fact) else str(fact.value)
    score = 0.0
    for word in section.attracts:
        if word in fact.key:
            # The head of a compound is its last word: 整改台账 is a 台账 before it is 整改.
            score += 2.0 + 0.5 * fact.key.endswith(word)
        elif word in fact.note:
            score += 1.5  # the key says what the clerk meant; the note only adds to it
        elif word in value:
            score += 1.0
    described = f"{section.heading}{section.purpose}{section.guidance}"
    return score + 0.5 * overlap(about, described)


def _key_attraction(fact: Fact, section: SectionSpec, title: str = "") -> float:
    fact = bare(fact)
    # The head of a Chinese compound is its last word: 整治范围 is a 范围 before it is 整治.
    score = sum(2.0 + fact.key.endswith(word) for word in section.attracts if word in fact.key)
    if (
        section.kind == "overview"
        and section.attracts
        and (is_subject(fact, title) or is_scope(fact))
    ):
        score += 4.0  # outweighs a topic word the key shares with a body part (就业)
    return score


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


def report_year(sheet: FactSheet) -> tuple[int | None, bool]:
    """(the last year the report covers, whether it covers only a first half): a later year
    names a plan. No period given: the year the title names (……2025年工作总结)."""
    period = sheet.period()
    named = lex.WORDS.YEAR.search(sheet.report.title or "")
    last_year = period[1].year if period else int(named.group(1)) if named else None
    first_half = bool(period and period[1].month <= 6 and period[0].year == period[1].year)
    return last_year, first_half


def plan_in_report(fact: Fact, sheet: FactSheet) -> bool:
    """Whether a fact is a plan read as the outline reads it (a later year in its note counts:
    建设资金，计划2026年6月底前上线 in a report on 2025), unless its key says what is still open
    (未完成事项, 剩余问题): that is told as what remains, whatever its plan words."""
    if lex.WORDS.OPEN_KEY.search(bare(fact).key):
        return False
    last_year, first_half = report_year(sheet)
    found = read_role(fact, after_year=last_year, first_half=first_half)
    return bool(found and found[0] == "plan")


def place_facts(template: ReportTemplate, sheet: FactSheet) -> dict[str, Placement]:
    """Every fact key of the sheet → the section it is told in and the reason."""
    placed: dict[str, Placement] = {}
    head = head_of(sheet)
    salutation = next((s for s in template.sections if s.kind == "salutation"), None)
    if head and salutation is not None:
        placed[head[0]] = Placement(salutation.id, "称谓中称呼受文方负责人")
    for s in template.sections:
        if s.kind in META_KINDS:
            continue
        for f in wanted_facts(sheet, s):
            if f.key not in placed:
                placed[f.key] = Placement(s.id, "模板指定本部分使用")
    candidates = _candidates(template)
    fallback = _default(template)
    untaken = frozenset(r for r in lex.ORDER if not _takers(template, r))
    title = sheet.report.title or ""
    last_year, first_half = report_year(sheet)
    for f in sheet.facts:
        if f.key in placed:
            continue
        found = read_role(f, skip=untaken, after_year=last_year, first_half=first_half)
        role = found[0] if found else None
        takers = _takers(template, role) if role else []
        # A role read only in a long value (a 风险 among the measures of a 专班) yields to a
        # section the key itself names (专班 → 组织领导).
        keyed = [s for s in candidates if _key_attraction(f, s, title) >= 2.0]
        # (没整改完的: the key says what is still open, not the part its 整改 names)
        if found and found[1] == "value" and keyed and not lex.WORDS.OPEN_KEY.search(bare(f).key):
            takers = []
        if role and takers:
            # Several takers (问题和下步打算 in one section, or apart): the best fit among them.
            best = max(takers, key=lambda s: (_attraction(f, s, title), -takers.index(s)))
            placed[f.key] = Placement(best.id, f"{lex.ROLE_NAMES[role]}事实归入本部分")
            continue
        scored = [(s, _attraction(f, s, title)) for s in candidates]
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
    return _siblings_filled(template, sheet, placed)


def _siblings_filled(
    template: ReportTemplate, sheet: FactSheet, placed: dict[str, Placement]
) -> dict[str, Placement]:
    """A body part left with no fact while a sibling holds three or more takes the one that fits
    it best (工作情况汇报's 二、 empty beside a 三、 of five: 审批时限压缩60% is as much a task as a
    result). The first body part (组织领导) is never filled so: no other fact is leadership."""
    siblings = [s for s in template.sections if s.kind == "body" and not s.takes][1:]
    if len(siblings) < 2:
        return placed
    title = sheet.report.title or ""
    facts = {f.key: f for f in sheet.facts}
    held = {s.id: [k for k, p in placed.items() if p.section_id == s.id] for s in siblings}
    order = list(facts)
    default = _default(template)
    for empty in (s for s in siblings if not held[s.id]):
        donor = max(siblings, key=lambda s: len(held[s.id]))
        if len(held[donor.id]) < 3:
            continue
        gains = {
            k: (
                _attraction(facts[k], empty, title) - _attraction(facts[k], donor, title),
                order.index(k),
            )
            for k in held[donor.id]
            if k in facts
        }
        key = max(gains, key=lambda k: gains[k], default=None)
        if key is None or (empty is not default and _attraction(facts[key], empty, title) <= 0):
            continue
        placed[key] = Placement(empty.id, "本部分原无事实，调入最接近的一项")
        held[donor.id].remove(key)
        held[empty.id].append(key)
    return placed
