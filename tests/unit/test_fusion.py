"""Weighted reciprocal-rank fusion and BM25's weight rule."""

from __future__ import annotations

import pytest

from assistant.retrieval import fusion


def test_a_chunk_both_rankings_agree_on_beats_a_chunk_only_one_ranks_first() -> None:
    dense = [("a", 0.9), ("both", 0.8)]
    bm25 = [("b", 9.0), ("both", 8.0)]
    fused = fusion.rrf([(dense, 1.0), (bm25, 1.0)], k=60)
    assert fused[0][0] == "both"


def test_a_lighter_ranking_loses_a_tie_of_ranks() -> None:
    fused = fusion.rrf([([("d", 1.0)], 1.0), ([("k", 1.0)], 0.5)], k=60)
    assert [c for c, _ in fused] == ["d", "k"]
    assert fused[0][1] == pytest.approx(1 / 61) and fused[1][1] == pytest.approx(0.5 / 61)


def test_a_zero_weight_ranking_adds_nothing() -> None:
    fused = fusion.rrf([([("d", 1.0)], 1.0), ([("k", 1.0), ("d", 0.5)], 0.0)], k=60)
    assert fused == [("d", pytest.approx(1 / 61))]


def test_equal_scores_keep_the_first_rankings_order() -> None:
    fused = fusion.rrf([([("x", 1.0)], 1.0), ([("y", 1.0)], 1.0)], k=60)
    assert [c for c, _ in fused] == ["x", "y"]


def test_bm25_only_candidates_do_not_push_denses_top_five_out() -> None:
    """A paraphrased question: BM25 matches the wrong passages, dense has the right ones.
    With equal weights the two lists interleave and dense's 4th and 5th fall out of the top 5."""
    dense = [(f"d{i}", 0.9 - i / 100) for i in range(1, 6)]
    bm25 = [(f"b{i}", 10.0 - i) for i in range(1, 6)]
    fused = fusion.rrf([(dense, fusion.DENSE_WEIGHT), (bm25, fusion.BM25_WEIGHT)])
    assert [c for c, _ in fused[:5]] == ["d1", "d2", "d3", "d4", "d5"]


def test_a_passage_both_rankings_hold_still_beats_denses_first_alone() -> None:
    dense = [("dense-only", 0.9)] + [(f"d{i}", 0.8) for i in range(2, 5)] + [("both", 0.7)]
    bm25 = [("both", 9.0)]
    fused = fusion.rrf([(dense, fusion.DENSE_WEIGHT), (bm25, fusion.BM25_WEIGHT)])
    assert fused[0][0] == "both"
