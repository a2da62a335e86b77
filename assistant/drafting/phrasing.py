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
from assistant.drafting.fact_shape import bare, numbered_key
from assistant.facts.numbers import readable
from assistant.facts.sheet import Fact, is_measure
from assistant.vocab import patterns

WORDS = patterns(__name__)  # the words of phrasing.toml


def _value_text(fact: Fact) -> str:
    return readable(fact.value, fact.unit)  # 1.28亿元 as told, not the 128000000元 kept


def _merge_note(note: str, key: str) -> str | None:
    """全年通过12315平台受理 + 受理投诉举报 → 全年通过12315平台受理投诉举报."""
    *before, last = note.split("，")
    if re.match(r"未|没有|无|不", last) or any(re.search(r"\d", c) for c in before):
        # 事故起数 + 同比下降36.4%，……，未发生较大及以上事故: what did not happen, after
        # figures of their own, is told after the count, not run into it
        return None
    for n in range(min(len(note), len(key)), 1, -1):
        if key.startswith(note[-n:]):
            rest = key[n:]
            # 已完成整改 + 整改完成: the note says it all, not 已完成整改完成
            return note if len(rest) >= 2 and rest in note else note + rest
    return None


# A clause ending so names the measure its figure gives (……的人数 + 186人).
_COUNT_NOUN = re.compile(r"(?:人数|数量|总数|户数|次数|个数|件数|比例|比重|率|总量|规模)$")

# A value that opens with the work done needs no 方面 before it.
_DOING = (
    r"(?:硬化|新建|新修|改建|改造|修建|建成|建设|完成|开展|组织|举办|实施|推行|建立|落实|开通|引进|"
    r"培训|调解|化解|发放|拆除|整治|新增|流转|帮助|走访|慰问|召开|制定|出台|修订|印发|上线|打造|"
    r"查处|查办|受理|办理|办结|接待|处置|培养|引进|认定|评选|编纂|出版|接收|提供|签订|淘汰|下架)"
)
# 分片区召开代表座谈会 says its verb: no second 召开 before it.
_HELD_ALREADY = re.compile(r"召开|组织|开展|举办|举行")
_DATE = re.compile(r"\d{1,4}(?:年|月|日|号)")


def counted(fact: Fact) -> tuple[str, str]:
    """(what the figure counts, a note left to tell after it)."""
    fact = bare(fact)
    # A note is told inside one sentence: its ； become ，(征兵任务28名（区里下达的任务数，…）).
    note = fact.note.strip().rstrip("。；;，,").replace("；", "，").replace(";", "，")
    key = WORDS.ASKED_FIRST.sub("", WORDS.ASKED.sub("", fact.key)) or fact.key
    if not note:
        return key, ""
    merged = _merge_note(note, key)
    if merged:
        return merged, ""
    if WORDS.WHO.fullmatch(note) and not WORDS.REACHES.search(key):
        return f"{key}{note}", ""  # 日均在所 + 戒毒人员 → 日均在所戒毒人员684名
    if (key in note or overlap(key, note) >= 0.5) and not note.startswith("其中"):
        # The note says the same thing more fully; told as the work done, not a relative clause
        # (与干部开展的谈心谈话36人次 → 与干部开展谈心谈话36人次). The figure follows the
        # clause that names what it counts: the last (落实“三个叫应”，直达……防汛责任人 + 1.6万人次)
        # or the first, the rest told after it (整改后周边居民异味投诉 + 2件，上年同期为19件, not
        # ……上年同期为19件2件). A clause with a figure of its own (完成率100%) names another thing.
        clauses = note.split("，")  # (its ； are ， by now)
        if len(clauses) > 1 and not _COUNT_NOUN.search(clauses[-1]):
            # (…青年中，至11月底仍未实现稳定就业的人数 + 186人: the last clause is the measure)
            fit = [1.0 if key in c else overlap(key, c) for c in clauses]
            best = max(range(len(clauses)), key=lambda i: (fit[i], i == 0))
            if fit[best] < 0.5 or re.search(r"\d", clauses[best]):
                return key, note
            if re.match(r"未|没有|无|不", clauses[best]) or any(
                re.search(r"\d", c) for c in clauses[:best]
            ):
                return key, note  # (as in _merge_note: told after the count)
            if best == 0:
                head = clauses[0]
                return WORDS.DONE_OF.sub(r"\1", head, count=1), note[len(head) + 1 :].strip()
            if best < len(clauses) - 1:
                return key, note
        elif re.search(r"\d", _DATE.sub("", note)) and not _COUNT_NOUN.search(note):
            return key, note  # 城市书房 + 8个, note 全市城市书房总数达到23个: not 23个8个
        return WORDS.DONE_OF.sub(r"\1", note, count=1), ""
    return key, note


