"""A report's sections: finding one, saving a user's edit (checked again), reading its history.

An edit is checked like a draft: grounding against the report's confirmed facts and the text of
its uploads (a report has a few files, so reading all their chunks is cheap), and proofreading
for the template's genre. Citations of sentences the edit left untouched are kept, re-anchored;
citation markers the user typed (〔F3〕) are read like an engine's. A Word import
(:mod:`assistant.reports.roundtrip`) goes through the same check and save steps. Restoring an
earlier version saves its text again as a new version, checked like an edit. Saves name their
base version and run under the report lock (:mod:`assistant.reports.concurrency`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.accounts.service import Principal
from assistant.checks.checker import Checker
from assistant.checks.citations import check_marked
from assistant.checks.grounding import Evidence, Source
from assistant.drafting.citations import MARKER, parse_citations
from assistant.drafting.evidence import fact_label
from assistant.drafting.templates import ReportTemplate
from assistant.errors import NotFound
from assistant.facts.sheet import FactSheet
from assistant.reports.access import readable_report, uploads_kb, writable_report
from assistant.reports.concurrency import check_base, lock_report
from assistant.reports.facts import Invalid, sheet_of
from assistant.reports.public import (
    SavedPublic,
    SavedSummaryPublic,
    VersionFullPublic,
    VersionHistoryPublic,
)
from assistant.reports.structure import missing_in, template_of
from assistant.reports.upload_texts import MAX_UPLOAD_CHUNKS, UploadTexts
from assistant.reports.versions import (
    ENGINE_LABELS,
    add_version,
    engine_label,
    history,
    identical,
    issues_summary,
    version_full,
)
from assistant.retrieval.store import ChromaStore
from assistant.storage.db import Database
from assistant.storage.models import Report, Section, SectionVersion, now

MAX_TEXT = 20_000


def find_section(report: Report, section_id: str) -> Section:
    for section in report.sections:
        if section.section_id == section_id:
            return section
    raise missing_in(report, section_id)  # removed (409) or never there (404), in Chinese


def upload_sources(store: ChromaStore | None, report_id: int) -> list[Source]:
    """The text of a report's uploads, as grounding sources (S1 …)."""
    if store is None or (kb := uploads_kb(report_id, store.knowledge_bases())) is None:
        return []
    chunks = islice(store.iter_all(kb, with_text=True), MAX_UPLOAD_CHUNKS)
    return [Source(f"S{i}", c.text) for i, c in enumerate(chunks, start=1)]


