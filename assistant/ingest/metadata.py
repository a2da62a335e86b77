"""Document metadata: YAML front matter, or title, genre, year and issuer inferred from the text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from assistant.domain import DocMeta
from assistant.ingest.errors import IngestError

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)

# The base genres: a title's genre ends with one of these (指导意见 → 意见).
_FAMILY_ENDINGS: tuple[str, ...] = tuple(
    "报告 汇报 总结 通知 意见 方案 决定 批复 通报 函 决议 请示 纪要 办法 规定 细则 规划 计划 讲话 "
    "公告 通告 命令 议案 规范 规则 要点".split()
)
# Genre words by the ending of a title. Longer, more specific names come first so that
# 政府工作报告 wins over 报告 when both end at the same place.
GENRES: tuple[str, ...] = (
    tuple(
        "政府工作报告 整改情况报告 工作情况报告 工作情况汇报 述职述廉报告 述职报告 调研报告 "
        "工作总结 实施方案 工作方案 行动方案 行动计划 指导意见 实施意见 若干意见 实施办法 "
        "实施细则 实施规范 工作要点 工作规则".split()
    )
    + _FAMILY_ENDINGS
)
_YEAR_IN_TITLE = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
# 2018—2035年, 2020-2022年: a plan's span; the first year is the one it belongs to.
_YEAR_RANGE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[—–\-－～~至到]\s*(?:19|20)\d{2}年?")
_FILE_YEAR = re.compile(r"^((?:19|20)\d{2})(?:[_\-\s年]|$)")
_LETTERHEAD = re.compile(r"(?:文件|简报|纪要|通讯)$")
DOC_NO = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\d+号$")
_NOT_ISSUER_START = ("全", "在", "本", "我", "各", "对", "关于")
_DATE_LINE = re.compile(r"^((?:19|20)\d{2})年\d{1,2}月\d{1,2}日$")
_ORG_SUFFIX = tuple(
    "委员会 党委 党组 党工委 委 人民政府 政府 办公厅 办公室 国务院 局 厅 部 署 院 集团 公司 中心 "
    "镇 乡 街道 县 市 省 区 支部 总支 ）".split()
)
_FILE_PREFIX = re.compile(r"^(?:(?:19|20)\d{2}[_\-\s]*)?")


def split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    """Return ``(front matter, body)``; a file without front matter gives ``({}, text)``."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    try:
        data = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise IngestError(source, f"invalid YAML front matter{where}") from exc
    if not isinstance(data, dict):
        raise IngestError(source, "front matter must be a mapping of keys to values")
    return data, text[m.end() :]


def genre_of(title: str) -> str | None:
    """The genre named by the title: the genre word that ends latest (the longest on a tie)."""
    best: tuple[int, int, str] | None = None
    for word in GENRES:
        pos = title.rfind(word)
        if pos < 0:
            continue
        key = (pos + len(word), len(word), word)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


def genre_family(genre: str | None) -> str | None:
    """The base genre (通报（调查处理情况） → 通报, 指导意见 → 意见)."""
    if not genre:
        return None
    head = re.split(r"[（(]", genre, maxsplit=1)[0]
    for ending in sorted(_FAMILY_ENDINGS, key=len, reverse=True):
        if head.endswith(ending):
            return ending
    return head


def _looks_like_title(line: str) -> bool:
    return 4 <= len(line) <= 80 and not line.endswith(("。", "；", "：", ":", "，"))


def issuer_of(title: str) -> str | None:
    for cut in (title.find("关于"), _first_year_pos(title)):
        if cut and cut > 1:
            prefix = title[:cut].strip()
            if prefix.endswith(_ORG_SUFFIX) and not prefix.startswith(_NOT_ISSUER_START):
                return prefix
    return None


def _year_of(title: str, path: Path) -> int | None:
    for pattern, text in ((_FILE_YEAR, path.stem), (_YEAR_RANGE, title), (_YEAR_IN_TITLE, title)):
        m = pattern.search(text)
        if m:
            return int(m.group(1))
    return None


def _first_year_pos(title: str) -> int:
    m = _YEAR_IN_TITLE.search(title)
    return m.start() if m else -1


def _signature(paragraphs: list[str]) -> tuple[str | None, int | None]:
    """Issuer and year from a closing signature: an organisation line followed by a date line."""
    tail = paragraphs[-4:]
    for i, line in enumerate(tail):
        m = _DATE_LINE.match(line)
        if m:
            issuer = tail[i - 1] if i > 0 and tail[i - 1].endswith(_ORG_SUFFIX) else None
            if issuer and len(issuer) > 30:
                issuer = None
            return issuer, int(m.group(1))
    return None, None


def infer_meta(front: dict[str, Any], paragraphs: list[str], path: Path) -> tuple[DocMeta, bool]:
    """Metadata from front matter where given, inferred otherwise.

    Returns the metadata and whether the first paragraph was used as the title (so the caller can
    leave it out of the body).
    """
    title_from_text = False
    title = str(front.get("title") or "").strip()
    doc_no_line: str | None = None
    if not title:
        # Skip a letterhead (青川县人民政府文件) and the document number under it.
        for para in paragraphs[:4]:
            if _LETTERHEAD.search(para) and len(para) <= 30:
                continue
            if DOC_NO.match(para):
                doc_no_line = para
                continue
            if _looks_like_title(para):
                title, title_from_text = para, True
            break
        if not title:
            title = _FILE_PREFIX.sub("", path.stem).replace("_", " ").strip() or path.stem
    genre = str(front["genre"]).strip() if front.get("genre") else genre_of(title)
    sig_issuer, sig_year = _signature(paragraphs)
    year: int | None = None
    if front.get("year"):
        try:
            year = int(str(front["year"])[:4])
        except ValueError:
            year = None
    if year is None:
        year = _year_of(title, path) or sig_year
    issuer = str(front.get("issuer") or "").strip() or issuer_of(title) or sig_issuer
    doc_no = str(front.get("doc_no") or "").strip() or doc_no_line
    return DocMeta(title=title, genre=genre, year=year, issuer=issuer, doc_no=doc_no), (
        title_from_text
    )
