"""Citation markers against the figures they stand behind: 9999次〔F1〕 when F1 is 常委会议 9次.

A marker (〔F1〕, 〔F1、S2〕) says where the figures before it come from. Each figure between the
previous marker (or the sentence start) and the marker must be one of the cited facts' values
(any notation) or stated as data in a cited upload passage. The figure right before the marker —
or the only one — is what the marker certifies: a mismatch there is an error; a further figure
the labels do not hold is a warning (it may rest on a fact the sentence forgot to cite).

The drafting pipeline strips markers and keeps citations as (start, end, labels) records over the
clean text; :func:`check_cited` takes those, :func:`marker_spans` reads them from a text that
still has its markers (a file given to ``assistant check``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from assistant.checks.evidence import Evidence
from assistant.checks.matching import (
    Known,
    fact_known,
    fact_values,
    known_from,
    matches,
    source_values,
    units_agree,
)
from assistant.checks.titles import title_spans
from assistant.domain import Issue
from assistant.facts.numbers import readable
from assistant.facts.quantities import find_quantities
from assistant.facts.sheet import Fact, FactSheet, ReportMeta

CATEGORY = "引用核查"
_LABEL = r"[FSE]\d{1,3}"
MARKER = re.compile(rf"[〔\[【]\s*({_LABEL}(?:\s*[、,，;；/\s]\s*{_LABEL})*)\s*[〕\]】]")
_STOPS = "。；！？\n"


def marker_spans(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """(start, end, labels) of every marker in ``text``."""
    return [
        (m.start(), m.end(), tuple(re.findall(_LABEL, m.group(1)))) for m in MARKER.finditer(text)
    ]


def told_by(fact: Fact) -> list[Known]:
    """What a fact states: its value, and the figures of the user's key and note (采编人员 64人,
    note 其中35岁以下21人)."""
    said = [k for text in (fact.note, fact.key) if text for k in known_from(fact.key, text)]
    return fact_known(fact) + said


def _cited(label: str, evidence: Evidence) -> tuple[list[Known], str] | None:
    fact = evidence.fact(label)
    if fact is not None:
        return told_by(fact), f"{fact.key}：{readable(fact.value, fact.unit)}"
    source = evidence.upload(label)
    if source is not None:
        return source_values(source), f"上传材料{label}"
    if any(s.id == label for s in evidence.exemplars):
        return [], f"范文{label}（范文不能作为出处）"
    return None


def check_cited(
    text: str,
    cited: Iterable[tuple[int, int, Sequence[str]]],
    evidence: Evidence,
    *,
    skip: Sequence[tuple[int, int]] = (),
) -> list[Issue]:
    """Issues for figures in ``text[start:end]`` that the cited labels do not hold.

    The last figure of each span is the one its marker stands behind. ``skip`` holds spans whose
    figures are not claims (markers themselves, cited 《titles》).
    """
    out: list[Issue] = []
    # The report's own period and date stand in any sentence (2025年5月—6月，…开展专题调研〔F1〕).
    meta = [k for k in fact_values(FactSheet(report=evidence.facts.report)) if k.date]
    # Digits in the unit's own name (市12345热线中心, 12315指挥中心) are a name, not a figure;
    # nor are those of the report's period where the text repeats it.
    skip = [*skip, *_name_spans(text, evidence.facts.report)]
    for start, end, labels in cited:
        resolved = {lb: _cited(lb, evidence) for lb in labels}
        known = [k for r in resolved.values() if r for k in r[0]] + meta
        described = "；".join(
            f"〔{lb}〕是{r[1]}" if r else f"〔{lb}〕不对应任何事实或材料"
            for lb, r in resolved.items()
        )
        figures = [
            q
            for q in find_quantities(text[start:end])
            if q.kind != "year" and not any(a <= start + q.start < b for a, b in skip)
        ]
        for i, q in enumerate(figures):
            if matches(q, known) is not None:
                continue
            last = i == len(figures) - 1
            out.append(
                Issue(
                    "GR010",
                    CATEGORY,
                    "error" if last else "warning",
                    start + q.start,
                    start + q.end,
                    q.text,
                    f"数字与所标出处不符：{described}，这里写的是“{q.text}”",
                    "核对数字，或改标正确的出处",
                )
            )
    return out


def _name_spans(text: str, report: ReportMeta) -> list[tuple[int, int]]:
    # The period as the report writes it (2025年4—9月: the 4 is no figure a marker certifies).
    names = [report.organization or "", report.recipient or "", report.period or ""]
    return [
        (m.start(), m.end())
        for name in names
        if re.search(r"\d", name)
        for m in re.finditer(re.escape(name), text)
    ]


def figures_off_target(
    text: str, citation: Mapping[str, Any], facts: Mapping[str, Fact]
) -> list[str]:
    """Figures of a stored citation's span (start, end, targets ``fact:<key>``) that the facts
    it names do not hold, by today's fact sheet: the chat's 出处 answer says so rather than
    vouching for 9999次 because its sentence cites 常委会议 9次. Citations of passages are not
    judged here (their text is the store's); an empty list when every figure is held."""
    targets = [str(t) for t in citation.get("targets", [])]
    keys = [t[5:] for t in targets if t.startswith("fact:")]
    if not keys or len(keys) != len(targets):
        return []
    known = [k for key in keys if key in facts for k in told_by(facts[key])]
    start, end = int(citation.get("start", 0)), int(citation.get("end", 0))
    skip = title_spans(text)
    return [
        q.text
        for q in find_quantities(text[start:end])
        if q.kind != "year"
        and not any(a <= start + q.start < b for a, b in skip)
        and matches(q, known) is None
        # a stored citation spans its sentence: a figure of another unit belongs to another mark
        and any(units_agree(q.unit, k.unit) for k in known)
    ]


def in_text_citations(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """For a text with its markers: the span each marker backs (since the previous marker or
    the sentence start) and its labels."""
    out: list[tuple[int, int, tuple[str, ...]]] = []
    prev = 0
    for a, b, labels in marker_spans(text):
        start = max(prev, max(text.rfind(ch, 0, a) for ch in _STOPS) + 1)
        out.append((start, a, labels))
        prev = b
    return out


def check_marked(raw: str, evidence: Evidence) -> list[Issue]:
    """:func:`check_cited` over an engine's output with its markers (9999次〔F1〕), the issues'
    offsets moved to the text without them: the drafting pipeline shows and stores the clean
    text, but only the marked one says which figure each marker stands behind."""
    markers = [m.span() for m in MARKER.finditer(raw)]
    if not markers:
        return []
    skip = title_spans(raw) + markers

    def clean(pos: int) -> int:
        return pos - sum(min(b, pos) - a for a, b in markers if a < pos)

    found = check_cited(raw, in_text_citations(raw), evidence, skip=skip)
    out = []
    for issue in found:
        start, end = clean(issue.start), clean(issue.end)
        out.append(
            Issue(
                issue.rule,
                issue.category,
                issue.severity,
                start,
                end,
                MARKER.sub("", issue.text),
                issue.message,
                issue.suggestion,
            )
        )
    return out
