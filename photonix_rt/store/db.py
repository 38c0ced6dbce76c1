"""The asyncpg pool, transactions and a statement counter (used by the N+1 tests).

Usage::

    db = await Database.connect(url)
    async with db.transaction() as conn:
        await photos_store.insert_photo(conn, ...)
    await db.close()
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

import asyncpg

__all__ = ["Database", "Queryable"]


class Queryable(Protocol):
    """What store functions need: an asyncpg ``Connection`` or ``Pool``."""

    async def fetch(self, query: str, *args: Any) -> list[asyncpg.Record]: ...
    async def fetchrow(self, query: str, *args: Any) -> asyncpg.Record | None: ...
    async def fetchval(self, query: str, *args: Any) -> Any: ...
    async def execute(self, query: str, *args: Any) -> str: ...
    async def executemany(self, command: str, args: Any) -> None: ...


async def _init_connection(conn: asyncpg.Connection) -> None:
    # JSONB in and out as Python objects, so store code never calls json.dumps by hand.
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
    await conn.set_type_codec("json", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


class Database:
    """Owns the connection pool; counts statements so tests can assert a query budget."""

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        self.pool = pool
        self.url = url
        self.statement_count = 0

    @classmethod
    async def connect(cls, url: str, *, min_size: int = 1, max_size: int = 10) -> Database:
        db: Database | None = None

        async def init(conn: asyncpg.Connection) -> None:
            await _init_connection(conn)
            conn.add_query_logger(lambda _query: db._count())  # type: ignore[union-attr]

        pool = await asyncpg.create_pool(url, min_size=min_size, max_size=max_size, init=init)
        db = cls(pool, url)
        return db

    def _count(self) -> None:
        self.statement_count += 1

    async def close(self) -> None:
        await self.pool.close()

    async def ping(self) -> None:
        """Raise unless the database answers a trivial statement."""
        await self.pool.fetchval("SELECT 1")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[asyncpg.Connection]:
        """A connection inside a transaction; commits on exit, rolls back on error."""
        async with self.pool.acquire() as conn, conn.transaction():
            yield conn

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        """A pooled connection outside any explicit transaction."""
        async with self.pool.acquire() as conn:
            yield conn

    # Single statements straight on the pool (autocommit).
    async def fetch(self, query: str, *args: Any) -> list[asyncpg.Record]:
        return await self.pool.fetch(query, *args)

    async def fetchrow(self, query: str, *args: Any) -> asyncpg.Record | None:
        return await self.pool.fetchrow(query, *args)

    async def fetchval(self, query: str, *args: Any) -> Any:
        return await self.pool.fetchval(query, *args)

    async def execute(self, query: str, *args: Any) -> str:
        return await self.pool.execute(query, *args)

    async def executemany(self, command: str, args: Any) -> None:
        await self.pool.executemany(command, args)
