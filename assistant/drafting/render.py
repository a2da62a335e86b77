"""A drafted report as Markdown (for reading) or JSON (with provenance, for tools and export)."""

from __future__ import annotations

from typing import Any

from assistant.domain import Draft
from assistant.drafting.outline import Outline
from assistant.drafting.templates import ReportTemplate
from assistant.facts.sheet import FactSheet


def to_markdown(drafts: list[Draft], template: ReportTemplate) -> str:
    lines: list[str] = []
    for d in drafts:
        kind = template.section(d.section_id).kind
        if kind == "title":
            lines.append(f"# {d.text}")
        elif d.heading:
            lines.append(f"## {d.heading}")
            lines.append(d.text)
        else:
            lines.append(d.text)
        lines.append("")
    engines = sorted(
        {d.provenance.engine_label for d in drafts if d.provenance.engine != "template"}
    )
    errors = sum(i.severity == "error" for d in drafts for i in d.issues)
    warnings = sum(i.severity == "warning" for d in drafts for i in d.issues)
    # A comment, not text: Markdown viewers show nothing of it, `assistant check` skips it.
    lines.append(
        f"<!-- 起草方式：{'、'.join(engines) or '程序生成'}；核查：{errors} 个错误，"
        f"{warnings} 个提醒（明细见 JSON 输出或 assistant check） -->"
    )
    return "\n".join(lines) + "\n"


def to_json(
    drafts: list[Draft], template: ReportTemplate, sheet: FactSheet, outline: Outline | None
) -> dict[str, Any]:
    return {
        "template": template.name,
        "report": sheet.report.model_dump(mode="json", exclude_none=True),
        "facts": [f.model_dump() for f in sheet.facts],
        "outline": outline.model_dump() if outline else None,
        "sections": [d.public() for d in drafts],
    }
