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
from dataclasses import dataclass, field, replace

from assistant.chat.plan import ReportView, Step
from assistant.chat.sections import (
    _QUOTE,
    MARKER_WORDS,
    Target,
    by_excerpt,
    passage_of,
    resolve,
)
from assistant.facts.quantities import find_quantities
from assistant.facts.statements import statements

_HELP = re.compile(
    r"^(?:你好|您好|hi|hello|在吗|在不在|谢谢|多谢|辛苦|好的|收到|ok)[啊呀了！!。~～]*$"
    r"|^(?:写得|这样|这版|这稿)?(?:不错|很好|挺好|可以|行|好|没问题|满意)[了的啊呀吧]*[，,！!。]?(?:谢谢|多谢|辛苦了)?[！!。]*$"
    r"|你是谁|你能(?:做|干)(?:什么|啥)|能帮我做(?:什么|啥)|怎么用|怎么使用|使用说明|帮助|功能有哪些"
    r"|(?:忽略|无视|忘掉|忘记|不要管|跳过)(?:你的|以上|之前|前面|上面|所有)?.{0,6}(?:指令|提示|规则|设定|要求|限制)"
    r"|system ?prompt|系统提示|提示词|扮演|角色设定|越狱"
    r"|(?:别人|其他人|其他用户|所有人|别的用户)的报告|所有报告|全部报告|密码|管理员权限|数据库|导出所有"
    r"|(?:那份|那篇|他们的|别的单位的|其他单位的).{0,10}(?:报告|总结|汇报|材料).{0,6}(?:发|给|传)我"
    r"|(?:写|来)一?首|祝福语|生日快乐|什么模型|哪家公司|谁开发|谁做的你|你是谁做的"
    r"|(?:写|起草|拟|来)一?[篇份个].{0,12}(?:心得体会|心得|讲话稿|发言稿|演讲稿|通知|请示|简报|新闻稿|论文|方案|对照检查材料)",
    re.IGNORECASE,
)
_DRAFT_ALL = re.compile(
    r"整篇|全篇|通篇|整份|整个(?:报告|汇报|材料|总结|稿子|文稿|文章)|全部(?:内容|部分|章节)?(?:都|一起)?"
    r"|所有(?:部分|章节|内容)|各个?部分|每个?部分|每一部分|一整篇|从头到尾|全稿|全文"
    r"|剩下的?(?:部分|几个?部分|几块|内容)?|其余(?:的)?部分|其他(?:的)?部分|其它(?:的)?部分|都写|全写"
    r"|整个写|整体写|从头写|从.{1,6}到.{1,6}都要|起草全文|写全文|全文起草|完整的?.{0,4}(?:报告|总结|汇报|材料|初稿|稿)|一篇.{0,6}(?:报告|总结|汇报)"
)
# Forms that mean the whole report only when the message names no section (第三块出个初稿).
_WHOLE_WEAK = re.compile(
    r"(?:一|个|份)(?:完整的?)?(?:初稿|一稿|稿子|底稿)|剩下|其余|其他部分|其它部分"
)
_DRAFT = re.compile(
    r"起草|撰写|拟写|拟稿|拟一?[个份篇段]|写一?下|写出来?|写个|写一?[段篇份稿版遍]|生成|出一?稿|出个|出一?版"
    r"|帮我写|给我写|写吧|写写|来一?段|重新写|重写|重新起草|重新生成|重来|再写一?[遍版稿]|动笔|开写|写好"
    r"|^写(?![完好得的])|写(?:开头|结尾|标题|称谓|第)|写了$|补写|重新弄|重弄|再来一版|再来一遍|拟"
)
_REDRAFT = re.compile(
    r"重写|重新写|重新起草|重新生成|重来|推倒|另起|再写一?[遍版稿]|重新弄|重弄|重新拟|再来一版|再来一遍"
)
_REVISE = re.compile(
    r"简洁|精简|压缩|缩短|精炼|凝练|提炼|扩写|展开|丰富|充实|丰满|扩充|扩展|延伸|补充|补上|补进|增加|增补"
    r"|加上|加进|加入|加一?[段条点句些个]|再加|添|写进|放进|融进|体现|删去|删除|删掉|删了|去掉|拿掉|砍掉"
    r"|改成|改为|改得|改一?改|改一?下|改改|改动|修改|修一?下|润色|调整|调一?调|顺一?顺|理一?理|捋一?捋"
    r"|正式|口语|语气|措辞|文字|换个?说法|换一?种|换成|替换|突出|强调|提升|拔高|生动|有力|通顺|流畅"
    r"|太虚|虚了|空洞|太空|空泛|不实|具体|详细|细化|写细|写实|写透|多写|少写|再写|写得|写的太|写的有点"
    r"|太长|太短|长了|短了|啰嗦|啰唆|冗长|重复|拆成|合并|分成|分为|条理|层次|逻辑|接地气|官腔|平实"
    r"|不够|一点儿?$|一些$|些$|(?<!百分)点$|控制在|压到|字数|篇幅|两条|几条|一条|(?<![这那])一段|一点"
    r"|写浅|浅了|深挖|挖深|跟着改|一起改|也改|同步改|相应调整|相应修改|分开写|单独写"
    r"|补点|补一些|补些|再补|加点|加些|加到|放到|写到|写明|写上|写清|注明|标明|点明|改过来|改回来|更正|纠正"
    r"|压一?压|压一下|压短|后面加|前面加|里面加|中间加|加(?=$|一句|句)"
    r"|别写(?!错)|不要写(?!错)|不写|太套|套话|拆出|单独|删了|删去|不要了|去了(?=$|吧|就行)|挪到|移到|提前|放前面|放后面|单列|列一层"
)
_CHECK = re.compile(
    r"错别字|错字|别字|白字|校对|校核|核对|核查|核实|检查|查查|查一查|把关|审一?下|审核|审校|过一?遍|看一?遍"
    r"|核一?下|对一?下|对一对|核一核|写错|错了|有误|对不上|前后不一|不一致|前后矛盾|语病|病句"
    r"|校一?下|挑.{0,2}错|找找错|通读|用词不当|不当之处|纠错|算[的得]?对|算错|算得?准|除以.{0,8}对"
)
# Weaker signs of a check: they may be what a revision is about (再加一个不规范的问题).
_CHECK_WEAK = re.compile(
    r"提法|规范|不妥|表述.{0,4}(?:对|准确|问题|妥)|标点|格式|用词.{0,3}(?:对|准|妥)"
    r"|数字.{0,6}(?:对不对|准不准|有没有错|核|一致|对得上)|对不对|对得上|有没有错|有无错|有错|敏感"
    r"|政治.{0,3}(?:问题|错误)|符合.{0,6}(?:要求|规范|格式)|挑挑毛病|毛病|硬伤|是不是太高|是不是太低|准不准"
    r"|是不是.{0,6}太多|对吗"
)
_SEARCH_STRONG = re.compile(
    r"范文|例文|样文|参考|模板|政策|文件|规定|兄弟单位|别的单位|其他单位|怎么写的"
)
_GAPS = re.compile(
    r"哪.{0,4}空着|空着吗|还有.{0,4}空着|要我提供|需要我提供|要我补充|需要我补充|全了吗|齐全吗|齐全不|没写完|够不够|还缺|缺哪|缺什么|缺啥|缺少|缺了|欠缺|还差|还需要(?:补充)?(?:哪些|什么|啥)|要补(?:充)?(?:哪些|什么|啥)"
    r"|需要补(?:充)?(?:哪些|什么|啥)|待补充|哪些.{0,8}(?:没写|没有写|空着|没填|没数据|没有数据|缺)"
    r"|还有哪些.{0,6}(?:没|要|需)|完整吗|齐不齐|齐了吗|全不全|漏了|遗漏|还要准备|还需要提供|还要提供|还要哪些"
    r"|补点(?:啥|什么)|补些(?:啥|什么)|还要补|写清楚没|写清楚了吗|写到了吗"
    r"|哪块.{0,8}缺|缺数据|缺数"
)
_SOURCES = re.compile(
    r"怎么算的|怎么算出来|谁给的|谁提供的|哪儿来|从哪儿|出处|来源|哪里来|哪来|从哪|根据什么|怎么来的|有依据吗|依据(?:是什么|在哪|哪|是啥)|哪份材料|引用了|引自|出自"
    r"|(?:数字|数据|这个数|这些数).{0,6}(?:依据|根据)"
)
_SEARCH = re.compile(
    r"范文|例文|样文|样稿|参考|模板|素材|类似|同类|别人怎么写|别的单位|兄弟单位|其他单位|政策依据|文件依据"
    r"|上级文件|政策文件|相关文件|相关政策|文件精神|有关规定|规定|讲话|搜索|搜一?下|检索|查找|找(?:几|一|两|些)?[篇份个些]"
    r"|找找|查一?下.{0,12}(?:文件|政策|范文|材料|规定|写法|报告|总结|提法|表述|要求)"
    r"|有没有.{0,10}(?:范文|文件|材料|例子|写法|报告|总结)|怎么写的"
    r"|^(?:请|帮我|麻烦|给我)?(?:查一?下|搜一?下|搜索|检索|找一?下|查找)"
)
_QUESTION = re.compile(
    r"[?？]|几[次个项名家件场期条天年月人户支座所处起辆台套批篇份位]|多少|哪些|哪几|哪个|哪一|什么时候|什么|是否|是不是|有没有|有无"
    r"|吗$|呢$|么$|谁|怎么样|如何|多大|多长|说了啥|写了啥|讲了啥"
)
# Words that tell the tool something to keep or use, as against asking about what is written.
_TELLS = re.compile(
    r"加上|加进|加入|加一?[句条段点]|补上|补充|补一?[句条段点]|写进|放进|写上|改成|改为|换成|更正|改过来"
    r"|写清|写明|说清楚|记一?下|记下|记上|记住|不是\d|不是[一二三四五六七八九十两]|应该是|应为|实际是"
    r"|新增|另外还"
)
_CONFIRM = re.compile(r"^(?:我)?(?:确认|确定)(?:要)?")
_SPLIT = re.compile(r"[。；;！!？?\n，,]+|\s+|(?<=[^，,\s])(?=然后|顺便|另外|接着|同时再)")
# What follows 改成/换成/：… is the new content, not an ask: 标题改成…工作思路 names no part.
_CONTENT = re.compile(r"(?:改成|改为|换成|写成|改叫|叫做|替换为|[：:]).*$")
# Units that count the writing, not the unit's work: 多写两条, 压缩到800字, 分三点写.
_WRITING = re.compile(
    r"(?:写|加|补|多|再|分|列|提|写成|分成|列成|压到|写到|缩到|控制在|分为|写出)[^，。]{0,2}$"
)
_WRITING_UNITS = ("条", "段", "点", "层", "句", "篇", "份", "版", "遍", "页", "个")
_SHAPES = ("方面", "问题", "部分", "层次", "要点", "重点", "小标题")  # 跟三个问题一一对应
_LAYOUT_UNITS = ("层", "段", "句", "方面", "部分", "块", "节", "字")
_SECTION_ACTIONS = ("draft", "revise", "sources")


