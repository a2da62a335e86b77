"""The rule planner: a message, as staff type it, becomes the steps it asks for.

The message is cut into clauses (at punctuation and at 然后/再/顺便…); each clause is read for
what it asks (draft, revise, check, gaps, a question …) and which sections it names; a clause
naming no section is about the one named just before it in the message, else the one the
conversation was last about. Figures stated with a unit (检视问题63个) are proposed as facts
before anything else is done with them. Rules, not a model: the same message always gets the
same steps, offline and as the fallback of the model's tool calls, and a message saying
忽略以上指令… only ever gets the help reply. Text inside quotation marks is the user's pointer to a
passage, never an instruction.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.chat import cues
from assistant.chat.asks import actions_of, clauses_of, typos_fixed, undictated
from assistant.chat.check_scope import checks_scoped, put_right, sources_or_checks
from assistant.chat.figures import already_drafted, content_masked, facts_in, figure_asked, unquoted
from assistant.chat.moves import kept, moved
from assistant.chat.placing import where_told
from assistant.chat.plan import ReportView, Step
from assistant.chat.sections import WORDS as SECTION_WORDS
from assistant.chat.sections import (
    Target,
    by_excerpt,
    by_topic,
    passage_of,
)
from assistant.chat.step_rules import (
    drafts_of_undrafted,
    held_against,
    merged,
    names_part,
    questions_pruned,
    reasons_dropped,
    revision_of_drafted,
    the_rest,
    weak,
)
from assistant.facts.statements import outcome, statements
from assistant.vocab import patterns

WORDS = patterns(__name__)  # the words of rules.toml


_SLIP = re.compile(r"[，,\s]*我(?:之前|刚才|前面|当时)?(?:算|写|记|弄|搞|填|报|打|录)错了[。！!]?")


def plan(message: str, view: ReportView) -> list[Step]:
    """The steps ``message`` asks for, facts first; ``[Step("help")]`` when it asks for none."""
    text = typos_fixed(message.strip())
    confirmed = bool(cues.CONFIRM.match(text))
    if not text or cues.HELP.search(text) or cues.RESTORE_ASKED.search(unquoted(text)):
        return [Step("help")]
    if confirmed:
        text = cues.CONFIRM.sub("", text).strip(" ，,：:")
    if any(st.whole for st in statements(unquoted(text))):
        return [Step("facts")]  # 存在的问题是…, 明年打算…: a part's content told, to confirm
    # 整治完成1126栋 是1162栋 我打错了: the user's own slip put right, a fact, not a wrong draft
    slip = bool(_SLIP.search(text))
    text = _SLIP.sub("", text).strip(" ，,。") or text
    clauses = clauses_of(text, view)
    if (
        cues.POINTER.search(text)
        and not view.last_section
        and not any(c.targets for c in clauses)
        and not cues.WHOLE.search(text)
    ):
        return [Step("ask", instruction=text)]  # 那个数再核一遍: which one?
    # A figure asked about in a message that asks for a check is the figure to check
    # (问卷有效率是不是94.7% 帮我算下对不对).
    checking = bool(cues.DOUBT.search(text)) or any(
        "check" in actions_of(c.text, view, True) for c in clauses
    )
    facts = False
    questioned = False  # a question was asked, even one that turned into an ask-back
    steps: list[Step] = []
    current: list[Target] = []
    pending: list[Target] = []  # sections named in a clause that asked for nothing yet
    held = False  # two parts held against each other (第二部分跟第三部分对不上)
    for i, clause in enumerate(clauses):
        if cues.ALIGNED.match(clause.text):
            continue  # 跟三条不足对上: how the part should read; no part, figure or ask in it
        if i and WORDS.ADD_ONE.search(clauses[i - 1].text) and not cues.REVISE.search(clause.text):
            # 第三部分加一条 统筹发展和安全的能力还有欠缺: what to add, no ask in it, but the
            # figures it tells are facts (加一句 共召开座谈会8场)
            facts = facts_in(clause.text, view) or facts
            continue
        targets = clause.targets
        held_here = len(targets) > 1 and bool(WORDS.HELD_AGAINST.search(clause.text))
        held = held or held_here
        if held_here or (len(targets) > 1 and kept(text) and WORDS.MOVED_TO.search(clause.text)):
            # 下一步打算跟存在的问题没对上: the second part is the yardstick; 第一部分那句放到
            # 第二部分里不合适吧 还是留着: the part it would have gone to is not changed
            targets = targets[:1]
        if re.search(r"下一(?:部分|块|节)", clause.text):
            nxt = view.next_after_last()
            targets = [Target(nxt, "", "next")] if nxt else targets
        acts = actions_of(clause.text, view, bool(targets or current or pending))
        if (
            acts == ["search"]
            and i
            and cues.ADDS.search(clauses[i - 1].text)
            and not WORDS.SEARCH_ASKED.search(clause.text)
        ):
            acts = []  # 补充一下召开动员部署会的情况，局党组书记作动员讲话: what to add
        if (
            checking
            and acts == ["answer"]
            and (figure_asked(clause.text) or re.search(r"算|有没有问题|有问题吗", clause.text))
        ):
            acts = ["check"]
        told = False
        questioned = questioned or bool(set(acts) & {"sources", "answer", "check", "gaps"})
        # A figure in a question or a check is asked about, not told (36次是哪来的).
        # … unless it also says to put the figures in (更新一下受理纠纷1406件 … 你帮我算一下).
        # 监控点位是新增32个，整改措施是46条，这两个数对吗: figures the draft holds, put to a check
        restated = (
            checking
            and not acts
            and bool(targets)
            and all(t.how == "figure" for t in targets)
            and not put_right(clause.text)  # 是68个不是63个: a correction, told
        )
        if not restated and (
            not set(acts) & {"sources", "answer", "check", "gaps", "search"}
            or ("check" in acts and cues.TELLS.search(unquoted(clause.text).replace("是不是", "")))
        ):
            told = facts_in(clause.text, view) or bool(
                i and cues.WRONG.search(clauses[i - 1].text) and re.search(r"是\s*\d", clause.text)
            )  # 调研时间写错了 调研是2026年1至2月做的: the right value, told
            facts = facts or told
        if not targets:  # 汇报完毕谢谢 这句改成…; 把汇报完毕谢谢改成…
            changed = WORDS.CHANGED_WORDS.match(clause.text)
            said = clause.text if not acts else changed.group(1) if changed else ""
            found = by_excerpt(said, view) if said else None
            targets = [found] if found else []
        if (
            targets
            and view.last_section
            and cues.THIS.search(clause.text)
            and all(t.how == "heading" for t in targets)
        ):
            # 这部分补上整改成效: the part in talk, not the one whose heading says 整改
            targets = [Target(view.last_section, "", "this")]
        # (基本情况写上 县里建立了……: named before what is dictated, outright)
        dictating = undictated(unquoted(clause.text)) != unquoted(clause.text)
        if (
            targets
            and not dictating
            and weak(targets, clause.text, view)
            and (told or pending or current)
        ):
            # 明年要建成2个区域医疗次中心: heading words in a told fact, or after a part named
            # outright (师德师风那块 整改措施…), do not move the talk to another part.
            targets = []
        if not acts:
            if targets and not (pending and all(t.how == "figure" for t in targets)):
                # a figure of the part named before points to it already; 第一部分 第二部分 …:
                # parts named one after another wait together for the ask
                listed = all(t.how == "ordinal" for t in [*pending, *targets])
                pending = [*pending, *targets] if pending and listed else targets
            continue
        own_figures = bool(WORDS.NEW_ASK.match(clause.text)) and all(
            t.how == "figure" and t.section not in {c.section for c in current} for t in targets
        )
        if targets and (
            own_figures or not ((current or pending) and all(t.how == "figure" for t in targets))
        ):
            if pending and WORDS.ALL_OF_THEM.search(clause.text):
                targets = [*pending, *targets]  # 第一部分 第二部分 第三部分都帮我润色一下
            elif pending and WORDS.MOVED_TO.search(clause.text) and not kept(text):
                # 雨雪冰冻那条不是问题 放到第三部分: it leaves the part it was pointed in
                joined = {t.section for t in targets}
                targets = [*(t for t in pending if t.section not in joined), *targets]
            current = targets  # 总体情况那段完成率85.7% 36除以42对吗: the figures are that part's
        elif pending:
            current = pending
        pending = []
        for act in acts:
            if act == "draft_all":
                steps.append(Step("draft_all", instruction=text, confirmed=confirmed))
                continue
            if act == "search":
                query = cues.SEARCH_WORDS.sub("", clause.text).strip(" ，,。：:？?的")
                steps.append(Step("search", query=query or clause.text))
                continue
            if act in ("gaps", "check", "answer"):
                # Only a part the user really named: 主题教育的总要求 is no pointer to 一、.
                # A figure to verify is checked where it is written (化解率83.9%对吗).
                verified = act == "check"
                named = [
                    t
                    for t in current
                    if t.section
                    and (names_part(t, clause.text, text, view) or (verified and t.how == "figure"))
                ]
                if not named and (cues.THIS.search(clause.text) or cues.THAT.search(clause.text)):
                    if not view.last_section:  # 这块还差什么, and no part talked about yet
                        steps.append(Step("ask", instruction=text))
                        continue
                    named = [Target(view.last_section, "", "this")]  # 这部分还缺啥
                in_talk = view.last_section
                if (
                    not named
                    and act == "check"
                    and in_talk
                    and (cues.IN_TALK.match(clause.text) or cues.THIS.search(text))
                    and not cues.WHOLE.search(text)
                ):
                    # 这个完成率算得对不对; 这部分太长了…顺便看看有没有错字: the part in talk
                    named = [Target(in_talk, "", "this")]
                if not named and act == "check" and in_talk and cues.IN_TALK.match(clause.text):
                    named = [Target(in_talk, "", "this")]  # 这个完成率算得对不对
                if not named and act == "check" and in_talk and figure_asked(clause.text):
                    named = [Target(in_talk, "", "this")]  # a figure of the part in talk
                if not named and act == "answer" and not current and WORDS.ABOUT_TEXT.search(text):
                    found = by_topic(text, view)
                    named = [found] if found else []
                if act == "answer" and len({t.section for t in named}) > 1:
                    named = []  # 第三部分跟第四部分各写了些啥: one answer about both
                if cues.WHOLE.search(clause.text) or (held and verified):
                    named = []  # 第二部分跟第三部分对不上 帮我看看: the parts against each other
                if not named:
                    steps.append(Step(act, query=clause.text))  # type: ignore[arg-type]
                for t in named:
                    steps.append(Step(act, t.section, query=clause.text))  # type: ignore[arg-type]
                continue
            if not current and act == "sources" and not cues.THIS.search(clause.text):
                # 明厨亮灶这个数据是从哪来的: the part whose text holds it, not the one in talk
                found = by_topic(text, view)
                if found is not None:
                    current = [found]
            polish = (
                act == "revise"
                and (not current or (i > 0 and not clause.targets))  # 起草完…以后，再把全文润色
                and cues.WHOLE.search(clause.text)
                and "draft_all" not in acts
                and not any(st.action == "draft_all" for st in steps)
            )  # 全文再润色一遍: every part of running text, not the part in talk
            where = current or ([Target(view.last_section)] if view.last_section else [])
            if polish:
                where = [Target(s.id, "", "whole") for s in view.sections if s.prose]
            if not where and act in ("revise", "sources") and not cues.THAT.search(clause.text):
                found = where_told(text, view, act == "revise")  # 追回违规基金应该是1920万元 改下
                where = [found] if found else []
            if not where and act == "draft" and cues.REST.search(text):
                steps.append(Step("draft_all", instruction=text))  # 其他部分还没写，一起写了吧
                continue
            if not where and act == "revise" and statements(unquoted(text)):
                # 加上 今年还获评全省……先进县: news for the one body part a 工作总结 has
                bodies = [s.id for s in view.sections if s.kind == "body" and s.drafted]
                where = [Target(bodies[0], "", "only")] if len(bodies) == 1 else []
            if not where or all(t.section is None for t in where):
                steps.append(Step("ask", instruction=text))
                continue
            for t in where:
                # (not a passage of what is dictated)
                shown = passage_of(undictated(unquoted(clause.text))) if act == "revise" else ""
                passage = t.passage or shown
                steps.append(
                    Step(
                        act,  # type: ignore[arg-type]
                        t.section,
                        instruction=text,
                        passage=passage if act == "revise" else "",
                        confirmed=confirmed,
                    )
                )
    corrected = (
        bool(cues.CORRECTION.search(text))
        and facts
        and not cues.REVISE.search(content_masked(text))
        # (标题里的年份不对 应该是2025年: the text is said to be wrong, so it changes too)
        and not (cues.WRONG.search(text) and any(t.how == "kind" for t in pending))
    )
    # (a quoted passage set right, 那条“批评教育”太轻了 实际是诫勉谈话1人: its text changes too)
    quoted = any(t.how == "quote" for t in pending)
    if (
        pending
        and not steps
        and not all(t.how == "figure" for t in pending)
        and (quoted or not corrected)
    ):
        # Only a section was named (第二部分，今年又新增了两项): revise it if drafted, else draft.
        for t in pending:
            sec = view.section(t.section)
            act, said = ("revise", t.passage) if sec is not None and sec.drafted else ("draft", "")
            steps.append(Step(act, t.section, instruction=text, passage=said, confirmed=confirmed))  # type: ignore[arg-type]
    steps = questions_pruned(steps, text)
    steps = checks_scoped(steps, clauses, text)
    parts = {t.section for c in clauses for t in c.targets if t.section}
    steps = reasons_dropped(held_against(steps, parts, text))
    if any(st.action == "check" and not st.section for st in steps) and WORDS.IN_REPORT.search(
        text
    ):
        # 述职报告里“本人”用得太多了 帮我看看: the report-wide look is the ask, no part to pick
        steps = [st for st in steps if st.action != "ask"]
    steps = sources_or_checks(steps, text)
    if SECTION_WORDS.TITLE_KEPT.search(text):  # ……都改成“我中心”，除了标题
        steps = [st for st in steps if not (st.action == "revise" and st.section == "title")]
    steps = [revision_of_drafted(st, view) for st in steps]
    if WORDS.IF_NOT_WRITTEN.search(text) and any(
        st.action in ("draft", "draft_all") for st in steps
    ):
        # 第三部分写了吗？没写的话帮我写一下: the question only sets the condition of the ask
        steps = [st for st in steps if st.action != "answer"]
    changing = any(st.action in ("draft", "revise", "draft_all") for st in steps)
    searching = any(st.action == "search" for st in steps)
    steps = [
        st
        for st in steps
        if st.action != "check"
        or not (
            (changing and not cues.CHECK_ASKED.search(st.query))  # a reason for the change
            or (
                searching and cues.CHECK_PURPOSE.search(st.query)
            )  # 我要核对下提法: why it is sought
        )
    ]
    if cues.RECORD.search(text):  # 记一下：… tells facts; nothing in it is an ask
        facts = True
        pointed = (
            bool(cues.THIS.search(text))
            or any(
                t.how not in ("figure", "heading", "")
                and not (t.how == "quote" and WORDS.HONOUR_QUOTED.search(c.text))
                for c in clauses
                for t in c.targets
            )
            or bool(WORDS.ALSO_IN_TEXT.search(text))
        )  # 记下 …… 这段顺便精简一下 / 正文也改成6个 still ask for the change
        dropped = ("answer", "ask", "help") + (() if pointed else ("revise", "draft"))
        steps = [st for st in steps if st.action not in dropped]
    steps = merged(drafts_of_undrafted(steps, view))
    steps = [done for st in steps for done in the_rest(st, view, text)]
    steps = moved(steps, text, view)
    if (
        not facts
        and (
            # (预计明年3月底前全部完成: a date promised is told; 明年完成……全覆盖 is only content)
            any(
                (not WORDS.AHEAD.match(st.text) or re.search(r"\d", st.text))
                and not already_drafted(st.text, view)
                for st in statements(unquoted(text))
            )
            or any(WORDS.VALUE_GIVEN.match(c.text) for c in clauses[1:])
        )
        and any(st.action in ("revise", "draft", "draft_all") for st in steps)
    ):
        facts = True  # 开头加一句，我们局今年获评全省先进集体: told in words, to be confirmed
    asking = questioned or any(st.action in ("sources", "check", "answer", "gaps") for st in steps)
    set_right = (
        not slip
        and cues.WRONG.search(text)
        and (cues.CORRECTION.search(text) or re.search(r"错了[^？?吗]*是", text))
    )  # 航道里程写错了 应该是92公里; 时间写错了 调研是2026年1至2月
    if facts and asking and not cues.TELLS.search(unquoted(text)) and not set_right:
        facts = False  # 110千伏变电站2座 出处给我看下: the figure is what the question is about
    if facts and set_right:  # the text is to be put right, not only checked
        steps = merged(
            [
                replace(st, action="revise") if st.action == "check" and st.section else st
                for st in steps
            ]
        )
    if not facts and any(cues.REMEMBER.match(c.text) for c in clauses):
        facts = True  # 全文起草，记住今年辖区没有发生一般以上水上交通事故
    if facts and (re.search(r"我记得.*不是|不是.*我记得", text) or slip):
        # 我记得是3月15日反馈的 不是12日: a correction from memory, told, not a doubt to check
        steps = [st for st in steps if st.action != "check"]
    if facts:
        steps.insert(0, Step("facts"))
    if any(st.action in ("revise", "draft") and st.section for st in steps):
        # 太长了，第一部分砍一半: the part named after the complaint is the one meant
        steps = [st for st in steps if st.action != "ask"]
    thin = [st for st in steps if st.action == "revise" and st.section]
    undirected = [
        st
        for st in steps
        if st.action == "gaps" and st.section in (None, *(t.section for t in thin))
    ]
    ordered = WORDS.ORDERED.search(cues.GAPS.sub("", text))  # 哪些地方要补 asks, it orders nothing
    if undirected and len(thin) == 1 and cues.THIN.search(text) and not ordered:
        # 基本情况写得有点少，还缺哪些方面的情况？: the complaint is why the gaps are asked
        steps = [replace(undirected[0], section=thin[0].section)]
    if all(st.action in ("help", "ask", "answer") for st in steps) and cues.FETCH.search(text):
        steps = [Step("search", query=text)]  # 我之前上传过一份…台账 帮我找出来
    if not steps and any(outcome(s) for s in statements(unquoted(text))):
        return [Step("facts")]  # 对了，我们区今年被评为……: told, with nothing asked
    if not steps:
        return [Step("help")]
    return steps
