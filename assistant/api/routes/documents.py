"""Routes for uploads (``/documents``) and for deciding on the facts they propose.

Thin: they read the request and call :mod:`assistant.uploads` in the thread pool; its refusals
(413 too large, 415 not a type we read, 422 unreadable, 409 conflict) are answered by the app's
one error handler.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Request, Response
from pydantic import BaseModel, Field, StrictFloat, StrictInt, StrictStr
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from assistant.api.deps import MAX_ID, CurrentUser, ObjectId, ServicesDep, UploadsDep
from assistant.api.forms import ProgressToken, multipart_body, progress_entry, progress_field
from assistant.api.lanes import LanesDep  # heavy work apart (issue 17)
from assistant.api.limits import read_upload
from assistant.domain import CORPUS
from assistant.errors import Invalid, NotFound
from assistant.reports.facts import fact_public
from assistant.reports.public import FactPublic
from assistant.uploads import proposals
from assistant.uploads.progress import PROGRESS, TOKEN
from assistant.uploads.public import UploadAddedPublic, UploadProgressPublic, UploadPublic

router = APIRouter(prefix="/api/v1", tags=["documents"])
UPLOAD_PATH = "/api/v1/documents"  # the one path whose body may exceed the global limit
_FORM_DOC = multipart_body(
    ["file"],
    {
        "file": {"type": "string", "format": "binary"},
        "report_id": {"type": "integer", "description": "the report it is for"},
        "kb": {"type": "string", "enum": [CORPUS], "description": "admins"},
        "progress": progress_field("/documents/progress/{token}", "reading"),
    },
)


def _field(form: FormData, name: str) -> str | None:
    value = form.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise Invalid(f"form field {name!r} must be text, not a file")
    return value


@router.post("/documents", status_code=201, openapi_extra=_FORM_DOC)
async def upload_document(
    request: Request, uploads: UploadsDep, user: CurrentUser, lanes: LanesDep
) -> UploadAddedPublic:
    """Add a file to a report's fact layer (``report_id``) or, for admins, the corpus."""
    # The form is parsed here, after the token was checked (a body parameter would be parsed
    # first): nobody signed out can make the service spool a large file.
    async with request.form(max_files=1, max_fields=8) as form:
        raw_id = _field(form, "report_id")
        if raw_id is not None and not (raw_id.isdigit() and 1 <= int(raw_id) <= MAX_ID):
            raise Invalid("report_id must be a report number")
        report_id = int(raw_id) if raw_id is not None else None
        target = await run_in_threadpool(
            uploads.target, user, report_id=report_id, kb=_field(form, "kb")
        )
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise Invalid("a file is required in the form field 'file'")
        data = await read_upload(file, uploads.max_bytes, kind="bin")
        filename = file.filename
        token = _field(form, "progress")
    if token is not None and not TOKEN.match(token):
        raise Invalid("progress must be 8 to 64 letters, digits, - or _")
    if token is None:
        added = await lanes.heavy(uploads.add, user, target, data=data, filename=filename)
        return UploadAddedPublic.of_added(added)
    PROGRESS.start(user.id, token)

    def on_page(done: int, total: int, stage: str) -> None:
        PROGRESS.page(user.id, token, done, total, stage)

    try:
        added = await lanes.heavy(
            uploads.add, user, target, data=data, filename=filename, on_page=on_page
        )
    finally:
        PROGRESS.finish(user.id, token)
    return UploadAddedPublic.of_added(added)


@router.get("/documents/progress/{token}")
async def upload_progress(token: ProgressToken, user: CurrentUser) -> UploadProgressPublic:
    """How far the reading of the caller's upload named ``token`` has got: pages read by OCR
    (``pages_done`` of ``pages``); 404 when there is no such upload under way (or not here)."""
    gone = NotFound("没有这个进度标记的上传（可能已读完较久）。")
    return UploadProgressPublic.model_validate(progress_entry(PROGRESS, user.id, token, gone))


@router.get("/documents")
async def list_documents(
    uploads: UploadsDep,
    user: CurrentUser,
    report_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="omit for the corpus")
    ] = None,
) -> list[UploadPublic]:
    rows = await run_in_threadpool(uploads.list_uploads, user, report_id=report_id)
    ocr = await run_in_threadpool(uploads.read_by_ocr, rows)  # issue 19: the page marks them
    return [UploadPublic.of(u, ocr=u.id in ocr) for u in rows]


@router.delete("/documents/{upload_id}", status_code=204)
async def delete_document(upload_id: ObjectId, uploads: UploadsDep, user: CurrentUser) -> Response:
    await run_in_threadpool(uploads.delete, user, upload_id)
    return Response(status_code=204)


class FactCorrection(BaseModel):
    """Corrections made while confirming a proposed fact; omitted fields keep the proposal's."""

    key: str | None = Field(default=None, min_length=1, max_length=100)
    value: StrictStr | StrictInt | StrictFloat | None = None
    unit: str | None = Field(default=None, max_length=32)


@router.post("/reports/{report_id}/facts/{fact_id}/confirm")
async def confirm_fact(
    report_id: ObjectId,
    fact_id: ObjectId,
    services: ServicesDep,
    user: CurrentUser,
    body: Annotated[FactCorrection | None, Body()] = None,
) -> FactPublic:
    fix = body or FactCorrection()
    row = await run_in_threadpool(
        proposals.confirm,
        services.db,
        user,
        report_id=report_id,
        fact_id=fact_id,
        correction=proposals.Correction(key=fix.key, value=fix.value, unit=fix.unit),
    )
    return fact_public(row)


@router.delete("/reports/{report_id}/facts/{fact_id}", status_code=204)
async def reject_fact(
    report_id: ObjectId, fact_id: ObjectId, services: ServicesDep, user: CurrentUser
) -> Response:
    await run_in_threadpool(
        proposals.reject, services.db, user, report_id=report_id, fact_id=fact_id
    )
    return Response(status_code=204)
