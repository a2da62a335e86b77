"""What a message states, as against what it asks: its quotations and new content masked, and
the figures it tells (检视问题63个), as opposed to those that count the writing (多写两条, 三四条),
point at the draft (那三条) or are asked about (36次是哪来的). The rule planner reads these;
keeping them apart keeps :mod:`assistant.chat.rules` about the steps.
"""

from __future__ import annotations

import re

from assistant.chat import cues
from assistant.chat.plan import ReportView
from assistant.chat.sections import WORDS as SECTION_WORDS
from assistant.facts.quantities import find_quantities


def unquoted(text: str) -> str:
    """``text`` with quotations blanked: a quoted passage points, it does not ask."""
    return SECTION_WORDS.QUOTE.sub(lambda m: "“" + "□" * (len(m.group(0)) - 2) + "”", text)


def content_masked(text: str, *, quotes: bool = True) -> str:
    """``text`` with the new content after 改成/：… blanked, and (``quotes``) quotations too."""
    masked = unquoted(text)
    m = cues.CONTENT.search(masked)  # found outside quotations: a ： inside one is content anyway
    base = masked if quotes else text
    if m is None:
        return base
    keep = m.start() + 2
    return base[:keep] + "□" * (len(text) - keep)


def facts_in(text: str, view: ReportView) -> bool:
    """Whether ``text`` states a figure of the unit's work (12次, 98%), not of the writing."""
    masked = unquoted(text)
    if _CORRECTED.search(masked):
        return True  # 应用率不是78.4是81.6: a figure put right, unit or not
    drafted = " ".join(s.text for s in view.sections)
    for m in _QUOTED_NEW.finditer(text):  # 「节约资金1.2亿元」改成「节约资金1.16亿元」
        new = m.group("new")
        # (a rewording that keeps the text's own figure, 改成“…9个项目…”, tells nothing new)
        # (a quoted addition, 加上“整顿12家”, tells a figure the draft has nowhere with its words;
        # a quoted rewording, 改成“超额完成全年21亿千瓦时的目标”, keeps the draft's own)
        back = 2 if m.group(0).startswith(_ADDS) else 0
        if any(
            q.unit
            and new[max(0, q.start - back) : q.end] not in drafted
            and not _REST.search(new[: q.start])  # 其余2个正在推进: the rest, counted
            for q in find_quantities(new)
        ):
            return True
    quoted = " ".join(m.group(0) for m in SECTION_WORDS.QUOTE.finditer(text))
    ahead = ahead_of(masked, drafted)  # a target year: the draft's same figure is another's
    for q in find_quantities(masked):
        raw = masked[q.start : q.end]
        if (q.kind == "year" and _DATE_OF_POST.match(masked[q.end :])) or (
            q.kind == "date"
            and (
                cues.TELLS.search(masked[: q.start])
                or _DATE_TOLD.search(masked[: q.start])
                or _DATE_OF_POST.match(masked[q.end :])
            )
        ):
            return True  # 调研时间改成4月到6月; 2023年9月任现职
        if masked[q.end : q.end + 1] == "月" and _DATE_TOLD.search(masked[: q.start]):
            return True  # 调研是今年8月做的: a month, told
        score = masked[q.end : q.end + 1] == "分"  # 满意度98.2分
        approx = bool(re.match(r"[余多]\s*[个份件人名次家项条户万亿]", masked[q.end : q.end + 2]))
        if q.kind not in ("number", "percent", "range") or not (
            q.unit or score or approx or raw[-1:] in "万亿"
        ):  # (改成4500余份: the 余 between the figure and its unit)
            continue
        before = masked[max(0, q.start - 3) : q.start]
        if re.search(r"别写|不要写|不写|删掉|去掉|删去", masked[max(0, q.start - 8) : q.start]):
            continue  # 别写平均2.3人了: a figure taken out, not told
        small = q.value <= 10  # 写成1152份 is a figure; 多写两条, 分三点 count the writing
        if q.unit in cues.WRITING_UNITS and small and cues.WRITING.search(before):
            continue
        after = masked[q.end : q.end + 2]
        rest = masked[q.end :]
        shape = rest.startswith(cues.SHAPES) and not _WORK_OBJECT.match(masked[q.end + 2 :])
        shape = shape and not _REST.search(before)  # 还有2个问题是…
        lesson = q.unit == "节" and masked[q.end : q.end + 1] == "课"  # 随堂观察了18节课
        if (q.unit in cues.LAYOUT_UNITS and not lesson) or (q.unit == "个" and shape):
            continue  # 分成四层, 从三个方面写: the shape of the text
        if small and q.unit in ("条", "点", "个") and re.search(r"[那这哪前后]$", before):
            continue  # 那三条, 这3个: parts of the draft pointed at
        if (
            small
            and q.unit in ("条", "点", "段")
            and re.search(r"(?:只有|只写了?|才|仅|一共)$", before)
        ):
            continue  # 打算只有三条: the draft's items counted
        if small and q.unit in ("条", "点") and re.match(r"(?:来|去)?写|要|都|各", after):
            continue  # 三条写细点, 按三条来写
        if (
            small
            and q.unit in ("条", "点", "段", "层")
            and (
                re.match(r"有点|太|偏|多了|少了", after)
                or re.search(r"(?:[并合]成|归为|压成)$", before)
            )
        ):
            continue  # 六条有点多，归并成三条: the draft's items counted and re-shaped
        if (
            small
            and q.unit in ("条", "点", "段", "层")
            and not masked[: q.start].rsplit("，", 1)[-1].strip()
            and re.fullmatch(r"\s*(?:就行|即可|吧)?[。！!]?\s*", masked[q.end :])
        ):
            continue  # 帮我起草一个今后努力方向，三条: how many items to write
        titled = masked[: q.start].count("《") > masked[: q.start].count("》")
        counted = re.match(_TEXT_PARTS, masked[q.end :])
        if small and q.unit in ("条", "点") and not titled and counted:
            continue  # 跟三条不足对应: the draft's own items counted
        if (
            small
            and q.unit in ("条", "点")
            and re.search(r"就行|即可|就够|左右|以内|足够", after + masked[q.end + 2 : q.end + 4])
        ):
            continue  # 三条就行
        if small and q.unit in ("条", "点") and _PARTS_COUNTED.search(masked[: q.start]):
            continue  # 问题三条 打算三条: how many of each to write
        rest_pointed = _REST.search(before) and re.match(
            r"(?:没|未)", masked[q.end :]
        )  # 还有2条没整改完: the rest the draft counts, pointed at
        if small and rest_pointed:
            continue
        if small and re.match(r"(?:没|未)[^，。]{1,8}的(?:要|怎么|如何|得|也)", masked[q.end :]):
            continue  # 还有3个没整改到位的要写清楚怎么办: the rest pointed at, not told
        if small and re.match(r"怎么|如何|分别|各", masked[q.end :]):
            continue  # 没完成的3项怎么推进: things pointed at, not told
        if small and q.unit == "类" and re.search(r"[按分成]$", before):
            continue  # 按四类课程分开写: the shape of the text
        if q.unit in ("字", "页") or re.match(r"第", masked[max(0, q.start - 1) : q.start]):
            continue
        if _rounded_in(raw, drafted):
            continue  # 增长了37% for the draft's 同比增长37.2%: its figure, rounded, pointed at
        # (a short figure counts when the words before it are the draft's too: 节约约9%)
        said = masked[max(0, q.start - 3) : q.end] if len(raw) < 3 else raw
        if len(raw) < 3 and masked[max(0, q.start - 2) : q.end] in drafted:
            said = masked[max(0, q.start - 2) : q.end]  # 把问责2人挪到…: the draft's 问责2人
        if raw in drafted and re.search(r"(?:比如|例如|像是?)[^，。]{0,12}$", masked[: q.start]):
            continue  # 加两个主要数据，比如新增就业316人: the draft's figure, an example
        if (
            said in drafted
            and not ahead
            and len(said) >= 3
            and not (cues.TELLS.search(text) and not _MOVED.search(text))
        ):
            continue  # the user names a figure the draft already has
        named = masked[q.start : q.end + 2]
        if small and not re.search(r"\d", raw) and len(named) >= 4 and named in drafted:
            continue  # 把三张清单展开写: the draft's own words (“三张清单”), no figure told
        if len(raw) >= 2 and raw in quoted and raw in drafted:
            continue  # 「…问题19个」改成协调解决重点难点问题19个: the quoted figure kept as it is
        return True
    return False


