"""The report period as staff write it: the span dates are checked against (GR003)."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.facts.sheet import parse_period

D = dt.date


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("2025年", (D(2025, 1, 1), D(2025, 12, 31))),
        ("2025年1—11月", (D(2025, 1, 1), D(2025, 11, 30))),
        ("2025年8—9月", (D(2025, 8, 1), D(2025, 9, 30))),
        ("2025年8月—11月", (D(2025, 8, 1), D(2025, 11, 30))),
        ("2025年1-12月", (D(2025, 1, 1), D(2025, 12, 31))),
        ("2025年8月至2026年2月", (D(2025, 8, 1), D(2026, 2, 28))),
        ("2024年9月以来", (D(2024, 9, 1), D(2024, 12, 31))),
    ],
)
def test_periods_are_read_as_written(text: str, span: tuple[dt.date, dt.date]) -> None:
    assert parse_period(text, None) == span


def test_months_out_of_order_are_not_a_span_of_one_year() -> None:
    # 11—3月 is no range within 2025: the fallback (the report date's year) applies
    assert parse_period("2025年11—3月", D(2025, 12, 20)) == (D(2025, 1, 1), D(2025, 12, 20))