@dataclass
class _Clause:
    text: str
    targets: list[Target] = field(default_factory=list)


def _masked(text: str) -> str:
    """``text`` with quotations blanked: a quoted passage points, it does not ask."""
    return _QUOTE.sub(lambda m: "“" + "□" * (len(m.group(0)) - 2) + "”", text)


def _content_masked(text: str, *, quotes: bool = True) -> str:
    """``text`` with the new content after 改成/：… blanked, and (``quotes``) quotations too."""
    masked = _masked(text)
    m = _CONTENT.search(masked)  # found outside quotations: a ： inside one is content anyway
    base = masked if quotes else text
    if m is None:
        return base
    keep = m.start() + 2
    return base[:keep] + "□" * (len(text) - keep)


def _facts_in(text: str, view: ReportView) -> bool:
    """Whether ``text`` states a figure of the unit's work (12次, 98%), not of the writing."""
    masked = _masked(text)
    drafted = " ".join(s.text for s in view.sections)
    for q in find_quantities(masked):
        raw = masked[q.start : q.end]
        score = masked[q.end : q.end + 1] == "分"  # 满意度98.2分
        if q.kind not in ("number", "percent", "range") or not (
            q.unit or score or raw[-1:] in "万亿"
        ):
            continue
        before = masked[max(0, q.start - 3) : q.start]
        small = q.value <= 10  # 写成1152份 is a figure; 多写两条, 分三点 count the writing
        if q.unit in _WRITING_UNITS and small and _WRITING.search(before):
            continue
        after = masked[q.end : q.end + 2]
        if q.unit in _LAYOUT_UNITS or (q.unit == "个" and after.startswith(_SHAPES)):
            continue  # 分成四层, 从三个方面写: the shape of the text
        if small and q.unit in ("条", "点", "个") and re.search(r"[那这哪前后]$", before):
            continue  # 那三条, 这3个: parts of the draft pointed at
        if small and q.unit in ("条", "点") and re.match(r"写|要|都|各", after):
            continue  # 三条写细点
        if (
            small
            and q.unit in ("条", "点")
            and re.search(r"就行|即可|就够|左右|以内|足够", after + masked[q.end + 2 : q.end + 4])
        ):
            continue  # 三条就行
        if q.unit in ("字", "页") or re.match(r"第", masked[max(0, q.start - 1) : q.start]):
            continue
        if raw in drafted and len(raw) >= 3 and not _TELLS.search(text):
            continue  # the user names a figure the draft already has
        return True
    return False


