"""What `assistant index` shows while it embeds: characters/s and the time left.

On a terminal a bar (chunks done of all, characters/s, time left); otherwise (a log, a pipe) a
line on stderr every ``every`` seconds, and one when the embedding is done, so that a long run
under cron or CI still says how far it is. Counts come from the indexer's ``IndexEvents``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

if TYPE_CHECKING:
    from assistant.retrieval.indexer import IndexEvents


class _Rate(ProgressColumn):
    """Characters per second (the task counts characters)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} characters/s" if speed else "– characters/s")


def eta(seconds: float) -> str:
    """``about 3 min 20 s``: how long a user waits, to the nearest 10 s past a minute."""
    if seconds < 60:
        return f"about {max(1, round(seconds))} s"
    minutes, rest = divmod(round(seconds / 10) * 10, 60)
    return f"about {minutes} min {rest} s" if rest else f"about {minutes} min"


class IndexProgress:
    """Counts embedded chunks and characters; draws the bar or prints the lines."""

    def __init__(
        self,
        console: Console,
        *,
        bar: bool,
        lines: bool,
        every: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.console = console
        self.lines = lines and not bar
        self.every = every
        self.clock = clock
        self.chunks = self.total_chunks = 0
        self.chars = self.total_chars = 0
        self._started = self._last = 0.0
        self._bar = Progress(
            TextColumn("[bold]indexing"),
            BarColumn(),
            TextColumn("{task.fields[chunks]:,} / {task.fields[total_chunks]:,} chunks"),
            _Rate(),
            TimeRemainingColumn(),
            console=console,
            disable=not bar,
        )
        self._task = self._bar.add_task("embed", total=None, chunks=0, total_chunks=0)

    def events(
        self,
        failed: Callable[[str, str], None],
        page: Callable[[str, int, int], None],
    ) -> IndexEvents:
        from assistant.retrieval.indexer import IndexEvents

        return IndexEvents(
            planned=self.planned,
            characters=self.characters,
            embedded=self.embedded,
            embedded_characters=self.embedded_characters,
            failed=failed,
            page=page,
        )

    def planned(self, files: int, chunks: int) -> None:
        self.total_chunks = chunks
        self._bar.update(self._task, total_chunks=chunks)
        self._started = self._last = self.clock()
        if self.lines and files:
            self.console.print(f"indexing {files} file(s), {chunks:,} chunks …", highlight=False)

    def characters(self, total: int) -> None:
        self.total_chars = total
        self._bar.update(self._task, total=total)

    def embedded(self, n: int) -> None:
        self.chunks += n
        self._bar.update(self._task, chunks=self.chunks)

    def embedded_characters(self, n: int) -> None:
        self.chars += n
        self._bar.update(self._task, advance=n)
        now = self.clock()
        done = self.chars >= self.total_chars
        if self.lines and (now - self._last >= self.every or done):
            self._last = now
            self.console.print(self.line(now), highlight=False)

    def line(self, now: float | None = None) -> str:
        """``indexing: 120 / 2,853 chunks, 1,460 characters/s, about 7 min 30 s left``."""
        elapsed = (self.clock() if now is None else now) - self._started
        rate = self.chars / elapsed if elapsed > 0 else 0.0
        head = f"indexing: {self.chunks:,} / {self.total_chunks:,} chunks"
        if not rate:
            return head
        left = (self.total_chars - self.chars) / rate
        tail = "done" if self.chars >= self.total_chars else f"{eta(left)} left"
        return f"{head}, {rate:,.0f} characters/s, {tail}"

    def __enter__(self) -> IndexProgress:
        self._bar.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._bar.__exit__(kind, exc, tb)
