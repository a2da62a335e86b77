"""The readable diff the version history shows: runs kept, deleted and inserted."""

from __future__ import annotations

import itertools

import pytest

from assistant.reports.textdiff import changes

OLD = "全年召开12次会议。\n完成河道整治8条。\n群众满意度明显提升。"
NEW = "全年召开15次会议。\n完成河道整治8条。\n下一步继续加强监管。"


@pytest.mark.parametrize(
    ("old", "new"), [(OLD, NEW), ("", NEW), (OLD, ""), (NEW, NEW), ("甲。乙。丙。", "丙。甲。")]
)
def test_the_runs_give_both_texts_back(old: str, new: str) -> None:
    runs = changes(old, new)
    assert "".join(r["text"] for r in runs if r["op"] != "insert") == old
    assert "".join(r["text"] for r in runs if r["op"] != "delete") == new
    assert all(r["text"] for r in runs)
    assert all(a["op"] != b["op"] for a, b in itertools.pairwise(runs))


def test_a_changed_figure_is_the_whole_figure_and_a_rewrite_the_whole_sentence() -> None:
    runs = [(r["op"], r["text"]) for r in changes(OLD, NEW)]
    assert ("delete", "12") in runs and ("insert", "15") in runs
    assert ("delete", "群众满意度明显提升。") in runs
    assert ("insert", "下一步继续加强监管。") in runs
    assert not any("---" in t or "@@" in t for _, t in runs)


def test_the_same_text_is_one_kept_run() -> None:
    assert changes(OLD, OLD) == [{"op": "equal", "text": OLD}]
