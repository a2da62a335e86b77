"""Names in a text — places, units, people, brands — found by their shape.

jieba's part-of-speech tags alone are too noisy on 公文 (城市, 美丽 and 深度 are tagged places), so
a name needs a shape: a stem followed by an administrative suffix (青溪 + 县委, 云岭 + 镇), a
river or zone word (滨江 + 干流), a company suffix, a post next to a person's name, or a place
inside a quoted brand (“云岭云雾”). Only windows around such anchors are segmented, which keeps a
20,000-character check fast. Grounding the names is :mod:`assistant.checks.name_grounding`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from assistant.checks.confusables import load_jieba
from assistant.checks.name_lists import (
    ADMIN,
    ADMIN_TAILS,
    COMPANY,
    GENERIC_FIRST,
    GENERIC_LAST,
    GENERIC_STEMS,
    GEO_TAILS,
    NATIONAL,
    POSTS,
    SURNAMES,
    TRADE,
)

NameKind = Literal["place", "unit", "person", "brand"]

_CJK = re.compile(r"[\u4e00-\u9fff]+")
_ADMIN_RE = "|".join(ADMIN)
_UNIT_TOKEN = re.compile(rf"({_ADMIN_RE})(.*)")
_POST_TAILS = {"委书记", "党委书记", "长", "级", "直", "域"}  # a post or an adjective, not a unit
_ANCHOR = re.compile(
    "|".join(sorted({*ADMIN, *GEO_TAILS, *COMPANY, *POSTS}, key=len, reverse=True))
)
_QUOTE = re.compile(r"“([^“”\n，、—·：；]{2,8})”")  # a brand is short and one phrase

_BREAK = re.compile(r"[，。；：、！？\n“”‘’《》（）()【】〔〕\s]")
_PROPER_TAGS = {"ns", "nr", "nrt", None}  # nz is too noisy (大力发展/nz)
_COMMON_ENDS = {"超市", "城市", "都市", "农村", "乡村", "山村", "城镇", "乡镇", "小镇", "县城"}
_STEM_TAGS = {"ns", "nr", None, "n"}  # fictional stems are often unknown (青岚) or nouns (石门)
# Provinces, cities and districts are names jieba knows (云州/ns); a stem it does not know is only
# trusted before a county, town or village suffix (青岚县, 南屏乡), a common noun only before a
# town or village one (石门村, 桃源街道) — elsewhere such stems are prose (先行区, 办理省).
_UNKNOWN_OK = {"县", "自治县", "镇", "乡", "村", "街道", "社区"}
_NOUN_OK = {"镇", "乡", "村", "街道"}
_WINDOW = 8  # characters before an anchor: the longest stem plus a word of context


@dataclass(frozen=True)
class Name:
    start: int
    end: int
    text: str
    stem: str  # what identifies it: 云岭 of 云岭镇, 临江 of 临江市水务局
    kind: NameKind


@dataclass(frozen=True)
class _Tok:
    word: str
    start: int
    end: int
    tag: str | None


@functools.lru_cache(maxsize=8192)
def proper_stem(stem: str) -> bool:
    """Could ``stem`` name one particular place or unit (not 全县, 中心镇, 美丽乡村)?"""
    return (
        2 <= len(stem) <= 6
        and _CJK.fullmatch(stem) is not None
        and stem not in GENERIC_STEMS
        and stem[0] not in GENERIC_FIRST
        and stem[-1] not in GENERIC_LAST
        and not any(stem[:k] in GENERIC_STEMS for k in range(1, len(stem)))
        and "某" not in stem
        and not stem.startswith("中共")  # 中共广东省委: the party prefix is no part of the place
    )


def warm_up() -> None:
    """Load jieba's dictionary and tags now (about a second) rather than in the first check."""
    _tags()


def _tags() -> dict[str, str]:
    load_jieba()
    import jieba.posseg

    table: dict[str, str] = jieba.posseg.dt.word_tag_tab
    return table


