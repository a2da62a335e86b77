"""One fact told as a 公文 clause: its key, note, value and unit, with its citation marker.

A number is told as what it counts plus the figure: a key that opens with a verb reads as
it is (受理投诉举报9720件), a meeting or study is held (召开常委会议9次), a rate or total
reaches its value
(办结率达到98.6%), and a note that describes the same thing more fully stands in for the key
(召开专题研究安全生产的常委会会议9次). A text fact is told as its own words: a list of shortcomings
or measures is split into items for 一是……二是…… layers.
"""

from __future__ import annotations

import re

from assistant.drafting.evidence import overlap
from assistant.drafting.placement import bare, numbered_key
from assistant.facts.sheet import Fact

_VERB_HEAD = re.compile(
    r"^(?:开展|召开|组织|举办|受理|办理|办结|查办|查处|立案|完成|实现|新增|新建|建成|改造|培训|走访|"
    r"检查|抽查|排查|整治|整改|解决|推动|推进|落实|发放|投入|争取|引进|招引|签约|帮扶|救助|服务|接待|"
    r"化解|调解|处置|收集|征集|发现|检视|梳理|制定|修订|出台|建立|健全|清理|追缴|挽回|问责|处理|"
    r"约谈|提醒|谈话|覆盖|惠及|带动|培育|创建|打造|获评|获得|累计|全年|共|参与|参加|录取|招收|"
    r"接诊|收治|开设|开通|上线|回访|督办|督查|巡查|通报|曝光|下达|拨付|安置|吸纳|提供|减免|兑现)"
)
_HELD = re.compile(r"(?:会议|会|座谈会|推进会|调度会|专题会|例会)$")
_ORGANISED = re.compile(r"(?:学习|培训|研讨|活动|讲座|宣讲|党课|读书班|演练|比赛|竞赛|交流|观摩)$")
_REACHES = re.compile(r"(?:率|量|额|值|数|总数|规模|占比|比例|比重|收入|产值|总量|人次|水平|指数)$")
# Rates of what should be low: kept down to a figure, not reaching it.
_HELD_DOWN = re.compile(
    r"(?:死亡率|发病率|发生率|事故率|超标率|不合格率|差错率|投诉率|失业率|逾期率|不良率|流失率|返贫率"
    r"|感染率|复发率|误报率|漏报率|空置率|辍学率|犯罪率|发案率)$"
)
_CHANGE = re.compile(r"(?:增长|增加|提高|提升|下降|降低|减少|上升|增幅|降幅)$")
_SPLIT = re.compile(r"[；;。\n]+")
_CONTINUES = re.compile(
    r"^(?:同比|较上年|比上年|环比|其中|占|全部|均|已|比|增长|下降|提高|完成率|合格率|覆盖率|达到|超过"
    # 听课38节，未达到每学期不少于30节的要求: a shortfall said of the figure
    r"|未达到|未达|低于|高于|不足|仅占|尚未|仍有)"
)
# A note opening on when the figure was counted (全年，…; 前10个月累计): said before it.
_WHEN = re.compile(
    r"^(全年|今年|本年|年内|前\d{1,2}个月|1—\d{1,2}月|上半年|前三季度)(?:累计)?(?:[，,]\s*|$)"
)
# A piece after a comma that carries on its sentence rather than starting a new item.
_CARRIES_ON = re.compile(
    # (基层执法人员不足，平均每所仅5人: the figure is the shortfall's evidence, not a second one)
    r"^(?:短期内|难以|导致|但|而|致使|影响|造成|尚|仍|还|且|并|其中|从而|进而|以致|使|确保|力争"
    r"|平均|人均|仅|只有|占|约"
    r"|一直|始终|依然|至今)"
)


# A figure of how little there is (部分市场监管所仅有3名执法人员): the evidence of the shortfall
# before it, not an item of its own.
_BACKS = re.compile(r"(?:仅有?|只有|不足|不到|最少的?只有)\d")


