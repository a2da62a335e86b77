"""The JSON shapes the report services answer with: typed models at the API boundary.

The routes declare these as their return types, so FastAPI validates every answer against them
and the OpenAPI schema names each field; the CLI, the chat and the MCP tools read the same
objects (``model_dump()`` where they want a plain dict). Stored JSON (a version's issues,
citations and provenance, a report's meta) stays a mapping: its shape is owned by the checker and
the drafting pipeline that write it, not by this layer.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from assistant.drafting.outline import Outline


class ChangePublic(BaseModel):
    op: Literal["equal", "delete", "insert"]
    text: str


class IssuesSummaryPublic(BaseModel):
    errors: int
    warnings: int
    infos: int
    blocking: bool


class TemplateSectionPublic(BaseModel):
    id: str
    kind: str
    heading: str
    length: list[int]


class TemplatePublic(BaseModel):
    name: str
    genre: str
    description: str
    sections: list[TemplateSectionPublic]


class ReviewerPublic(BaseModel):
    username: str
    role: str


class FactPublic(BaseModel):
    """A fact: confirmed (what the drafts may tell) or proposed (read from an upload or the
    chat, waiting for the user); ``origin`` is the words it was read from, ``confidence`` how
    surely (1.0 for a fact the user typed)."""

    id: int
    key: str
    value: Any
    unit: str
    note: str
    source: str
    status: str
    origin: str
    confidence: float


class CurrentVersionPublic(BaseModel):
    id: int
    version: int
    kind: str
    engine: str
    engine_label: str
    text: str
    issues_summary: IssuesSummaryPublic
    created_at: str


class SectionPublic(BaseModel):
    id: str
    heading: str
    status: str
    current_version: CurrentVersionPublic | None
    approved_version_id: int | None


class ReportPublic(BaseModel):
    id: int
    template: str
    title: str
    owner: str
    meta: dict[str, Any]
    facts: list[FactPublic]
    reviewers: list[str]
    sections: list[SectionPublic]
    structure_etag: str  # names the structure a change is made from
    created_at: str
    updated_at: str


class SectionCountsPublic(BaseModel):
    total: int
    drafted: int
    approved: int


class ReportBriefPublic(BaseModel):
    """A report in the list: enough to find it, not its text."""

    id: int
    template: str
    title: str
    owner: str
    sections: SectionCountsPublic
    created_at: str
    updated_at: str


class FactsPublic(BaseModel):
    report: dict[str, Any]
    confirmed: list[FactPublic]
    proposed: list[FactPublic]


class VersionBriefPublic(BaseModel):
    id: int
    version: int
    kind: str
    engine: str
    engine_label: str
    author: str
    created_at: str
    issues_summary: IssuesSummaryPublic


class VersionHistoryPublic(VersionBriefPublic):
    """A version in the history, with its diff against the one before it."""

    diff: str  # unified, for scripts
    changes: list[ChangePublic]  # kept/deleted/inserted runs, for people


class VersionFullPublic(VersionBriefPublic):
    text: str
    citations: list[dict[str, Any]]
    issues: list[dict[str, Any]]
    provenance: dict[str, Any]


class SavedSummaryPublic(IssuesSummaryPublic):
    characters: int


class SavedPublic(BaseModel):
    """A saved edit or restore: the version it made (or the current one, when ``unchanged``)."""

    version_id: int
    version: int
    unchanged: bool
    issues: list[dict[str, Any]]
    summary: SavedSummaryPublic


class StructurePartPublic(BaseModel):
    id: str
    heading: str
    kind: str
    numbered: bool
    added: bool  # added to this report (not one of the template's parts)
    status: str


class KindPublic(BaseModel):
    kind: str
    label: str


class StructurePublic(BaseModel):
    """A report's parts as the structure editor shows them; ``etag`` names this structure."""

    etag: str
    sections: list[StructurePartPublic]
    kinds: list[KindPublic]
    max_numbered: int


class OutlinePublic(Outline):
    """The outline the drafts follow; ``edited`` when the user changed it (else it is proposed
    afresh from the facts at every read)."""

    edited: bool
