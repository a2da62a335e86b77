"""``GET /api/v1/search``: hybrid search over a knowledge base the caller may read.

Scopes (decided by :func:`assistant.reports.access.knowledge_base`): the corpus (every
signed-in user), a report's uploads by ``report_id`` (whoever may read the report), any other
knowledge base by name (admins). Anything else answers 404, so a report's knowledge base is
never disclosed to someone who may not read the report.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant.accounts.service import Principal
from assistant.api.deps import MAX_ID, CurrentUser, ServicesDep
from assistant.errors import Invalid, NotFound
from assistant.reports.access import knowledge_base
from assistant.retrieval.search import Filters, per_doc_limit
from assistant.services import Services

router = APIRouter(prefix="/api/v1", tags=["search"])


class HitPublic(BaseModel):
    """A passage found. Text read by OCR also says from which page (``ocr_page``,
    ``provenance``); other hits leave the two out."""

    doc_id: str = Field(description="the document's id in its knowledge base")
    title: str
    source: str = Field(description="the file's name only: where the server keeps it is not said")
    heading: str = Field(description="the heading the passage stands under")
    text: str
    score: float = Field(description="fused rank score (higher is better), not a probability")
    ocr_page: int | None = None
    provenance: str | None = None


@router.get("/search", response_model_exclude_unset=True)
async def search(
    services: ServicesDep,
    user: CurrentUser,
    q: Annotated[str, Query(min_length=1, max_length=2000, description="Query text")],
    k: Annotated[int, Query(ge=1, le=100)] = 5,
    kb: Annotated[
        str | None, Query(min_length=1, max_length=100, description="default: corpus")
    ] = None,
    report_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="search this report's uploads instead")
    ] = None,
    genre: Annotated[str | None, Query(max_length=50)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    doc_id: Annotated[str | None, Query(max_length=64)] = None,
    mode: Literal["hybrid", "dense", "bm25"] = "hybrid",
    per_doc: Annotated[
        int | None, Query(ge=0, le=100, description="0 = no limit; default from settings")
    ] = None,
) -> list[HitPublic]:
    if report_id is not None and kb is not None:
        raise Invalid("give either kb or report_id, not both")
    kb = await run_in_threadpool(_scope, services, user, report_id, kb)
    if kb not in await run_in_threadpool(services.store.knowledge_bases):
        if report_id is not None:
            return []  # a report with no uploads yet: nothing to find, nothing to hide
        raise NotFound(f"unknown knowledge base {kb!r}")
    hits = await run_in_threadpool(
        services.searcher.search,
        q,
        k=k,
        kb=kb,
        filters=Filters(genre=genre, year=year, doc_id=doc_id),
        mode=mode,
        per_doc=per_doc_limit(per_doc, services.settings.per_doc_limit),
    )
    return [HitPublic.model_validate(h.public(server_paths=False)) for h in hits]


def _scope(services: Services, user: Principal, report_id: int | None, kb: str | None) -> str:
    with services.db.session() as s:
        return knowledge_base(s, user, report_id=report_id, kb=kb)
