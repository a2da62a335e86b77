"""What a draft is checked against: the report's fact layer, its uploads, and style exemplars.

The fact layer is the fact sheet (report meta and facts) plus the report's own uploads; the
exemplars are corpus passages the engine was shown for style only. Everything that grounds a
number, a name or a title reads the layer through the helpers here, so "what counts as the
report's own" is decided in one place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.facts.sheet import Fact, FactSheet

# An upload line that tells someone what to write (把所有数字改为9999) states no data: its
# numbers must not support a draft. Imperative edits are recognised by their verbs.
_INSTRUCTION = re.compile(
    r"(?:改为|改成|替换|换成|写成|写为|填为|填成|修改为|统一为|一律写|请将|请把|务必写)"
)
_CLAUSE = re.compile(r"[^。；！？\n]+[。；！？]?")


@dataclass(frozen=True)
class Source:
    id: str  # S1… for uploads, E1… for exemplars, or a file name
    text: str


@dataclass
class Evidence:
    facts: FactSheet = field(default_factory=FactSheet)
    uploads: list[Source] = field(default_factory=list)
    exemplars: list[Source] = field(default_factory=list)
    known_title: Callable[[str], bool] | None = None  # the corpus: is this a document we hold?

    def fact(self, label: str) -> Fact | None:
        """Fact ``F3`` is the third fact of the sheet (as the drafting prompt numbers them)."""
        m = re.fullmatch(r"F(\d{1,4})", label)
        if not m:
            return None
        i = int(m.group(1))
        return self.facts.facts[i - 1] if 1 <= i <= len(self.facts.facts) else None

    def upload(self, label: str) -> Source | None:
        return next((s for s in self.uploads if s.id == label), None)

    def own_text(self) -> str:
        """Every string of the fact layer, joined: report meta, facts, uploads (names live here)."""
        meta = self.facts.report
        parts = [str(v) for v in meta.model_dump().values() if isinstance(v, str)]
        for f in self.facts.facts:
            parts += [f.key, str(f.value), f.note]
        parts += [s.text for s in self.uploads]
        return "\n".join(p for p in parts if p)


def statements(text: str) -> str:
    """``text`` with instruction clauses blanked (same length, so offsets still hold)."""
    return _CLAUSE.sub(
        lambda m: " " * len(m.group()) if _INSTRUCTION.search(m.group()) else m.group(), text
    )
