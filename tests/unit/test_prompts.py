"""Prompts are files: loaded by name, variables checked both ways, content hashed."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.drafting.prompts import PromptError, load_prompt

SHIPPED = {
    "system": {"organization", "template"},
    "draft_section": {
        "template",
        "heading",
        "purpose",
        "guidance",
        "length_min",
        "length_max",
        "facts",
        "sources",
        "exemplars",
        "report",
        "points",
    },
    "revise_section": {"template", "heading", "instruction", "draft", "facts", "sources"},
    "extract_facts": {"template", "message"},
    "chat_tools": set(),
}


@pytest.mark.parametrize(("name", "variables"), SHIPPED.items())
def test_shipped_prompts_and_their_variables(name: str, variables: set[str]) -> None:
    prompt = load_prompt(name)
    assert prompt.variables == variables
    assert len(prompt.sha256) == 64


def test_render_checks_variables_both_ways() -> None:
    prompt = load_prompt("extract_facts")
    text = prompt.render(template="工作情况汇报", message="开了12次中心组学习")
    assert "开了12次中心组学习" in text and '{"key": "常委会议"' in text  # escaped braces survive
    with pytest.raises(PromptError, match="missing message"):
        prompt.render(template="x")
    with pytest.raises(PromptError, match="unexpected tone"):
        prompt.render(template="x", message="y", tone="z")


def test_unknown_and_malformed_prompts(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match="no prompt named 'nope'"):
        load_prompt("nope")
    (tmp_path / "bad.md").write_text("未闭合的 {变量", encoding="utf-8")
    with pytest.raises(PromptError, match=r"bad\.md"):
        load_prompt("bad", tmp_path)


def test_the_hash_changes_with_the_text(tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text("甲{a}", encoding="utf-8")
    first = load_prompt("p", tmp_path).sha256
    (tmp_path / "p.md").write_text("乙{a}", encoding="utf-8")
    assert load_prompt("p", tmp_path).sha256 != first
