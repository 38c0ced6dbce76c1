"""Shared fixtures: a real PostgreSQL (the machine's, or an embedded one) and the photo fixtures.

- ``PHOTONIX_TEST_DATABASE_URL`` (or ``DATABASE_URL``) points the suite at a server; the suite
  creates its own fresh database there and drops it at the end. Without either, an embedded
  PostgreSQL is started in a temporary folder.
- ``PHOTONIX_FIXTURES`` points at the shared photo fixtures (default ``../shared/fixtures``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
import pytest_asyncio

from photonix_rt.store.db import Database
from photonix_rt.store.embedded import EmbeddedPostgres
from photonix_rt.store.migrate import migrate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    path = Path(os.environ.get("PHOTONIX_FIXTURES", ROOT.parent / "shared" / "fixtures"))
    if not path.is_dir():
        pytest.skip(f"shared photo fixtures not found at {path} (set PHOTONIX_FIXTURES)")
    return path.resolve()


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """A PostgreSQL server URL (maintenance database), external or embedded."""
    external = os.environ.get("PHOTONIX_TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if external:
        yield external
        return
    tmp = Path(tempfile.mkdtemp(prefix="photonix-test-pg-"))
    embedded = EmbeddedPostgres(tmp / "pgdata")
    try:
        yield embedded.start()
    finally:
        embedded.stop()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def database_url(server_url: str) -> AsyncIterator[str]:
    """A fresh, migrated database for this test session, dropped afterwards."""
    name = f"photonix_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')  # name is ours, not user input
    finally:
        await admin.close()
    url = _with_database(server_url, name)
    conn = await asyncpg.connect(url)
    try:
        await migrate(conn)
    finally:
        await conn.close()
    yield url
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def session_db(database_url: str) -> AsyncIterator[Database]:
    db = await Database.connect(database_url)
    yield db
    await db.close()


@pytest_asyncio.fixture(loop_scope="session")
async def db(session_db: Database) -> AsyncIterator[Database]:
    """The session's database, emptied before each test."""
    tables = await session_db.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
        "AND tablename <> 'schema_migrations'"
    )
    if tables:
        names = ", ".join(f'"{r["tablename"]}"' for r in tables)  # catalog names, not input
        await session_db.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    session_db.statement_count = 0
    yield session_db


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path
