"""A throwaway PostgreSQL cluster for tests: one per test session, a fresh database per test.

The team workbench is tested against a real server, never a mock. :class:`Cluster` runs ``initdb``
into a temporary folder (mode 755, owned by ``postgres`` when the tests run as root — ``initdb``
refuses to run as root and fails silently in a 700 folder it cannot enter), starts the server on a
Unix socket in that folder only (no TCP), with a random port number and a SCRAM password, and
removes everything at the end. When PostgreSQL is not installed the fixture FAILS with the command
that installs it: team tests are never silently skipped.

Use it from a ``conftest.py``::

    from tests.pg import pg_cluster, pg_db  # noqa: F401  (fixtures)
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

#: Where Debian puts each major version's server programs.
DEBIAN_ROOT = Path("/usr/lib/postgresql")
INSTALL_HINT = "install it with: apt-get install -y postgresql (or set PG_BIN to its bin folder)"


def find_bindir() -> Path | None:
    """The newest installed server's ``bin`` folder (``PG_BIN`` overrides), or None."""
    env = os.environ.get("PG_BIN")
    if env:
        return Path(env) if (Path(env) / "initdb").exists() else None
    if DEBIAN_ROOT.is_dir():
        versions = sorted((p for p in DEBIAN_ROOT.iterdir() if (p / "bin" / "initdb").exists()),
                          key=lambda p: int(p.name) if p.name.isdigit() else 0)
        if versions:
            return versions[-1] / "bin"
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def free_port() -> int:
    """A port number nobody uses now (it only names the socket file; TCP stays off)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """A private PostgreSQL server in a temporary folder, reachable through its Unix socket."""

    def __init__(self, root: Path, bindir: Path, port: int, password: str) -> None:
        self.root, self.bindir, self.port, self.password = root, bindir, port, password
        self.data = root / "data"
        self.log = root / "log"
        self._as_root = os.geteuid() == 0
        self._counter = 0

    # --- life --------------------------------------------------------------------------------

    @classmethod
    def create(cls, bindir: Path | None = None) -> Cluster:
        """``initdb`` and start a new cluster; :class:`RuntimeError` with the log when it fails."""
        bindir = bindir or find_bindir()
        if bindir is None:
            raise RuntimeError(f"PostgreSQL is not installed: {INSTALL_HINT}")
        root = Path(tempfile.mkdtemp(prefix="pwkb-pg-"))
        root.chmod(0o755)  # the postgres user must enter it
        cluster = cls(root, bindir, free_port(), secrets.token_urlsafe(12))
        pwfile = root / "pw"
        pwfile.write_text(cluster.password)
        if cluster._as_root:
            shutil.chown(root, "postgres")
            shutil.chown(pwfile, "postgres")
        try:
            cluster._run("initdb", "-D", str(cluster.data), "-A", "scram-sha-256", f"--pwfile={pwfile}",
                         "-U", "postgres", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        except RuntimeError:
            shutil.rmtree(root, ignore_errors=True)
            raise
        pwfile.unlink()
        cluster.start()
        return cluster

    def _run(self, program: str, *args: str) -> str:
        cmd = [str(self.bindir / program), *args]
        if self._as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=self.root)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr.strip()}\n{log}")
        return done.stdout

    def start(self) -> None:
        """Start the server (socket only, in the cluster's folder) and wait until it accepts."""
        options = (f"-k {self.root} -p {self.port} -c listen_addresses='' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
                   "-c deadlock_timeout=200ms")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self) -> None:
        """Stop the server (fast: open sessions are ended)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def running(self) -> bool:
        """Whether the server's socket exists."""
        return (self.root / f".s.PGSQL.{self.port}").exists()

    def remove(self) -> None:
        """Stop the server if it runs and delete the whole folder."""
        try:
            if self.running:
                self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    # --- addresses and administration ------------------------------------------------------------

    def url(self, db: str, user: str = "postgres", password: str | None = None, *,
            with_password: bool = True) -> str:
        """A libpq URL of a database on this cluster (the superuser's password by default)."""
        secret = self.password if password is None and user == "postgres" else password
        auth = quote(user, safe="")
        if with_password and secret is not None:
            auth += ":" + quote(secret, safe="")
        return f"postgresql://{auth}@/{quote(db, safe='')}?host={quote(str(self.root), safe='/')}&port={self.port}"

    def execute(self, sql: str, db: str = "postgres") -> list[tuple[object, ...]]:
        """Run one statement as the superuser, outside any transaction; its rows (if any)."""
        import psycopg

        with psycopg.connect(host=str(self.root), port=self.port, dbname=db, user="postgres",
                             password=self.password, autocommit=True, connect_timeout=10) as conn:
            cur = conn.execute(sql.encode("utf-8"))
            return list(cur.fetchall()) if cur.description else []

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database with a unique name."""
        self._counter += 1
        name = f"{prefix}{self._counter}_{secrets.token_hex(3)}"
        self.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, ending whatever sessions still use it."""
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def create_role(self, name: str, password: str, *, createrole: bool = False) -> None:
        """A login role (a person) with a password."""
        extra = " CREATEROLE" if createrole else ""
        self.execute(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}'{extra}")


@dataclass
class Database:
    """One fresh database of the test session's cluster."""

    cluster: Cluster
    name: str

    @property
    def url(self) -> str:
        """Its address, as the superuser (password included)."""
        return self.cluster.url(self.name)

    def url_for(self, user: str, password: str | None = None) -> str:
        """Its address as another role."""
        return self.cluster.url(self.name, user, password)

    def execute(self, sql: str) -> list[tuple[object, ...]]:
        """Run one statement in it as the superuser."""
        return self.cluster.execute(sql, self.name)


def start_cluster() -> Cluster:
    """A started cluster, or a test failure naming what to install (never a skip)."""
    try:
        return Cluster.create()
    except RuntimeError as exc:
        pytest.fail(f"Could not start a throwaway PostgreSQL cluster: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """The test session's PostgreSQL cluster (started once, removed at the end)."""
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def pg_db(pg_cluster: Cluster) -> Iterator[Database]:
    """A fresh empty database for one test (dropped afterwards)."""
    if not pg_cluster.running:  # a test stopped it: bring it back for the next one
        pg_cluster.start()
    name = pg_cluster.create_database()
    try:
        yield Database(pg_cluster, name)
    finally:
        if pg_cluster.running:
            pg_cluster.drop_database(name)
