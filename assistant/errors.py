"""The one error hierarchy: every refusal the assistant makes, with its HTTP status and code.

A package raises one of these categories, or its own subclass of one, with a message that is
one line for the user (Chinese where the page shows it). The CLI prints ``str(exc)``; the API
answers with :attr:`~AssistantError.status` and ``{"detail": exc.public()}`` from one handler
in the app factory (:mod:`assistant.api.app`), so no route maps exceptions itself. ``code`` is
the machine-readable name of the category (``not_found``, ``stale_base`` …), for logs, tests and
any client that should not parse messages. Imports nothing from the project.
"""

from __future__ import annotations

from typing import Any, ClassVar


class AssistantError(Exception):
    """Something the assistant refuses or cannot do; ``str()`` says why in one line.

    A subclass names its status and code in its header (``class NotFound(AssistantError,
    status=404, code="not_found")``) or inherits them. Left at status 500 it is a fault of the
    installation, not of the caller: the API answers it like any crash (``internal error``).
    """

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal"

    def __init_subclass__(
        cls, *, status: int | None = None, code: str | None = None, **kwargs: Any
    ) -> None:
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status = status
        if code is not None:
            cls.code = code

    def public(self) -> Any:
        """What the response's ``detail`` holds: the message, or an object that says more."""
        return str(self)

    def headers(self) -> dict[str, str] | None:
        return None


class Invalid(AssistantError, status=422, code="invalid"):
    """What the caller sent is wrong; the message names where."""


class Unreadable(Invalid, code="unreadable"):
    """A file of a type we read that cannot be parsed: corrupt, empty, encrypted."""


class Encrypted(Unreadable, code="encrypted"):
    """A password-protected file: nothing of it can be read until it is saved without the
    password (issue 19: .doc .wps .xls .et .ppt .dps, .docx/.xlsx/.pptx, PDF, OFD)."""


class NotFound(AssistantError, status=404, code="not_found"):
    """The object does not exist or the user may not know it does."""


class Forbidden(AssistantError, status=403, code="forbidden"):
    """The user sees the object but may not do this to it."""


class Conflict(AssistantError, status=409, code="conflict"):
    """The change does not fit the object's state as it now is."""


class TooLarge(AssistantError, status=413, code="too_large"):
    """More bytes (or parts, or cells) than the assistant takes in at once."""


class Unsupported(AssistantError, status=415, code="unsupported"):
    """Content of a type the assistant does not read."""


class Unavailable(AssistantError, status=503, code="unavailable"):
    """A resource the request needs is busy or unreachable; trying later may work."""


class ConfigError(AssistantError, code="config"):
    """A file the installation ships or an admin maintains is malformed (a 500 for the API)."""


# -- errors whose detail carries their code (added for the administration area) ------------------


class WithCode:
    """Mixed into an :class:`AssistantError` subclass: ``detail`` is ``{"code", "message"}``, so
    the page can tell refusals apart without parsing the (Chinese) message."""

    code: ClassVar[str]

    def public(self) -> Any:
        return {"code": self.code, "message": str(self)}


# -- codes for answers that are not AssistantErrors (issue 15: every error the page meets) -------
# Starlette's HTTPException (a missing login, the body limit, a bad form field) and pydantic's
# request validation carry a ``code`` beside ``detail`` as well; these are their names.

VALIDATION_CODE = "validation"  # pydantic's 422: ``detail`` is a list of {loc, msg, type}
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported",
    422: "invalid",
    429: "rate_limited",
    503: "unavailable",
}


def http_code(status: int) -> str:
    """The code of an HTTP refusal that names no category of its own."""
    return _HTTP_CODES.get(status, "internal" if status >= 500 else "http_error")


# -- The knowledge base's refusals (assistant/knowledge/): Chinese text, the code beside it ------


class KnowledgeError(WithCode, AssistantError):
    """A knowledge-base refusal; the response's detail is ``{"code", "message"}``."""


class KnowledgeForbidden(KnowledgeError, Forbidden, code="kb_admin_only"):
    """Only admins add to, remove from or re-index a knowledge base."""


class KnowledgeNotFound(KnowledgeError, NotFound, code="kb_not_found"):
    """No such knowledge-base file (or it was removed meanwhile)."""


class KnowledgeConflict(KnowledgeError, Conflict, code="kb_changed"):
    """Another admin changed or removed the file meanwhile; reload and try again."""


class KnowledgeInvalid(KnowledgeError, Invalid, code="kb_invalid"):
    """The request is malformed (no file, too many files, a bad progress token)."""


class KnowledgeTooLarge(KnowledgeError, TooLarge, code="too_large"):
    """A file over the upload limit (the same as a report upload's)."""


# -- A report's sections added, removed, renamed or reordered (issue 15; assistant/reports/
# structure.py): Chinese text, the code beside it ------------------------------------------------


class StructureError(WithCode, AssistantError):
    """A refusal of a change to a report's sections; ``detail`` is ``{"code", "message"}``."""


class SectionRemoved(StructureError, Conflict, code="section_removed"):
    """The section was removed from the report (by someone else, or in another tab)."""


class SectionMissing(StructureError, NotFound, code="section_not_found"):
    """The report has no section of that id (and never had one)."""


class StaleStructure(StructureError, Conflict, code="stale_structure"):
    """The sections were added, removed, renamed or reordered since the page read them."""


class StructureRule(StructureError, Invalid, code="structure_rule"):
    """The change breaks the report's form (fixed parts stay; one numbered part at least)."""


# -- categories the routes raise themselves (issue 13: no route names an HTTP status) -----------


class Unauthenticated(AssistantError, status=401, code="unauthenticated"):
    """No valid sign-in for this request: a wrong username or password at the login."""


class RateLimited(AssistantError, status=429, code="rate_limited"):
    """Too many attempts in too short a time; ``Retry-After`` says when to try again."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}
