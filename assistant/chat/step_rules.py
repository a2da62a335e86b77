"""The rule planner's steps after the clauses are read: what each step becomes once the rest of
the message and the report are known (:mod:`assistant.chat.rules` reads the clauses).

A fresh draft of a drafted part that only adds to it is a revision; a revision of a part with no
text is its first draft; 把剩下的写完 is a draft of each part not written yet; one step per action
and part; and whether a target found by a few heading words is a part named at all.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.chat import cues
from assistant.chat.figures import unquoted
from assistant.chat.plan import ReportView, Step
from assistant.chat.sections import WORDS as SECTION_WORDS
from assistant.chat.sections import Target
from assistant.vocab import patterns

_RULE_WORDS = patterns("assistant.chat.rules")  # the words of rules.toml

_ALL_OF_IT = re.compile(
    r"整篇|全篇|通篇|整份|整个(?:调研|述职|整改|工作|情况)?(?:报告|汇报|总结|材料|稿子)|全文|写好的也"
)


def the_rest(step: Step, view: ReportView, text: str) -> list[Step]:
    """把剩下的写完吧 / 没写的都写了: a draft of each part not drafted yet, in order."""
    if step.action != "draft_all" or not cues.REST.search(text) or _ALL_OF_IT.search(text):
        return [step]  # 整篇弄完整，没写的补上，写好的也顺一顺: the whole report, not the rest
    left = [
        s
        for s in view.sections
        if not s.drafted and s.kind not in ("title", "salutation", "closing")
    ]
    return [Step("draft", s.id, instruction=step.instruction) for s in left] or [step]


def weak(targets: list[Target], clause: str, view: ReportView) -> bool:
    """Targets found only by some words of a heading, the clause saying nothing of a part
    (整部分推倒重来 says the part named before, whole)."""
    if SECTION_WORDS.MARKER_WORDS.search(re.sub(r"整个?部分|整块|整段", "", clause)):
        return False
    for t in targets:
        sec = view.section(t.section)
        if t.how != "heading" or (sec is not None and sec.heading and sec.heading in clause):
            return False
    return True


def revision_of_drafted(step: Step, view: ReportView) -> Step:
    """写写群众反映的变化 on a drafted part adds to it: a revision, not a fresh draft."""
    sec = view.section(step.section)
    if step.action != "draft" or sec is None or not sec.drafted:
        return step
    said = step.instruction
    # 存在的问题再加一条，写基层执法装备不足的问题: the 写 says what the added line tells
    mild = cues.WEAK_DRAFT.search(said) or cues.REVISE.search(unquoted(said))
    headings = re.search(r"标题|题目", said) and not re.search(r"起草|初稿|正文|全部", said)
    if headings and sec.numbered:
        return replace(step, action="revise")  # 三个部分的标题……重新拟一下: the headings only
    drafting = re.search(r"起草|初稿", said)
    if re.search(r"[这那]一?句话?|[这那]几句|[这那]个词", said) and not drafting:
        return replace(step, action="revise")  # 这句话读着别扭，重写一下: the sentence, reworded
    if cues.REDRAFT.search(said) or not mild or drafting:
        return step
    return replace(step, action="revise")


def names_part(target: Target, clause: str, message: str, view: ReportView) -> bool:
    """Whether a question or check names this part, rather than merely sharing words with its
    heading: by ordinal, kind word, quotation, a figure or phrase of its text, or a heading
    word marked as a part's name (廉洁那块)."""
    if target.how == "figure":
        return False  # 党支部是14个还是多少: a figure asked about, not a part named
    if target.how != "heading":
        return True
    section = view.section(target.section)
    if section is not None and not section.numbered:
        return True  # named by what it is (总体情况里…)
    heading = re.sub(r"^[一二三四五六七八九十]+[、.．]\s*", "", section.heading) if section else ""
    if len(heading) >= 4 and heading in clause:
        return True  # 基本情况写了哪几方面, 问题整改落实情况有没有…: the whole heading is a name
    if re.search(r"(?:写|讲)了(?:哪|什么|啥)", clause):
        return True  # 第一部分写了哪几层意思
    return bool(
        SECTION_WORDS.MARKER_WORDS.search(clause) or SECTION_WORDS.MARKER_WORDS.search(message)
    )


def merged(steps: list[Step]) -> list[Step]:
    """One step per (action, section): clauses of one ask are not done twice."""
    out: list[Step] = []
    for s in steps:
        twin = next((o for o in out if (o.action, o.section) == (s.action, s.section)), None)
        if twin is None:
            out.append(s)
        elif s.passage and not twin.passage:
            out[out.index(twin)] = replace(twin, passage=s.passage)
    # A redraft and a revision of one part: the redraft (写得太轻了…推倒重写) says it all.
    redrafted = {s.section for s in out if s.action == "draft"}
    out = [s for s in out if not (s.action == "revise" and s.section in redrafted)]
    if any(s.action == "draft_all" for s in out):
        out = [s for s in out if s.action not in ("draft", "ask")]
    return out


