"""Matching a parsed .docx to a report's sections, for the Word round trip.

This module owns **matching** (:func:`match_sections`): finding each section of the report in the
paragraphs :mod:`assistant.reports.roundtrip.read` produced, by its bookmark ``gw_<section id>``
(the GB/T 9704 writer puts one on every section's first paragraph), else by heading text
(numbering, spaces and punctuation ignored, small edits tolerated), else by position (title,
主送机关, the unnumbered opening sections in order, a short closing line at the end); document
text no section claims comes back as :class:`Stray`. It also owns the text normalisation and
comparison the round trip uses (:func:`heading_key`, :func:`canonical_lines`,
:func:`same_text`, :func:`similarity`): what Word changes on its own is no edit.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from assistant.reports.roundtrip.read import CLOSING_MAX, CN_NUMERALS, LEVEL1, Para

MatchedBy = Literal["bookmark", "heading", "position"]

HEADING_RATIO = 0.6  # a renamed heading still matches when this similar
_DP_EXACT_LIMIT = 16  # front paragraphs up to which the split uses the exact (slower) ratio
_DP_LIMIT = 40  # more unnumbered paragraphs before the first heading than a report ever has

_CN = CN_NUMERALS
_NUMBERING = re.compile(
    rf"^\s*(?:[{_CN}百]+[、.．，,]|[（(][{_CN}]+[）)]|\d+[.．、]|[（(]\d+[）)]|第[{_CN}\d]+[部章节][分]?)"
)
_CLOSING = re.compile(
    r"汇报完毕|谢谢|请予|请审阅|请审议|请批示|请指正|妥否|特此报告|以上报告|以上汇报"
)
# Word's AutoFormat and IME switches change these without the reviewer meaning to.
_LOOKALIKE = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "′": "'",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
        "⋯": "...",
        "・": "·",
        "•": "·",
    }
)


@dataclass(frozen=True)
class SectionRef:
    """A section of the report as matching needs it."""

    id: str
    heading: str  # with its number (一、…); empty for the unnumbered sections
    kind: str  # the template's kind: title, salutation, opening, overview, body, …, closing
    text: str = ""  # the current version's text


@dataclass
class Found:
    id: str
    by: MatchedBy
    lines: list[str] = field(default_factory=list)
    heading: str = ""  # the heading as the document has it (a heading or bookmark match)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class Stray:
    """Document text no section claims: a heading the report does not have, and what follows."""

    heading: str
    text: str


@dataclass
class Matching:
    found: list[Found]
    unmatched: list[Stray]
    # The 主送机关 line of a report whose template has no salutation part: it comes from the
    # report's details, not a section (the caller compares it with them).
    recipient: str = ""


def bookmark_name(section_id: str) -> str:
    """``gw_<id>``, as the writer names it (Word allows 40 characters: letters, digits, _)."""
    return ("gw_" + re.sub(r"[^A-Za-z0-9_]", "_", section_id))[:40]


def heading_key(text: str) -> str:
    """A heading without its number, spaces and punctuation: what a heading match compares."""
    text = _NUMBERING.sub("", "".join(unicodedata.normalize("NFKC", text).split()), count=1)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def canonical_lines(text: str) -> list[str]:
    """The lines of ``text`` without what Word changes on its own: spaces, full- and half-width
    forms, curly quotes, dashes. Two texts with equal canonical lines say the same."""
    out = []
    for line in text.split("\n"):
        line = unicodedata.normalize("NFKC", line).translate(_LOOKALIKE)
        line = "".join(line.split())
        if line:
            out.append(line)
    return out


def same_text(a: str, b: str) -> bool:
    return canonical_lines(a) == canonical_lines(b)


def similarity(a: str, b: str, *, exact: bool = True) -> float:
    x, y = "".join(canonical_lines(a)), "".join(canonical_lines(b))
    if not x or not y:
        return 0.0
    matcher = difflib.SequenceMatcher(None, x, y, autojunk=False)
    return matcher.ratio() if exact else matcher.quick_ratio()


def _heading_like(p: Para, section: SectionRef) -> bool:
    if p.role == "heading" or LEVEL1.match(p.text.strip()):
        return True
    return (
        difflib.SequenceMatcher(None, heading_key(p.text), heading_key(section.heading)).ratio()
        >= HEADING_RATIO
    )


def _closing_like(p: Para, section: SectionRef) -> bool:
    text = p.text.strip()
    if p.role == "heading" or not text or len(text) > CLOSING_MAX:
        return False
    return bool(_CLOSING.search(text)) or similarity(text, section.text) >= HEADING_RATIO


def _title_like(p: Para) -> bool:
    text = p.text.strip()
    return (
        p.role in ("body", "title")
        and 0 < len(text) <= 100
        and not text.endswith(("：", ":"))
        and not re.search(r"[。！？!?]", text)
    )


def _salutation_like(p: Para) -> bool:
    text = p.text.strip()
    return (
        p.role in ("body", "recipient")
        and text.endswith(("：", ":"))
        and len(text) <= 40
        and "。" not in text
        and "如下" not in text
    )


def _split_front(
    paras: Sequence[Para], sections: Sequence[SectionRef], anchors: Sequence[int | None]
) -> list[list[Para]] | None:
    """Share consecutive paragraphs among unnumbered sections in order, best fit first.

    Each section takes a run of paragraphs (possibly none); a bookmark pins its section's start.
    The split maximises the similarity of each run to the section's current text, with a small
    bonus for a non-empty run, so never-drafted sections still get the paragraphs in order.
    None when the bookmarks contradict the order, or there are too many paragraphs to share
    (then the caller reports the text unmatched).
    """
    n, k = len(paras), len(sections)
    if k == 0 or n > _DP_LIMIT:
        return None
    exact = n <= _DP_EXACT_LIMIT
    memo: dict[tuple[int, int], tuple[float, list[int]] | None] = {}

    @functools.cache
    def score(j: int, a: int, b: int) -> float:
        if a == b:
            return 0.0
        text = "\n".join(line for p in paras[a:b] for line in p.lines())
        return 0.05 + similarity(text, sections[j].text, exact=exact)

    def best(j: int, a: int) -> tuple[float, list[int]] | None:
        """Best (score, ends) placing paras[a:] into sections[j:]."""
        if (j, a) in memo:
            return memo[(j, a)]
        result: tuple[float, list[int]] | None = None
        pinned = [t for t in range(n) if anchors[t] == j]
        if pinned and pinned[0] != a:
            memo[(j, a)] = None
            return None
        ends = [n] if j == k - 1 else range(a + (1 if pinned else 0), n + 1)
        for b in ends:
            if any(anchors[t] is not None and anchors[t] != j for t in range(a, b)):
                break  # another section's bookmark inside this run: it must end before it
            if j == k - 1:
                result = (score(j, a, b), [b])
                break
            rest = best(j + 1, b)
            if rest is not None and (result is None or score(j, a, b) + rest[0] > result[0]):
                result = (score(j, a, b) + rest[0], [b, *rest[1]])
        memo[(j, a)] = result
        return result

    found = best(0, 0)
    if found is None:
        return None
    runs, start = [], 0
    for end in found[1]:
        runs.append(list(paras[start:end]))
        start = end
    return runs


def _bound(paras: Sequence[Para], sections: Sequence[SectionRef]) -> list[str | None]:
    """The section each paragraph's bookmark names (first occurrence of each only)."""
    names = {bookmark_name(s.id): s.id for s in sections}
    used: set[str] = set()
    out: list[str | None] = []
    for p in paras:
        hit = next((names[m] for m in p.bookmarks if m in names and names[m] not in used), None)
        if hit is not None:
            used.add(hit)
        out.append(hit)
    return out


