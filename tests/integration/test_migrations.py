"""Migrations apply once, in order, and concurrent starters do not collide."""

from __future__ import annotations

import asyncio

import asyncpg

from photonix_rt.store.db import Database
from photonix_rt.store.migrate import available_migrations, migrate


async def test_every_migration_is_recorded(db: Database) -> None:
    versions = [r["version"] for r in await db.fetch(
        "SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == [m.version for m in available_migrations()]


async def test_concurrent_migrate_is_a_no_op(database_url: str) -> None:
    conns = [await asyncpg.connect(database_url) for _ in range(3)]
    try:
        results = await asyncio.gather(*(migrate(c) for c in conns))
    finally:
        for c in conns:
            await c.close()
    assert results == [[], [], []]
