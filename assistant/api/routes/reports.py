"""``/api/v1`` templates and reports: facts, reviewers, drafting (SSE), edits and versions.

Thin: each route validates, calls one service method in the thread pool (they are synchronous)
and returns its typed answer (:mod:`assistant.reports.public`); refusals are answered by the
app's one error handler. Fact sheets are read from the raw body so that a bad one is answered
like the CLI answers a bad file: ``{"detail": "facts[1].value: …"}`` (422).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import (
    CurrentUser,
    DraftsDep,
    ObjectId,
    ReportsDep,
    SectionsDep,
    ServicesDep,
)
from assistant.api.forms import json_body
from assistant.api.json_body import parse_json_body
from assistant.api.lanes import LanesDep  # heavy work apart (issue 17)
from assistant.api.sse import EventStream, events_from_thread
from assistant.reports.concurrency import etag, resolve_base
from assistant.reports.drafting import MAX_INSTRUCTION
from assistant.reports.public import (
    FactsPublic,
    ReportBriefPublic,
    ReportPublic,
    ReviewerPublic,
    SavedPublic,
    TemplatePublic,
    VersionFullPublic,
    VersionHistoryPublic,
)
from assistant.reports.sections import MAX_TEXT

router = APIRouter(prefix="/api/v1", tags=["reports"])

_SHEET_BODY = json_body(
    {
        "type": "object",
        "description": "A fact sheet (DESIGN.md §6) as JSON",
        "properties": {
            "report": {"type": "object", "description": "template, title, …"},
            "facts": {"type": "array", "items": {"type": "object"}},
            "reviewers": {"type": "array", "items": {"type": "string"}},
        },
    },
    {
        "report": {"template": "工作情况汇报", "organization": "中共青溪县委"},
        "facts": [{"key": "常委会议", "value": 9, "unit": "次"}],
    },
)
_SSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/event-stream": {}}, "description": "Server-Sent Events"}
}


class Reviewers(BaseModel):
    reviewers: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(max_length=50)


_BASE = Field(
    default=None,
    ge=0,
    le=999_999_999,
    description="the version number the change was made from (0: none yet); a stale one is 409",
)
IfMatch = Annotated[
    str | None, Header(description='the base version as an ETag, "3"; like base_version')
]
_CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {
        "description": "stale base (detail: code stale_base, current_version) or, for a "
        "redraft, a person's or an approved text to confirm (code confirm_overwrite)"
    }
}


class SectionEdit(BaseModel):
    text: str = Field(max_length=MAX_TEXT)
    base_version: int | None = _BASE


class DraftRequest(BaseModel):
    instruction: str = Field(default="", max_length=MAX_INSTRUCTION)
    base_version: int | None = _BASE
    overwrite: bool = Field(
        default=False, description="confirm replacing a hand-edited, imported or approved text"
    )


class Restore(BaseModel):
    base_version: int | None = _BASE


async def _json_body(request: Request) -> Any:
    return parse_json_body(await request.body())


@router.get("/templates")
async def templates(reports: ReportsDep, user: CurrentUser) -> list[TemplatePublic]:
    return await run_in_threadpool(reports.template_list)


@router.get("/reviewers")
async def reviewers(reports: ReportsDep, user: CurrentUser) -> list[ReviewerPublic]:
    """Active reviewers and admins: the names a new report's ``reviewers`` may list."""
    return await run_in_threadpool(reports.reviewer_list, user)


@router.post("/reports", status_code=201, openapi_extra=_SHEET_BODY)
async def create_report(request: Request, reports: ReportsDep, user: CurrentUser) -> ReportPublic:
    return await run_in_threadpool(reports.create, user, await _json_body(request))


@router.get("/reports")
async def list_reports(reports: ReportsDep, user: CurrentUser) -> list[ReportBriefPublic]:
    return await run_in_threadpool(reports.list_reports, user)


@router.get("/reports/{report_id}")
async def get_report(report_id: ObjectId, reports: ReportsDep, user: CurrentUser) -> ReportPublic:
    return await run_in_threadpool(reports.get, user, report_id)


@router.put("/reports/{report_id}/reviewers")
async def set_reviewers(
    report_id: ObjectId, body: Reviewers, reports: ReportsDep, user: CurrentUser
) -> ReportPublic:
    return await run_in_threadpool(reports.set_reviewers, user, report_id, body.reviewers)


