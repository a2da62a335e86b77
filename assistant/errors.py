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

    Left as it is (status 500) it is a fault of the installation, not of the caller: the API
    answers it like any crash (``internal error``) and logs it.
    """

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal"

    def public(self) -> Any:
        """What the response's ``detail`` holds: the message, or an object that says more."""
        return str(self)

    def headers(self) -> dict[str, str] | None:
        return None


class Invalid(AssistantError):
    """What the caller sent is wrong; the message names where (→ 422)."""

    status = 422
    code = "invalid"


class Unreadable(Invalid):
    """A file of a type we read that cannot be parsed: corrupt, empty, encrypted (→ 422)."""

    code = "unreadable"


class NotFound(AssistantError):
    """The object does not exist or the user may not know it does (→ 404)."""

    status = 404
    code = "not_found"


class Forbidden(AssistantError):
    """The user sees the object but may not do this to it (→ 403)."""

    status = 403
    code = "forbidden"


class Conflict(AssistantError):
    """The change does not fit the object's state as it now is (→ 409)."""

    status = 409
    code = "conflict"


class TooLarge(AssistantError):
    """More bytes (or parts, or cells) than the assistant takes in at once (→ 413)."""

    status = 413
    code = "too_large"


class Unsupported(AssistantError):
    """Content of a type the assistant does not read (→ 415)."""

    status = 415
    code = "unsupported"


class Unavailable(AssistantError):
    """A resource the request needs is busy or unreachable; trying later may work (→ 503)."""

    status = 503
    code = "unavailable"


class ConfigError(AssistantError):
    """A file the installation ships or an admin maintains is malformed (a 500 for the API)."""

    code = "config"
