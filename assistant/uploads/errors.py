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


# -- an ingest refusal keeps its code when it becomes an upload's (issue 19): the page words
# each its own way (文件转换超时 …), where ``unreadable`` would tell a conversion that ran out of
# time "the file may be damaged". :data:`KEEPS_CODE` is how reading.py finds them.


class ConvertTimeout(Unreadable, code="convert_timeout"):
    """LibreOffice ran past ``ASSISTANT_CONVERT_TIMEOUT`` and was stopped (→ 422)."""


class ConverterMissing(Unreadable, code="converter_missing"):
    """LibreOffice is not installed, so this legacy or WPS file cannot be read (→ 422)."""


class OcrMissing(Unreadable, code="ocr_missing"):
    """The OCR engine is not installed, so a scan cannot be read (→ 422)."""


class OcrTimeout(Unreadable, code="ocr_timeout"):
    """OCR ran past ``ASSISTANT_OCR_TIMEOUT`` (→ 422)."""


class ParseTimeout(Unreadable, code="parse_timeout"):
    """The parse worker ran past ``ASSISTANT_PARSE_TIMEOUT`` and was stopped (→ 422)."""


class ParseCrashed(Unreadable, code="parse_crashed"):
    """The parse worker died without an answer (→ 422)."""


class TooMuchText(Unreadable, code="too_much_text"):
    """More text than ``ASSISTANT_MAX_UPLOAD_CHARS`` (→ 422)."""


class TooManyPages(TooLarge, code="too_many_pages"):
    """More pages to read by OCR than ``ASSISTANT_OCR_MAX_PAGES`` (→ 413)."""


KEEPS_CODE: dict[str, type[UploadError]] = {
    c.code: c
    for c in (
        ConvertTimeout,
        ConverterMissing,
        OcrMissing,
        OcrTimeout,
        ParseTimeout,
        ParseCrashed,
        TooMuchText,
        TooManyPages,
    )
}
