"""Whose words a version is: the four-eyes rule beyond the version's own author.

A reviewer must not approve a version they wrote, nor one that is their text with someone
else's small change (an admin writes v1, a colleague changes one character, the admin approves
v2). This module owns that comparison: :func:`own_work` finds the reviewer's earlier version of
the section that the version under review is near, if any.

"Near" is a character similarity of at least :data:`NEAR_RATIO` (``difflib``'s ratio:
2 · matched / both lengths; whitespace ignored, since re-wrapping lines is no writing), or at
most :data:`SMALL_EDIT_CHARS` characters changed in a text mostly kept (a short text such as a
title, where one character is already more than a tenth).

The work stays bounded for long sections, because difflib's alignment is quadratic at worst
(edits scattered through 20,000 characters take seconds). The common start and end are trimmed
first, so one edit anywhere leaves a short middle; length and character-count bounds (difflib's
``real_quick_ratio`` and ``quick_ratio``, computed with Counters) rule most pairs out; only a
middle of at most :data:`CHAR_LEVEL_MAX` characters is aligned character by character. A longer
middle's matched characters are estimated from the two-character pieces both sides contain,
which is linear in the text and counts the reviewer's sentences reordered as still theirs.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.storage.models import SectionVersion

NEAR_RATIO = 0.9
SMALL_EDIT_CHARS = 2
# Middles (both sides together) aligned character by character: ≤ ~0.05 s even when edits are
# scattered through them. Longer ones are estimated from shared character pairs.
CHAR_LEVEL_MAX = 2000

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Likeness:
    """How the version under review compares with one of the reviewer's versions."""

    number: int  # the reviewer's version
    matched: int  # characters the two texts share, in order (estimated for long texts)
    total: int  # both lengths
    longer: int

    @property
    def ratio(self) -> float:
        return 2 * self.matched / self.total if self.total else 1.0

    @property
    def changed(self) -> int:
        """Characters of the longer text left unmatched: an edit's size, at least."""
        return self.longer - self.matched

    @property
    def small_edit(self) -> bool:
        return 0 < self.changed <= SMALL_EDIT_CHARS and self.changed < self.matched

    @property
    def near(self) -> bool:
        return self.ratio >= NEAR_RATIO or self.small_edit


def _normal(text: str) -> str:
    return _SPACE.sub("", text)


def _trim(a: str, b: str) -> tuple[int, str, str]:
    """Characters in the common start and end, and the two middles left."""
    n = min(len(a), len(b))
    start = 0
    while start < n and a[start] == b[start]:
        start += 1
    end = 0
    while end < n - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return start + end, a[start : len(a) - end], b[start : len(b) - end]


def _aligned(a: str, b: str) -> int:
    # autojunk off: it would ignore every frequent character (的, 和, …) as a match seed.
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(m.size for m in blocks)


def _bigrams(text: str) -> Counter[str]:
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def _matched_by_bigrams(a: str, b: str) -> int:
    """Characters matched, estimated from the two-character pieces both texts contain.

    A substituted character breaks two pieces on each side, an inserted or deleted one a piece
    on one side, so half the broken pieces of a side is its edit: exact for substitutions,
    insertions and deletions alone, a little generous when they mix; order is not counted.
    """
    shared = sum((_bigrams(a) & _bigrams(b)).values())
    broken_a, broken_b = len(a) - 1 - shared, len(b) - 1 - shared
    return max(0, int(min(len(a) - broken_a / 2, len(b) - broken_b / 2)))


def likeness(number: int, mine: str, theirs: str) -> Likeness | None:
    """How near ``theirs`` is to ``mine`` (both normalised), or None when the bounds already
    show it is not near."""
    total, longer = len(mine) + len(theirs), max(len(mine), len(theirs))
    kept, a, b = _trim(mine, theirs)

    def possible(matched_at_most: int) -> bool:
        bound = Likeness(number, kept + matched_at_most, total, longer)
        return bound.ratio >= NEAR_RATIO or bound.changed <= SMALL_EDIT_CHARS

    if not possible(min(len(a), len(b))):  # the lengths alone
        return None
    if not possible(sum((Counter(a) & Counter(b)).values())):  # the characters, in any order
        return None
    middle = _aligned(a, b) if len(a) + len(b) <= CHAR_LEVEL_MAX else _matched_by_bigrams(a, b)
    return Likeness(number, kept + middle, total, longer)


def nearest(text: str, earlier: Iterable[tuple[int, str]]) -> Likeness | None:
    """The first of the ``earlier`` (number, text) versions that ``text`` is near, or None."""
    theirs = _normal(text)
    seen: set[str] = set()
    for number, mine in earlier:
        mine = _normal(mine)
        if mine in seen:  # the same words again: compared already
            continue
        seen.add(mine)
        found = likeness(number, mine, theirs)
        if found is not None and found.near:
            return found
    return None


def own_work(s: Session, version: SectionVersion, user_id: int) -> Likeness | None:
    """The user's earlier version of the section (newest first) that ``version`` is near.

    Every kind counts: an edit, a draft the user requested, an import the user made.
    """
    rows = s.execute(
        select(SectionVersion.number, SectionVersion.text)
        .where(
            SectionVersion.section_pk == version.section_pk,
            SectionVersion.author_id == user_id,
            SectionVersion.number < version.number,
        )
        .order_by(SectionVersion.number.desc())
    )
    return nearest(version.text, ((n, t) for n, t in rows))


def refusal(found: Likeness, version: SectionVersion) -> str:
    """Why the approval is refused, in the words the reviewer reads."""
    # A count says more than "100%" rounded up from a one-character change.
    if found.changed <= 10:
        how = f"仅改动 {found.changed} 个字" if found.changed else "文字相同"
    else:
        how = f"相似度 {math.floor(found.ratio * 100)}%"
    return (
        f"该版本（第{version.number}版）与您本人撰写的第{found.number}版几乎相同（{how}），"
        "不能由您审核通过，请由其他审核人审核"
    )
