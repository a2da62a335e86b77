"""The offline engine's text for each kind of section, written from the facts given to it.

Every fact given to a section is told there once, with its 〔F…〕 marker: numbers as clauses in
layers grouped by theme (（一） headings or run-in lead sentences, numbered by construction),
problems and plans as 一是……二是…… items, inquiry methods in the background, the writer's post
in a 述职报告's opening. What the section needs and no fact gives becomes one or two specific
【待补充：…】. The framing words are generic 公文 language; names and dates come from the report
meta only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.drafting.fact_shape import bare, is_number, numbered_key
from assistant.drafting.phrasing import clause, text_items
from assistant.drafting.placement import plan_in_report, role_of
from assistant.drafting.rectified import rectified
from assistant.drafting.templates import SectionSpec
from assistant.drafting.themes import GENERAL, MIXED, Theme, group_by_theme, section_theme
from assistant.facts.sheet import Fact, FactSheet

_CN = "一二三四五六七八九十"
# 一是 … 十是, then 十一是 …: a list never counts in Arabic digits (11是 reads as a figure).
_ORDINALS = [*_CN, *(f"十{c}" for c in _CN[:-1]), "二十"]
_VISITORS = re.compile(
    r"(?:指导组|督导组|巡察组|巡视组|调研组|考察组|检查组|评估组|考核组|工作组|督查组)"
)
_AS_WORD = {"工作情况汇报": "汇报", "工作总结": "总结"}
MarkerOf = Callable[[Fact], str]


@dataclass(frozen=True)
class Context:
    """What every section's text may use besides its facts: the report meta, named once."""

    sheet: FactSheet
    template_name: str
    topic: str
    marker: MarkerOf
    opener: Callable[[Theme], str]  # a layer's opening phrase (the engine may borrow one)
    home: Theme = GENERAL  # the theme of the unit and subject, for facts no theme claims
    variant: int = 0  # which wording of a theme this section uses (see Theme.at)
    not_ours: frozenset[str] = frozenset()  # themes the unit's work cannot be (themes_not_of)

    @property
    def org(self) -> str:
        return self.sheet.report.organization or "【待补充：单位名称】"

    @property
    def we(self) -> str:
        return (
            "本人"
            if self.template_name == "述职报告"
            else (self.sheet.report.organization or "我们")
        )

    @property
    def when(self) -> str:
        period = (self.sheet.report.period or "").strip()
        return f"{period}，" if period else ""

    @property
    def topic_work(self) -> str:
        return f"{self.topic}工作" if self.topic else "各项工作"

    @property
    def as_follows(self) -> str:
        return f"现将有关情况{_AS_WORD.get(self.template_name, '报告')}如下："


def _sentence(parts: Sequence[str]) -> str:
    body = "，".join(p.rstrip("。；，") for p in parts if p)
    return f"{body}。" if body else ""


def _numbers_and_texts(facts: Sequence[Fact]) -> tuple[list[Fact], list[Fact]]:
    return [f for f in facts if is_number(f)], [f for f in facts if not is_number(f)]


# Figures told in one sentence before a new one starts: a run of nine reads as a list.
_PER_SENTENCE = 3


def _layer_text(ctx: Context, theme: Theme, facts: Sequence[Fact]) -> str:
    numbers, texts = _numbers_and_texts(facts)
    told = [clause(f, ctx.marker(f)) for f in numbers]
    if told:
        told[0] = ctx.opener(theme) + told[0]
    out = "".join(
        _sentence(told[i : i + _PER_SENTENCE]) for i in range(0, len(told), _PER_SENTENCE)
    )
    for f in texts:
        said = clause(f, ctx.marker(f))
        out += _sentence([said if out or numbers else ctx.opener(theme) + said])
    return out


def _merge_same(layers: list[tuple[Theme, list[Fact]]]) -> list[tuple[Theme, list[Fact]]]:
    merged: dict[str, tuple[Theme, list[Fact]]] = {}
    for theme, group in layers:
        merged.setdefault(theme.id, (theme, []))[1].extend(group)
    return list(merged.values())


# Themes of what a unit does for its public, not of how it puts a problem right.
_LINE_OF_WORK = frozenset(
    {"health", "education", "service", "economy", "business", "livelihood", "rural", "urban"}
    | {"utilities", "digital"}
)


