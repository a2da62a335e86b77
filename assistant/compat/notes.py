"""Sources as numbered notes at the end of a reply: which facts, uploads and documents the
chat's steps stood on.

The chat reports its sources in ``citations`` events of two kinds: a draft's (or an answer's)
sentences with ``targets`` (``fact:<key>``, ``chunk:<id>``), and a search's passages (``title``,
``heading``, ``source``). Each distinct source becomes one note, numbered in order of first
appearance, with the first sentence it backs; a fact note shows the fact's value, a passage
note the document's title (from the saved version's provenance).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.quoting import clause_of, quote
from assistant.reports.kbs import kb_report

MAX_NOTES = 30
_QUOTE = 28


@dataclass
class Notes:
    """Collects sources while a reply streams; :meth:`text` words them at the end."""

    facts: dict[str, str] = field(default_factory=dict)  # key → "12次"
    chunks: dict[str, dict[str, Any]] = field(default_factory=dict)  # chunk id → passage info
    _order: list[str] = field(default_factory=list)
    _first: dict[str, str] = field(default_factory=dict)  # source → first sentence it backs
    _passages: dict[str, dict[str, Any]] = field(default_factory=dict)

    def _add(self, source: str, sentence: str = "") -> None:
        if source not in self._first:
            self._order.append(source)
            self._first[source] = sentence
        elif not self._first[source] and sentence:
            self._first[source] = sentence

    def fact(self, key: str, value: Any, unit: str = "") -> None:
        self.facts[key] = f"{value}{unit or ''}"

    def citations(self, items: list[dict[str, Any]]) -> None:
        for c in items:
            if not isinstance(c, dict):
                continue
            if c.get("title") is not None and "targets" not in c:  # a search's passage
                key = f"passage:{c.get('chunk_id') or c.get('doc_id')}:{c.get('heading')}"
                self._passages[key] = c
                self._add(key)
                continue
            for target in c.get("targets") or []:
                self._add(str(target), str(c.get("sentence") or ""))

    @property
    def chunk_ids(self) -> list[str]:
        return [s[6:] for s in self._order if s.startswith("chunk:")]

    def _line(self, source: str) -> str:
        if source.startswith("passage:"):
            p = self._passages[source]
            where = f"{p.get('heading')}" if p.get("heading") else ""
            file = f"（{p['source']}）" if p.get("source") else ""
            return f"《{p.get('title') or '未命名文档'}》{where}{file}"
        if source.startswith("fact:"):
            key = source[5:]
            value = self.facts.get(key)
            return f"事实表：{key}" + (f"：{value}" if value else "")
        if source.startswith("chunk:"):
            info = self.chunks.get(source[6:]) or {}
            title = info.get("title") or "上传材料"
            kb = str(info.get("kb") or "")
            where = "本报告上传材料" if kb_report(kb) is not None else "文档"
            return f"{where}《{title}》" if info.get("title") else f"{where}（{source[6:]}）"
        return source

    def _clause_of(self, source: str, sentence: str) -> str:
        """The clause of ``sentence`` that tells a fact's figure: a sentence citing several
        facts is quoted where each is told, not from its start for all of them."""
        value = self.facts.get(source[5:], "") if source.startswith("fact:") else ""
        return clause_of(sentence, value)

    def text(self) -> str:
        """``来源：`` and one numbered line per source, or "" when there were none."""
        if not self._order:
            return ""
        lines = []
        for n, source in enumerate(self._order[:MAX_NOTES], 1):
            sentence = self._clause_of(source, self._first.get(source) or "")
            backs = f" —— “{quote(sentence, _QUOTE)}”" if sentence else ""
            lines.append(f"[{n}] {self._line(source)}{backs}")
        more = len(self._order) - MAX_NOTES
        if more > 0:
            lines.append(f"（另有 {more} 处来源未列出）")
        return "来源：\n" + "\n".join(lines)
