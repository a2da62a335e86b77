"""A diff people read: the text as runs kept, deleted and inserted, with no diff notation.

Sentences are matched first (a Chinese paragraph is one long line, so lines say little); where
sentences were rewritten, the characters are compared, so a changed figure shows as the figure
and not as two whole sentences. A rewrite that shares little with the old words is shown as the
old sentences deleted and the new ones inserted: a scatter of single kept characters helps no one.
The ``equal`` and ``delete`` runs joined give the old text back; ``equal`` and ``insert``, the new.
"""

from __future__ import annotations

import difflib
import itertools
from typing import Literal, TypedDict

from assistant.drafting.citations import sentence_spans

Op = Literal["equal", "delete", "insert"]
MIN_LIKENESS = 0.5  # below this, a rewritten passage is shown as replaced whole
MAX_CELLS = 4_000_000  # characters old × new compared one by one; beyond, replaced whole


class Change(TypedDict):
    op: Op
    text: str


def units(text: str) -> list[str]:
    """The text cut into sentences that, joined, give it back (spaces and breaks included)."""
    starts = [a for a, _ in sentence_spans(text)]
    if not starts:
        return [text] if text else []
    cuts = [0, *starts[1:], len(text)]
    return [text[a:b] for a, b in itertools.pairwise(cuts) if b > a]


def changes(old: str, new: str) -> list[Change]:
    """What changed from ``old`` to ``new``, in order; adjacent runs of one kind are merged."""
    a, b = units(old), units(new)
    out: list[Change] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        was, now = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            _add(out, "equal", was)
        elif tag == "replace":
            for op, text in _rewritten(was, now):
                _add(out, op, text)
        else:
            _add(out, "delete", was)
            _add(out, "insert", now)
    return out


def _rewritten(was: str, now: str) -> list[tuple[Op, str]]:
    if len(was) * len(now) > MAX_CELLS:
        return [("delete", was), ("insert", now)]
    matcher = difflib.SequenceMatcher(None, was, now, autojunk=False)
    if matcher.ratio() < MIN_LIKENESS:
        return [("delete", was), ("insert", now)]
    runs: list[tuple[Op, str]] = []
    codes = matcher.get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(codes):
        # One kept character between two changes reads as noise: fold it into both.
        lone = tag == "equal" and i2 - i1 == 1 and 0 < n < len(codes) - 1
        if tag == "equal" and not lone:
            runs.append(("equal", was[i1:i2]))
            continue
        runs.append(("delete", was[i1:i2]))
        runs.append(("insert", now[j1:j2]))
    return _whole_numbers(_grouped(runs))


def _grouped(runs: list[tuple[Op, str]]) -> list[tuple[Op, str]]:
    """Between two kept runs, all deletions first, then all insertions."""
    out: list[tuple[Op, str]] = []
    gone, came = "", ""
    for op, text in runs:
        if op == "equal":
            out += [("delete", gone), ("insert", came), ("equal", text)]
            gone, came = "", ""
        elif op == "delete":
            gone += text
        else:
            came += text
    return [*out, ("delete", gone), ("insert", came)]


def _whole_numbers(runs: list[tuple[Op, str]]) -> list[tuple[Op, str]]:
    """12 → 15 shown as the figures replaced, not as 1 kept and 2 → 5: a change that touches a
    number takes the number's kept digits on both sides into the change."""
    texts = [text for _, text in runs]  # the shape is (delete, insert, equal)*, delete, insert
    for g in range(0, len(texts), 3):
        gone, came = texts[g], texts[g + 1]
        if not (gone or came):
            continue
        before = texts[g - 1] if g else ""
        lead = len(before) - len(before.rstrip(_DIGITS))
        if lead and ((gone[:1] in _DIGITS and gone) or (came[:1] in _DIGITS and came)):
            texts[g - 1], head = before[:-lead], before[-lead:]
            gone, came = head + gone, head + came
        after = texts[g + 2] if g + 2 < len(texts) else ""
        trail = len(after) - len(after.lstrip(_DIGITS))
        if trail and ((gone[-1:] in _DIGITS and gone) or (came[-1:] in _DIGITS and came)):
            texts[g + 2], tail = after[trail:], after[:trail]
            gone, came = gone + tail, came + tail
        texts[g], texts[g + 1] = gone, came
    return [(op, text) for (op, _), text in zip(runs, texts, strict=True)]


_DIGITS = "0123456789.%％"


def _add(out: list[Change], op: Op, text: str) -> None:
    if not text:
        return
    if out and out[-1]["op"] == op:
        out[-1]["text"] += text
    else:
        out.append({"op": op, "text": text})
