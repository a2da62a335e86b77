"""The error → status table, pinned; and the one handler that answers with it.

Every domain error derives from :class:`assistant.errors.AssistantError`; a new one must be
added to the table below (and so given its status and code deliberately).
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import assistant
from assistant import errors
from assistant.api.app import create_app
from assistant.config import Settings

TABLE: dict[str, tuple[int, str]] = {
    "assistant.errors.AssistantError": (500, "internal"),
    "assistant.errors.ConfigError": (500, "config"),
    "assistant.errors.Conflict": (409, "conflict"),
    "assistant.errors.Encrypted": (422, "encrypted"),
    "assistant.errors.Forbidden": (403, "forbidden"),
    "assistant.errors.Invalid": (422, "invalid"),
    "assistant.errors.NotFound": (404, "not_found"),
    "assistant.errors.TooLarge": (413, "too_large"),
    "assistant.errors.Unavailable": (503, "unavailable"),
    "assistant.errors.Unreadable": (422, "unreadable"),
    "assistant.errors.Unsupported": (415, "unsupported"),
    "assistant.errors.Unauthenticated": (401, "unauthenticated"),
    "assistant.errors.RateLimited": (429, "rate_limited"),
    "assistant.errors.KnowledgeError": (500, "internal"),
    "assistant.errors.KnowledgeConflict": (409, "kb_changed"),
    "assistant.errors.KnowledgeForbidden": (403, "kb_admin_only"),
    "assistant.errors.KnowledgeInvalid": (422, "kb_invalid"),
    "assistant.errors.KnowledgeNotFound": (404, "kb_not_found"),
    "assistant.errors.KnowledgeTooLarge": (413, "too_large"),
    # a report's sections added, removed, renamed, reordered (issue 15)
    "assistant.errors.StructureError": (500, "internal"),
    "assistant.errors.SectionRemoved": (409, "section_removed"),
    "assistant.errors.SectionMissing": (404, "section_not_found"),
    "assistant.errors.StaleStructure": (409, "stale_structure"),
    "assistant.errors.StructureRule": (422, "structure_rule"),
    "assistant.accounts.hashgate.Busy": (503, "busy"),
    "assistant.accounts.service.AccountError": (422, "account"),
    "assistant.accounts.service.UserExists": (409, "user_exists"),
    "assistant.accounts.admin.AdminOnly": (403, "admin_only"),
    "assistant.accounts.admin.LastAdmin": (409, "last_admin"),
    "assistant.accounts.admin.LoginNeeded": (403, "login_needed"),
    "assistant.accounts.admin.NoSuchUser": (404, "no_such_user"),
    "assistant.accounts.admin.SelfDisable": (409, "self_disable"),
    "assistant.accounts.admin.TooManyTries": (429, "too_many_attempts"),
    "assistant.accounts.admin.WrongPassword": (422, "wrong_password"),
    "assistant.accounts.api_keys.ApiKeyError": (422, "api_key"),
    "assistant.compat.completion.MessageTooLong": (422, "message_too_long"),
    "assistant.compat.completion.ModelNotFound": (404, "model_not_found"),
    "assistant.compat.completion.NoModel": (422, "model_required"),
    "assistant.compat.completion.NoUserMessage": (422, "no_user_message"),
    "assistant.checks.rulebook.RuleError": (500, "rule"),
    "assistant.drafting.llm.LLMError": (503, "llm"),
    "assistant.drafting.outline.OutlineError": (422, "outline"),
    "assistant.drafting.prompts.PromptError": (500, "prompt"),
    "assistant.drafting.templates.TemplateError": (500, "template"),
    "assistant.evals.chat.EvalFileError": (422, "invalid"),
    "assistant.facts.sheet.FactSheetError": (422, "fact_sheet"),
    "assistant.evals.proofreading.LabelError": (422, "invalid"),
    "assistant.export.model.ExportInputError": (422, "invalid"),
    "assistant.export.verify.DocxUnreadable": (422, "unreadable"),
    "assistant.ingest.convert.ConvertTimeout": (422, "convert_timeout"),
    "assistant.ingest.convert.ConverterMissing": (422, "converter_missing"),
    "assistant.ingest.errors.IngestError": (422, "unreadable"),
    "assistant.ingest.errors.EncryptedFile": (422, "encrypted"),
    "assistant.ingest.limits.OverLimit": (413, "too_large"),
    "assistant.ingest.limits.TooMuchText": (422, "too_much_text"),
    "assistant.ingest.ocr.OcrMissing": (422, "ocr_missing"),
    "assistant.ingest.scan.OcrTimeout": (422, "ocr_timeout"),
    "assistant.ingest.scan.TooManyPages": (413, "too_many_pages"),
    "assistant.ingest.worker.ParseCrashed": (422, "parse_crashed"),
    "assistant.ingest.worker.ParseTimeout": (422, "parse_timeout"),
    "assistant.reports.concurrency.OverwriteNeeded": (409, "confirm_overwrite"),
    "assistant.reports.concurrency.SectionConflict": (409, "conflict"),
    "assistant.reports.concurrency.StaleBase": (409, "stale_base"),
    "assistant.reports.roundtrip.ImportConflict": (409, "stale_base"),
    "assistant.reports.roundtrip.read.UnreadableDocx": (422, "unreadable"),
    "assistant.review.workflow.ReviewConflict": (409, "review_state"),
    "assistant.review.workflow.ReviewInputError": (422, "invalid"),
    "assistant.review.workflow.CommentRequired": (422, "comment_required"),
    "assistant.review.workflow.ReviewBlocked": (409, "review_blocked"),
    "assistant.review.workflow.ReviewStale": (409, "review_stale"),
    "assistant.review.workflow.NotDrafter": (403, "not_drafter"),
    "assistant.review.workflow.NotReviewer": (403, "not_reviewer"),
    "assistant.review.workflow.OwnText": (403, "own_text"),
    "assistant.uploads.errors.Conflict": (409, "conflict"),
    "assistant.uploads.errors.Encrypted": (422, "encrypted"),
    "assistant.uploads.errors.Invalid": (422, "invalid"),
    "assistant.uploads.errors.TooLarge": (413, "too_large"),
    "assistant.uploads.errors.Unreadable": (422, "unreadable"),
    "assistant.uploads.errors.Unsupported": (415, "unsupported"),
    "assistant.uploads.errors.UploadError": (422, "invalid"),
    "assistant.uploads.errors.DuplicateUpload": (409, "duplicate_upload"),
    "assistant.uploads.errors.ConvertTimeout": (422, "convert_timeout"),
    "assistant.uploads.errors.ConverterMissing": (422, "converter_missing"),
    "assistant.uploads.errors.OcrMissing": (422, "ocr_missing"),
    "assistant.uploads.errors.OcrTimeout": (422, "ocr_timeout"),
    "assistant.uploads.errors.ParseTimeout": (422, "parse_timeout"),
    "assistant.uploads.errors.ParseCrashed": (422, "parse_crashed"),
    "assistant.uploads.errors.TooMuchText": (422, "too_much_text"),
    "assistant.uploads.errors.TooManyPages": (413, "too_many_pages"),
}


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_error_has_its_pinned_status_and_code() -> None:
    for info in pkgutil.walk_packages(assistant.__path__, "assistant."):
        importlib.import_module(info.name)
    found = {
        f"{c.__module__}.{c.__qualname__}": (c.status, c.code)
        for c in {errors.AssistantError, *_subclasses(errors.AssistantError)}
    }
    assert found == TABLE


def test_names_other_modules_import_are_the_categories() -> None:
    from assistant.reports import access, facts

    assert access.NotFound is errors.NotFound and access.Forbidden is errors.Forbidden
    assert facts.Invalid is errors.Invalid


@pytest.fixture
def client(settings: Settings) -> TestClient:
    """The real app factory (no lifespan: no services are needed) with routes that raise."""
    from assistant.accounts.hashgate import Busy
    from assistant.drafting.templates import TemplateError
    from assistant.reports.concurrency import StaleBase
    from assistant.uploads.errors import TooLarge

    app = create_app(settings)
    raised: dict[str, Exception] = {
        "invalid": errors.Invalid("facts[1].value: must be text or a number"),
        "gone": errors.NotFound("no report 7"),
        "upload": TooLarge("a.docx: file is over the 1 MB limit"),
        "stale": StaleBase("work_1", base=1, current=None),
        "busy": Busy(),
        "secret": errors.Invalid("cannot reach https://user:pw@llm.example/v1?api_key=sk-1"),
        "broken": TemplateError("t.yaml: sections: field required"),
    }

    def boom(name: str) -> None:
        raise raised[name]

    app.add_api_route("/boom/{name}", boom)
    return TestClient(app, raise_server_exceptions=False)


def test_the_handler_answers_with_the_status_and_the_public_detail(client: TestClient) -> None:
    r = client.get("/boom/invalid")
    assert (r.status_code, r.json()) == (
        422,
        {"detail": "facts[1].value: must be text or a number", "code": "invalid"},
    )
    assert client.get("/boom/gone").json() == {"detail": "no report 7", "code": "not_found"}
    assert client.get("/boom/upload").status_code == 413
    stale = client.get("/boom/stale")
    assert stale.status_code == 409 and stale.json()["detail"]["code"] == "stale_base"
    busy = client.get("/boom/busy")
    assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
    assert busy.json() == {"detail": "登录请求过多，服务器繁忙，请 1 秒后再试", "code": "busy"}
    secret = client.get("/boom/secret").json()["detail"]
    assert "pw@" not in secret and "sk-1" not in secret


def test_an_installation_fault_is_answered_like_any_crash(client: TestClient) -> None:
    r = client.get("/boom/broken")
    assert (r.status_code, r.json()) == (500, {"detail": "internal error", "code": "internal"})


# -- no route names an HTTP status itself (issue 13) ---------------------------------------------

ROUTES = Path(assistant.__file__).parent / "api" / "routes"
# /v1 answers in OpenAI's error shape: its missing-key 401 is told apart there (openai_errors).
OWN_SHAPE = {"openai_compat.py"}


def _raised_http(path: Path) -> list[int]:
    """The lines of ``path`` that raise or build a Starlette/FastAPI ``HTTPException``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "HTTPException"
    ]


def test_no_route_maps_a_refusal_to_a_status_itself() -> None:
    found = {
        f.name: lines
        for f in sorted(ROUTES.glob("*.py"))
        if f.name not in OWN_SHAPE and (lines := _raised_http(f))
    }
    assert found == {}, "raise an assistant.errors class instead (the app's handler maps it)"


def test_the_route_refusals_keep_their_status_code_and_headers(settings: Settings) -> None:
    app = create_app(settings)

    def login_refused() -> None:
        raise errors.Unauthenticated("wrong username or password")

    def throttled() -> None:
        raise errors.RateLimited("登录尝试过于频繁，请 30 秒后再试", retry_after=30)

    app.add_api_route("/refused", login_refused)
    app.add_api_route("/throttled", throttled)
    client = TestClient(app, raise_server_exceptions=False)
    r = client.get("/refused")
    assert (r.status_code, r.json()) == (
        401,
        {"detail": "wrong username or password", "code": "unauthenticated"},
    )
    r = client.get("/throttled")
    assert (r.status_code, r.headers["retry-after"], r.json()["code"]) == (
        429,
        "30",
        "rate_limited",
    )
