"""Redis killed while two servers serve graphql-ws subscribers: events keep flowing from the
event log, nothing is lost, no watcher batch fails; Redis restarted: still fine, pub/sub again.

The subscribers are the stock npm ``graphql-ws`` client (tests/e2e/follow_events.mjs).
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import node_scripts
from tests.e2e.event_follower import EventFollower
from tests.faults.harness import SETTLE_S, Deployment, make_photos, wait_until
from tests.own_servers import OwnRedis

__all__ = ["node_scripts"]

pytestmark = [pytest.mark.faults, pytest.mark.slow]

# While Redis is down the servers read the log twice a second; importing takes a little too.
OUTAGE_DELIVERY_S = 30


def added(events: list[dict[str, Any]]) -> set[str]:
    return {json.loads(e["payload"])["path"] for e in events if e["kind"] == "PHOTO_ADDED"}


def sequences(events: list[dict[str, Any]]) -> list[int]:
    return [int(e["sequence"]) for e in events]


async def test_redis_killed_under_two_servers_loses_no_event(
        node_scripts: Path, own_redis: OwnRedis, fresh_database: str, tmp_path: Path) -> None:
    deployment = Deployment(tmp_path, fresh_database, redis_url=own_redis.url)
    followers: list[EventFollower] = []
    try:
        await deployment.create_admin()
        one = await deployment.start_server("one")
        library = await deployment.create_library(one, deployment.inbox)
        # Started after the folder was added: a running server learns of folders added
        # through another server only at its next rescan.
        two = await deployment.start_server("two")
        await two.wait_watching(deployment.inbox, SETTLE_S)
        pool = await deployment.db()
        start = int(await pool.fetchval("SELECT coalesce(max(sequence), 0) FROM events"))
        script = node_scripts / "follow_events.mjs"
        for server, name in ((one, "client on one"), (two, "client on two")):
            followers.append(await EventFollower.start(script, server.url, deployment.token or "",
                                                       library, start, name=name))

        async def everyone_has(paths: list[Path], timeout_s: float, what: str) -> float:
            began = time.monotonic()
            for follower in followers:
                await follower.wait_for(lambda ev: {str(p) for p in paths} <= added(ev),
                                        max(1.0, timeout_s - (time.monotonic() - began)), what)
            return time.monotonic() - began

        before = await asyncio.to_thread(make_photos, deployment.inbox, 4, prefix="a")
        await everyone_has(before, SETTLE_S, "the photos before the outage")

        await asyncio.to_thread(own_redis.kill)
        during = await asyncio.to_thread(make_photos, deployment.inbox, 8, prefix="b")
        took = await everyone_has(during, OUTAGE_DELIVERY_S, "the photos during the outage")
        print(f"delivered during the Redis outage in {took:.1f}s")

        await asyncio.to_thread(own_redis.restart)
        await wait_until(lambda: _subscribed(own_redis, 2), SETTLE_S,
                         "both servers back on Redis pub/sub")
        after = await asyncio.to_thread(make_photos, deployment.inbox, 4, prefix="c")
        await everyone_has(after, SETTLE_S, "the photos after Redis returned")

        placed = {str(p) for p in before + during + after}
        assert await deployment.ok_paths() == placed, "a file was not imported"
        # Every event of the log, in order, none twice, on each client.
        rows = await pool.fetch("SELECT sequence, kind FROM events WHERE sequence > $1 "
                                "ORDER BY sequence", start)
        expected = [r["sequence"] for r in rows if r["kind"] != "JOB_PROGRESS"]
        for follower in followers:
            await follower.wait_for(lambda ev: max(sequences(ev)) >= expected[-1], SETTLE_S,
                                    f"event {expected[-1]}")
            got = sequences(follower.events)
            assert got == sorted(set(got)), f"{follower.name}: out of order or twice: {got}"
            seen = [int(e["sequence"]) for e in follower.events
                    if e["kind"] != "JOB_PROGRESS" and int(e["sequence"]) <= expected[-1]]
            assert seen == expected, f"{follower.name}: not the log's events"
        for server in deployment.servers:
            output = server.output()
            assert "Traceback" not in output, output  # no failed batch, no crashed task
            assert server.process.poll() is None
    finally:
        for follower in followers:
            await follower.close()
        await deployment.close()


async def _subscribed(redis: OwnRedis, count: int) -> bool:
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(redis.url)
    try:
        channels = await client.pubsub_channels("photonix:events.*")
        if not channels:
            return False
        numsub = dict(await client.pubsub_numsub(*channels))
        return all(n >= count for n in numsub.values())
    finally:
        await client.aclose()
