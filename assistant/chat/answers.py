"""What the chat says without drafting: answers about the report, and what it still lacks.

An answer comes from the fact sheet first (开了几次常委会议？ → 常委会议：9次〔F3〕) and then from
the drafts' sentences that tell that fact; when neither holds the asked thing the answer says
事实表中没有, and never guesses a figure. The gaps list is built per section from what a user can
act on: parts not drafted, 【待补充】 places left in the text, body parts the outline gives no
fact, and report details (单位、时间) the title and signature need.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.chat.plan import ReportView
from assistant.drafting.evidence import bigrams, fact_label
from assistant.drafting.outline import Outline
from assistant.facts.numbers import readable
from assistant.facts.sheet import Fact, FactSheet
from assistant.quoting import quote

_PLACEHOLDER = re.compile(r"【待补充[:：]?([^】]*)】")
_ASKING = re.compile(
    r"[?？吗呢啊]|请问|帮我|一下|告诉我|我们|咱们|今年|去年|全年|一共|总共|共|了|开了|有|是|多少|几[次个项名家件场]?|哪些|什么|怎么样|情况"
)
_STOPS = re.compile(r"(?<=[。！？；])")
META_NAMES = {
    "organization": "单位名称",
    "period": "时间范围",
    "recipient": "报送对象",
    "date": "成文日期",
}


@dataclass(frozen=True)
class Answer:
    text: str
    facts: list[str] = field(default_factory=list)  # keys the answer rests on


def _score(question: str, fact: Fact) -> float:
    q = bigrams(question)
    if not q:
        return 0.0
    k = bigrams(fact.key) | bigrams(fact.note)
    hit = len(q & k)
    return hit / max(1, min(len(q), len(bigrams(fact.key)) or 1))


# 第一部分写了哪几个方面 / 这部分讲了什么: what a part's text says, by its layers
_CONTENTS = re.compile(
    r"写了(?:哪|什么|啥|些)|讲了(?:哪|什么|啥)|说了(?:哪|什么|啥)|哪几个?方面|哪些方面|哪些内容|哪几层|几层意思"
    r"|(?:什么|哪些)内容|分别是(?:什么|啥|哪)"
)
_HEADED = re.compile(r"^\s*（([一二三四五六七八九十]{1,2})）\s*(.+?)\s*$", re.M)
_ITEM = re.compile(r"(?:^|[：:；;。])\s*([一二三四五六七八九十]{1,2})是([^，,；;。]{2,40})")
_LEAD = re.compile(r"^\s*([^，,。；;\n]{2,14}。)")


def layers_of(text: str) -> list[str]:
    """The layers a part's text is told in: its （一） headings, else its 一是… items, else
    the lead phrase of each paragraph, else its first sentence."""
    headed = [f"（{m.group(1)}）{m.group(2)}" for m in _HEADED.finditer(text)]
    if headed:
        return headed
    items = [f"{m.group(1)}是{m.group(2)}" for m in _ITEM.finditer(text)]
    if len(items) >= 2:
        return items
    paragraphs = [p for p in text.splitlines() if p.strip()]
    leads = [m.group(1).rstrip("。") for p in paragraphs if (m := _LEAD.match(p))]
    if leads and len(leads) == len(paragraphs):
        return leads
    first = _STOPS.split(text.strip(), maxsplit=1)[0].strip()
    return [quote(first, 60)] if first else []


def _contents(view: ReportView) -> Answer:
    (part,) = view.sections
    label = view.label(part.id)
    if not part.drafted:
        return Answer(f"{label}尚未起草。")
    found = layers_of(part.text)
    if len(found) == 1:
        return Answer(f"{label}写的是：{found[0]}。")
    return Answer(f"{label}写了{len(found)}个方面：" + "；".join(found) + "。")


def answer(question: str, sheet: FactSheet, view: ReportView) -> Answer:
    if (
        len(view.sections) == 1
        and _CONTENTS.search(question)
        and not re.search(r"数据|数字|多少|几[次项名家件场]|几个(?!方面)", question)
    ):
        return _contents(view)  # 第一部分写了哪几个方面: the part's own layers
    asked = _ASKING.sub("", question).strip(" ，,。")
    scored = sorted(((_score(asked, f), i, f) for i, f in enumerate(sheet.facts)), reverse=True)
    hits = [f for score, _, f in scored if score >= 0.5][:3]
    if not hits:
        told = _sentences_about(asked, view)
        if told:
            where, sentence = told[0]
            return Answer(f"事实表中没有这一项；{where}写道：“{sentence}”")
        return Answer(
            f"事实表中没有“{asked or question}”的数据，草稿里也没有写到。请补充事实后再起草。"
        )
    parts = []
    for f in hits:
        value = readable(f.value, f.unit)
        note = f"（{f.note}）" if f.note else ""
        parts.append(f"{f.key}：{value}{note}〔{fact_label(sheet, f.key)}〕")
    places = [w for w, s in _sentences_about(hits[0].key, view) if str(hits[0].value) in s]
    tail = f"，草稿中写在{places[0]}" if places else ""
    return Answer("根据事实表，" + "；".join(parts) + tail + "。", [f.key for f in hits])


def _sentences_about(words: str, view: ReportView) -> list[tuple[str, str]]:
    want = bigrams(words)
    out: list[tuple[float, str, str]] = []
    for s in view.sections:
        for sentence in _STOPS.split(s.text):
            sentence = sentence.strip()
            if not sentence or not want:
                continue
            share = len(want & bigrams(sentence)) / len(want)
            if share >= 0.6:
                out.append((share, view.label(s.id), quote(sentence, 120)))
    out.sort(key=lambda t: -t[0])
    return [(w, s) for _, w, s in out]


def gaps(
    view: ReportView, sheet: FactSheet, outline: Outline, section: str | None = None
) -> list[dict[str, Any]]:
    """What each section still lacks, only sections that lack something; ``section``: one."""
    out: list[dict[str, Any]] = []
    meta_missing = [
        label
        for name, label in META_NAMES.items()
        if name != "date" and not getattr(sheet.report, name, None)
    ]
    for s in view.sections:
        if section and s.id != section:
            continue
        missing: list[str] = []
        spec = view.template.section(s.id)
        if s.kind == "title" and meta_missing:
            missing += [f"报告信息：{m}" for m in meta_missing if m != "报送对象"]
        if s.kind == "salutation" and not sheet.report.recipient:
            missing.append("报告信息：报送对象（称谓）")
        places = [m.group(1) or "内容" for m in _PLACEHOLDER.finditer(s.text)]
        item = next((i for i in outline.sections if i.id == s.id), None)
        unfed = spec.kind in ("body", "problems", "plans") and item is not None and not item.facts
        if unfed:  # one item: the 【待补充】 of such a part is what its missing facts leave
            where = f"，正文留有{len(places)}处【待补充】" if places else ""
            missing.append(f"事实表中还没有这一部分用的事实（{spec.purpose}）{where}")
        else:
            missing += [f"正文【待补充：{p}】处要补写" for p in places]
        if not s.drafted and s.kind not in ("title",):
            missing.append("尚未起草")
        if missing:
            out.append(
                {
                    "section": s.id,
                    "label": view.label(s.id),
                    "missing": missing,
                    "placeholders": len(places),
                    "drafted": s.drafted,
                }
            )
    return out


def in_uploads(question: str, passages: Sequence[tuple[str, str]]) -> str:
    """The sentence of the report's uploads that best answers ``question`` (a figure the fact
    sheet lacks but a scanned 纪要 holds), as a reply that says where it is and what to do; ""
    when none shares most of what is asked. ``passages``: (file name, text), best first."""
    asked = _ASKING.sub("", question).strip(" ，,。？?")
    wanted = bigrams(asked)
    if not wanted:
        return ""
    best: tuple[float, str, str] | None = None
    for name, text in passages:
        for sentence in re.split(r"(?<=[。；;！？!?\n])", text):
            sentence = sentence.strip()
            if not sentence or not re.search(r"\d", sentence):
                continue
            share = len(wanted & bigrams(sentence)) / len(wanted)
            if best is None or share > best[0]:
                best = (share, name, sentence)
    if best is None or best[0] < 0.5:
        return ""
    _, name, sentence = best
    return (
        f"事实表中没有这一项；上传材料“{name}”中写道：“{sentence}”"
        "（如要在报告中使用，请先把它补充进事实表并确认）。"
    )
