"""Sections found by what their drafted text holds: a phrase pointed at (……那一层), a layer named
by its marker (（三）特种设备那一条), a figure the message quotes, words typed without their
punctuation, or the topic a question asks about.
"""

from __future__ import annotations

import re

from assistant.chat.plan import ReportView, SectionView
from assistant.chat.targets import CN, Target, lcs, meaningful

_LAYER = re.compile(
    r"(?:^|\n|[（(][一二三四五六七八九十][)）]|[一二三四五六七八九十]是)([^。；\n]{2,40})"
)


_MARKER_ONLY = re.compile(rf"[（(][{CN}]{{1,2}}[)）]|[{CN}]是|\d{{1,2}}[.、．]")


_LAYER_NAMED = re.compile(rf"^[（(]([{CN}])[)）](.{{2,20}})$")


def by_layer(phrase: str, view: ReportView) -> Target | None:
    """（三）特种设备那一条: the one layer marked （三） whose words hold most of the rest, with
    that layer as the passage (its heading may say 强化特种设备安全监管)."""
    m = _LAYER_NAMED.match(phrase)
    if m is None:
        return None
    marker, words = f"（{m.group(1)}）", m.group(2)
    found: list[tuple[str, str]] = []
    for s in view.sections:
        at = s.text.find(marker) if s.drafted else -1
        if at < 0:
            continue
        layer = re.split(r"\n|[（(][一二三四五六七八九十][)）]", s.text[at + len(marker) :])[0]
        if len(lcs(words, layer)) >= min(len(words), 3):
            found.append((s.id, marker + layer))
    return Target(found[0][0], found[0][1], "text") if len(found) == 1 else None


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
    scored = [(len(lcs(phrase, s.text)), s.id) for s in view.sections if s.drafted]
    scored.sort(reverse=True)
    clear = len(scored) == 1 or (len(scored) > 1 and scored[1][0] < scored[0][0])
    if scored and scored[0][0] >= max(4, int(len(phrase) * 0.6)) and clear:
        return scored[0][1]
    return _abbreviated(phrase, view)


def _abbreviated(phrase: str, view: ReportView) -> str | None:
    """混改 for 混合所有制改革, 三资 for 三类资金…: the one drafted section where the short
    phrase's characters stand in order within one clause, a few characters apart."""
    if not 2 <= len(phrase) <= 4 or not all("\u4e00" <= c <= "\u9fff" for c in phrase):
        return None
    spread = re.compile("[^，。；：、\n]{0,5}".join(map(re.escape, phrase)))
    holding = [s.id for s in view.sections if s.drafted and spread.search(s.text)]
    if not holding and len(phrase) == 4:
        # 追回资金 for 追回违规发放优抚补助资金: two words of one clause, further apart
        halves = re.compile(re.escape(phrase[:2]) + "[^，。；：、\n]{0,12}" + re.escape(phrase[2:]))
        holding = [s.id for s in view.sections if s.drafted and halves.search(s.text)]
    return holding[0] if len(holding) == 1 else None


_NAMED = re.compile(
    r"([^，。、；：！？\s“”「」]{2,14}?)(?:那块|这块|那部分|这部分|那里|这里|里面|那个|那项|那条|这条|那句|那一块|那段|这段|那层|这层)"
)
LEADING = re.compile(
    r"^(?:把|将|对|给|在|关于|就|有关|帮我|请|再|那个|然后|最后|另外|还有|加到|放到|写到|写进|放进|补到)+"
)


def by_contents(text: str, view: ReportView, raw: str = "") -> Target | None:
    """A drafted section that holds what the message points at: a phrase before 那块/那个 …, or a
    figure the message quotes (企业开办0.5个工作日这个数据是哪来的 → the section that says it)."""
    m = _NAMED.search(text)
    if m:
        phrase = LEADING.sub("", m.group(1))
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
        # 参演1100人 for the text's 参演人员1100余人: 余/多 between the figure and its unit
        lead = re.match(r"[\d.]+[万亿]?", said)
        cut = lead.end() if lead else 0
        loose = re.escape(said[:cut]) + ("(?:余|多)?" if cut else "") + re.escape(said[cut:])
        holding = [s.id for s in view.sections if s.drafted and re.search(loose, s.text)]
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
        return max((meaningful(lcs(part, x.text)) for part in parts), default=0)

    scored = sorted(
        (
            (shared(x), x.id)
            for x in view.sections
            if x.drafted and x.kind not in ("title", "salutation", "closing")
        ),
        reverse=True,
    )
    if not scored or scored[0][0] < 3 or (len(scored) > 1 and scored[1][0] >= scored[0][0]):
        # 招标办法 for the text's 招标管理办法: the question's words spread over one clause
        kept = {sid for _, sid in scored}  # (not the title: 述职报告 spreads over 述职述廉报告)
        spread = {
            sid
            for part in parts
            for i in range(max(0, len(part) - 3))
            if (sid := _abbreviated(part[i : i + 4], view)) in kept
        }
        return Target(spread.pop(), "", "topic") if len(spread) == 1 else None
    return Target(scored[0][1], "", "topic")
