"""Files dropped while PostgreSQL is down are imported once it returns, without a rescan.

The test runs a PostgreSQL of its own (never the shared one), stops it for a few seconds
while files are dropped into a watched folder, then starts it again.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path
from uuid import UUID

import asyncpg

from photonix_rt.config import Config
from photonix_rt.events.memory_bus import MemoryBus
from photonix_rt.pool_client import PoolClient
from photonix_rt.services.events import EventService
from photonix_rt.services.importer import Importer
from photonix_rt.store.db import Database
from photonix_rt.watcher.watch import Watcher
from tests.integration.own_postgres import OwnPostgres


async def test_files_dropped_while_the_database_is_down_are_imported_when_it_returns(
        own_postgres: OwnPostgres, own_db: Database, tmp_path: Path,
        fixtures_dir: Path) -> None:
    root = tmp_path / "library"
    root.mkdir()
    library_id: UUID = await own_db.fetchval(
        "INSERT INTO libraries (name) VALUES ('outage') RETURNING id")
    await own_db.execute("INSERT INTO library_paths (library_id, path) VALUES ($1, $2)",
                         library_id, str(root))
    pool = PoolClient(1)
    importer = Importer(own_db, Config(data_dir=tmp_path / "data", workers=1), pool,
                        EventService(own_db, MemoryBus()))

    async def load_paths() -> list[tuple[UUID, str]]:
        return [(library_id, str(root))]

    watcher = Watcher(importer, load_paths, rescan_interval_s=3600, retry_max_s=2.0)
    source = fixtures_dir / "photonix" / "snow.jpg"
    dropped = [root / f"before-{i}.jpg" for i in range(2)]

    async def ok_files() -> set[str]:
        rows = await own_db.fetch("SELECT path FROM photo_files WHERE status = 'ok'")
        return {r["path"] for r in rows}

    async def all_imported(wait_s: float) -> set[str]:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                found = await ok_files()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                found = set()
            if found >= {str(p) for p in dropped} or time.monotonic() > deadline:
                return found
            await asyncio.sleep(0.2)

    await watcher.start(initial_scan=False)
    try:
        for path in dropped:
            await asyncio.to_thread(shutil.copyfile, source, path)
        assert await all_imported(30) >= {str(p) for p in dropped}

        await asyncio.to_thread(own_postgres.stop)
        during = [root / f"during-{i}.jpg" for i in range(8)]
        for path in during:  # each dropped while the database cannot be reached
            await asyncio.to_thread(shutil.copyfile, source, path)
            await asyncio.sleep(0.3)
        await asyncio.sleep(2.0)
        await asyncio.to_thread(own_postgres.start)
        dropped += during
        found = await all_imported(40)  # the back-off is capped at 2 s here
        assert found == {str(p) for p in dropped}
    finally:
        await watcher.close()
        await pool.close()
