"""Confusable-word table for 公文 proofreading: derive, store and find in text.

This module owns the (wrong form -> right form) table learnt from the ECSpell official-document
train split (``data/confusables.tsv``) and the context-free matcher that flags those wrong forms
in a draft; its score on the test split is :mod:`assistant.evals.spelling`. It knows nothing of
rules, severities or the API; callers turn a finding into whatever message they need.

Only forms that are never correct can be caught without context, so derivation keeps a pair only
when its wrong form looks like a non-word (see :func:`derive`). Real-word errors (机智 for 机制)
are deliberately out of scope here: flagging 机智 everywhere would cost more than it finds.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# jieba with its dictionary loaded (one loader for retrieval and checks; names.py imports it here)
from assistant.retrieval.tokenize import load_jieba as load_jieba

TABLE_PATH = Path(__file__).parent / "data" / "confusables.tsv"
# /work/main/assistant/checks/confusables.py -> /work/shared/eval/ecspell
ECSPELL_DIR = Path(__file__).resolve().parents[3] / "shared" / "eval" / "ecspell"
TRAIN_NAME = "ecspell_odw.train.tsv"
TEST_NAME = "ecspell_odw.test.tsv"
HEADER = ("wrong", "right", "count")

# A wrong form whose jieba dictionary frequency is at least this is a real word somewhere (平谷,
# 白鹅, 应激, 报账...), so flagging it out of context would raise false alarms. Among the train
# forms, jieba's lowest frequencies (1-4) are mostly segmentation debris (照开, 保正, 刚要, 健立)
# that are in fact typos worth keeping; from 5 up, real words (报账, 怡情, 海阳) are half or more.
COMMON_WORD_FREQ = 5
# Longer dictionary words (全国人民代表大会常务委员会) are cut to the shortest search-mode
# sub-word holding the error (委员 -> 委贝), so one pattern covers every compound it occurs in.
MAX_SPAN = 4
# A two-character form whose estimated rate of straddling a word boundary (see _straddles) is
# at least this is dropped. At 1e-6 the forms removed are mostly 是当/才政-style boundary
# bigrams; below it, genuine typos (工做, 还境, 条列) dominate.
BOUNDARY_RATE = 1e-6
# Substrings of dictionary words are indexed up to this length; longer wrong forms are rare
# (a handful in the table) and are whole-word or multi-word spans anyway.
MAX_INSIDE = 8

_CJK = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+$")


@dataclass(frozen=True)
class Confusable:
    """``wrong`` is a non-word that should read ``right``; ``count`` is how often train saw it."""

    wrong: str
    right: str
    count: int


def read_pairs(path: Path) -> Iterator[tuple[int, str, str]]:
    """Yield (line number, wrong, correct) from an ECSpell ``n\\twrong\\tcorrect`` file."""
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\r\n")
            if not line:
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                raise ValueError(f"{path}:{lineno}: expected 3 tab-separated fields")
            yield lineno, parts[1], parts[2]


def _spans(correct: str, wrong: str) -> list[tuple[int, int]]:
    """Spans of ``correct`` (jieba words, at least 2 characters) that cover each differing char."""
    jieba = load_jieba()
    diffs = [i for i, (a, b) in enumerate(zip(wrong, correct, strict=True)) if a != b]
    # HMM off: its guessed "new words" are often built around the typo itself; dictionary-only
    # words keep the span on real word boundaries of the correct text.
    words: list[tuple[int, int]] = []
    start = 0
    for tok in jieba.cut(correct, HMM=False):
        words.append((start, start + len(tok)))
        start += len(tok)
    out: list[tuple[int, int]] = []
    for k, (s, e) in enumerate(words):
        inside = [i for i in diffs if s <= i < e]
        if not inside:
            continue
        if e - s == 1:
            # A single character is no pattern at all (白 for 自 would fire everywhere): take the
            # neighbouring word on each side that is Chinese, to pin down the context.
            for j in (k - 1, k + 1):
                if 0 <= j < len(words):
                    ns, ne = words[j]
                    if _CJK.match(correct[ns:ne]):
                        out.append((min(s, ns), max(e, ne)))
            continue
        if e - s > MAX_SPAN:
            s, e = _narrow(correct, s, e, inside[0], inside[-1])
        out.append((s, e))
    # Two adjacent one-character words can extend into the same span; count it once.
    return sorted(set(out))


def _narrow(text: str, s: int, e: int, lo: int, hi: int) -> tuple[int, int]:
    """The shortest search-mode sub-word of ``text[s:e]`` (>= 2 chars) covering ``lo..hi``."""
    best = (s, e)
    for _tok, ts, te in load_jieba().tokenize(text[s:e], mode="search", HMM=False):
        ts, te = s + ts, s + te
        if te - ts >= 2 and ts <= lo and hi < te and te - ts < best[1] - best[0]:
            best = (ts, te)
    return best


@functools.cache
def _inside_words() -> frozenset[str]:
    """Every proper substring (2..MAX_INSIDE chars) of a jieba dictionary word.

    A wrong form found inside a real word fires on every use of that word: 未成 inside 未成年,
    欠发 inside 欠发达, 性教 inside 性教育. Any dictionary frequency counts here, since the
    longer word, not the form itself, is what appears in clean text.
    """
    out: set[str] = set()
    for word, freq in load_jieba().dt.FREQ.items():
        if freq <= 0 or len(word) < 3:
            continue  # frequency 0 marks a bare prefix entry, not a word
        for i in range(len(word)):
            for j in range(i + 2, min(len(word), i + MAX_INSIDE) + 1):
                if j - i < len(word):
                    out.add(word[i:j])
    return frozenset(out)


@functools.cache
def _edges() -> tuple[dict[str, float], dict[str, float]]:
    """P(a word ends with c) and P(a word starts with c), weighted by jieba frequency."""
    ends: Counter[str] = Counter()
    starts: Counter[str] = Counter()
    for word, freq in load_jieba().dt.FREQ.items():
        if freq > 0:
            ends[word[-1]] += freq
            starts[word[0]] += freq
    total = sum(starts.values())
    return (
        {c: n / total for c, n in ends.items()},
        {c: n / total for c, n in starts.items()},
    )


def _straddles(wrong: str) -> bool:
    """True when a two-character form is likely to occur across a word boundary in clean text.

    Under a word-unigram model, xy straddles two words at a rate of P(end=x) * P(start=y) per
    word pair: 是当 (是|当今), 才政 (人才|政策), 多便 (更多|便捷) all score high, whereas typos
    such as 玩善 or 条列 do not. Longer forms almost never arise this way.
    """
    if len(wrong) != 2:
        return False
    ends, starts = _edges()
    return ends.get(wrong[0], 0.0) * starts.get(wrong[1], 0.0) >= BOUNDARY_RATE


def _could_be_correct(wrong: str) -> bool:
    """True when ``wrong`` is a common word, sits inside a word, or straddles two words."""
    freq: int | None = load_jieba().dt.FREQ.get(wrong)
    if freq is not None and freq >= COMMON_WORD_FREQ:
        return True
    return wrong in _inside_words() or _straddles(wrong) or _word_and_particle(wrong)


# Characters that open or close a phrase on their own (不, 也, 的 …): a common word beside one of
# them is plain text (劝导教育不戴头盔: 教育 + 不), whatever a train sentence once misspelt there.
_PARTICLES = frozenset("不没也都就还又才被把对向在的了和与及是")


def _word_and_particle(wrong: str) -> bool:
    """True when a three-character form is a common word and a particle, either way round."""
    if len(wrong) != 3:
        return False
    freq = load_jieba().dt.FREQ
    return (wrong[2] in _PARTICLES and (freq.get(wrong[:2]) or 0) >= COMMON_WORD_FREQ) or (
        wrong[0] in _PARTICLES and (freq.get(wrong[1:]) or 0) >= COMMON_WORD_FREQ
    )


def derive(train: Path, *, min_count: int = 1) -> list[Confusable]:
    """Learn (wrong word -> right word) pairs from an aligned ECSpell train file.

    Each differing character is covered by its jieba word in the correct sentence (a
    one-character word is joined to each Chinese neighbour word; a word longer than MAX_SPAN is
    cut to its shortest search-mode sub-word holding the error), and the same span of the wrong
    sentence is the wrong form. ``count`` is the number of train sentences that yield the pair.

    A pair is dropped when its wrong form could be correct text, since the table is applied
    without context: it occurs in the correct side of any train sentence; it is a jieba word
    with frequency >= COMMON_WORD_FREQ; it is a proper substring of any jieba word (未成 in
    未成年); it is a two-character form likely to straddle a word boundary (see _straddles); or
    it is not all Chinese characters (digits, Latin letters and punctuation match too much).
    When one wrong form was seen with several right forms, the most frequent wins, then the one
    jieba knows as the more frequent word (维法 -> 违法, not 违纪).
    """
    counts: Counter[tuple[str, str]] = Counter()
    corrects: list[str] = []
    for _, wrong, correct in read_pairs(train):
        corrects.append(correct)
        if wrong == correct or len(wrong) != len(correct):
            continue  # one train line is not aligned; its offsets cannot be trusted
        for s, e in _spans(correct, wrong):
            counts[(wrong[s:e], correct[s:e])] += 1

    # Substring test against all correct text at once; a separator no form contains keeps
    # matches from straddling two sentences.
    correct_text = "\n".join(corrects)
    freq = load_jieba().dt.FREQ
    by_wrong: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for (w, r), n in counts.items():
        if n < min_count or not _CJK.match(w) or not _CJK.match(r):
            continue
        if w in correct_text or _could_be_correct(w):
            continue
        by_wrong[w].append((n, freq.get(r) or 0, r))

    out = []
    for w, options in by_wrong.items():
        n, _, r = max(options)
        out.append(Confusable(w, r, n))
    return sorted(out, key=lambda c: (-c.count, c.wrong))


def load(path: Path = TABLE_PATH) -> list[Confusable]:
    """Read a ``wrong\\tright\\tcount`` TSV; a malformed line raises ValueError naming it."""
    out: list[Confusable] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\r\n")
            if lineno == 1:
                if tuple(line.split("\t")) != HEADER:
                    raise ValueError(f"{path}:1: header must be {chr(9).join(HEADER)!r}")
                continue
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                raise ValueError(f"{path}:{lineno}: expected 3 tab-separated fields")
            wrong, right, count = parts
            # find() reports offsets and evaluate() compares characters, both of which assume
            # a same-length replacement; a one-character form would fire on every use of it.
            if len(wrong) < 2 or len(wrong) != len(right):
                raise ValueError(f"{path}:{lineno}: wrong and right need 2+ chars, same length")
            if not count.isdigit():
                raise ValueError(f"{path}:{lineno}: count must be a non-negative integer")
            out.append(Confusable(wrong, right, int(count)))
    return out


def save(items: Iterable[Confusable], path: Path = TABLE_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["\t".join(HEADER)]
    lines += [f"{c.wrong}\t{c.right}\t{c.count}" for c in items]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class _Matcher:
    starts: re.Pattern[str]  # a class of every wrong form's first character
    heads: frozenset[str] | None  # every wrong form's first two characters; None if one is short
    by_len: dict[int, dict[str, str]]  # length -> wrong -> right
    lengths: tuple[int, ...]  # descending


@functools.lru_cache(maxsize=8)
def _matcher(table: tuple[Confusable, ...]) -> _Matcher:
    best: dict[str, Confusable] = {}
    for c in table:
        if c.wrong not in best or c.count > best[c.wrong].count:
            best[c.wrong] = c
    by_len: dict[int, dict[str, str]] = defaultdict(dict)
    for w, c in best.items():
        by_len[len(w)][w] = c.right
    # re's alternation of ~1,000 literals tries each one at every position (no trie), which costs
    # ~50 ms on 20,000 characters. A character class runs in C and stops only where some form
    # can start; the two-character head set then rejects most of those with one set lookup.
    first = "".join(sorted({w[0] for w in best}))
    starts = re.compile(f"[{re.escape(first)}]" if first else r"(?!)")
    heads = frozenset(w[:2] for w in best) if all(len(w) >= 2 for w in best) else None
    return _Matcher(starts, heads, dict(by_len), tuple(sorted(by_len, reverse=True)))


def find(text: str, table: list[Confusable]) -> list[tuple[int, int, str, str]]:
    """Every occurrence ``(start, end, wrong, right)`` of a wrong form, sorted by start.

    Overlaps are resolved longest first (then leftmost), so 内蒙古自治区公女厅 wins over a
    shorter form inside or across it.
    """
    m = _matcher(tuple(table))
    candidates: list[tuple[int, int, str, str]] = []
    for hit in m.starts.finditer(text):
        i = hit.start()
        if m.heads is not None and text[i : i + 2] not in m.heads:
            continue
        for n in m.lengths:
            right = m.by_len[n].get(text[i : i + n])
            if right is not None and not _breaks_a_word(text, i, i + n, right):
                candidates.append((i, i + n, text[i : i + n], right))
    if len(candidates) < 2:
        return candidates
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    taken = bytearray(len(text))
    out = []
    for c in candidates:
        if not any(taken[c[0] : c[1]]):
            taken[c[0] : c[1]] = b"\x01" * (c[1] - c[0])
            out.append(c)
    return sorted(out)


def _breaks_a_word(text: str, start: int, end: int, right: str) -> bool:
    """True when the form ``text[start:end]`` cuts through a word of the text around it.

    The table is learnt from sentences, and some wrong forms straddle words in clean text: 单位安
    (→ 单位按) in 各单位安装, 堂外 (→ 党外) in 食堂外包, 法证 (→ 发证) in 执法证. Segmented in
    context, a word there reaches past the form's edge and holds the character the correction
    would change (安装, 食堂, 执法): the text is right as it stands. A typo's own span is not cut
    so (实施|工务|用车, 快|接|收费, 统一|一|坨), since the typo breaks the word it belongs to.
    """
    lo, hi = max(0, start - 8), min(len(text), end + 8)
    changed = {
        start + i for i, (a, b) in enumerate(zip(text[start:end], right, strict=False)) if a != b
    }
    t = lo
    for token in load_jieba().cut(text[lo:hi], HMM=False):
        t_end = t + len(token)
        crosses = (t < start < t_end) or (t < end < t_end)
        if crosses and len(token) > 1 and any(t <= c < t_end for c in changed):
            return True
        t = t_end
    return False
