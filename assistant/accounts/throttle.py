"""Login back-off stored in the database, so every worker on it sees the same counts.

One row per key (``user:<name>`` or ``addr:<client>``): the failures in the current streak and
when the last one was counted. An attempt is *reserved* before the password is checked: one
conditional UPDATE adds it only if the key's back-off has passed, so of 30 simultaneous guesses
no more than the free ones get through (the old limiter checked first and counted after the
verification, when all 30 had already been let in). A success gives its reservation back.

The first ``free`` attempts of a streak go through at once; after that each further attempt
must wait ``2^k`` seconds (k = failures beyond the free ones), capped at ``cap_s``. The owner of
an account someone is guessing at therefore waits at most ``cap_s``, never a flat lock-out. A
streak is forgotten ``cap_s + forget_s`` after its last attempt; such rows are deleted now and
then.

One statement per key, which both SQLite and PostgreSQL run atomically: INSERT … ON CONFLICT DO
UPDATE … WHERE, the WHERE holding the whole decision (PostgreSQL re-checks it on the newest row
version after a concurrent update; SQLite serialises writers); no row returned means refused.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    case,
    delete,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from assistant.storage.db import Database
from assistant.storage.models import login_throttle

Clock = Callable[[], float]

_CLEAN_EVERY = 64  # reservations between deletions of forgotten rows (per process)


@dataclass(frozen=True)
class Backoff:
    """How many attempts of a streak are free, and the doubling wait after them."""

    free: int
    cap_s: float = 60.0
    forget_s: float = 900.0

    def delay_ms(self, failures: int) -> int:
        """Milliseconds an attempt must wait after the ``failures``-th counted one."""
        if failures < self.free:
            return 0
        return int(min(2.0 ** (failures - self.free), self.cap_s) * 1000)

    def delay_sql(self, failures: ColumnElement[int]) -> ColumnElement[int]:
        """:meth:`delay_ms` as a CASE expression: neither SQLite nor PostgreSQL needs POWER."""
        steps: list[tuple[ColumnElement[bool], int]] = [(failures < self.free, 0)]
        k = 0
        while 2.0**k < self.cap_s:
            steps.append((failures == self.free + k, int(2.0**k * 1000)))
            k += 1
        return case(*steps, else_=int(self.cap_s * 1000))

    @property
    def forget_ms(self) -> int:
        return int((self.cap_s + self.forget_s) * 1000)


@dataclass(frozen=True)
class Refused:
    """An attempt not allowed now: whole seconds until the next one is."""

    retry_after: int


def _upsert(dialect: str) -> Callable[[Table], Any]:
    if dialect == "postgresql":
        return postgresql.insert
    if dialect == "sqlite":
        return sqlite.insert
    raise RuntimeError(f"login throttle: unsupported database {dialect!r}")  # pragma: no cover


class _Rollback(Exception):
    """Leaves the transaction so that none of its reservations is kept."""


class LoginThrottle:
    """Reserve, give back and reset attempts for keys, each key with its own :class:`Backoff`."""

    def __init__(self, db: Database, clock: Clock = time.time) -> None:
        self.db = db
        self.clock = clock
        self._reservations = 0

    def _now_ms(self) -> int:
        return int(self.clock() * 1000)

    def reserve(self, keys: Sequence[tuple[str, Backoff]]) -> Refused | None:
        """Count one attempt against every key, or against none and say how long to wait."""
        now = self._now_ms()
        try:
            self._count(keys, now)
        except _Rollback:
            return Refused(self.wait(keys))
        self._reservations += 1
        if self._reservations % _CLEAN_EVERY == 0:
            self.forget_old(max(p.forget_ms for _, p in keys))
        return None

    def _count(self, keys: Sequence[tuple[str, Backoff]], now: int) -> None:
        c = login_throttle.c
        with self.db.session() as s:
            insert = _upsert(s.get_bind().dialect.name)
            # Always the same order (as given, user before address): concurrent transactions
            # lock the rows in one order and cannot deadlock on PostgreSQL. One statement per
            # key, so the write lock (SQLite's, for the whole file) is held as briefly as can be.
            for key, policy in keys:
                forgotten = c.last_ms <= now - policy.forget_ms
                # A free attempt is allowed whatever the clock says: a concurrent login may have
                # stamped the row a millisecond after this one read ``now``.
                allowed = or_(
                    forgotten,
                    c.failures < policy.free,
                    c.last_ms + policy.delay_sql(c.failures) <= now,
                )
                counted = s.execute(
                    insert(login_throttle)
                    .values(key=key, failures=1, last_ms=now)
                    .on_conflict_do_update(
                        index_elements=[c.key],
                        set_={
                            "failures": case((forgotten, 1), else_=c.failures + 1),
                            "last_ms": now,
                        },
                        where=allowed,
                    )
                    # RETURNING, not rowcount: psycopg reports -1 for an INSERT … ON CONFLICT
                    .returning(c.failures)
                )
                if counted.first() is None:
                    raise _Rollback  # none of the keys counts this attempt

    def wait(self, keys: Sequence[tuple[str, Backoff]]) -> int:
        """Whole seconds (at least 1) until every key allows an attempt."""
        now = self._now_ms()
        c = login_throttle.c
        waits = [0]
        with self.db.session() as s:
            for key, policy in keys:
                row = s.execute(select(c.failures, c.last_ms).where(c.key == key)).first()
                if row is not None and row.last_ms > now - policy.forget_ms:
                    waits.append(row.last_ms + policy.delay_ms(row.failures) - now)
        return max(1, math.ceil(max(waits) / 1000))

    def give_back(self, keys: Sequence[str]) -> None:
        """Undo a reservation whose password was never judged wrong (success, or no capacity)."""
        c = login_throttle.c
        with self.db.session() as s:
            for key in keys:
                s.execute(
                    update(login_throttle)
                    .where(and_(c.key == key, c.failures > 0))
                    .values(failures=c.failures - 1)
                )

    def succeeded(self, ended: str, given_back: Sequence[str]) -> None:
        """A right password: ``ended``'s streak is over (its owner proved who they are) and the
        reservation is given back to ``given_back``, whose other failures stay."""
        with self.db.session() as s:
            s.execute(delete(login_throttle).where(login_throttle.c.key == ended))
        self.give_back(given_back)

    def failures(self, key: str) -> int:
        """The key's current streak (0 when none): for tests and the admin's eyes."""
        c = login_throttle.c
        with self.db.session() as s:
            return int(s.scalar(select(c.failures).where(c.key == key)) or 0)

    def forget_old(self, forget_ms: int) -> int:
        """Delete rows whose streak is over, so a spray of made-up names leaves nothing behind."""
        cutoff = self._now_ms() - forget_ms
        with self.db.session() as s:
            result = s.execute(delete(login_throttle).where(login_throttle.c.last_ms < cutoff))
            return int(result.rowcount)  # type: ignore[attr-defined]
