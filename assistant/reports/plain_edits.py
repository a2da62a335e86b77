"""Edits a program can make exactly, without a model: replace words, delete a sentence or a
layer, add a sentence the user dictated.

The offline engine cannot follow 写具体点 or 精简一些, but 把“扎实推进”改成“全面推进”, 删掉第三条
or 最后加一句：“……” say precisely what the new text is. :func:`plain_edit` reads such an
instruction against the section's current text and returns the edited text, or ``None`` when the
instruction is not one of these (or names words the text does not contain) — the caller then
says honestly that the request needs a model. Nothing is guessed: the words to change must be
found in the text as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

_OPEN = "“「『\"‘'"
_CLOSE = "”」』\"’'"
_QUOTED = re.compile(r"[“「『\"‘']([^“”「」『』\"‘’']{1,300})[”」』\"’']")
_REPLACE_VERB = r"(?:改成|改为|换成|替换成|替换为|修改为|改写为|写成|调整为)"
_DELETE_VERB = r"(?:删掉|删除|删去|删了|去掉|拿掉|砍掉|不要了)"
_ADD_VERB = r"(?:加上|加一句|加上一句|补一句|补上一句|补充一句|添一句|加入|最后加|末尾加|结尾加)"
# Where-words before the words to change: 第二段的 / 那句里的 / 开头的 / 上面的 …
_WHERE = re.compile(
    r"^(?:.*?(?:部分|段|条|层|句|处|里|中|开头|结尾|标题|上面|前面|后面|这边|那边)的?)"
)
_TAIL = re.compile(r"(?:吧|就行|就好|即可|了|啊|呀|哈)?[。！!，,；;\s]*$")
_STOPS = "。；！？"
_LAYER = re.compile(r"(?<![\u4e00-\u9fff])([一二三四五六七八九十]{1,2})是")
_HEAD = re.compile(r"^\s*（([一二三四五六七八九十]{1,2})）", re.M)
_CN = "一二三四五六七八九十"


@dataclass(frozen=True)
class PlainEdit:
    text: str
    summary: str  # what was done, in Chinese: 把“扎实推进”改成了“全面推进”


def _strip(words: str) -> str:
    return _TAIL.sub("", words.strip().strip(_OPEN + _CLOSE)).strip().strip(_OPEN + _CLOSE)


def _replace(text: str, instruction: str, whole: bool) -> PlainEdit | None:
    quoted = re.search(
        rf"[{_OPEN}]([^{_CLOSE}]{{1,300}})[{_CLOSE}][^{_OPEN}]{{0,6}}?{_REPLACE_VERB}"
        rf"\s*[{_OPEN}]?([^{_CLOSE}]{{1,300}}?)[{_CLOSE}]?[。！!，,；;\s]*$",
        instruction,
    )
    if quoted:
        old, new = quoted.group(1), _strip(quoted.group(2))
    else:
        bare = re.search(rf"(?:[把将])?(.{{1,120}}?){_REPLACE_VERB}(.{{1,300}})$", instruction)
        if not bare:
            return None
        old = _found_tail(text, _WHERE.sub("", bare.group(1)).lstrip("把将"))
        new = _strip(bare.group(2))
        if not old and whole and re.fullmatch(r"[把将]?(?:标题|题目|这个|它)", bare.group(1)):
            old = text.strip()  # 标题改成…: a one-line section is replaced whole
    if not old or not new or old == new or old not in text:
        return None
    count = text.count(old)
    edited = text.replace(old, new)
    times = f"（共{count}处）" if count > 1 else ""
    return PlainEdit(edited, f"把“{old}”改成了“{new}”{times}")


def _found_tail(text: str, words: str) -> str:
    """The longest ending of ``words`` the text contains (把第二段的扎实推进 → 扎实推进)."""
    words = words.strip().strip(_OPEN + _CLOSE)
    for start in range(len(words)):
        candidate = words[start:]
        if len(candidate) >= 2 and candidate in text:
            return candidate
    return ""


def _unit_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence or layer holding ``text[start:end]``, with its closing stop; a line led
    by （二） is taken whole."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if _HEAD.match(text[line_start:line_end]) and start - line_start <= 4:
        return line_start, min(len(text), line_end + 1)
    left = max(text.rfind(c, 0, start) for c in _STOPS + "\n") + 1
    right = min((i for i in (text.find(c, end) for c in _STOPS + "\n") if i >= 0), default=-1)
    right = len(text) if right < 0 else right + (text[right] != "\n")
    return left, right


_POINTER = re.compile(
    r"(倒数)?第([一二三四五六七八九十\d]{1,2})(条|层|点|项|段|自然段)|[（(]([一二三四五六七八九十])[)）]"
    r"|最后一(?:个)?(条|层|点|项|段|自然段)"
)


def _block(text: str, passage: str) -> tuple[int, int] | None:
    """Where a pointer passage (第一条, （二）, 第三段, 倒数第二段, 最后一条) stands in
    ``text``: the layer under the N-th （N） head (to the next head), else the N-th 一是… item,
    or the N-th paragraph — counted from the end after 倒数 or 最后."""
    m = _POINTER.fullmatch(passage.strip().rstrip("那这"))
    if m is None:
        return None
    numeral = m.group(2) or m.group(4) or "一"
    n = int(numeral) if numeral.isdigit() else _number(numeral)
    unit = m.group(3) or m.group(5) or ""
    from_end = bool(m.group(1) or m.group(5))

    def nth(count: int) -> int | None:
        """The index of the pointed-at one among ``count``, or None when there are too few."""
        if not 1 <= n <= count:
            return None
        return count - n if from_end else n - 1

    heads = list(_HEAD.finditer(text))
    if unit not in ("段", "自然段") and (i := nth(len(heads))) is not None:
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        return heads[i].start(), len(text[:end].rstrip("\n"))
    layers = list(_LAYER.finditer(text))
    if unit not in ("段", "自然段") and (i := nth(len(layers))) is not None:
        start = layers[i].start()
        stops = [j for j in (text.find(c, start) for c in "；;。\n") if j >= 0]
        end = min(stops) if stops else len(text)
        return start, end + (text[end : end + 1] == "。")  # the run's last item, with its 。
    spans = [x.span() for x in re.finditer(r"[^\n]+", text) if x.group().strip()]
    if unit in ("段", "自然段") and (i := nth(len(spans))) is not None:
        return spans[i]
    return None


def _pointer_in(instruction: str) -> str:
    m = _POINTER.search(instruction)
    return m.group(0) if m else ""


def _renumber(text: str) -> str:
    """一是/二是 … within each paragraph and （一）（二） … line heads, counted again in order."""
    lines = [_counted(_LAYER, line, "{}是") for line in text.split("\n")]
    heads = iter(range(1, 40))
    return _HEAD.sub(lambda m: m.group(0).replace(m.group(1), _cn(next(heads))), "\n".join(lines))


def _counted(pattern: re.Pattern[str], line: str, form: str) -> str:
    """The line's 一是…二是… counted again; a run that starts again at 一是 (the problems'
    run, then the measures' in one paragraph) is counted from one again."""
    n = 0

    def count(m: re.Match[str]) -> str:
        nonlocal n
        n = 1 if m.group(1) == "一" else n + 1
        return form.format(_cn(n))

    return pattern.sub(count, line)


