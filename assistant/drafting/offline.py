"""The offline engine (离线范文模式): a section written from the user's facts, with no LLM.

The facts drive the text (:mod:`assistant.drafting.layers`): every fact the outline gives a
section is told there, in layers grouped by theme. Exemplar passages, chosen by their place in
their document and by topic, lend only framing: a short opening phrase (坚持问题导向，) that
names no place, unit, person, brand or document, holds no figure, and whose nouns are generic
公文 words or words of the report's own facts. So nothing of another unit's report — its names,
its topic, its numbers, its signature — reaches the draft. A 〔F…〕 marker follows each fact.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.domain import Passage
from assistant.drafting import layers
from assistant.drafting.headings import report_topic
from assistant.drafting.own_work import themes_not_of
from assistant.drafting.placement import plan_in_report
from assistant.drafting.templates import SectionSpec
from assistant.drafting.themes import Theme, section_theme
from assistant.facts.sheet import Fact, FactSheet
from assistant.retrieval.tokenize import load_jieba
from assistant.vocab import patterns

WORDS = patterns(__name__)  # the words of offline.toml

_CN = "一二三四五六七八九十"
_NAME_FLAGS = ("nr", "ns", "nt", "nz", "eng")
_NOUN_FLAGS = ("n", "vn", "an", "j")
GENERIC = frozenset(
    "工作 任务 部署 要求 责任 机制 制度 体系 能力 水平 质量 效率 作用 成效 措施 力度 基础 目标 "
    "导向 大局 全局 重点 难点 关键 实效 举措 政治 站位 高位 统筹 协同 合力 底线 红线 短板 弱项 "
    "群众 人民 中心 发展 服务 落实 推进 实处 问题 结果 过程 全过程 环节 方面 领域 思想 行动 "
    "标准 规范 质效 效能 主线 抓手 载体 路径 方式 方法 理念 意识 观念 格局 态势 局面 氛围 "
    "实际 需求 基层 一线 全员 全面 长效 常态 常效 实绩 业绩 担当 作为 使命 初心 决策 举措 "
    "系统 观念 全方位 多层次 各项 各类 整体 协调 上级 党中央 中央 精神 部署要求 预防为主 "
    "突出位置 重要位置 首位 头等大事 重中之重 第一".split()
)


@dataclass(frozen=True)
class OfflineResult:
    raw: str  # with 〔F…〕 markers
    told: list[str]  # fact keys told
    exemplars: list[Passage]


def role_fit(p: Passage, kind: str, ordinal: int, template_name: str) -> float:
    """How well a passage's place in its document matches the section's place in the report."""
    root = p.heading.split(" > ")[0] if p.heading else ""
    score = 1.0 if p.genre == template_name else 0.0
    if kind in ("opening", "overview"):
        score += 2.0 if not root else 0.0
    elif kind in ("problems", "plans"):
        score += 2.0 if root and WORDS.PLANS.search(root) else 0.0
    elif kind == "body" and root:
        score += 0.5
        if 0 < ordinal <= len(_CN) and root.startswith(f"{_CN[ordinal - 1]}、"):
            score += 1.5
        if WORDS.PLANS.search(root):
            score -= 1.0
    return score


def _words(text: str) -> list[tuple[str, str]]:
    load_jieba()
    import jieba.posseg

    return [(w.word, w.flag) for w in jieba.posseg.cut(text)]


def framing_phrases(passage: Passage, supported: str) -> list[str]:
    """Opening phrases of the passage's sentences that are safe to lend (see module doc)."""
    out: list[str] = []
    for clause in re.split(r"[。；！？，：\n]", passage.text):
        head = re.sub(r"^(?:[一二三四五六七八九十]+是|\d+[.．、])", "", clause.strip())
        if not 4 <= len(head) <= 16 or not WORDS.STANCE.match(head) or WORDS.UNSAFE.search(head):
            continue
        if WORDS.LOCAL.search(head):
            continue
        words = _words(head)
        if any(flag.startswith(_NAME_FLAGS) for _, flag in words):
            continue
        nouns = [w for w, flag in words if flag.startswith(_NOUN_FLAGS) and len(w) >= 2]
        if all(w in GENERIC or w in supported for w in nouns) and head not in out:
            out.append(head)
    return out


@dataclass
class _Framing:
    """Lends a layer an exemplar's opening phrase about the layer's own theme (each phrase
    once), else the theme's own opener: a generic 扎实推进各项工作 says less than either."""

    phrases: list[tuple[str, Passage]]
    used: list[Passage] = field(default_factory=list)

    def opener(self, theme: Theme) -> str:
        for i, (phrase, passage) in enumerate(self.phrases):
            if any(w in phrase for w in theme.words):
                del self.phrases[i]
                if passage not in self.used:
                    self.used.append(passage)
                return f"{phrase}，"
        return theme.opener


def _supported(sheet: FactSheet, heading: str) -> str:
    meta = sheet.report
    parts = [heading, meta.title or "", meta.organization or "", meta.recipient or ""]
    parts += [f"{f.key}{f.note}{f.value}" for f in sheet.facts]
    return "".join(parts)


def template_wants_headlines(template_name: str) -> bool:
    """Summaries and reports of work open on how far it got; a 整改 overview has its own counts."""
    return template_name in ("工作情况汇报", "工作总结")


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
        ranked = sorted(
            enumerate(exemplars),
            key=lambda item: (-role_fit(item[1], section.kind, ordinal, template_name), item[0]),
        )
        supported = _supported(sheet, heading)
        framing = _Framing(
            [(phrase, p) for _, p in ranked for phrase in framing_phrases(p, supported)]
        )

        def marker(f: Fact) -> str:
            label = label_of(f.key)
            return f"〔{label}〕" if label else ""

        topic = report_topic(sheet)
        meta = sheet.report
        not_ours = themes_not_of(meta.organization or "")
        home = section_theme(f"{meta.organization or ''}{topic}{meta.title or ''}", skip=not_ours)
        # The n-th numbered part words its themes its own way (work_2 and work_3 both of a
        # 社区's 基层治理 do not open alike).
        variant = max(0, ordinal - 1)
        ctx = layers.Context(
            sheet, template_name, topic, marker, framing.opener, home, variant, not_ours
        )
        told = list(facts)
        if section.kind == "overview" and template_wants_headlines(template_name):
            told += layers.headlines(sheet, facts)
        raw = self._text(ctx, section, told, heading)
        return OfflineResult(raw, [f.key for f in told], framing.used)

    @staticmethod
    def _text(ctx: layers.Context, section: SectionSpec, facts: list[Fact], heading: str) -> str:
        if section.kind == "opening":
            return layers.opening(ctx, section, facts)
        if section.kind == "overview":
            return layers.overview(ctx, facts)
        if section.kind == "problems":
            return layers.problems(ctx, facts)
        if section.kind == "plans":
            plan_facts = [f for f in facts if plan_in_report(f, ctx.sheet)]
            other = [f for f in facts if f not in plan_facts]
            if "problem" in section.takes and (other or re.search(r"问题|短板|不足", heading)):
                return layers.problems_and_plans(ctx, other, plan_facts)
            return layers.plans(ctx, [*other, *plan_facts], after_problems=False)
        if "integrity" in section.takes:
            return layers.integrity(ctx, facts)
        return layers.body(ctx, section, facts, heading)
