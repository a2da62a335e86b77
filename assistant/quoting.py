"""How a sentence of a draft is quoted back to the user: the clause that tells a figure, and a
long quote shortened at a clause or word boundary, never inside a word or a number.

Shared by the chat's 出处 answers, its fact answers and the notes of the OpenAI-compatible
replies, so every quote the user reads is cut the same way (a plain ``[:30]`` had cut
“……受理群众来” mid-word).
"""

from __future__ import annotations

import re

from assistant.retrieval.tokenize import load_jieba

ELLIPSIS = "……"
_CLAUSES = re.compile(r"[，,；;。！？!?]")
_BREAKS = "，,；;：:、"
_DIGITS = re.compile(r"[^\d.]")


def clause_of(sentence: str, value: object) -> str:
    """The clause of ``sentence`` that tells ``value``'s figure; the whole sentence when it has
    one clause, the value has no digits, or no clause holds them."""
    number = _DIGITS.sub("", f"{value}").strip(".")
    if not number:
        return sentence
    parts = [part for part in _CLAUSES.split(sentence) if part.strip()]
    if len(parts) < 2:
        return sentence
    return next((part.strip() for part in parts if number in part), sentence)


def quote(text: str, limit: int = 30) -> str:
    """``text`` on one line, at most ``limit`` characters before an ellipsis: cut at the last
    clause break in the second half of the limit, else at the last word end (jieba), else at
    the limit but never inside a number; a 《title》 open at the cut is quoted whole when it
    closes within twice the limit, else left out."""
    s = " ".join(str(text).split())
    if len(s.rstrip("。")) <= limit:
        return s
    floor = limit // 2
    breaks = [i for i in range(floor, limit + 1) if s[i] in _BREAKS]
    if breaks:
        return s[: breaks[-1]] + ELLIPSIS
    ends = [end for _, _, end in load_jieba().tokenize(s[: limit + 8]) if floor <= end <= limit]
    cut = ends[-1] if ends else limit
    opened = s.rfind("《", 0, cut)
    if opened > s.rfind("》", 0, cut):  # inside a title: all of it when short, else none
        closed = s.find("》", cut)
        cut = closed + 1 if 0 <= closed < 2 * limit else opened
    while cut > 0 and _inside_number(s, cut):
        cut -= 1
    return s[:cut].rstrip(_BREAKS + "“") + ELLIPSIS


def _inside_number(s: str, cut: int) -> bool:
    return 0 < cut < len(s) and s[cut - 1].isdigit() and (s[cut].isdigit() or s[cut] in ".%")
