"""End to end: a watched folder, files copied in (one slowly), the npm graphql-ws client in Node.

The Node client (``subscribe.mjs``) is the stock ``graphql-ws`` package; ``npm install`` runs
here when ``node_modules`` is missing (skipped when Node or npm is absent). The Redis test
runs two servers on one database, each with its own Redis bus connection, and a client on
each: both must deliver every event.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import redis.asyncio as aioredis
from tornado.httpclient import AsyncHTTPClient

from photonix_rt.app import open_services
from photonix_rt.config import Config
from photonix_rt.services.container import Services
from photonix_rt.store import events as events_store
from photonix_rt.store.db import Database
from photonix_rt.watcher.watch import Watcher
from tests.integration.conftest import serving
from tests.integration.photo_factory import Gql, data_of, make_library

HERE = Path(__file__).resolve().parent
REDIS_URL = os.environ.get("PHOTONIX_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def node_client(node_scripts: Path) -> Path:
    return node_scripts / "subscribe.mjs"


@pytest.fixture
def photos(fixtures_dir: Path) -> list[Path]:
    folder = fixtures_dir / "photonix"
    return [folder / "snow.jpg", folder / "tree.jpg", folder / "photo_no_metadata_1.jpg"]


class NodeSubscriber:
    """``node subscribe.mjs`` as a child process; its stdout lines are the events."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, script: Path, server: str, token: str, library: UUID, count: int,
                    since: int) -> NodeSubscriber:
        url = server.replace("http", "ws", 1) + "/graphql"
        process = await asyncio.create_subprocess_exec(
            "node", str(script), url, token, str(library), str(count), str(since),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, cwd=script.parent)
        subscriber = cls(process)
        assert await subscriber.line() == {"connected": True}
        return subscriber

    async def line(self) -> Any:
        assert self.process.stdout is not None
        raw = await asyncio.wait_for(self.process.stdout.readline(), 60)
        if not raw:
            assert self.process.stderr is not None
            error = await self.process.stderr.read()
            raise AssertionError(f"node exited {await self.process.wait()}: {error.decode()}")
        return json.loads(raw)

    async def events(self, count: int) -> list[dict[str, Any]]:
        got = []
        for _ in range(count):
            message = await self.line()
            assert "errors" not in message, message
            got.append(message["data"]["events"])
        assert await asyncio.wait_for(self.process.wait(), 30) == 0
        return got

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()


def copy_slowly(src: Path, dst: Path) -> None:
    data = src.read_bytes()
    step = len(data) // 3 + 1
    with dst.open("wb") as out:
        for start in range(0, len(data), step):
            out.write(data[start:start + step])
            out.flush()
            time.sleep(0.4)


async def watched_library(gql: Gql, token: str, folder: Path) -> UUID:
    library = await make_library(gql, token, "e2e")
    data_of(await gql("mutation($l: ID!, $p: String!) { addLibraryPath(libraryId: $l, path: $p) "
                      "{ id } }", {"l": str(library), "p": str(folder)}, token=token))
    return library


@asynccontextmanager
async def watching(services: Services, library: UUID, folder: Path) -> AsyncIterator[Watcher]:
    async def load_paths() -> list[tuple[UUID, str]]:
        return [(library, str(folder))]

    watcher = Watcher(services.importer, load_paths, rescan_interval_s=3600)
    await watcher.start(initial_scan=False)
    try:
        yield watcher
    finally:
        await watcher.close()


async def drop_photos(folder: Path, photos: list[Path]) -> set[str]:
    await asyncio.to_thread(shutil.copyfile, photos[0], folder / "a.jpg")
    await asyncio.to_thread(shutil.copyfile, photos[1], folder / "b.jpg")
    await asyncio.to_thread(copy_slowly, photos[2], folder / "slow.jpg")
    return {str(folder / n) for n in ("a.jpg", "b.jpg", "slow.jpg")}


def check(events: list[dict[str, Any]], library: UUID, expected: set[str]) -> None:
    assert [e["kind"] for e in events] == ["PHOTO_ADDED"] * 3
    assert {e["libraryId"] for e in events} == {str(library)}
    assert {e["photo"]["files"][0]["path"] for e in events} == expected
    sequences = [int(e["sequence"]) for e in events]
    assert sequences == sorted(sequences)


async def test_graphql_ws_client_sees_photos_dropped_into_a_watched_folder(
        node_client: Path, server: str, services: Services, make_user: Any, gql: Gql,
        tmp_path: Path, photos: list[Path]) -> None:
    token = await make_user("ann", admin=True)  # admins add folders
    folder = tmp_path / "inbox"
    folder.mkdir()
    library = await watched_library(gql, token, folder)
    since = await events_store.last_sequence(services.db)
    subscriber = await NodeSubscriber.start(node_client, server, token, library, 3, since)
    try:
        async with watching(services, library, folder):
            expected = await drop_photos(folder, photos)
            check(await subscriber.events(3), library, expected)
    finally:
        subscriber.kill()


async def test_two_servers_behind_redis_both_deliver(
        node_client: Path, config: Config, db: Database, tmp_path: Path,
        photos: list[Path]) -> None:
    client = aioredis.Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except OSError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    finally:
        await client.aclose()
    redis_config = replace(config, redis_url=REDIS_URL)
    folder = tmp_path / "inbox"
    folder.mkdir()
    async with open_services(redis_config, db) as one, open_services(redis_config, db) as two, \
            serving(one) as server_one, serving(two) as server_two:
        await one.users.create("ann", "ann-pass-phrase", is_admin=True)  # admins add folders
        http = AsyncHTTPClient()

        async def gql(query: str, variables: dict[str, Any] | None = None,
                      token: str | None = None) -> dict[str, Any]:
            headers = {"Content-Type": "application/json"}
            if token:
                headers["Authorization"] = f"Bearer {token}"
            response = await http.fetch(server_one + "/graphql", method="POST", headers=headers,
                                        body=json.dumps({"query": query,
                                                         "variables": variables}))
            return json.loads(response.body)

        login = data_of(await gql("mutation { login(username: \"ann\", "
                                  "password: \"ann-pass-phrase\") { accessToken } }"))
        token = login["login"]["accessToken"]
        library = await watched_library(gql, token, folder)
        since = await events_store.last_sequence(db)
        subscribers = [await NodeSubscriber.start(node_client, s, token, library, 3, since)
                       for s in (server_one, server_two)]
        try:
            async with watching(one, library, folder):  # only server one imports
                expected = await drop_photos(folder, photos)
                for subscriber in subscribers:
                    check(await subscriber.events(3), library, expected)
        finally:
            for subscriber in subscribers:
                subscriber.kill()
