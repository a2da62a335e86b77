"""What one chat message asks for: a list of steps over one bound report, and the report as seen.

A message may ask for several things (加上检视问题63个，把第二部分写具体些 → propose the fact, then
revise the section), so the unit of intent is a :class:`Step` and a message becomes a list of them.
Both planners — the rules (:mod:`assistant.chat.rules`) and, when an LLM is configured, the model's
tool calls (:mod:`assistant.chat.tools`) — produce the same steps over the same
:class:`ReportView`, so the executor never knows which one chose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

from assistant.drafting.templates import ReportTemplate

Action = Literal[
    "draft",  # write one section (or rewrite it from scratch)
    "draft_all",  # every section of the report
    "revise",  # change the current draft of a section as instructed (optionally one passage)
    "facts",  # figures the message states, proposed for the fact sheet
    "answer",  # a question about the report, answered from its facts and drafts
    "gaps",  # what the report still lacks
    "check",  # proofread and ground one section or the whole report
    "search",  # example documents and the report's uploads
    "sources",  # where a section's statements come from
    "ask",  # a section is meant but none can be told: ask back with the section names
    "help",
]
ACTIONS: tuple[str, ...] = get_args(Action)
SECTION_ACTIONS = frozenset({"draft", "revise", "sources"})  # need a section to run


@dataclass(frozen=True)
class Step:
    action: Action
    section: str | None = None  # template section id; None: the whole report / not applicable
    instruction: str = ""  # draft/revise: what the user asked, in their words
    query: str = ""  # search: what to look for; answer: the question
    passage: str = ""  # revise: the quoted text or a layer's lead phrase the user points to
    confirmed: bool = False  # draft/revise: replacing a person's or an approved text is OK
    moved_to: str | None = None  # revise: the passage leaves this part for that one
    moved_from: str | None = None  # revise: the passage comes into this part from that one

    def public(self) -> dict[str, object]:
        out: dict[str, object] = {"action": self.action}
        if self.section:
            out["section"] = self.section
        if self.passage:
            out["passage"] = self.passage
        return out


@dataclass(frozen=True)
class SectionView:
    """One section as the user sees it: the report's own heading and its current text."""

    id: str
    kind: str
    numbered: bool
    heading: str
    purpose: str
    text: str = ""  # "" when not drafted

    @property
    def drafted(self) -> bool:
        return bool(self.text.strip())

    @property
    def prose(self) -> bool:
        """A drafted part of running text, as 全文润色 means: not the title, salutation or close."""
        return self.drafted and self.kind not in ("title", "salutation", "closing")


@dataclass(frozen=True)
class ReportView:
    """What a planner may know of the bound report: sections, fact keys, the last section talked
    about. Never an upload's text: what an uploaded document says cannot choose an action."""

    template: ReportTemplate
    sections: tuple[SectionView, ...]
    fact_keys: tuple[str, ...] = ()
    last_section: str | None = None
    title: str = ""
    history: tuple[str, ...] = field(default=())  # recent user messages, oldest first

    def section(self, section_id: str | None) -> SectionView | None:
        return next((s for s in self.sections if s.id == section_id), None)

    @property
    def numbered(self) -> list[SectionView]:
        return [s for s in self.sections if s.numbered]

    def next_after_last(self) -> str | None:
        """The part after the one in talk (the title and salutation skipped)."""
        after = False
        for s in self.sections:
            if s.id == self.last_section:
                after = True
            elif after and s.kind not in ("title", "salutation"):
                return s.id
        return None

    @property
    def any_drafted(self) -> bool:
        return any(s.drafted for s in self.sections)

    def label(self, section_id: str) -> str:
        """The section's name in Chinese, as the page shows it (一、主要工作和成效 / 开头)."""
        s = self.section(section_id)
        if s is None:
            return section_id
        if s.numbered:
            n = self.numbered.index(s) + 1
            cn = "一二三四五六七八九十"
            return f"{cn[n - 1] if n <= 10 else n}、{s.heading or s.purpose}"
        return s.purpose.split("，")[0] if s.purpose else s.id

    def short(self, section_id: str) -> str:
        """What a user types for the section in an order (第一部分 / 开头)."""
        s = self.section(section_id)
        if s is not None and s.numbered:
            n = self.numbered.index(s) + 1
            cn = "一二三四五六七八九十"
            return f"第{cn[n - 1] if n <= 10 else n}部分"
        return self.label(section_id)

    @classmethod
    def of_template(cls, template: ReportTemplate, **kw: object) -> ReportView:
        """A view of an undrafted report with the template's own headings (tests, evals)."""
        sections = tuple(
            SectionView(s.id, s.kind, s.numbered, s.heading, s.purpose) for s in template.sections
        )
        return cls(template, sections, **kw)  # type: ignore[arg-type]