# 移送公安（起） + 2: the unit typed into the key, told after the figure (移送公安2起)
_UNIT_IN_KEY = re.compile(r"[（(]([^（）()]{1,4})[）)]$")


def number_clause(fact: Fact, marker: str) -> str:
    unit = _UNIT_IN_KEY.search(fact.key)
    if unit and fact.unit in ("", unit.group(1)) and is_measure(unit.group(1)):
        fact = fact.model_copy(update={"key": fact.key[: unit.start()], "unit": unit.group(1)})
    what, rest = counted(fact)
    value = _value_text(fact)
    when = WORDS.WHEN.match(rest)
    if when and not what.startswith(when.group(1)):
        what, rest = f"{when.group(1)}{what}", rest[when.end() :]
    if WORDS.VERB_HEAD.match(what) or WORDS.CHANGE.search(what):
        core = f"{what}{value}"
    elif (
        WORDS.HELD.search(what)
        and not _HELD_ALREADY.search(what)
        and fact.unit in ("", "次", "场", "期", "场次", "轮", "届")  # 省运会 + 37枚: not held
    ):
        core = f"召开{what}{value}"
    elif WORDS.ORGANISED.search(what) and not _HELD_ALREADY.search(what):
        core = f"组织{what}{value}"
    elif WORDS.HELD_DOWN.search(what):
        core = f"{what}控制在{value}"  # 婴儿死亡率控制在2.8‰: a rate kept low is not reached
    elif WORDS.REACHES.search(what):
        core = f"{what}达到{value}"
    else:
        core = f"{what}{value}"
    if not rest:
        return f"{core}{marker}"
    if WORDS.TO_VALUE.fullmatch(rest):  # 企业开办时间 0.5个工作日（压缩至）→ 压缩至0.5个工作日
        return f"{what}{rest}{value}{marker}"
    if fact.unit in ("%", "个百分点") and re.fullmatch(
        r"(?:同比|较上年|比上年|较去年|比去年|环比)(?:下降|减少|降低|增长|提高|上升|增加)", rest
    ):  # 人均综合能耗 3.8%（同比下降）→ 人均综合能耗同比下降3.8%: the note is the change
        return f"{what}{rest}{value}{marker}"
    if WORDS.BASE_ONLY.fullmatch(rest):
        change = WORDS.CHANGE_HEAD.search(what)
        if change:  # 社零增速 + 同比 → 社零同比增长6.2%
            word = "下降" if change.group(0) in ("降幅", "下降") else "增长"
            return f"{what[: change.start()]}{rest}{word}{value}{marker}"
        return f"{core}（{rest}）{marker}"
    # 同比增长18.4% continues the sentence; 对重点岗位人员 qualifies the figure: in brackets.
    if WORDS.CONTINUES.match(rest):
        return f"{core}，{rest}{marker}"
    if WORDS.DONE_BY_NOTE.search(rest) and not WORDS.VERB_HEAD.match(what):
        # 充电桩 48个, note 在机关院内新建 → 在机关院内新建充电桩48个
        return f"{rest}{what}{value}{marker}"
    return f"{core}（{rest}）{marker}"


