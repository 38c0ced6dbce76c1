"""The asyncpg pool, transactions and a statement counter (used by the N+1 tests).

When the database cannot be reached (refused or dropped connections, a server shutting
down), every method raises ``errors.Unavailable`` instead of the driver's error, so callers
can tell an outage (retry later: HTTP 503) from a bug.

Usage::

    db = await Database.connect(url)
    async with db.transaction() as conn:
        await photos_store.insert_photo(conn, ...)
    await db.close()
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Protocol

import asyncpg

from photonix_rt.errors import QueryTimeout, Unavailable
from photonix_rt.sql_timing import add_sql_time

__all__ = ["OUTAGE_ERRORS", "Database", "Queryable"]

log = logging.getLogger(__name__)

# What the driver raises when the server is unreachable rather than when a statement is wrong.
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,  # refused, reset, unreachable, timed out (TimeoutError is an OSError)
    asyncpg.exceptions.ConnectionDoesNotExistError,  # dropped mid-statement
    asyncpg.exceptions.PostgresConnectionError,  # SQLSTATE class 08
    asyncpg.exceptions.CannotConnectNowError,  # starting up / shutting down
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.TooManyConnectionsError,
)


# Inside a transaction's body only the driver's own errors count: an OSError there may be
# the caller's file I/O.
_DRIVER_OUTAGE_ERRORS = tuple(e for e in OUTAGE_ERRORS if e is not OSError)


@contextmanager
def _outage_is_unavailable(kinds: tuple[type[BaseException], ...] = OUTAGE_ERRORS
                           ) -> Iterator[None]:
    try:
        yield
    except kinds as error:
        log.warning("database unavailable: %s: %s", type(error).__name__, error)
        raise Unavailable("the database is unavailable; try again shortly") from error
    except asyncpg.exceptions.QueryCanceledError as error:  # the statement timeout
        log.warning("database statement cancelled: %s", error)
        raise QueryTimeout("the query took too long and was cancelled; narrow it down or "
                           "try again later") from error


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
    async def connect(cls, url: str, *, min_size: int = 1, max_size: int = 10,
                      statement_timeout_s: float = 0.0) -> Database:
        """The pool; every statement on it is cancelled by PostgreSQL after
        ``statement_timeout_s`` seconds (0: no limit), raising ``QueryTimeout``."""
        db: Database | None = None

        async def init(conn: asyncpg.Connection) -> None:
            await _init_connection(conn)
            conn.add_query_logger(lambda record: db._logged(record))  # type: ignore[union-attr]

        # Session settings sent when each connection starts (RESET returns to them).
        # Custom plans always: asyncpg prepares every statement, and after five runs
        # PostgreSQL may switch to a generic plan that ignores the parameters; the filters'
        # best plans depend on them (a rare tag or a small bbox versus a common one).
        settings = {"application_name": "photonix-rt",
                    "statement_timeout": str(round(statement_timeout_s * 1000)),
                    "plan_cache_mode": "force_custom_plan"}
        pool = await asyncpg.create_pool(url, min_size=min_size, max_size=max_size, init=init,
                                         server_settings=settings)
        db = cls(pool, url)
        return db

    def _logged(self, record: Any) -> None:
        # Runs in the context of the task that ran the statement (see sql_timing).
        self.statement_count += 1
        add_sql_time(record.elapsed)

    async def close(self) -> None:
        await self.pool.close()

    async def ping(self) -> None:
        """Raise unless the database answers a trivial statement."""
        await self.pool.fetchval("SELECT 1")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[asyncpg.Connection]:
        """A connection inside a transaction; commits on exit, rolls back on error."""
        async with self._acquired() as conn:
            with _outage_is_unavailable(_DRIVER_OUTAGE_ERRORS):
                async with conn.transaction():
                    yield conn

    @asynccontextmanager
    async def long_transaction(self) -> AsyncIterator[asyncpg.Connection]:
        """A transaction exempt from the statement timeout, for bulk work whose length grows
        with the library (queueing a new classifier for every photo, emptying a large
        trash): the timeout guards the API against runaway reads, not these."""
        async with self.transaction() as conn:
            await conn.execute("SET LOCAL statement_timeout = 0")
            yield conn

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        """A pooled connection outside any explicit transaction."""
        async with self._acquired() as conn:
            with _outage_is_unavailable(_DRIVER_OUTAGE_ERRORS):
                yield conn

    @asynccontextmanager
    async def _acquired(self) -> AsyncIterator[asyncpg.Connection]:
        with _outage_is_unavailable():
            conn = await self.pool.acquire()
        try:
            yield conn
        finally:
            with _outage_is_unavailable():
                await self.pool.release(conn)

    # Single statements straight on the pool (autocommit).
    async def fetch(self, query: str, *args: Any) -> list[asyncpg.Record]:
        with _outage_is_unavailable():
            return await self.pool.fetch(query, *args)

    async def fetchrow(self, query: str, *args: Any) -> asyncpg.Record | None:
        with _outage_is_unavailable():
            return await self.pool.fetchrow(query, *args)

    async def fetchval(self, query: str, *args: Any) -> Any:
        with _outage_is_unavailable():
            return await self.pool.fetchval(query, *args)

    async def execute(self, query: str, *args: Any) -> str:
        with _outage_is_unavailable():
            return await self.pool.execute(query, *args)

    async def executemany(self, command: str, args: Any) -> None:
        with _outage_is_unavailable():
            await self.pool.executemany(command, args)
