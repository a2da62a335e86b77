"""``/api/v1/reports/{id}/structure``: the numbered parts of a report added, removed, renamed and
reordered.

Thin: the rules, the rights and the audit live in :mod:`assistant.reports.structure`. Every change
names the structure it was made from, as ``etag`` in the body or an ``If-Match`` header (from
``GET …/structure`` or the report's ``structure_etag``); a stale one is 409 ``stale_structure``.
Each answer is the structure after the change, with its new etag (also as the ``ETag`` header).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant.accounts.service import Principal
from assistant.api.deps import CurrentUser, ObjectId, StructureDep
from assistant.errors import StaleStructure
from assistant.reports.public import StructurePublic
from assistant.reports.structure import MAX_HEADING, StructureService, parse_etag

router = APIRouter(prefix="/api/v1", tags=["reports"])

IfMatch = Annotated[
    str | None, Header(description="the structure's etag the change was made from; like etag")
]
_ETAG = Field(
    default=None, max_length=80, description="the structure's etag the change was made from"
)
_RESPONSES: dict[int | str, dict[str, Any]] = {
    409: {"description": "stale etag (code stale_structure) or a removed part (section_removed)"},
    422: {"description": "against the report's form (code structure_rule)"},
}


class StructureChange(BaseModel):
    etag: str | None = _ETAG


class SectionAdd(StructureChange):
    heading: str = Field(min_length=1, max_length=MAX_HEADING + 10)
    kind: str = Field(default="body", max_length=16, description="body | problems | plans")
    position: int | None = Field(
        default=None, ge=0, le=99, description="place among the numbered parts (0: first)"
    )


class SectionRename(StructureChange):
    heading: str = Field(min_length=1, max_length=MAX_HEADING + 10)


class SectionOrder(StructureChange):
    order: list[Annotated[str, Field(max_length=64)]] = Field(max_length=50)


def _expected(body: StructureChange | None, if_match: str | None) -> str | None:
    header = parse_etag(if_match)
    given = parse_etag(body.etag) if body is not None else None
    if header is not None and given is not None and header != given:
        raise StaleStructure("请求中的两个结构版本不一致，请刷新页面后再改")
    return given or header


def _answer(response: Response, result: StructurePublic) -> StructurePublic:
    response.headers["ETag"] = f'"{result.etag}"'
    return result


@dataclass(frozen=True)
class _Change:
    """One change of the structure: who asks, the service, the etag it was made from, and the
    answer whose ETag header it sets."""

    structure: StructureService
    user: Principal
    response: Response
    if_match: str | None

    async def __call__(
        self, body: StructureChange | None, act: Callable[[str | None], StructurePublic]
    ) -> StructurePublic:
        expected = _expected(body, self.if_match)
        return _answer(self.response, await run_in_threadpool(act, expected))


def _change(
    structure: StructureDep, user: CurrentUser, response: Response, if_match: IfMatch = None
) -> _Change:
    return _Change(structure, user, response, if_match)


Change = Annotated[_Change, Depends(_change)]


@router.get("/reports/{report_id}/structure")
async def get_structure(
    report_id: ObjectId, structure: StructureDep, user: CurrentUser, response: Response
) -> StructurePublic:
    """The report's sections in order: which are numbered (may change), and the etag."""
    return _answer(response, await run_in_threadpool(structure.get, user, report_id))


@router.post("/reports/{report_id}/structure/sections", status_code=201, responses=_RESPONSES)
async def add_section(report_id: ObjectId, body: SectionAdd, change: Change) -> StructurePublic:
    """A new numbered part with a fresh id (``added_<kind>_<n>``, never used before)."""
    return await change(
        body,
        lambda expected: change.structure.add(
            change.user,
            report_id,
            heading=body.heading,
            kind=body.kind,
            position=body.position,
            expected=expected,
        ),
    )


@router.patch("/reports/{report_id}/structure/sections/{section_id}", responses=_RESPONSES)
async def rename_section(
    report_id: ObjectId, section_id: str, body: SectionRename, change: Change
) -> StructurePublic:
    return await change(
        body,
        lambda expected: change.structure.rename(
            change.user, report_id, section_id, heading=body.heading, expected=expected
        ),
    )


@router.delete("/reports/{report_id}/structure/sections/{section_id}", responses=_RESPONSES)
async def remove_section(
    report_id: ObjectId,
    section_id: str,
    change: Change,
    body: Annotated[StructureChange | None, Body()] = None,
) -> StructurePublic:
    """The part leaves the report; its versions stay in the audit log's history."""
    return await change(
        body,
        lambda expected: change.structure.remove(
            change.user, report_id, section_id, expected=expected
        ),
    )


@router.put("/reports/{report_id}/structure/order", responses=_RESPONSES)
async def reorder_sections(
    report_id: ObjectId, body: SectionOrder, change: Change
) -> StructurePublic:
    """Every numbered part's id in the new order; the headings are numbered again."""
    return await change(
        body,
        lambda expected: change.structure.reorder(
            change.user, report_id, body.order, expected=expected
        ),
    )