def body(ctx: Context, section: SectionSpec, facts: Sequence[Fact], heading: str) -> str:
    if not facts:
        what = heading.split("、", 1)[-1] or section.purpose
        return f"【待补充：“{what}”部分的主要做法和量化成效】"
    if section.layers == "plain":
        return _described(ctx, facts)
    items = [f for f in facts if role_of(f) == "item"]
    # （一）抓民族团结进步教育 + its paragraph, copied from last year's report: the user's own
    # layer, headed by its own words (its 教育 is no 学习培训)
    headed = {id(f): h for f in facts if f not in items and (h := _own_heading(f))}
    rest = [f for f in facts if f not in items and id(f) not in headed]
    # The template's own theme, from its heading: the purpose may name the seed's tasks
    # (学习研讨、调查研究), which would lead a 林业局's 林长体系 with 强化教育培训.
    own = section_theme(section.heading, skip=ctx.not_ours)
    home, skip = ctx.home, ctx.not_ours
    if "item" in section.takes and own is not GENERAL:
        # In the part telling how each problem was rectified, the work is rectification
        # (退回违规医保基金, 床旁核查), not the unit's line of work (a hospital's 改善就医体验).
        home, skip = own, skip | _LINE_OF_WORK
    # (on a tie the part's own theme wins: a 局务会 on 数据质量 in 组织领导 is leadership)
    prefer = own.id if own is not GENERAL else ""
    topic = ctx.sheet.report.title or ""
    grouped = group_by_theme(rest, home=home, skip=skip, prefer=prefer, topic=topic) if rest else []
    org = ctx.sheet.report.organization or ""
    layers = _merge_same(
        [((own if t is GENERAL else t).at(ctx.variant, org), g) for t, g in grouped]
    )
    if not items and not headed and (len(layers) == 1 or len(facts) <= 2):
        theme = layers[0][0]
        text = _layer_text(ctx, theme, rest)
        return f"{theme.lead}{text}" if section.layers == "lead" else text
    at = {id(f): i for i, f in enumerate(facts)}
    # (heading, lead, text), the user's own layers and the themed ones in the order told
    # (the facts no theme of their own claims, 统筹抓好其他工作, close the part)
    ordered = [
        (
            (False, at[id(f)]),
            (headed[id(f)], f"{headed[id(f)]}。", _sentence([clause(f, ctx.marker(f))])),
        )
        for f in facts
        if id(f) in headed
    ] + [
        (
            (theme.id == MIXED.id, min(at[id(f)] for f in group)),
            (theme.heading, theme.lead, _layer_text(ctx, theme, group)),
        )
        for theme, group in layers
    ]
    parts = [part for _, part in sorted(ordered, key=lambda p: p[0])]
    # The problems rectified lead the part; what the work did besides (问责, 追缴) follows them.
    parts = [
        (title, "", text) for title, text in (rectified(f, ctx.marker(f)) for f in items)
    ] + parts
    out = []
    for i, (title, lead, text) in enumerate(parts):
        if section.layers == "lead" and lead:
            out.append(f"{lead}{text}")
        else:
            out.append(f"（{_CN[i]}）{title}\n{text}")
    return "\n".join(out)


def _own_heading(f: Fact) -> str:
    """The heading a text fact's numbered key gives its layer (（一）加强组织领导 → 加强组织领导),
    or "" when the key is no layer heading (a figure's, a part's name, or too long)."""
    if is_number(f) or not numbered_key(f):
        return ""
    words = bare(bare(f)).key.strip().rstrip("。：:；;")  # 一、（一）坚持党建引领: both numbers
    if not 2 <= len(words) <= 24 or re.search(r"\d|情况$|问题|打算|不足", words):
        return ""
    return words


def _described(ctx: Context, facts: Sequence[Fact]) -> str:
    """What was found, a paragraph per theme in the order told: figures first, then the texts."""
    paragraphs = []
    for _, group in group_by_theme(facts, home=ctx.home, skip=ctx.not_ours):
        numbers, texts = _numbers_and_texts(group)
        out = _sentence([clause(f, ctx.marker(f)) for f in numbers])
        out += "".join(_sentence([clause(f, ctx.marker(f))]) for f in texts)
        paragraphs.append(out)
    if paragraphs:
        paragraphs[0] = "从调研掌握的情况看，" + paragraphs[0]
    return "\n".join(paragraphs)


def _items(ctx: Context, facts: Sequence[Fact]) -> list[str]:
    """Each text fact split into items, each with the fact's marker (items are sentences)."""
    items: list[str] = []
    for f in facts:
        if is_number(f):
            items.append(clause(f, ctx.marker(f)))
            continue
        parts = text_items(str(f.value), f.key) or [str(f.value)]
        items += [part + ctx.marker(f) for part in parts]
    return items


