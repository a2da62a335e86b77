"""The one error ingestion raises: it names the file and the reason in one line."""

from __future__ import annotations

from assistant.errors import Unreadable


class IngestError(Unreadable):
    """A file could not be ingested; ``str()`` is one clear line for the user (→ 422)."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[IngestError], tuple[str, str]]:
        # Pickled whole (with its class) when it crosses from a parse worker to the caller.
        return (type(self), (self.source, self.reason))
