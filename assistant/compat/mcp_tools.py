"""What the MCP server's tools do, as plain functions of the services and the caller.

Each runs with the rights of the key's owner, narrowed by its scope, through the same services
the page and the API use (a report the caller may not see is "not found"; a read-only key
cannot draft), and each call is a use of the key in the audit log (``api_key.use``, path
``mcp:<tool>``). Results are JSON-ready dicts; the server (:mod:`assistant.mcp_server`) only
wires them to MCP.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from assistant.accounts.service import Principal
from assistant.chat.answers import gaps
from assistant.chat.editing import offline_hint
from assistant.chat.view import report_view
from assistant.checks.grounding import Evidence
from assistant.domain import CORPUS
from assistant.errors import Forbidden
from assistant.reports.access import readable_report, writable_report
from assistant.reports.facts import sheet_of
from assistant.reports.outline import effective_outline
from assistant.reports.plain_edits import plain_edit
from assistant.reports.sections import find_section
from assistant.reports.structure import template_of
from assistant.storage.models import SectionVersion

if TYPE_CHECKING:
    from assistant.services import Services

MAX_K = 20


class McpTools:
    def __init__(self, services: Services, user: Principal, *, transport: str = "stdio") -> None:
        self.services = services
        self.user = user
        self.transport = transport

    def _use(self, tool: str, **detail: Any) -> None:
        self.services.api_keys.note_use(
            self.user, method="MCP", path=f"mcp:{tool}", transport=self.transport, **detail
        )

    def search_corpus(self, query: str, k: int = 5) -> dict[str, Any]:
        self._use("search_corpus")
        hits = self.services.searcher.search(query, k=max(1, min(k, MAX_K)), kb=CORPUS)
        return {"passages": [h.public(server_paths=False) for h in hits]}

    def list_reports(self) -> dict[str, Any]:
        self._use("list_reports")
        reports = self.services.reports.list_reports(self.user)
        return {"reports": [r.model_dump() for r in reports]}

    def read_report(self, report_id: int) -> dict[str, Any]:
        self._use("read_report", report_id=report_id)
        return self.services.reports.get(self.user, report_id).model_dump()

    def draft_section(
        self, report_id: int, section: str, instruction: str = "", overwrite: bool = False
    ) -> dict[str, Any]:
        self._use("draft_section", report_id=report_id, section=section)
        if self.user.read_only:
            raise Forbidden("此 API 密钥为只读：不能起草或修改")
        s = self.services
        if instruction.strip() and s.drafter.llm is None:
            offline = self._revise_offline(report_id, section, instruction)
            if offline is not None:
                return offline
        drafts = s.drafts
        job = drafts.prepare(
            self.user, report_id, section, instruction=instruction, overwrite=overwrite
        )
        done: dict[str, Any] = {}
        errors: list[str] = []

        def on(event: str, data: dict[str, Any]) -> None:
            if event == "done":
                done.update(data)
            elif event == "error":
                errors.append(str(data.get("detail")))

        drafts.run(job, on)
        if errors or not done.get("version_id"):
            return {"ok": False, "errors": errors or ["起草失败"]}
        with s.db.session() as db:
            readable_report(db, self.user, report_id)
            version = db.get(SectionVersion, done["version_id"])
            text = version.text if version is not None else ""
            issues = list(version.issues) if version is not None else []
        return {
            "ok": True,
            "section": section,
            "version": done.get("version"),
            "version_id": done.get("version_id"),
            "engine": done.get("engine_label"),
            "unchanged": bool(done.get("unchanged")),
            "instruction_applied": bool(instruction.strip()) and not done.get("unchanged"),
            "text": text,
            "issues": issues,
        }

    def _revise_offline(
        self, report_id: int, section: str, instruction: str
    ) -> dict[str, Any] | None:
        """An instruction on a drafted section with no model configured: applied when it says
        exactly how (把“A”改成“B”, 删掉第三条, 最后加一句：…), as the chat does offline; else
        the text stays and the result says why. ``None``: nothing drafted yet, draft it."""
        s = self.services
        with s.db.session() as db:
            report = writable_report(db, self.user, report_id)
            row = find_section(report, section)
            current = db.get(SectionVersion, row.current_version_id or 0)
            if current is None:
                return None
            text, number = current.text, current.number
            label = row.heading or section
        edit = plain_edit(text, instruction, "", whole=section == "title")
        if edit is None:
            return {
                "ok": True,
                "section": section,
                "version": number,
                "unchanged": True,
                "instruction_applied": False,
                "message": offline_hint(label),
                "text": text,
            }
        saved = s.sections.edit(self.user, report_id, section, edit.text, base_version=number)
        return {
            "ok": True,
            "section": section,
            "version": saved.version,
            "version_id": saved.version_id,
            "engine": "human",
            "unchanged": saved.unchanged,
            "instruction_applied": True,
            "message": edit.summary,
            "text": edit.text,
            "issues": saved.issues,
        }

    def check_text(self, text: str, report_id: int | None = None) -> dict[str, Any]:
        self._use("check_text", report_id=report_id)
        evidence = None
        if report_id is not None:
            with self.services.db.session() as s:
                sheet = sheet_of(readable_report(s, self.user, report_id))
            evidence = Evidence(facts=sheet, known_title=self.services.titles.known)
        result = self.services.checker.check(text, evidence=evidence)
        return dict(result.public())

    def report_gaps(self, report_id: int) -> dict[str, Any]:
        self._use("report_gaps", report_id=report_id)
        with self.services.db.session() as s:
            report = readable_report(s, self.user, report_id)
            template = template_of(self.services.templates, report)
            sheet = sheet_of(report)
            view = report_view(report, template, s)
            outline = effective_outline(report, template, sheet)
        return {"sections": gaps(view, sheet, outline, None)}

    def export_draft(self, report_id: int) -> dict[str, Any]:
        """The report's current versions as a watermarked 讨论稿 (.docx, base64)."""
        self._use("export_draft", report_id=report_id)
        file = self.services.reviews.export(self.user, report_id, draft=True)
        return {
            "filename": f"report-{report_id}-draft.docx",
            "title": file.title,
            "bytes": len(file.data),
            "docx_base64": base64.b64encode(file.data).decode("ascii"),
        }
