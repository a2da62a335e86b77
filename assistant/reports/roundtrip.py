"""The Word round trip: a reviewed .docx read back into a report's sections as new versions.

The round trip has three steps. **Reading** (:func:`parse_docx`, in
:mod:`assistant.reports.roundtrip_read`) turns the body of a .docx into paragraphs with roles and
bookmarks, refusing a file that is not one. **Matching** (:func:`match_sections`, in
:mod:`assistant.reports.roundtrip_match`) finds each section of the report in those paragraphs:
by bookmark, heading text, or position. This module owns **saving** (:class:`WordImport`): every
section whose text really changed is stored as a new version of kind ``import``, through the same
check and save steps as an edit (:class:`assistant.reports.sections.SectionService`), all in one
transaction. The names callers use (the API route, the tests) are re-exported from here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from assistant.accounts.service import Principal
from assistant.checks.checker import Checker
from assistant.drafting.templates import ReportTemplate
from assistant.reports.access import writable_report
from assistant.reports.concurrency import StaleBase, lock_report
from assistant.reports.facts import Invalid, sheet_of
from assistant.reports.roundtrip_match import (
    Found,
    MatchedBy,
    Matching,
    SectionRef,
    Stray,
    bookmark_name,
    canonical_lines,
    heading_key,
    match_sections,
    same_text,
    similarity,
)
from assistant.reports.roundtrip_read import (
    Para,
    Role,
    UnreadableDocx,
    paragraph_text,
    parse_docx,
)
from assistant.reports.sections import MAX_TEXT, CheckedText, SectionService, template_of
from assistant.reports.versions import diff, issues_summary
from assistant.retrieval.store import ChromaStore
from assistant.review.audit import record
from assistant.storage.db import Database
from assistant.storage.models import SectionVersion
from assistant.uploads.names import safe_filename

__all__ = [
    "Found",
    "ImportConflict",
    "MatchedBy",
    "Matching",
    "Para",
    "Role",
    "SectionRef",
    "Stray",
    "UnreadableDocx",
    "WordImport",
    "bookmark_name",
    "canonical_lines",
    "heading_key",
    "match_sections",
    "paragraph_text",
    "parse_docx",
    "same_text",
    "similarity",
]


class ImportConflict(StaleBase):
    """A matched section is not at the version the file was based on: another change landed
    since the base the upload named, or while the file was being checked (→ 409)."""


def _shown(title: str, meta: Mapping[str, Any], kind: str) -> str:
    """What the export prints for a never-drafted title or 主送机关 (the report meta's): the
    same words coming back are no edit."""
    if kind == "title":
        return (title or str(meta.get("title") or "")).strip()
    recipient = str(meta.get("recipient") or "").strip(" ：:")
    return f"{recipient}：" if kind == "salutation" and recipient else ""


@dataclass
class WordImport:
    """Import a reviewed .docx into a report: matched, checked, saved in one transaction."""

    db: Database
    templates: Mapping[str, ReportTemplate]
    checker: Checker
    store: ChromaStore | None = None
    known_title: Callable[[str], bool] | None = None

    def _sections(self) -> SectionService:
        return SectionService(
            self.db, self.templates, self.checker, store=self.store, known_title=self.known_title
        )

    def authorize(self, user: Principal, report_id: int) -> None:
        """404 unless the user sees the report, 403 unless they may change it (owner, admin)."""
        with self.db.session() as s:
            writable_report(s, user, report_id)

    def run(
        self,
        user: Principal,
        report_id: int,
        data: bytes,
        filename: str | None,
        *,
        bases: Mapping[str, int] | None = None,
    ) -> dict[str, Any]:
        """Read, match, check and save; see the module docstring. Raises :class:`UnreadableDocx`
        (nothing saved), ``Invalid``, ``NotFound``, ``Forbidden`` or :class:`ImportConflict`.

        ``bases`` names, per section id, the version the file was made from (the versions
        current at its export): a section changed since is refused, not overwritten.
        """
        bases = dict(bases or {})
        name = safe_filename(filename, "docx")
        paragraphs = parse_docx(data, name)  # a file that cannot be read stops everything here
        sections = self._sections()
        with self.db.session() as s:
            report = writable_report(s, user, report_id)
            template = template_of(self.templates, report)
            sheet = sheet_of(report)
            kinds = {spec.id: spec.kind for spec in template.sections}
            current: dict[str, SectionVersion | None] = {}
            refs = []
            for section in report.sections:
                version = s.get(SectionVersion, section.current_version_id or 0)
                current[section.section_id] = version
                if section.section_id in bases and bases[section.section_id] != (
                    version.number if version is not None else 0
                ):
                    raise ImportConflict(
                        section.section_id, base=bases[section.section_id], current=version
                    )
                kind = kinds.get(section.section_id, "body" if section.heading else "opening")
                text = (
                    version.text
                    if version is not None
                    else _shown(report.title, report.meta or {}, kind)
                )
                refs.append(SectionRef(section.section_id, section.heading, kind, text))
        matching = match_sections(paragraphs, refs)
        for f in matching.found:
            if len(f.text) > MAX_TEXT:
                raise Invalid(
                    f"{name}: section {f.id!r} has {len(f.text)} characters, at most {MAX_TEXT}"
                )
        shown = {r.id: r.text for r in refs}
        old = {sid: v.text if v is not None else "" for sid, v in current.items()}
        # Checks read the vector store, not the database: they run before the transaction.
        checked: dict[str, CheckedText] = {
            f.id: sections.check_text(
                report_id,
                f.text,
                sheet=sheet,
                genre=template.genre,
                previous=current[f.id],
                engine="import",
                provenance={"file": name, "matched_by": f.by},
            )
            for f in matching.found
            if not same_text(f.text, shown[f.id])
        }
        with self.db.session() as s:
            lock_report(s, report_id)  # first: see assistant.reports.concurrency
            report = writable_report(s, user, report_id)
            by_id = {section.section_id: section for section in report.sections}
            out = []
            for f in matching.found:
                section = by_id[f.id]
                before = current[f.id]
                if section.current_version_id != (before.id if before is not None else None):
                    now_current = s.get(SectionVersion, section.current_version_id or 0)
                    raise ImportConflict(
                        f.id,
                        base=before.number if before is not None else 0,
                        current=now_current,
                    )
                entry: dict[str, Any] = {"id": f.id, "matched_by": f.by}
                if f.id in checked:
                    version = sections.save_checked(
                        s, user, report, section, checked[f.id], kind="import"
                    )
                    number = before.number if before is not None else 0
                    entry |= {
                        "changed": True,
                        "version_id": version.id,
                        "version": version.number,
                        "diff": diff(
                            old[f.id],
                            version.text,
                            old_label=f"v{number}",
                            new_label=f"v{version.number}",
                        ),
                        "issues_summary": issues_summary(version.issues),
                    }
                else:
                    entry |= {
                        "changed": False,
                        "version_id": before.id if before is not None else None,
                        "version": before.number if before is not None else None,
                        "diff": "",
                        "issues_summary": issues_summary(before.issues if before else []),
                    }
                out.append(entry)
            matched = {f.id for f in matching.found}
            result: dict[str, Any] = {
                "sections": out,
                "unmatched": [{"heading": u.heading, "text": u.text} for u in matching.unmatched],
                "unchanged": [e["id"] for e in out if not e["changed"]],
                "missing": [r.id for r in refs if r.id not in matched],
            }
            record(
                s,
                user_id=user.id,
                action="import",
                object_type="report",
                object_id=report.id,
                detail={
                    "file": name,
                    "bytes": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "sections": [
                        {
                            "section": e["id"],
                            "matched_by": e["matched_by"],
                            "version_id": e["version_id"],
                            "version": e["version"],
                        }
                        for e in out
                        if e["changed"]
                    ],
                    "unchanged": result["unchanged"],
                    "unmatched": len(matching.unmatched),
                },
            )
            return result