def _listed(lead: str, items: Sequence[str]) -> str:
    last = len(_ORDINALS) - 1
    said = "；".join(f"{_ORDINALS[min(i, last)]}是{item}" for i, item in enumerate(items))
    return f"{lead}{said}。"


_PROBLEM_LEAD = {
    "整改情况报告": "对照整改要求，仍有一些问题需要持续用力：",
    "述职报告": "回顾履职情况，本人还存在一些不足：",
    "调研报告": "调研发现，当前还存在一些突出问题：",
}
_PLAN_LEAD = {
    "述职报告": "今后，本人将针对存在的不足，重点做好以下几方面：",
    "调研报告": "针对上述问题，提出如下建议：",
    "整改情况报告": "下一步，{we}将持续巩固整改成果，重点抓好以下工作：",
}


def problems(ctx: Context, facts: Sequence[Fact]) -> str:
    lead = _PROBLEM_LEAD.get(
        ctx.template_name, "在肯定成绩的同时，我们也清醒认识到，工作中还存在一些问题和不足："
    )
    items = _items(ctx, facts)
    if not items:
        return lead + "【待补充：存在的主要问题及其具体表现】。"
    return _listed(lead, items)


def plans(ctx: Context, facts: Sequence[Fact], *, after_problems: bool) -> str:
    lead = _PLAN_LEAD.get(ctx.template_name, "下一步，{we}将坚持问题导向，重点做好以下工作：")
    lead = lead.format(we=ctx.we)
    if after_problems:
        lead = "针对上述问题，" + lead.removeprefix("下一步，")
    items = _items(ctx, facts)
    if not items:
        return lead + "【待补充：下一步工作的目标和主要措施】。"
    return _listed(lead, items)


def problems_and_plans(
    ctx: Context, problem_facts: Sequence[Fact], plan_facts: Sequence[Fact]
) -> str:
    return problems(ctx, problem_facts) + "\n" + plans(ctx, plan_facts, after_problems=True)


def integrity(ctx: Context, facts: Sequence[Fact]) -> str:
    lead = "本人始终把纪律和规矩挺在前面，"
    told = [clause(f, ctx.marker(f)) for f in facts]
    if not told:
        return (
            lead + "【待补充：遵守中央八项规定精神、履行“一岗双责”和报告个人有关事项的具体情况】。"
        )
    out = _sentence([lead + clause(facts[0], ctx.marker(facts[0]))])
    for f in facts[1:]:
        out += _sentence([clause(f, ctx.marker(f))])
    return out


def _post_clause(ctx: Context, f: Fact) -> str:
    value = re.sub(r"^本人[，,]?", "", str(f.value).strip().rstrip("。"))
    if is_number(f):
        return clause(f, ctx.marker(f))
    # 2021年8月起任馆长 says the post already, whatever the key (本人, 职务);
    # 馆长 alone is 担任馆长.
    held = re.match(r"(?:\d{4}年[^，,]{0,6}?)?(?:起|以来)?(?:担任|兼任|任|现任)", value)
    if "分管" in f.key or "协管" in f.key:
        said = value if value.startswith(("分管", "负责", "协管")) else f"分管{value}"
    elif held or re.search(r"职务|岗位|任职", f.key):
        said = value if held else f"担任{value}"
    else:
        said = clause(f, "").rstrip("。")
    return said + ctx.marker(f)


def opening(ctx: Context, section: SectionSpec, facts: Sequence[Fact]) -> str:
    if ctx.template_name == "述职报告":
        told = [_post_clause(ctx, f) for f in facts]
        if not told:
            told = ["担任【待补充：本人职务】，分管【待补充：分管工作】"]
        org = ctx.sheet.report.organization
        # 本人2023年8月起任雁川县民族中学校长: the post names the unit; no 本人在……工作 before it.
        who = f"本人在{org}工作，" if org and org not in told[0] else "本人"
        # 本人2024年8月起任……: a post dated its own way reads badly after 2026年，
        when = "" if re.match(r"\d{4}年", told[0]) else ctx.when
        return _sentence([f"{when}{who}{told[0]}", *told[1:]]) + "现将履职情况报告如下："
    if section.takes and "method" in section.takes:  # a 调研报告's background
        numbers = [clause(f, ctx.marker(f)) for f in facts]
        subject = ctx.topic or "【待补充：调研课题】"
        who = ctx.sheet.report.organization or "调研组"
        # (…经营状况 / …发展现状 already says 情况: no 经营状况情况)
        said = "" if re.search(r"(?:情况|状况|现状|问题)$", subject) else "情况"
        head = f"为深入了解{subject}{said}，{ctx.when}{who}开展专题调研"
        if not numbers:
            numbers = [
                "通过【待补充：调研方式和范围，如实地走访、座谈交流、问卷调查】等方式掌握情况"
            ]
        return _sentence([head, *numbers]) + "现将调研情况报告如下："
    recipient = (ctx.sheet.report.recipient or "").rstrip("：:")
    told = [clause(f, ctx.marker(f)) for f in facts]
    if recipient and _VISITORS.search(recipient):
        welcome = f"首先，我代表{ctx.org}，对{recipient}各位领导莅临指导表示热烈欢迎和衷心感谢！"
        return welcome + _sentence(told)
    return _sentence(
        [
            f"{ctx.org}认真贯彻落实上级决策部署，把{ctx.topic_work}摆在重要位置，统筹推进、狠抓落实",
            *told,
        ]
    )


