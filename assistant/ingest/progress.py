"""Progress of reading one long file, page by page, to whoever waits for it.

A loader that reads page after page (OCR of a scan: seconds a page) calls :func:`page_done`;
whoever started the read decides where that goes by :func:`reporting`: the command line's
progress line, or the parse worker's pipe back to the server (:mod:`assistant.ingest.worker`),
which passes it on to the upload's progress (:mod:`assistant.uploads.progress`). With no one
listening a report costs nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar

# (pages done, pages in all, what is being done: "ocr")
PageReport = Callable[[int, int, str], None]
_listener: ContextVar[PageReport | None] = ContextVar("page_listener", default=None)


def page_done(done: int, total: int, stage: str = "ocr") -> None:
    """Tell the listener (if any) that ``done`` of ``total`` pages are read."""
    listener = _listener.get()
    if listener is not None:
        listener(done, total, stage)


@contextlib.contextmanager
def reporting(listener: PageReport | None) -> Iterator[None]:
    """Send the page reports made inside the block to ``listener``."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)