def _cn(n: int) -> str:
    if n <= 10:
        return _CN[n - 1]
    return ("" if n < 20 else _CN[n // 10 - 1]) + "十" + (_CN[n % 10 - 1] if n % 10 else "")


def _delete(text: str, instruction: str, passage: str) -> PlainEdit | None:
    if not re.search(_DELETE_VERB, instruction):
        return None
    pointed = _block(text, passage or _pointer_in(instruction))
    if pointed is not None:  # 删掉第三条: that layer, whole
        start, end = pointed
        removed = text[start:end]
        whole_line = (start == 0 or text[start - 1] == "\n") and text[end : end + 1] in ("\n", "")
        if _HEAD.match(removed) or whole_line:  # a （N） layer or a paragraph, with its line
            edited = text[:start] + text[end:].lstrip("\n")
            if not text[end:].strip():  # the last paragraph: no line break left hanging
                edited = edited.rstrip("\n")
        else:  # 二是…； out of 一是…；二是…；三是…。 (the last one's 。 goes to the one before)
            after = text[end : end + 1]
            if after in ("；", ";"):
                end += 1
            elif removed.endswith("。") and text[:start].rstrip().endswith(("；", ";")):
                cut = len(text[:start].rstrip())
                text, start = text[: cut - 1] + "。" + text[cut:], start
            edited = text[:start] + text[end:]
        edited = _renumber(re.sub(r"\n{3,}", "\n\n", edited))
        shown = removed.strip()
        return PlainEdit(edited, f"删去了“{shown[:40]}{'…' if len(shown) > 40 else ''}”")
    quoted = [q for q in _QUOTED.findall(instruction) if q in text]
    target = quoted[0] if quoted else passage if passage and passage in text else ""
    if not target:
        bare = re.search(
            rf"[把将](.{{2,80}}?)(?:这句话?|这段话?|这几个字|这一?条|这层)?{_DELETE_VERB}",
            instruction,
        )
        target = _found_tail(text, bare.group(1)) if bare else ""
    if not target:
        return None
    start = text.find(target)
    whole = passage == target or bool(
        re.search(r"(?:[这那]一?[句段条层]|第.[条段句层])", instruction)
    )
    if not whole and len(target) <= 12 and not any(c in target for c in _STOPS):
        count = text.count(target)  # a word or a phrase, wherever it stands
        times = f"（共{count}处）" if count > 1 else ""
        return PlainEdit(text.replace(target, ""), f"删去了“{target}”{times}")
    left, right = _unit_around(text, start, start + len(target))
    if re.search(r"[这那]一?层", instruction) and (start == 0 or text[start - 1] == "\n"):
        # “统筹抓好其他工作”那层: the layer its lead phrase opens is the whole line
        line_end = text.find("\n", start)
        left, right = start, len(text) if line_end < 0 else line_end + 1
    removed = text[left:right]
    edited = text[:left] + text[right:]
    # 一是A；二是B；三是C。 without the last layer ends 二是B。, not 二是B；
    if removed.rstrip().endswith("。") and edited[:left].rstrip().endswith("；"):
        cut = len(edited[:left].rstrip())
        edited = edited[: cut - 1] + "。" + edited[cut:]
    edited = re.sub(r"\n{3,}", "\n\n", _renumber(edited)).strip("\n") + (
        "\n" if text.endswith("\n") else ""
    )
    shown = removed.strip()
    return PlainEdit(edited, f"删去了“{shown[:40]}{'…' if len(shown) > 40 else ''}”")


def _add(text: str, instruction: str, passage: str) -> PlainEdit | None:
    pointed = _block(text, passage) if passage else None
    if pointed is not None:  # 第一条加一句：…: the sentence closes that layer
        end = pointed[1]
        passage = text[pointed[0] : end]
        if text[end : end + 1] in ("；", ";") or text[end - 1 : end] in ("；", ";"):
            return None  # inside a run of 一是…；二是…: where it goes is not ours to guess
    said = re.search(rf"{_ADD_VERB}[^：:{_OPEN}]{{0,8}}[：:]\s*(.+)$", instruction)
    quoted = re.search(
        rf"{_ADD_VERB}[^{_OPEN}]{{0,8}}[{_OPEN}]([^{_CLOSE}]{{2,300}})[{_CLOSE}]", instruction
    )
    words = (quoted.group(1) if quoted else said.group(1) if said else "").strip()
    words = words.strip(_OPEN + _CLOSE).strip()
    if len(words) < 4:
        return None
    if words[-1] not in _STOPS:
        words += "。"
    if pointed is not None:
        head = text[: pointed[1]]
        edited = head + ("" if head[-1:] in _STOPS else "。") + words + text[pointed[1] :]
    elif passage and passage in text:
        _, right = _unit_around(text, text.find(passage), text.find(passage) + len(passage))
        if text[right - 1 : right] == "；":
            return None  # inside a run of 一是…；二是…: where it goes is not ours to guess
        edited = text[:right] + words + text[right:]
    else:
        body = text.rstrip("\n")
        edited = body + ("" if not body or body[-1] in _STOPS else "。") + words + text[len(body) :]
    return PlainEdit(edited, f"加上了“{words}”")


_ADD_ITEM = re.compile(
    r"(?:再|还要|另外)?(?:加|补|增加|添|补充|增补|新增)(?:上)?(?:一|1)(?:条|点|项)[：:，,]\s*(.+)$"
)


def _add_item(text: str, instruction: str) -> PlainEdit | None:
    """加一条：推进智慧监所建设 — a new last item of the text's last 一是…；二是… run, or a
    sentence at the end where the text has no such run."""
    m = _ADD_ITEM.search(instruction)
    if m is None:
        return None
    words = _TAIL.sub("", m.group(1).strip().strip(_OPEN + _CLOSE)).rstrip("。；;")
    if len(words) < 4:
        return None
    layers = list(_LAYER.finditer(text))
    if not layers:
        body = text.rstrip("\n")
        edited = body + ("" if not body or body[-1] in _STOPS else "。") + words + "。"
        return PlainEdit(edited + text[len(body) :], f"加上了“{words}。”")
    last = layers[-1]
    end = min(
        (i for i in (text.find("。", last.end()), text.find("\n", last.end())) if i >= 0),
        default=len(text),
    )
    item = f"{_cn(_number(last.group(1)) + 1)}是{words}"  # after 三是…, 四是…
    edited = text[:end].rstrip("；;") + "；" + item + text[end:]
    if end == len(text):
        edited += "。"
    return PlainEdit(_renumber(edited), f"加上了一条：“{item}”")


def _number(numeral: str) -> int:
    """三 → 3, 十二 → 12 (the numerals 一是…十九是 use)."""
    if "十" not in numeral:
        return _CN.index(numeral) + 1
    tens, _, ones = numeral.partition("十")
    return (_CN.index(tens) + 1 if tens else 1) * 10 + (_CN.index(ones) + 1 if ones else 0)


def _moved_span(text: str, passage: str) -> tuple[int, int, bool] | None:
    """Where the words ``passage`` points at stand: the sentence (一是… item, （N） layer)
    holding them, or only their clause when the sentence runs on through two more (专题研讨24场，
    检视问题63个 keeps 专题研讨24场 where it is); whether it is a clause."""
    found = _found_tail(text, passage) if passage else ""
    if len(found) < 2:
        return None
    start = text.find(found)
    left, right = _unit_around(text, start, start + len(found))
    stop = right - 1 if right > left and text[right - 1] in _STOPS + "\n" else right
    commas = [i for i in range(left, stop) if text[i] in "，,"]
    if len(commas) >= 2:
        bounds = [left - 1, *commas, stop]
        for a, b in pairwise(bounds):
            if a < start and start + len(found) <= b:
                return (a, b, True) if a >= left else (left, b + 1, True)
    return left, right, False


def moved_sentence(text: str, passage: str) -> str:
    """The words that move with ``passage``, as they would read on their own; "" when the text
    does not hold it."""
    span = _moved_span(text, passage)
    if span is None:
        return ""
    said = text[span[0] : span[1]].strip(" ，,\n")
    said = re.sub(rf"^(?:[{_CN}]{{1,2}}是|（[{_CN}]{{1,2}}）)", "", said)
    return said.rstrip("；;。，, \n")


def move_out(text: str, passage: str) -> PlainEdit | None:
    """``text`` without the words that move with ``passage`` (they go to another part)."""
    span = _moved_span(text, passage)
    if span is None:
        return None
    left, right, clause = span
    if not clause:
        found = _found_tail(text, passage)
        return _delete(text, f"把“{found}”这句删掉", found)
    removed = text[left:right].strip(" ，,")
    edited = text[:left] + text[right:]
    return PlainEdit(edited, f"删去了“{removed[:40]}{'…' if len(removed) > 40 else ''}”")


def move_in(text: str, sentence: str) -> PlainEdit | None:
    """``text`` with ``sentence`` added at the end of its last paragraph."""
    sentence = sentence.strip().rstrip("；;。，,")
    if not sentence or sentence in text:
        return None
    body = text.rstrip("\n")
    joined = body if body.endswith(tuple(_STOPS)) or not body else body + "。"
    edited = f"{joined}{sentence}。" + ("\n" if text.endswith("\n") else "")
    return PlainEdit(edited, f"移入了“{sentence[:40]}{'…' if len(sentence) > 40 else ''}”")


def plain_edit(
    text: str, instruction: str, passage: str = "", *, whole: bool = False
) -> PlainEdit | None:
    """``text`` edited as ``instruction`` says, when it says exactly how; else ``None``.
    ``whole``: the text is one line (a title) that 改成… may replace entirely."""
    if not text.strip() or not instruction.strip():
        return None
    instruction = instruction.strip()
    edit = (
        _replace(text, instruction, whole)
        or _delete(text, instruction, passage)
        or _add_item(text, instruction)
        or _add(text, instruction, passage)
    )
    return edit if edit is not None and edit.text != text else None
