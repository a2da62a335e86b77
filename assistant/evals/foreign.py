"""Names and topic words of the corpus's own documents, to find them carried into a draft.

A draft of one unit's report must not name another unit's places, bodies or brands, nor write
about another report's subject. This module collects, from the documents of a corpus folder:
places (jieba's ``ns`` words and the issuer's place), issuing bodies other than national ones,
quoted names that contain such a place (“云岭云雾”), and the subject words of each title. A word
that also occurs in the report's own fact layer, or in the template, is not foreign to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from assistant.domain import Document
from assistant.ingest.loaders import load_file
from assistant.ingest.metadata import issuer_of
from assistant.retrieval.tokenize import load_jieba

# National and generic words jieba tags as places, and bodies every report may name.
_NOT_FOREIGN = frozenset(
    "中国 中华 全国 国家 中央 祖国 亚洲 世界 国际 全省 全市 全县 全区 各地 地方 城乡 农村 城市 "
    "中华人民共和国 国务院 中共中央 党中央 全国人民代表大会 全国人大 中央委员会 国家发展改革委 "
    "国家数据局 税务总局 新建 民政部 财政部 教育部 人力资源社会保障部 应急管理部 生态环境部 "
    "中南海 华北 华东 西部 东部 中部".split()
)
_GENERIC_TITLE = frozenset(
    "工作 报告 情况 总结 汇报 方案 实施方案 通知 意见 决定 批复 通报 函 关于 年度 行动 计划 "
    "办法 规范 规则 决议 发展 建设 加强 推进 推动 开展 深入 试点 印发 有关 政府 人民政府 "
    "办公厅 办公室 委员会 党委 县委 市委 述职 整改 巡察 指导 意见 实施 全面 党委书记 书记 "
    # Words of governance in general, not of one report's subject: 强化监管执法 is no borrowing.
    "监管 改革 创新 服务 管理 治理 安全 质量 领域 体系 能力 机制 制度 水平 工作规则".split()
)
_PLACE_TAIL = re.compile(r"^(.{2,6}?(?:省|市|县|区|镇|乡|街道|村|自治州|新区))")
_QUOTED = re.compile(r"“([^“”\n]{2,12})”")
_ORG_HEAD = re.compile(r"^(?:中共|中国共产党)")


@dataclass(frozen=True)
class ForeignWords:
    names: frozenset[str]
    topics: frozenset[str]

    def found(self, text: str, own: str) -> list[str]:
        """Foreign names and topic words in ``text`` that ``own`` (the fact layer) lacks."""
        hits: list[str] = []
        for word in sorted(self.names | self.topics, key=len, reverse=True):
            if word in text and word not in own and not any(word in h for h in hits):
                hits.append(word)
        return hits


def _words(text: str) -> list[tuple[str, str]]:
    load_jieba()
    import jieba.posseg

    return [(w.word, w.flag) for w in jieba.posseg.cut(text)]


def _place_of(issuer: str) -> str | None:
    m = _PLACE_TAIL.match(_ORG_HEAD.sub("", issuer))
    return m.group(1) if m else None


_SUFFIXES = "省市县区镇乡村"
_ORG_WORD = re.compile(r"(?:有限公司|集团|局|委员会|党委|政府|办公室)$")


def _title_topics(title: str, names: set[str]) -> set[str]:
    """Runs of subject nouns in a title: 青川县委主题教育工作情况汇报 → 主题教育."""
    out: set[str] = set()
    run: list[str] = []
    for word, flag in [*_words(title), ("。", "x")]:
        word = _ORG_WORD.sub("", word)
        noun = flag.startswith(("n", "vn")) and len(word) >= 2
        if noun and word not in _GENERIC_TITLE and word not in names | _NOT_FOREIGN:
            run.append(word)
            continue
        if run:
            out.add("".join(run))
        run = []
    return out


def collect(documents: Iterable[Document]) -> ForeignWords:
    names: set[str] = set()
    topics: set[str] = set()
    docs = list(documents)
    for doc in docs:
        issuer = doc.meta.issuer or issuer_of(doc.meta.title) or ""
        place = _place_of(issuer) if issuer else None
        if issuer and issuer not in _NOT_FOREIGN and place:
            names.add(issuer)
        if place:
            names.add(place)
            if len(place) > 2:
                names.add(place[:-1])  # 临江市 → 临江
        text = doc.text
        for word, flag in _words(text):
            # jieba tags many words ns (上门, 山区): a place is one the text also names with
            # an administrative suffix (青川 → 青川县).
            if flag != "ns" or len(word) < 2 or word in _NOT_FOREIGN or word[-1] in _SUFFIXES:
                continue
            placed = [word + s for s in _SUFFIXES if word + s in text]
            if placed:
                names.add(word)
                names.update(placed)
    for doc in docs:
        topics |= _title_topics(doc.meta.title, names)
    stems = {n for n in names if len(n) >= 2}
    for doc in docs:
        for quoted in _QUOTED.findall(doc.text):
            if any(stem in quoted for stem in stems) and quoted not in _NOT_FOREIGN:
                names.add(quoted)
    return ForeignWords(frozenset(names), frozenset(topics))


def load_corpus_documents(folder: Path, *, max_bytes: int = 20_000_000) -> list[Document]:
    docs = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in (".md", ".txt", ".docx", ".pdf"):
            if path.name.lower() == "readme.md":
                continue
            docs.append(load_file(path, max_bytes=max_bytes))
    return docs
