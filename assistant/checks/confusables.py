"""Confusable-word table for 公文 proofreading: derive it, store it, find its forms in text, score it.

This module owns the (wrong form -> right form) table learnt from the ECSpell official-document
train split (``data/confusables.tsv``), the context-free matcher that flags those wrong forms in a
draft, and the evaluation of that matcher on the test split. It knows nothing of rules, severities
or the API; callers turn a finding into whatever message they need.

Only forms that are never correct can be caught without context, so derivation keeps a pair only
when its wrong form looks like a non-word (see :func:`derive`). Real-word errors (机智 for 机制)
are deliberately out of scope here: flagging 机智 everywhere would cost more than it finds.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

TABLE_PATH = Path(__file__).parent / "data" / "confusables.tsv"
# /work/main/assistant/checks/confusables.py -> /work/shared/eval/ecspell
ECSPELL_DIR = Path(__file__).resolve().parents[3] / "shared" / "eval" / "ecspell"
TRAIN_NAME = "ecspell_odw.train.tsv"
TEST_NAME = "ecspell_odw.test.tsv"
HEADER = ("wrong", "right", "count")

# A wrong form whose jieba dictionary frequency is at least this is a real word somewhere (平谷,
# 白鹅, 应激, 全责...), so flagging it out of context would raise false alarms. jieba's lowest
# frequencies (1-4) are dominated by segmentation debris (照开, 保正, 刚要), which are exactly the
# non-words we want to keep; 5 is the first value where real words dominate.
COMMON_WORD_FREQ = 5
# Longer dictionary words (全国人民代表大会常务委员会) are cut to the shortest sub-word holding the
# error (委员会 -> 委贝会), so one typo pattern covers every compound it can occur in.
MAX_SPAN = 4

_CJK = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+$")


@dataclass(frozen=True)
class Confusable:
    """``wrong`` is a non-word that should read ``right``; ``count`` is how often train saw it."""

    wrong: str
    right: str
    count: int


@functools.cache
def _jieba() -> ModuleType:
    import jieba

    jieba.setLogLevel(logging.WARNING)  # it logs its dictionary load to stderr otherwise
    jieba.initialize()
    module: ModuleType = jieba
    return module


def _pairs(path: Path) -> Iterator[tuple[int, str, str]]:
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
    jieba = _jieba()
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
    return out


def _narrow(text: str, s: int, e: int, lo: int, hi: int) -> tuple[int, int]:
    """The shortest search-mode sub-word of ``text[s:e]`` (>= 2 chars) covering ``lo..hi``."""
    jieba = _jieba()
    best = (s, e)
    for tok, ts, te in jieba.tokenize(text[s:e], mode="search", HMM=False):
        ts, te = s + ts, s + te
        if te - ts >= 2 and ts <= lo and hi < te and te - ts < best[1] - best[0]:
            best = (ts, te)
        del tok
    return best


def _is_common(word: str) -> bool:
    freq: int | None = _jieba().dt.FREQ.get(word)
    return freq is not None and freq >= COMMON_WORD_FREQ


def derive(train: Path, *, min_count: int = 1) -> list[Confusable]:
    """Learn (wrong word -> right word) pairs from an aligned ECSpell train file.

    A pair is dropped when its wrong form could be correct text: it appears in the correct side
    of any train sentence, it is a common jieba dictionary word (frequency >= COMMON_WORD_FREQ),
    or it is not all Chinese characters (digits, Latin letters and punctuation match too much).
    When one wrong form was seen with several right forms, the most frequent right one wins.
    """
    counts: Counter[tuple[str, str]] = Counter()
    corrects: list[str] = []
    for _, wrong, correct in _pairs(train):
        corrects.append(correct)
        if wrong == correct or len(wrong) != len(correct):
            continue  # one train line is not aligned; its offsets cannot be trusted
        for s, e in _spans(correct, wrong):
            counts[(wrong[s:e], correct[s:e])] += 1

    # Substring test against all correct text at once; a separator no form contains keeps
    # matches from straddling two sentences.
    correct_text = "\n".join(corrects)
    by_wrong: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (w, r), n in counts.items():
        if n < min_count or not _CJK.match(w) or not _CJK.match(r):
            continue
        if w in correct_text or _is_common(w):
            continue
        by_wrong[w].append((n, r))

    out = []
    for w, options in by_wrong.items():
        n, r = max(options, key=lambda o: (o[0], o[1]))
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
            # a same-length, non-empty replacement.
            if not wrong or len(wrong) != len(right):
                raise ValueError(f"{path}:{lineno}: wrong and right must be non-empty, same length")
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
    starts: re.Pattern[str]  # zero-width: finds every position where some wrong form begins
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
    # One alternation of all first characters' patterns, run in C, finds candidate positions;
    # a lookahead lets candidates overlap so the longest-first choice below sees them all.
    alternation = "|".join(re.escape(w) for w in sorted(best, key=len, reverse=True))
    starts = re.compile(f"(?=(?:{alternation}))" if best else r"(?!)")
    return _Matcher(starts, dict(by_len), tuple(sorted(by_len, reverse=True)))


def find(text: str, table: list[Confusable]) -> list[tuple[int, int, str, str]]:
    """Every occurrence ``(start, end, wrong, right)`` of a wrong form, sorted by start.

    Overlaps are resolved longest first (then leftmost), so 内蒙古自治区公女厅 wins over a
    shorter form inside or across it.
    """
    m = _matcher(tuple(table))
    candidates: list[tuple[int, int, str, str]] = []
    for hit in m.starts.finditer(text):
        i = hit.start()
        for n in m.lengths:
            right = m.by_len[n].get(text[i : i + n])
            if right is not None:
                candidates.append((i, i + n, text[i : i + n], right))
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    taken = bytearray(len(text))
    out = []
    for c in candidates:
        if not any(taken[c[0] : c[1]]):
            taken[c[0] : c[1]] = b"\x01" * (c[1] - c[0])
            out.append(c)
    return sorted(out)


def evaluate(
    table: list[Confusable], test: Path, *, exclude: set[str] | None = None
) -> dict[str, float | int]:
    """Score ``find`` on an aligned ECSpell file; skip sentences whose correct text is in exclude.

    Detection is per sentence for recall (an erroneous sentence counts when some finding overlaps
    an erroneous character) and per finding for precision (a finding that overlaps no erroneous
    character, in a clean sentence or not, is a false positive). Correction is per character:
    applying every finding's ``right`` either fixes an erroneous character or changes a good one.
    """
    sentences = err_sentences = detected = flagged_clean = 0
    findings = true_findings = 0
    err_chars = changed = fixed = 0
    for _, wrong, correct in _pairs(test):
        if len(wrong) != len(correct) or (exclude is not None and correct in exclude):
            continue
        sentences += 1
        errors = {i for i, (a, b) in enumerate(zip(wrong, correct, strict=True)) if a != b}
        err_chars += len(errors)
        err_sentences += bool(errors)
        hits = find(wrong, table)
        findings += len(hits)
        good = [h for h in hits if any(h[0] <= i < h[1] for i in errors)]
        true_findings += len(good)
        detected += bool(good)
        flagged_clean += bool(hits) and not errors
        for s, _, w, r in hits:
            for k, (a, b) in enumerate(zip(w, r, strict=True)):
                if a != b:
                    changed += 1
                    fixed += b == correct[s + k] and (s + k) in errors
    return {
        "sentences": sentences,
        "error_sentences": err_sentences,
        "clean_sentences": sentences - err_sentences,
        "error_chars": err_chars,
        "findings": findings,
        "false_positive_findings": findings - true_findings,
        "clean_sentences_flagged": flagged_clean,
        "detection_precision": _ratio(true_findings, findings),
        "detection_recall": _ratio(detected, err_sentences),
        "correction_precision": _ratio(fixed, changed),
        "correction_recall": _ratio(fixed, err_chars),
    }


def _ratio(num: int, den: int) -> float:
    return round(num / den, 4) if den else 0.0


def corpus_rate(table: list[Confusable], paths: Iterable[Path]) -> dict[str, float | int]:
    """Findings per 10,000 characters over clean published text: every one is a false alarm."""
    chars = hits = 0
    for p in paths:
        text = p.read_text(encoding="utf-8")
        chars += len(text)
        hits += len(find(text, table))
    return {"chars": chars, "findings": hits, "per_10k_chars": round(hits * 10_000 / chars, 3)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m assistant.checks.confusables", description=__doc__)
    ap.add_argument("--derive", action="store_true", help="regenerate the table from train first")
    ap.add_argument("--data", type=Path, default=ECSPELL_DIR, help="folder with the ECSpell TSVs")
    ap.add_argument("--table", type=Path, default=TABLE_PATH)
    ap.add_argument("--corpus", type=Path, help="folder of clean *.md: report false alarms too")
    args = ap.parse_args(argv)
    train, test = args.data / TRAIN_NAME, args.data / TEST_NAME
    if args.derive:
        save(derive(train), args.table)
    table = load(args.table)
    seen = {correct for _, _, correct in _pairs(train)}
    report: dict[str, object] = {
        "table_entries": len(table),
        "test_all": evaluate(table, test),
        "test_unseen": evaluate(table, test, exclude=seen),
    }
    if args.corpus is not None:
        report["corpus"] = corpus_rate(table, sorted(args.corpus.glob("*.md")))
    json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
