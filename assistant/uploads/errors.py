"""Why an upload or a proposal was refused, each with the HTTP status that says so."""

from __future__ import annotations


class UploadError(Exception):
    """Refused for a reason the caller can fix; ``str()`` is one line for the user."""

    status = 422


class TooLarge(UploadError):
    status = 413


class Unsupported(UploadError):
    """The content is not a type we ingest (judged by its bytes, never by its name)."""

    status = 415


class Unreadable(UploadError):
    """A supported type that cannot be parsed: corrupt, empty, encrypted, a zip bomb."""

    status = 422


class Invalid(UploadError):
    """The request itself is wrong (a field missing or malformed)."""

    status = 422


class Conflict(UploadError):
    status = 409
