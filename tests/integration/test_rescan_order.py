"""Rescans in a database whose default collation is a locale's (ICU English), not bytes.

The rescan merges a walk of the folder with the library's files read back in path order;
both must sort the same. Here the database's own order differs from Python's (upper and
lower case, accents, punctuation), so a merge in the database's default order would report
known files as vanished and new.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest_asyncio

from photonix_rt.config import Config
from photonix_rt.events.memory_bus import MemoryBus
from photonix_rt.pool_client import PoolClient
from photonix_rt.services.events import EventService
from photonix_rt.services.importer import Importer, ImportProgress, Outcome, _is_candidate
from photonix_rt.services.rescan import changes
from photonix_rt.store.db import Database
from photonix_rt.store.migrate import migrate
from tests.unit.test_rescan import TRICKY, _make


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def locale_db(server_url: str) -> AsyncIterator[Database]:
    name = f"photonix_test_icu_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(server_url)
    try:  # our own name, not user input
        await admin.execute(f"""CREATE DATABASE "{name}" TEMPLATE template0 ENCODING 'UTF8'
                                LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'en'""")
    finally:
        await admin.close()
    url = urlunsplit(urlsplit(server_url)._replace(path="/" + name))
    conn = await asyncpg.connect(url)
    try:
        await migrate(conn)
    finally:
        await conn.close()
    db = await Database.connect(url)
    yield db
    await db.close()
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def _library(db: Database, root: Path) -> uuid.UUID:
    library_id = await db.fetchval("INSERT INTO libraries (name) VALUES ($1) RETURNING id",
                                   f"l-{uuid.uuid4().hex}")
    await db.execute("INSERT INTO library_paths (library_id, path) VALUES ($1, $2)",
                     library_id, str(root))
    return library_id


async def test_merge_in_byte_order_whatever_the_database_collation(
        locale_db: Database, tmp_path: Path) -> None:
    root = (tmp_path / "lib").resolve()
    paths = _make(root, TRICKY)
    _make(tmp_path, ["lib-sibling/outside.jpg", "lib0.jpg"])  # next to it, not below
    library_id = await _library(locale_db, root)
    rows = [(p, os.stat(p).st_size, os.stat(p).st_mtime_ns) for p in paths]
    rows += [(str(root / "Gone.jpg"), 1, 1), (str(tmp_path / "lib-sibling/outside.jpg"), 1, 1),
             (str(tmp_path / "lib0.jpg"), 1, 1)]
    await locale_db.executemany(
        "INSERT INTO photo_files (library_id, path, size, mtime_ns, status) "
        "VALUES ($1, $2, $3, $4, 'ok')", [(library_id, *r) for r in rows])
    by_locale = [r["path"] for r in await locale_db.fetch(
        "SELECT path FROM photo_files WHERE library_id = $1 ORDER BY path", library_id)]
    assert by_locale != sorted(by_locale)  # the database's own order is not Python's

    (root / "new é.jpg").write_bytes(b"new")
    os.utime(root / "B.jpg", ns=(1, 1))
    found = sorted([(c.kind.value, c.path) async for c in changes(
        locale_db, library_id, str(root), [str(root)], _is_candidate, batch_size=3)])

    assert found == sorted(
        [("unchanged", p) for p in paths if not p.endswith("/B.jpg")]
        + [("changed", str(root / "B.jpg")), ("new", str(root / "new é.jpg")),
           ("vanished", str(root / "Gone.jpg"))])


async def test_import_and_rescan_with_tricky_names(
        locale_db: Database, tmp_path: Path, fixtures_dir: Path) -> None:
    root = (tmp_path / "lib").resolve()
    paths = _make(root, TRICKY)
    for path in paths:  # one photo under many names: decoded once, the rest are copies
        shutil.copy(fixtures_dir / "photonix" / "snow.jpg", path)
    library_id = await _library(locale_db, root)
    pool = PoolClient(1)
    try:
        importer = Importer(locale_db, Config(data_dir=tmp_path / "data", workers=1), pool,
                            EventService(locale_db, MemoryBus()))
        first = await importer.import_directory(library_id, root, batch_size=4)
        assert first.counts == {Outcome.NEW: 1, Outcome.COPY: len(paths) - 1}

        seen: list[ImportProgress] = []
        again = await importer.import_directory(library_id, root, progress=seen.append,
                                                batch_size=4)
        assert again.counts == {Outcome.UNCHANGED: len(paths)}
        assert again.missing == []
        assert seen[0].phase == "counting"
        assert [(p.done, p.total) for p in seen[1:]] == [
            (i, len(paths)) for i in range(1, len(paths) + 1)]

        os.remove(root / "É.jpg")
        shutil.rmtree(root / "a")
        third = await importer.import_directory(library_id, root, batch_size=4)
        assert sorted(third.missing) == [str(root / "a/x.jpg"), str(root / "É.jpg")]
        assert third.counts == {Outcome.UNCHANGED: len(paths) - 2}
        assert await locale_db.fetchval(
            "SELECT count(*) FROM photo_files WHERE library_id = $1 AND status = 'missing'",
            library_id) == 2
    finally:
        await pool.close()