def match_sections(paragraphs: Sequence[Para], sections: Sequence[SectionRef]) -> Matching:
    """Find the report's sections in a parsed document (see the module docstring)."""
    # A line of a section's own text that reads like a heading (一、… inside a section) is set
    # as one by the writer; it is text, not a section the report lacks.
    headings = {heading_key(s.heading) for s in sections if s.heading}
    content = {line for s in sections for line in canonical_lines(s.text)}
    paras = [
        replace(p, role="body")
        if p.role == "heading"
        and heading_key(p.text) not in headings
        and "".join(canonical_lines(p.text)) in content
        else p
        for p in paragraphs
        if p.role != "ignored"
    ]
    by_id = {s.id: s for s in sections}
    bound = _bound(paras, sections)
    numbered = [s for s in sections if s.heading]
    first_numbered = next((i for i, s in enumerate(sections) if s.heading), len(sections))
    last_numbered = max((i for i, s in enumerate(sections) if s.heading), default=-1)
    front = [s for s in sections[:first_numbered] if s.kind != "closing"]
    trailing = [s for s in sections[last_numbered + 1 :] if not s.heading and s not in front]
    found: list[Found] = []
    unmatched: list[Stray] = []

    # The closing line: by bookmark like any section, else the document's last paragraph when
    # it is short and reads like one (汇报完毕，谢谢。).
    closing = next((s for s in reversed(trailing) if s.id not in bound), None)
    position_closing = -1
    if closing is not None and paras and bound[-1] is None and _closing_like(paras[-1], closing):
        position_closing = len(paras) - 1
    closing_id = closing.id if closing is not None else ""

    numbered_ids = {s.id for s in numbered}
    h = next(
        (
            i
            for i, p in enumerate(paras)
            if p.role == "heading" or bound[i] in numbered_ids or i == position_closing
        ),
        len(paras),
    )

    # After the first heading: a new part at every heading and every bookmark.
    parts: list[Found] = []
    strays: list[Found] = []  # heading parts not (yet) matched
    for i in range(h, len(paras)):
        p = paras[i]
        sid = bound[i]
        if i == position_closing:
            parts.append(Found(closing_id, "position", p.lines()))
        elif sid is not None:
            section = by_id[sid]
            if section.heading and _heading_like(p, section):
                parts.append(Found(sid, "bookmark", [], p.text.strip()))
            else:
                parts.append(Found(sid, "bookmark", p.lines()))
        elif p.role == "heading":
            part = Found("", "heading", [], p.text.strip())
            parts.append(part)
            strays.append(part)
        elif parts:
            parts[-1].lines.extend(p.lines())
    _match_headings(strays, [s for s in numbered if s.id not in bound])

    # Before it: title, 主送机关, then the unnumbered sections shared out in order.
    head = list(range(h))
    title = next((s for s in front if s.kind == "title"), None)
    if title is not None and head:
        at = next((i for i in head if bound[i] == title.id), None)
        by: MatchedBy = "bookmark"
        if at is None:
            by = "position"
            at = next((i for i in head if paras[i].role == "title" and bound[i] is None), None)
        if at is None and bound[head[0]] is None and _title_like(paras[head[0]]):
            at = head[0]
        if at is not None:
            taken = [at]
            while taken[-1] + 1 < h and paras[taken[-1] + 1].role == "title":
                if bound[taken[-1] + 1] is not None:
                    break
                taken.append(taken[-1] + 1)
            # A long title broken over lines (or paragraphs) is one title.
            text = "".join(line for i in taken for line in paras[i].lines())
            found.append(Found(title.id, by, [text] if text else []))
            for i in head[: head.index(at)]:
                unmatched.append(Stray("", "\n".join(paras[i].lines())))
            head = [i for i in head[head.index(at) :] if i not in taken]
    salutation = next((s for s in front if s.kind == "salutation"), None)
    if salutation is not None and head:
        at = next((i for i in head if bound[i] == salutation.id), None)
        by = "bookmark"
        if at is None:
            by = "position"
            at = next((i for i in head if paras[i].role == "recipient" and bound[i] is None), None)
        if at is None and bound[head[0]] is None and _salutation_like(paras[head[0]]):
            at = head[0]
        if at is not None:
            found.append(Found(salutation.id, by, paras[at].lines()))
            head.remove(at)
    recipient = ""
    if salutation is None:
        # 主送机关 printed from the report's details (工作总结 has no 称谓 part): not a section's
        # text, and kept apart so it does not hide the 总体情况 paragraph after it.
        lines = [i for i in head if paras[i].role == "recipient" and bound[i] is None]
        recipient = "\n".join(ln for i in lines for ln in paras[i].lines())
        head = [i for i in head if i not in lines]
    rest = [s for s in front if s not in (title, salutation)]
    anchors = [next((j for j, s in enumerate(rest) if s.id == bound[i]), None) for i in head]
    loose = [i for i, a in zip(head, anchors, strict=True) if a is None and bound[i] is not None]
    if loose:  # a bookmark of a section that does not belong here: the paragraph is its text
        for i in loose:
            found.append(Found(str(bound[i]), "bookmark", paras[i].lines()))
        keep = [n for n, i in enumerate(head) if i not in loose]
        head, anchors = [head[n] for n in keep], [anchors[n] for n in keep]
    if head:
        runs = _split_front([paras[i] for i in head], rest, anchors)
        if runs is None:
            unmatched.append(Stray("", "\n".join(ln for i in head for ln in paras[i].lines())))
        else:
            for j, run in enumerate(runs):
                if run:
                    pinned = bound[head[sum(len(r) for r in runs[:j])]] == rest[j].id
                    by = "bookmark" if pinned else "position"
                    found.append(Found(rest[j].id, by, [ln for p in run for ln in p.lines()]))

    for part in parts:
        if part.id:
            found.append(part)
        else:
            unmatched.append(Stray(part.heading, part.text))
    order = {s.id: n for n, s in enumerate(sections)}
    found.sort(key=lambda f: order[f.id])
    return Matching(found, unmatched, recipient)


def _match_headings(parts: list[Found], candidates: list[SectionRef]) -> None:
    """Give each unbound heading part the section whose heading it best resembles (≥ 0.6)."""
    pairs = []
    for n, part in enumerate(parts):
        key = heading_key(part.heading)
        for m, section in enumerate(candidates):
            other = heading_key(section.heading)
            ratio = 1.0 if key == other else difflib.SequenceMatcher(None, key, other).ratio()
            if key and ratio >= HEADING_RATIO:
                pairs.append((ratio, -abs(n - m), n, section.id))
    taken_parts: set[int] = set()
    taken_sections: set[str] = set()
    for _, _, n, sid in sorted(pairs, reverse=True):
        if n not in taken_parts and sid not in taken_sections:
            parts[n].id = sid
            taken_parts.add(n)
            taken_sections.add(sid)