def carry_citations(old: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """Citations whose sentence survives an edit word for word, at its new place."""
    kept = []
    for c in old:
        sentence = str(c.get("sentence", ""))
        at = text.find(sentence) if sentence else -1
        if at >= 0:
            kept.append({**c, "start": at, "end": at + len(sentence)})
    return kept


def _fact_target(sheet: FactSheet) -> Callable[[str], str | None]:
    labels = {fact_label(sheet, f.key): f.key for f in sheet.facts}

    def resolve(label: str) -> str | None:
        return f"fact:{labels[label]}" if label in labels else None

    return resolve


@dataclass(frozen=True)
class CheckedText:
    """A text ready to be saved as a version: its citations, its issues, where it came from."""

    text: str
    citations: list[dict[str, Any]]
    issues: list[dict[str, Any]]
    engine: str
    provenance: dict[str, Any]


@dataclass
class SectionService:
    db: Database
    templates: Mapping[str, ReportTemplate]
    checker: Checker
    store: ChromaStore | None = None
    known_title: Callable[[str], bool] | None = None
    # The uploads' text kept between checks (issue 17); without it, read at every check.
    uploads: UploadTexts | None = None

    def edit(
        self,
        user: Principal,
        report_id: int,
        section_id: str,
        text: str,
        *,
        base_version: int | None = None,
    ) -> SavedPublic:
        """Save ``text`` as the section's next version, made from ``base_version`` (see
        :mod:`assistant.reports.concurrency`); the same text as the current one is not stored."""
        if len(text) > MAX_TEXT:
            raise Invalid(f"text: at most {MAX_TEXT} characters, got {len(text)}")
        with self.db.session() as s:
            report = writable_report(s, user, report_id)
            section = find_section(report, section_id)
            template = template_of(self.templates, report)
            sheet = sheet_of(report)
            previous = s.get(SectionVersion, section.current_version_id or 0)
            # Refused before the check runs: it is the slow part, and its result would be lost.
            # (The same words as the current version are no conflict: see ``commit``.)
            if previous is None or not identical(previous.text, text):
                check_base(section, previous, base_version)
        # The check runs outside the transaction: it reads the vector store, not the database.
        checked = self.check_text(
            report_id,
            text,
            sheet=sheet,
            genre=template.genre,
            previous=previous,
            heading=section.heading,
        )
        return self.commit(user, report_id, section_id, checked, kind="edit", base=base_version)

    def restore(
        self,
        user: Principal,
        report_id: int,
        section_id: str,
        version_id: int,
        *,
        base_version: int | None = None,
    ) -> SavedPublic:
        """An earlier version's text as a new version (kind ``restore``), checked again: the
        facts may have changed since it was written. Its citations and passages come with it."""
        with self.db.session() as s:
            report = writable_report(s, user, report_id)
            section = find_section(report, section_id)
            template = template_of(self.templates, report)
            sheet = sheet_of(report)
            old = s.scalar(
                select(SectionVersion).where(
                    SectionVersion.id == version_id, SectionVersion.section_pk == section.id
                )
            )
            if old is None:
                raise NotFound("这一部分没有这个版本，请刷新版本历史后再试")
            current = s.get(SectionVersion, section.current_version_id or 0)
            if current is None or not identical(current.text, old.text):
                check_base(section, current, base_version)
        label = f"恢复第{old.number}版（{engine_label(old)}）"
        kept = {k: v for k, v in old.provenance.items() if k not in ("based_on", "facts")}
        checked = self.check_text(
            report_id,
            old.text,
            sheet=sheet,
            genre=template.genre,
            previous=old,
            heading=section.heading,
            engine=old.engine or "human",
            provenance={
                **kept,
                "engine_label": label,
                "restored_from": {"version_id": old.id, "version": old.number},
            },
        )
        return self.commit(user, report_id, section_id, checked, kind="restore", base=base_version)

    def commit(
        self,
        user: Principal,
        report_id: int,
        section_id: str,
        checked: CheckedText,
        *,
        kind: str,
        base: int | None,
    ) -> SavedPublic:
        """Save a checked text under the report lock, unless its base went stale meanwhile or
        it says what the current version says (then nothing is stored: ``unchanged``)."""
        with self.db.session() as s:
            lock_report(s, report_id)
            report = writable_report(s, user, report_id)
            section = find_section(report, section_id)
            current = s.get(SectionVersion, section.current_version_id or 0)
            if current is not None and identical(current.text, checked.text):
                return _saved(current, checked, unchanged=True)
            check_base(section, current, base)
            version = self.save_checked(s, user, report, section, checked, kind=kind)
            return _saved(version, checked, unchanged=False)

    def check_text(
        self,
        report_id: int,
        text: str,
        *,
        sheet: FactSheet,
        genre: str,
        previous: SectionVersion | None,
        engine: str = "human",
        provenance: Mapping[str, Any] | None = None,
        heading: str = "",
    ) -> CheckedText:
        """A user's text as a version-to-be: typed markers read, other citations carried, checked.

        Shared by edits and Word imports (``engine="import"``), so both are checked alike.
        """
        citations, issues = [], []
        marked = text
        if MARKER.search(text):
            parsed = parse_citations(text, _fact_target(sheet))
            text = parsed.text
            citations = [c.public() for c in parsed.citations]
            issues = [i.public() for i in parsed.issues if i.rule != "CI002"]
        elif previous is not None:
            citations = carry_citations(previous.citations, text)
        uploads = (
            self.uploads.sources(report_id)
            if self.uploads is not None
            else upload_sources(self.store, report_id)
        )
        evidence = Evidence(facts=sheet, uploads=uploads, known_title=self.known_title)
        # Under its 一、 heading, a section's （一） is its first level, not a skipped one.
        result = self.checker.check(text, evidence=evidence, genre=genre, heading=heading)
        found = result.issues + check_marked(marked, evidence)  # typed markers vs their figures
        issues = sorted(issues + [i.public() for i in found], key=lambda i: (i["start"], i["rule"]))
        return CheckedText(
            text=text,
            citations=citations,
            issues=issues,
            engine=engine,
            provenance={
                "engine": engine,
                "engine_label": ENGINE_LABELS.get(engine, engine),
                "based_on": previous.id if previous is not None else None,
                "facts": [f.key for f in sheet.facts],
                **(provenance or {}),
            },
        )

    def save_checked(
        self,
        s: Session,
        user: Principal,
        report: Report,
        section: Section,
        checked: CheckedText,
        *,
        kind: str,
    ) -> SectionVersion:
        """Store a checked text as the section's new version, in the caller's transaction."""
        version = add_version(
            s,
            section,
            text=checked.text,
            kind=kind,
            author_id=user.id,
            engine=checked.engine,
            provenance=checked.provenance,
            citations=checked.citations,
            issues=checked.issues,
        )
        report.updated_at = now()
        return version

    def versions(
        self, user: Principal, report_id: int, section_id: str
    ) -> list[VersionHistoryPublic]:
        with self.db.session() as s:
            section = find_section(readable_report(s, user, report_id), section_id)
            return history(s, section)

    def version(
        self, user: Principal, report_id: int, section_id: str, version_id: int
    ) -> VersionFullPublic:
        with self.db.session() as s:
            section = find_section(readable_report(s, user, report_id), section_id)
            version = s.scalar(
                select(SectionVersion).where(
                    SectionVersion.id == version_id, SectionVersion.section_pk == section.id
                )
            )
            if version is None:
                raise NotFound("这一部分没有这个版本，请刷新版本历史后再试")
            return version_full(s, version)


def _saved(version: SectionVersion, checked: CheckedText, *, unchanged: bool) -> SavedPublic:
    summary = {**issues_summary(checked.issues), "characters": len(checked.text)}
    return SavedPublic(
        version_id=version.id,
        version=version.number,
        unchanged=unchanged,
        issues=checked.issues,
        summary=SavedSummaryPublic.model_validate(summary),
    )
