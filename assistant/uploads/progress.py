"""How far the reading of an upload has got, for the page to show while it waits.

An upload that is read page by page (a scan, by OCR: seconds a page) may take minutes, and the
request that carries it answers only at the end. So the page names the upload with a token of
its own choosing (form field ``progress``) and asks ``GET /documents/progress/{token}`` while it
waits; the reading reports each page done here. An entry belongs to the user who made it (no
one else can read it), is forgotten a while after its upload ends, and there are at most so
many at once. The table lives in the serving process: with several server processes behind one
address, a question may reach another process and find nothing (404), which the page takes as
"no news yet".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.uploads.token_table import TokenTable

TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
KEEP_SECONDS = 600.0  # an entry outlives its upload by this long at most
MAX_ENTRIES = 1000


@dataclass
class Entry:
    user_id: int
    done: int = 0
    total: int = 0
    stage: str = "reading"
    finished: bool = False
    touched: float = 0.0

    def public(self) -> dict[str, object]:
        return {
            "stage": self.stage,
            "pages_done": self.done,
            "pages": self.total,
            "finished": self.finished,
        }


class UploadProgress:
    """Entries by (user, token) (:class:`~assistant.uploads.token_table.TokenTable`)."""

    def __init__(self) -> None:
        self._table: TokenTable[Entry] = TokenTable(
            keep_seconds=KEEP_SECONDS, max_entries=MAX_ENTRIES
        )

    def start(self, user_id: int, token: str) -> None:
        self._table.put(user_id, token, Entry(user_id))

    def page(self, user_id: int, token: str, done: int, total: int, stage: str) -> None:
        def how(entry: Entry) -> None:
            entry.done, entry.total, entry.stage = done, total, stage

        self._table.change((user_id, token), how)

    def finish(self, user_id: int, token: str) -> None:
        def how(entry: Entry) -> None:
            entry.finished = True

        self._table.change((user_id, token), how)

    def get(self, user_id: int, token: str) -> dict[str, object] | None:
        return self._table.get(user_id, token)


PROGRESS = UploadProgress()  # the serving process's one table
