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
from dataclasses import dataclass

from assistant.chat.plan import ReportView, SectionView

CN = "一二三四五六七八九十"
_NUM = rf"[{CN}\d]{{1,2}}"
# 第二部分 / 第3块 / 第二大部分; 段、条、点、层 point inside a section (see _PASSAGE).
_ORDINAL = re.compile(rf"第({_NUM})(?:个)?(?:大)?(?:部分|部份|块|节|章|板块|大项|方面|标题|个标题)")
_MARKER = re.compile(rf"(?:^|[^{CN}（(\d第])([{CN}])、")
_PASSAGE_ORD = re.compile(
    rf"第({_NUM})(段|条|点|层|小节|句|自然段)|[（(]([{CN}])[)）](?:那|这|部分)?"
)
_QUOTE = re.compile(r"[“\"「『‘']([^”\"」』’']{2,80})[”\"」』’']")
# "XX那一层 / XX这段 / XX那条": the words before it are a lead phrase of the passage.
_POINTED = re.compile(r"([^，。、；：！？\s“”「」]{3,24}?)(?:那|这)(?:一)?(?:层|段|条|句|点|处)")

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
    (("问题", "不足", "短板", "差距", "弱项", "薄弱"), ("problems",)),
    (
        ("打算", "下步", "下一步", "今后", "计划", "努力方向", "思路", "对策", "建议", "下步措施"),
        ("plans",),
    ),
)
# Words every heading shares; a match on them alone says nothing about which part is meant.
_GENERIC = (
    "工作", "情况", "部分", "开展", "落实", "推动", "进一步", "加强", "一下", "这个", "那个",
    "报告", "汇报", "全面", "持续", "深入", "扎实", "不断", "坚持", "主要", "取得", "成效",
)  # fmt: skip
_FILLER = re.compile(
    r"那?部分|这?一?块|这?一?段|那一?层|起草|重写|修改|改一?下|写一?下|帮我|请|麻烦|把|给|一下|的|得|了"
)


@dataclass(frozen=True)
class Target:
    section: str | None
    passage: str = ""
    how: str = ""  # ordinal | quote | heading | kind | text | ""


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    if word == "十":
        return 10
    if len(word) == 2 and word[0] == "十" and word[1] in CN:
        return 10 + CN.index(word[1]) + 1
    return CN.index(word) + 1 if word in CN else None


def _lcs(a: str, b: str) -> str:
    """The longest common substring (short strings: the quadratic walk is cheap)."""
    best = ""
    if not a or not b:
        return best
    prev = [0] * (len(b) + 1)
    for i, ca in enumerate(a, 1):
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                if cur[j] > len(best):
                    best = a[i - cur[j] : i]
        prev = cur
    return best


def _meaningful(common: str) -> int:
    """Characters of ``common`` left once generic heading words are taken out; four characters
    in a row of a heading (主要工作) name it whatever they are made of."""
    if len(common) >= 4:
        return len(common)
    for g in _GENERIC:
        common = common.replace(g, "")
    return len(common)


def by_ordinal(text: str, view: ReportView) -> list[str]:
    """Every numbered section named by ordinal, in the order named (第一和第二部分 → both)."""
    numbered = view.numbered
    found: list[tuple[int, str]] = []
    for m in _ORDINAL.finditer(text):
        n = _number(m.group(1))
        if n is not None and 1 <= n <= len(numbered):
            found.append((m.start(), numbered[n - 1].id))
    # 第一、二部分 / 第一和第二部分: a bare numeral joined to an ordinal
    for m in re.finditer(rf"第([{CN}])[、和及与跟,，]([{CN}])(?:部分|块|节)", text):
        for w, at in ((m.group(1), m.start(1)), (m.group(2), m.start(2))):
            n = _number(w)
            if n is not None and 1 <= n <= len(numbered):
                found.append((at, numbered[n - 1].id))
    for m in _MARKER.finditer(text):
        n = _number(m.group(1))
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
    return out


def _kind_at(text: str, word: str) -> int:
    """Where ``word`` names a part: 有没有问题 / 什么问题吗 ask about faults, not the 问题 part."""
    for m in re.finditer(re.escape(word), text):
        if word == "标题" and text[max(0, m.start() - 1) : m.start()] in ("小", "分", "个"):
            continue  # 拆成三个小标题: the layers of a part, not the report's title
        if word in ("问题", "不足") and not _names_a_part(text, m.start(), m.end()):
            continue
        return m.start()
    return -1


