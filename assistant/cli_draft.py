"""``assistant draft``: draft one section or a whole report from a fact sheet.

Tokens stream to the terminal as they arrive; ``--out`` writes .md, .json (with provenance) or
.docx (GB/T 9704, marked 讨论稿: a fresh draft is not reviewed).
A malformed fact sheet, an unknown template or section, or an outline that does not fit drafts
nothing and exits 2; a model that fails mid-way exits 1 and writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from assistant.cli_common import err, fail, load_settings, out
from assistant.domain import Draft

OUTPUTS = (".md", ".json", ".docx")


def draft(
    facts: Annotated[Path, typer.Option(help="Fact sheet (YAML or JSON).")],
    template: Annotated[
        str | None, typer.Option(help="Template name (default: the sheet's report.template).")
    ] = None,
    section: Annotated[
        str | None, typer.Option(help="Draft only this section id (default: all).")
    ] = None,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="Write .md, .json (with provenance) or .docx (讨论稿)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")] = False,
    sources: Annotated[
        list[Path] | None,
        typer.Option("--source", help="A file of this report's data (repeatable): the S layer."),
    ] = None,
    outline_file: Annotated[
        Path | None, typer.Option("--outline", help="Draft from an edited outline (YAML).")
    ] = None,
    outline_only: Annotated[
        bool, typer.Option("--outline-only", help="Print the proposed outline and stop.")
    ] = False,
) -> None:
    """Draft a report section by section (LLM if configured, else 离线范文模式)."""
    from assistant.drafting.llm import LLMError
    from assistant.drafting.outline import OutlineError, dump_outline, load_outline
    from assistant.drafting.render import to_json, to_markdown
    from assistant.drafting.templates import TemplateError, pick_template
    from assistant.facts.sheet import FactSheetError, load_fact_sheet
    from assistant.services import build_services

    if out_file is not None and out_file.suffix.lower() not in OUTPUTS:
        raise fail(f"--out {out_file}: use .md or .json, or .docx for Word")
    settings = load_settings()
    try:
        sheet = load_fact_sheet(facts)
    except FactSheetError as exc:
        raise fail(str(exc)) from exc
    with build_services(settings) as services:
        try:
            chosen = pick_template(
                services.templates,
                template or sheet.report.template,
                where=f"{facts}: report.template",
            )
            if section is not None:
                chosen.section(section)
            outline = (
                load_outline(outline_file)
                if outline_file
                else services.drafter.outline(sheet, chosen)
            )
            outline.check(chosen, sheet)
        except (TemplateError, OutlineError) as exc:
            raise fail(str(exc)) from exc
        except KeyError as exc:
            raise fail(str(exc.args[0])) from exc
        if outline_only:
            print(dump_outline(outline), end="")
            return

        uploads_kb = None
        if sources:
            uploads_kb = "draft-" + hashlib.sha256(str(facts.resolve()).encode()).hexdigest()[:12]
            report = services.indexer.index(sources, kb=uploads_kb)
            for source, reason in report.failures:
                err.print(f"[red]failed[/red] {source}: {reason}", highlight=False)
            if not report.ok:
                raise typer.Exit(2)

        live = not as_json and out_file is None and sys.stdout.isatty()
        engine = services.drafter.llm.model_name if services.drafter.llm else "离线范文模式"
        err.print(f"drafting {chosen.name} with {engine} …", highlight=False)

        def on_token(section_id: str, text: str) -> None:
            if live:
                out.print(text, end="", highlight=False, markup=False)

        def on_section(d: Draft) -> None:
            if live:
                out.print("\n")
            errors = sum(i.severity == "error" for i in d.issues)
            total_ms = d.provenance.timings.get("total_ms", 0.0)
            err.print(
                f"  {d.section_id:16} {len(d.text):5} chars  {errors} errors  {total_ms:7.0f} ms",
                highlight=False,
            )

        try:
            if section is not None:
                drafts = [
                    services.drafter.draft_section(
                        sheet,
                        chosen,
                        section,
                        item=outline.item(section)
                        if section in {s.id for s in outline.sections}
                        else None,
                        uploads_kb=uploads_kb,
                        on_token=on_token,
                    )
                ]
                on_section(drafts[0])
            else:
                drafts = services.drafter.draft_report(
                    sheet,
                    chosen,
                    outline=outline,
                    uploads_kb=uploads_kb,
                    on_token=on_token,
                    on_section=on_section,
                )
        except LLMError as exc:
            raise fail(f"{exc}; nothing was written", code=1) from exc

    document = to_json(drafts, chosen, sheet, outline)
    if out_file is not None and out_file.suffix.lower() == ".docx":
        from assistant.export import FontNames, from_draft_json, write_docx

        docx = from_draft_json(document, templates={chosen.name: chosen}, draft=True)
        out_file.write_bytes(write_docx(docx, fonts=FontNames.from_settings(settings)))
        err.print(f"wrote {out_file}", highlight=False)
    elif out_file is not None:
        text = (
            json.dumps(document, ensure_ascii=False, indent=2) + "\n"
            if out_file.suffix.lower() == ".json"
            else to_markdown(drafts, chosen)
        )
        out_file.write_text(text, encoding="utf-8")
        err.print(f"wrote {out_file}", highlight=False)
    if as_json:
        print(json.dumps(document, ensure_ascii=False, indent=2))
    elif out_file is None and not live:
        print(to_markdown(drafts, chosen), end="")
