"""``assistant facts``: propose facts from a spreadsheet or a sentence, and add the confirmed ones.

Proposals are only printed unless ``--into`` names a fact sheet; then each is added after the
user confirms it (or all with ``--yes``). A key the sheet already has is kept unless
``--replace``. The sheet is rewritten only when something was added.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from assistant.cli_common import err, fail, load_settings, out


def facts(
    source: Annotated[
        str,
        typer.Argument(help="A sheet (.xlsx .csv .xls .et), or a sentence: 开了12次中心组学习."),
    ],
    into: Annotated[
        Path | None, typer.Option(help="Fact sheet to add the confirmed facts to (YAML/JSON).")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm every proposal.")] = False,
    replace: Annotated[bool, typer.Option(help="Replace facts whose key exists.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print proposals as JSON.")] = False,
) -> None:
    """Propose facts (with their provenance) from a spreadsheet or a chat message."""
    from assistant.facts.from_table import facts_from_table
    from assistant.facts.proposed import merge_proposals
    from assistant.facts.sheet import FactSheet, FactSheetError, load_fact_sheet
    from assistant.ingest.errors import IngestError
    from assistant.ingest.formats import FORMATS, as_modern
    from assistant.ingest.limits import ParseLimits
    from assistant.ingest.loaders import read_limited

    settings = load_settings()
    path = Path(source)
    try:
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is not None and fmt.table and path.is_file():
            data = read_limited(path, max_bytes=settings.max_file_bytes)
            # A legacy or WPS sheet (.xls, .et) is converted to .xlsx first, as uploads are.
            limits = ParseLimits(
                convert_seconds=settings.convert_timeout, converter=settings.soffice
            )
            data, _ = as_modern(data, str(path), fmt.suffix, limits)
            proposals = facts_from_table(data, filename=path.name)
        else:
            from assistant.services import build_services

            with build_services(settings) as services:
                extraction = services.extractor.propose(source, message_id="cli", template="")
            proposals = extraction.facts
        sheet = (load_fact_sheet(into) if into.exists() else FactSheet()) if into else None
    except (IngestError, FactSheetError) as exc:
        raise fail(str(exc)) from exc
    if as_json:
        print(
            json.dumps(
                [
                    {**p.fact.model_dump(), "origin": p.origin, "confidence": p.confidence}
                    for p in proposals
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    elif not proposals:
        err.print("no facts found", highlight=False)
    for p in proposals if not as_json else []:
        f = p.fact
        note = f"（{f.note}）" if f.note else ""
        out.print(
            f"{f.key}：{f.value}{f.unit}{note}  [dim]{f.source} · {p.confidence:.1f}[/dim]",
            highlight=False,
        )
    if into is None or sheet is None or not proposals:
        return
    chosen = [p for p in proposals if yes or typer.confirm(f"add {p.key}?", default=True)]
    merge = merge_proposals(sheet, chosen, replace=replace)
    if merge.added or merge.replaced:
        import yaml

        dumped = merge.sheet.model_dump(mode="json", exclude_none=True)
        text = (
            json.dumps(dumped, ensure_ascii=False, indent=2) + "\n"
            if into.suffix.lower() == ".json"
            else yaml.safe_dump(dumped, allow_unicode=True, sort_keys=False)
        )
        into.write_text(text, encoding="utf-8")
    err.print(
        f"{into}: added {len(merge.added)}, replaced {len(merge.replaced)}, "
        f"kept {len(merge.skipped)} existing",
        highlight=False,
    )
