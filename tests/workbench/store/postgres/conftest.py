"""Fixtures for the team workbench: a real PostgreSQL cluster, fresh databases, benches on both stores."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import FakeClock, SeqIds
from tests.pg import Cluster, Database, pg_cluster, pg_db  # noqa: F401  (fixtures)
from workbench.domain.values import Context
from workbench.exchange.interchange import ImportDocument, load_source
from workbench.session import Workbench
from workbench.store.postgres import admin
from workbench.store.postgres.host import TeamHost

SAMPLE = Path(__file__).resolve().parents[4] / "resources" / "sample" / "sample.json"


def fresh_ctx(user: str = "tester") -> Context:
    """A deterministic context: two made alike give the same ids and times for the same calls."""
    return Context(user=user, clock=FakeClock(), new_id=SeqIds())


def open_team(url: str, ctx: Context | None = None, **kwargs: object) -> Workbench:
    """A session on the team workbench at ``url``."""
    return Workbench(TeamHost.open(url, ctx, **kwargs))  # type: ignore[arg-type]


class Benches:
    """Makes workbenches on one kind of store (``file`` or ``server``) and closes them afterwards."""

    def __init__(self, kind: str, tmp_path: Path, cluster: Callable[[], Cluster]) -> None:
        self.kind = kind
        self._tmp = tmp_path
        self._cluster = cluster
        self._open: list[Workbench] = []
        self._databases: list[str] = []
        self.url = ""
        self.path: Path | None = None

    def create(self, ctx: Context, source: Path | None = None) -> Workbench:
        """A new workbench (with ``source``'s content), open for editing."""
        if self.kind == "file":
            self.path = self._tmp / f"w{secrets.token_hex(3)}.workbench"

            def fill(wb: Workbench) -> None:
                if source is not None:
                    wb.execute(ImportDocument(load_source(source)[0], label="Load Workbench"))

            Workbench.create(self.path, ctx, fill=fill)
            wb = Workbench.open(self.path, ctx)
        else:
            cluster = self._cluster()
            if not cluster.running:
                cluster.start()
            self._databases.append(cluster.create_database())
            self.url = cluster.url(self._databases[-1])
            admin.init(self.url, source, ctx=ctx)
            wb = open_team(self.url, ctx)
        self._open.append(wb)
        return wb

    def close(self) -> None:
        """Close every workbench made."""
        for wb in self._open:
            wb.close()
        for name in self._databases:
            self._cluster().drop_database(name)


@pytest.fixture(params=["file", "server"])
def benches(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Benches]:
    """Workbenches on each store in turn (the cluster starts only for the server's turn)."""
    made = Benches(request.param, tmp_path, lambda: request.getfixturevalue("pg_cluster"))
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
def team_url(pg_db: Database) -> str:  # noqa: F811  (the fixture imported above)
    """An empty team workbench (default channels only), created by the superuser; its address."""
    admin.init(pg_db.url, ctx=fresh_ctx())
    return pg_db.url


@pytest.fixture
def person(pg_cluster: Cluster) -> Callable[[str], tuple[str, str]]:  # noqa: F811
    """Makes a login role with a unique name: ``(name, password)``."""
    def make(prefix: str = "p") -> tuple[str, str]:
        name, password = f"{prefix}_{secrets.token_hex(4)}", secrets.token_urlsafe(10)
        pg_cluster.create_role(name, password)
        return name, password
    return make
