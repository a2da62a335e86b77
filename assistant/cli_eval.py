"""``assistant eval …``: quality measured on labelled sets (retrieval, checker, offline engine)."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.cli_common import err, fail, load_settings, out
from assistant.domain import CORPUS

eval_app = typer.Typer(help="Measure quality on labelled sets.", no_args_is_help=True)


@eval_app.command("retrieval")
def eval_retrieval(
    file: Annotated[Path, typer.Argument(help="Labelled queries (YAML).", exists=True)],
    chunk_size: Annotated[int | None, typer.Option(help="Override ASSISTANT_CHUNK_SIZE.")] = None,
    baseline: Annotated[bool, typer.Option(help="Also score the peer recipe.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Print recall@5 and MRR@10 for dense, BM25, hybrid and the peer recipe."""
    from assistant.evals import retrieval as ev
    from assistant.retrieval.indexer import IndexEvents
    from assistant.services import build_services

    settings = load_settings()
    if chunk_size:
        settings = settings.model_copy(update={"chunk_size": chunk_size})
    sources, queries = ev.load_queries(file)
    with build_services(settings) as services:
        kb = f"eval-c{settings.chunk_size}"
        report = services.indexer.index(
            sources, kb=kb, events=IndexEvents(failed=lambda s, r: err.print(f"failed {s}: {r}"))
        )
        err.print(f"index {kb}: {report.summary()}")
        results = ev.run(
            services,
            queries,
            kb=kb,
            baseline_kb="eval-peer" if baseline else None,
            sources=sources,
            log=lambda m: err.print(m),
        )
    rows: list[dict[str, Any]] = [
        {
            "method": s.name,
            "recall@5": round(s.recall(5), 4),
            "mrr@10": round(s.mrr(10), 4),
            "recall@10": round(s.recall(10), 4),
            "p50_ms": round(1000 * statistics.median(s.seconds), 1),
            **{f"recall@5 {k}": round(v, 4) for k, v in ev.breakdown(queries, s).items()},
        }
        for s in results
    ]
    if as_json:
        print(
            json.dumps(
                {
                    "queries": len(queries),
                    "chunk_size": settings.chunk_size,
                    "results": rows,
                    "misses": {
                        s.name: [
                            q.id
                            for q, r in zip(queries, s.ranks, strict=True)
                            if r is None or r > 5
                        ]
                        for s in results
                    },
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    from rich.table import Table

    table = Table(title=f"retrieval: {len(queries)} queries, chunk size {settings.chunk_size}")
    for col in rows[0]:
        table.add_column(col)
    for row in rows:
        table.add_row(*[str(v) for v in row.values()])
    out.print(table)


@eval_app.command("grounding")
def eval_grounding(
    file: Annotated[
        Path, typer.Argument(help="Labelled drafts and fact sheets (YAML).", exists=True)
    ],
    corpus: Annotated[
        Path | None,
        typer.Option(help="Folder of correct documents: count name and title alarms on them."),
    ] = None,
) -> None:
    """Recall and precision of the grounding check (figures, names, titles) on a labelled set."""
    from assistant.evals.grounding import evaluate, name_alarms

    result: dict[str, Any] = evaluate(file)
    if corpus is not None:
        docs = [p for p in sorted(corpus.glob("*.md")) if p.name.upper() != "README.MD"]
        result["clean_corpus_names"] = name_alarms(docs)
    print(json.dumps(result, ensure_ascii=False, indent=2))


@eval_app.command("proofreading")
def eval_proofreading(
    file: Annotated[
        Path, typer.Argument(help="Documents with planted errors (YAML).", exists=True)
    ],
    corpus: Annotated[
        Path | None, typer.Option(help="Folder of clean documents: count false alarms.")
    ] = None,
) -> None:
    """Recall on planted errors, and error alarms per 10,000 characters on clean documents."""
    from assistant.evals.proofreading import corpus_alarms, evaluate

    result: dict[str, Any] = {"planted": evaluate(file)}
    if corpus is not None:
        alarms = corpus_alarms(sorted(corpus.glob("*.md")))
        result["clean_corpus"] = {k: v for k, v in alarms.items() if not isinstance(v, list)}
    print(json.dumps(result, ensure_ascii=False, indent=2))


@eval_app.command("offline")
def eval_offline(
    file: Annotated[
        Path,
        typer.Argument(help="Exemplars with labelled slots and fact sheets (YAML).", exists=True),
    ],
    mistakes: Annotated[bool, typer.Option(help="List every wrongly filled slot.")] = False,
) -> None:
    """Share of exemplar slots the offline engine fills correctly, and exemplar figures left."""
    from assistant.evals.offline import evaluate

    result = evaluate(file)
    if not mistakes:
        result["mistakes"] = len(result["mistakes"])
    print(json.dumps(result, ensure_ascii=False, indent=2))


@eval_app.command("spelling")
def eval_spelling(
    ecspell: Annotated[Path, typer.Argument(help="The ECSpell folder (../shared/eval/ecspell).")],
    corpus: Annotated[
        Path | None, typer.Option(help="Folder of clean documents: count false alarms.")
    ] = None,
) -> None:
    """Precision and recall of the confusable-word table on ECSpell's test split."""
    from assistant.evals import spelling

    spelling.main(["--data", str(ecspell)] + (["--corpus", str(corpus)] if corpus else []))


@eval_app.command("drafting")
def eval_drafting(
    folder: Annotated[
        Path,
        typer.Argument(
            help="Labelled fact sheets (a folder of YAML, or one of parts: dev/, heldout/ …).",
            exists=True,
            file_okay=False,
        ),
    ],
    corpus: Annotated[
        Path,
        typer.Option(help="The corpus exemplars come from (indexed into its own data folder)."),
    ] = Path("corpus"),
    mistakes: Annotated[bool, typer.Option(help="List every misplaced or untold fact.")] = False,
) -> None:
    """Facts placed and told where they belong, foreign names, numbering and gaps."""
    import hashlib

    from assistant.drafting.composer import Drafter
    from assistant.evals import drafting as ev
    from assistant.evals.foreign import collect, load_corpus_documents
    from assistant.retrieval.indexer import IndexEvents
    from assistant.services import build_services

    settings = load_settings()
    tag = hashlib.sha256(str(corpus.resolve()).encode()).hexdigest()[:8]
    eval_dir = settings.data_dir / "eval" / f"drafting-{corpus.name}-{tag}"
    with build_services(
        settings.model_copy(
            update={"data_dir": eval_dir, "chroma_path": None, "database_url": None}
        )
    ) as services:
        failed = IndexEvents(failed=lambda s, r: err.print(f"failed {s}: {r}"))
        report = services.indexer.index([corpus], kb=CORPUS, events=failed)
        err.print(f"corpus {corpus}: {report.summary()}")
        offline = services.drafter
        if offline.llm is not None:  # the offline engine is measured even where an LLM is set
            offline = Drafter(offline.gatherer, offline.checker, known_title=offline.known_title)
        recording = Drafter(
            offline.gatherer,
            offline.checker,
            llm=ev.RecordingEngine(),
            known_title=offline.known_title,
        )
        foreign = collect(load_corpus_documents(corpus))
        # A folder of sheets, or one of parts (dev/, heldout/, heldout2/ …), each scored apart.
        parts = [p for p in sorted(folder.iterdir()) if p.is_dir() and any(p.glob("*.yaml"))]
        parts = parts or [folder]
        result: dict[str, Any] = {}
        for part in parts:
            scored = ev.evaluate(
                part,
                templates=services.templates,
                offline=offline,
                recording=recording,
                foreign=foreign,
                log=lambda m: err.print(m),
            )
            if not mistakes:
                scored["mistakes"] = len(scored["mistakes"])
            result[part.name] = scored
    print(json.dumps(result, ensure_ascii=False, indent=2))


@eval_app.command("chat")
def eval_chat(
    file: Annotated[
        Path, typer.Argument(help="Labelled chat messages (YAML: reports, messages).", exists=True)
    ],
    mistakes: Annotated[bool, typer.Option(help="List every misread message.")] = False,
) -> None:
    """Share of messages whose actions and sections the chat reads right, overall and per action."""
    from assistant.evals.chat import EvalFileError, evaluate

    try:
        result = evaluate(file)
    except EvalFileError as exc:
        raise fail(f"{file}: {exc}") from exc
    if not mistakes:
        result["mistakes"] = len(result["mistakes"])
    print(json.dumps(result, ensure_ascii=False, indent=2))
