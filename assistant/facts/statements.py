"""Facts told in words, not figures: 我们局今年获评全省市场监管系统先进集体, 我是2023年3月到任的.

Staff add what happened in the words they would say it, after the ask (开头加一句，…) or
after 记一下. A statement is a clause that begins with the unit or the speaker (我们/我局/本人/
今年/这次 …) or follows 记一下, tells rather than asks (no question, wish or writing word),
and runs on through the clauses after it until the next ask. Each becomes a text fact for the
user to confirm: "X是Y" gives key X and value Y; otherwise the statement is the value and its
first words the key. Rules, not a model, so the chat's planner and the fact proposer agree on
what was told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CLAUSES = re.compile(r"[^，,。；;！!？?\n\s]+")  # staff type spaces for commas
_RECORD = re.compile(r"^\s*(?:帮我|请|麻烦)?(?:记一?下|记下|记上|记住|备注一?下)[：:，,\s]*")
# Who or when a statement starts with; 我是/我们是 may stand inside an ask (开头说清楚我是…).
_LEAD = re.compile(
    r"^(?:(?:另外|此外|对了|还有|补充一下)[，,\s]*)?(?:我们|我局|我院|我校|我镇|我委|我办|我部|我厅|我中心|我公司|公司|本人|本单位|我单位|我|今年|全年"
    r"|村里|镇里|局里|院里|校里|所里|本村|本镇|全村"
    r"|这次|此次|去年|年内|截至|目前|全局|全镇|全县|全区|全市|全院|全校|预计|明年"
    # 调研其实9月中旬就开始了: what really happened, told to set the record right
    r"|[^，,]{0,6}其实(?!不|没|也)"
    # 约谈的是城北粮库和马桥粮库的负责人: who or what the work was about, told
    r"|[^，,\s的]{2,6}的(?:是|有)(?=[^，,\s]{4,})"
    r")"
)
# An ask to put something in; the words after it (or the clause beside it) are what is told.
_ADD = re.compile(r"(?:加上|补上|写上|补充上?|加一句|补一句|写明|注明|加进去|补进去|写进去)[：:]?")
_ADD_ALONE = re.compile(
    r"(?:帮我|麻烦|请)?(?:补进去|加进去|写进去|加上|补上|写上|加上去|放进去)(?:吧|一下)?"
)
_PUT = re.compile(
    r"把(?P<what>[^，,。]{6,40}?)(?:写进|加进|补进|放进|融进|加到|写到|补到|放到|加入|写入)"
)
# 这个写进第一部分 / 把这条加上: the clause before it is what is told.
_PUT_THIS = re.compile(
    r"^(?:把)?(?:这个|这条|这句|这些|这事)(?:也)?(?:写进|加进|放进|补进|加到|写到|加上|补上)"
)
_ADD_END = re.compile(r"(?:加上|补上|写上|加一句|补一句|写进去|补进去|加进去)$")
# How a told fact reads: an outcome, a first, a 是-statement — not the wording of a request.
_TOLD = re.compile(
    r"(?:是|了|获评|荣获|首次|制定|建成|完成|实现|成立|出台|印发|获得|评为|达到|评上|获批|入选)"
    r"(?!.*(?:的例子|的感谢|的内容|的情况|的表述|的说法|意见|的话)$)(?!.*(?:时段|报告期))"
)
_INNER_LEAD = re.compile(r"(?:我是|我们是|我于|我们于|本人于|本人是|本人自)")
# Words of an ask, a question, a wish or an opinion: such a clause tells no fact.
_NOT_TOLD = re.compile(
    r"写|改一|改下|改成|改为|改改|修改|加一|加上|加点|加进|加些|删|补充|补上|补一|补点|帮|请|查一|查下|查查"
    r"|看看|看下|看一|核对|核一|核下|起草|精简|压缩|展开|润色|调整|换成|替换|突出|强调|去掉|放进|弄"
    r"|加到|放到|补到|加入|写入"
    r"|吗|呢|么|？|\?|是不是|有没有|几|多少|哪|什么|啥|怎么|如何|是否"
    r"|想|希望|需要|要求|能不能|可以|应该|觉得|感觉|认为|建议|打算|准备|考虑"
    r"|部分|这段|那段|这块|那块|这句|那句|这层|那层|这条|那条|报告|总结|汇报|材料|范文|文件"
)
_STRIP = re.compile(
    r"^(?:还|也|同时|另外)?(?:我们|本人|我)?(?:局|院|校|镇|委|县|区|市|乡|村|街道|中心|集团|公司|单位)?(?:今年|全年|去年)?(?:我)?(?:是)?"
)
_IS = re.compile(r"^(?P<key>[^是]{2,14}?)(?:是|为)(?P<value>.{2,})$")
# What a told outcome is, for its key: the user confirms 获得荣誉 more readily than a sentence.
_KINDS = (
    (
        "获得荣誉",
        re.compile(
            r"获评|荣获|被评为|评为|评上|获得.{0,16}(?:称号|荣誉|奖|表彰|先进|模范|标兵|示范)"
            r"|入选|授予"
        ),
    ),
    ("制度建设", re.compile(r"制定|出台|印发|修订|建立.{0,10}(?:制度|机制|办法|细则)")),
    ("首次开展", re.compile(r"首次")),
)
_STRIP_WHO = re.compile(r"^(?:我们|本人|我)(?:局|院|校|镇|委|县|区|市|中心|公司|单位)?")
MIN_CHARS = 7
MAX_KEY = 14


@dataclass(frozen=True)
class Statement:
    start: int
    end: int
    text: str
    key: str
    value: str


def outcome(statement: Statement) -> bool:
    """Whether a statement tells something that happened or holds (获评, 是, 开始了), not a plan of
    the speaker's (我拿去跟各科室对)."""
    return bool(_TOLD.search(statement.text))


