"""Cited 《titles》: the report's own documents, its superiors', national ones — or another unit's.

A title the fact layer holds (report title, facts, uploads) is the report's own. A title that
names a local unit other than the report's own or its superiors (《中共云州市委关于…》 in a 青溪县
report) is another unit's document — an error even when the corpus holds it, because holding it
is exactly how it got into the draft. National and superior documents, and titles the corpus or
an exemplar cites that name no other unit, are known; anything else is a warning to verify.
"""

from __future__ import annotations

import re

from assistant.checks.evidence import Evidence
from assistant.checks.name_grounding import status_of
from assistant.checks.names import find_names
from assistant.domain import Issue

CATEGORY = "数据核查"
TITLE = re.compile(r"《([^《》\n]{2,80})》")
# Documents of the centre are known without the corpus: laws, the Party's 条例, 中共中央/国务院.
_NATIONAL_TITLE = re.compile(
    r"^(?:中共中央|中国共产党|中华人民共和国|国务院|全国人民代表大会|中央|党中央)"
    r"|^[^《》]{2,30}(?:(?<![办方做])法|条例)(?:（[^（）]*）)?$"
)


def title_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in TITLE.finditer(text)]


def foreign_issuer(title: str, evidence: Evidence, own: str | None = None) -> str | None:
    """The first unit or place named in ``title`` that is neither the report's own nor national."""
    own = evidence.own_text() if own is None else own
    for name in find_names(title):
        if name.kind == "person":
            continue
        if status_of(name, evidence, own).status in ("exemplar", "unknown"):
            return name.text
    return None


def title_issues(text: str, evidence: Evidence) -> list[Issue]:
    own = evidence.own_text()
    exemplars = [s.text for s in evidence.exemplars]
    out: list[Issue] = []
    for m in TITLE.finditer(text):
        title = m.group(1)
        if title in own or "【" in title:
            continue  # a placeholder (《【待补充：文件名称】》) is for the proofreading rules
        issuer = foreign_issuer(title, evidence, own)
        if issuer is not None:
            out.append(
                Issue(
                    "GR007",
                    CATEGORY,
                    "error",
                    m.start(),
                    m.end(),
                    m.group(0),
                    f"引用的是其他单位（{issuer}）的文件，不是本单位、上级或国家层面的文件；"
                    "如是上级机关的文件，请在报告信息（主送机关）或事实表中写明该机关",
                    "【待补充：文件名称】",
                )
            )
            continue
        if any(title in p for p in exemplars) or _NATIONAL_TITLE.search(title):
            continue
        if evidence.known_title is not None and evidence.known_title(title):
            continue
        out.append(
            Issue(
                "GR004",
                CATEGORY,
                "warning",
                m.start(),
                m.end(),
                m.group(0),
                "引用的文件名称不在语料库、上传材料或事实表中，请核实",
            )
        )
    return out