_DONE_OF = re.compile(
    r"(开展|办理|预报|组织|召开|发布|受理|处理|完成|实施|排查|发现|举办|推荐|募集|发放|培训|报送)的"
)


# A note that only says what a change is measured against (同比, 较上年).
_BASE_ONLY = re.compile(r"同比|环比|较上年|比上年|较去年|比去年|较上年同期|与上年相比")


# A note that is only the verb leading to the figure (压缩至, 提高到): said before it.
_TO_VALUE = re.compile(
    r"(?:压缩|缩短|提高|提升|降|下降|减少|增加|增|上升|控制)(?:至|到|在)|达到|突破|超过"
)
_CHANGE_HEAD = re.compile(r"(?:增速|增幅|增长|降幅|下降)$")


def _value_text(fact: Fact) -> str:
    return f"{fact.value}{fact.unit}"


def _merge_note(note: str, key: str) -> str | None:
    """全年通过12315平台受理 + 受理投诉举报 → 全年通过12315平台受理投诉举报."""
    for n in range(min(len(note), len(key)), 1, -1):
        if key.startswith(note[-n:]):
            return note + key[n:]
    return None


# The question staff wrote as the key (楼栋议事会开了多少场 47场): the figure answers it.
_ASKED = re.compile(r"(?:是|有)?(?:多少|几)[^\s，。的]?$")


# A short note naming who or what is counted (戒毒人员, 项目数): it completes the key.
_WHO = re.compile(
    r"[\u4e00-\u9fff]{0,4}(?:人员|群众|干部|党员|职工|学生|患者|企业|项目|项目数|单位|机构|家庭|农户)"
)


def counted(fact: Fact) -> tuple[str, str]:
    """(what the figure counts, a note left to tell after it)."""
    fact = bare(fact)
    key, note = _ASKED.sub("", fact.key) or fact.key, fact.note.strip().rstrip("。；;，,")
    if not note:
        return key, ""
    merged = _merge_note(note, key)
    if merged:
        return merged, ""
    if _WHO.fullmatch(note) and not _REACHES.search(key):
        return f"{key}{note}", ""  # 日均在所 + 戒毒人员 → 日均在所戒毒人员684名
    if key in note or overlap(key, note) >= 0.5:
        # The note says the same thing more fully; told as the work done, not a relative clause
        # (与干部开展的谈心谈话36人次 → 与干部开展谈心谈话36人次).
        return _DONE_OF.sub(r"\1", note, count=1), ""
    return key, note


def number_clause(fact: Fact, marker: str) -> str:
    what, rest = counted(fact)
    value = _value_text(fact)
    when = _WHEN.match(rest)
    if when and not what.startswith(when.group(1)):
        what, rest = f"{when.group(1)}{what}", rest[when.end() :]
    if _VERB_HEAD.match(what) or _CHANGE.search(what):
        core = f"{what}{value}"
    elif _HELD.search(what):
        core = f"召开{what}{value}"
    elif _ORGANISED.search(what):
        core = f"组织{what}{value}"
    elif _HELD_DOWN.search(what):
        core = f"{what}控制在{value}"  # 婴儿死亡率控制在2.8‰: a rate kept low is not reached
    elif _REACHES.search(what):
        core = f"{what}达到{value}"
    else:
        core = f"{what}{value}"
    if not rest:
        return f"{core}{marker}"
    if _TO_VALUE.fullmatch(rest):  # 企业开办时间 0.5个工作日（压缩至）→ 压缩至0.5个工作日
        return f"{what}{rest}{value}{marker}"
    if _BASE_ONLY.fullmatch(rest):
        change = _CHANGE_HEAD.search(what)
        if change:  # 社零增速 + 同比 → 社零同比增长6.2%
            word = "下降" if change.group(0) in ("降幅", "下降") else "增长"
            return f"{what[: change.start()]}{rest}{word}{value}{marker}"
        return f"{core}（{rest}）{marker}"
    # 同比增长18.4% continues the sentence; 对重点岗位人员 qualifies the figure: in brackets.
    if _CONTINUES.match(rest):
        return f"{core}，{rest}{marker}"
    return f"{core}（{rest}）{marker}"