# Keys of the figures a reader takes as the headline of the whole work (a total, a rate, a change).
_HEADLINE = re.compile(
    r"总|累计|全年|全县|全区|全市|率$|增长|增速|下降|办结|完成|覆盖|受益|惠及"
    r"|查处|立案|查获|挽回|新增|建成|实现|发放|化解|解决|受理"
)


def headlines(sheet: FactSheet, own: Sequence[Fact], most: int = 2) -> list[Fact]:
    """A few figures told in the body that the overview may repeat: totals, rates and changes of
    the work, never a shortcoming, a plan or how an inquiry was made."""
    keys = {f.key for f in own}
    picked = [
        f
        for f in sheet.facts
        if f.key not in keys
        and is_number(f)
        and role_of(f) is None
        and not plan_in_report(f, sheet)  # 2026年新增在线监测点位 in a report on 2025
        and not _PLAN_OR_GAP.search(f"{f.key}{f.note}")
        and (_HEADLINE.search(f.key) or _RISE.match(f.note))
    ]
    # 接处警: 全年接处警2186起，出动消防车4320辆次…: a text that opens on the whole year's or
    # place's count heads the work as well; its first clause (and a change after it) is told
    # — only when the overview would otherwise tell no figure at all.
    for f in [] if own or picked else sheet.facts:
        head = _TOTAL_TEXT.match(str(f.value)) if not is_number(f) else None
        if head and f.key not in keys and role_of(f) is None:
            picked.append(f.model_copy(update={"value": head.group(0), "note": ""}))
    return picked[:most]


# 全年接处警2186起 / 全县发生火灾286起，同比下降14.6%: the count that opens a text, with its change
_TOTAL_TEXT = re.compile(
    r"(?:全年|今年|全县|全区|全市|全镇|全省|累计)[^，。；\d]{1,12}\d[\d.]*万?[^\d，。；]{0,4}"
    r"(?=[，。；]|$)(?:，(?:同比|较上年|比上年)[^，。；]{2,12})?"
)


# A figure whose note says it rose on last year (门急诊人次 52.3万, 同比增长6.8%) is a headline.
# (A fall is no headline: 同比下降 is as often a shortfall, 一般图书销售……同比下降4.1%.)
_RISE = re.compile(r"(?:同比|较上年|比上年|较去年|比去年)(?:增长|提高|上升|增加)")
# (售电量 21.8亿千瓦时, 同比增长6.4%，全年目标21亿千瓦时: a year's target beside it, met)
_PLAN_OR_GAP = re.compile(r"剩余|缺口|仍未|尚未|未完成|明年|下步|计划|(?<!全年)(?<!年度)目标|预计")


def overview(ctx: Context, facts: Sequence[Fact]) -> str:
    """The overview: its own facts, and the headline figures it repeats from the body."""
    told = [
        # a count that opens a text says what it counts itself (not 接处警方面，全年接处警…)
        f"{f.value}{ctx.marker(f)}"
        if _TOTAL_TEXT.fullmatch(str(f.value))
        else clause(f, ctx.marker(f))
        for f in facts
    ]
    if ctx.template_name == "整改情况报告":
        task = f"{ctx.topic}整改" if ctx.topic else "整改落实"
        # Not the 整改 theme's own 边查边改 opener, which the parts below may use.
        head = f"{ctx.when}{ctx.org}坚持把{task}作为重要政治任务，以高标准、严要求推动整改落实"
        return _sentence([head, *told]) + "现将整改情况报告如下："
    head = f"{ctx.when}{ctx.org}认真贯彻落实上级决策部署"
    if not told:
        return _sentence([head, f"扎实推进{ctx.topic_work}"]) + ctx.as_follows
    return _sentence([head, *told, f"{ctx.topic_work}取得积极成效"]) + ctx.as_follows
