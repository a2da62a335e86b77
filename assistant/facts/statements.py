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

from assistant.vocab import patterns

WORDS = patterns(__name__)  # the words of statements.toml

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
MIN_CHARS = 7
MAX_KEY = 14


@dataclass(frozen=True)
class Statement:
    start: int
    end: int
    text: str
    key: str
    value: str
    whole: bool = False  # a part's content told whole (存在的问题是…): it carries its figures


def outcome(statement: Statement) -> bool:
    """Whether a statement tells something that happened or holds (获评, 是, 开始了), not a plan of
    the speaker's (我拿去跟各科室对)."""
    return bool(WORDS.TOLD.search(statement.text))


def _han(text: str) -> int:
    return sum("\u4e00" <= ch <= "\u9fff" for ch in text)


def _tells(clause: str) -> bool:
    return _han(clause) >= 4 and not WORDS.NOT_TOLD.search(clause)


def statements(text: str) -> list[Statement]:
    """What ``text`` tells in words, in reading order; [] when it only asks."""
    record = WORDS.RECORD.match(text)
    told = WORDS.PART_TOLD.match(text[record.end() :] if record else text)
    if told and _tells(told.group("value")) and not WORDS.PART_ASKED.search(told.group("value")):
        at = record.end() if record else 0
        key = re.sub(r"(?:主要)?(?:是|有|为|：|:)$", "", told.group("key")).removeprefix("存在的")
        value = re.sub(
            r"^[一二三四五六七八九十两\d]+(?:个|条|点|方面)[：:，,]?", "", told.group("value")
        )
        key = "存在问题" if key in ("", "问题") else key
        return [Statement(at, len(text), text[at:], key, value.strip(" ，,。"), whole=True)]
    clauses = [
        (m.start(), m.end(), m.group().strip())
        for m in WORDS.CLAUSES.finditer(text)
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

    for m in WORDS.NAMED.finditer(text):
        if not re.search(r"谁|哪|什么|啥", m.group("value")):  # 组长叫什么: asked, not told
            key = WORDS.ADD.split(m.group("key"))[-1]  # 称谓里加上调研组组长 → 调研组组长
            out.append(Statement(m.start(), m.end(), m.group(), key, m.group("value")))
    named = [(st.start, st.end) for st in out]
    proposing = False
    for i, (start, end, clause) in enumerate(clauses):
        if record and end <= record.end():
            continue
        if any(a <= start < b or start <= a < end for a, b in named):
            continue  # told by name above
        if record and start < record.end():
            start, clause = record.end(), text[record.end() : end].strip()  # 记一下：集团党委书记…
        if proposing and not re.search(r"\d", clause):
            # 今后努力方向再加一条 深化……，年内完成……: the measure proposed (a date promised,
            # 预计明年3月底前全部完成, is told)
            continue
        asked_add = re.search(r"加上|补上|写上|补充|加一[句条点]|补一[句条点]|再加", clause)
        proposing = bool(asked_add and WORDS.PLAN_PART.search(clause[: asked_add.start()]))
        put = WORDS.PUT.search(clause)
        if put and (WORDS.TOLD.search(put.group("what")) or WORDS.LEAD.match(put.group("what"))):
            # 帮我把今年获评……单位写进主要工作和成效: what is put in is what is told
            close()
            at = start + put.start("what")
            out.append(_statement(at, at + len(put.group("what")), put.group("what")))
            continue
        added = WORDS.ADD.search(clause)
        if added and not WORDS.TOLD.search(clause[added.end() :]):
            added = None  # 加一句欢迎领导多提宝贵意见: wording asked for, not a fact told
        if added and WORDS.PLAN_PART.search(clause[: added.start()]):
            added = None  # 建议第二条加上开通夜间定制公交: a measure proposed
        if added and added.end() < len(clause):
            # 背景那段写上带队的是市政协副主席陈建华: what follows the ask is what is told
            close()
            start, clause = start + added.end(), clause[added.end() :]
        nxt = clauses[i + 1][2] if i + 1 < len(clauses) else ""
        prev = clauses[i - 1][2] if i else ""
        # 约谈的两个村是马家村和后湾村 补进去 / …是9月18日 不是9月8号: told beside the ask
        beside = bool(
            WORDS.ADD_ALONE.fullmatch(nxt)
            or WORDS.ADD_ALONE.fullmatch(prev)
            or WORDS.ADD_END.search(prev)
            or nxt.startswith("不是")
            or bool(WORDS.PUT_THIS.match(nxt))
        ) and bool(
            WORDS.TOLD.search(clause) or WORDS.LEAD.match(clause)
        )  # 再加一句 加快……建设: wording
        if clause.startswith("不是"):
            close()  # the old figure a correction replaces is no fact
            continue
        inner = WORDS.INNER_LEAD.search(clause)
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
            or WORDS.LEAD.match(body)
            or inner
            or added
            or beside
            or (record and start >= record.end())
        ):
            run.append((start, end, body))
        # A clause of no lead, after none, is an aside (全省第三): not a statement of its own.
    close()
    return sorted(out, key=lambda st: st.start)


def _statement(start: int, end: int, said: str) -> Statement:
    bare = WORDS.STRIP.sub("", said).strip(" ，,")
    when = WORDS.WHEN.match(bare)
    if when:  # 我是2023年3月到任的 → 到任时间：2023年3月
        return Statement(start, end, said, when.group("what") + "时间", when.group("when"))
    m = WORDS.IS.match(bare)
    kind = next((name for name, words in _KINDS if words.search(bare)), None)
    if m and "，" not in m.group("key"):
        key, value = m.group("key"), m.group("value")
    elif kind:  # 我们今年获评全省先进集体 → 获得荣誉：今年获评全省先进集体
        key, value = kind, WORDS.STRIP_WHO.sub("", said)
    else:
        key, value = re.split(r"[，,]", bare)[0][:MAX_KEY], said
    key = re.sub(r"^.{1,8}?(?:里面|里|中|那段|那块|那条)(?=.{2})", "", key.strip())  # 总体情况里…
    return Statement(start, end, said, key.strip().rstrip("的"), value.strip(" ，,。"))
