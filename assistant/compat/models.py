"""Which OpenAI "models" a caller sees: one per report they may read (``report-<id>``), plus
``corpus`` for questions to the example and policy documents.

The listing carries each report's title as ``name`` (what Open WebUI and Cherry Studio show in
their model menus) and ``title``; the id is what a client sends back as ``model``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assistant.accounts.service import Principal
from assistant.drafting.templates import ReportTemplate
from assistant.reports.service import ReportService
from assistant.storage.db import Database

CORPUS_MODEL = "corpus"
CORPUS_NAME = "范文与政策库（检索问答）"
OWNER = "gongwen-assistant"
MAX_REPORT_ID = 2**31 - 1
_REPORT = re.compile(r"^report-([1-9][0-9]{0,9})$")
_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class ModelTarget:
    """What a model id names: a report, or the corpus (``report_id`` None)."""

    report_id: int | None

    @property
    def id(self) -> str:
        return CORPUS_MODEL if self.report_id is None else report_model(self.report_id)


def report_model(report_id: int) -> str:
    return f"report-{report_id}"


def parse_model(name: str) -> ModelTarget | None:
    """The target of a model id, or None if it names none of ours."""
    name = name.strip()
    if name == CORPUS_MODEL:
        return ModelTarget(None)
    m = _REPORT.match(name)
    if m is None or int(m.group(1)) > MAX_REPORT_ID:
        return None
    return ModelTarget(int(m.group(1)))


def _created(iso: str | None) -> int:
    try:
        at = dt.datetime.fromisoformat(iso or "")
    except ValueError:
        at = _EPOCH
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return int(at.timestamp())


def _model(model_id: str, name: str, created: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": model_id,
        "object": "model",
        "created": created,
        "owned_by": OWNER,
        "name": name,
        **extra,
    }


def model_list(
    db: Database, templates: Mapping[str, ReportTemplate], user: Principal
) -> list[dict[str, Any]]:
    """The corpus model first, then the reports ``user`` may read, most recently changed first
    (the same rule as the page's report list)."""
    out = [_model(CORPUS_MODEL, CORPUS_NAME, int(_EPOCH.timestamp()), title=CORPUS_NAME)]
    for r in ReportService(db, templates).list_reports(user):
        title = r.title or f"报告 {r.id}"
        out.append(
            _model(
                report_model(r.id),
                f"{title}（报告 {r.id}）",
                _created(r.created_at),
                title=title,
                template=r.template,
                report_owner=r.owner,
            )
        )
    return out
