"""Proposed facts: validation, value splitting, and merging confirmed proposals into a sheet."""

from __future__ import annotations

import logging

import pytest

from assistant.facts.proposed import (
    ProposedFact,
    add_confirmed,
    merge_proposals,
    split_value,
)
from assistant.facts.sheet import Fact, FactSheet, ReportMeta


def _p(key: str, value: int | str, source: str = "chat:1") -> ProposedFact:
    return ProposedFact(fact=Fact(key=key, value=value, source=source), origin=key, confidence=0.9)


@pytest.fixture
def sheet() -> FactSheet:
    return FactSheet(
        report=ReportMeta(title="汇报"),
        facts=[Fact(key="参学党员", value=3500, unit="名"), Fact(key="覆盖单位", value=120)],
    )


def test_confidence_must_be_between_zero_and_one() -> None:
    with pytest.raises(ValueError, match="confidence"):
        ProposedFact(fact=Fact(key="a", value=1), origin="a", confidence=1.5)


def test_new_keys_are_added_and_existing_ones_skipped(
    sheet: FactSheet, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="assistant.facts.proposed"):
        new = add_confirmed(sheet, [_p("参学党员", 3560), _p("办实事", 120)])
    assert [(f.key, f.value) for f in new.facts] == [
        ("参学党员", 3500),
        ("覆盖单位", 120),
        ("办实事", 120),
    ]
    assert new.facts[2].source == "chat:1"
    assert new.report.title == "汇报"
    assert "参学党员" in caplog.text
    # The original sheet is untouched.
    assert [f.key for f in sheet.facts] == ["参学党员", "覆盖单位"]


def test_replace_swaps_the_whole_fact_in_place(sheet: FactSheet) -> None:
    merge = merge_proposals(sheet, [_p("参学党员", 3560, "upload:a.csv#csv!B2")], replace=True)
    assert merge.replaced == ["参学党员"] and merge.added == [] and merge.skipped == []
    first = merge.sheet.facts[0]
    assert (first.key, first.value, first.source) == ("参学党员", 3560, "upload:a.csv#csv!B2")
    assert sheet.facts[0].value == 3500


def test_duplicate_keys_within_the_proposals_are_not_duplicated(sheet: FactSheet) -> None:
    merge = merge_proposals(sheet, [_p("办实事", 120), _p("办实事", 130)])
    assert merge.added == ["办实事"] and merge.skipped == ["办实事"]
    assert [f.key for f in merge.sheet.facts].count("办实事") == 1


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("12次", (12, "次", "")),
        ("3560名", (3560, "名", "")),
        ("85.5%", (85.5, "%", "")),
        ("1.2万", (12000, "", "")),
        ("1.2万人次", (12000, "人次", "")),
        ("十二", (12, "", "")),
        ("１２", (12, "", "")),
        ("-3.5%", (-3.5, "%", "")),
        ("3万余人", (30000, "人", "约数（原文：3万余人）")),
        ("学思想", None),
        ("2023年9月", None),
        ("1～2次", None),
        ("12次、8次", None),
        ("", None),
    ],
)
def test_split_value(text: str, parts: tuple[int | float, str, str] | None) -> None:
    assert split_value(text) == parts
