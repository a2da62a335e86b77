"""An installed wheel (not the editable checkout) carries its prompts and templates and drafts
offline: the package finds them through itself, not through the repository around it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

SCRIPT = """
import sys, pathlib, yaml
import assistant
from assistant.drafting.templates import load_templates
from assistant.drafting.prompts import load_prompt
assert pathlib.Path(assistant.__file__).is_relative_to(pathlib.Path(sys.argv[1])), assistant.__file__
print(sorted(load_templates()))
print(load_prompt("draft_section").name)
"""


def test_an_installed_wheel_lists_its_templates_and_drafts_offline(tmp_path: Path) -> None:
    # Built from a copy: a build leaves build/ and *.egg-info behind in its source tree.
    source = tmp_path / "src"
    top = {".git", ".venv", "data", "build", "tests", "corpus", "docs"}

    def skip(folder: str, names: list[str]) -> set[str]:
        here = Path(folder) == ROOT
        return {
            n for n in names if (here and n in top) or n == "__pycache__" or n.endswith(".egg-info")
        }

    shutil.copytree(ROOT, source, symlinks=True, ignore=skip)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(source),
        ],
        check=True,
        timeout=300,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("gongwen_assistant-*.whl")
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        timeout=300,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(site), "ASSISTANT_DATA_DIR": str(tmp_path / "data")}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(site)],
        cwd=tmp_path,
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    ).stdout
    assert "工作总结" in out and "整改情况报告" in out and "draft_section" in out
    sheet = ROOT / "docs" / "examples" / "主题教育汇报.yaml"
    drafted = subprocess.run(
        [
            sys.executable,
            "-c",
            "from assistant.cli import main; main()",
            "draft",
            "--facts",
            str(sheet),
        ],
        cwd=tmp_path,
        env=env,
        timeout=300,
        capture_output=True,
        text=True,
    )
    assert drafted.returncode == 0, drafted.stderr[-2000:]
    assert "离线范文模式" in drafted.stdout + drafted.stderr
    assert "## 一、" in drafted.stdout
