"""Grid over hybrid search's fusion settings on a tuning split; prints aggregate figures only.

    ASSISTANT_DATA_DIR=data/eval .venv/bin/python -m tests.evals.tune_fusion \\
        tests/evals/retrieval.yaml [tests/evals/retrieval_tuning.yaml …]

Run ``assistant eval retrieval FILE`` once first so the knowledge base ``eval-c<chunk size>``
holds the files' sources. Pass tuning files only: a held-out split is measured with
``assistant eval retrieval``, never searched over. Settings are ``assistant.retrieval.fusion``'s
module constants, set for one run and restored.
"""

from __future__ import annotations

import functools
import itertools
import sys
from pathlib import Path

from assistant.cli_common import load_settings
from assistant.evals import retrieval as ev
from assistant.retrieval import fusion
from assistant.services import Services, build_services

GRID = {
    "EXPANSION_WEIGHT": (0.0, 0.5, 1.0),
    "BM25_WEIGHT": (0.3, 0.5, 0.7, 1.0),
    "RRF_K": (20, 60),
}


def score(services: Services, kb: str, queries: list[ev.Query], **settings: float) -> ev.Scores:
    old = {name: getattr(fusion, name) for name in settings}
    for name, value in settings.items():
        setattr(fusion, name, value)
    try:
        search = functools.partial(services.searcher.search, k=10, kb=kb, mode="hybrid")
        return ev._score(queries, "hybrid", search)
    finally:
        for name, value in old.items():
            setattr(fusion, name, value)


def main(files: list[str]) -> None:
    settings = load_settings()
    services = build_services(settings)
    kb = f"eval-c{settings.chunk_size}"
    queries = [q for f in files for q in ev.load_queries(Path(f))[1]]
    rows = []
    for values in itertools.product(*GRID.values()):
        chosen = dict(zip(GRID, values, strict=True))
        s = score(services, kb, queries, **chosen)
        rows.append((s.recall(5), s.mrr(10), chosen))
    rows.sort(key=lambda r: (-r[0], -r[1]))
    print(
        f"{len(queries)} queries; current: " + ", ".join(f"{n}={getattr(fusion, n)}" for n in GRID)
    )
    for r5, mrr, chosen in rows:
        print(f"recall@5 {r5:.3f}  MRR@10 {mrr:.3f}  {chosen}")
    services.close()


if __name__ == "__main__":
    main(sys.argv[1:] or ["tests/evals/retrieval.yaml"])
