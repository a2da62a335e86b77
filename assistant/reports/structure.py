"""A report's own structure: the numbered parts (一、二、…) its drafter adds, removes, renames and
reorders.

A report starts with its template's sections (:mod:`assistant.reports.service`); from then on its
rows say what it is made of. :func:`report_template` turns the rows into the template every stage
reads through :func:`assistant.reports.sections.template_of` — drafting, the outline's fact
placement, the chat's section names, the checks — and the export and the Word round trip read the
rows in order, so no stage needs to know the structure was changed.

Rules (the form of a 公文): only numbered parts change; the unnumbered ones (标题, 称谓, 开头,
总体情况, 结束语) keep their place. At least one numbered part remains and at most ten (一 … 十).
After every change the headings are numbered again by position (:func:`renumber`).

Ids: an added part is ``added_<kind>_<n>``, ``n`` its row's id, which the database never hands out
twice (``NEVER_REUSE_IDS``): a new part never takes over a removed one's id, and with it its
drafts, versions, reviews or audit entries. Its kind (主要工作, 存在的问题, 下步工作打算) is part of
the id because it decides which facts placement gives it, and it does not change.

A removed part stays as a row with status ``removed`` (its versions and decisions remain what the
audit log names) but leaves ``Report.sections``; a stale client naming it is refused with 409
``section_removed`` (:func:`missing_section`).

Concurrency: each change names the structure it was made from (:func:`structure_etag`, a hash of
the ids and headings in order, read from ``GET …/structure`` or the report's ``structure_etag``);
it runs under the report lock (:func:`assistant.reports.concurrency.lock_report`), the writer's
rights are checked inside that transaction, and a stale etag is 409 ``stale_structure``. Every
change is written to the audit log.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from assistant.accounts.service import Principal
from assistant.drafting.templates import ReportTemplate, SectionSpec
from assistant.errors import (
    Invalid,
    SectionMissing,
    SectionRemoved,
    StaleStructure,
    StructureError,
    StructureRule,
)
from assistant.reports.access import readable_report, writable_report
from assistant.reports.concurrency import lock_report
from assistant.reports.public import KindPublic, StructurePartPublic, StructurePublic
from assistant.storage.audit import record
from assistant.storage.db import Database
from assistant.storage.models import Report, Section, now

REMOVED = "removed"  # a section's status once it left the report
MAX_NUMBERED = 10  # 一 … 十: the numbers the headings are written with
MAX_HEADING = 120
CN = "一二三四五六七八九十"
KINDS = {"body": "主要工作", "problems": "存在的问题", "plans": "下步工作打算"}
FIXED = "标题、称谓、开头、总体情况和结束语是公文的固定部分，不能删除、改名或移动"
_ADDED = re.compile(r"^added_(body|problems|plans)_\d+$")
_NUMBER = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*")
# What an added part is for, by kind: the writer's brief and which facts placement sends there.
_PURPOSE = {
    "body": ("主要工作：{heading}", "分层写做法、数据和成效，数据只用事实表中的", (300, 800), []),
    "problems": ("存在的问题：{heading}", "问题要具体，写明表现和原因", (120, 400), ["problem"]),
    "plans": ("下步工作打算：{heading}", "分条写下步打算，要具体、可操作", (150, 500), ["plan"]),
}


def bare_heading(heading: str) -> str:
    """The heading without its 一、 number (the user may type one; the position decides it)."""
    return _NUMBER.sub("", heading).strip()


def renumber(parts: Sequence[tuple[bool, str]]) -> list[str]:
    """(numbered, heading) in order → the headings, the numbered ones 一、二、… by position."""
    out, n = [], 0
    for numbered, heading in parts:
        if numbered:
            n += 1
            out.append(f"{CN[n - 1]}、{bare_heading(heading)}")
        else:
            out.append(heading)
    return out


def added_spec(section_id: str, heading: str) -> SectionSpec | None:
    """The spec of a part a user added (None for any other id)."""
    m = _ADDED.match(section_id)
    if m is None:
        return None
    kind = m.group(1)
    purpose, guidance, length, takes = _PURPOSE[kind]
    text = bare_heading(heading) or KINDS[kind]
    return SectionSpec.model_validate(
        {
            "id": section_id,
            "kind": kind,
            "heading": text,
            "numbered": True,
            "purpose": purpose.format(heading=text),
            "guidance": guidance,
            "length": length,
            "takes": takes,
        }
    )


def template_of(templates: Mapping[str, ReportTemplate], report: Report) -> ReportTemplate:
    """The report's template as the report is built: its sections added, removed or reordered
    by the user (this module); every stage reads the structure here."""
    template = templates.get(report.template)
    if template is None:
        raise Invalid(f"the report's template {report.template!r} is no longer installed")
    return report_template(template, report)


def report_template(template: ReportTemplate, report: Report) -> ReportTemplate:
    """The template as this report is built: its live sections in their order, added parts in."""
    by_id = {s.id: s for s in template.sections}
    specs = []
    for row in report.sections:
        spec = by_id.get(row.section_id) or added_spec(row.section_id, row.heading)
        if spec is not None:
            specs.append(spec)
    if not specs or [s.id for s in specs] == list(by_id):
        return template  # as made from the template (or no rows yet): nothing to change
    return template.model_copy(update={"sections": specs})


def structure_etag(report: Report) -> str:
    """What the structure is now, as a short hash of the live sections' ids and headings."""
    parts = [[x.section_id, x.heading] for x in report.sections]
    digest = hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()[:16]


