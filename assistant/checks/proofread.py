"""The rule engine: runs every applicable rule over a text and returns issues with offsets."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.checks.confusables import Confusable
from assistant.checks.confusables import find as find_confusables
from assistant.checks.confusables import load as load_confusables
from assistant.checks.logic import LOGIC
from assistant.checks.rulebook import Rule, load_rules
from assistant.domain import Issue

CONFUSABLE_RULE = "CS001"


class Proofreader:
    """Rules from YAML plus the confusable-word table derived from ECSpell's train split."""

    def __init__(
        self,
        rules: list[Rule] | None = None,
        *,
        rules_dir: Path | None = None,
        confusables: list[Confusable] | None = None,
    ) -> None:
        if rules is None:
            rules = load_rules(rules_dir) if rules_dir else load_rules()
        self.rules = rules
        self.confusables = confusables if confusables is not None else load_confusables()

    def check(self, text: str, *, genre: str | None = None) -> list[Issue]:
        issues: list[Issue] = []
        for rule in self.rules:
            if rule.applies_to(genre):
                issues.extend(run_rule(rule, text))
        for start, end, wrong, right in find_confusables(text, self.confusables):
            message = f"疑似错别字：“{wrong}”应为“{right}”"
            issues.append(
                Issue(CONFUSABLE_RULE, "错别字", "warning", start, end, wrong, message, right)
            )
        return sorted(issues, key=lambda i: (i.start, i.end, i.rule))


def run_rule(rule: Rule, text: str) -> list[Issue]:
    out: list[Issue] = []
    if rule.pattern is not None:
        for m in rule.pattern.finditer(text):
            # A group named x narrows the reported span inside a wider context match.
            start, end = m.span("x") if "x" in rule.pattern.groupindex else m.span()
            if start < 0 or end <= start:
                continue
            out.append(
                Issue(
                    rule.id,
                    rule.category,
                    rule.severity,
                    start,
                    end,
                    text[start:end],
                    rule.message,
                    _expand(rule.suggestion, m),
                )
            )
    else:
        assert rule.logic is not None
        for f in LOGIC[rule.logic](text):
            out.append(
                Issue(
                    rule.id,
                    rule.category,
                    rule.severity,
                    f.start,
                    f.end,
                    text[f.start : f.end],
                    f.message or rule.message,
                    f.suggestion if f.suggestion is not None else rule.suggestion,
                )
            )
    return out


def _expand(template: str, m: re.Match[str]) -> str:
    if "\\" not in template:
        return template
    try:
        return m.expand(template)
    except (re.error, IndexError):
        return template
