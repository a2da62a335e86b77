"""Citation markers (〔F1〕〔S2〕) in an engine's output → clean text plus structured citations.

The prompt asks for a marker after each claim. Models vary the brackets (〔〕, [], 【】, （）) and
join labels (〔F1、F3〕), so all of these are read. Markers are taken out of the text the user sees
and kept as :class:`~assistant.domain.Citation` records of which sentence each label backs. A
label that names no evidence, and a sentence with a figure but no marker, become issues, so an
answer without citations is still stored and its problems are shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.domain import Citation, Issue
from assistant.facts.quantities import find_quantities

CATEGORY = "引用核查"
_LABEL = r"[FSE]\d{1,3}"
MARKER = re.compile(rf"[〔\[【(（]\s*({_LABEL}(?:\s*[、,，;；/\s]\s*{_LABEL})*)\s*[〕\]】)）]")
_SENTENCE_END = "。！？；!?;\n"
_CLOSERS = "”’」』）)"


@dataclass(frozen=True)
class Parsed:
    text: str
    citations: list[Citation]
    issues: list[Issue]
    labels: list[str]  # every label cited, in order, without repeats


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = i = 0
    while i < len(text):
        ch = text[i]
        i += 1
        if ch in _SENTENCE_END:
            if ch != "\n":  # closing quotes and brackets after the stop belong to the sentence
                while i < len(text) and text[i] in _CLOSERS:
                    i += 1
            spans.append((start, i))
            start = i
    if start < len(text):
        spans.append((start, len(text)))
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and not text[a:b].strip(_CLOSERS + " \t"):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def parse_citations(
    raw: str, resolve: Callable[[str], str | None], *, plain: Sequence[str] = ()
) -> Parsed:
    """Strip markers from ``raw``; ``resolve`` maps a label to its target or None if unknown.

    ``plain`` holds wordings whose digits claim nothing (the report's period and unit, as
    2025年1—10月 or 市12345热线中心): a sentence whose only figures are there needs no marker.
    """
    pieces: list[str] = []
    marks: list[tuple[int, list[str], str]] = []  # (position in clean text, labels, marker)
    last = cleaned_len = 0
    for m in MARKER.finditer(raw):
        pieces.append(raw[last : m.start()])
        cleaned_len += m.start() - last
        labels = re.findall(_LABEL, m.group(1))
        marks.append((cleaned_len, labels, m.group(0)))
        last = m.end()
    pieces.append(raw[last:])
    text = "".join(pieces)
    spans = sentence_spans(text)

    def sentence_at(pos: int) -> int:
        probe = max(pos - 1, 0)
        for i, (a, b) in enumerate(spans):
            if a <= probe < b:
                return i
        return len(spans) - 1

    per_sentence: dict[int, list[str]] = {}
    issues: list[Issue] = []
    seen: list[str] = []
    for pos, labels, marker in marks:
        idx = sentence_at(pos)
        for label in labels:
            if resolve(label) is None:
                a, b = spans[idx] if spans else (0, 0)
                issues.append(
                    Issue(
                        "CI001",
                        CATEGORY,
                        "error",
                        a,
                        b,
                        text[a:b],
                        f"引用标记{marker}中的 {label} 不对应任何事实或材料",
                        "核对出处，或删去这句话中的数字",
                    )
                )
                continue
            if not spans:  # markers and nothing else: no sentence for the label to back
                continue
            per_sentence.setdefault(idx, [])
            if label not in per_sentence[idx]:
                per_sentence[idx].append(label)
            if label not in seen:
                seen.append(label)
    citations = []
    for idx, labels in sorted(per_sentence.items()):
        a, b = spans[idx]
        targets = tuple(t for t in (resolve(label) for label in labels) if t is not None)
        citations.append(Citation(a, b, text[a:b].strip(), tuple(labels), targets))
    cited = set(per_sentence)
    for idx, (a, b) in enumerate(spans):
        if idx in cited:
            continue
        sentence = text[a:b]
        for words in plain:
            if words and re.search(r"\d", words):
                sentence = sentence.replace(words, "·" * len(words))
        figures = [q for q in find_quantities(sentence) if q.kind != "year"]
        if figures:
            issues.append(
                Issue(
                    "CI002",
                    CATEGORY,
                    "warning",
                    a,
                    b,
                    text[a:b],
                    f"含数字“{figures[0].text}”的句子没有标注出处",
                    "请注明该数字来自哪一条事实或材料",
                )
            )
    return Parsed(text, citations, issues, seen)
