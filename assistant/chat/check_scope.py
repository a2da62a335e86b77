"""Which part a check is of, once the whole message is read: the parts a message holds against
each other (反馈问题说是13个 下面怎么只列了7个) get one check of the whole report; a check asked
before the figure it is about (帮我算一下 出动消防车4320辆次…) is of that figure's part; a
report-wide check (全文核对一下数字) covers the figures it names, and a check of one part leaves
no second, unscoped one.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.chat import cues
from assistant.chat.asks import Clause
from assistant.chat.plan import Step


def put_right(clause: str) -> bool:
    """其实是5次, 不是63个: a figure set right, not one asked about."""
    return bool(
        cues.CORRECTION.search(clause) or re.search(r"不是[\d一二三四五六七八九十两]", clause)
    )


def checks_scoped(steps: list[Step], clauses: list[Clause], text: str) -> list[Step]:
    """``steps`` with each check, gap and answer scoped as the whole message says."""
    named_outright = any(t.how not in ("figure", "") for c in clauses for t in c.targets)
    whole, crossed = bool(cues.WHOLE.search(text)), bool(cues.CROSS.search(text))
    figured = {  # figures asked about, not put right (不是1.2)
        t.section for c in clauses if not put_right(c.text) for t in c.targets if t.how == "figure"
    }
    if (
        (crossed or len(figured) > 1)
        and not named_outright
        and any(st.action == "check" for st in steps)
    ):
        # 反馈问题说是13个 下面怎么只列了7个 你核一下: the parts against each other
        first = next(i for i, st in enumerate(steps) if st.action == "check")
        steps = [
            Step("check", query=text) if i == first else st
            for i, st in enumerate(steps)
            if i == first or st.action not in ("check", "answer")
        ]
    if len(figured) == 1 and not named_outright and not whole and not crossed:
        # 帮我算一下 出动消防车4320辆次…: the check asked before the figure is of its part
        steps = [
            replace(st, section=next(iter(figured)))
            if st.action == "check" and not st.section
            else st
            for st in steps
        ]
    if whole and any(st.action == "check" and not st.section for st in steps):
        # 全文核对一下数字 18个问题跟…对不对得上: the figure is one the whole check covers
        steps = [st for st in steps if not (st.action == "check" and st.section)]
    if not whole:  # 第一部分数字对一下 …是不是写错了: one check of that part
        for act in ("check", "gaps", "answer"):
            if any(st.action == act and st.section for st in steps):
                steps = [st for st in steps if not (st.action == act and st.section is None)]
    return steps


def sources_or_checks(steps: list[Step], text: str) -> list[Step]:
    """A doubt answered by the source the message asks for, or a source question that is
    really a check: one of the two, as the message says."""
    if (
        cues.IN_DOC_ASKED.search(text)
        and not cues.SOURCES.search(text)
        and cues.LOOK_ASKED.search(text)
        and any(st.action == "check" for st in steps)
    ):
        return [st for st in steps if st.action != "sources"]  # 是问卷里的吗 帮我核对下
    sourced = {st.section for st in steps if st.action == "sources"}
    if not sourced:
        return steps
    looked_up = re.sub(r"(?:查|找|看)一?下?(?:它的|这个|数据的?)?(?=来源|出处|依据)", "", text)
    if not cues.LOOK_ASKED.search(cues.SOURCES.sub("", looked_up)):
        # 是4800万还是4860万 … 帮我查下来源: the source settles the doubt, no check besides
        return [st for st in steps if not (st.action == "check" and st.section in sourced)]
    return steps