def _rounded_in(raw: str, drafted: str) -> bool:
    """Whether a whole figure (37%) is the draft's own figure with its decimals left off."""
    m = re.fullmatch(r"(\d+)(%|[^\d.]{1,3})", raw)
    if m is None:
        return False
    decimals = rf"(?<![\d.]){m.group(1)}\.\d+{re.escape(m.group(2))}"
    return re.search(decimals, drafted) is not None


_PARTS_COUNTED = re.compile(
    r"(?:^|[，,\s])(?:问题|打算|不足|建议|对策|措施|举措|做法|经验|短板|原因|方向|亮点|成效|下步|计划|思路)"
    r"(?:写|列|各|要|就|只)?$"
)


# 把12.6%写进去, 加上总数达到21个 (the draft has it elsewhere): a figure moved, not told anew
_MOVED = re.compile(
    r"写进去|放进去|也写上|也加上|也放|挪到|移到|(?:加上|写上|补上)\s*\S"
    r"|把[^，。？?]{2,30}(?:写上|加上|补上|写进|放进)"  # 把税费收入38.6亿元……写上
)

# 反馈时间是4月15号: a date stated as the value of the unit's own time
_TEXT_PARTS = r"不足|问题|短板|差距|建议|措施|打算|意见|方面|做法|经验"
_DATE_TOLD = re.compile(
    r"(?:时间|日期|日子)(?:是|为|定在|定于)$"
    # 调研是今年8月做的: when the work was done, told to put the text right
    r"|(?:调研|座谈|走访|检查|督导|验收|会议)(?:是|在|于)(?:今年|去年|本年|当年)?$"
)
# 2023年9月任现职 / 到任 / 参加工作: when the writer took up a post, told
_DATE_OF_POST = re.compile(
    r"(?:起)?(?:任现职|任职|到任|上任|调任|履新|任\S{1,8}(?:长|主任|书记)|参加工作|入党|(?:换届)?当选)"
)
_CORRECTED = re.compile(
    r"不是\s*\d[\d.]*%?\s*(?:是|而是|应该是|应为)\s*\d"
    r"|是\s*\d[^，。？?]{0,10}不是\s*\d"  # 任镇长是2023年8月不是9月
)
# The new wording of a passage, quoted after 改成: a figure in it is told.
_ADDS = ("加上", "补上", "写上", "加一句", "补一句", "补充")
_QUOTED_NEW = re.compile(
    rf"(?:改成|改为|换成|更正为|应为|{'|'.join(_ADDS)})\s*[“\"「『](?P<new>[^”\"」』]{{1,80}})[”\"」』]"
)
# The words before a count of the rest (还有2个, 其余4个): the draft's own total, pointed at.
_REST = re.compile(r"(?:还有|剩下|剩余|尚有|仍有|其余|另有)$")
# 3个重点问题, 5个重点项目: things of the unit's work, not 三个重点 of the writing.
_WORK_OBJECT = re.compile(r"问题|项目|任务|工程|企业|领域|行业|村|单位|线索")