def drafts_of_undrafted(steps: list[Step], view: ReportView) -> list[Step]:
    """A revision of a section that has no text yet is its first draft."""
    out = []
    for s in steps:
        sec = view.section(s.section)
        if s.action == "revise" and sec is not None and not sec.drafted and view.sections:
            out.append(replace(s, action="draft", passage=""))
        else:
            out.append(s)
    return out


def questions_pruned(steps: list[Step], message: str) -> list[Step]:
    """Questions and 出处 asks that only say why another step is asked, taken out."""
    if any(st.action == "search" for st in steps):
        # 帮我搜下 看看我们的做法有没有依据: why the search is asked, not a 出处 question
        steps = [st for st in steps if not (st.action == "sources" and "依据" in st.instruction)]
    if any(st.action == "gaps" for st in steps):
        # 下步打算就三条是不是太少了 还缺啥: one ask, what is missing
        gapped = {st.section for st in steps if st.action == "gaps"}
        steps = [st for st in steps if not (st.action == "answer" and st.section in gapped)]
    if any(st.action in ("search", "sources") for st in steps):
        # 有没有…范文, 这个比例是问卷里的吗 出处给下: not questions the fact sheet answers
        # but 破获刑事案件多少起？第二部分的数据哪来的: a count asked is a question of its own
        steps = [
            st
            for st in steps
            if st.action != "answer" or _RULE_WORDS.COUNT_OF_ITS_OWN.search(st.query)
        ]
    if any(st.action == "check" for st in steps):
        # 完成率是不是算错了 16除18是多少; 帮我算一下 …平均每起出动几辆: the sum is the check's,
        # not a question of its own
        summed = bool(_RULE_WORDS.SUM_ASKED.match(message))
        # 62%的农户担心收不回来 是问卷里的吗 帮我核对下: where it comes from is the check's
        steps = [
            st
            for st in steps
            if not (
                st.action == "answer"
                and (
                    summed
                    or _RULE_WORDS.ARITHMETIC.search(st.query)
                    or re.fullmatch(r"是[^，。]{1,14}(?:的|里的|中的)吗[？?]?", st.query.strip())
                )
            )
        ]
    if any(st.action == "revise" for st in steps):
        # 游客投诉41件跟整改有什么关系，删了: the question says why it goes, it asks nothing
        steps = [
            st
            for st in steps
            if not (st.action == "answer" and re.search(r"有(?:什么|啥|何)关系", st.query))
        ]
    definite = re.search(r"具体|写清|写明|说清|明确", message)
    if definite and any(st.action == "revise" for st in steps):
        # 写得具体一点 指导意见什么时候出台: what the text should make definite, not a question
        # (第二部分写的啥内容 感觉太空 加上……: a question asked before, answered)
        steps = [
            st
            for st in steps
            if not (
                st.action == "answer"
                and not re.search(r"[？?吗呢]", st.query)
                and message.find(st.query) > definite.start()
            )
        ]
    return steps


def held_against(steps: list[Step], parts: set[str], message: str) -> list[Step]:
    """Parts held against each other (第二部分跟第三部分对得上吗, 对策建议对应问题了吗, 把不足和方向
    对照着检查): one check of the whole report, the question being that check; a search for a
    document the report rests on (这份报告的依据是什么文件 帮我找找) asks back nothing."""
    against = len(parts) >= 2 or bool(_RULE_WORDS.PARTS_AGAINST.search(message))
    checked = any(st.action == "check" for st in steps)
    if checked and against and _RULE_WORDS.HELD_AGAINST.search(message):  # not 跟问卷数据对不上
        steps = merged(
            [
                Step("check", query=st.query) if st.action == "check" else st
                for st in steps
                if st.action != "answer"
            ]
        )
    if any(st.action == "search" for st in steps) and re.search(r"依据|出处", message):
        steps = [st for st in steps if st.action != "ask"]
    return steps


def reasons_dropped(steps: list[Step]) -> list[Step]:
    """「零增长」这个说法是不是太绝对了 改成……: beside a revision, a question about the wording is
    the reason for the change, not a question to answer."""
    if not any(st.action == "revise" for st in steps):
        return steps
    return [
        st
        for st in steps
        if not (
            st.action == "answer"
            and (_RULE_WORDS.WORDING.search(st.query) or cues.RHETORIC.search(st.query))
        )
    ]
