"""`assistant index` says how fast it embeds and how long is left (issue 17, item 5)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from assistant.cli import app
from assistant.cli_progress import IndexProgress, eta
from tests.conftest import write


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_line_every_15_seconds_with_rate_and_time_left() -> None:
    buf, clock = io.StringIO(), Clock()
    progress = IndexProgress(Console(file=buf, width=200), bar=False, lines=True, clock=clock)
    progress.planned(3, 300)
    progress.characters(120_000)
    clock.now += 10
    progress.embedded(64)
    progress.embedded_characters(20_000)  # 10 s in: no line yet
    clock.now += 10
    progress.embedded(64)
    progress.embedded_characters(20_000)  # 20 s, 40,000 characters: 2,000/s, 40 s left
    lines = buf.getvalue().splitlines()
    assert lines == [
        "indexing 3 file(s), 300 chunks …",
        "indexing: 128 / 300 chunks, 2,000 characters/s, about 40 s left",
    ]
    clock.now += 40
    progress.embedded(172)
    progress.embedded_characters(80_000)
    assert buf.getvalue().splitlines()[-1] == (
        "indexing: 300 / 300 chunks, 2,000 characters/s, done"
    )


def test_time_left_is_rounded_for_a_reader() -> None:
    assert eta(0.2) == "about 1 s"
    assert eta(42) == "about 42 s"
    assert eta(200) == "about 3 min 20 s"
    assert eta(3604) == "about 60 min"


def test_the_index_command_reports_characters_per_second(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_EMBEDDINGS_PROVIDER", "fake")
    write(
        tmp_path / "docs" / "a.md",
        "关于防汛工作的通知\n各单位要落实防汛责任，汛期发布预警信息42期。\n",
    )
    result = CliRunner().invoke(app, ["index", str(tmp_path / "docs")])
    assert result.exit_code == 0, result.output
    assert "characters/s, done" in result.stderr
    assert "characters: " in result.stdout and "/s)" in result.stdout