def parse_etag(value: str | None) -> str | None:
    """``"ab12…"``, ``W/"ab12…"`` or ``ab12…`` → ``ab12…``; None or ``*`` → None."""
    if value is None:
        return None
    text = value.strip().removeprefix("W/").strip('"').strip()
    return None if text in ("", "*") else text


def missing_section(s: Session, report: Report, section_id: str) -> StructureError:
    """Why the report has no live section ``section_id``: removed (409) or never there (404)."""
    row = s.scalar(
        select(Section).where(Section.report_id == report.id, Section.section_id == section_id)
    )
    if row is not None and row.status == REMOVED:
        name = bare_heading(row.heading) or KINDS.get(row.section_id, "")
        said = f"“{name}”这一部分" if name else "这一部分"
        return SectionRemoved(f"{said}已从报告中删除，请刷新页面后再操作")
    return SectionMissing(f"报告中没有“{section_id}”这一部分，请刷新页面后再操作")


def missing_in(report: Report, section_id: str) -> StructureError:
    """:func:`missing_section` for a report read in a session (the session it came from)."""
    s = object_session(report)
    if s is None:  # a detached report: nothing to ask, so say it is not there
        return SectionMissing(f"报告中没有“{section_id}”这一部分，请刷新页面后再操作")
    return missing_section(s, report, section_id)


def _public(report: Report, template: ReportTemplate) -> StructurePublic:
    specs = {s.id: s for s in template.sections}
    sections = []
    for row in report.sections:
        spec = specs.get(row.section_id)
        sections.append(
            StructurePartPublic(
                id=row.section_id,
                heading=row.heading,
                kind=spec.kind if spec else "",
                numbered=bool(spec and spec.numbered),
                added=_ADDED.match(row.section_id) is not None,
                status=row.status,
            )
        )
    return StructurePublic(
        etag=structure_etag(report),
        sections=sections,
        kinds=[KindPublic(kind=k, label=v) for k, v in KINDS.items()],
        max_numbered=MAX_NUMBERED,
    )


def _heading(text: str) -> str:
    bare = bare_heading(text or "")
    if not bare:
        raise StructureRule("请填写这一部分的标题")
    if len(bare) > MAX_HEADING or "\n" in bare:
        raise StructureRule(f"标题最多 {MAX_HEADING} 个字，且不能换行，请删减后再保存")
    return bare


@dataclass
class _Change:
    s: Session
    report: Report
    template: ReportTemplate  # as the report is built before the change
    live: list[Section]

    def numbered(self) -> list[Section]:
        ids = {x.id for x in self.template.sections if x.numbered}
        return [row for row in self.live if row.section_id in ids]

    def section(self, section_id: str) -> Section:
        row = next((x for x in self.live if x.section_id == section_id), None)
        if row is None:
            raise missing_section(self.s, self.report, section_id)
        if row not in self.numbered():
            raise StructureRule(FIXED)
        return row


def _default_place(c: _Change, kind: str) -> int:
    """Where a part goes when the user names no place: a 主要工作 part after the last 主要工作 one
    (not after 存在的问题 or 下步工作打算, which close a 公文's numbered parts; first if there is
    none), a problems or plans part at the end."""
    numbered = c.numbered()
    if kind != "body":
        return len(numbered)
    kinds = {x.id: x.kind for x in c.template.sections}
    bodies = [i for i, row in enumerate(numbered) if kinds.get(row.section_id) == "body"]
    return bodies[-1] + 1 if bodies else 0