def already_drafted(text: str, view: ReportView) -> bool:
    """Whether every figure ``text`` states stands in the draft already (加上 科普基地总数达到21个,
    told in another part): nothing new to propose. A text with no figure is new."""
    drafted = " ".join(s.text for s in view.sections)
    said = [text[q.start : q.end] for q in find_quantities(text) if q.unit]
    return (
        bool(said)
        and not ahead_of(text, drafted)
        and all(len(f) >= 3 and f in drafted for f in said)
    )


def ahead_of(text: str, drafted: str) -> bool:
    """Whether ``text`` names a year after every year the draft names: 2027年完成12家单位节能改造
    is a new target, though the draft's 调剂给12家单位 holds the same figure."""
    years = [int(y) for y in re.findall(r"(?<!\d)(20\d\d)年", drafted)]
    return bool(years) and any(int(y) > max(years) for y in re.findall(r"(?<!\d)(20\d\d)年", text))


def without_figures(text: str) -> str:
    """The clause with each stated figure and the few words before it blanked, so the thing a
    fact counts (检视问题63个) is not taken for the section it names (问题)."""
    out = text
    masked = unquoted(text)
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


def figure_asked(clause: str) -> bool:
    return any(
        q.kind == "date"
        or (q.kind in ("number", "percent", "range") and (q.unit or q.kind == "percent"))
        for q in find_quantities(unquoted(clause))
    )
