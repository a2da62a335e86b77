"""Reports: creating one from a fact sheet, listing and reading them, reviewers and facts.

A report is made from a template: one section per template section, empty until drafted. Every
read and write goes through :mod:`assistant.reports.access`, so a report the user may not see
is a 404 here as everywhere. Methods return the typed shapes of :mod:`assistant.reports.public`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from assistant.accounts.service import Principal
from assistant.drafting.headings import propose_headings
from assistant.drafting.templates import ReportTemplate
from assistant.reports.access import readable_report, report_kb, reviewer_ids, writable_report
from assistant.reports.facts import (
    Invalid,
    confirmed_rows,
    fact_public,
    meta_of,
    parse_sheet,
)
from assistant.reports.public import (
    CurrentVersionPublic,
    FactsPublic,
    ReportBriefPublic,
    ReportPublic,
    ReviewerPublic,
    SectionCountsPublic,
    SectionPublic,
    TemplatePublic,
    TemplateSectionPublic,
)
from assistant.reports.structure import structure_etag
from assistant.reports.versions import engine_label, iso, summary_public, usernames
from assistant.storage.audit import record
from assistant.storage.db import Database
from assistant.storage.models import (
    FactRow,
    Report,
    ReportReviewer,
    Section,
    SectionVersion,
    User,
    now,
)

REVIEWER_ROLES = ("reviewer", "admin")
ROLE_NAMES = {"drafter": "起草人", "reviewer": "审核人", "admin": "管理员"}


def template_public(t: ReportTemplate) -> TemplatePublic:
    return TemplatePublic(
        name=t.name,
        genre=t.genre,
        description=t.description,
        sections=[
            TemplateSectionPublic(
                id=s.id, kind=s.kind, heading=t.numbered_heading(s.id), length=list(s.length)
            )
            for s in t.sections
        ],
    )


def _section_public(section: Section, version: SectionVersion | None) -> SectionPublic:
    current = None
    if version is not None:
        current = CurrentVersionPublic(
            id=version.id,
            version=version.number,
            kind=version.kind,
            engine=version.engine,
            engine_label=engine_label(version),
            text=version.text,
            issues_summary=summary_public(version.issues),
            created_at=iso(version.created_at),
        )
    return SectionPublic(
        id=section.section_id,
        heading=section.heading,
        status=section.status,
        current_version=current,
        approved_version_id=section.approved_version_id,
    )


def report_public(s: Session, report: Report) -> ReportPublic:
    reviewers = reviewer_ids(s, report.id)
    names = usernames(s, {report.owner_id, *reviewers})
    current_ids = [x.current_version_id for x in report.sections if x.current_version_id]
    versions = {
        v.id: v
        for v in (
            s.scalars(select(SectionVersion).where(SectionVersion.id.in_(current_ids)))
            if current_ids
            else []
        )
    }
    return ReportPublic(
        id=report.id,
        template=report.template,
        title=report.title,
        owner=names.get(report.owner_id, ""),
        meta=report.meta,
        facts=[fact_public(f) for f in report.facts if f.status == "confirmed"],
        reviewers=sorted(names[r] for r in reviewers if r in names),
        sections=[
            _section_public(x, versions.get(x.current_version_id or 0)) for x in report.sections
        ],
        structure_etag=structure_etag(report),
        created_at=iso(report.created_at),
        updated_at=iso(report.updated_at),
    )


def _reviewer_users(s: Session, names: list[str]) -> list[User]:
    users = []
    for i, name in enumerate(dict.fromkeys(names)):
        user = s.scalar(select(User).where(User.username == name))
        if user is None or user.disabled:
            raise Invalid(f"reviewers[{i}]：没有用户“{name}”（或已停用），请从审核人名单中选择")
        if user.role not in REVIEWER_ROLES:
            raise Invalid(
                f"reviewers[{i}]：“{name}”是{ROLE_NAMES.get(user.role, user.role)}，"
                "审核人须是审核人或管理员"
            )
        users.append(user)
    return users


def _reviewer_names(data: dict[str, Any]) -> list[str]:
    names = data.get("reviewers", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise Invalid("reviewers: expected a list of usernames")
    return names


@dataclass
class ReportService:
    db: Database
    templates: Mapping[str, ReportTemplate]

    def template_list(self) -> list[TemplatePublic]:
        return [template_public(t) for t in self.templates.values()]

    def reviewer_list(self, user: Principal) -> list[ReviewerPublic]:
        """Who the form offers as a report's reviewer: active users of the reviewer role (an
        admin may still be named through the API, but is not offered as one)."""
        with self.db.session() as s:
            rows = s.scalars(
                select(User)
                .where(User.role == "reviewer", User.disabled.is_(False))
                .order_by(User.username)
            )
            return [ReviewerPublic(username=u.username, role=u.role) for u in rows]

    def create(self, user: Principal, data: Any) -> ReportPublic:
        sheet = parse_sheet(data, self.templates)
        reviewers = _reviewer_names(data)
        template = self.templates[sheet.report.template or ""]
        with self.db.session() as s:
            reviewer_users = _reviewer_users(s, reviewers)
            report = Report(
                owner_id=user.id,
                template=template.name,
                title=sheet.report.title or "",
                meta=meta_of(sheet),
            )
            s.add(report)
            s.flush()
            report.facts = confirmed_rows(report.id, sheet.facts)
            headings = propose_headings(template, sheet)
            report.sections = [
                Section(
                    report_id=report.id,
                    section_id=spec.id,
                    ord=i,
                    heading=headings[spec.id],
                    status="empty",
                )
                for i, spec in enumerate(template.sections)
            ]
            s.add_all(ReportReviewer(report_id=report.id, user_id=u.id) for u in reviewer_users)
            _audit(s, user, "create", report, {"template": template.name})
            s.flush()
            return report_public(s, report)

    def list_reports(self, user: Principal) -> list[ReportBriefPublic]:
        with self.db.session() as s:
            query = select(Report).order_by(Report.updated_at.desc(), Report.id.desc())
            if not user.is_admin:
                assigned = select(ReportReviewer.report_id).where(ReportReviewer.user_id == user.id)
                query = query.where(or_(Report.owner_id == user.id, Report.id.in_(assigned)))
            reports = list(s.scalars(query))
            owners = usernames(s, {r.owner_id for r in reports})
            return [
                ReportBriefPublic(
                    id=r.id,
                    template=r.template,
                    title=r.title,
                    owner=owners.get(r.owner_id, ""),
                    sections=SectionCountsPublic(
                        total=len(r.sections),
                        drafted=sum(x.current_version_id is not None for x in r.sections),
                        approved=sum(x.approved_version_id is not None for x in r.sections),
                    ),
                    created_at=iso(r.created_at),
                    updated_at=iso(r.updated_at),
                )
                for r in reports
            ]

    def get(self, user: Principal, report_id: int) -> ReportPublic:
        with self.db.session() as s:
            return report_public(s, readable_report(s, user, report_id))

    def delete(
        self, user: Principal, report_id: int, *, drop_uploads: Callable[[str], None]
    ) -> None:
        """Delete a report with everything it owns; the audit log keeps a record of it."""
        with self.db.session() as s:
            report = writable_report(s, user, report_id)
            title = report.title
        # Uploads first: a new report may get this id again and must not inherit its chunks.
        drop_uploads(report_kb(report_id))
        with self.db.session() as s:
            report = writable_report(s, user, report_id)
            _audit(s, user, "report.delete", report, {"title": title})
            s.delete(report)

    def set_reviewers(self, user: Principal, report_id: int, names: list[str]) -> ReportPublic:
        with self.db.session() as s:
            report = writable_report(s, user, report_id)
            users = _reviewer_users(s, names)
            s.execute(delete(ReportReviewer).where(ReportReviewer.report_id == report.id))
            s.add_all(ReportReviewer(report_id=report.id, user_id=u.id) for u in users)
            _audit(s, user, "reviewers", report, {"reviewers": [u.username for u in users]})
            report.updated_at = now()
            s.flush()
            return report_public(s, report)

    def replace_facts(self, user: Principal, report_id: int, data: Any) -> FactsPublic:
        """Replace the confirmed facts (and the meta, when ``report`` is sent); proposals stay."""
        with self.db.session() as s:
            report = writable_report(s, user, report_id)
            if isinstance(data, dict) and "report" not in data:
                data = {**data, "report": report.meta}
            sheet = parse_sheet(data, self.templates, template=report.template)
            for row in [r for r in report.facts if r.status == "confirmed"]:
                report.facts.remove(row)
            s.flush()  # the old keys go before the new ones arrive (unique per status)
            report.facts.extend(confirmed_rows(report.id, sheet.facts))
            report.meta = meta_of(sheet)
            report.title = sheet.report.title or ""
            report.updated_at = now()
            _audit(s, user, "facts", report, {"facts": len(sheet.facts)})
            s.flush()
            return self._facts(report)

    def facts(self, user: Principal, report_id: int) -> FactsPublic:
        with self.db.session() as s:
            return self._facts(readable_report(s, user, report_id))

    @staticmethod
    def _facts(report: Report) -> FactsPublic:
        rows: list[FactRow] = list(report.facts)
        return FactsPublic(
            report=report.meta,
            confirmed=[fact_public(r) for r in rows if r.status == "confirmed"],
            proposed=[fact_public(r) for r in rows if r.status == "proposed"],
        )


def _audit(
    s: Session, user: Principal, action: str, report: Report, detail: dict[str, Any]
) -> None:
    record(
        s, user_id=user.id, action=action, object_type="report", object_id=report.id, detail=detail
    )
