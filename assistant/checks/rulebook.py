"""Proofreading rules kept as data (``assistant/checks/rules/*.yaml``), validated on load.

A rule is either a ``regex`` (a pattern whose match is the offending text) or a ``logic`` check
(a named function in :mod:`assistant.checks.logic` for what a pattern cannot express: heading
numbering, balanced brackets). Every rule carries a positive example (must fire) and a negative
one (must not), which the test suite runs. A malformed rule stops start-up and names the rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.domain import SEVERITIES, Severity
from assistant.errors import ConfigError

RULES_DIR = Path(__file__).parent / "rules"
_REQUIRED = ("id", "category", "severity", "message", "examples")


class RuleError(ConfigError, code="rule"):
    """A rule file or rule is malformed; the message names the file and the rule."""


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    severity: Severity
    message: str
    suggestion: str
    pattern: re.Pattern[str] | None
    logic: str | None
    genres: tuple[str, ...]  # only for these genre families; empty = every genre
    positive: tuple[str, ...]
    negative: tuple[str, ...]
    source: str

    def applies_to(self, genre: str | None) -> bool:
        return not self.genres or (genre is not None and any(g in genre for g in self.genres))


def _examples(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError("examples must be a string or a list of strings")


def _rule(raw: Any, where: str, logic_names: set[str]) -> Rule:
    if not isinstance(raw, dict):
        raise RuleError(f"{where}: a rule must be a mapping")
    rid = str(raw.get("id", "?"))
    here = f"{where}: rule {rid}"
    missing = [k for k in _REQUIRED if k not in raw]
    if missing:
        raise RuleError(f"{here}: missing {', '.join(missing)}")
    if raw["severity"] not in SEVERITIES:
        raise RuleError(f"{here}: severity must be one of {', '.join(SEVERITIES)}")
    has_pattern, has_logic = "pattern" in raw, "logic" in raw
    if has_pattern == has_logic:
        raise RuleError(f"{here}: give exactly one of 'pattern' or 'logic'")
    pattern = None
    if has_pattern:
        try:
            pattern = re.compile(str(raw["pattern"]))
        except re.error as exc:
            raise RuleError(f"{here}: pattern does not compile ({exc})") from exc
    if has_logic and raw["logic"] not in logic_names:
        raise RuleError(f"{here}: unknown logic {raw['logic']!r}")
    examples = raw["examples"]
    if not isinstance(examples, dict) or "positive" not in examples or "negative" not in examples:
        raise RuleError(f"{here}: examples need 'positive' and 'negative'")
    try:
        positive, negative = _examples(examples["positive"]), _examples(examples["negative"])
    except ValueError as exc:
        raise RuleError(f"{here}: {exc}") from exc
    genres = raw.get("genres", [])
    if isinstance(genres, str):
        genres = [genres]
    return Rule(
        id=rid,
        category=str(raw["category"]),
        severity=raw["severity"],
        message=str(raw["message"]),
        suggestion=str(raw.get("suggestion", "")),
        pattern=pattern,
        logic=str(raw["logic"]) if has_logic else None,
        genres=tuple(str(g) for g in genres),
        positive=positive,
        negative=negative,
        source=where,
    )


def load_rules(directory: Path = RULES_DIR) -> list[Rule]:
    """Every rule in ``directory``/*.yaml, in file then rule order; ids must be unique."""
    from assistant.checks.logic import LOGIC

    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise RuleError(f"{path.name}: invalid YAML ({exc})") from exc
        if not isinstance(data, list):
            raise RuleError(f"{path.name}: expected a list of rules")
        for raw in data:
            rule = _rule(raw, path.name, set(LOGIC))
            if rule.id in seen:
                raise RuleError(f"{path.name}: rule {rule.id}: id already used in {seen[rule.id]}")
            seen[rule.id] = path.name
            rules.append(rule)
    if not rules:
        raise RuleError(f"{directory}: no rules found")
    return rules
