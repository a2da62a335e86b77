"""Query understanding for 公文 search: relative years, and questions that ask for a figure.

"2026年安徽省政府工作报告里去年粮食产量" means 2025: reports speak of 去年/今年/明年, users do too,
and the text they want says 2025年. A question asking 多少 wants a passage where the thing it names
is followed by a number (粮食产量838.6亿斤), not one that merely discusses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.retrieval.tokenize import tokenize

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
_RELATIVE = {"去年": -1, "上一年": -1, "上年": -1, "今年": 0, "当年": 0, "本年": 0, "明年": 1}
_FIGURE_QUESTION = re.compile(
    r"多少|几[个项次家所万亿]|多大|多高|多长|多快|比例|占比|比重|增速|增长率|目标是|是多少"
)
# Words of the question itself, not of the thing asked about.
_QUESTION_WORDS = frozenset(
    "多少 多大 多高 多长 多快 是 有 什么 哪些 怎么 如何 情况 政府 工作 报告 政府工作报告 "
    "里 中 说 提出 今年 去年 明年 全省 全市 全国 一共 共 达到 目标 计划 打算 定 要".split()
)
_NUMBER = re.compile(r"\d")
_PROXIMITY = 8  # characters between the thing named and its figure


@dataclass(frozen=True)
class Query:
    text: str  # as typed
    expanded: str  # relative years made explicit
    figure_terms: tuple[str, ...]  # non-empty when the question asks for a figure

    def wants_figure_near(self, passage: str, title: str = "") -> bool:
        for term in self.figure_terms:
            if term in title:
                continue  # 安徽 in 安徽省政府工作报告 names the document, not the figure
            start = passage.find(term)
            while start >= 0:
                window = passage[start + len(term) : start + len(term) + _PROXIMITY]
                if _NUMBER.search(window):
                    return True
                start = passage.find(term, start + 1)
        return False


def parse_query(text: str) -> Query:
    expanded = text
    m = _YEAR.search(text)
    if m:
        year = int(m.group(1))
        for word, delta in _RELATIVE.items():
            if word in expanded and f"{year + delta}年" not in expanded:
                expanded = expanded.replace(word, f"{word}（{year + delta}年）", 1)
    terms: tuple[str, ...] = ()
    if _FIGURE_QUESTION.search(text):
        terms = tuple(
            t
            for t in dict.fromkeys(tokenize(text))
            if len(t) >= 2 and t not in _QUESTION_WORDS and not t.isdigit()
        )
    return Query(text=text, expanded=expanded, figure_terms=terms)
