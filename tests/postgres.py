"""A throwaway PostgreSQL cluster for the tests: one per session, a fresh database per test.

``initdb`` into a temporary directory, ``pg_ctl start`` on a free port of 127.0.0.1 (socket in
the same directory; nothing system-wide is touched), scram-sha-256 password authentication, and
``pg_ctl stop -m fast`` at the end. PostgreSQL refuses to run as root: as root the cluster runs
as the ``postgres`` system user (``runuser``), which the Debian package creates.

The binaries are found on PATH or under Debian's ``/usr/lib/postgresql/<version>/bin``. Without
them the PostgreSQL tests are skipped, except in CI (``CI=true``), where they fail: CI installs
PostgreSQL (``.ci/run``) and must run them.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import psycopg
import pytest
from psycopg import sql

SUPERUSER = "postgres"
APP_USER = "assistant"
PREFIX = "assistant-pg-"  # temporary directories of the clusters, in the system's temp dir
OWNER = "owner.pid"  # the test process a cluster belongs to: when it is gone, so is the need
TIMEOUT = 60  # seconds for initdb, start and stop: each is bounded
# Durability is worthless in a throwaway cluster; without it CREATE DATABASE and commits are fast.
SERVER_OPTIONS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


def find_bin_dir() -> Path | None:
    """The directory holding initdb and pg_ctl: PATH first, then the newest Debian version."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl and Path(initdb).parent == Path(pg_ctl).parent:
        return Path(initdb).parent
    candidates = [d for d in Path("/usr/lib/postgresql").glob("*/bin") if (d / "initdb").is_file()]

    def version(d: Path) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", d.parent.name)) or (0,)

    return max(candidates, key=version, default=None)


def unavailable(reason: str) -> NoReturn:
    """Skip the PostgreSQL tests, or fail them in CI, where they must run."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(
            f"{reason}; CI must run the PostgreSQL tests (.ci/run installs postgresql)",
            pytrace=False,
        )
    pytest.skip(f"{reason}: PostgreSQL tests skipped")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """A running cluster: its superuser connection makes and drops the per-test databases."""

    bin_dir: Path
    root: Path
    port: int = 0
    password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    run_as: list[str] = field(default_factory=list)
    _admin: psycopg.Connection[tuple[object, ...]] | None = None
    _numbers: Iterator[int] = field(default_factory=itertools.count)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def url(self, database: str, user: str = APP_USER, password: str | None = None) -> str:
        password = self.password if password is None else password
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        cmd = [*self.run_as, str(self.bin_dir / args[0]), *args[1:]]
        result = subprocess.run(
            cmd, cwd=self.root, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(
                f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}{result.stderr}{log}"
            )

    def init(self) -> None:
        pwfile = self.root / "pwfile"
        pwfile.write_text(self.password + "\n")
        self._chown(pwfile)
        self._run(
            "initdb",
            "-D", str(self.data),
            "-U", SUPERUSER,
            "--pwfile", str(pwfile),
            "--auth-local=scram-sha-256",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )  # fmt: skip
        pwfile.unlink()

    def start(self, attempts: int = 3) -> None:
        """Start on a free port (another process may take it first: then try another)."""
        for attempt in range(attempts):
            self.port = free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} {SERVER_OPTIONS}"
            )
            try:
                self._run(
                    "pg_ctl", "start", "-D", str(self.data), "-l", str(self.log),
                    "-w", "-t", str(TIMEOUT), "-o", options,
                )  # fmt: skip
                break
            except RuntimeError:
                if attempt == attempts - 1:
                    raise
        self._admin = psycopg.connect(
            self.url("postgres", SUPERUSER), autocommit=True, connect_timeout=10
        )
        self._admin.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(APP_USER), sql.Literal(self.password)
            )
        )

    def stop(self) -> None:
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if (self.data / "postmaster.pid").exists():
            self._run(
                "pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w", "-t", str(TIMEOUT)
            )

    def create_database(self) -> str:
        """A new empty database owned by the application user; returns its name."""
        assert self._admin is not None, "cluster not started"
        name = f"test_{next(self._numbers)}"
        self._admin.execute(
            sql.SQL("CREATE DATABASE {} OWNER {} TEMPLATE template0").format(
                sql.Identifier(name), sql.Identifier(APP_USER)
            )
        )
        return name

    def drop_database(self, name: str) -> None:
        assert self._admin is not None, "cluster not started"
        self._admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )

    def _chown(self, path: Path) -> None:
        if self.run_as:
            shutil.chown(path, user="postgres", group=pwd.getpwnam("postgres").pw_gid)


def _run_as_postgres() -> list[str]:
    """The command prefix that runs a binary as ``postgres`` (we are root)."""
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        unavailable("running as root and there is no 'postgres' user to run PostgreSQL as")
    if runuser := shutil.which("runuser"):
        return [runuser, "-u", "postgres", "--"]
    unavailable("running as root and 'runuser' is missing, so PostgreSQL cannot be started")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _pid_in(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def reap_stale_clusters(bin_dir: Path, run_as: list[str]) -> None:
    """Stop and remove the clusters of test sessions that died without cleaning up (killed)."""
    for root in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        owner = _pid_in(root / OWNER)
        if owner is None or _alive(owner):
            continue  # another live session's, or not ours to judge
        cluster = Cluster(bin_dir=bin_dir, root=root, run_as=run_as)
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            cluster.stop()
        server = _pid_in(cluster.data / "postmaster.pid")
        if server is None or not _alive(server):
            shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """A PostgreSQL server on 127.0.0.1 for the whole session, removed afterwards."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        unavailable(
            "PostgreSQL binaries (initdb, pg_ctl) not found on PATH "
            "or under /usr/lib/postgresql/*/bin"
        )
    run_as = _run_as_postgres() if os.geteuid() == 0 else []
    reap_stale_clusters(bin_dir, run_as)
    # Not under pytest's base temp: that is private to this user, and the server may be another.
    root = Path(tempfile.mkdtemp(prefix=PREFIX))
    (root / OWNER).write_text(f"{os.getpid()}\n")
    cluster = Cluster(bin_dir=bin_dir, root=root, run_as=run_as)
    try:
        cluster._chown(root)
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        try:
            cluster.stop()
        finally:
            shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_cluster: Cluster) -> Iterator[str]:
    """``postgresql://assistant:…@127.0.0.1:PORT/test_N``: a fresh, empty database per test."""
    name = postgres_cluster.create_database()
    yield postgres_cluster.url(name)
    postgres_cluster.drop_database(name)
