"""Which section a chat message means, by the names staff use for it.

Staff name a part by its ordinal (第二部分, 二、, 第3块), by words of its heading as this report
shows it (组织领导那块), by what kind of part it is (开头, 结尾, 问题, 下步打算), or by a passage
inside it: a quotation (把“第一时间成立机构”那一层…) or a layer's lead phrase. Resolution works on
the :class:`~assistant.chat.plan.ReportView`, so it uses the report's own headings and texts, not
only the template's. A passage pointed at inside a section (第二段, （二）, a quotation) is returned
too, so a revision can be limited to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.chat.counted import NUM, by_layer_count, counted_headings, layers, number
from assistant.chat.in_text import (
    LEADING,
    by_contents,
    by_excerpt,
    by_layer,
    by_text,
    by_topic,
)
from assistant.chat.plan import ReportView, SectionView
from assistant.chat.targets import CN, Target, lcs, meaningful
from assistant.vocab import patterns

WORDS = patterns(__name__)  # the words of sections.toml

__all__ = [
    "Target",
    "by_contents",
    "by_excerpt",
    "by_heading",
    "by_kind",
    "by_ordinal",
    "by_text",
    "by_topic",
    "passage_of",
    "resolve",
]

# 第二部分 / 第3块 / 第二大部分; 段、条、点、层 point inside a section (see _PASSAGE).
_ORDINAL = re.compile(rf"第({NUM})(?:个)?(?:大)?(?:部分|部份|块|节|章|板块|大项|方面|标题|个标题)")
_LAST_PART = re.compile(r"最后(?:一个?|那个?|这个?)?(?:部分|大部分|板块|块|大项)")
_MARKER = re.compile(rf"(?:^|[^{CN}（(\d第])([{CN}])、")
_PASSAGE_ORD = re.compile(
    rf"(?:倒数)?第({NUM})(段|条|点|层|小节|句|自然段)|[（(]([{CN}])[)）](?:那|这|部分)?"
    # 最后一段 / 倒数第二条: counted from the end (its 第二段 alone would point at the second)
    r"|最后一(?:个)?(段|条|点|层|句|自然段)"
)
# （一）党建那块 / （二）这部分: a layer marked and named, pointed at as a part is.
_LAYER_POINTED = re.compile(
    rf"([（(][{CN}][)）][^，。、；：！？\s“”「」]{{2,12}}?)(?:那|这)(?:一)?(?:块|部分|方面)"
)

# Kind words, most specific first. Each maps to the kinds it may mean, tried in order.
KIND_WORDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("标题", "题目", "大标题"), ("title",)),
    (("称谓", "抬头", "称呼"), ("salutation",)),
    (
        ("开头", "开场", "开篇", "导语", "引言", "前言", "第一段话", "欢迎词", "调研背景", "背景"),
        ("opening", "overview"),
    ),
    (("结尾", "结束语", "结语", "收尾", "最后一段", "落款前"), ("closing",)),
    (("总体情况", "总体", "概述", "总的情况", "总述", "综述"), ("overview",)),
    # 每个问题的小标题, in a 整改 report: the problems rectified, one layer each
    (("每个问题", "每一个问题", "各个问题", "每条问题"), ("items",)),
    (("问题", "不足", "短板", "差距", "弱项", "薄弱"), ("problems",)),
    (
        (
            "打算",
            "下步",
            "下一步",
            "今后",
            "计划",
            "努力方向",
            "思路",
            "对策",
            "建议",
            "下步措施",
            "方向",
        ),
        ("plans",),
    ),
    # 成效那块, 正文那处 in a 工作总结: the one body part (a report with several names them by
    # number)
    (("成效", "成绩", "主要做法", "正文"), ("body",)),
)


def by_ordinal(text: str, view: ReportView) -> list[str]:
    """Every numbered section named by ordinal, in the order named (第一和第二部分 → both)."""
    numbered = view.numbered
    found: list[tuple[int, str]] = []
    for m in _ORDINAL.finditer(text):
        n = number(m.group(1))
        if text[max(0, m.start() - 2) : m.start()] == "倒数":
            # 倒数第二部分: counted from the end
            if n is not None and 1 <= n <= len(numbered):
                found.append((m.start(), numbered[-n].id))
            continue
        if n is not None and 1 <= n <= len(numbered):
            found.append((m.start(), numbered[n - 1].id))
    for m in _LAST_PART.finditer(text):  # 最后一部分 / 最后那块: the last numbered part
        if numbered:
            found.append((m.start(), numbered[-1].id))
    # 第一、二部分 / 第一和第二部分: a bare numeral joined to an ordinal
    for m in re.finditer(rf"第([{CN}])[、和及与跟,，]([{CN}])(?:部分|块|节)", text):
        for w, at in ((m.group(1), m.start(1)), (m.group(2), m.start(2))):
            n = number(w)
            if n is not None and 1 <= n <= len(numbered):
                found.append((at, numbered[n - 1].id))
    for m in _MARKER.finditer(text):
        n = number(m.group(1))
        if n is not None and 1 <= n <= len(numbered):
            found.append((m.start(1), numbered[n - 1].id))
    out: list[str] = []
    for _, sid in sorted(found):
        if sid not in out:
            out.append(sid)
    return out


def by_kind(text: str, view: ReportView) -> list[tuple[int, str]]:
    """Sections named by a kind word (开头, 问题 …), with the position of the word."""
    out: list[tuple[int, str]] = []
    taken = ""
    for words, kinds in KIND_WORDS:
        for w in words:
            at = _kind_at(text, w)
            if at < 0 or any(w in t for t in taken.split("|") if t):
                continue
            sid = _kind_section(w, kinds, view)
            if sid is not None:
                out.append((at, sid))
                taken += "|" + w
                break
    if len(out) == 2:
        # 欢迎词里称呼对不对: the words inside the part first named, not a second part
        (a, first), (b, _) = sorted(out)
        if len(text[a:b]) <= 7 and re.search(r"(?:里|中|里面|里头)的?$", text[a:b]):
            return [(a, first)]
    return out


def _kind_at(text: str, word: str) -> int:
    """Where ``word`` names a part: 有没有问题 / 什么问题吗 ask about faults, not the 问题 part."""
    for m in re.finditer(re.escape(word), text):
        if word == "标题" and (
            text[max(0, m.start() - 1) : m.start()] in ("小", "分", "个")
            or re.search(r"(?:层|段|条|部分|部份)的?$|除了?$", text[: m.start()])
        ):
            # 拆成三个小标题, 第一层的标题, 三个部分的标题: the headings of parts and layers, not
            # the report's title
            continue
        if word in ("问题", "不足") and not _names_a_part(text, m.start(), m.end()):
            continue
        before = text[max(0, m.start() - 1) : m.start()]
        if word == "思路" and before and before in "的按个出清":
            continue  # 按“做法+成效”的思路: how to write, not the 思路 part
        if word == "开头" and re.match(r"的?(?:称谓|抬头|称呼|标题|题目)", text[m.end() :]):
            continue  # 开头称谓: the salutation at the top, not the opening paragraph
        if word == "建议" and re.search(
            r"(?:检察|司法|纪检|监察|审计|人大代表|代表|政协)$", text[: m.start()]
        ):
            continue  # 检察建议被采纳了几份: the work's own 建议, not the 对策建议 part
        if word == "方向" and not re.match(r"要|部分|那|这|也|再|太|写|里|$", text[m.end() :]):
            continue  # 方向要对应不足来写 names the part; 发展方向明确 does not
        return m.start()
    return -1


def _names_a_part(text: str, start: int, end: int) -> bool:
    """问题 names the problems part (问题部分再具体, 把问题写实) — not a fault (有没有问题,
    标点问题) nor a count (检视问题63个)."""
    before, after = text[max(0, start - 3) : start], text[end : end + 2]
    if WORDS.PART_BEFORE.search(before):
        return True
    if re.search("[有没无么些个啥的点]$|其他|其它", before) or after[:1] in ("吗", "么"):
        return False
    return bool(WORDS.PART_AFTER.match(after)) or end == len(text)


def _kind_section(word: str, kinds: tuple[str, ...], view: ReportView) -> str | None:
    for kind in kinds:
        match = [s for s in view.sections if s.kind == kind]
        if kind == "items":  # the part that takes the rectified problems, whatever its kind
            taking = {t.id for t in view.template.sections if "item" in t.takes}
            match = [s for s in view.sections if s.id in taking]
        if kind == "problems" and not match and word in ("问题", "不足", "短板"):
            # 工作情况汇报 joins problems and plans in one part: its heading says 问题/短板.
            match = [s for s in view.sections if s.kind == "plans" and _says_problems(s)]
        if kind == "body" and len(match) != 1:
            continue
        if match:
            return match[0].id
    if kinds[0] == "closing":  # no closing part: the end of the report is its last part
        body = [s for s in view.sections if s.kind not in ("title", "salutation")]
        return body[-1].id if body else None
    if kinds[0] == "opening":
        body = [s for s in view.sections if s.kind not in ("title", "salutation")]
        return body[0].id if body else None
    return None


def _says_problems(s: SectionView) -> bool:
    return any(w in s.heading + s.purpose for w in ("问题", "不足", "短板"))


def by_heading(text: str, view: ReportView) -> tuple[str | None, int]:
    """The section whose heading shares the most meaningful words with ``text`` (3 characters,
    or 2 when the message marks them as a part's name: 廉洁那块)."""
    # 这段数据有问题吧: a fault, not the words of the 问题 part's heading.
    text = WORDS.FAULT.sub(lambda m: "□" * len(m.group(0)), text)
    text = WORDS.GENRE_NAMED.sub(lambda m: "□" * len(m.group(0)), text)
    said = WORDS.FILLER.sub("", text)
    best: tuple[str | None, int] = (None, 0)
    for s in view.sections:
        if s.kind == "title":
            continue  # named by 标题/题目 (kind words); 小标题 in a message is a part's layers
        names = {s.heading, view.template.section(s.id).heading}
        if not s.numbered and s.purpose:
            names.add(re.split("[，,；]", s.purpose)[0])
        for name in names:
            if not name:
                continue
            score = max(meaningful(lcs(said, part)) for part in re.split("[，,]", name))
            score = max(score, _gapped(said, name))
            if score > best[1]:
                best = (s.id, score)
    floor = 2 if WORDS.MARKER_WORDS.search(text) else 3
    return best if best[1] >= floor else (None, 0)


def _gapped(said: str, name: str) -> int:
    """履职情况 for 履职尽责情况: two words opening the message, side by side, found in the
    heading a character or two apart: scored 3, as three characters in a row would be."""
    for a in (2, 3):
        at = name.find(said[:a])
        if at < 0:
            continue
        for b in (2, 3):
            tail = said[a : a + b]
            if len(tail) == b and 0 < name.find(tail, at + a) - (at + a) <= 2:
                return 3
    return 0


def pointers_masked(text: str, keep: Callable[[str], bool]) -> str:
    """``text`` with the lead phrase of a passage pointed at (过度检查那条, （二）检查船舶那块) put
    as 某某: the words name the passage, they ask for nothing (检查 there is no check). A phrase
    ``keep`` holds (加到抓平安那段: the ask runs into the pointer) stays."""

    def masked(m: re.Match[str]) -> str:
        if keep(m.group(1)):
            return m.group(0)
        return "某某" + m.group(0)[len(m.group(1)) :]

    for pattern in (_LAYER_POINTED, WORDS.POINTED):
        text = pattern.sub(masked, text)
    return text


def passage_of(text: str) -> str:
    """The passage a message points to inside a section: a quotation, 第二段, （二）, XX那一层."""
    m = WORDS.QUOTE.search(text)
    if m:
        return m.group(1)
    m = _PASSAGE_ORD.search(text)
    if m:
        return m.group(0).rstrip("那这部分")
    m = WORDS.POINTED.search(text)
    if m:
        return m.group(1).lstrip("把将对给在")
    return ""


def _joined(text: str, numbered: list[Target], view: ReportView) -> list[Target]:
    """第一部分和短板那部分 / 总体情况和第一部分: parts named by number and by kind, in order."""
    at = min((m.start() for m in WORDS.ORDINAL_AT.finditer(text)), default=0)
    named = [(at, t) for t in numbered]
    named += [(pos, Target(sid, "", "kind")) for pos, sid in by_kind(text, view)]
    out: list[Target] = []
    for _, t in sorted(named, key=lambda n: n[0]):
        if all(o.section != t.section for o in out):
            out.append(Target(t.section, "", t.how))
    return out


def resolve(text: str, view: ReportView, raw: str = "") -> list[Target]:
    """The sections ``text`` names, in the order named; [] when it names none. ``raw``: the
    clause before its stated figures were blanked (a figure the draft holds points there)."""
    ordinal = by_ordinal(text, view) or by_ordinal(raw, view)  # 第1部分拆成三个: figures blanked
    ordinal = ordinal or counted_headings(text, view) or counted_headings(raw, view)
    if ordinal:
        passage = passage_of(text)
        numbered = [Target(sid, passage if len(ordinal) == 1 else "", "ordinal") for sid in ordinal]
        return _joined(text, numbered, view) if WORDS.JOINED.search(text) else numbered
    quoted = WORDS.QUOTE.search(text)
    if quoted:
        # 开场里的「市委督查组」改成…: the quotation as found in the part a kind word names
        for _, kind_sid in by_kind(WORDS.QUOTE.sub("", text), view):
            sec = view.section(kind_sid)
            if sec is not None and quoted.group(1) in sec.text:
                return [Target(kind_sid, quoted.group(1), "quote")]
        said = quoted.group(1)
        saying = [s.id for s in view.sections if s.numbered and said in s.heading]
        if len(saying) > 1 and re.search(r"小标题|标题.{0,6}都|都有|都是", text):
            # 三个小标题里都有“以来退役军人”: the parts whose headings say it
            return [Target(sid, said, "quote") for sid in saying]
        holding = [s for s in view.sections if s.drafted and said in s.text]
        if WORDS.THROUGHOUT.search(text):  # “农村公路”和“四好农村路”统一: the parts with either
            said_all = [q.group(1) for q in WORDS.QUOTE.finditer(text)]
            holding = [s for s in view.sections if s.drafted and any(q in s.text for q in said_all)]
        if len(holding) > 1 and WORDS.THROUGHOUT.search(text):
            # 把全文的“本人”都换成“我”(，除了标题): every part that says it
            kept = WORDS.TITLE_KEPT.search(text)
            return [
                Target(x.id, said, "quote") for x in holding if not (kept and x.kind == "title")
            ]
        # “本人”用得太多了: a word the report uses throughout, no passage of one part
        sid = by_text(said, view) if len(said) > 4 or len(holding) < 2 else None
        if sid is not None:
            return [Target(sid, said, "quote")]
    marked = _LAYER_POINTED.search(text)
    if marked:
        layer = by_layer(marked.group(1), view)  # （一）党建那块: the layer, not a part's name
        if layer is not None:
            return [layer]
    pointed = WORDS.POINTED.search(text)
    if pointed:
        phrase = LEADING.sub("", pointed.group(1))
        layer = by_layer(phrase, view)  # （三）特种设备那一条: the layer its marker names
        if layer is not None:
            return [layer]
        headed = [s.id for s in view.sections if s.numbered and s.heading == phrase]
        if headed:  # 存在的不足那段: the part so headed, not another that quotes its words
            return [Target(headed[0], "", "heading")]
        sid = by_text(phrase, view)
        if sid is not None:
            return [Target(sid, phrase, "text")]
    heading, score = by_heading(text, view)
    kinds = by_kind(text, view)
    layer = by_layer_count(text, view)
    named = {sid for _, sid in kinds} | ({heading} if heading else set())
    if (
        layer is not None
        and not layer.passage.endswith("条")
        and layer.section not in named
        and not any(layers(sid, view) for sid in named)
    ):
        return [layer]  # 第四层跟总体情况重复了: the part that has one; the other is compared
    if heading is not None and (score >= 3 or not kinds):
        # 基本情况和存在的问题都写得太长: two parts joined, each named (one by heading, one by kind)
        both = bool(WORDS.BOTH.search(text))
        extra = [
            Target(sid, "", "kind") for _, sid in kinds if sid != heading and (score < 4 or both)
        ]
        # 下一步打算 is a heading's words and a kind word at once: the part is named outright.
        how = "kind" if any(sid == heading for _, sid in kinds) else "heading"
        return [Target(heading, passage_of(text), how), *extra]
    if kinds:
        out: list[Target] = []
        for _, sid in sorted(kinds):
            if all(t.section != sid for t in out):
                out.append(Target(sid, "", "kind"))
        if len(out) == 1:
            out = [Target(out[0].section, passage_of(text), "kind")]
        return out
    found = by_contents(text, view, raw) or by_layer_count(text, view)
    return [found] if found is not None else []
