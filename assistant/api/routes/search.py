"""``GET /api/v1/search``: hybrid search over a knowledge base."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import CurrentUser, ServicesDep
from assistant.retrieval.search import Filters, per_doc_limit

router = APIRouter(prefix="/api/v1", tags=["search"])


@router.get("/search")
async def search(
    services: ServicesDep,
    user: CurrentUser,
    q: Annotated[str, Query(min_length=1, max_length=2000, description="Query text")],
    k: Annotated[int, Query(ge=1, le=100)] = 5,
    kb: Annotated[str, Query(min_length=1, max_length=100)] = "corpus",
    genre: Annotated[str | None, Query(max_length=50)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    doc_id: Annotated[str | None, Query(max_length=64)] = None,
    mode: Literal["hybrid", "dense", "bm25"] = "hybrid",
    per_doc: Annotated[
        int | None, Query(ge=0, le=100, description="0 = no limit; default from settings")
    ] = None,
) -> list[dict[str, Any]]:
    # The corpus is shared; a report's own uploads are searched through the report (scoped).
    if kb != "corpus" and not user.is_admin:
        raise HTTPException(404, detail=f"unknown knowledge base {kb!r}")
    if kb not in await run_in_threadpool(services.store.knowledge_bases):
        raise HTTPException(404, detail=f"unknown knowledge base {kb!r}")
    hits = await run_in_threadpool(
        services.searcher.search,
        q,
        k=k,
        kb=kb,
        filters=Filters(genre=genre, year=year, doc_id=doc_id),
        mode=mode,
        per_doc=per_doc_limit(per_doc, services.settings.per_doc_limit),
    )
    return [h.public() for h in hits]
