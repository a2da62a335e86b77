"""What one clause of a chat message asks for, and where a message is cut into clauses.

The rule planner (:mod:`assistant.chat.rules`) reads a message clause by clause: this module
cuts it (at punctuation and 然后/顺便…, never inside a quotation), reads the homophones staff
type as meant (第三布分, 从写), and reads each clause's asks from the vocabulary in
:mod:`assistant.chat.cues`, in the order they should be done.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.chat import cues
from assistant.chat.figures import content_masked, unquoted, without_figures
from assistant.chat.plan import ReportView
from assistant.chat.sections import Target, pointers_masked, resolve


@dataclass
class Clause:
    text: str
    targets: list[Target] = field(default_factory=list)


def undictated(text: str) -> str:
    """``text`` up to what it dictates after 加上/补充 and a space (下步打算加一条 加强…), or all of
    it: the words that say where, not the new words themselves."""
    dictated = cues.DICTATED.search(text)
    return text[: dictated.end()] if dictated else text


def clauses_of(text: str, view: ReportView) -> list[Clause]:
    """The message cut at its punctuation and connectives — never inside a quotation."""
    masked = unquoted(text)
    cuts = [0]
    for m in cues.SPLIT.finditer(masked):
        cuts += [m.start(), m.end()]
    cuts.append(len(text))
    parts: list[str] = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        part = text[a:b].strip(" ，,、")
        if part and parts and cues.EXAMPLE.match(part):
            parts[-1] += "，" + part  # 比如…/特别是… explains the ask before it
        elif part:
            parts.append(part)
    out: list[Clause] = []
    for part in parts:
        said = without_figures(content_masked(part, quotes=False))
        # 下步打算加一条 加强……思想政治引导: the words before what is dictated say where it goes;
        # only when they name no part do the dictated words (这里加一句 华辰项目……)
        head = undictated(said)
        targets = resolve(head, view) if head != said else []
        targets = targets or resolve(said, view, raw=unquoted(part))
        if out and _LAYER_TITLE.match(said) and _LAYER_BEFORE.search(out[-1].text):
            targets = []  # 抓好安全生产那层……，但是标题改成……: that layer's heading
        if out and cues.DESCRIBED.match(said):
            targets = []  # ……监测点位，那是明年的打算，删掉: what the words are, no part named
        out.append(Clause(part, targets))
    return out


# A clause about 标题 right after one pointing at a layer names that layer's heading.
_LAYER_TITLE = re.compile(
    r"(?:但是?|不过|只是|再|并且|同时)?(?:把|将)?(?:它的|这层的|那层的)?标题"
    r"(?:要|得|可以|最好)?(?:改|换|拟|不贴切|不恰当|不准确|不合适|太)"
)
_LAYER_BEFORE = re.compile(r"[那这]一?层|[那这]一?条|第[一二三四五六七八九十\d]+层")


# 找一篇……的范例: a document sought, whatever words of checking its title holds
_FIND_ONE = re.compile(r"^(?:帮我|请|麻烦|再|给我)?找(?:一|几|两|些)[篇份个](?!.*(?:改|写))")


_COUNTERS = "次个项名家件场期条天年月人户支座所处起辆台套批篇份位轮届宗株头只趟艘架栋间类种"


def actions_of(clause: str, view: ReportView, targeted: bool) -> list[str]:
    """What one clause asks for, in the order it should be done."""
    c = content_masked(clause).replace("什么什么", "某某")  # 关于什么什么的: a placeholder
    head = undictated(c)  # 急救车那条加上 每周由护士长检查一次: the dictated words ask for nothing
    c = head + "□" * (len(c) - len(head))
    c = pointers_masked(c, keep=lambda p: bool(cues.REVISE.search(p) or cues.DRAFT.search(p)))
    if cues.STATUS.search(c) or cues.ITEM_NAMED.match(c) or cues.ALIGNED.match(c):
        return []  # 改得差不多了; 关于公务用车管理不规范的问题: what to add, not an ask
    if cues.MISFIT.search(c):
        return ["revise"]  # 小标题跟内容对不上: the heading rewritten to fit
    if cues.ASKED_RIGHT.search(unquoted(clause)):
        return ["check"]  # 称谓写成“……”对吗: whether the words stand, looked at
    if cues.DOCUMENT_SOUGHT.search(c) or _FIND_ONE.match(c):
        return ["search"]  # 帮我查查国家基本公共卫生服务规范最新版; 找一篇…检查整改报告的范例
    if cues.CHECK_FOR.search(c) and not re.search(r"(?<!整)改|[删换加]|重写|重新", c):
        return ["check"]  # 第一部分有没有套话空话: look, do not rewrite
    if cues.IN_DOC_ASKED.search(c) and not cues.SOURCES.search(c):
        return ["sources"]  # 73%这个比例是问卷里的吗: where the figure comes from
    if cues.SOURCES.search(c) and not re.search(r"政策依据|文件依据", c):
        # 检查船舶1260艘次这个出处: the unit's inspections, not an ask to check
        bare = cues.CHECK_AS_PURPOSE.sub("", cues.WORK_CHECKS.sub("", c))
        return ["sources", "check"] if cues.CHECK.search(bare) else ["sources"]
    if cues.GAPS.search(c):
        return ["gaps"]
    documents = r"文件|通知|规定|政策|意见|办法|方案|条例|细则|规划"
    if cues.FETCH.search(c) or re.search(rf"有没有.{{0,24}}(?:{documents})", c):
        return ["search"]
    counted = (
        not cues.TELL_ABOUT.match(c)
        and cues.COUNT_ASKED.search(c)
        and not cues.IMPERATIVE.search(c)
        and not cues.SEARCH.search(c)
        and not cues.CHECK_WEAK.search(c)
        and not cues.CHECK.search(c)  # 算一下改革前是多少: the figure is checked by the sum
    )
    # 调整优化了多少个机构: what was done, asked (调整 is the unit's work, not an order)
    counted = counted or bool(
        re.search(rf"[了过](?:多少|几[{_COUNTERS}])[^，。把]{{0,8}}[？?]?$", c)
        and not re.search(r"(?<!整)改|写|加|删|补|把|精简|压缩|展开|润色|去掉|换|列出", c)
    )
    looked = re.match(
        r"(?:帮我|请|麻烦|再)?(?:(?:检查|核查|核对|校对)(?:一?下|一遍|看看)"
        r"|看(?:一?下|看)(?=[^，。]{0,8}(?:有没有|是不是|是否)))",
        c,
    )
    asked = re.search(r"有没有|是不是|是否", c)
    change = cues.REVISE.search(c)
    if looked and (not change or (asked and asked.start() < change.start())):
        # 检查下问题部分有没有写成成绩的, 检查一下全文有没有把整改写成已经完成的: a look,
        # whatever it asks about
        return ["check"]
    others = re.search(
        r"(?:别的|别人|人家|其他|其它|兄弟|外地|先进)(?![几两三四]?(?:部分|块|段|层|条|处|地方))", c
    )
    if (cues.WHAT_WRITTEN.search(c) and not (others and cues.SEARCH.search(c))) or counted:
        # (别的医院的整改报告是怎么写的: how others wrote, a search)
        return ["answer"]  # 改革任务分解成了多少项具体举措: 具体 describes, it does not ask
    acts: list[str] = []
    drafting = bool(cues.DRAFT.search(c)) and not re.search(r"写得|(?<![没未])写的(?!话)", c)
    # 是不是用得太多了 / 是不是重复了 asks whether, it does not order a change.
    revising = bool(cues.REVISE.search(re.sub(r"是不是.{0,6}(?:太多|太少|重复)了?", "", c)))
    strong = bool(cues.CHECK.search(cues.CHECK_AS_PURPOSE.sub("", cues.WORK_CHECKS.sub("", c))))
    weak = bool(cues.CHECK_WEAK.search(c))
    sought = cues.SEARCH.search(c)
    added = cues.ADDS.search(c)
    if revising and sought and added and added.end() <= sought.start():
        sought = None  # 再加上严格执行药品耗材采购规定: the rule is the words to add, not sought
    # 查查别的区检察院的汇报是怎么写的: how others wrote, sought (查查 is no proofreading there)
    others_sought = bool(others and not re.search(r"错|校|核|规范|对不对|对得上", c))
    if sought and cues.SEARCH_STRONG.search(c) and (not strong or others_sought) and not drafting:
        return ["search"]
    if strong or (weak and not revising and not drafting):
        acts.append("check")
    # 剩下没写的都补上: the parts not written, filled in
    filled = bool(cues.REST.search(c) and re.search(r"补上|补齐|补全|补完", c))
    written = drafting or filled or re.search(r"初稿|一稿|底稿|都写|全写|从头写|重新写|重写", c)
    if cues.DRAFT_ALL.search(c) and written:
        return ["draft_all"]
    if cues.WHOLE_WEAK.search(c) and (drafting or re.search(r"初稿|一稿|底稿", c)) and not targeted:
        return ["draft_all"]
    if acts and not revising and not drafting:
        return acts
    if sought and not drafting and not (revising and targeted):
        return [*acts, "search"]
    if drafting and cues.REDRAFT.search(c):
        return [*acts, "draft"]
    if revising:
        return [*acts, "revise"]
    if drafting:
        return [*acts, "draft"]
    if cues.ONLY_NAMED.match(c) and targeted:
        return []  # 第三块呢 也帮我写了: the part, the ask follows
    if cues.QUESTION.search(c) and not cues.TELL_ABOUT.match(c):
        return [*acts, "answer"]  # 说说哪些系统没打通 says what to write, it asks nothing
    return acts


def typos_fixed(text: str) -> str:
    """``text`` with the homophones of :data:`cues.TYPOS` read as meant, outside quotations."""
    masked = unquoted(text)
    for wrong, right in cues.TYPOS.items():
        at = masked.find(wrong)
        while at >= 0:
            text = text[:at] + right + text[at + len(wrong) :]
            at = masked.find(wrong, at + len(wrong))
    return text
