"""Proposing facts from one chat message, by rule (no model): 召开常委会议十二次 → 常委会议 12 次.

Every number or percentage found by :func:`find_quantities` becomes a proposal keyed by the noun
phrase that names what is counted: the words just before the number in its clause, stripped of
verbs and fillers (召开/共/累计/达到/为 …), or — when only a verb precedes (开了12次中心组学习) —
the words just after it, with lower confidence. Values are numeric with 万/亿 applied (1.2万人次 →
12000 人次, as :meth:`Fact.number` reads them); 余/多/约/近 mark the note 约数, 超过/逾 mark 超过.
A quoted phrase after 是/为/： (总要求是“学思想、强党性”) becomes a text fact, and so does a fact
told in words (:mod:`assistant.facts.statements`: 我们局今年获评全省先进集体). Dates and years
are not proposed: the reporting period belongs to the report's metadata, not to its facts, and a
date without a subject (时间是2023年9月) names nothing to count.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.facts.proposed import ProposedFact, complete, quantity_parts
from assistant.facts.quantities import Quantity, find_quantities
from assistant.facts.sheet import Fact
from assistant.facts.statements import statements

MAX_KEY = 30
_SEPARATORS = "，,；;。！？!?\n、 \u3000"  # staff type spaces for commas
_QUOTED = re.compile(r"[“\"「『](?P<value>[^”\"」』]{1,200})[”\"」』]")
# Verbs of holding or doing: what follows them is the thing counted (召开|常委会议|十二次).
_VERBS = ("组织开展", "召开了", "举办了", "举行了", "开展了", "组织了", "召开", "举办", "举行",
          "开展", "组织", "开了", "进行了", "进行", "共开")  # fmt: skip
# Longest first so 共计 goes before 共.
_LEAD = sorted(
    "今年以来 以来 今年 全年 本年度 年内 上半年 下半年 其中 共计 累计 总共 一共 共有 共 先后 "
    "已经 已 我们 我单位 另外 此外 同时 目前 现有 记一下 记下 纠正一下 更正一下 "
    # the words of the ask before what is told: 加上家庭医生签约率76.5%, 把……也写进去
    "加上 加进 再加上 再加 补上 补充 写上 写进 也写上 把 将".split(),
    key=len,
    reverse=True,
)
_TRAIL = sorted(
    "达到了 达到 达 为 是 有 共计 合计 总计 累计 共 约为 约 大约 将近 近 超过 逾 超 多达 "
    "高达 现有 数量 压缩至 压缩到 缩短至 缩短到 降至 降到 下降至 下降到 提高到 提高至 提升到 "
    "提升至 增至 增加到".split(),
    key=len,
    reverse=True,
)
# The wording a passage is to be changed to, quoted after the verb.
_NEW_WORDING = re.compile(r"(?:改成|改为|换成|更正为|应为)\s*$")
_OLD_VALUE = re.compile(r"之前给的|原来的|原先的|原来写的|之前写的|以前的")
_APPROX = {"约为", "约", "大约", "将近", "近"}
_OVER = {"超过", "逾", "超", "多达", "高达"}
# Words that merely start or end with a filler: 行为 keeps its 为, 共青团员 its 共.
_KEEP_ENDINGS = ("行为", "作为", "认为", "成为", "所有", "拥有", "具有", "占有", "总数")
_KEEP_STARTS = ("共青", "共产", "共享", "共建", "共同", "共识", "已婚", "把关")
# Where the thing was read, before it (扫描件里的义诊活动): not part of its name.
_WHERE = re.compile(r"^.{1,12}?(?:里的|中的|上的|里面的)(?=.{2,})")


# A figure that says which ones are counted (60岁以上的, 3年以下): a qualifier, not a count.
_QUALIFIER = re.compile(r"^(?:岁)?(?:及)?(?:以上|以下|以内|以外|左右)")
# 其中…的有 141名: a part of the count told before it.
_PART_OF = re.compile(r"^\s*其中(?P<which>[^，,。；;]{0,16}?)(?:的)?(?:有|为|是|占)?\s*$")
# 同比增长, 比上年下降: a change of the figure before it, not a thing counted
_CHANGE_KEY = re.compile(
    r"(?:同比|环比|较上年|比上年|较去年|比去年|较上年同期|比上年同期)?(?:增长|下降|提高|减少|增加|上升|降低)"
)
_NOT_A_KEY = frozenset("还 还有 剩 剩下 剩余 其余 另 另有 又 也 都 就 是 有 共".split())
_SCOPE = re.compile(r"^(?:全县|全市|全区|全镇|全乡|全院|全校|全局|全省|我县|我市|我区|本县|辖区)")


def facts_from_message(text: str, *, message_id: str) -> list[ProposedFact]:
    """Proposed facts of one message, in reading order; [] when it states no count or quote."""
    source = f"chat:{message_id}"
    out: list[tuple[int, ProposedFact]] = []  # (offset, proposal): reading order at the end
    chars = list(text)
    quoted: list[tuple[int, int]] = []
    for m in _QUOTED.finditer(text):
        if _NEW_WORDING.search(text[: m.start()]):
            # 「节约资金1.2亿元」改成「节约资金1.16亿元」: the new wording's figures are told
            chars[m.start()] = chars[m.end() - 1] = "，"
            continue
        start = max(text.rfind(s, 0, m.start()) for s in _SEPARATORS) + 1
        lead = text[start : m.start()].rstrip()
        key = _key_before(_strip_trail(lead)[0])[0]
        if key and lead[-1:] in ("是", "为", "：", ":"):
            value = m.group("value").strip()
            fact = Fact(key=key, value=value, source=source)
            proposal = ProposedFact(fact=fact, origin=text[start : m.end()], confidence=0.8)
            out.append((m.start(), proposal))
            # The quotation is this fact's value: nothing in it is a key for a later number.
            chars[m.start() : m.end()] = "。" * (m.end() - m.start())
        quoted.append((m.start(), m.end()))
    scan = "".join(chars)
    # Numbers inside a quotation belong to a slogan or a name (“两学一做”), not to counts.
    quantities: list[Quantity] = []
    for q in find_quantities(scan):
        if any(a <= q.start < b for a, b in quoted):
            continue
        if quantities and q.start < quantities[-1].end:
            continue  # swallowed by the previous number's 余 + unit (5000余万元)
        quantities.append(complete(q, scan))
    prev_end = 0
    for i, q in enumerate(quantities):
        clause_start = max(prev_end, max(scan.rfind(s, 0, q.start) for s in _SEPARATORS) + 1)
        nxt = quantities[i + 1].start if i + 1 < len(quantities) else len(scan)
        clause_end = min([nxt] + [p for s in _SEPARATORS if (p := scan.find(s, q.end)) >= 0])
        if clause_end == nxt < len(scan) and _QUALIFIER.match(scan[q.end : clause_end]):
            continue  # 其中60岁以上的有141名: the 60岁 says which ones are counted
        prev_end = q.end
        if q.kind not in ("number", "percent"):
            continue  # dates, years, ranges: see the module docstring
        said_before = scan[clause_start : q.start].strip()
        if (
            said_before.startswith("不是")
            or _OLD_VALUE.search(said_before)
            or re.match(r"\s*(?:不对|是错的|有误)", scan[q.end : clause_end])
        ):
            continue  # 不是65%, 之前给的87.3%不对: the value a correction replaces
        value, unit, note = quantity_parts(q)
        before, marker = _strip_trail(scan[clause_start : q.start])
        key, confidence = _key_before(before)
        whole = next((p.fact.key for _, p in reversed(out) if p.fact.unit), "")
        which = _PART_OF.match(scan[clause_start : q.start]) if whole else None
        if which and (what := which.group("which").rstrip("的")):
            # 全县乡村医生共有312名，其中60岁以上的有141名 → 60岁以上乡村医生 141名
            if re.search(r"(?:以上|以下|以内|以外)$", what):
                key, confidence = f"{what}{_SCOPE.sub('', whole)}", 0.7
            else:
                key, confidence = what, 0.8
        if key in _NOT_A_KEY:
            continue  # 还有2个问题要长期坚持: the rest counted, nothing named to count
        if not key:
            key, confidence = _clean_key(scan[q.end : clause_end].lstrip("的")), 0.6
        if not key:
            continue
        if key.endswith("次数") and len(key) > 3:
            key, unit = key[:-2], unit or "次"
        if marker in _APPROX and not note:
            note = f"约数（原文：{marker}{q.text}）"
        elif marker in _OVER:
            note = f"超过（原文：{marker}{q.text}）"
        if len(key) > MAX_KEY:
            key, confidence = key[-MAX_KEY:], 0.4  # a long run-on: keep the words nearest
        elif len(key) == 1:
            confidence = 0.4
        last = out[-1][1] if out else None
        if _CHANGE_KEY.fullmatch(key) and last is not None and last.fact.unit and not note:
            # 预算收入1.28亿元，同比增长4.6%: the change of the figure before, its note
            told = f"{key}{value}{unit}"
            noted = last.fact.model_copy(
                update={"note": "，".join(filter(None, [last.fact.note, told]))}
            )
            out[-1] = (out[-1][0], replace(last, fact=noted, origin=f"{last.origin}，{told}"))
            continue
        fact = Fact(key=key, value=value, unit=unit, note=note, source=source)
        origin = text[clause_start:clause_end].strip()
        out.append((q.start, ProposedFact(fact=fact, origin=origin, confidence=confidence)))
    # Facts told in words (我们局今年获评全省先进集体): text facts, unless the statement holds
    # figures already proposed (全年受理投诉9720件 → 受理投诉 9720 件): they carry it.
    counted = [a for a, p in out if p.fact.unit]
    for st in statements(text):
        if st.whole:  # 明年打算引进亿元以上项目2个，推进……: one text fact, its figures inside it
            out = [(a, p) for a, p in out if not st.start <= a < st.end]
        elif any(st.start <= a < st.end for a in counted):
            continue
        fact = Fact(key=st.key, value=st.value, source=source)
        out.append((st.start, ProposedFact(fact=fact, origin=st.text, confidence=0.6)))
    return _dedupe([p for _, p in sorted(out, key=lambda pair: pair[0])])


def _strip_trail(phrase: str) -> tuple[str, str]:
    """Drop linking words before the number (…有, …达到, …约); return the approx/over one."""
    phrase = phrase.strip(" ：:　")
    marker = ""
    changed = True
    while changed and phrase and not phrase.endswith(_KEEP_ENDINGS):
        changed = False
        for word in _TRAIL:
            if phrase.endswith(word):
                phrase = phrase[: -len(word)].rstrip(" ：:　")
                if word in _APPROX or word in _OVER:
                    marker = word
                changed = True
                break
    return phrase, marker


def _key_before(phrase: str) -> tuple[str, float]:
    """The counted noun before the number: after the last verb when there is one."""
    cut = -1
    for verb in _VERBS:
        pos = phrase.rfind(verb)
        if pos >= 0 and pos + len(verb) > cut:
            cut = pos + len(verb)
    if cut >= 0:
        return _clean_key(phrase[cut:]), 0.85
    return _clean_key(phrase), 0.9


# The place and the ask before what is told, with no comma between (第二部分加上打掉犯罪团伙12个,
# 开头补充参训干部320人): the key is what follows the ask.
_PLACE_ASK = re.compile(
    r"^.*?(?:部分|段|层|条|这里|那里|开头|结尾|里面|部分里|部分中)(?:再|也)?"
    r"(?:加上|加进|加入|补上|补充|写上|写进|添上)(?=.{2,})"
)


def _clean_key(phrase: str) -> str:
    phrase = phrase.strip(" ：:　“”\"'")
    phrase = _PLACE_ASK.sub("", phrase)
    changed = True
    while changed and phrase:
        changed = False
        if phrase.startswith(_KEEP_STARTS):
            break
        for word in _LEAD:
            if phrase.startswith(word):
                # (记一下：全年完成…: the colon after the ask is no part of the key)
                phrase, changed = phrase[len(word) :].lstrip(" ：:，,　"), True
                break
    phrase = _WHERE.sub("", phrase)
    # A few trailing particles after the counted noun: 中心组学习的 / 专题党课等.
    return phrase.rstrip("的等").strip()


def _dedupe(facts: list[ProposedFact]) -> list[ProposedFact]:
    """Keys must be unique on a sheet: a repeated key gets 2, 3 … (the user can rename it)."""
    seen: dict[str, int] = {}
    out: list[ProposedFact] = []
    for p in facts:
        n = seen.get(p.key, 0) + 1
        seen[p.key] = n
        if n > 1:
            fact = p.fact.model_copy(update={"key": f"{p.key}{n}"})
            p = ProposedFact(fact=fact, origin=p.origin, confidence=p.confidence)
        out.append(p)
    return out
