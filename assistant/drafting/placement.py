"""Where each fact of a sheet belongs in a report, and why.

A fact goes, in this order of precedence, to:

1. the section whose template names it (``facts:`` in the template);
2. the section that ``takes`` its role: a text fact about 问题/不足/短板 is a *problem*, one about
   打算/下步/建议 a *plan*, how an inquiry was made (调研、座谈、问卷) a *method*, 廉洁/八项规定 an
   *integrity* fact, feedback counts of an inspection (反馈问题、已完成整改) *feedback*, the
   writer's own post (职务、分管) a *post*, and a “关于……的问题” rectification an *item*;
3. the section whose ``attracts`` words (and, weakly, heading and purpose) its key and note share
   most;
4. the template's ``default`` body section.

The role words are read in the key first (it says what the clerk meant), then the note, then a
text value; a role no section of the template takes is passed over for the next reading. Numbers
are achievements unless their key or note says otherwise: 检视问题63个 is work done, not a
shortcoming, but 剩余积案77件 and 人员缺口38人 are. A year after the report's period names a plan;
a count of the report's own subject (the title's words) is its scope, told in the overview. Every
placement carries its reason, shown in the outline the user may edit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.drafting.evidence import overlap, wanted_facts
from assistant.drafting.templates import FactRole, ReportTemplate, SectionSpec
from assistant.facts.sheet import Fact, FactSheet

# Sections whose text the program writes from the report meta; they carry no facts.
META_KINDS = frozenset({"title", "salutation", "closing"})

_ROLE_WORDS: dict[FactRole, re.Pattern[str]] = {
    # 关于……的问题 / 针对……问题，…… / ……问题整改: the rectification of one named problem.
    # 对……问题，修订…… / ……的问题，已改为……: a problem told with what was done about it.
    "item": re.compile(
        r"^关于.{2,40}问题|^针对.{2,40}问题|问题整改$|^对.{2,40}问题[，,]|.{2,40}的问题[，,]已"
    ),
    "plan": re.compile(
        # 原计划年内完成 tells a plan missed; 提出建议28件 a count of work done
        r"打算|方向|今后|下步|下一步|下阶段|下一年|新的一年|(?<!原)计划|对策"
        r"|建议(?!\d+(?:件|条|项|次|份|个))|改进措施|推进安排|力争"
        # 顺延到明年 / 推迟到明年 tells a delay, not a plan
        r"|(?<!顺延到)(?<!推迟到)(?<!延期到)(?<!延至)(?:明年|来年)"
        r"|长效|^以后|以后怎么|往后|接下来|想怎么|打算怎么|怎么改|防止再犯|防止反弹"
        r"|\d{4}年.{0,4}(?:将|要|重点|打算|思路|计划|目标|安排)"
    ),
    "integrity": re.compile(
        r"廉洁|廉政|八项规定|纪律|个人有关事项|一岗双责|清正|礼金|述廉|作风建设|拒腐"
        r"|回扣|红包|收受|不插手|不参与.{0,10}(?:采购|招标|谈判)|说情|打招呼|过问干预|干预过问"
        r"|宴请|公款|吃喝|公车私用"
    ),
    "method": re.compile(
        r"调研|座谈|问卷|走访|访谈|回访|实地|调查|样本|入户|抽样|调阅|查阅|阅卷|^方法$|^方式方法$"
        r"|缘由|^背景$|^(?:调研)?目的$"
    ),
    "feedback": re.compile(
        r"反馈|已完成整改|完成整改|整改完成|整改率|完成率|立行立改|基本完成|问题总数|序时"
        r"|正在推进|持续推进|长期坚持|尚未完成|未完成|整改到位|已整改|阶段性完成|阶段性成效"
        r"|(?:巡察|巡视|督察|督查|审计|检查|反馈)(?:时间|日期)"
        r"|(?:指出|交办|点出)(?:的)?问题|部分完成|^(?:整改)?进度$|整改进度|总体情况$|基本情况$"
    ),
    "post": re.compile(
        r"职务|分管|任职|岗位|主持.{0,4}工作|协管|述职人|^姓名$|^(?:我的|本人)?身份$"
    ),
    # 困难 of people (困难群众, 生活确有困难的) names whom a measure serves, not a shortcoming.
    "problem": re.compile(
        r"问题|不足|短板|差距|薄弱|困难(?!群众|职工|家庭|户|人员|学生|老人|儿童|党员|企业|的)|瓶颈|弱项|难点|欠缺|不够|不强|不高|滞后|不平衡|不充分"
        # 高风险患者, 风险等级: whom or what is sorted by risk, not a shortcoming
        r"|(?<![高中低])风险(?!患者|人员|人群|群体|等级|评估|防控|点|企业|隐患)|隐忧|堵点|痛点|原因|成因|参差不齐|缺乏|偏低|较弱|不健全|不完善|不到位|流动性大"
        r"|没有专职|老化|盲区|满足于"
        # as staff put a shortfall in their own words (老师缺, 谈不拢, 还没定下, 只有4名)
        r"|还没|还不|没人|没纳入|没建|没定|流于形式|两张皮|断档|偏轻|偏少|末位|缺口|推迟"
        r"|不紧|不深|谈不拢|管不住|跟不上|不通畅|还不通|不起来|不下来|只有\d|平均只有"
        r"|没有(?:固定|专门|统一|建立|形成|配备)|没(?:干完|做完|完成|到位|开工|落实|落地|解决)"
        r"|只完成|不赚钱|不挣钱|亏损|不愿|不懂|不会用|不到户|二次收费|乱收费|加收|占线|骚扰"
        r"|成本高|负担重|压力大|只能"
        r"|(?<![减降])(?:难|慢|少|缺|弱|乱|散)$"
    ),
    # A measure to take, said as one (推行…, 建立…): what a 调研报告 proposes, not what was done.
    "measure": re.compile(
        r"^(?:推行|建立|健全|完善|加强|落实|推动|探索|鼓励|支持|引导|实施|强化|优化|构建|打造|设立"
        r"|推进|深化|提升|与.{2,10}合作|将|上线)"
    ),
}
_DONE = re.compile(r"了|已|完成|共计|累计|\d")
# 未发生违规传递物品问题, 没有出现安全事故: a clean record, not a shortcoming.
_NO_INCIDENT = re.compile(r"(?:未|没有|无|杜绝|未再)(?:发生|出现)[^，。；]{0,16}(?:问题|事故|案件)")
# A number that counts what is still undone (剩余积案77件, 人员缺口38人) is a shortcoming.
_UNDONE_NUMBER = re.compile(
    r"剩余|缺口|仍未|尚未|尚无|未化解|未解决|未就业|未达标|低于.{0,8}(?:警戒|标准|要求|目标)线?"
)
# A count of what the unit has or covers (全县登记服务点, 所里管的边境线, 社区里没电梯的老楼): the
# scope the overview states, unless the key says what was done to it.
_SCOPE_PREFIX = re.compile(
    r"^(?:全(?:县|区|市|省|州|盟|旗|镇|乡|街道|所|站|局|院|校|馆|中心|公司|集团|社区|村|行|系统)"
    r"|辖区|关区|所里|所管|管护的|管辖|社区里|村里|现有|共有|在册|在编|在籍|在校"
    r"|(?:日均|平均)?在(?:所|院|园|岗|住|押))"
)
# 在编31名, 负责城区道路保洁: what a count covers
_SCOPE_NOTE = re.compile(r"^(?:辖区|全(?:县|区|市|省|镇|乡|街道)|共有|现有|在编|负责|下辖|管辖)")
# 职工 1746名（其中一线环卫工人1523名): the staff or holdings broken down, not a result's parts
_HOLDING_KEY = re.compile(r"(?:职工|员工|人员|队伍|底数|面积|床位|户数|人口)$")
_DOING = re.compile(
    r"开展|完成|新增|新建|办理|办结|办的|查处|检查|排查|组织|召开|举办|培训|发放|受理|调解|化解"
    r"|整治|投用|装好|建成|下降|提升|增长|发生|开工|实现|帮|救助|接待|引进|招引|签约|争取|提取"
    r"|推动|推进|落实|参加|参与|走访|入户|收集|征集|解决|处理|处置|立案|审结|执行|减少|降低"
    r"|提高|增加|上门|送|累计|今年|全年|本年|抓获|查获|破获|侦破|收治|遣返|培育|招聘|录用"
)
# A text that opens on “部分……” and names a shortcoming is one, whatever plan words it quotes.
_PROBLEM_OPENING = re.compile(r"^(?:部分|个别|少数|一些|有的|仍有|还有|存在)")
# What people said they want or complained of, found by a survey or a visit.
_DEMAND = re.compile(r"^[^，。；]{0,14}(?:反映|希望|期盼|呼声|盼望|诉求)")
_YEAR = re.compile(r"(\d{4})年")
_SOURCE_NOTE = re.compile(r"^(?:根据|据|来自|来源|数据来源|以)")
_PLAN_MET = re.compile(r"完成[^，。]{0,6}(?:计划|目标)|(?:计划|目标)的\d|超计划|超额完成")
# A number is a plan only when its key opens with the future (明年计划新建3所).
_PLAN_NUMBER = re.compile(r"^(?:明年|来年|下步|下一步|下阶段|计划|拟|目标|预计|\d{4}年计划)")
# 辅导员招聘 8名（计划2027年上半年公开招聘）: the note says the number is still to come.
# (计划年底前扩大到160项 tells the target beside a count of now.)
_PLAN_NOTE = re.compile(
    r"^(?:计划|拟|预计|力争|争取)(?:于|在|到)?(?:\d{4}年|明年)(?![^，。]*(?:扩大|提高|增加|达到|提升)到)"
)
# Roles a number can have; the others describe text (a list of shortcomings, of measures).
_NUMBER_ROLES: tuple[FactRole, ...] = ("item", "feedback", "method", "integrity")
# Roles a text value alone can give: its words say what it is only for shortcomings, plans and
# integrity; 岗位练兵 in a value is no post, 未完成事项 in a measure no progress count.
_VALUE_ROLES: tuple[FactRole, ...] = ("plan", "integrity", "problem", "measure")
_ORDER: tuple[FactRole, ...] = (
    "item",
    "plan",
    "integrity",
    "method",
    "feedback",
    "post",
    "problem",
    "measure",
)
_ROLE_NAMES: dict[FactRole, str] = {
    "problem": "问题、不足类",
    "plan": "打算、建议类",
    "method": "调研方法类",
    "integrity": "廉洁自律类",
    "feedback": "反馈和整改进度",
    "post": "本人职务和分工",
    "item": "具体问题的整改",
    "measure": "对策措施类",
}


# A key copied with its numbering from last year's report (1.关于……的问题, （二）细化整改措施,
# 一、总体情况): the number is the old report's layout, the words say what the fact is.
_KEY_MARKER = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、．](?!\d))\s*"
)


def bare(fact: Fact) -> Fact:
    """``fact`` with any numbering its key was copied with taken off."""
    key = _KEY_MARKER.sub("", fact.key)
    return fact.model_copy(update={"key": key}) if key and key != fact.key else fact


def numbered_key(fact: Fact) -> bool:
    """Whether the key is a heading copied with its number (（二）细化整改措施)."""
    return bool(_KEY_MARKER.match(fact.key))


@dataclass(frozen=True)
class Placement:
    section_id: str
    reason: str


def is_number(fact: Fact) -> bool:
    return not isinstance(fact.value, str) or (bool(fact.unit) and fact.number() is not None)


def role_of(fact: Fact, *, skip: frozenset[FactRole] = frozenset()) -> FactRole | None:
    """The role of a fact, read from its key, then its note, then a text value."""
    found = read_role(fact, skip=skip)
    return found[0] if found else None


def read_role(
    fact: Fact,
    *,
    skip: frozenset[FactRole] = frozenset(),
    after_year: int | None = None,
    first_half: bool = False,
) -> tuple[FactRole, str] | None:
    """(role, where it was read: ``key``, ``note`` or ``value``).

    ``skip`` holds roles no section of the template takes, so that the next reading counts
    (调查研究 in a 述职报告 whose text says 调研不够 is a shortcoming, not a method);
    ``after_year`` is the last year of the report's period: a year after it names a plan, as
    下半年 does in a report on the first half (``first_half``).
    """
    fact = bare(fact)
    number = is_number(fact)
    value = "" if number else _NO_INCIDENT.sub("", str(fact.value))

    def ok(role: FactRole) -> bool:
        return role not in skip

    if ok("item") and _ROLE_WORDS["item"].search(value):
        return "item", "value"  # 问题3：关于台账不一致的问题…: the value says what it is
    progress = _ROLE_WORDS["feedback"].search(fact.key)
    if ok("plan") and progress and _ROLE_WORDS["plan"].search(value):
        return "plan", "value"  # 未完成：3个问题计划2026年3月底前整改到位
    if ok("plan") and after_year is not None and _future(fact.key, after_year):
        return "plan", "key"  # 2026年重点, in a report on 2025
    if ok("plan") and first_half and fact.key.startswith("下半年"):
        return "plan", "key"  # 下半年, in a report on 1—6月
    for where, text in (("key", fact.key), ("note", fact.note)):
        found = _read_in(text, where, number=number, ok=ok, key=fact.key)
        if found:
            return found
    if number:
        return None
    if ok("problem") and _PROBLEM_OPENING.search(value) and _ROLE_WORDS["problem"].search(value):
        return "problem", "value"
    if ok("problem") and _DEMAND.search(value) and not re.search(r"已|完成|办结|解决", value):
        return "problem", "value"  # 问卷中68%的企业希望……, 14个村反映……: what is still wanted
    found = _read_in(value, "value", number=False, ok=ok, key=fact.key)
    if found:
        return found
    if ok("plan") and after_year is not None and _future(value[:12], after_year):
        return "plan", "value"  # 2026年完成再认证……
    return None


def _future(text: str, after_year: int) -> bool:
    return any(int(y) > after_year for y in _YEAR.findall(text))


def _read_in(
    text: str, where: str, *, number: bool, ok: Callable[[FactRole], bool], key: str
) -> tuple[FactRole, str] | None:
    if not text:
        return None
    found = _roles_in(text, where, number=number, ok=ok, key=key)
    if where == "key" and len(found) > 1:
        # The head of a compound is its last word: 问卷里不愿献血的原因 is a cause (a finding),
        # not a method, though 问卷 comes first.
        return max(found, key=lambda rw: (rw[2], -found.index(rw)))[:2]
    return found[0][:2] if found else None


def _roles_in(
    text: str, where: str, *, number: bool, ok: Callable[[FactRole], bool], key: str
) -> list[tuple[FactRole, str, int]]:
    """Every role ``text`` names, in the order of precedence, each with where its word ends."""
    out: list[tuple[FactRole, str, int]] = []
    for role in _ORDER:
        if not ok(role):
            continue
        if number and role not in _NUMBER_ROLES:
            if role == "plan" and (
                planned := _PLAN_NUMBER.search(key) if where == "key" else _PLAN_NOTE.search(text)
            ):
                out.append(("plan", where, planned.end()))
            if role == "problem" and (m := _UNDONE_NUMBER.search(text)):
                out.append(("problem", where, m.end()))
            continue
        if where == "value" and role not in _VALUE_ROLES:
            continue
        if where == "note" and (role == "post" or (role == "method" and _SOURCE_NOTE.match(text))):
            continue  # 本人分管领域的改革试点 / 根据有效问卷统计: context of the fact, not its role
        if role == "plan" and where == "value" and _PLAN_MET.search(text):
            continue  # 完成年度计划的103%: a plan met is a result
        if role == "measure" and (where != "value" or _DONE.search(text)):
            continue
        ends = [m.end() for m in _ROLE_WORDS[role].finditer(text)]
        if ends:
            out.append((role, where, ends[-1]))
    return out


def _attraction(fact: Fact, section: SectionSpec, title: str = "") -> float:
    fact = bare(fact)
    if section.kind in ("overview", "opening"):
        # A headline part is drawn by what the key names (整治范围), not by a word of the note
        # (辖区交通事故起数同比下降 is an achievement of the body).
        return _key_attraction(fact, section, title)
    about = f"{fact.key}{fact.note}"
    value = "" if is_number(fact) else str(fact.value)
    score = 0.0
    for word in section.attracts:
        if word in fact.key:
            # The head of a compound is its last word: 整改台账 is a 台账 before it is 整改.
            score += 2.0 + 0.5 * fact.key.endswith(word)
        elif word in fact.note:
            score += 1.5  # the key says what the clerk meant; the note only adds to it
        elif word in value:
            score += 1.0
    described = f"{section.heading}{section.purpose}{section.guidance}"
    return score + 0.5 * overlap(about, described)


def _key_attraction(fact: Fact, section: SectionSpec, title: str = "") -> float:
    fact = bare(fact)
    # The head of a Chinese compound is its last word: 整治范围 is a 范围 before it is 整治.
    score = sum(
        2.0 + fact.key.endswith(word) for word in section.attracts if word in fact.key
    )
    if section.kind == "overview" and section.attracts and (
        _is_subject(fact, title) or is_scope(fact)
    ):
        score += 4.0  # outweighs a topic word the key shares with a body part (就业)
    return score


def is_scope(fact: Fact) -> bool:
    """A count of what the unit has or covers, said by its key (全县登记服务点) or its note
    (关区口岸 5个：辖区一类开放口岸……), with no word of work done to it."""
    if _DOING.search(fact.key) or re.search(r"(?:率|占比|比例|比重)$", fact.key):
        return False  # a rate (公示率) is how well something was done, not what is covered
    if _SCOPE_PREFIX.search(fact.key):
        # 辖区水上交通事故起数 2起（同比减少3起）: a result the key's 辖区 only places
        return not re.search(r"同比|比上年|较上年|减少|下降|增长|增加", fact.note)
    # 辖区交通事故起数同比下降, 全市……总数，年内新建48个: the note tells work done, not scope.
    covered = _SCOPE_NOTE.search(fact.note) or (
        fact.note.startswith("其中") and _HOLDING_KEY.search(fact.key)
    )
    return is_number(fact) and bool(covered) and not (
        _DOING.search(fact.note) or re.search(r"同比|比上年|较上年|新建|升级", fact.note)
    )


def _is_subject(fact: Fact, title: str) -> bool:
    """A count of whom or what the whole report is about: the title's own words (新就业形态劳动者
    2.3万人 in 关于新就业形态劳动者入会和服务工作情况的汇报) say how far the work reaches."""
    return is_number(fact) and len(fact.key) >= 4 and fact.key in title


def _takers(template: ReportTemplate, role: FactRole) -> list[SectionSpec]:
    return [s for s in template.sections if role in s.takes and s.kind not in META_KINDS]


def _candidates(template: ReportTemplate) -> list[SectionSpec]:
    """Sections a fact may be drawn to by its topic: bodies, and overviews that attract."""
    return [
        s
        for s in template.sections
        if s.kind == "body" or (s.kind in ("overview", "opening") and s.attracts)
    ]


def _default(template: ReportTemplate) -> SectionSpec | None:
    bodies = [s for s in template.sections if s.kind == "body"]
    marked = [s for s in template.sections if s.default]
    if marked:
        return marked[0]
    if bodies:
        return bodies[0]
    rest = [s for s in template.sections if s.kind not in META_KINDS]
    return rest[0] if rest else None


def place_facts(template: ReportTemplate, sheet: FactSheet) -> dict[str, Placement]:
    """Every fact key of the sheet → the section it is told in and the reason."""
    placed: dict[str, Placement] = {}
    for s in template.sections:
        if s.kind in META_KINDS:
            continue
        for f in wanted_facts(sheet, s):
            if f.key not in placed:
                placed[f.key] = Placement(s.id, "模板指定本部分使用")
    candidates = _candidates(template)
    fallback = _default(template)
    untaken = frozenset(r for r in _ORDER if not _takers(template, r))
    title = sheet.report.title or ""
    period = sheet.period()
    last_year = period[1].year if period else None
    first_half = bool(period and period[1].month <= 6 and period[0].year == period[1].year)
    for f in sheet.facts:
        if f.key in placed:
            continue
        found = read_role(f, skip=untaken, after_year=last_year, first_half=first_half)
        role = found[0] if found else None
        takers = _takers(template, role) if role else []
        # A role read only in a long value (a 风险 among the measures of a 专班) yields to a
        # section the key itself names (专班 → 组织领导).
        keyed = [s for s in candidates if _key_attraction(f, s, title) >= 2.0]
        if found and found[1] == "value" and keyed:
            takers = []
        if role and takers:
            # Several takers (问题和下步打算 in one section, or apart): the best fit among them.
            best = max(takers, key=lambda s: (_attraction(f, s, title), -takers.index(s)))
            placed[f.key] = Placement(best.id, f"{_ROLE_NAMES[role]}事实归入本部分")
            continue
        scored = [(s, _attraction(f, s, title)) for s in candidates]
        scored = [(s, v) for s, v in scored if v >= 1.0]
        if scored:
            best, _ = max(
                scored, key=lambda sv: (sv[1], sv[0].kind == "body", -candidates.index(sv[0]))
            )
            words = [w for w in best.attracts if w in f"{f.key}{f.note}{f.value}"]
            why = f"与本部分主题相关（{'、'.join(words[:3])}）" if words else "与本部分主题最接近"
            placed[f.key] = Placement(best.id, why)
        elif fallback is not None:
            placed[f.key] = Placement(fallback.id, "工作成效类事实归入主体部分")
    return placed
