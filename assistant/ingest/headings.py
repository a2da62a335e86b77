"""Recognising the 公文 heading hierarchy and run-in lead phrases in plain paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.ingest.sentences import sentences

_CN = "一二三四五六七八九十百零〇"
# Numbering ranks in the order 公文 uses them: 一、 → （一） → 1. → （1）; 第X章/节 for rules.
# They start at 10 so that headings marked only by a style (Word Heading N, Markdown #) rank
# above any numbered heading inside them.
NUMBERED = 10
_LEVELS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(rf"^第[{_CN}\d]+(?:章|部分)"), NUMBERED + 1),
    # 一、 but not 一、二季度 (a list of numerals is not a heading)
    (re.compile(rf"^[{_CN}]+、(?![{_CN}])"), NUMBERED + 1),
    (re.compile(rf"^第[{_CN}\d]+节"), NUMBERED + 2),
    (re.compile(rf"^[（(][{_CN}]+[）)]"), NUMBERED + 2),
    (re.compile(r"^\d{1,2}[.．、](?!\d)"), NUMBERED + 3),
    (re.compile(r"^[（(]\d{1,2}[）)]"), NUMBERED + 4),
)
_ARTICLE = re.compile(rf"^第[{_CN}\d]+条")
# 一是…。 二是…。 : run-in enumerations that act as sub-headings.
_ORDINAL_LEAD = re.compile(rf"^(?:[{_CN}]是|首先|其次|再次|最后)")
_INNER_PUNCT = re.compile(r"[，、；：,;:]")
_SENTENCE_END = ("。", "！", "？", "；", "!", "?", ";")
_MAX_HEADING = 60
_MAX_LEAD = 20


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    body: str  # the paragraph's content ('' for a bare heading line)
    run_in: bool = False  # the body starts with the heading sentence itself


def numbering_level(text: str) -> int | None:
    for pattern, level in _LEVELS:
        if pattern.match(text):
            return level
    return None


def detect_heading(paragraph: str) -> Heading | None:
    """A numbered heading at the start of ``paragraph``.

    A bare heading line (no sentence end) is only a heading. A paragraph that reads as sentences
    (一、提高政治站位，….第一时间学习贯彻。主题教育开展以来…, or a list item 1.各单位务必…。)
    keeps all its text as body, so nothing is lost; its first sentence names the section.
    """
    if _ARTICLE.match(paragraph):
        return None  # articles are not sections: 第一条 leads its own article (article_label)
    for pattern, level in _LEVELS:
        m = pattern.match(paragraph)
        if not m:
            continue
        parts = sentences(paragraph)
        first = parts[0] if parts else paragraph
        colon = first.find("：")
        if 0 < colon < len(first) - 1:
            first = first[: colon + 1]
        if (
            len(parts) <= 1
            and len(paragraph) <= _MAX_HEADING
            and not paragraph.endswith(_SENTENCE_END)
        ):
            return Heading(level, paragraph.rstrip("：:"), "")
        if len(first) <= _MAX_HEADING:
            return Heading(level, first.rstrip("。：:；"), paragraph, run_in=True)
        # A long numbered list item: label it by its opening words.
        marker = m.group(0)
        clause = _INNER_PUNCT.split(first[len(marker) :], maxsplit=1)[0]
        label = marker + clause[:30] + ("…" if len(clause) > 30 else "")
        return Heading(level, label, paragraph, run_in=True)
    return None


def article_label(paragraph: str) -> str | None:
    """``第一条`` when ``paragraph`` opens an article of a rule or regulation."""
    m = _ARTICLE.match(paragraph)
    return m.group(0) if m else None


def is_lead(sentence: str, *, first: bool) -> bool:
    """A run-in lead phrase such as 第一时间学习贯彻。 or “稳”的态势巩固延续。 or 一是….。"""
    s = sentence.strip()
    if not s.endswith("。"):
        return False
    if first and _ORDINAL_LEAD.match(s) and len(s) <= 40:
        return True
    # A lead names what follows; a short statement of fact (上涨0.2%。) carries a figure.
    return (
        3 <= len(s) <= _MAX_LEAD
        and not _INNER_PUNCT.search(s)
        and not any(ch.isdigit() for ch in s)
    )