def _tokens(text: str, start: int, end: int) -> list[_Tok]:
    jieba = load_jieba()
    tags = _tags()
    out: list[_Tok] = []
    for w, a, b in jieba.tokenize(text[start:end]):
        tok = _Tok(w, start + a, start + b, tags.get(w))
        prev = out[-1] if out else None
        # 青 + 岚县: a fictional county whose tail is a real one jieba knows (岚县).
        if (
            prev is not None
            and len(prev.word) == 1
            and prev.tag in ("ns", "nr")
            and prev.word not in GENERIC_FIRST
            and tok.tag == "ns"
            and tok.word.endswith(ADMIN)
        ):
            out[-1] = _Tok(prev.word + w, prev.start, tok.end, "ns")
            continue
        out.append(tok)
    return out


def _windows(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in _ANCHOR.finditer(text):
        a = max(0, m.start() - _WINDOW)
        brk = [b.end() for b in _BREAK.finditer(text, a, m.start())]
        a = brk[-1] if brk else a
        if m.start() - a < 2:
            continue  # nothing before the anchor could be a stem
        stop = _BREAK.search(text, m.end())
        b = min(stop.start() if stop else len(text), m.end() + 6)
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], b))
        else:
            spans.append((a, b))
    return spans


def _stem_token(t: _Tok) -> bool:
    if t.tag == "nr" and len(t.word) > 3:
        return False  # 严格执行/nr: jieba's person tag on a long word is noise
    return t.tag in _STEM_TAGS and proper_stem(t.word)


def _place_token(t: _Tok) -> Name | None:
    """One jieba word that is a whole place: 临江市, 城关镇, 红星村."""
    if t.tag not in _PROPER_TAGS:
        return None
    for suffix in ADMIN:
        if not t.word.endswith(suffix) or not proper_stem(t.word[: -len(suffix)]):
            continue
        if t.tag != "ns" and suffix not in _UNKNOWN_OK:
            return None
        # A word ending in a common noun is prose run together (新型农村, 大型超市), except a
        # real place jieba knows (崂山区, 兰州新区).
        end_word = _tags().get(t.word[-2:])
        if t.word[-2:] in _COMMON_ENDS or (t.tag != "ns" and end_word not in (None, "ns")):
            return None
        return Name(t.start, t.end, t.word, t.word[: -len(suffix)], "place")
    return None


def _stem_then_suffix(t: _Tok, nxt: _Tok) -> Name | None:
    """A stem word followed by 县委, 镇, 区委书记 or 干流: 青溪 + 县委, 滨江 + 干流."""
    if not _stem_token(t) or nxt.start != t.end:
        return None
    if nxt.word in GEO_TAILS and t.tag == "ns":  # 滨江 + 干流, not 零碳 + 园区
        return Name(t.start, nxt.end, t.word + nxt.word, t.word, "place")
    m = _UNIT_TOKEN.fullmatch(nxt.word)
    if m is None or m.group(2) not in ADMIN_TAILS:
        return None
    admin, tail = m.groups()
    if tail == "长" and t.tag != "ns":
        return None  # 张伟县长: a person before a post, not a county
    if tail in ("级", "直") and t.tag != "ns":
        return None  # 做实县级工作: a verb before an adjective
    if t.tag != "ns" and admin not in (_NOUN_OK if t.tag == "n" else _UNKNOWN_OK):
        return None
    if tail in _POST_TAILS:
        tail = ""
    kind: NameKind = "unit" if tail else "place"
    text = t.word + admin + tail
    return Name(t.start, t.start + len(text), text, t.word, kind)


def _company(toks: Sequence[_Tok], k: int) -> Name | None:
    """云岭 + 茶业 + 有限公司, 东湖 + 市 + 水务 + 集团."""
    j = k - 1
    while j >= 0 and k - j <= 4 and (toks[j].word in TRADE or toks[j].word in ADMIN):
        j -= 1
    if j < 0 or j == k - 1:
        return None
    head = toks[j]
    place = _place_token(head)
    proper = head.tag != "n" and _stem_token(head)
    stem = place.stem if place else (head.word if proper else None)
    if stem is None:
        return None
    return Name(head.start, toks[k].end, "".join(t.word for t in toks[j : k + 1]), stem, "unit")


