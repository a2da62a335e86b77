"""Chinese tokenisation for BM25: jieba search mode, lower-cased, no stop words or punctuation."""

from __future__ import annotations

import logging
import marshal
import os
import re
import tempfile
import threading
from types import ModuleType

_READY = threading.Lock()
_loaded = False
_KEEP = re.compile(r"[\w%％]")
_STOP = frozenset(
    "的 了 和 与 及 是 在 等 对 为 将 把 被 以 于 并 或 也 就 都 而 之 其 中 上 下 着 个 年 月 日 "
    "我们 要 有 从 到 这 那 一 各 该 由 向 按照 关于 进一步".split()
)


def load_jieba() -> ModuleType:
    global _loaded
    import jieba

    with _READY:
        if not _loaded:
            jieba.setLogLevel(logging.WARNING)  # it logs its dictionary load to stderr otherwise
            if not _load_cached_dictionary(jieba):
                jieba.initialize()
            _loaded = True
    module: ModuleType = jieba
    return module


def _load_cached_dictionary(jieba: ModuleType) -> bool:
    """Load jieba's default dictionary from the cache its ``initialize()`` writes, as it would.

    ``initialize()`` reads that cache with ``marshal.load`` on the open file, which takes three
    times as long as ``marshal.loads`` of the file's bytes (0.45 s against 0.15 s here): the
    largest part of a command-line search. Same file, same prefix dictionary; anything else (a
    custom dictionary, no cache yet, an unreadable one) is left to ``initialize()``.
    """
    tokenizer = jieba.dt
    if tokenizer.initialized:
        return True
    if tokenizer.dictionary is not jieba.DEFAULT_DICT or tokenizer.cache_file:
        return False
    path = os.path.join(tokenizer.tmp_dir or tempfile.gettempdir(), "jieba.cache")
    try:
        with open(path, "rb") as fh:
            freq, total = marshal.loads(fh.read())
    except Exception:  # missing, partly written or from another Python: jieba rebuilds it
        return False
    with tokenizer.lock:
        if not tokenizer.initialized:
            tokenizer.FREQ, tokenizer.total = freq, total
            tokenizer.initialized = True
    return True


def tokenize(text: str) -> list[str]:
    jieba = load_jieba()
    out = []
    for tok in jieba.lcut_for_search(text):
        tok = tok.strip().lower()
        if tok and tok not in _STOP and _KEEP.search(tok):
            out.append(tok)
    return out
