"""Breaking a long 公文 title into centred lines between words (GB/T 9704 §7.3.2).

The standard asks for lines that keep words whole, are balanced, and stack as a trapezoid
(短行在上) or a diamond (长行居中). Words come from jieba; a line holds at most
``TITLE_LINE_CHARS`` (20 characters of 2号 on a 156 mm line). Two or three lines are chosen by
trying every break; longer titles are balanced by dynamic programming.
"""

from __future__ import annotations

import itertools
import math
import re

from assistant.export.layout import TITLE_LINE_CHARS, text_width

_CLOSERS = set("，。、；：？！）》〕】”’,.;:?!)%％")
_OPENERS = set("（《〔【“‘(")
_UNITS = set("年月日号个项次名件届期")
_NUMBER = re.compile(r"^[0-9０-９.]+$")
# A line may start a new phrase at these words; a line should not end on them.
_PHRASE_STARTS = ("关于", "对", "在", "以", "和", "及", "与", "暨")
_TIES = {"的", "之", "和", "及", "与", "暨"}
# Fixed formulations a title must not break inside, though jieba cuts them into several words.
_FIXED = (
    "习近平新时代中国特色社会主义思想",
    "中国特色社会主义",
    "党的二十大精神",
    "党的二十届三中全会精神",
    "全面从严治党",
    "中央八项规定精神",
    "主题教育",
    "党史学习教育",
)


def _protected(title: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for phrase in _FIXED:
        start = title.find(phrase)
        while start >= 0:
            spans.append((start, start + len(phrase)))
            start = title.find(phrase, start + 1)
    return spans


def _words(title: str) -> list[str]:
    from assistant.retrieval.tokenize import load_jieba

    raw = [w for w in load_jieba().lcut(title) if w]
    spans = _protected(title)
    words: list[str] = []
    pos = 0
    for w in raw:
        inside = any(a < pos < b for a, b in spans)
        pos += len(w)
        # Punctuation and units stay with the word they belong to: no line starts with ），
        # none ends with （, and 2025 stays with 年; a fixed formulation stays whole.
        if words and (
            inside
            or w[0] in _CLOSERS
            or words[-1][-1] in _OPENERS
            or (w[0] in _UNITS and _NUMBER.match(words[-1]) is not None)
        ):
            words[-1] += w
        else:
            words.append(w)
    # A word wider than a line (a long English name, a run of digits) is cut where it must be.
    out: list[str] = []
    for w in words:
        while text_width(w) > TITLE_LINE_CHARS:
            cut = _fit(w)
            out.append(w[:cut])
            w = w[cut:]
        out.append(w)
    return out


def _fit(word: str) -> int:
    width = 0.0
    for i, ch in enumerate(word):
        width += text_width(ch)
        if width > TITLE_LINE_CHARS:
            return max(i, 1)
    return len(word)


def _break_cost(before: str, after: str) -> float:
    cost = 1.5 if after in _TIES else 0.0  # a line should not start with 的
    if before in _PHRASE_STARTS:
        cost += 2.0  # 关于 | … leaves 关于 dangling at a line end
    if any(after.startswith(p) for p in _PHRASE_STARTS):
        cost -= 3.0  # a natural point: …县委 | 关于…
    return cost


def _shape_cost(widths: list[float]) -> float:
    """0 for a trapezoid (正梯形, lines growing downward) or a diamond; little for an inverted
    trapezoid; much for an hourglass or a zigzag."""
    n = len(widths)
    if all(a <= b for a, b in itertools.pairwise(widths)):
        return 0.0
    if all(a >= b for a, b in itertools.pairwise(widths)):
        return 0.5
    peak = widths.index(max(widths))
    if n >= 3 and 0 < peak < n - 1:
        up = all(a <= b for a, b in itertools.pairwise(widths[: peak + 1]))
        down = all(a >= b for a, b in itertools.pairwise(widths[peak:]))
        if up and down:
            return 0.0
    return 4.0 + sum(max(0.0, a - b) for a, b in itertools.pairwise(widths)) / 2


def _inside_quote(words: list[str], cut: int) -> float:
    before = "".join(words[:cut])
    return 1.0 if before.count("《") > before.count("》") else 0.0


def _score(words: list[str], cuts: tuple[int, ...]) -> float:
    bounds = (0, *cuts, len(words))
    widths = [text_width("".join(words[a:b])) for a, b in itertools.pairwise(bounds)]
    if max(widths) > TITLE_LINE_CHARS or min(widths) == 0:
        return math.inf
    mean = sum(widths) / len(widths)
    spread = sum((w - mean) ** 2 for w in widths) / len(widths)
    joins = sum(_break_cost(words[c - 1], words[c]) for c in cuts)
    # Breaking inside a cited 《title》 splits a name the reader takes as one.
    joins += sum(_inside_quote(words, c) for c in cuts)
    return spread + joins + _shape_cost(widths)


def _balanced(words: list[str], lines: int) -> list[int]:
    """Cuts that keep every line under the limit with the least squared deviation (DP)."""
    widths = [text_width(w) for w in words]
    prefix = [0.0, *itertools.accumulate(widths)]
    target = prefix[-1] / lines
    n = len(words)
    best: dict[tuple[int, int], tuple[float, int]] = {(0, 0): (0.0, 0)}
    for k in range(1, lines + 1):
        for j in range(1, n + 1):
            options = []
            for i in range(j - 1, -1, -1):
                width = prefix[j] - prefix[i]
                if width > TITLE_LINE_CHARS:
                    break
                if (k - 1, i) in best:
                    options.append((best[(k - 1, i)][0] + (width - target) ** 2, i))
            if options:
                best[(k, j)] = min(options)
    if (lines, n) not in best:
        return _balanced(words, lines + 1) if lines < n else list(range(1, n))
    cuts, j = [], n
    for k in range(lines, 0, -1):
        j = best[(k, j)][1]
        cuts.append(j)
    return sorted(c for c in cuts if c > 0)


def title_lines(title: str) -> list[str]:
    """The title as lines of at most ``TITLE_LINE_CHARS`` characters, broken between words."""
    title = title.strip()
    if text_width(title) <= TITLE_LINE_CHARS:
        return [title] if title else []
    words = _words(title)
    lines = max(2, math.ceil(text_width(title) / TITLE_LINE_CHARS))
    if lines <= 3 and len(words) <= 80:
        candidates = itertools.combinations(range(1, len(words)), lines - 1)
        scored = [(s, c) for c in candidates if (s := _score(words, c)) < math.inf]
        cuts = list(min(scored)[1]) if scored else _balanced(words, lines)
    else:
        cuts = _balanced(words, lines)
    bounds = (0, *cuts, len(words))
    return ["".join(words[a:b]) for a, b in itertools.pairwise(bounds)]
