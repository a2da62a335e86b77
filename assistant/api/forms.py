"""The OpenAPI description of a body the route reads itself: a multipart form (uploads,
imports; for limits in time and memory) or a JSON body bounded in depth (fact sheets, outlines),
so FastAPI cannot infer it from the signature."""

from __future__ import annotations

from typing import Annotated, Any, Protocol

from fastapi import Path

from assistant.uploads.progress import TOKEN


def multipart_body(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    """``openapi_extra`` for a route whose body is a ``multipart/form-data`` form."""
    schema = {"type": "object", "required": required, "properties": properties}
    return {
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": {"schema": schema}},
        }
    }


def json_body(schema: dict[str, Any], example: dict[str, Any]) -> dict[str, Any]:
    """``openapi_extra`` for a route that reads its JSON body itself (bounded in depth)."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema, "example": example}},
        }
    }


def progress_field(path: str, what: str) -> dict[str, Any]:
    """The form field naming a progress token the caller chose (``path`` reports on it)."""
    return {
        "type": "string",
        "pattern": TOKEN.pattern,
        "description": f"a token of the caller's choosing: GET {path} says how far {what} has got",
    }


# The path parameter naming a progress token (GET …/progress/{token}).
ProgressToken = Annotated[str, Path(pattern=TOKEN.pattern)]


class _Progress(Protocol):
    def get(self, user_id: int, token: str) -> dict[str, Any] | None: ...


def progress_entry(
    table: _Progress, user_id: int, token: str, missing: Exception
) -> dict[str, Any]:
    """The caller's run named ``token``, as far as it has got; ``missing`` when there is none."""
    entry = table.get(user_id, token)
    if entry is None:
        raise missing
    return entry
