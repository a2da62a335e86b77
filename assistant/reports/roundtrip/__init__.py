"""The Word round trip: a reviewed .docx read back into a report's sections as new versions.

The round trip has three steps. **Reading** (:func:`parse_docx`, in
:mod:`assistant.reports.roundtrip.read`) turns the body of a .docx into paragraphs with roles and
bookmarks, refusing a file that is not one. **Matching** (:func:`match_sections`, in
:mod:`assistant.reports.roundtrip.match`) finds each section of the report in those paragraphs:
by bookmark, heading text, or position. This module owns **saving** (:class:`WordImport`): every
section whose text really changed is stored as a new version of kind ``import``, through the same
check and save steps as an edit (:class:`assistant.reports.sections.SectionService`), all in one
transaction. The names callers use (the API route, the tests) are re-exported from here.

The export marks each section with the version it holds (bookmark ``gwv<n>_<id>``), so an
import knows what the reviewer started from: a section someone changed in the meantime keeps
its newer text when the file still has the old one, and is refused (409, the current version)
when the file changed it too — the round trip never overwrites an edit nobody saw.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.accounts.service import Principal
from assistant.checks.checker import Checker
from assistant.drafting.templates import ReportTemplate
from assistant.export.gbt9704 import version_bookmark
from assistant.ingest.bounds import ReadBounds
from assistant.ingest.names import safe_filename
from assistant.reports import textdiff
from assistant.reports.access import writable_report
from assistant.reports.concurrency import StaleBase, lock_report
from assistant.reports.facts import Invalid, sheet_of
from assistant.reports.roundtrip.match import (
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
from assistant.reports.roundtrip.read import (
    Para,
    Role,
    UnreadableDocx,
    paragraph_text,
    parse_docx,
)
from assistant.reports.sections import MAX_TEXT, CheckedText, SectionService
from assistant.reports.structure import missing_in, template_of
from assistant.reports.versions import diff, issues_summary
from assistant.retrieval.store import ChromaStore
from assistant.storage.audit import record
from assistant.storage.db import Database
from assistant.storage.models import SectionVersion

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


_VERSION_MARK = re.compile(r"^gwv(\d{1,9})_")


def exported_versions(paragraphs: Sequence[Para], section_ids: Sequence[str]) -> dict[str, int]:
    """The version of each section the file was exported at, from its ``gwv<n>_<id>`` bookmark
    (a section with two such marks, pasted from another export, names no base)."""
    found: dict[str, set[int]] = {}
    marks = {m for p in paragraphs for m in p.bookmarks if _VERSION_MARK.match(m)}
    for mark in marks:
        m = _VERSION_MARK.match(mark)
        assert m is not None
        n = int(m.group(1))
        for sid in section_ids:
            if version_bookmark(sid, n) == mark:
                found.setdefault(sid, set()).add(n)
    return {sid: ns.pop() for sid, ns in found.items() if len(ns) == 1}


def _text_of(s: Session, section_pk: int, number: int) -> str | None:
    """Version ``number``'s text (``""`` for 0: nothing yet); ``None`` when there is none."""
    if number == 0:
        return ""
    return s.scalar(
        select(SectionVersion.text).where(
            SectionVersion.section_pk == section_pk, SectionVersion.number == number
        )
    )