# A key that names a list (存在问题, 下步打算, 主要措施): its value's commas may part items.
_LIST_KEY = re.compile(
    r"(?:问题|不足|短板|差距|弱项|打算|措施|建议|计划|重点|举措|做法|安排|思路|任务|方向|对策)$"
    r"|^(?:存在|主要|下步|下一步|今后|明年|来年)"
)


def text_items(value: str, key: str = "") -> list[str]:
    """A text fact's items: split at ；。 and, for a short list under a key that names one
    (存在问题), at ，. A key naming one thing (有些楼谈不拢) keeps its sentence whole."""
    parts = [p.strip(" ，,、") for p in _SPLIT.split(value.strip()) if p.strip(" ，,、")]
    if len(parts) == 1 and (not key or _LIST_KEY.search(key)):
        pieces = [p.strip() for p in re.split(r"[，,]", parts[0]) if p.strip()]
        separate = all(len(p) >= 4 for p in pieces) and not any(
            _CARRIES_ON.match(p) or _BACKS.search(p) for p in pieces[1:]
        )
        if 2 <= len(pieces) <= 5 and separate:
            parts = pieces
    return parts


def text_clause(fact: Fact, marker: str) -> str:
    """A text fact that is not a list of items: a principle, a measure, a date."""
    value = str(fact.value).strip().rstrip("。；;")
    if numbered_key(fact):
        # （二）细化整改措施 + its paragraph, copied from last year's report: the paragraph says it
        note = f"（{fact.note.strip()}）" if fact.note.strip() else ""
        return f"{value}{note}{marker}"
    key = fact.key
    note = f"（{fact.note.strip()}）" if fact.note.strip() else ""
    if re.search(r"(?:要求|主题|目标|思路|理念|定位|口号|品牌)$", key) and len(value) <= 30:
        return f"紧扣“{value}”的{key}{note}{marker}"
    # 时间: 1个工作日; a figure the sheet holds as text (10.4‰, 1:1.2): 千人口献血率为10.4‰.
    if re.search(r"(?:时间|日期|时限)$", key) or re.fullmatch(r"\d[\d.,:：/]*\s*\S{0,4}", value):
        return f"{key}为{value}{note}{marker}"
    if re.fullmatch(r"(?:《[^》]{2,60}》[、，,和及]?)+(?:[（(][^）)]{2,30}[）)])?", value):
        # Documents alone: what was done with them, as the key says (新修订的制度 → 修订《…》).
        made = re.search(r"修订|制定|出台|印发|建立|修改|完善", key)
        verb = made.group(0) if made else "建立完善" if re.search(r"制度|办法|规程", key) else ""
        return f"{verb or '认真贯彻落实'}{value}{note}{marker}"
    dated = re.match(r"\d{1,4}(?:年|月|日)", value)  # 9月至10月，组成调研组……: a sentence
    if value[:1].isdigit() and not key[-1:].isdigit() and not dated:  # 2025年 + 3项: one figure
        return f"{key}{value}{note}{marker}"  # 全县民营企业 + 1.12万户，占……: the count of what
    bare = re.match(r"(开展|组织|召开|举办|进行|实施)(?=\d)", value)
    if bare and key not in value and re.fullmatch(r"[\u4e00-\u9fff]{2,10}", key):
        # 安全大检查 + 开展9轮，排查整改隐患63处: the key is what was held
        return f"{bare.group(1)}{key}{value[bare.end():]}{note}{marker}"
    if key in value or overlap(key, value) >= 0.5 or len(value) >= 12:
        return f"{value}{note}{marker}"
    return f"{key}方面，{value}{note}{marker}"


def clause(fact: Fact, marker: str) -> str:
    if isinstance(fact.value, str) and not fact.unit and fact.number() is None:
        return text_clause(fact, marker)
    return number_clause(fact, marker)
