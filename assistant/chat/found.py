"""How the chat words what a search found: which passages mention the user's words and which
are only near in meaning.

Dense retrieval always returns *something*; calling every hit 相关材料 told staff that a passage
about 招商引资 was about their 院感防控. A passage *mentions* the query when it contains one of
its content words (two characters or more, not a request or filler word); the reply names those
first and says plainly when none does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.retrieval.tokenize import tokenize

# Words of a request, not of its topic: 帮我找几篇关于X的范文 is about X.
_FILLER = frozenset(
    "帮忙 帮我 找找 找出 找到 一下 几篇 一篇 一份 几份 范文 例文 样稿 参考 材料 文件 资料 文章 "
    "有关 关于 相关 方面 这方面 之类 类似 一些 有没有 是否 可以 能否 能不能 我们 你们 他们 "
    "依据 根据 政策 规定 要求 上级 出处 写法 怎么 如何 什么 哪些 哪个 那种 这种 看看 查查 "
    "查询 检索 搜索 之前 上传 上次 以前 里面 其中 内容 东西 工作 没有 还有 帮忙找".split()
)


def topic_terms(query: str) -> list[str]:
    """The query's content words, in order, each once."""
    return [
        t
        for t in dict.fromkeys(tokenize(query))
        if len(t) >= 2 and t not in _FILLER and not t.isdigit()
    ]


def _name(p: dict[str, Any]) -> str:
    return f"《{p['title']}》{p.get('heading') or ''}"


def found_reply(query: str, passages: Sequence[dict[str, Any]]) -> str:
    """The reply to a search; marks each passage's ``mentions`` (the query words it holds)."""
    if not passages:
        return "没有找到材料。可以换个说法，或先上传有关材料。"
    terms = topic_terms(query)
    for p in passages:
        text = f"{p.get('title', '')}{p.get('heading') or ''}{p.get('text', '')}"
        p["mentions"] = [t for t in terms if t in text]
    if not terms:
        return f"找到 {len(passages)} 段材料：{'；'.join(_name(p) for p in passages[:5])}。"
    near = [p for p in passages if p["mentions"]]
    far = [p for p in passages if not p["mentions"]]
    # 口腔医院 says what 口腔 and 医院 would: name the longest words only.
    shown = [t for t in terms if not any(t != u and t in u for u in terms)]
    words = "、".join(f"“{t}”" for t in shown[:4])
    if not near:
        return (
            f"没有找到提到{words}的材料；以下 {len(far)} 段只是意思相近，仅供参考："
            f"{'；'.join(_name(p) for p in far[:5])}。"
        )
    text = f"找到 {len(near)} 段提到{words}的材料：{'；'.join(_name(p) for p in near[:5])}。"
    if far:
        text += f"另有 {len(far)} 段意思相近：{'；'.join(_name(p) for p in far[:3])}。"
    return text
