"""The checker: grounding plus proofreading over one text, in one issue format.

Grounding needs a fact layer. Given no evidence at all (``assistant check`` without ``--facts``)
the checker proofreads only and says so in its summary, instead of calling every figure of a
hand-written paragraph unsourced. The service always passes evidence, even an empty one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from assistant.checks import names
from assistant.checks.grounding import Evidence, Grounded, ground
from assistant.checks.proofread import Proofreader
from assistant.domain import Issue
from assistant.ingest.encoding import decode_bytes
from assistant.ingest.errors import IngestError
from assistant.ingest.formats import FORMATS
from assistant.ingest.loaders import read_limited
from assistant.ingest.metadata import split_front_matter

# The loader registry says which files `assistant check` reads; read_checkable says how.
CHECKABLE = tuple(suffix for suffix, f in FORMATS.items() if f.checkable)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_MD_HEADING = re.compile(r"(?m)^#{1,6}[ \t]+")
NOT_GROUNDED = "未提供事实表，未核对数字、日期、名称和引用文件"


@dataclass
class CheckResult:
    text: str
    issues: list[Issue]
    grounded: list[Grounded] = field(default_factory=list)
    checked_facts: bool = True  # False: proofreading only, figures were not verified

    @property
    def blocking(self) -> bool:
        return any(i.severity == "error" for i in self.issues)

    def summary(self) -> dict[str, Any]:
        counts = Counter(i.severity for i in self.issues)
        grounding: dict[str, Any] = (
            {"grounding": "checked"}
            if self.checked_facts
            else {"grounding": "skipped", "note": NOT_GROUNDED}
        )
        return {
            "characters": len(self.text),
            "errors": counts.get("error", 0),
            "warnings": counts.get("warning", 0),
            "infos": counts.get("info", 0),
            "blocking": self.blocking,
            "numbers": dict(Counter(g.status for g in self.grounded)),
            **grounding,
        }

    def public(self) -> dict[str, Any]:
        return {"issues": [i.public() for i in self.issues], "summary": self.summary()}


class Checker:
    def __init__(self, proofreader: Proofreader | None = None, *, warm_up: bool = True) -> None:
        """``warm_up`` loads the name finder's dictionary now, so no check pays for it; a
        proofreading-only caller may skip it."""
        self.proofreader = proofreader or Proofreader()
        if warm_up:
            names.warm_up()

    def check(
        self,
        text: str,
        *,
        evidence: Evidence | None = None,
        genre: str | None = None,
        heading: str = "",
    ) -> CheckResult:
        """Ground ``text`` against ``evidence`` and proofread; ``evidence=None``: proofread only.

        ``heading`` is the numbered heading the text stands under (一、…): a section's （一） is
        then its first level, not a skipped one. Issues of the heading itself are left out."""
        grounded: list[Grounded] = []
        issues: list[Issue] = []
        if evidence is not None:
            grounded, issues = ground(text, evidence)
        if heading:
            shift = len(heading) + 1
            proofread = [
                replace(i, start=i.start - shift, end=i.end - shift)
                for i in self.proofreader.check(f"{heading}\n{text}", genre=genre)
                if i.start >= shift
            ]
        else:
            proofread = self.proofreader.check(text, genre=genre)
        issues = issues + proofread
        issues.sort(key=lambda i: (i.start, i.end, i.rule))
        return CheckResult(text, issues, grounded, checked_facts=evidence is not None)


def read_checkable(path: Path, *, max_bytes: int) -> str:
    """The text a user means by ``FILE``: a .txt/.md body, or a .docx's paragraphs and tables."""
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in CHECKABLE:
        raise IngestError(source, f"cannot check '{suffix}' files (use {', '.join(CHECKABLE)})")
    data = read_limited(path, max_bytes=max_bytes)
    if not data.strip():
        raise IngestError(source, "empty file")
    if suffix == ".docx":
        from assistant.ingest.office import load_docx

        return "\n".join(b.text for b in load_docx(data, source))
    text = decode_bytes(data, source).replace("\r\n", "\n").replace("\r", "\n")
    if suffix == ".md":
        _, text = split_front_matter(text, source)
        # Comments (a draft file's footer) are not text; blanks keep the offsets of the rest.
        text = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
        # “## 一、…” is a heading line: its marks go, so the numbering rules see 一、.
        text = _MD_HEADING.sub(lambda m: " " * len(m.group()), text)
    return text
