"""Runaway queries: the statement timeout, cancellation when the HTTP client goes away, and
the SQL time each response reports (``Server-Timing``).

A real GraphQL query is made to hang the way a slow one would, with nothing test-only in
the server: the test holds an exclusive lock on ``libraries``, so the server's statement
waits inside PostgreSQL (lock waits count towards ``statement_timeout``) until the server
cancels it, or until the test lets go.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import pytest
import pytest_asyncio

from photonix_rt.app import open_services
from photonix_rt.config import Config
from photonix_rt.errors import QueryTimeout
from photonix_rt.services.container import Services
from photonix_rt.store.db import Database
from tests.integration.conftest import Fetch, MakeUser

QUERY = "{ libraries { id name } }"


@pytest.fixture
def statement_timeout_s() -> float:
    return 1.0


@pytest_asyncio.fixture
async def services(config: Config, db: Database,
                   statement_timeout_s: float) -> AsyncIterator[Services]:
    """The server's services on a pool with the statement timeout, as ``app`` opens it."""
    timed = await Database.connect(db.url, statement_timeout_s=statement_timeout_s)
    try:
        async with open_services(config, timed) as opened:
            yield opened
    finally:
        await timed.close()


async def _blocked_server_statements(holder: asyncpg.Connection) -> list[int]:
    """Backends of the server (its application_name) waiting for the holder's lock now.
    (Not by their query text: a statement not yet prepared waits while being parsed, when
    pg_stat_activity still shows the connection's previous statement.)"""
    rows = await holder.fetch(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND application_name = 'photonix-rt' "
        "AND pg_backend_pid() = ANY(pg_blocking_pids(pid))")
    return [r["pid"] for r in rows]


async def test_a_slow_query_is_cancelled_by_the_statement_timeout(
        fetch: Fetch, make_user: MakeUser, db: Database) -> None:
    token = await make_user("timeout-user")
    holder = await asyncpg.connect(db.url)
    try:
        async with holder.transaction():
            await holder.execute("LOCK TABLE libraries IN ACCESS EXCLUSIVE MODE")
            response = await asyncio.wait_for(fetch(
                "/graphql", method="POST", body=json.dumps({"query": QUERY}), token=token,
                headers={"Content-Type": "application/json"}), 30)
            body = json.loads(response.body)
            assert response.code == 504, body
            assert body["errors"][0]["extensions"]["code"] == "QUERY_TIMEOUT"
            assert "took too long" in body["errors"][0]["message"]
            assert await _blocked_server_statements(holder) == []  # nothing left waiting
        # The lock is gone: the same query answers, on the same pool.
        response = await fetch("/graphql", method="POST", body=json.dumps({"query": QUERY}),
                               token=token, headers={"Content-Type": "application/json"})
        assert response.code == 200
        assert "errors" not in json.loads(response.body)
    finally:
        await holder.close()


# A timeout far beyond the test: only the disconnect can end the statement in time.
@pytest.mark.parametrize("statement_timeout_s", [120.0])
async def test_a_query_is_cancelled_when_its_client_disconnects(
        server: str, make_user: MakeUser, db: Database) -> None:
    token = await make_user("gone-user")
    holder = await asyncpg.connect(db.url)
    try:
        async with holder.transaction():
            await holder.execute("LOCK TABLE libraries IN ACCESS EXCLUSIVE MODE")
            parts = urlsplit(server)
            _reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
            body = json.dumps({"query": QUERY}).encode()
            writer.write(b"POST /graphql HTTP/1.1\r\nHost: " + parts.netloc.encode() + b"\r\n"
                         b"Content-Type: application/json\r\n"
                         b"Authorization: Bearer " + token.encode() + b"\r\n"
                         b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            await writer.drain()
            blocked: list[int] = []
            for _ in range(100):
                blocked = await _blocked_server_statements(holder)
                if blocked:
                    break
                await asyncio.sleep(0.05)
            assert blocked, "the server's query never reached the lock"

            writer.close()  # the client goes away while its query waits
            await writer.wait_closed()
            for _ in range(200):  # up to 10 s, while the lock is still held
                if not await _blocked_server_statements(holder):
                    break
                await asyncio.sleep(0.05)
            assert await _blocked_server_statements(holder) == [], "still running"
    finally:
        await holder.close()


def _sql_timing(header: str) -> tuple[float, int]:
    """(milliseconds, statements) from ``sql;dur=1.2;desc="3 statements"``."""
    name, dur, desc = header.split(";")
    assert name == "sql"
    return float(dur.removeprefix("dur=")), int(desc.removeprefix('desc="').split()[0])


async def test_responses_say_how_long_their_sql_took(
        fetch: Fetch, make_user: MakeUser, db: Database) -> None:
    token = await make_user("timing-user")
    await db.execute("INSERT INTO libraries (name) VALUES ('timed')")

    def ask(query: str) -> Any:
        return fetch("/graphql", method="POST", body=json.dumps({"query": query}),
                     token=token, headers={"Content-Type": "application/json"})

    none = await ask("{ __typename }")
    assert _sql_timing(none.headers["Server-Timing"]) == (0.0, 0)
    some = await ask("{ libraries { id name paths { path } } }")
    ms, statements = _sql_timing(some.headers["Server-Timing"])
    assert statements >= 1
    assert ms > 0


async def test_bulk_work_runs_past_the_statement_timeout_that_stops_api_reads(
        db: Database) -> None:
    timed = await Database.connect(db.url, statement_timeout_s=0.2)
    try:
        with pytest.raises(QueryTimeout):
            await timed.fetchval("SELECT pg_sleep(1)")
        async with timed.long_transaction() as conn:
            assert await conn.fetchval("SELECT 1 FROM pg_sleep(1)") == 1
        # The exemption ends with its transaction: the connection is back in the pool.
        with pytest.raises(QueryTimeout):
            await timed.fetchval("SELECT pg_sleep(1)")
    finally:
        await timed.close()