_PART_AFTER = re.compile(r"(?:部分|部份|那|这|里|方面|板块|一块|再|写|要|和|及|与|章节|段)")
_PART_BEFORE = re.compile(r"(?:^|存在的?|把|将|对|在|给|、|和|及|与|查摆)$")


def _names_a_part(text: str, start: int, end: int) -> bool:
    """问题 names the problems part (问题部分再具体, 把问题写实) — not a fault (有没有问题,
    标点问题) nor a count (检视问题63个)."""
    before, after = text[max(0, start - 3) : start], text[end : end + 2]
    if _PART_BEFORE.search(before):
        return True
    if re.search("[有没无么些个啥的点]$|其他|其它", before) or after[:1] in ("吗", "么"):
        return False
    return bool(_PART_AFTER.match(after)) or end == len(text)


def _kind_section(word: str, kinds: tuple[str, ...], view: ReportView) -> str | None:
    for kind in kinds:
        match = [s for s in view.sections if s.kind == kind]
        if kind == "problems" and not match and word in ("问题", "不足", "短板"):
            # 工作情况汇报 joins problems and plans in one part: its heading says 问题/短板.
            match = [s for s in view.sections if s.kind == "plans" and _says_problems(s)]
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


MARKER_WORDS = re.compile(
    r"部分|部份|那块|这块|一块|板块|那里|这里|里面|里头|里的|那段|这段|章节|标题下|那条|那层"
    r"|(?:加|放|写|补|挪|移)到.{2,8}里"
)


_FAULT = re.compile(r"(?:有|没有|没|什么|啥)问题|问题(?=吧|吗|么)")


def by_heading(text: str, view: ReportView) -> tuple[str | None, int]:
    """The section whose heading shares the most meaningful words with ``text`` (3 characters,
    or 2 when the message marks them as a part's name: 廉洁那块)."""
    # 这段数据有问题吧: a fault, not the words of the 问题 part's heading.
    text = _FAULT.sub(lambda m: "□" * len(m.group(0)), text)
    said = _FILLER.sub("", text)
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
            score = max(_meaningful(_lcs(said, part)) for part in re.split("[，,]", name))
            if score > best[1]:
                best = (s.id, score)
    floor = 2 if MARKER_WORDS.search(text) else 3
    return best if best[1] >= floor else (None, 0)


_LAYER = re.compile(
    r"(?:^|\n|[（(][一二三四五六七八九十][)）]|[一二三四五六七八九十]是)([^。；\n]{2,40})"
)


_MARKER_ONLY = re.compile(rf"[（(][{CN}]{{1,2}}[)）]|[{CN}]是|\d{{1,2}}[.、．]")


def by_text(phrase: str, view: ReportView) -> str | None:
    """The drafted section whose text holds ``phrase`` (or most of it)."""
    phrase = phrase.strip("，。、 ")
    if len(phrase) < 2:
        return None
    holding = [s for s in view.sections if s.drafted and phrase in s.text]
    if len(holding) > 1 and _MARKER_ONLY.fullmatch(phrase):
        return None  # （二）那条 with several parts having a （二）: which one is not said
    if holding:
        # Said in several parts: the one where it leads a layer (（一）深入开展理论学习), then
        # the one that says it most, then a numbered part before the overview.
        def weight(s: SectionView) -> tuple[int, int, int]:
            lead = any(phrase in line[:30] for line in _LAYER.findall(s.text))
            return (lead, s.text.count(phrase), s.numbered)

        return max(holding, key=weight).id
    scored = [(len(_lcs(phrase, s.text)), s.id) for s in view.sections if s.drafted]
    scored.sort(reverse=True)
    clear = len(scored) == 1 or (len(scored) > 1 and scored[1][0] < scored[0][0])
    if scored and scored[0][0] >= max(4, int(len(phrase) * 0.6)) and clear:
        return scored[0][1]
    return None


_NAMED = re.compile(
    r"([^，。、；：！？\s“”「」]{2,14}?)(?:那块|这块|那部分|这部分|那里|这里|里面|那个|那项|那条|这条|那句|那一块)"
)
_LEAD = re.compile(
    r"^(?:把|将|对|给|在|关于|就|有关|帮我|请|再|那个|然后|最后|另外|还有|加到|放到|写到|写进|放进|补到)+"
)