def _without_figures(text: str) -> str:
    """The clause with each stated figure and the few words before it blanked, so the thing a
    fact counts (检视问题63个) is not taken for the section it names (问题)."""
    out = text
    masked = _masked(text)
    for q in find_quantities(masked):
        ordinal = masked[q.start - 1 : q.start] == "第"
        writing = masked[q.end : q.end + 1] in ("字", "页")  # 控制在300字: no figure to find
        if q.value <= 10 and q.unit in ("条", "点", "层", "段", "句"):
            continue  # 下步打算三条写细点: counts the writing; the words before name the part
        if q.kind in ("number", "percent", "range") and (q.unit or writing) and not ordinal:
            start = max(0, q.start - 4)
            while start < q.start and masked[start] == "□":
                start += 1  # a quotation keeps its words
            out = out[:start] + "□" * (q.end - start) + out[q.end :]
    return out


def _clauses(text: str, view: ReportView) -> list[_Clause]:
    """The message cut at its punctuation and connectives — never inside a quotation."""
    masked = _masked(text)
    cuts = [0]
    for m in _SPLIT.finditer(masked):
        cuts += [m.start(), m.end()]
    cuts.append(len(text))
    parts: list[str] = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        part = text[a:b].strip(" ，,、")
        if part and parts and _EXAMPLE.match(part):
            parts[-1] += "，" + part  # 比如…/特别是… explains the ask before it
        elif part:
            parts.append(part)
    out = []
    for part in parts:
        said = _without_figures(_content_masked(part, quotes=False))
        out.append(_Clause(part, resolve(said, view, raw=_masked(part))))
    return out


