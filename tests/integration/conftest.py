"""The shared server harness: real services on the test database, the real Tornado app on a port.

Fixtures (other test modules rely on these names):

- ``config``: a Config with a temporary data dir and ``allowed_roots`` = (the test's tmp dir,
  the photo fixtures if present); override it in a module to change settings.
- ``services``: ``open_services(config, db)``.
- ``server``: base URL (``http://127.0.0.1:PORT``) of ``make_app(services)``.
- ``fetch``: ``await fetch(path, method="GET", body=None, headers=None, token=None)`` ->
  tornado ``HTTPResponse`` (never raises for HTTP error statuses).
- ``gql``: ``await gql(query, variables=None, token=None)`` -> the parsed JSON body of a
  ``POST /graphql``.
- ``own_postgres`` / ``own_db``: a PostgreSQL of the test's own (stoppable) and a migrated
  database on it, for outage tests.
- ``make_user``: ``await make_user(name, admin=False, password=None)`` -> access token of a new
  user (created through ``UserService``, signed in through the ``login`` mutation; the
  password defaults to ``name + "-pass-phrase"``).
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import pytest_asyncio
from tornado.httpclient import HTTPResponse
from tornado.simple_httpclient import SimpleAsyncHTTPClient
from tornado.testing import bind_unused_port

from photonix_rt.app import make_server, open_services
from photonix_rt.config import Config
from photonix_rt.services.container import Services
from photonix_rt.store.db import Database
from photonix_rt.store.migrate import migrate
from tests.integration.own_postgres import OwnPostgres, postgres_bin

ROOT = Path(__file__).resolve().parents[2]

Fetch = Callable[..., Awaitable[HTTPResponse]]
Gql = Callable[..., Awaitable[dict[str, Any]]]
MakeUser = Callable[..., Awaitable[str]]


def _fixtures_dir() -> Path | None:
    path = Path(os.environ.get("PHOTONIX_FIXTURES", ROOT.parent / "shared" / "fixtures"))
    return path.resolve() if path.is_dir() else None


@pytest.fixture
def config(tmp_path: Path, database_url: str) -> Config:
    roots = [tmp_path.resolve()]
    fixtures = _fixtures_dir()
    if fixtures is not None:
        roots.append(fixtures)
    return Config(data_dir=tmp_path.resolve() / "data", database_url=database_url,
                  allowed_roots=tuple(roots), workers=1)


@pytest_asyncio.fixture
async def services(config: Config, db: Database) -> AsyncIterator[Services]:
    async with open_services(config, db) as opened:
        yield opened


@asynccontextmanager
async def serving(services: Services) -> AsyncIterator[str]:
    """The real app for ``services`` on an unused port; yields its base URL."""
    sock, port = bind_unused_port()
    # Like ``app.serve``: forwarded client addresses count only when the config trusts them.
    http_server = make_server(services)
    http_server.add_sockets([sock])
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        http_server.stop()
        await http_server.close_all_connections()


@pytest_asyncio.fixture
async def server(services: Services) -> AsyncIterator[str]:
    async with serving(services) as url:
        yield url


@pytest_asyncio.fixture
async def fetch(server: str) -> AsyncIterator[Fetch]:
    client = SimpleAsyncHTTPClient(force_instance=True)

    async def do_fetch(path: str, method: str = "GET", body: str | bytes | None = None,
                       headers: dict[str, str] | None = None,
                       token: str | None = None) -> HTTPResponse:
        all_headers = dict(headers or {})
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        return await client.fetch(server + path, method=method, body=body,
                                  headers=all_headers, raise_error=False,
                                  allow_nonstandard_methods=True)

    try:
        yield do_fetch
    finally:
        client.close()


@pytest.fixture
def gql(fetch: Fetch) -> Gql:
    async def do_gql(query: str, variables: dict[str, Any] | None = None,
                     token: str | None = None) -> dict[str, Any]:
        response = await fetch("/graphql", method="POST",
                               body=json.dumps({"query": query, "variables": variables}),
                               headers={"Content-Type": "application/json"}, token=token)
        return json.loads(response.body)

    return do_gql


@pytest.fixture
def make_user(services: Services, gql: Gql) -> MakeUser:
    async def do_make_user(name: str, admin: bool = False, password: str | None = None) -> str:
        password = name + "-pass-phrase" if password is None else password
        await services.users.create(name, password, is_admin=admin)
        body = await gql(
            "mutation($u: String!, $p: String!) { login(username: $u, password: $p) "
            "{ accessToken } }",
            {"u": name, "p": password},
        )
        assert "errors" not in body, body
        return body["data"]["login"]["accessToken"]

    return do_make_user


@pytest.fixture
def own_postgres() -> Iterator[OwnPostgres]:
    """A PostgreSQL of the test's own, which it may stop and start (outage tests)."""
    if postgres_bin() is None:
        pytest.skip("PostgreSQL binaries are not installed under /usr/lib/postgresql")
    with OwnPostgres() as pg:
        yield pg


@pytest_asyncio.fixture
async def own_db(own_postgres: OwnPostgres) -> AsyncIterator[Database]:
    """A migrated database on ``own_postgres``."""
    conn = await asyncpg.connect(own_postgres.url)
    try:
        await migrate(conn)
    finally:
        await conn.close()
    db = await Database.connect(own_postgres.url, min_size=1, max_size=4)
    try:
        yield db
    finally:
        await db.close()