def text_items(value: str, key: str = "") -> list[str]:
    """A text fact's items: split at ；。 and, for a short list under a key that names one
    (存在问题), at ，. A key naming one thing (有些楼谈不拢) keeps its sentence whole."""
    parts = [p.strip(" ，,、") for p in WORDS.SPLIT.split(value.strip()) if p.strip(" ，,、")]
    if len(parts) == 1 and (not key or WORDS.LIST_KEY.search(key)):
        pieces = [p.strip() for p in re.split(r"[，,]", parts[0]) if p.strip()]
        separate = all(len(p) >= 4 for p in pieces) and not any(
            WORDS.CARRIES_ON.match(p) or WORDS.BACKS.search(p) for p in pieces[1:]
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
    if re.search(r"咋|怎么|怎样|如何|啥|为什么|哪些", key):
        return f"{value}{note}{marker}"  # 咋调研的 + 3—5月组成4个调研小组……: the answer alone
    if re.search(r"(?:要求|主题|目标|思路|理念|定位|口号|品牌)$", key) and len(value) <= 30:
        if not re.search(r"[“”\"，,]", value):
            return f"紧扣“{value}”的{key}{note}{marker}"
        if re.match(r"围绕|坚持|按照|紧扣|突出|聚焦|立足|以", value):
            # 围绕“干净、整洁、有序”，先清后改: a sentence of its own, not a slogan to quote
            return f"{value}{note}{marker}"
    # 时间: 1个工作日; a figure the sheet holds as text (10.4‰, 1:1.2): 千人口献血率为10.4‰.
    if (re.search(r"(?:时间|日期|时限)$", key) and key not in value) or re.fullmatch(
        r"\d[\d.,:：/]*\s*\S{0,4}", value
    ):  # (通关时间 + 进口整体通关时间压缩至28小时: the value names it itself)
        # (验放时间 + 由原来的45分钟压缩到18分钟: the change says itself, no 为 before it)
        link = "" if re.match(r"由|从|较|比", value) else "为"
        return f"{key}{link}{value}{note}{marker}"
    if re.fullmatch(r"(?:《[^》]{2,60}》[、，,和及]?)+(?:[（(][^）)]{2,30}[）)])?", value):
        # Documents alone: what was done with them, as the key says (新修订的制度 → 修订《…》).
        made = re.search(r"修订|制定|出台|印发|建立|修改|完善", key)
        verb = made.group(0) if made else "建立完善" if re.search(r"制度|办法|规程", key) else ""
        return f"{verb or '认真贯彻落实'}{value}{note}{marker}"
    # 9月至10月，组成调研组……, 2025—2026年列入……: a sentence
    dated = re.match(r"\d{1,4}(?:[—－~至-]\d{1,4})?(?:年|月|日)", value)
    # (经营面积 + 3个国有林场经营面积28.6万亩: the value names it itself)
    if re.match(r"\d[^，。；]{0,12}的占", value) and key not in value:
        return f"{key}方面，{value}{note}{marker}"  # 低龄化 + 14至16周岁的占31%: a share, no count
    named = overlap(key, value) >= 0.5  # 村级收入 + 30个村2025年村级总收入1.86亿元
    if value[:1].isdigit() and not key[-1:].isdigit() and not dated and key not in value:
        if WORDS.COUNT_NAMED.match(value) or named:
            # 智能化 + 7个粮库实现……: the value has its own subject; a long key (人防工程没验收就用)
            # is a sentence of its own, not a 方面; 完成情况, 成效 only frame the value
            frame = re.search(r"(?:情况|进度|概况|成效|成果|效果|亮点|结果)$", key)
            lead = f"{key}方面，" if len(key) <= 5 and not frame else ""
            return f"{lead}{value}{note}{marker}"
        return f"{key}{value}{note}{marker}"  # 全县民营企业 + 1.12万户，占……: the count of what
    bare = re.match(r"(开展|组织|召开|举办|进行|实施)(?=\d)", value)
    if bare and key not in value and re.fullmatch(r"[\u4e00-\u9fff]{2,10}", key):
        # 安全大检查 + 开展9轮，排查整改隐患63处: the key is what was held
        return f"{bare.group(1)}{key}{value[bare.end() :]}{note}{marker}"
    head, verb = key[:-2], key[-2:]
    how = re.match(r"按[月季年周时期]|逐[月季年项]|每[月季年周]|全面|定期|足额|及时|集中", value)
    if how and len(head) >= 2 and head not in value and value[how.end() :].startswith(verb):
        # 党费收缴 + 按月收缴，全年未发现少交漏交: what is 收缴 said before how
        return f"{head}{value}{note}{marker}"
    if key in value or overlap(key, value) >= 0.5 or len(value) >= 12:
        return f"{value}{note}{marker}"
    if re.match(_DOING, value):
        return f"{value}{note}{marker}"  # 修路 + 硬化通组路4.6公里: the value says the work
    if re.match(r"(?:同比|环比|较上年|比上年|较去年|比去年|下降|上升|增长|提高|减少|增加)", value):
        return f"{key}{value}{note}{marker}"  # 刑事警情 + 同比下降21.6%: the change of the key
    return f"{key}方面，{value}{note}{marker}"


def clause(fact: Fact, marker: str) -> str:
    if isinstance(fact.value, str) and not fact.unit and fact.number() is None:
        return marked_parts(text_clause(fact, marker), marker)
    return number_clause(fact, marker)


def marked_parts(text: str, marker: str) -> str:
    """Each ；-part of a clause that states a figure carries the marker: the checker reads a
    part as a sentence, and a figure there with no marker after it has no source."""
    if not marker or "；" not in text:
        return text
    parts = text.split("；")
    for i, part in enumerate(parts[:-1]):
        if re.search(r"\d", part) and not part.endswith(marker) and _closed(part):
            parts[i] = part + marker
    return "；".join(parts)


def _closed(text: str) -> bool:
    # Not inside brackets or quotes: a marker there would split them.
    return text.count("（") == text.count("）") and text.count("“") == text.count("”")
