"""The part a new figure belongs in, when the message that tells it names no part.

补充一个数据，到省外就业的毕业生主要去了长三角，占省外就业的58%: the user adds a fact and leaves
the place to us. The outline already knows where a fact of this report goes (its role — a
problem, a plan, a method — then the words each part attracts), so the chat asks it, as if the
message were one more fact of the sheet: the same answer the drafting would give, not the part
whose text happens to share the longest run of characters (毕业生 in the problems part).
"""

from __future__ import annotations

import re

from assistant.chat import cues
from assistant.chat.figures import facts_in
from assistant.chat.in_text import by_topic
from assistant.chat.plan import ReportView
from assistant.chat.targets import Target
from assistant.drafting.placement import place_facts
from assistant.facts.quantities import find_quantities
from assistant.facts.sheet import Fact, FactSheet, ReportMeta

_ASK = re.compile(
    r"^(?:再|请|帮我)?(?:补充|加上|补上|写上|加|补)(?:一个|一条|一句|一下)?(?:数据|数字|情况)?[，,：:\s]*"
)


def placed(text: str, view: ReportView) -> Target | None:
    """The drafted part the outline gives the figure ``text`` adds, or None when the message
    adds none (a correction, a question) or the outline's part is not drafted."""
    if not cues.ADDS.search(text) or not facts_in(text, view):
        return None
    told = _ASK.sub("", text)
    figures = [q for q in find_quantities(told) if q.kind in ("number", "percent") and q.unit]
    if not figures:
        return None
    q = figures[-1]
    key = re.sub(r"[，,。；;\s]+", "", told[: q.start]) or told
    fact = Fact(key=key[-60:], value=told[q.start : q.end])
    sheet = FactSheet(report=ReportMeta(title=view.title), facts=[fact])
    where = place_facts(view.template, sheet).get(fact.key)
    sec = view.section(where.section_id) if where else None
    return Target(sec.id, "", "topic") if sec is not None and sec.drafted else None


def where_told(text: str, view: ReportView, revising: bool) -> Target | None:
    """The part a message naming none is about: for a revision adding a figure, the outline's
    part; else the one whose text speaks of what it says (追回违规基金应该是1920万元 改下)."""
    return (placed(text, view) if revising else None) or by_topic(text, view)
