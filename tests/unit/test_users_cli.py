"""`assistant users`: add, list and passwd against the same database the service uses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import Settings
from assistant.services import build_services

runner = CliRunner()


@pytest.fixture(autouse=True)
def _data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_EMBEDDINGS_PROVIDER", "fake")


def test_add_list_and_passwd(tmp_path: Path) -> None:
    r = runner.invoke(
        app,
        ["users", "add", "rita", "--role", "reviewer", "--password-stdin"],
        input="s3cret-pass-1\n",
    )
    assert r.exit_code == 0 and "created rita (reviewer)" in r.stdout
    r = runner.invoke(app, ["users", "list", "--json"])
    assert [(u["username"], u["role"]) for u in json.loads(r.stdout)] == [("rita", "reviewer")]
    r = runner.invoke(app, ["users", "passwd", "rita", "--password-stdin"], input="new-pass-2222\n")
    assert r.exit_code == 0
    services = build_services(Settings(_env_file=None))  # type: ignore[call-arg]
    assert services.accounts.authenticate("rita", "new-pass-2222") is not None
    assert services.accounts.authenticate("rita", "s3cret-pass-1") is None
    services.close()


def test_prompted_password_is_asked_twice() -> None:
    r = runner.invoke(app, ["users", "add", "dora"], input="long-enough-1\nlong-enough-1\n")
    assert r.exit_code == 0 and "created dora (drafter)" in r.stdout


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["users", "add", "x", "--role", "boss", "--password-stdin"],
            "long-enough-1\n",
            "角色须为",
        ),
        (["users", "add", "x", "--password-stdin"], "short\n", "至少需要 10 个字符"),
        (["users", "passwd", "ghost", "--password-stdin"], "long-enough-1\n", "没有用户 'ghost'"),
    ],
)
def test_bad_input_exits_2(args: list[str], stdin: str, message: str) -> None:
    r = runner.invoke(app, args, input=stdin)
    assert r.exit_code == 2 and message in r.stderr


def test_a_name_is_taken_once() -> None:
    args = ["users", "add", "ada", "--role", "admin", "--password-stdin"]
    assert runner.invoke(app, args, input="long-enough-1\n").exit_code == 0
    r = runner.invoke(app, args, input="long-enough-1\n")
    assert r.exit_code == 2 and "已存在" in r.stderr