_EXAMPLE = re.compile(
    r"比如|例如|譬如|特别是|尤其是?|像是?|包括|主要是|按照?|照着|参照|依照|分成|分为"
)


# 督导检查, 执法检查, 检查组: the unit's work, not an ask to proofread.
_WORK_CHECKS = re.compile(
    r"(?:督导|监督|安全|执法|联合|专项|抽查|日常|质量|明查暗访|巡查)检查|检查(?:组|工作|次数|\d)"
    r"|核查(?:组|工作)|督查"
)
# Something the user uploaded, asked to be brought up: a search of the report's uploads.
_FETCH = re.compile(
    r"(?:上传|传上来|发过)(?:的|过).{0,24}(?:找出来|调出来|拿出来|找一?下|调一?下|打开|翻出来)"
    r"|找一?下.{0,24}(?:要点|文件|方案|通知|意见|办法|规划|讲话|台账|原文)"
)
_WHAT_WRITTEN = re.compile(
    r"写了(?:哪|什么|啥|几|多少)|写的(?:是|哪|什么|啥|多少)|写了没|写没写|有没有写(?!错)|写进去没|讲了(?:哪|什么|啥)"
    r"|分别是(?:啥|什么|哪)|咋写的|怎么写的"
)
_COUNT_ASKED = re.compile(
    r"多少|几[次个项名家件场期条天年月人户支座所处起辆台套批篇份位]|哪两|哪几|哪些"
)
_IMPERATIVE = re.compile(
    r"改(?!革|制)|写|加|删|补|精简|压缩|展开|润色|调整|去掉|换|重新|起草|拆|合并|突出|强调|列出|查|核|检查"
)
# Check words that ask for a check, not a complaint (打算跟问题对不上 重写一下).
_CHECK_PURPOSE = re.compile(r"^(?:我要|我想|好|便于|用来|以便)|^(?:帮我)?查查$|^(?:帮我)?查一?下$")
_CHECK_ASKED = re.compile(
    r"查|核|检查|校|错别字|错字|病句|语病|写错|对吗|对不对|算[的得]?对|有没有错|规范不|不规范|看看|看一?下"
)