def by_contents(text: str, view: ReportView, raw: str = "") -> Target | None:
    """A drafted section that holds what the message points at: a phrase before 那块/那个 …, or a
    figure the message quotes (企业开办0.5个工作日这个数据是哪来的 → the section that says it)."""
    m = _NAMED.search(text)
    if m:
        phrase = _LEAD.sub("", m.group(1))
        sid = by_text(phrase, view)
        if sid is not None:
            return Target(sid, "", "text")
    from assistant.facts.quantities import find_quantities

    for q in find_quantities(raw or text):
        figure = (raw or text)[q.start : q.end]
        after = (raw or text)[q.end : q.end + 1]
        day = q.kind != "date" or bool(q.date and q.date[2])  # a month alone is in many parts
        if not day or len(figure) < 2 or after in ("字", "页"):
            continue  # 控制在300字以内 counts the writing
        said = figure.replace("号", "日") if q.kind == "date" else figure  # 6月12号 is 6月12日
        holding = [s.id for s in view.sections if s.drafted and said in s.text]
        if len(holding) == 1:
            return Target(holding[0], "", "figure")
    return None


_PUNCT = re.compile(r"[，,。；;：:、！!？?\s“”\"「」]")


def by_excerpt(clause: str, view: ReportView) -> Target | None:
    """A clause that is words of one drafted section, as typed without its punctuation
    (汇报完毕谢谢 for 汇报完毕，谢谢。): that section, the words as the passage."""
    bare = _PUNCT.sub("", clause)
    if len(bare) < 4:
        return None
    holding = [x for x in view.sections if x.drafted and bare in _PUNCT.sub("", x.text)]
    return Target(holding[0].id, clause, "quote") if len(holding) == 1 else None


# What a question says around its topic: 文里写的是几次, 一共, 现在, 来着 …
_ASKING = re.compile(
    r"文里|文中|稿子里|稿里|材料里|里面|写的|写了|是几|几[个次项名家件场期条支座所处起]|多少|哪[些个两几]"
    r"|一共|总共|现在|目前|来着|是不是|有没有|[吗呢啊？?]|没$|督导组|肯定要问|要问"
)


def by_topic(clause: str, view: ReportView) -> Target | None:
    """The one drafted section that speaks of what a question asks about (乡镇专职消防队现在一共
    几支 → the part that tells of 专职消防队): the longest run of the question's own words found
    in a section's text, three characters at least and longer than in any other section."""
    parts = [p for p in _ASKING.sub("|", _PUNCT.sub("|", clause)).split("|") if p]

    def shared(x: SectionView) -> int:
        return max((_meaningful(_lcs(part, x.text)) for part in parts), default=0)

    scored = sorted(
        (
            (shared(x), x.id)
            for x in view.sections
            if x.drafted and x.kind not in ("title", "salutation", "closing")
        ),
        reverse=True,
    )
    if not scored or scored[0][0] < 3 or (len(scored) > 1 and scored[1][0] >= scored[0][0]):
        return None
    return Target(scored[0][1], "", "topic")


def passage_of(text: str) -> str:
    """The passage a message points to inside a section: a quotation, 第二段, （二）, XX那一层."""
    m = _QUOTE.search(text)
    if m:
        return m.group(1)
    m = _PASSAGE_ORD.search(text)
    if m:
        return m.group(0).rstrip("那这部分")
    m = _POINTED.search(text)
    if m:
        return m.group(1).lstrip("把将对给在")
    return ""


def resolve(text: str, view: ReportView, raw: str = "") -> list[Target]:
    """The sections ``text`` names, in the order named; [] when it names none. ``raw``: the
    clause before its stated figures were blanked (a figure the draft holds points there)."""
    ordinal = by_ordinal(text, view) or by_ordinal(raw, view)  # 第1部分拆成三个: figures blanked
    if ordinal:
        passage = passage_of(text)
        return [Target(sid, passage if len(ordinal) == 1 else "", "ordinal") for sid in ordinal]
    quoted = _QUOTE.search(text)
    if quoted:
        # 开场里的「市委督查组」改成…: the quotation as found in the part a kind word names
        for _, kind_sid in by_kind(_QUOTE.sub("", text), view):
            sec = view.section(kind_sid)
            if sec is not None and quoted.group(1) in sec.text:
                return [Target(kind_sid, quoted.group(1), "quote")]
        sid = by_text(quoted.group(1), view)
        if sid is not None:
            return [Target(sid, quoted.group(1), "quote")]
    pointed = _POINTED.search(text)
    if pointed:
        phrase = _LEAD.sub("", pointed.group(1))
        sid = by_text(phrase, view)
        if sid is not None:
            return [Target(sid, phrase, "text")]
    heading, score = by_heading(text, view)
    kinds = by_kind(text, view)
    if heading is not None and (score >= 3 or not kinds):
        extra = [Target(sid, "", "kind") for _, sid in kinds if sid != heading and score < 4]
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
    found = by_contents(text, view, raw)
    return [found] if found is not None else []
