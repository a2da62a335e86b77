"""How hybrid search merges its rankings: weighted reciprocal-rank fusion of dense and BM25.

Each ranking adds ``weight / (RRF_K + rank)`` to a chunk's score. The settings below were chosen
on the tuning splits (tests/evals/retrieval.yaml, confirmed on retrieval_tuning.yaml;
``python -m tests.evals.tune_fusion`` reruns the grid) and measured on held-out splits never
tuned on (README, "Performance and quality → Retrieval"). BM25 counts half as much as dense:
when a user's words are not the document's (经济增速 for 地区生产总值), BM25's best matches are
often wrong, and at full weight they pulled passages dense had right out of the top 5.
"""

from __future__ import annotations

from collections.abc import Sequence

RRF_K = 20
DENSE_WEIGHT = 1.0
BM25_WEIGHT = 0.5
# BM25 score of the words the synonym table adds, relative to the query's own words.
EXPANSION_WEIGHT = 1.0
# A figure next to the thing asked about: as much as a first place in a third ranking at k = 60
# (the value measured before k changed; 1/41 and 1/21 scored the same on the tuning split).
FIGURE_BONUS = 1.0 / 61

Ranking = Sequence[tuple[str, float]]


def rrf(rankings: Sequence[tuple[Ranking, float]], k: int | None = None) -> list[tuple[str, float]]:
    """Weighted reciprocal-rank fusion of ``(ranking, weight)`` pairs, best first.

    Ties (equal fused score) keep the order in which chunks were first met, so a chunk first
    ranked by the earlier ranking wins a tie.
    """
    k = RRF_K if k is None else k
    scores: dict[str, float] = {}
    for ranking, weight in rankings:
        if weight <= 0:
            continue
        for rank, (cid, _) in enumerate(ranking):
            scores[cid] = scores.get(cid, 0.0) + weight / (k + rank + 1)
    return sorted(scores.items(), key=lambda kv: -kv[1])