def _actions(clause: str, view: ReportView, targeted: bool) -> list[str]:
    """What one clause asks for, in the order it should be done."""
    c = _content_masked(clause)
    if _SOURCES.search(c) and not re.search(r"政策依据|文件依据", c):
        return ["sources", "check"] if _CHECK.search(c) else ["sources"]
    if _GAPS.search(c):
        return ["gaps"]
    if _FETCH.search(c) or re.search(r"有没有.{0,24}(?:文件|通知|规定|政策)", c):
        return ["search"]
    counted = (
        _COUNT_ASKED.search(c)
        and not _IMPERATIVE.search(c)
        and not _SEARCH.search(c)
        and not _CHECK_WEAK.search(c)
    )
    if _WHAT_WRITTEN.search(c) or counted:
        return ["answer"]  # 改革任务分解成了多少项具体举措: 具体 describes, it does not ask
    acts: list[str] = []
    drafting = bool(_DRAFT.search(c)) and not re.search(r"写得|写的(?!话)", c)
    revising = bool(_REVISE.search(c))
    strong = bool(_CHECK.search(_WORK_CHECKS.sub("", c)))
    weak = bool(_CHECK_WEAK.search(c))
    if _SEARCH.search(c) and _SEARCH_STRONG.search(c) and not strong and not drafting:
        return ["search"]
    if strong or (weak and not revising and not drafting):
        acts.append("check")
    if _DRAFT_ALL.search(c) and (drafting or re.search(r"初稿|一稿|底稿|都写|全写", c)):
        return ["draft_all"]
    if _WHOLE_WEAK.search(c) and (drafting or re.search(r"初稿|一稿|底稿", c)) and not targeted:
        return ["draft_all"]
    if acts and not revising and not drafting:
        return acts
    if _SEARCH.search(c) and not drafting and not (revising and targeted):
        return [*acts, "search"]
    if drafting and _REDRAFT.search(c):
        return [*acts, "draft"]
    if revising:
        return [*acts, "revise"]
    if drafting:
        return [*acts, "draft"]
    if _QUESTION.search(c):
        return [*acts, "answer"]
    return acts


def _next_undrafted(view: ReportView) -> str | None:
    after = False
    for s in view.sections:
        if s.id == view.last_section:
            after = True
        elif after and s.kind not in ("title", "salutation"):
            return s.id
    return None


