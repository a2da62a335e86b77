"""How far a knowledge-base upload or re-index has got, for the page to poll while it waits.

As for report uploads (:mod:`assistant.uploads.progress`), the request answers only at the end,
so the page names the run with a token of its own choosing and asks
``GET /api/v1/knowledge/progress/{token}``: which file of how many, its stage (reading, pages
read by OCR, chunks embedded, writing), and each finished file's outcome. An entry belongs to its
user, is forgotten a while after the run ends, and lives in the serving process (another
process answers 404, which the page takes as "no news yet").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.uploads.token_table import TokenTable

KEEP_SECONDS = 600.0
MAX_ENTRIES = 200


@dataclass
class Entry:
    files: int = 0
    files_done: int = 0
    file: str = ""
    stage: str = "queued"  # queued | reading | embedding | writing | done
    pages_done: int = 0
    pages: int = 0
    chunks_done: int = 0
    chunks: int = 0
    results: list[dict[str, Any]] = field(default_factory=list)
    finished: bool = False
    touched: float = 0.0

    def public(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "files_done": self.files_done,
            "file": self.file,
            "stage": self.stage,
            "pages_done": self.pages_done,
            "pages": self.pages,
            "chunks_done": self.chunks_done,
            "chunks": self.chunks,
            "results": list(self.results),
            "finished": self.finished,
        }


class KnowledgeProgress:
    """Entries by (user, token) (:class:`~assistant.uploads.token_table.TokenTable`)."""

    def __init__(self) -> None:
        self._table: TokenTable[Entry] = TokenTable(
            keep_seconds=KEEP_SECONDS, max_entries=MAX_ENTRIES
        )

    def start(self, user_id: int, token: str, files: int) -> Reporter:
        return Reporter(self, self._table.put(user_id, token, Entry(files=files)))

    def update(self, key: tuple[int, str], result: dict[str, Any] | None, **fields: Any) -> None:
        def how(entry: Entry) -> None:
            for name, value in fields.items():
                setattr(entry, name, value)
            if result is not None:
                entry.results.append(result)
                entry.files_done = len(entry.results)

        self._table.change(key, how)

    def get(self, user_id: int, token: str) -> dict[str, Any] | None:
        return self._table.get(user_id, token)


class Reporter:
    """What a run tells its entry; :data:`SILENT` when the caller gave no token."""

    def __init__(self, table: KnowledgeProgress | None, key: tuple[int, str]) -> None:
        self._table = table
        self._key = key

    def _set(self, result: dict[str, Any] | None = None, **fields: Any) -> None:
        if self._table is not None:
            self._table.update(self._key, result, **fields)

    def planned(self, files: int) -> None:
        self._set(files=files)

    def file(self, name: str) -> None:
        self._set(file=name, stage="reading", pages_done=0, pages=0, chunks_done=0, chunks=0)

    def page(self, done: int, total: int, stage: str = "ocr") -> None:
        self._set(pages_done=done, pages=total)

    def embedded(self, done: int, total: int) -> None:
        self._set(stage="embedding", chunks_done=done, chunks=total)

    def writing(self) -> None:
        self._set(stage="writing")

    def result(self, outcome: dict[str, Any]) -> None:
        self._set(outcome)

    def finish(self) -> None:
        self._set(stage="done", finished=True)


SILENT = Reporter(None, (0, ""))
PROGRESS = KnowledgeProgress()  # the serving process's one table
