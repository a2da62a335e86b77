"""The confusable-word table scored on ECSpell's test split, and its false alarms on clean text.

``assistant eval spelling ECSPELL_DIR [--corpus DIR]`` prints it; the table and its matcher are
:mod:`assistant.checks.confusables`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from assistant.checks.confusables import (
    ECSPELL_DIR,
    TABLE_PATH,
    TEST_NAME,
    TRAIN_NAME,
    Confusable,
    derive,
    find,
    load,
    read_pairs,
    save,
)


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
    for _, wrong, correct in read_pairs(test):
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
    ap = argparse.ArgumentParser(prog="assistant eval spelling", description=__doc__)
    ap.add_argument("--derive", action="store_true", help="regenerate the table from train first")
    ap.add_argument("--data", type=Path, default=ECSPELL_DIR, help="folder with the ECSpell TSVs")
    ap.add_argument("--table", type=Path, default=TABLE_PATH)
    ap.add_argument("--corpus", type=Path, help="folder of clean *.md: report false alarms too")
    args = ap.parse_args(argv)
    train, test = args.data / TRAIN_NAME, args.data / TEST_NAME
    if args.derive:
        save(derive(train), args.table)
    table = load(args.table)
    seen = {correct for _, _, correct in read_pairs(train)}
    report: dict[str, object] = {
        "table_entries": len(table),
        "test_all": evaluate(table, test),
        "test_unseen": evaluate(table, test, exclude=seen),
    }
    if args.corpus is not None:
        report["corpus"] = corpus_rate(table, sorted(args.corpus.glob("*.md")))
    json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