def plan(message: str, view: ReportView) -> list[Step]:
    """The steps ``message`` asks for, facts first; ``[Step("help")]`` when it asks for none."""
    text = message.strip()
    confirmed = bool(_CONFIRM.match(text))
    if not text or _HELP.search(text):
        return [Step("help")]
    if confirmed:
        text = _CONFIRM.sub("", text).strip(" ，,：:")
    clauses = _clauses(text, view)
    facts = False
    steps: list[Step] = []
    current: list[Target] = []
    pending: list[Target] = []  # sections named in a clause that asked for nothing yet
    for clause in clauses:
        targets = clause.targets
        if re.search(r"下一(?:部分|块|节)", clause.text):
            nxt = _next_undrafted(view)
            targets = [Target(nxt, "", "next")] if nxt else targets
        acts = _actions(clause.text, view, bool(targets or current or pending))
        told = False
        # A figure in a question or a check is asked about, not told (36次是哪来的).
        if not set(acts) & {"sources", "answer", "check", "gaps", "search"}:
            told = _facts_in(clause.text, view)
            facts = facts or told
        if not targets and not acts:
            found = by_excerpt(clause.text, view)  # 汇报完毕谢谢 这句改成…
            targets = [found] if found else []
        if targets and _weak(targets, clause.text, view) and (told or pending or current):
            # 明年要建成2个区域医疗次中心: heading words in a told fact, or after a part named
            # outright (师德师风那块 整改措施…), do not move the talk to another part.
            targets = []
        if not acts:
            if targets and not (pending and all(t.how == "figure" for t in targets)):
                pending = targets  # a figure of the part named before points to it already
            continue
        if targets and not ((current or pending) and all(t.how == "figure" for t in targets)):
            current = targets  # 总体情况那段完成率85.7% 36除以42对吗: the figures are that part's
        elif pending:
            current = pending
        pending = []
        for act in acts:
            if act == "draft_all":
                steps.append(Step("draft_all", instruction=text, confirmed=confirmed))
                continue
            if act == "search":
                query = _SEARCH_WORDS.sub("", clause.text).strip(" ，,。：:？?的")
                steps.append(Step("search", query=query or clause.text))
                continue
            if act in ("gaps", "check", "answer"):
                # Only a part the user really named: 主题教育的总要求 is no pointer to 一、.
                named = [t for t in current if t.section and _named(t, clause.text, text, view)]
                if not named and view.last_section and _THIS.search(clause.text):
                    named = [Target(view.last_section, "", "this")]  # 这部分还缺啥
                if _WHOLE.search(clause.text):
                    named = []
                if not named:
                    steps.append(Step(act, query=clause.text))  # type: ignore[arg-type]
                for t in named:
                    steps.append(Step(act, t.section, query=clause.text))  # type: ignore[arg-type]
                continue
            where = current or ([Target(view.last_section)] if view.last_section else [])
            if not where or all(t.section is None for t in where):
                steps.append(Step("ask", instruction=text))
                continue
            for t in where:
                passage = t.passage or (passage_of(_masked(clause.text)) if act == "revise" else "")
                steps.append(
                    Step(
                        act,  # type: ignore[arg-type]
                        t.section,
                        instruction=text,
                        passage=passage if act == "revise" else "",
                        confirmed=confirmed,
                    )
                )
    if pending and not steps and not all(t.how == "figure" for t in pending):
        # Only a section was named (第二部分，今年又新增了两项): revise it if drafted, else draft.
        for t in pending:
            sec = view.section(t.section)
            act = "revise" if sec is not None and sec.drafted else "draft"
            steps.append(Step(act, t.section, instruction=text, confirmed=confirmed))  # type: ignore[arg-type]
    if any(st.action in ("search", "sources") for st in steps):
        # 有没有…范文, 这个比例是问卷里的吗 出处给下: not questions the fact sheet answers
        steps = [st for st in steps if st.action != "answer"]
    if not _WHOLE.search(text):  # 第一部分数字对一下 …是不是写错了: one check of that part
        for act in ("check", "gaps", "answer"):
            if any(st.action == act and st.section for st in steps):
                steps = [st for st in steps if not (st.action == act and st.section is None)]
    steps = [_revision_of_drafted(st, view) for st in steps]
    changing = any(st.action in ("draft", "revise", "draft_all") for st in steps)
    searching = any(st.action == "search" for st in steps)
    steps = [
        st
        for st in steps
        if st.action != "check"
        or not (
            (changing and not _CHECK_ASKED.search(st.query))  # a reason for the change
            or (searching and _CHECK_PURPOSE.search(st.query))  # 我要核对下提法: why it is sought
        )
    ]
    if _RECORD.search(text):  # 记一下：… tells facts; nothing in it is an ask
        facts = True
        steps = [st for st in steps if st.action not in ("answer", "ask", "help")]
    steps = _merged(_drafts_of_undrafted(steps, view))
    if (
        not facts
        and statements(_masked(text))
        and any(st.action in ("revise", "draft", "draft_all") for st in steps)
    ):
        facts = True  # 开头加一句，我们局今年获评全省先进集体: told in words, to be confirmed
    asking = any(st.action in ("sources", "check", "answer", "gaps") for st in steps)
    if facts and asking and not _TELLS.search(_masked(text)):
        facts = False  # 110千伏变电站2座 出处给我看下: the figure is what the question is about
    if facts:
        steps.insert(0, Step("facts"))
    if all(st.action in ("help", "ask", "answer") for st in steps) and _FETCH.search(text):
        steps = [Step("search", query=text)]  # 我之前上传过一份…台账 帮我找出来
    if not steps:
        return [Step("help")]
    return steps


