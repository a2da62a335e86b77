"""``POST /api/v1/reports/{id}/import.docx``: a reviewed Word file read back into the report.

Thin: it checks who may import (the owner or an admin: 403; nobody else sees the report: 404)
before reading the file, reads the file counting its bytes, and calls
:class:`assistant.reports.roundtrip.WordImport`. A file that is not a readable .docx is 422
naming the file; a section that changed meanwhile, or since the versions named in the optional
form field ``base_versions`` (JSON ``{"work_1": 3}``), is 409 with the current version. The
app-wide 1 MB body limit applies (a report's .docx is a few dozen KB), and within it
``max_file_bytes`` like any upload.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from assistant.api.deps import CurrentUser, ImporterDep, ObjectId, ServicesDep
from assistant.api.forms import multipart_body
from assistant.api.json_body import json_field
from assistant.api.lanes import LanesDep  # heavy work apart (issue 17)
from assistant.api.limits import read_upload
from assistant.errors import Invalid

router = APIRouter(prefix="/api/v1", tags=["review"])
# A Word file with pictures passes 1 MB easily: imports get the upload limit (assistant/api/limits).
IMPORT_PATTERN = r"^/api/v1/reports/\d+/import\.docx$"
_FORM_DOC = multipart_body(
    ["file"],
    {
        "file": {"type": "string", "format": "binary"},
        "preview": {
            "type": "string",
            "description": "1: read, match and check only, save nothing",
        },
        "keep": {
            "type": "string",
            "description": "JSON list of the changed section ids to save, "
            '["work_1"]; the others keep their text (listed as skipped)',
        },
        "base_versions": {
            "type": "string",
            "description": "JSON: the version each section was exported at, "
            '{"work_1": 3}; a section changed since is 409',
        },
    },
)
_RESPONSES: dict[int | str, dict[str, Any]] = {
    403: {},
    404: {},
    409: {},
    413: {},
    422: {"description": "not a readable .docx (the detail names the file)"},
}


def _keep(field: object) -> frozenset[str] | None:
    """The ``keep`` form field: the section ids to save; absent, every changed section."""
    if field is None or field == "":
        return None
    value = json_field(field)
    if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise Invalid("keep: a JSON list of section ids")
    return frozenset(value)


def _bases(field: object) -> dict[str, int]:
    """The ``base_versions`` form field: ``{section id: version number}``."""
    if field is None or field == "":
        return {}
    value = json_field(field)
    ok = isinstance(value, dict) and all(
        isinstance(k, str) and type(v) is int and 0 <= v < 10**9 for k, v in value.items()
    )
    if not ok:
        raise Invalid("base_versions: a JSON object of section ids to version numbers")
    assert isinstance(value, dict)
    return value


@router.post("/reports/{report_id}/import.docx", openapi_extra=_FORM_DOC, responses=_RESPONSES)
async def import_docx(
    report_id: ObjectId,
    request: Request,
    importer: ImporterDep,
    services: ServicesDep,
    user: CurrentUser,
    lanes: LanesDep,
) -> dict[str, Any]:
    """Save the sections of an edited export as new versions (kind ``import``), with diffs.

    Answers ``{"sections": [{id, matched_by, changed, version_id, version, diff,
    issues_summary}], "unmatched": [{heading, text}], "unchanged": [ids], "missing": [ids],
    "skipped": [ids]}``. With ``preview=1`` nothing is saved and each changed section carries
    ``old_text``, ``text`` and ``diff``; ``keep`` (a JSON list of ids) saves only those.
    """
    # Rights first, form second: someone who may not import never makes the service spool a file.
    await run_in_threadpool(importer.authorize, user, report_id)
    async with request.form(max_files=1, max_fields=6) as form:
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise Invalid("a .docx is required in the form field 'file'")
        bases = _bases(form.get("base_versions"))
        preview = form.get("preview") in ("1", "true")
        keep = _keep(form.get("keep"))
        data = await read_upload(file, services.settings.max_file_bytes, kind="docx")
        filename = file.filename
    return await lanes.heavy(
        importer.run, user, report_id, data, filename, bases=bases, preview=preview, keep=keep
    )
