"""Every proofreading rule fires on its positive example and stays quiet on its negative one."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.checks.proofread import Proofreader, run_rule
from assistant.checks.rulebook import RuleError, load_rules

RULES = load_rules()


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples(rule: object) -> None:
    from assistant.checks.rulebook import Rule

    assert isinstance(rule, Rule)
    for text in rule.positive:
        assert run_rule(rule, text), f"{rule.id} should fire on: {text}"
    for text in rule.negative:
        assert not run_rule(rule, text), f"{rule.id} should not fire on: {text}"


def test_issue_offsets_point_at_the_text() -> None:
    text = "一、总体要求\n三、重点任务"
    for issue in Proofreader().check(text):
        assert text[issue.start : issue.end] == issue.text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "- id: A1\n  category: x\n  severity: fatal\n  message: m\n  pattern: a\n"
            "  examples: {positive: a, negative: b}\n",
            "rule A1: severity must be one of",
        ),
        (
            "- id: A2\n  category: x\n  severity: error\n  message: m\n  pattern: '('\n"
            "  examples: {positive: a, negative: b}\n",
            "rule A2: pattern does not compile",
        ),
        (
            "- id: A3\n  category: x\n  severity: error\n  message: m\n  logic: nope\n"
            "  examples: {positive: a, negative: b}\n",
            "rule A3: unknown logic",
        ),
        (
            "- id: A4\n  category: x\n  severity: error\n  pattern: a\n"
            "  examples: {positive: a, negative: b}\n",
            "rule A4: missing message",
        ),
        (
            "- id: A5\n  category: x\n  severity: error\n  message: m\n  pattern: a\n"
            "  examples: {positive: a}\n",
            "rule A5: examples need",
        ),
        ("rules: [", "invalid YAML"),
    ],
)
def test_malformed_rule_files_fail_loudly_and_name_the_rule(
    tmp_path: Path, content: str, message: str
) -> None:
    (tmp_path / "bad.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(RuleError, match=message) as info:
        load_rules(tmp_path)
    assert str(info.value).startswith("bad.yaml")


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    rule = (
        "- id: D1\n  category: x\n  severity: info\n  message: m\n  pattern: a\n"
        "  examples: {positive: a, negative: b}\n"
    )
    (tmp_path / "a.yaml").write_text(rule, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(rule, encoding="utf-8")
    with pytest.raises(RuleError, match=r"id already used in a\.yaml"):
        load_rules(tmp_path)