def _han(text: str) -> int:
    return sum("\u4e00" <= ch <= "\u9fff" for ch in text)


def _tells(clause: str) -> bool:
    return _han(clause) >= 4 and not _NOT_TOLD.search(clause)


def statements(text: str) -> list[Statement]:
    """What ``text`` tells in words, in reading order; [] when it only asks."""
    record = _RECORD.match(text)
    clauses = [
        (m.start(), m.end(), m.group().strip())
        for m in _CLAUSES.finditer(text)
        if m.group().strip()
    ]
    out: list[Statement] = []
    run: list[tuple[int, int, str]] = []

    def close() -> None:
        if run:
            start, end = run[0][0], run[-1][1]
            said = text[start:end].strip(" ，,")
            if _han(said) >= MIN_CHARS:
                out.append(_statement(start, end, said))
        run.clear()

    for i, (start, end, clause) in enumerate(clauses):
        if record and end <= record.end():
            continue
        put = _PUT.search(clause)
        if put and (_TOLD.search(put.group("what")) or _LEAD.match(put.group("what"))):
            # 帮我把今年获评……单位写进主要工作和成效: what is put in is what is told
            close()
            at = start + put.start("what")
            out.append(_statement(at, at + len(put.group("what")), put.group("what")))
            continue
        added = _ADD.search(clause)
        if added and not _TOLD.search(clause[added.end() :]):
            added = None  # 加一句欢迎领导多提宝贵意见: wording asked for, not a fact told
        if added and added.end() < len(clause):
            # 背景那段写上带队的是市政协副主席陈建华: what follows the ask is what is told
            close()
            start, clause = start + added.end(), clause[added.end() :]
        nxt = clauses[i + 1][2] if i + 1 < len(clauses) else ""
        prev = clauses[i - 1][2] if i else ""
        # 约谈的两个村是马家村和后湾村 补进去 / …是9月18日 不是9月8号: told beside the ask
        beside = bool(
            _ADD_ALONE.fullmatch(nxt)
            or _ADD_ALONE.fullmatch(prev)
            or _ADD_END.search(prev)
            or nxt.startswith("不是")
            or bool(_PUT_THIS.match(nxt))
        ) and bool(_TOLD.search(clause) or _LEAD.match(clause))  # 再加一句 加快……建设: wording
        if clause.startswith("不是"):
            close()  # the old figure a correction replaces is no fact
            continue
        inner = _INNER_LEAD.search(clause)
        if inner and inner.start() > 0:
            close()
            at = text.find(clause, start) + inner.start()
            start, clause = at, clause[inner.start() :]
        body = clause.strip()
        if not _tells(body):
            close()
            continue
        if record:
            close()  # after 记一下 each clause is a fact of its own
        if (
            run
            or _LEAD.match(body)
            or inner
            or added
            or beside
            or (record and start >= record.end())
        ):
            run.append((start, end, body))
        # A clause of no lead, after none, is an aside (全省第三): not a statement of its own.
    close()
    return out


_WHEN = re.compile(
    r"^(?P<when>(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?|\d{4}年)(?:起|以来)?(?P<what>[^，,]{2,8}?)的?$"
)


def _statement(start: int, end: int, said: str) -> Statement:
    bare = _STRIP.sub("", said).strip(" ，,")
    when = _WHEN.match(bare)
    if when:  # 我是2023年3月到任的 → 到任时间：2023年3月
        return Statement(start, end, said, when.group("what") + "时间", when.group("when"))
    m = _IS.match(bare)
    kind = next((name for name, words in _KINDS if words.search(bare)), None)
    if m and "，" not in m.group("key"):
        key, value = m.group("key"), m.group("value")
    elif kind:  # 我们今年获评全省先进集体 → 获得荣誉：今年获评全省先进集体
        key, value = kind, _STRIP_WHO.sub("", said)
    else:
        key, value = re.split(r"[，,]", bare)[0][:MAX_KEY], said
    key = re.sub(r"^.{1,8}?(?:里面|里|中|那段|那块|那条)(?=.{2})", "", key.strip())  # 总体情况里…
    return Statement(start, end, said, key.strip().rstrip("的"), value.strip(" ，,。"))