@router.delete("/reports/{report_id}", status_code=204)
async def delete_report(
    report_id: ObjectId, services: ServicesDep, reports: ReportsDep, user: CurrentUser
) -> Response:
    """Owner or admin: the report, its facts, sections, versions, reviews, chat and uploads."""

    def drop(kb: str) -> None:
        services.store.drop(kb)
        services.keywords.forget(kb)

    await run_in_threadpool(reports.delete, user, report_id, drop_uploads=drop)
    return Response(status_code=204)


@router.get("/reports/{report_id}/facts")
async def get_facts(report_id: ObjectId, reports: ReportsDep, user: CurrentUser) -> FactsPublic:
    return await run_in_threadpool(reports.facts, user, report_id)


@router.put("/reports/{report_id}/facts", openapi_extra=_SHEET_BODY)
async def replace_facts(
    report_id: ObjectId, request: Request, reports: ReportsDep, user: CurrentUser
) -> FactsPublic:
    data = await _json_body(request)
    return await run_in_threadpool(reports.replace_facts, user, report_id, data)


@router.post("/reports/{report_id}/sections/{section_id}/draft", responses={**_SSE, **_CONFLICT})
async def draft_section(
    report_id: ObjectId,
    section_id: str,
    drafts: DraftsDep,
    user: CurrentUser,
    lanes: LanesDep,
    body: Annotated[DraftRequest | None, Body()] = None,
    if_match: IfMatch = None,
) -> EventStream:
    body = body or DraftRequest()
    job = await run_in_threadpool(
        drafts.prepare,
        user,
        report_id,
        section_id,
        instruction=body.instruction,
        base_version=await run_in_threadpool(resolve_base, body.base_version, if_match),
        overwrite=body.overwrite,
    )
    work = events_from_thread(
        lambda emit: drafts.run(job, emit), name="draft", turns=lanes.draft_slots
    )
    return EventStream(work)


class ReportDraft(BaseModel):
    overwrite: bool = Field(
        default=False, description="confirm replacing hand-edited, imported or approved texts"
    )


@router.post("/reports/{report_id}/draft", responses={**_SSE, **_CONFLICT})
async def draft_report(
    report_id: ObjectId,
    drafts: DraftsDep,
    user: CurrentUser,
    lanes: LanesDep,
    body: Annotated[ReportDraft | None, Body()] = None,
) -> EventStream:
    overwrite = body.overwrite if body else False
    job = await run_in_threadpool(drafts.prepare, user, report_id, None, overwrite=overwrite)
    work = events_from_thread(
        lambda emit: drafts.run(job, emit), name="draft", turns=lanes.draft_slots
    )
    return EventStream(work)


@router.put("/reports/{report_id}/sections/{section_id}", responses=_CONFLICT)
async def edit_section(
    report_id: ObjectId,
    section_id: str,
    body: SectionEdit,
    sections: SectionsDep,
    user: CurrentUser,
    response: Response,
    if_match: IfMatch = None,
) -> SavedPublic:
    """A new version, unless the text is the current one's (``unchanged: true``)."""
    base = await run_in_threadpool(resolve_base, body.base_version, if_match)
    result = await run_in_threadpool(
        sections.edit, user, report_id, section_id, body.text, base_version=base
    )
    response.headers["ETag"] = etag(result.version)
    return result


@router.post(
    "/reports/{report_id}/sections/{section_id}/versions/{version_id}/restore",
    responses=_CONFLICT,
)
async def restore_version(
    report_id: ObjectId,
    section_id: str,
    version_id: ObjectId,
    sections: SectionsDep,
    user: CurrentUser,
    response: Response,
    body: Annotated[Restore | None, Body()] = None,
    if_match: IfMatch = None,
) -> SavedPublic:
    """Version ``version_id``'s text as a new version (kind ``restore``), checked again."""
    base = await run_in_threadpool(resolve_base, body.base_version if body else None, if_match)
    result = await run_in_threadpool(
        sections.restore, user, report_id, section_id, version_id, base_version=base
    )
    response.headers["ETag"] = etag(result.version)
    return result


@router.get("/reports/{report_id}/sections/{section_id}/versions")
async def list_versions(
    report_id: ObjectId, section_id: str, sections: SectionsDep, user: CurrentUser
) -> list[VersionHistoryPublic]:
    return await run_in_threadpool(sections.versions, user, report_id, section_id)


@router.get("/reports/{report_id}/sections/{section_id}/versions/{version_id}")
async def get_version(
    report_id: ObjectId,
    section_id: str,
    version_id: ObjectId,
    sections: SectionsDep,
    user: CurrentUser,
) -> VersionFullPublic:
    return await run_in_threadpool(sections.version, user, report_id, section_id, version_id)
