"""Two real ``photonix-rt serve`` processes behind Redis, one watched folder, clients on each.

Nothing runs in the test's own process but the clients: the user and the library come from
the CLI, each server is ``python -m photonix_rt serve`` on the same DATABASE_URL, REDIS_URL
and data dir (one secret key, one thumbnail store), and each client is the stock npm
``graphql-ws`` client in Node. Both servers watch the same folder. The test proves that

- a token from one server works on the other;
- both servers subscribe to the database's Redis channel, and every event is published
  there once, by the process that wrote it;
- photos copied into the folder (one slowly, in chunks) reach the clients on BOTH servers,
  every event of the log in sequence order, none twice;
- a client whose socket is cut mid-stream and that resumes with ``since`` on the OTHER
  server gets exactly what it missed: no gap, no duplicate;
- each file is imported once (one photo, one PHOTO_ADDED) although two watchers saw it,
  and a second file of known content becomes one PHOTO_UPDATED of the existing photo;
- both servers exit 0 on SIGTERM, and their worker processes end with them.

The sequencer's log poll would also deliver (later) without Redis; the Redis checks above
are what tell the two apart without timing anything.

Skipped when Redis, PostgreSQL, Node or the photo fixtures are not there.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import redis.asyncio as aioredis
from tornado.simple_httpclient import SimpleAsyncHTTPClient

from photonix_rt.events.types import events_topic
from photonix_rt.store import events as events_store
from photonix_rt.store.db import Database
from tests.e2e.event_follower import EventFollower
from tests.e2e.serve_process import (
    ServerProcess,
    free_port,
    photonix_env,
    run_cli,
    scratch_database,
)

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
# Deadlines to fail instead of hanging, not timings: two cores shared with other work.
START_S = 180
DELIVER_S = 240
PASSWORD = "pw-admin-e2e"
LIBRARY = "two-servers"


@pytest.fixture
def follow_script(node_scripts: Path) -> Path:
    return node_scripts / "follow_events.mjs"


@pytest_asyncio.fixture
async def fresh_database(server_url: str) -> AsyncIterator[str]:
    async with scratch_database(server_url, "photonix_e2e") as url:
        yield url


class Photos:
    """Fixture photos with distinct content (equal content would be a copy, not a photo)."""

    def __init__(self, fixtures: Path) -> None:
        photonix, samples = fixtures / "photonix", fixtures / "exif-samples" / "jpg"
        self.seed = photonix / "snow.jpg"  # imported by the CLI before the servers start
        self.first = [photonix / "tree.jpg", photonix / "photo_no_metadata_1.jpg",
                      photonix / "photo_no_metadata_2.jpg", samples / "Canon_40D.jpg"]
        self.first_slow = samples / "Reconyx_HC500_Hyperfire.jpg"
        self.second = [samples / "Nikon_D70.jpg", samples / "Pentax_K10D.jpg"]
        self.second_slow = photonix / "bad_date.jpg"
        every = [self.seed, *self.first, self.first_slow, *self.second, self.second_slow]
        missing = [p for p in every if not p.is_file()]
        if missing:
            pytest.skip(f"photo fixtures missing: {missing}")


def copy_slowly(src: Path, dst: Path, chunks: int = 5, pause_s: float = 0.4) -> None:
    """Blocking: write ``dst`` in chunks with pauses, as a slow network copy does."""
    data = src.read_bytes()
    step = len(data) // chunks + 1
    with dst.open("wb") as out:
        for start in range(0, len(data), step):
            out.write(data[start:start + step])
            out.flush()
            time.sleep(pause_s)


async def drop(folder: Path, prefix: str, fast: list[Path], slow: Path | None) -> dict[str, Path]:
    """Copy photos into the watched folder; return {path in the folder: source}."""
    placed: dict[str, Path] = {}
    for src in fast:
        dst = folder / f"{prefix}-{src.name}"
        await asyncio.to_thread(shutil.copyfile, src, dst)
        placed[str(dst)] = src
    if slow is not None:
        dst = folder / f"{prefix}-slow-{slow.name}"
        await asyncio.to_thread(copy_slowly, slow, dst)
        placed[str(dst)] = slow
    return placed


def added_paths(events: list[dict[str, Any]]) -> list[str]:
    return [json.loads(e["payload"])["path"] for e in events if e["kind"] == "PHOTO_ADDED"]


def event_paths(events: list[dict[str, Any]]) -> set[str]:
    return {json.loads(e["payload"] or "{}").get("path") for e in events}


def has_added(paths: set[str]) -> Any:
    return lambda events: paths <= set(added_paths(events))


def sequences(events: list[dict[str, Any]]) -> list[int]:
    return [int(e["sequence"]) for e in events]


def delivered(events: list[dict[str, Any]], up_to: int) -> list[int]:
    """What must match the log exactly: progress events may be coalesced, so not those."""
    return [int(e["sequence"]) for e in events
            if e["kind"] != "JOB_PROGRESS" and int(e["sequence"]) <= up_to]


class RedisTap:
    """Every event message published on the database's Redis channel, as the servers use it."""

    def __init__(self, url: str, channel: str) -> None:
        self.channel = channel
        self.sequences: list[int] = []
        self._client = aioredis.Redis.from_url(url)
        self._pubsub = self._client.pubsub()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._pubsub.subscribe(self.channel)
        self._task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self._pubsub.listen():
            if message["type"] == "message":
                self.sequences.append(json.loads(message["data"])["sequence"])

    async def subscribers(self) -> int:
        """How many connections listen on the channel (this tap included)."""
        return dict(await self._client.pubsub_numsub(self.channel))[self.channel.encode()]

    async def wait_for(self, sequence: int, timeout_s: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while sequence not in self.sequences:
            assert loop.time() < deadline, f"event {sequence} never published on Redis"
            await asyncio.sleep(0.2)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self._pubsub.aclose()
        await self._client.aclose()


class Client:
    """GraphQL over HTTP against one server."""

    def __init__(self) -> None:
        self._http = SimpleAsyncHTTPClient(force_instance=True)

    async def gql(self, server: ServerProcess, query: str, variables: dict[str, Any] | None = None,
                  token: str | None = None) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = await self._http.fetch(
            server.url + "/graphql", method="POST", headers=headers, raise_error=False,
            body=json.dumps({"query": query, "variables": variables}), request_timeout=60)
        body = json.loads(response.body)
        assert not body.get("errors"), body
        return body["data"]

    def close(self) -> None:
        self._http.close()


async def test_two_server_processes_behind_redis_deliver_every_event_once(
        follow_script: Path, redis_url: str, fresh_database: str, fixtures_dir: Path,
        tmp_path: Path) -> None:
    photos = Photos(fixtures_dir)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    await asyncio.to_thread(shutil.copyfile, photos.seed, inbox / "seed.jpg")
    data_dir = tmp_path / "data"  # shared: one secret key (tokens), one thumbnail store
    env = photonix_env(database_url=fresh_database, redis_url=redis_url, data_dir=data_dir)

    await run_cli(env, "user", "create", "admin", "--admin", "--password-stdin",
                  stdin=PASSWORD + "\n")
    await run_cli(env, "import", str(inbox), "--library", LIBRARY)

    servers = [ServerProcess.start(env, port=free_port(), log_path=tmp_path / f"serve-{n}.log")
               for n in ("one", "two")]
    one, two = servers
    followers: list[EventFollower] = []
    http = Client()
    db = await Database.connect(fresh_database)
    tap: RedisTap | None = None
    try:
        for server in servers:
            await server.wait_ready(START_S)
        for server in servers:
            await server.wait_watching(inbox, START_S)

        # Signed in on one, recognised by two: the processes share the secret key.
        login = await http.gql(one, "mutation($p: String!) { login(username: \"admin\", "
                                    "password: $p) { accessToken } }", {"p": PASSWORD})
        token = login["login"]["accessToken"]
        libraries = (await http.gql(two, "{ libraries { id name } }", token=token))["libraries"]
        library = next(lib["id"] for lib in libraries if lib["name"] == LIBRARY)

        # Both processes listen on this database's Redis channel (and so does the tap).
        topic = events_topic(str(await events_store.channel_id(db)))
        tap = RedisTap(redis_url, "photonix:" + topic)  # RedisBus's default prefix
        await tap.start()
        assert await tap.subscribers() == 3, "both servers should subscribe on Redis"

        start = await events_store.last_sequence(db)
        on_one = await EventFollower.start(follow_script, one.url, token, library, start,
                                           name="client on one")
        followers.append(on_one)
        on_two = await EventFollower.start(follow_script, two.url, token, library, start,
                                           name="client on two")
        followers.append(on_two)

        # Phase 1: both clients see every photo, including the slow copy, and a second file
        # of known content (the seed's) that is not a new photo.
        copy = inbox / "a-copy-of-seed.jpg"
        await asyncio.to_thread(shutil.copyfile, photos.seed, copy)
        placed = await drop(inbox, "a", photos.first, photos.first_slow)
        for follower in (on_one, on_two):
            await follower.wait_for(has_added(set(placed)), DELIVER_S, "phase-1 PHOTO_ADDED")
            await follower.wait_for(lambda ev: str(copy) in event_paths(ev), DELIVER_S,
                                    "the copy's event")

        # Phase 2: the client on two sees the first photo, then its socket is cut; more
        # photos arrive while it is away; it resumes on server ONE from its last sequence.
        first_of_two = await drop(inbox, "b", photos.second[:1], None)
        placed |= first_of_two
        await on_two.wait_for(has_added(set(first_of_two)), DELIVER_S, "phase-2 first photo")
        on_two.kill()
        await on_two.close()
        last_seen = sequences(on_two.events)[-1]
        placed |= await drop(inbox, "b", photos.second[1:], photos.second_slow)
        resumed = await EventFollower.start(follow_script, one.url, token, library, last_seen,
                                            name="client resumed on one")
        followers.append(resumed)
        for follower, before in ((on_one, []), (resumed, on_two.events)):
            await follower.wait_for(lambda ev, b=before: has_added(set(placed))(b + ev),
                                    DELIVER_S, "every PHOTO_ADDED")

        # Every event of the log, in order, none twice, on each client. The log may still
        # grow (classification); compare up to what it held when read, once delivered.
        log = await events_store.events_since(db, start, [uuid.UUID(library)], 10_000)
        expected = [r.sequence for r in log if r.kind != "JOB_PROGRESS"]
        head = expected[-1]
        for follower, before in ((on_one, []), (resumed, on_two.events)):
            await follower.wait_for(lambda ev, b=before: max(sequences(b + ev)) >= head,
                                    DELIVER_S, f"the log's event {head}")
        for name, got in (("one", on_one.events), ("two, then resumed on one",
                                                   on_two.events + resumed.events)):
            seqs = sequences(got)
            assert seqs == sorted(set(seqs)), f"client {name}: out of order or twice: {seqs}"
            assert delivered(got, head) == expected, f"client {name}: not the log's events"
        assert sequences(resumed.events)[0] > last_seen
        # ... and each event went through Redis, published once by the process that wrote it.
        await tap.wait_for(log[-1].sequence, DELIVER_S)
        published = [n for n in tap.sequences if start < n <= log[-1].sequence]
        assert sorted(published) == [r.sequence for r in log]  # publishes may cross

        # Two watchers, one import: one photo and one PHOTO_ADDED per file, complete.
        adds = Counter(added_paths([{"kind": r.kind, "payload": json.dumps(r.payload)}
                                    for r in log]))
        assert set(adds) == set(placed)
        assert {p: n for p, n in adds.items() if n != 1} == {}, "PHOTO_ADDED more than once"
        # Known content at a new path: one PHOTO_UPDATED (a copy), however many watchers.
        assert [(r.kind, r.payload) for r in log if r.kind in {
            "PHOTO_UPDATED", "FILE_FAILED", "PHOTO_MISSING"}] == [
            ("PHOTO_UPDATED", {"path": str(copy), "change": "copy"})]
        for follower in (on_one, on_two, resumed):
            counts = Counter(added_paths(follower.events))
            assert max(counts.values()) == 1, f"{follower.name} got a photo twice: {counts}"
        page = await http.gql(
            two, "query($l: ID!) { photos(libraryId: $l, first: 100) { totalCount "
                 "edges { node { id files { path size status } } } } }",
            {"l": library}, token=token)
        files = [f for edge in page["photos"]["edges"] for f in edge["node"]["files"]]
        assert page["photos"]["totalCount"] == len(placed) + 1  # + the seed
        seed = str(inbox / "seed.jpg")
        assert sorted(f["path"] for f in files) == sorted([*placed, seed, str(copy)])
        by_path = {f["path"]: edge["node"]["id"] for edge in page["photos"]["edges"]
                   for f in edge["node"]["files"]}
        assert by_path[str(copy)] == by_path[seed]
        for f in files:
            source = placed.get(f["path"], photos.seed)
            assert (f["status"], f["size"]) == ("ok", source.stat().st_size), f

        for server in servers:
            assert await server.stop() == 0, server.output()
            assert await server.wait_group_gone() == [], "worker processes outlived serve"
    finally:
        for follower in followers:
            await follower.close()
        for server in servers:
            if server.process.poll() is None:
                with contextlib.suppress(AssertionError):
                    await server.stop(60)  # SIGTERM first: it stops its own workers
            server.kill()
        http.close()
        if tap is not None:
            await tap.close()
        await db.close()
