"""``/api/v1/knowledge``: the corpus knowledge base from the service (the page's 知识库 area).

Admins upload past reports and policy texts (one or more files a request, the limits of a
report upload), list them with their state and failures, remove one, re-index one or all, and
follow a run's progress by a token of their own (``GET /knowledge/progress/{token}``). Every
signed-in user may list the indexed documents. Thin: :mod:`assistant.knowledge` decides.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Body, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.accounts.service import Principal
from assistant.api.deps import CurrentUser, KnowledgeDep, ObjectId, ServicesDep
from assistant.api.forms import ProgressToken, multipart_body, progress_entry, progress_field
from assistant.api.lanes import Lanes, LanesDep  # heavy work apart (issue 17)
from assistant.domain import CORPUS
from assistant.errors import KnowledgeInvalid, KnowledgeNotFound, KnowledgeTooLarge
from assistant.ingest.names import safe_filename
from assistant.knowledge.listing import list_entries
from assistant.knowledge.progress import PROGRESS, SILENT, Reporter
from assistant.knowledge.reasons import too_large
from assistant.knowledge.service import Knowledge
from assistant.uploads.progress import TOKEN

T = TypeVar("T")
router = APIRouter(prefix="/api/v1/knowledge", tags=["knowledge"])
UPLOAD_PATH = "/api/v1/knowledge/documents"  # its body may be as large as a report upload's
MAX_FILES = 20
_READ = 64 * 1024
_FORM_DOC = multipart_body(
    ["files"],
    {
        "files": {
            "type": "array",
            "items": {"type": "string", "format": "binary"},
            "description": f"1 to {MAX_FILES} files, together within the "
            "upload limit (ASSISTANT_MAX_FILE_MB)",
        },
        "progress": progress_field("/knowledge/progress/{token}", "indexing"),
    },
)


def _reporter(user_id: int, token: str | None, files: int) -> Reporter:
    if token is None:
        return SILENT
    if not TOKEN.match(token):
        raise KnowledgeInvalid("进度标记须为 8 到 64 个字母、数字、- 或 _。")
    return PROGRESS.start(user_id, token, files)


async def _read(file: UploadFile, limit: int) -> bytes:
    """The file's bytes, counted as they come (a declared size is never trusted)."""
    data = bytearray()
    while chunk := await file.read(_READ):
        data += chunk
        if len(data) > limit:
            name = safe_filename(file.filename, "bin")
            raise KnowledgeTooLarge(f"{name}：{too_large(limit).reason}")
    return bytes(data)


def _summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    count = {s: sum(1 for r in results if r["status"] == s) for s in ("indexed", "failed")}
    return {"results": results, **count, "skipped": len(results) - sum(count.values())}


@router.post("/documents", openapi_extra=_FORM_DOC)
async def upload_documents(
    request: Request, knowledge: KnowledgeDep, user: CurrentUser, lanes: LanesDep
) -> dict[str, Any]:
    """Add files to the corpus (admins); each file's outcome: indexed, failed (kept, with its
    reason) or skipped (a duplicate, or a name taken by other content)."""
    # Checked before the form is parsed: nobody but an admin makes the service spool a file.
    knowledge.require_admin(user)
    try:
        form = await request.form(max_files=MAX_FILES, max_fields=4)
    except StarletteHTTPException as exc:  # Starlette's own words: too many files or fields
        raise KnowledgeInvalid(
            f"一次最多上传 {MAX_FILES} 个文件，表单须为 multipart/form-data（字段 files）。"
        ) from exc
    try:
        parts = [*form.getlist("files"), *form.getlist("file")]
        given = [p for p in parts if isinstance(p, UploadFile)]
        if not given or len(given) != len(parts):
            raise KnowledgeInvalid("请选择要上传的文件（表单字段 files，可多个）。")
        files = [(p.filename, await _read(p, knowledge.limits.max_bytes)) for p in given]
        token = form.get("progress")
    finally:
        await form.close()  # the spooled files go at once, not when the request is collected
    report = _reporter(user.id, token if isinstance(token, str) and token else None, len(files))
    try:
        results = await lanes.heavy(knowledge.add, user, files, report)
    finally:
        report.finish()
    return _summary(results)


@router.get("/documents")
async def list_documents(services: ServicesDep, user: CurrentUser) -> list[dict[str, Any]]:
    """The corpus's documents, newest first; failures only for admins."""
    return await run_in_threadpool(list_entries, services.db, services.store, user, CORPUS)


@router.delete("/documents/{file_id}", status_code=204)
async def remove_document(
    file_id: ObjectId, knowledge: KnowledgeDep, user: CurrentUser
) -> Response:
    """Remove a file: its chunks leave the vector store and the keyword index."""
    await run_in_threadpool(knowledge.remove, user, file_id)
    return Response(status_code=204)


class Run(BaseModel):
    progress: Annotated[str | None, Field(pattern=TOKEN.pattern)] = None


@router.post("/documents/{file_id}/reindex")
async def reindex_document(
    file_id: ObjectId,
    knowledge: KnowledgeDep,
    user: CurrentUser,
    lanes: LanesDep,
    body: Annotated[Run | None, Body()] = None,
) -> dict[str, Any]:
    """Index one kept file again; when it fails, the version indexed before stays."""
    return await _heavy_run(lanes, knowledge, user, body, 1, knowledge.reindex, user, file_id)


@router.post("/reindex")
async def reindex_all(
    knowledge: KnowledgeDep,
    user: CurrentUser,
    lanes: LanesDep,
    body: Annotated[Run | None, Body()] = None,
) -> dict[str, Any]:
    """Index every kept file again, one after another."""
    results = await _heavy_run(lanes, knowledge, user, body, 0, knowledge.reindex_all, user)
    return _summary(results)


async def _heavy_run(
    lanes: Lanes,
    knowledge: Knowledge,
    user: Principal,
    body: Run | None,
    files: int,
    work: Callable[..., T],
    *args: Any,
) -> T:
    """An admin's run in the heavy lane, reporting under the caller's progress token (``files``:
    how many it will index, 0 when it finds out)."""
    knowledge.require_admin(user)
    report = _reporter(user.id, (body or Run()).progress, files)
    try:
        return await lanes.heavy(work, *args, report)
    finally:
        report.finish()


@router.get("/progress/{token}")
async def progress(token: ProgressToken, user: CurrentUser) -> dict[str, Any]:
    """How far the caller's run named ``token`` has got; 404 when there is none (here)."""
    gone = KnowledgeNotFound("没有这个进度标记的上传或重新索引（可能已结束较久）。")
    return progress_entry(PROGRESS, user.id, token, gone)