@dataclass
class WordImport:
    """Import a reviewed .docx into a report: matched, checked, saved in one transaction."""

    db: Database
    templates: Mapping[str, ReportTemplate]
    checker: Checker
    store: ChromaStore | None = None
    known_title: Callable[[str], bool] | None = None
    # The service's reading limits: its LibreOffice command and conversion time (a .doc or
    # .wps is converted first), the parse worker's time and memory.
    read: ReadBounds | None = None

    def _sections(self) -> SectionService:
        return SectionService(
            self.db, self.templates, self.checker, store=self.store, known_title=self.known_title
        )

    @staticmethod
    def _preview(
        matching: Matching,
        refs: Sequence[SectionRef],
        checked: Mapping[str, CheckedText],
        current: Mapping[str, SectionVersion | None],
        old: Mapping[str, str],
    ) -> dict[str, Any]:
        """What an import would save, nothing saved: per section the file's text and the diff."""
        out = []
        for f in matching.found:
            version = current[f.id]
            number = version.number if version is not None else 0
            entry: dict[str, Any] = {
                "id": f.id,
                "matched_by": f.by,
                "changed": f.id in checked,
                "version": number if version is not None else None,
            }
            if f.id in checked:
                text = checked[f.id].text
                entry |= {
                    "old_text": old[f.id],
                    "text": text,
                    "diff": diff(old[f.id], text, old_label=f"v{number}", new_label="Word"),
                    "changes": textdiff.changes(old[f.id], text),  # what the page shows
                    "issues_summary": issues_summary(checked[f.id].issues),
                }
            out.append(entry)
        matched = {f.id for f in matching.found}
        return {
            "preview": True,
            "sections": out,
            "unmatched": [{"heading": u.heading, "text": u.text} for u in matching.unmatched],
            "unchanged": [e["id"] for e in out if not e["changed"]],
            "missing": [r.id for r in refs if r.id not in matched],
        }

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
        preview: bool = False,
        keep: frozenset[str] | None = None,
    ) -> dict[str, Any]:
        """Read, match, check and save; see the module docstring. Raises :class:`UnreadableDocx`
        (nothing saved), ``Invalid``, ``NotFound``, ``Forbidden`` or :class:`ImportConflict`.

        ``bases`` names, per section id, the version the file was made from; the export marks
        it in the file too (:func:`exported_versions`), and ``bases`` wins where both do. A
        section changed since its base is left as it now is when the file still has the base's
        words (the reviewer did not touch it), and refused when both changed: nobody's edit is
        overwritten unseen.

        ``preview`` reads, matches and checks but saves nothing: each changed section comes back
        with the file's text, its diff and its issues, for the user to choose what to keep.
        ``keep`` (section ids) saves only those of the changed sections; the others are listed
        under ``skipped`` and keep their current text.
        """
        name = safe_filename(filename, "docx")
        # A file that cannot be read stops everything here.
        if self.read is not None:
            paragraphs = parse_docx(
                data, name, bounds=self.read.worker or None, limits=self.read.limits
            )
        else:
            paragraphs = parse_docx(data, name)
        sections = self._sections()
        behind: dict[str, tuple[int, str | None]] = {}  # stale: base number, base text
        with self.db.session() as s:
            report = writable_report(s, user, report_id)
            template = template_of(self.templates, report)
            sheet = sheet_of(report)
            recipient = str((report.meta or {}).get("recipient") or "").strip(" ：:")
            kinds = {spec.id: spec.kind for spec in template.sections}
            ids = [section.section_id for section in report.sections]
            bases = {**exported_versions(paragraphs, ids), **(bases or {})}
            current: dict[str, SectionVersion | None] = {}
            refs = []
            for section in report.sections:
                version = s.get(SectionVersion, section.current_version_id or 0)
                current[section.section_id] = version
                base = bases.get(section.section_id)
                if base is not None and base != (version.number if version is not None else 0):
                    behind[section.section_id] = (base, _text_of(s, section.id, base))
                kind = kinds.get(section.section_id, "body" if section.heading else "opening")
                text = (
                    version.text
                    if version is not None
                    else _shown(report.title, report.meta or {}, kind)
                )
                refs.append(SectionRef(section.section_id, section.heading, kind, text))
        matching = match_sections(paragraphs, refs)
        said = matching.recipient.strip(" ：:\n")
        if said and said != recipient:
            # 主送机关 changed in Word: the report's details hold it, not a section; said so.
            matching.unmatched.append(Stray("主送机关", matching.recipient))
        for f in matching.found:
            if len(f.text) > MAX_TEXT:
                raise Invalid(
                    f"{name}: section {f.id!r} has {len(f.text)} characters, at most {MAX_TEXT}"
                )
        shown = {r.id: r.text for r in refs}
        untouched = set()
        for f in matching.found:
            if f.id in behind and not same_text(f.text, shown[f.id]):  # the same words: no loss
                base, base_text = behind[f.id]
                if base_text is None or not same_text(f.text, base_text):
                    raise ImportConflict(f.id, base=base, current=current[f.id])
                untouched.add(f.id)  # the file's copy is older, not edited: keep the newer one
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
            if f.id not in untouched and not same_text(f.text, shown[f.id])
        }
        skipped = sorted(sid for sid in checked if keep is not None and sid not in keep)
        if preview:
            return self._preview(matching, refs, checked, current, old)
        for sid in skipped:
            del checked[sid]
        with self.db.session() as s:
            lock_report(s, report_id)  # first: see assistant.reports.concurrency
            report = writable_report(s, user, report_id)
            by_id = {section.section_id: section for section in report.sections}
            out = []
            for f in matching.found:
                if f.id not in by_id:  # removed from the report since the file was read
                    raise missing_in(report, f.id)
                section = by_id[f.id]
                before = current[f.id]
                changed_meanwhile = section.current_version_id != (
                    before.id if before is not None else None
                )
                if f.id in checked and changed_meanwhile:
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
                    # Unchanged: the current version as it is now (a newer one may have landed).
                    before = s.get(SectionVersion, section.current_version_id or 0)
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
                "skipped": skipped,
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
                    "skipped": skipped,
                },
            )
            return result