@dataclass
class StructureService:
    db: Database
    templates: Mapping[str, ReportTemplate]

    def get(self, user: Principal, report_id: int) -> StructurePublic:
        with self.db.session() as s:
            report = readable_report(s, user, report_id)
            return _public(report, self._template(report))

    def add(
        self,
        user: Principal,
        report_id: int,
        *,
        heading: str,
        kind: str = "body",
        position: int | None = None,
        expected: str | None,
    ) -> StructurePublic:
        """A new numbered part, at ``position`` among the numbered ones (None: where its kind
        goes, :func:`_default_place`)."""
        if kind not in KINDS:
            raise StructureRule("类型只能是：" + "、".join(KINDS.values()))
        text = _heading(heading)
        with self._change(user, report_id, expected) as c:
            numbered = c.numbered()
            if len(numbered) >= MAX_NUMBERED:
                raise StructureRule(f"带序号的部分最多 {MAX_NUMBERED} 个，请先合并或删除一部分")
            given = None if position is None else max(0, min(position, len(numbered)))
            at = _default_place(c, kind) if given is None else given
            where = (
                c.live.index(numbered[at]) if at < len(numbered) else c.live.index(numbered[-1]) + 1
            )
            # The id needs the row's own id: insert under a throwaway one, then name it.
            row = Section(
                report_id=c.report.id,
                section_id=f"new_{secrets.token_hex(8)}",
                ord=len(c.live),
                heading=text,
                status="empty",
            )
            c.s.add(row)
            c.s.flush()
            row.section_id = f"added_{kind}_{row.id}"
            order = [*c.live[:where], row, *c.live[where:]]
            self._settle(c, order, {*{x.section_id for x in numbered}, row.section_id})
            detail = {"section": row.section_id, "heading": row.heading, "kind": kind}
            return self._done(c, user, "section.add", detail)

    def remove(
        self, user: Principal, report_id: int, section_id: str, *, expected: str | None
    ) -> StructurePublic:
        """The part leaves the report (its versions stay for the audit log, under its own id)."""
        with self._change(user, report_id, expected) as c:
            row = c.section(section_id)
            if len(c.numbered()) <= 1:
                raise StructureRule("报告至少要保留一个带序号的部分")
            row.status = REMOVED
            outline = c.report.outline
            if outline and isinstance(outline.get("sections"), list):
                # The user's facts moved into it are placed again, not kept for a part now gone.
                kept = [i for i in outline["sections"] if i.get("id") != section_id]
                c.report.outline = {**outline, "sections": kept}
            rest = [x for x in c.live if x is not row]
            self._settle(c, rest, {x.section_id for x in c.numbered() if x is not row})
            detail = {
                "section": section_id,
                "heading": row.heading,
                "had_text": row.current_version_id is not None,
            }
            return self._done(c, user, "section.remove", detail)

    def rename(
        self,
        user: Principal,
        report_id: int,
        section_id: str,
        *,
        heading: str,
        expected: str | None,
    ) -> StructurePublic:
        text = _heading(heading)
        with self._change(user, report_id, expected) as c:
            row = c.section(section_id)
            before = row.heading
            row.heading = text
            self._settle(c, c.live, {x.section_id for x in c.numbered()})
            detail = {"section": section_id, "from": before, "heading": row.heading}
            return self._done(c, user, "section.rename", detail)

    def reorder(
        self, user: Principal, report_id: int, order: list[str], *, expected: str | None
    ) -> StructurePublic:
        """``order``: every numbered part's id, in the new order; the others stay in place."""
        with self._change(user, report_id, expected) as c:
            numbered = c.numbered()
            ids = [x.section_id for x in numbered]
            if sorted(order) != sorted(ids) or len(set(order)) != len(order):
                raise StructureRule("新的顺序要列出全部带序号的部分，每个一次；请刷新页面后再排")
            by_id = {x.section_id: x for x in numbered}
            queue = iter(by_id[sid] for sid in order)
            slots = set(ids)
            new = [next(queue) if x.section_id in slots else x for x in c.live]
            self._settle(c, new, slots)
            detail = {"from": ids, "to": list(order)}
            return self._done(c, user, "section.reorder", detail)

    # -- the steps every change shares ------------------------------------------------------

    def _template(self, report: Report) -> ReportTemplate:
        return template_of(self.templates, report)

    @contextmanager
    def _change(self, user: Principal, report_id: int, expected: str | None) -> Iterator[_Change]:
        if expected is None:
            raise StaleStructure("请刷新页面后再调整结构（请求中缺少结构版本）")
        with self.db.session() as s:
            lock_report(s, report_id)  # first: see assistant.reports.concurrency
            report = writable_report(s, user, report_id)  # rights checked in this transaction
            if structure_etag(report) != expected:
                raise StaleStructure("报告的结构刚被他人调整过，请刷新页面查看后再改")
            yield _Change(s, report, self._template(report), list(report.sections))

    @staticmethod
    def _settle(c: _Change, order: list[Section], numbered: set[str]) -> None:
        """Store the new order and number the headings by it."""
        headings = renumber([(x.section_id in numbered, x.heading) for x in order])
        for i, (row, heading) in enumerate(zip(order, headings, strict=True)):
            row.ord = i
            row.heading = heading
        c.report.updated_at = now()
        c.s.flush()
        c.s.expire(c.report, ["sections"])  # read again: the removed part leaves the list

    def _done(
        self, c: _Change, user: Principal, action: str, detail: dict[str, Any]
    ) -> StructurePublic:
        after = _public(c.report, self._template(c.report))
        record(
            c.s,
            user_id=user.id,
            action=action,
            object_type="report",
            object_id=c.report.id,
            # report_id: the audit list names the part by its heading (assistant/api/audit_query)
            detail={
                **detail,
                "report_id": c.report.id,
                "sections": [x.id for x in after.sections],
            },
        )
        return after
