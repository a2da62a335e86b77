"""Names grounded in the fact layer: the report's own, national, an exemplar's, or unknown.

A name is the report's own when the fact layer (report meta, facts, uploads) holds it or its stem
(中共柳河区委 holds 柳河区 and 柳河); national when it is a province, region or landmark every
report may name, or any place in a report of the centre (and any real place in a province's). A
name whose stem only an exemplar passage holds is another unit's name carried over from the
style layer: an error (GR006). Anything else is a warning to verify (GR008).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from assistant.checks.evidence import Evidence
from assistant.checks.name_lists import ADMIN
from assistant.checks.names import Name, NameKind, find_names, is_national, real_place, word_at
from assistant.domain import Issue

NameStatus = Literal["own", "national", "exemplar", "unknown"]
CATEGORY = "名称核查"
_SKIP = re.compile(r"《[^《》\n]*》|【[^【】\n]*】")


@dataclass(frozen=True)
class GroundedName:
    name: Name
    status: NameStatus
    source: str = ""  # the exemplar that holds it


def _skipped(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SKIP.finditer(text)]


_CENTRE = re.compile(r"^(?:中共中央|党中央|国务院|全国|中央|国家|中华人民共和国)")


def reach(evidence: Evidence) -> Literal["national", "province", "local"]:
    """How far the reporting unit's own ground reaches: the whole country (国务院), a province
    (山东省人民政府: its cities are its own places), or one locality."""
    org = evidence.facts.report.organization or ""
    places = [n for n in find_names(org) if n.kind != "person"]
    if not places:
        return "national" if _CENTRE.match(org) else "local"
    return "province" if all(is_national(n.stem) for n in places) else "local"


def status_of(name: Name, evidence: Evidence, own: str | None = None) -> GroundedName:
    """How ``name`` is grounded: the report's own, national, an exemplar's, or unknown."""
    own = evidence.own_text() if own is None else own
    if name.text in own or name.stem in own:
        return GroundedName(name, "own")
    if is_national(name.stem):
        return GroundedName(name, "national")
    scope = reach(evidence)
    if scope == "national" and name.kind in ("place", "unit"):
        return GroundedName(name, "national")  # every place is the centre's own
    if scope == "province" and real_place(name):
        # A province's report names its cities; without a gazetteer every real place is taken
        # as its own (a fictional or misspelt one still warns).
        return GroundedName(name, "national")
    for ex in evidence.exemplars:
        if name.stem in ex.text:
            return GroundedName(name, "exemplar", ex.id)
    return GroundedName(name, "unknown")


def _exemplar_stems(evidence: Evidence, own: str) -> list[tuple[str, str, NameKind]]:
    """(stem, exemplar id, kind) for every exemplar name the fact layer does not hold."""
    out: list[tuple[str, str, NameKind]] = []
    seen: set[str] = set()
    for ex in evidence.exemplars:
        for n in find_names(ex.text):
            if n.stem in seen or n.stem in own or status_of(n, evidence, own).status != "exemplar":
                continue
            seen.add(n.stem)
            out.append((n.stem, ex.id, n.kind))
    return out


def ground_names(text: str, evidence: Evidence) -> list[GroundedName]:
    """Every name of ``text`` outside 《titles》 and 【placeholders】, with its grounding."""
    own = evidence.own_text()
    skipped = _skipped(text)

    def free(a: int, b: int, taken: Iterable[tuple[int, int]]) -> bool:
        return not any(x < b and a < y for x, y in taken)

    out = [status_of(n, evidence, own) for n in find_names(text) if free(n.start, n.end, skipped)]
    # A stem an exemplar names may stand bare in the draft (云岭茶叶): found by string search.
    taken = [*skipped, *((g.name.start, g.name.end) for g in out)]
    for stem, source, kind in _exemplar_stems(evidence, own):
        for m in re.finditer(re.escape(stem), text):
            if not word_at(text, m.start(), m.end()):
                continue  # 城关 in 县城关键: the letters, not the name
            end = m.end()
            suffix = next((s for s in ADMIN if text.startswith(s, end)), "")
            end += len(suffix)
            if free(m.start(), end, taken):
                name = Name(m.start(), end, text[m.start() : end], stem, kind)
                out.append(GroundedName(name, "exemplar", source))
                taken.append((m.start(), end))
    return sorted(out, key=lambda g: g.name.start)


def foreign_names(text: str, evidence: Evidence) -> list[GroundedName]:
    """The names of ``text`` that only the evidence's exemplars hold: another unit's names."""
    return [g for g in ground_names(text, evidence) if g.status == "exemplar"]


def _own_place(evidence: Evidence) -> Name | None:
    org = evidence.facts.report.organization or ""
    return next((n for n in find_names(org) if n.kind in ("place", "unit")), None)


def _suggestion(name: Name, evidence: Evidence) -> str:
    org = evidence.facts.report.organization
    place = _own_place(evidence)
    if name.kind == "place" and place is not None:
        return place.stem + next(
            (s for s in ADMIN if place.text.startswith(s, len(place.stem))), ""
        )
    if name.kind == "unit" and org:
        return org
    what = {"place": "地名", "unit": "单位名称", "person": "姓名", "brand": "品牌名称"}[name.kind]
    return f"【待补充：{what}】"


def name_issues(grounded: Iterable[GroundedName], evidence: Evidence) -> list[Issue]:
    out: list[Issue] = []
    for g in grounded:
        n = g.name
        if g.status == "exemplar":
            out.append(
                Issue(
                    "GR006",
                    CATEGORY,
                    "error",
                    n.start,
                    n.end,
                    n.text,
                    f"“{n.text}”只见于范文（{g.source}），是其他单位的名称，不能用在本报告中",
                    _suggestion(n, evidence),
                )
            )
        elif g.status == "unknown":
            out.append(
                Issue(
                    "GR008",
                    CATEGORY,
                    "warning",
                    n.start,
                    n.end,
                    n.text,
                    f"“{n.text}”未见于事实表、上传材料或报告信息，请核实是否为本单位或上级的名称",
                )
            )
    return out
