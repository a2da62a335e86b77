"""Query expansion from the 公文 synonym table (``data/synonyms.tsv``): users' words → documents'.

A user asks for "北京经济增速"; the report says 地区生产总值增长5.2%. The two share no
characters, so BM25 cannot see the match. The table maps what people type (GDP, 经济增速,
老百姓, 钱, 双碳) to how 公文 put it (地区生产总值, 群众, 资金, 碳达峰碳中和); :func:`expand`
finds those words in a query and returns the document wordings it does not already contain.
The table is data: extend it there, not here.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

TABLE_PATH = Path(__file__).parent / "data" / "synonyms.tsv"
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class Expansion:
    text: str  # the query as given
    matched: tuple[str, ...]  # the table's user words found in it
    added: tuple[str, ...]  # document wordings they stand for, not already in the query

    @property
    def bm25_text(self) -> str:
        """The query with the added wordings appended (what BM25 tokenises)."""
        return " ".join((self.text, *self.added)) if self.added else self.text


@dataclass(frozen=True)
class SynonymTable:
    entries: tuple[tuple[str, tuple[str, ...]], ...]  # longest user word first
    _pattern: re.Pattern[str] | None

    @classmethod
    def parse(cls, text: str) -> SynonymTable:
        merged: dict[str, list[str]] = {}
        for n, line in enumerate(text.splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#") or line == "user\tdocument":
                continue
            user, sep, docs = line.partition("\t")
            wordings = [w.strip() for w in docs.split("|") if w.strip()]
            if not sep or not user.strip() or not wordings:
                raise ValueError(f"synonym table line {n}: expected 'user<TAB>doc|doc…': {line!r}")
            key = user.strip().lower()
            merged.setdefault(key, [])
            for w in wordings:
                if w.lower() != key and w not in merged[key]:
                    merged[key].append(w)
        entries = tuple(
            sorted(((k, tuple(v)) for k, v in merged.items() if v), key=lambda e: -len(e[0]))
        )
        return cls(entries, _compile([k for k, _ in entries]))

    def expand(self, query: str) -> Expansion:
        if self._pattern is None:
            return Expansion(query, (), ())
        lowered = query.lower()
        wordings = dict(self.entries)
        matched: list[str] = []
        added: list[str] = []
        # Leftmost-longest, non-overlapping: 经济增速 is one match, not also 增速 inside it.
        for m in self._pattern.finditer(lowered):
            word = m.group(0)
            if word in matched:
                continue
            matched.append(word)
            for w in wordings[word]:
                if w.lower() not in lowered and w not in added:
                    added.append(w)
        return Expansion(query, tuple(matched), tuple(added))


def _compile(words: list[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    parts = []
    for w in words:  # already longest first, which the alternation relies on
        p = re.escape(w)
        # A Latin word matches whole: AI not inside "email", 5G not inside "15G".
        if _LATIN.match(w[0]) or w[0].isdigit():
            p = r"(?<![0-9a-z])" + p
        if _LATIN.match(w[-1]) or w[-1].isdigit():
            p += r"(?![0-9a-z])"
        parts.append(p)
    return re.compile("|".join(parts))


@functools.cache
def default_table() -> SynonymTable:
    return SynonymTable.parse(TABLE_PATH.read_text(encoding="utf-8"))


def expand(query: str, table: SynonymTable | None = None) -> Expansion:
    """The document wordings ``query``'s everyday words stand for (see the module docstring)."""
    return (table or default_table()).expand(query)
