"""``assistant export`` (draft JSON → GB/T 9704 .docx) and ``assistant verify-docx``.

Bad input (a file that is missing, too large, not JSON, not a draft, or names an unknown
template) exits 2 with the reason and writes nothing. ``verify-docx`` exits 0 when the document
follows the format, 1 when it breaks a rule, 2 when it cannot be read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from assistant.cli_common import err, fail, load_settings, out


def _read(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise fail(f"{path}: {size} bytes is over the limit of {max_bytes}")
        return path.read_bytes()
    except OSError as exc:
        raise fail(f"{path}: cannot read ({exc.strerror or exc})") from exc


def export(
    draft_file: Annotated[
        Path, typer.Argument(help="Draft JSON written by `assistant draft --out x.json`.")
    ],
    out_file: Annotated[Path, typer.Option("--out", help="The .docx to write.")],
    footnotes: Annotated[
        bool, typer.Option("--footnotes", help="Each citation's source as a footnote.")
    ] = False,
    comments: Annotated[
        bool, typer.Option("--comments", help="The checker's issues as Word comments.")
    ] = False,
    draft: Annotated[
        bool, typer.Option("--draft", help="Mark as 讨论稿 (header and top right).")
    ] = False,
) -> None:
    """Write a drafted report as a Word file in GB/T 9704-2012 format (党政机关公文格式)."""
    from assistant.export import ExportInputError, FontNames, from_draft_json, write_docx

    if out_file.suffix.lower() != ".docx":
        raise fail(f"--out {out_file}: the output is a .docx file")
    settings = load_settings()
    raw = _read(draft_file, settings.max_file_bytes)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise fail(f"{draft_file}: not UTF-8 text, so not a draft JSON") from exc
    except json.JSONDecodeError as exc:
        raise fail(f"{draft_file}: not JSON (line {exc.lineno}, column {exc.colno})") from exc
    try:
        report = from_draft_json(data, draft=draft)
    except ExportInputError as exc:
        raise fail(f"{draft_file}: {exc}") from exc
    body = write_docx(
        report, fonts=FontNames.from_settings(settings), footnotes=footnotes, comments=comments
    )
    out_file.write_bytes(body)
    err.print(f"wrote {out_file} ({len(body)} bytes)", highlight=False)


def verify_docx_command(
    file: Annotated[Path, typer.Argument(help="The .docx to check.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Check a .docx against GB/T 9704-2012: page, margins, fonts, spacing, page numbers."""
    from assistant.export import FontNames
    from assistant.export.verify import DocxUnreadable, verify_docx

    settings = load_settings()
    try:
        violations = verify_docx(
            _read(file, settings.max_file_bytes), fonts=FontNames.from_settings(settings)
        )
    except DocxUnreadable as exc:
        raise fail(f"{file}: {exc}") from exc
    if as_json:
        result = {
            "file": str(file),
            "ok": not violations,
            "violations": [v.public() for v in violations],
        }
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for v in violations:
            out.print(
                f"[red]{v.rule}[/red] {escape(v.where)}: expected {escape(v.expected)}, "
                f"found {escape(v.found)}",
                highlight=False,
            )
        summary = f"{len(violations)} violation(s)" if violations else "follows GB/T 9704-2012"
        out.print(f"{file}: {summary}", highlight=False, markup=False)
    if violations:
        raise typer.Exit(1)
