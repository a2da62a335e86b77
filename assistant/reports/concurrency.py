"""Optimistic concurrency for section versions: each change names its base; one writer at a time.

An edit, a Word import, a draft or a restore is made from the version the user saw (its number,
``base_version``, or ``If-Match: "3"``). The save runs under a lock on the report's row, taken by
the transaction's *first* statement: on PostgreSQL the UPDATE holds the row until commit (what
``SELECT … FOR UPDATE`` would do), on SQLite it takes the database's write lock before anything is
read, so what follows reads the latest state and no snapshot can go stale. Under the lock a stale
base is refused with the current number (:class:`StaleBase`, 409) and the next version number is
taken without a race, across threads and across workers sharing the database.

A missing base is accepted (scripts written before bases existed): that change wins, as before.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from assistant import errors
from assistant.errors import Invalid
from assistant.storage.models import Report, Section, SectionVersion

# Kinds of version a person made: a redraft would throw their work away, so it asks first.
HUMAN_KINDS = {"edit": "人工修改的", "import": "从Word导入的", "restore": "恢复的"}
_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


class SectionConflict(errors.Conflict):
    """A change that cannot be applied to the section as it now is (→ 409 with a JSON detail)."""

    def detail(self) -> dict[str, Any]:
        return {"message": str(self)}

    def public(self) -> dict[str, Any]:
        return self.detail()


class StaleBase(SectionConflict, code="stale_base"):
    """The change was made from a version that is no longer current."""

    def __init__(
        self, section_id: str, *, base: int | None, current: SectionVersion | None
    ) -> None:
        self.section_id = section_id
        self.base = base
        self.current = current.number if current is not None else 0
        self.current_id = current.id if current is not None else None
        super().__init__(f"该部分已被他人修改（当前第{self.current}版），请刷新后再改")

    def detail(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": str(self),
            "section": self.section_id,
            "base_version": self.base,
            "current_version": self.current,
            "current_version_id": self.current_id,
        }


class OverwriteNeeded(SectionConflict, code="confirm_overwrite"):
    """A redraft would replace a person's work or an approved text: the user must say so."""

    def __init__(self, sections: list[dict[str, Any]]) -> None:
        self.sections = sections
        what = "；".join(s["reason"] for s in sections)
        super().__init__(
            f"{what}。重新起草会生成新版本并取代它（旧版本仍可恢复）；"
            "确认要重写请再次提交并带上 overwrite: true"
        )

    def detail(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self), "sections": self.sections}


def lock_report(s: Session, report_id: int) -> None:
    """Serialise version writes on one report; must be the transaction's first statement.

    Setting a column to itself changes nothing, but it is a write: see the module docstring.
    """
    s.execute(
        update(Report).where(Report.id == report_id).values(updated_at=Report.updated_at),
        execution_options={"synchronize_session": False},
    )


def check_base(section: Section, current: SectionVersion | None, base: int | None) -> None:
    """Refuse a change made from another version than the current one (``0``: none yet)."""
    if base is not None and base != (current.number if current is not None else 0):
        raise StaleBase(section.section_id, base=base, current=current)


def protected(section: Section, current: SectionVersion | None) -> str | None:
    """Why redrafting this section would destroy work, in words for the user, or ``None``."""
    if current is None:
        return None
    if section.approved_version_id == current.id:
        return f"“{section.heading or section.section_id}”的第{current.number}版已经审核通过"
    if current.kind in HUMAN_KINDS:
        return (
            f"“{section.heading or section.section_id}”当前第{current.number}版"
            f"是{HUMAN_KINDS[current.kind]}文本"
        )
    return None


def parse_if_match(value: str | None) -> int | None:
    """``If-Match: "3"`` (or ``W/"3"``, ``3``) → 3; ``*`` or no header → no base."""
    if value is None or value.strip() in ("", "*"):
        return None
    m = _IF_MATCH.match(value)
    if m is None:
        raise Invalid(f'If-Match: a version number such as "3", got {value[:40]!r}')
    return int(m.group(1))


def resolve_base(body: int | None, if_match: str | None) -> int | None:
    """The base a request names, in its body or its ``If-Match`` header (they must agree)."""
    header = parse_if_match(if_match)
    if body is not None and header is not None and body != header:
        raise Invalid(f"base_version {body} and If-Match {header} disagree")
    return body if body is not None else header


def etag(number: int) -> str:
    return f'"{number}"'
