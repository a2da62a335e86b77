"""Parsing in a child process that is killed at a time limit and cannot grow past a memory limit.

A parser stuck in a pathological file cannot be stopped from inside: a thread cannot be killed,
and the loops are in lxml and python-docx. So each parse runs in its own short-lived process,
forked from a server that has the parsers imported already (a fork costs milliseconds, not the
second an import would). The child sets its own ``RLIMIT_CPU`` (the kernel stops it at the CPU
limit even if the parent is gone) and ``RLIMIT_AS`` (an allocation past the memory limit fails
with ``MemoryError``), and the parent kills it at the wall-clock limit. Nothing the child leaves
survives it: its memory goes back to the system with it, not into the server's heap.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from assistant.ingest.errors import IngestError
from assistant.ingest.limits import OverLimit
from assistant.ingest.progress import PageReport, reporting

T = TypeVar("T")
# What the fork server imports once, so that a parse does not pay for the imports.
PRELOAD = ["assistant.ingest.loaders", "assistant.facts.from_table", "docx", "openpyxl", "pypdf"]
# The OCR engine (onnxruntime, OpenCV) is imported by the child that needs it, not preloaded:
# its thread pools must not be started before a fork.
_lock = threading.Lock()
_context: Any = None


@dataclass(frozen=True)
class WorkerBounds:
    seconds: float = 30.0  # wall clock, and (rounded up) CPU time
    memory_mb: int = 512  # address space the parse may add to the worker's own
    # Given on top once the parse reports its first page read by OCR (a scan's pages have a
    # time limit of their own, checked page by page; this is the last resort behind it).
    ocr_seconds: float = 0.0


DEFAULT_BOUNDS = WorkerBounds()


class ParseTimeout(IngestError, code="parse_timeout"):
    """The parse ran past the time limit and was stopped (→ 422)."""


class ParseCrashed(IngestError, code="parse_crashed"):
    """The parse worker died without an answer (→ 422)."""


def run_bounded(
    fn: Callable[..., T],
    *args: Any,
    source: str,
    bounds: WorkerBounds | None = None,
    on_page: PageReport | None = None,
) -> T:
    """``fn(*args)`` in a bounded child; its result, or its exception raised here.

    ``fn`` must be a module-level function and its arguments and result picklable. The pages
    it reports done (:func:`assistant.ingest.progress.page_done`) go to ``on_page``.
    """
    bounds = bounds or WorkerBounds()
    ctx = _forkserver()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, bounds, fn, args), daemon=True)
    proc.start()
    child.close()
    deadline = time.monotonic() + bounds.seconds
    paging = False
    try:
        while True:
            if not parent.poll(max(0.0, deadline - time.monotonic())):
                raise _timeout(source, bounds, paging)
            try:
                status, payload = parent.recv()
            except EOFError:  # the child died: the CPU limit, the OOM killer, a crash in C
                proc.join(1)
                if proc.exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
                    raise _timeout(source, bounds, paging) from None
                raise ParseCrashed(
                    source, f"the parser stopped without an answer (exit code {proc.exitcode})"
                ) from None
            if status != "page":
                break
            if not paging:
                paging = True
                deadline += bounds.ocr_seconds
            if on_page is not None:
                on_page(*payload)
    finally:
        parent.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
    if status == "memory":
        raise OverLimit(
            source, f"parsing needs more than {bounds.memory_mb} MB of memory (the limit)"
        )
    if status == "raise":
        raise payload
    return payload  # type: ignore[no-any-return]


def _timeout(source: str, bounds: WorkerBounds, paging: bool = False) -> ParseTimeout:
    if paging:  # OCR had started: it was given its own time on top
        return ParseTimeout(
            source,
            f"parsing and OCR took longer than {bounds.seconds:g} + {bounds.ocr_seconds:g} s "
            "(the limits) and were stopped",
        )
    return ParseTimeout(
        source, f"parsing took longer than {bounds.seconds:g} s (the limit) and was stopped"
    )


def _forkserver() -> Any:
    global _context
    with _lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(PRELOAD)
            _context = ctx
        return _context


def _child(conn: Connection, bounds: WorkerBounds, fn: Callable[..., Any], args: Any) -> None:
    cpu = math.ceil(bounds.seconds) + 1
    # OCR runs on every core: its CPU time may be twice the wall clock on this machine's two.
    ocr_cpu = cpu + math.ceil(bounds.ocr_seconds) * (os.cpu_count() or 1)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, ocr_cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (_address_space() + bounds.memory_mb * 2**20,) * 2)
    paging: list[bool] = []

    def page(done: int, total: int, stage: str) -> None:
        if not paging:  # the first page of OCR: the time it is given starts counting
            paging.append(True)
            resource.setrlimit(resource.RLIMIT_CPU, (ocr_cpu, ocr_cpu + 1))
        conn.send(("page", (done, total, stage)))

    try:
        with reporting(page):
            result: tuple[str, Any] = ("ok", fn(*args))
    except MemoryError:
        result = ("memory", None)
    except Exception as exc:
        result = ("raise", exc)
    try:
        conn.send(result)
    except MemoryError:
        conn.send(("memory", None))
    except Exception as exc:  # an exception that does not pickle: say what it was
        conn.send(("raise", ParseCrashed("upload", f"{type(exc).__name__}: {exc}")))
    finally:
        conn.close()
        os._exit(0)  # no atexit handlers, no flushing of anything inherited


def _address_space() -> int:
    """The child's address space now, in bytes (the limit is set relative to it)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
