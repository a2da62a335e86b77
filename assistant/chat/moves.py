"""A passage moved from one part to another: both parts change.

Staff say 雨雪冰冻那条不是问题 放到第三部分里, 污泥台账那段放错地方了 应该在第二部分, or
托位空置和收费高也是问题 挪过去: the part the passage leaves loses it and the part it joins takes
it, so the move is two revisions, the part left first. The part it joins is the one named after
the move word (or, for 挪过去, the part named before); the part it leaves is the one whose text
holds what is moved.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.chat import cues
from assistant.chat.in_text import by_contents, by_topic
from assistant.chat.plan import ReportView, Step
from assistant.chat.sections import by_heading, resolve
from assistant.chat.targets import Target

# 放到第三部分 / 应该在第二部分里 / 挪到履职情况: the part named after the words is where it goes
_TO = re.compile(
    r"(?:放|挪|移|搬|调|归|并)(?:到|进|入)|(?:应该|应当|要|得|该)(?:放在|写在|放|在|归)"
)
# 挪过去 / 移过来: where it goes was named before the words
_OVER = re.compile(r"(?:放|挪|移|搬|调)(?:过去|过来|进来)")
# What the part it leaves changes by: the passage taken out, asked by checks or questions only
# 放到对策建议里不合适吧 还是留着 / 别挪到第三部分: no move (不要放在成效里 放到问题里 is one)
_KEPT = re.compile(
    r"(?:别|不要|不用|不必|不该|不应该|先不)(?:挪|移|放|搬)(?:到|进|过去|过来|了)|还是留着|还是放在原|留在原"
    r"|(?:放|挪|移)(?:到|进)[^，。]{1,12}(?:不合适|不对|不行|不好|不妥)"
    # 那层放到最后没问题: where it stands is approved, nothing moves
    r"|(?:放|挪|移|排)(?:到|在)[^，。]{0,6}(?:没问题|没毛病|可以的?|挺好|行的?)(?:[，。]|$)"
)
_BESIDE = re.compile(r"(?:放|挪|移|搬|调)(?:到|在)[^，。\s]{2,10}(?:前面|后面|之前|之后|前边|后边)")
# 下一步那部分把……, 第三部分里的……: the part the passage is in, named before it
_FROM_PART = re.compile(r"^(.{2,12}?)(?:那部分|这部分|那块|这块|里面|里)(?:的|把|将)")
_ABOUT_MOVE = frozenset({"check", "answer", "ask", "revise"})
_NAMED_BY = ("ordinal", "kind", "heading")


def _first(targets: list[Target], hows: tuple[str, ...]) -> Target | None:
    return next((t for t in targets if t.section and t.how in hows), None)


def _left(before: str, goes: str, view: ReportView) -> Target | None:
    """The part whose text holds what ``before`` points at, other than the one it goes to."""
    named = _FROM_PART.match(before)
    if named:  # 下一步那部分把制度修订挪到……: the part is named where the passage sits
        here = _first(resolve(named.group(1), view), (*_NAMED_BY, "text"))
        if here is not None and here.section != goes:
            return here
    for t in resolve(before, view):
        if t.section and t.section != goes and t.how not in ("heading", "kind"):
            return t
    for part in re.split(r"[，,。；;\s]+", before):
        found = by_contents(part, view) or (by_topic(part, view) if len(part) >= 4 else None)
        if found is not None and found.section and found.section != goes:
            return found
    return None


def kept(text: str) -> bool:
    """Whether ``text`` weighs a move and keeps the passage where it is, or moves it only
    beside another part (挪到廉洁自律前面: still in its own part, before that one)."""
    return bool(_KEPT.search(text) or _BESIDE.search(text))


def move_of(text: str, view: ReportView) -> tuple[Target, Target] | None:
    """(the part left, the part joined) when ``text`` asks to move a passage, else None."""
    if kept(text):
        return None  # 放到对策建议里不合适吧 还是留着: the move is weighed and refused
    to = list(_TO.finditer(text))
    if to:
        m = to[-1]
        after = text[m.end() :]
        joined = _first(resolve(after, view), (*_NAMED_BY, "text"))
        if joined is None:
            # 挪到履职情况: after a move word, two words of a heading name the part
            sid, _ = by_heading(f"{after}那块", view)
            joined = Target(sid, "", "heading") if sid else None
        before = text[: m.start()]
    else:
        over = _OVER.search(text)
        if over is None:
            return None
        before = text[: over.start()]
        clauses = [c for c in re.split(r"[，,。；;\s]+", before) if c]
        joined = None
        for i, clause in enumerate(clauses):
            joined = _first(resolve(clause, view), _NAMED_BY)
            if joined is not None:
                before = "，".join(clauses[:i] + clauses[i + 1 :])
                break
    if joined is None or view.section(joined.section) is None:
        return None
    left = _left(before, str(joined.section), view)
    if left is None:
        return None
    return left, Target(joined.section, "", joined.how)


def moved(steps: list[Step], text: str, view: ReportView) -> list[Step]:
    """``steps`` with a move read as two revisions, the part it leaves first."""
    move = move_of(text, view)
    if move is None:
        return steps
    left, joined = move
    sections = {left.section, joined.section}
    joining = view.section(joined.section)
    # 挪到对策建议里, while 对策建议 is not drafted yet: the part takes the passage (asked to
    # draft as well, 重写第三部分，把…放到第三部分, the redraft says it all)
    into_empty = joining is not None and not joining.drafted and not cues.DRAFT.search(text)
    if not any(st.action in _ABOUT_MOVE or (into_empty and st.action == "draft") for st in steps):
        return steps
    if any(st.action == "draft" and st.section in sections and not into_empty for st in steps):
        return steps
    base = next((st for st in steps if st.action == "revise"), None)
    instruction = base.instruction if base else text
    revisions = [
        Step(
            "revise",
            left.section,
            instruction=instruction,
            passage=left.passage,
            moved_to=joined.section,
        ),
        Step("revise", joined.section, instruction=instruction, moved_from=left.section),
    ]
    if base is not None:
        revisions = [replace(r, confirmed=base.confirmed) for r in revisions]
    kept = [
        st
        for st in steps
        if not (st.action in _ABOUT_MOVE and (st.section in sections or st.section is None))
        and not (into_empty and st.action == "draft" and st.section == joined.section)
    ]
    facts = [st for st in kept if st.action == "facts"]
    rest = [st for st in kept if st.action != "facts"]
    return [*facts, *revisions, *rest]