def _person(toks: Sequence[_Tok], k: int) -> Name | None:
    t = toks[k]
    if t.tag not in ("nr", "nrt", None) or not 2 <= len(t.word) <= 3:
        return None
    if t.word[0] not in SURNAMES or "某" in t.word or not _CJK.fullmatch(t.word):
        return None
    before = toks[k - 1].word if k else ""
    after = toks[k + 1].word if k + 1 < len(toks) else ""
    if after in POSTS or before.endswith(POSTS):
        return Name(t.start, t.end, t.word, t.word, "person")
    return None


def _organisation(t: _Tok) -> Name | None:
    """A whole organisation jieba keeps as one word (山东省人民政府/nt): its leading place."""
    if t.tag != "nt":
        return None
    tags = _tags()
    for k in range(min(len(t.word) - 1, 7), 1, -1):
        head = t.word[:k]
        admin = next((a for a in ADMIN if t.word.startswith(a, k)), "")
        if tags.get(head) == "ns" and admin and proper_stem(head):
            return Name(t.start, t.start + k + len(admin), head + admin, head, "place")
        place = _place_token(_Tok(head, t.start, t.start + k, tags.get(head)))
        if place is not None and tags.get(head) == "ns":
            return place
    return None


def _in_window(toks: Sequence[_Tok]) -> Iterable[Name]:
    for k, t in enumerate(toks):
        organisation = _organisation(t)
        if organisation:
            yield organisation
            continue
        if t.word in COMPANY:
            found = _company(toks, k)
            if found:
                yield found
                continue
        place = _place_token(t)
        if place:
            yield place
            continue
        if k + 1 < len(toks):
            joined = _stem_then_suffix(t, toks[k + 1])
            if joined:
                yield joined
                continue
        person = _person(toks, k)
        if person:
            yield person


def _brands(text: str) -> Iterable[Name]:
    """A quoted phrase built on a place: “云岭云雾”, “数字青川”."""
    tags = _tags()
    jieba = load_jieba()
    for m in _QUOTE.finditer(text):
        for w, _, _ in jieba.tokenize(m.group(1)):
            numbered = any(ch in "一二三四五六七八九十两百千万" for ch in w)  # 三区三州: a slogan
            if tags.get(w) == "ns" and proper_stem(w) and not numbered and w != m.group(1):
                yield Name(m.start(1), m.end(1), m.group(1), w, "brand")
                break


def _find(text: str) -> tuple[Name, ...]:
    found: list[Name] = list(_brands(text))
    for a, b in _windows(text):
        found.extend(_in_window(_tokens(text, a, b)))
    found.sort(key=lambda n: (n.start, -(n.end - n.start)))
    out: list[Name] = []
    for n in found:
        if out and n.start < out[-1].end:
            continue  # inside a longer name already found (a brand, a company)
        out.append(n)
    return tuple(out)


@functools.lru_cache(maxsize=256)
def _find_cached(text: str) -> tuple[Name, ...]:
    return _find(text)


def find_names(text: str) -> list[Name]:
    """Every place, unit, person and brand name :mod:`names` can see in ``text``, in order."""
    return list(_find_cached(text) if len(text) <= 4000 else _find(text))


def is_national(stem: str) -> bool:
    return any(stem.startswith(n) for n in NATIONAL)


def real_place(name: Name) -> bool:
    tags = _tags()
    return name.kind in ("place", "unit") and "ns" in (tags.get(name.stem), tags.get(name.text))


def word_at(text: str, start: int, end: int) -> bool:
    """Does jieba cut ``text`` at ``start`` and (unless a suffix follows) at ``end``?"""
    a, b = max(0, start - 4), min(len(text), end + 4)
    toks = _tokens(text, a, b)
    cuts = {t.start for t in toks} | {t.end for t in toks}
    if text.startswith(ADMIN, end):
        return start in cuts
    # Bare, a stem that is also a common word (红星, 石门) is the word: 红星照耀中国.
    common = _tags().get(text[start:end]) not in (None, "ns", "nr", "nrt")
    return start in cuts and end in cuts and not common