_SEARCH_WORDS = re.compile(
    r"帮我|请|麻烦|给我|搜索|搜一?下|检索|查找|查一?下|找一?下|找找|找(?:几|一|两|些)?[篇份个]|有没有|一下"
)


_WHOLE = re.compile(r"全文|全篇|整篇|通篇|整份|整个报告|所有部分|各部分")
_THIS = re.compile(r"这(?:一)?(?:部分|块|段|节|里|边)|本部分|这个部分")
_RECORD = re.compile(
    r"^(?:帮我|请|麻烦)?(?:记一?下|记下|记上|记住|备注一?下|纪录一?下|记录一?下|纠正一?下|更正一?下)"
    r"|(?:记一?下|记下|记住)$"
)
_WEAK_DRAFT = re.compile(r"写写|写一?下|写上|写进|写清|写明")


def _weak(targets: list[Target], clause: str, view: ReportView) -> bool:
    """Targets found only by some words of a heading, the clause saying nothing of a part."""
    if MARKER_WORDS.search(clause):
        return False
    for t in targets:
        sec = view.section(t.section)
        if t.how != "heading" or (sec is not None and sec.heading and sec.heading in clause):
            return False
    return True


def _revision_of_drafted(step: Step, view: ReportView) -> Step:
    """写写群众反映的变化 on a drafted part adds to it: a revision, not a fresh draft."""
    sec = view.section(step.section)
    if step.action != "draft" or sec is None or not sec.drafted:
        return step
    said = step.instruction
    if _REDRAFT.search(said) or not _WEAK_DRAFT.search(said) or re.search(r"起草|初稿", said):
        return step
    return replace(step, action="revise")


def _named(target: Target, clause: str, message: str, view: ReportView) -> bool:
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
    if section is not None and section.heading and section.heading in clause:
        return True  # 基本情况写了哪几方面: the whole heading is a name
    if re.search(r"(?:写|讲)了(?:哪|什么|啥)", clause):
        return True  # 第一部分写了哪几层意思
    return bool(MARKER_WORDS.search(clause) or MARKER_WORDS.search(message))


def _merged(steps: list[Step]) -> list[Step]:
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


def _drafts_of_undrafted(steps: list[Step], view: ReportView) -> list[Step]:
    """A revision of a section that has no text yet is its first draft."""
    out = []
    for s in steps:
        sec = view.section(s.section)
        if s.action == "revise" and sec is not None and not sec.drafted and view.sections:
            out.append(replace(s, action="draft", passage=""))
        else:
            out.append(s)
    return out
