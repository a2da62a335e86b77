"""The extension points are registries: logic checks by a decorator, file types by suffix."""

from __future__ import annotations

import pytest

from assistant.checks import logic
from assistant.checks.checker import CHECKABLE
from assistant.checks.findings import Finding
from assistant.checks.rulebook import load_rules
from assistant.ingest.formats import FORMATS

NAMES = {
    "heading_numbering",
    "unbalanced_pairs",
    "term_list_contents",
    "term_list_order",
    "multiple_requests",
    "fullwidth_digits",
    "year_zero_form",
    "impossible_dates",
    "single_x_slots",
    "political_near_miss",
    "enumeration_items",
}


def test_every_check_is_registered_under_its_rule_name() -> None:
    assert set(logic.LOGIC) == NAMES
    used = {r.logic for r in load_rules() if r.logic}
    assert used <= set(logic.LOGIC)


def test_a_decorated_check_is_found_by_name_and_a_second_one_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(logic, "LOGIC", dict(logic.LOGIC))

    @logic.logic_check
    def no_tabs(text: str) -> list[Finding]:
        return [Finding(i, i + 1) for i, ch in enumerate(text) if ch == "\t"]

    assert logic.LOGIC["no_tabs"]("a\tb") == [Finding(1, 2)]
    with pytest.raises(ValueError, match="no_tabs"):
        logic.logic_check(no_tabs)


def test_the_checker_reads_the_types_the_loader_registry_marks_checkable() -> None:
    marked = tuple(suffix for suffix, f in FORMATS.items() if f.checkable)
    assert CHECKABLE == marked == (".txt", ".md", ".docx")
