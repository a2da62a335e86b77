"""Near misses of canonical political formulations, and fixed enumerations with a wrong item.

A drafter who types 全面从严冶党 or 中国特社会主义 is one character away from the canonical term;
exact-string rules only catch the misspellings someone thought of. Terms and lists are data
(``data/terms.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.checks.findings import Finding

TERMS_PATH = Path(__file__).parent / "data" / "terms.yaml"
SHORT_TERM = 6
_PARTICLES = frozenset("的之")
_ENUMERATION = re.compile(r"[\u4e00-\u9fff]+(?:、[\u4e00-\u9fff]+)+")


@dataclass(frozen=True)
class _Terms:
    terms: tuple[tuple[str, frozenset[str]], ...]
    lists: tuple[tuple[str, tuple[str, ...]], ...]


@lru_cache(maxsize=1)
def _load() -> _Terms:
    data = yaml.safe_load(TERMS_PATH.read_text(encoding="utf-8"))
    terms = tuple((str(t["term"]), frozenset(map(str, t.get("allow", [])))) for t in data["terms"])
    lists = tuple((str(k), tuple(map(str, v))) for k, v in data["lists"].items())
    return _Terms(terms, lists)


def _distance_one(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by exactly one substitution, insertion or deletion."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def _inserted(longer: str, term: str) -> str:
    i = 0
    while i < len(term) and longer[i] == term[i]:
        i += 1
    return longer[i]


def near_misses(text: str) -> list[Finding]:
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for term, allowed in _load().terms:
        exact = [(m.start(), m.end()) for m in re.finditer(re.escape(term), text)]
        n = len(term)
        # Anchor on the term's first and last two characters: one edit leaves one of them intact.
        starts: set[int] = set()
        for anchor, shift in ((term[:2], 0), (term[-2:], n - 2)):
            pos = text.find(anchor)
            while pos >= 0:
                for s in (pos - shift - 1, pos - shift, pos - shift + 1):
                    if s >= 0:
                        starts.add(s)
                pos = text.find(anchor, pos + 1)
        # Short terms only by a wrong character: 中国现代化 is a phrase of its own, not a slip
        # for 中国式现代化. Longer ones also by a missing or extra character.
        lengths = (n,) if n <= SHORT_TERM else (n, n - 1, n + 1)
        for s in sorted(starts):
            for length in lengths:
                window = text[s : s + length]
                if len(window) != length or not _distance_one(window, term):
                    continue
                if length == n + 1 and _inserted(window, term) in _PARTICLES:
                    continue  # 中国特色的社会主义, 中华民族的伟大复兴: an older, correct wording
                span = (s, s + length)
                overlaps = any(a < span[1] and span[0] < b for a, b in exact + taken)
                if overlaps or any(v in text[max(0, s - 2) : s + length + 2] for v in allowed):
                    continue
                taken.append(span)
                found.append(Finding(s, s + length, f"疑为“{term}”的误写", term))
                break
    return found


def _piece_spans(m: re.Match[str]) -> list[tuple[int, int]]:
    spans, pos = [], m.start()
    for piece in m.group().split("、"):
        spans.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    return spans


def enumeration_items(text: str) -> list[Finding]:
    """创新、协调、绿色、开发、共享: a fixed list spelled out with one item wrong."""
    found: list[Finding] = []
    for m in _ENUMERATION.finditer(text):
        spans = _piece_spans(m)
        for name, canon in _load().lists:
            if len(spans) != len(canon):
                continue
            size = len(canon[0])
            if any(len(c) != size for c in canon):
                continue
            # The first item may carry words before it, the last words after it.
            items = [text[a:b] for a, b in spans]
            items[0], items[-1] = items[0][-size:], items[-1][:size]
            wrong = [i for i, item in enumerate(items) if item not in canon]
            if len(wrong) != 1 or len(items[wrong[0]]) != size:
                continue
            missing = [c for c in canon if c not in items]
            a, b = spans[wrong[0]]
            if wrong[0] == 0:
                a = b - size
            elif wrong[0] == len(items) - 1:
                b = a + size
            found.append(
                Finding(
                    a,
                    b,
                    f"“{name}”的内容应为“{'、'.join(canon)}”",
                    missing[0] if len(missing) == 1 else None,
                )
            )
    return found
