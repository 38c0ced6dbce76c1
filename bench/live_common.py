"""Shared set-up for the live benchmarks: a fresh database, the real app on a port, a user.

Not a benchmark itself. The database server comes from ``PHOTONIX_TEST_DATABASE_URL`` or
``DATABASE_URL`` (a throw-away database is created there and dropped afterwards).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from tornado.httpclient import AsyncHTTPClient
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port

from photonix_rt.app import make_app, open_services
from photonix_rt.config import Config
from photonix_rt.services.container import Services
from photonix_rt.store.db import Database
from photonix_rt.store.migrate import migrate

__all__ = ["Live", "percentile", "rss_mb", "running_server", "summary"]

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process, in MiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Live:
    services: Services
    url: str
    token: str
    library_id: str
    folder: Path

    async def gql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        response = await AsyncHTTPClient().fetch(
            self.url + "/graphql", method="POST", headers=headers,
            body=json.dumps({"query": query, "variables": variables}))
        body = json.loads(response.body)
        assert not body.get("errors"), body
        return body["data"]


def _server_url() -> str:
    url = os.environ.get("PHOTONIX_TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("set PHOTONIX_TEST_DATABASE_URL (a PostgreSQL server the benchmark may use)")
    return url


@asynccontextmanager
async def running_server(workers: int = 2) -> AsyncIterator[Live]:
    """A fresh database, the app on a free port, user ``bench`` with library ``bench``."""
    server_url = _server_url()
    name = f"photonix_bench_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(server_url)
    await admin.execute(f'CREATE DATABASE "{name}"')  # our own name, not input
    await admin.close()
    url = urlunsplit(urlsplit(server_url)._replace(path="/" + name))
    tmp = Path(tempfile.mkdtemp(prefix="photonix-bench-"))
    folder = tmp / "inbox"
    folder.mkdir()
    try:
        conn = await asyncpg.connect(url)
        await migrate(conn)
        await conn.close()
        db = await Database.connect(url, max_size=20)
        config = Config(data_dir=tmp / "data", database_url=url, allowed_roots=(tmp,),
                        workers=workers, redis_url=os.environ.get("REDIS_URL"))
        try:
            async with open_services(config, db) as services:
                sock, port = bind_unused_port()
                http_server = HTTPServer(make_app(services))
                http_server.add_sockets([sock])
                base = f"http://127.0.0.1:{port}"
                # Admin: only admins add library folders (addLibraryPath below).
                await services.users.create("bench", "bench-password", is_admin=True)
                live = Live(services, base, "", "", folder)
                login = await live.gql('mutation { login(username: "bench", '
                                       'password: "bench-password") { accessToken } }')
                live.token = login["login"]["accessToken"]
                created = await live.gql('mutation { createLibrary(name: "bench") { id } }')
                live.library_id = created["createLibrary"]["id"]
                await live.gql("mutation($l: ID!, $p: String!) { addLibraryPath("
                               "libraryId: $l, path: $p) { id } }",
                               {"l": live.library_id, "p": str(folder)})
                try:
                    yield live
                finally:
                    http_server.stop()
                    await http_server.close_all_connections()
        finally:
            await db.close()
    finally:
        admin = await asyncpg.connect(server_url)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def summary(label: str, values_ms: list[float]) -> str:
    return (f"{label}: n={len(values_ms)} p50={percentile(values_ms, 50):.1f} ms "
            f"p95={percentile(values_ms, 95):.1f} ms p99={percentile(values_ms, 99):.1f} ms "
            f"max={max(values_ms):.1f} ms mean={statistics.fmean(values_ms):.1f} ms")
