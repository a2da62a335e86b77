"""Sentence splitting for Chinese that never cuts inside a quotation, a 《》 title or a number."""

from __future__ import annotations

_PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "(": ")", "「": "」", "『": "』", "【": "】"}
_CLOSERS = set(_PAIRS.values())
# A quotation or bracket left open longer than this is taken to be unbalanced and ignored.
_MAX_PROTECTED = 240
_NUMBER_CHARS = set("0123456789０１２３４５６７８９.．%％,零〇一二两三四五六七八九十百千万亿点")


def split_at(text: str, ends: str) -> list[str]:
    """Split after any char in ``ends`` that is outside quotes, brackets and 《》 titles.

    Closing quotes and brackets right after the end mark stay with the sentence they close.
    """
    out: list[str] = []
    stack: list[tuple[str, int]] = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if stack and i - stack[-1][1] > _MAX_PROTECTED:
            stack.clear()
        if ch in _PAIRS:
            closer = _PAIRS[ch]
            # Protect only a span that closes: an unbalanced “ must not swallow the paragraph.
            if text.find(closer, i + 1, i + 1 + _MAX_PROTECTED) >= 0:
                stack.append((closer, i))
        elif stack and ch == stack[-1][0]:
            stack.pop()
        elif ch in ends and not stack:
            j = i + 1
            while j < n and (text[j] in ends or text[j] in _CLOSERS):
                j += 1
            out.append(text[start:j])
            start = i = j
            continue
        i += 1
    if start < n:
        out.append(text[start:])
    return [s for s in out if s.strip()]


def sentences(text: str) -> list[str]:
    return split_at(text, "。！？!?")


def fit(unit: str, limit: int) -> list[str]:
    """Cut one over-long sentence into pieces of at most ``limit`` characters.

    Prefers ；, then ，、：, and only then a hard cut placed where it splits no number and no
    《》 title.
    """
    if len(unit) <= limit:
        return [unit]
    for ends in ("；;", "，,：:、"):
        parts = split_at(unit, ends)
        if len(parts) > 1:
            return _pack([p for part in parts for p in fit(part, limit)], limit)
    return _hard_cut(unit, limit)


def _pack(parts: list[str], limit: int) -> list[str]:
    out: list[str] = []
    for part in parts:
        if out and len(out[-1]) + len(part) <= limit:
            out[-1] += part
        else:
            out.append(part)
    return out


def _hard_cut(text: str, limit: int) -> list[str]:
    out: list[str] = []
    while len(text) > limit:
        cut = limit
        while cut > limit // 2 and not _safe_cut(text, cut):
            cut -= 1
        if not _safe_cut(text, cut):
            cut = limit
        out.append(text[:cut])
        text = text[cut:]
    if text:
        out.append(text)
    return out


def _safe_cut(text: str, i: int) -> bool:
    left, right = text[i - 1], text[i]
    if left in _NUMBER_CHARS and right in _NUMBER_CHARS:
        return False
    if left.isascii() and left.isalnum() and right.isascii() and right.isalnum():
        return False
    for opener, closer in (("《", "》"), ("“", "”")):
        opened = text.rfind(opener, 0, i)
        if opened >= 0 and text.rfind(closer, 0, i) < opened and text.find(closer, i) >= 0:
            return False
    return True
