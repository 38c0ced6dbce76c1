"""Backups of an external PostgreSQL (``DATABASE_URL``): ``pg_dump`` picked to fit the server,
restored into another, empty database; the daily schedule writes and prunes (issue 12).

The embedded default, with real processes and classifiers, is ``tests/e2e``'s
``test_backup_restore.py``.
"""

from __future__ import annotations

import asyncio
import os
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from photonix_rt.config import Config
from photonix_rt.errors import Conflict
from photonix_rt.services.backup import (
    backup_name,
    read_manifest,
    restore_backup,
    run_backup_schedule,
    write_backup,
)
from photonix_rt.services.container import Services
from photonix_rt.store.db import Database
from tests.e2e.serve_process import scratch_database


def opener(url: str) -> Any:
    @asynccontextmanager
    async def database_url(_config: Config) -> Any:
        yield url

    return database_url


async def test_an_external_database_restores_into_an_empty_one(
        services: Services, db: Database, config: Config, server_url: str, make_user: Any,
        gql: Any, tmp_path: Path) -> None:
    token = await make_user("keeper", admin=True)
    library = (await gql('mutation { createLibrary(name: "Kept") { id } }',
                         token=token))["data"]["createLibrary"]["id"]
    await gql('mutation($l: ID!) { createAlbum(libraryId: $l, name: "Winter") { id } }',
              {"l": library}, token=token)
    archive = await write_backup(db.url, config.secret_key_path, tmp_path / backup_name())
    manifest = read_manifest(archive)
    assert manifest.has_secret and "001_core.sql" in manifest.migrations

    async with scratch_database(server_url, "photonix_restore") as target:
        restored = replace(config, data_dir=tmp_path / "restored", database_url=target)
        await restore_backup(restored, archive, opener(target))
        assert (restored.secret_key_path.read_bytes()
                == config.secret_key_path.read_bytes())
        copy = await Database.connect(target)
        try:
            names = {r["name"] for r in await copy.fetch("SELECT name FROM tags")}
            users = {r["username"] for r in await copy.fetch("SELECT username FROM users")}
        finally:
            await copy.close()
        assert "Winter" in names and "keeper" in users
        # Not twice: the database is no longer empty (a new data dir does not help).
        again = replace(restored, data_dir=tmp_path / "another")
        with pytest.raises(Conflict, match="not empty"):
            await restore_backup(again, archive, opener(target))
        assert not again.secret_key_path.exists()


async def test_the_daily_schedule_writes_and_keeps_n(db: Database, config: Config,
                                                    tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in range(1, 4):  # three old ones, two days apart and more
        old = folder / f"photonix-rt-backup-2020010{day}T000000Z.tar"
        old.write_bytes(b"old")
        stamp = datetime(2020, 1, day, tzinfo=UTC).timestamp()
        os.utime(old, (stamp, stamp))
    scheduled = replace(config, backup_dir_override=folder, backup_keep_override=2)
    task = asyncio.create_task(run_backup_schedule(db.url, scheduled, check_every_s=3600,
                                                   first_check_s=0))
    try:
        for _ in range(600):
            names = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
            if len(names) == 2 and not names[-1].startswith("photonix-rt-backup-2020"):
                break
            await asyncio.sleep(0.1)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert names[0] == "photonix-rt-backup-20200103T000000Z.tar", names
    assert read_manifest(folder / names[1]).migrations  # a real, readable backup
