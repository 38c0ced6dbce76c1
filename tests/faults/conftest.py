"""Fault tests run on a PostgreSQL of their own (stopped and killed at will), one database per
test, never on the machine's shared servers."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio

from tests.faults.harness import Deployment
from tests.own_servers import OwnPostgres, OwnRedis, postgres_bin, redis_server_bin


@pytest.fixture(scope="session")
def own_postgres() -> Iterator[OwnPostgres]:
    if postgres_bin() is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    pg = OwnPostgres.start()
    yield pg
    pg.destroy()


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    if redis_server_bin() is None:
        pytest.skip("redis-server is not installed")
    redis = OwnRedis.start(tmp_path / "redis")
    yield redis
    redis.destroy()


@pytest_asyncio.fixture
async def fresh_database(own_postgres: OwnPostgres) -> AsyncIterator[str]:
    """An empty database (the servers migrate it), dropped afterwards."""
    name = f"faults_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(own_postgres.url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')  # our own name, not user input
    finally:
        await admin.close()
    yield own_postgres.database_url(name)
    if not (own_postgres.pgdata / "postmaster.pid").exists():
        await asyncio.to_thread(own_postgres.start_again)  # a test that failed mid-outage
    admin = await asyncpg.connect(own_postgres.url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest_asyncio.fixture
async def deployment(tmp_path: Path, fresh_database: str) -> AsyncIterator[Deployment]:
    """Servers on the fresh database, without Redis; more settings: build your own."""
    opened = Deployment(tmp_path, fresh_database)
    await opened.create_admin()
    try:
        yield opened
    finally:
        await opened.close()
