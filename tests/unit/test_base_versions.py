"""The base a request names: ``If-Match`` forms, agreement with ``base_version``, and the
words a 409 uses."""

from __future__ import annotations

import pytest

from assistant.reports.concurrency import (
    OverwriteNeeded,
    StaleBase,
    etag,
    parse_if_match,
    resolve_base,
)
from assistant.reports.facts import Invalid


@pytest.mark.parametrize(
    ("header", "base"),
    [(None, None), ("", None), ("*", None), ('"3"', 3), ('W/"3"', 3), ("3", 3), (' "12" ', 12)],
)
def test_if_match_forms(header: str | None, base: int | None) -> None:
    assert parse_if_match(header) == base


@pytest.mark.parametrize("header", ['"v3"', '"3", "4"', '"-1"', '"1234567890"', "W/"])
def test_other_if_match_values_are_refused(header: str) -> None:
    with pytest.raises(Invalid, match="If-Match"):
        parse_if_match(header)


def test_body_and_header_must_agree() -> None:
    assert resolve_base(2, '"2"') == 2 and resolve_base(None, '"2"') == 2
    assert resolve_base(2, None) == 2 and resolve_base(None, None) is None
    with pytest.raises(Invalid, match="disagree"):
        resolve_base(2, '"3"')
    assert etag(4) == '"4"' and parse_if_match(etag(4)) == 4


def test_conflict_details_name_the_current_version() -> None:
    stale = StaleBase("work_1", base=1, current=None).detail()
    assert stale["current_version"] == 0 and stale["current_version_id"] is None
    assert stale["message"] == "该部分已被他人修改（当前第0版），请刷新后再改"
    asked = OverwriteNeeded([{"section": "work_1", "version": 2, "reason": "甲"}]).detail()
    assert asked["code"] == "confirm_overwrite" and asked["message"].startswith("甲。")
