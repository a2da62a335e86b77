"""Why an upload or a proposal was refused: each is one of :mod:`assistant.errors`' categories
(which gives it its HTTP status) and an :class:`UploadError`."""

from __future__ import annotations

from assistant import errors


class UploadError(errors.AssistantError, status=422, code="invalid"):
    """Refused for a reason the caller can fix; ``str()`` is one line for the user. Raised as
    one of the subclasses below, whose category (first among its bases) gives the status."""


class TooLarge(errors.TooLarge, UploadError):
    """Over the upload limit, or over a bound while parsing (→ 413)."""


class Unsupported(errors.Unsupported, UploadError):
    """The content is not a type we ingest (judged by its bytes, never by its name) (→ 415)."""


class Unreadable(errors.Unreadable, UploadError):
    """A supported type that cannot be parsed: corrupt, empty, encrypted, a zip bomb (→ 422)."""


class Encrypted(errors.Encrypted, UploadError):
    """A password-protected file of a type we read; the message names it and says how to save
    it without the password (→ 422, ``encrypted``)."""


class Invalid(errors.Invalid, UploadError):
    """The request itself is wrong (a field missing or malformed) (→ 422)."""


class Conflict(errors.Conflict, UploadError):
    """A file of that name is already there, or a proposal was decided meanwhile (→ 409)."""


class DuplicateUpload(Conflict, code="duplicate_upload"):
    """A file of that name is already in the knowledge base; the message names it (→ 409)."""
