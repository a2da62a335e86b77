"""``/api/v1/reports/{id}/outline``: which section tells which fact, under which heading, why.

Thin: the rules (every fact told once, sections of the report's template, headings numbered by
position) live in :mod:`assistant.reports.outline`; a bad outline is a 422 naming its place
(``Invalid``, answered by the app's one error handler).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import CurrentUser, ObjectId, OutlinesDep
from assistant.api.forms import json_body
from assistant.api.json_body import parse_json_body
from assistant.reports.public import OutlinePublic

router = APIRouter(prefix="/api/v1", tags=["reports"])

_OUTLINE_BODY = json_body(
    {
        "type": "object",
        "properties": {
            "sections": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "heading": {"type": "string"},
                        "points": {"type": "string"},
                        "facts": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["id"],
                },
            }
        },
    },
    {"sections": [{"id": "problems", "facts": ["存在问题"], "points": "写具体"}]},
)


@router.get("/reports/{report_id}/outline")
async def get_outline(
    report_id: ObjectId, service: OutlinesDep, user: CurrentUser
) -> OutlinePublic:
    """The outline drafts follow: sections with heading, points, facts and why each is there."""
    return await run_in_threadpool(service.get, user, report_id)


@router.put("/reports/{report_id}/outline", openapi_extra=_OUTLINE_BODY)
async def replace_outline(
    report_id: ObjectId, request: Request, service: OutlinesDep, user: CurrentUser
) -> OutlinePublic:
    """Move facts, rename headings, add points; sections left out keep the proposal."""
    data = parse_json_body(await request.body())
    return await run_in_threadpool(service.replace, user, report_id, data)
