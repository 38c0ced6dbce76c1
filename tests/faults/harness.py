"""Real deployments for fault tests: ``photonix-rt serve`` processes on a PostgreSQL (and a
Redis) of the test's own, a user from the CLI, a library made through GraphQL, small photos.

Usage::

    deployment = Deployment(tmp_path, own_postgres.database_url(name), redis_url=None)
    await deployment.create_admin()
    server = await deployment.start_server("one")
    library = await deployment.create_library(server, deployment.inbox)
    make_photos(deployment.inbox, 20, prefix="a")
    await deployment.wait_until(lambda: deployment.count_files(...) == 20, 60, "imported")
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
from PIL import Image
from tornado.simple_httpclient import SimpleAsyncHTTPClient

from tests.e2e.serve_process import ServerProcess, free_port, photonix_env, run_cli

__all__ = ["Deployment", "GqlAnswer", "child_pids", "make_photo_bytes", "make_photos",
           "process_alive", "wait_until"]

PASSWORD = "pw-faults-admin"
START_S = 180      # deadlines to fail instead of hanging, not timings: two shared cores
SETTLE_S = 120


@dataclass
class GqlAnswer:
    status: int
    body: dict[str, Any]

    @property
    def data(self) -> dict[str, Any]:
        assert self.status == 200 and not self.body.get("errors"), (self.status, self.body)
        return self.body["data"]


def make_photo_bytes(seed: int, size: tuple[int, int] = (64, 48)) -> bytes:
    """A small JPEG of its own content (noise from ``seed``)."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    pixels = image.load()
    assert pixels is not None
    for _ in range(size[0] * size[1] // 4):
        pixels[rng.randrange(size[0]), rng.randrange(size[1])] = (
            rng.randrange(256), rng.randrange(256), rng.randrange(256))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def make_photos(folder: Path, count: int, *, prefix: str, seed: int = 0) -> list[Path]:
    """Blocking: ``count`` distinct small JPEGs in ``folder`` (written then renamed in, so
    the watcher never sees half a file)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"{prefix}-{n:04d}.jpg"
        partial = folder / f".{prefix}-{n:04d}.part"
        partial.write_bytes(make_photo_bytes(hash((prefix, seed, n)) & 0xFFFFFFFF))
        partial.rename(path)
        paths.append(path)
    return paths


def process_alive(pid: int) -> bool:
    """Blocking: the process exists and is not a zombie (Linux /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def child_pids(pid: int) -> list[int]:
    """Blocking: the live children of ``pid`` (Linux /proc), oldest first."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            children.append((int(fields[19]), int(stat.parent.name)))  # start time, pid
    return [child for _start, child in sorted(children)]


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


async def wait_until(check: Callable[[], Awaitable[bool]], timeout_s: float, what: str,
                     interval_s: float = 0.3) -> float:
    """Until ``check()``; returns the seconds it took, fails on the deadline."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    while not await check():
        if loop.time() - start > timeout_s:
            raise AssertionError(f"not within {timeout_s}s: {what}")
        await asyncio.sleep(interval_s)
    return loop.time() - start


@dataclass
class Deployment:
    """One test's servers, their data dir, the watched inbox and a database connection."""

    tmp: Path
    database_url: str
    redis_url: str | None = None
    settings: dict[str, str] = field(default_factory=dict)
    servers: list[ServerProcess] = field(default_factory=list)
    token: str | None = None

    def __post_init__(self) -> None:
        self.inbox = self.tmp / "inbox"
        self.inbox.mkdir(parents=True, exist_ok=True)
        models = self.tmp / "no-models"  # the model-free stages only: fast, no TensorFlow
        models.mkdir(exist_ok=True)
        self.env = photonix_env(
            database_url=self.database_url, redis_url=self.redis_url,
            data_dir=self.tmp / "data",
            PHOTONIX_ALLOWED_ROOTS=str(self.tmp), PHOTONIX_MODELS_DIR=str(models),
            PHOTONIX_RESCAN_INTERVAL="3600",  # a rescan must not be what saves a test
            **self.settings)
        self._http = SimpleAsyncHTTPClient(force_instance=True)
        self._db: asyncpg.Pool | None = None

    async def db(self) -> asyncpg.Pool:
        if self._db is None:
            self._db = await asyncpg.create_pool(self.database_url, min_size=1, max_size=2)
        return self._db

    async def drop_connections(self) -> None:
        """Close our own pool (before the database goes away); the next call reopens it."""
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def create_admin(self) -> None:
        await run_cli(self.env, "user", "create", "admin", "--admin", "--password-stdin",
                      stdin=PASSWORD + "\n")

    async def start_server(self, name: str, port: int | None = None) -> ServerProcess:
        server = ServerProcess.start(self.env, port=port or free_port(),
                                     log_path=self.tmp / f"serve-{name}.log")
        self.servers.append(server)
        await server.wait_ready(START_S)
        if self.token is None:
            login = await self.gql(server, "mutation($p: String!) { login(username: \"admin\", "
                                           "password: $p) { accessToken } }", {"p": PASSWORD},
                                   token=None)
            self.token = login.data["login"]["accessToken"]
        return server

    async def gql(self, server: ServerProcess, query: str,
                  variables: dict[str, Any] | None = None, *, token: str | bool | None = True,
                  timeout_s: float = 60) -> GqlAnswer:
        headers = {"Content-Type": "application/json"}
        bearer = self.token if token is True else token
        if isinstance(bearer, str):
            headers["Authorization"] = f"Bearer {bearer}"
        response = await self._http.fetch(
            server.url + "/graphql", method="POST", headers=headers, raise_error=False,
            body=json.dumps({"query": query, "variables": variables}),
            request_timeout=timeout_s, connect_timeout=timeout_s)
        try:
            body = json.loads(response.body or b"{}")
        except ValueError:
            body = {"unparsable": (response.body or b"")[:500].decode(errors="replace")}
        return GqlAnswer(response.code, body)

    async def create_library(self, server: ServerProcess, folder: Path,
                             name: str = "faults") -> str:
        created = await self.gql(server, "mutation($n: String!) { createLibrary(name: $n) "
                                         "{ id } }", {"n": name})
        library = created.data["createLibrary"]["id"]
        await self.gql(server, "mutation($l: ID!, $p: String!) { addLibraryPath(libraryId: $l, "
                               "path: $p) { id } }", {"l": library, "p": str(folder)})
        await server.wait_watching(folder, START_S)
        return library

    # ---- what the database says ---------------------------------------------------------

    async def files(self) -> dict[str, tuple[str, str | None]]:
        """path -> (status, error) of every file row."""
        pool = await self.db()
        rows = await pool.fetch("SELECT path, status, error FROM photo_files")
        return {r["path"]: (r["status"], r["error"]) for r in rows}

    async def ok_paths(self) -> set[str]:
        return {p for p, (status, _e) in (await self.files()).items() if status == "ok"}

    async def event_counts(self, kind: str) -> dict[tuple[str | None, str | None], int]:
        """(photo id, payload path or stage) -> how many events of ``kind``."""
        pool = await self.db()
        rows = await pool.fetch(
            "SELECT photo_id::text AS photo, coalesce(payload->>'path', payload->>'stage') "
            "AS what, count(*) AS n FROM events WHERE kind = $1 GROUP BY 1, 2", kind)
        return {(r["photo"], r["what"]): r["n"] for r in rows}

    async def jobs(self) -> list[asyncpg.Record]:
        pool = await self.db()
        return await pool.fetch("SELECT photo_id, stage, status, attempts, last_error "
                                "FROM jobs ORDER BY id")

    async def stages(self) -> list[str]:
        pool = await self.db()
        return [r["name"] for r in await pool.fetch(
            "SELECT name FROM classifiers WHERE available ORDER BY name")]

    async def wait_stages(self) -> list[str]:
        """Until the classification runner has recorded what it loaded (it starts in the
        background); the available stages."""
        pool = await self.db()

        async def recorded() -> bool:
            return bool(await pool.fetchval("SELECT count(*) FROM classifiers"))

        await wait_until(recorded, START_S, "the classifier report")
        return await self.stages()

    async def photo_count(self) -> int:
        pool = await self.db()
        return int(await pool.fetchval("SELECT count(*) FROM photos"))

    async def close(self) -> None:
        for server in self.servers:
            if server.process.poll() is None:
                with contextlib.suppress(AssertionError):
                    await server.stop(60)  # SIGTERM first: it stops its own workers
            server.kill()
        self._http.close()
        if self._db is not None:
            await self._db.close()
