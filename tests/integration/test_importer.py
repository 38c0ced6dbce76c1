"""The importer against a real database, real worker processes and real fixture photos."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import pytest_asyncio

from photonix_rt.config import Config
from photonix_rt.events.memory_bus import MemoryBus
from photonix_rt.pool_client import PoolClient
from photonix_rt.services.events import EventService
from photonix_rt.services.importer import Importer, Outcome
from photonix_rt.store.db import Database
from workers.ingest.thumbnails import thumbnail_path


class CountingPool(PoolClient):
    """The real process pool, counting the tasks it was given by name."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.calls: list[str] = []

    async def run(self, fn: Any, *args: Any) -> Any:
        self.calls.append(args[0])
        return await super().run(fn, *args)


@pytest_asyncio.fixture(loop_scope="session")
async def pool() -> AsyncIterator[CountingPool]:
    pool = CountingPool(1)
    yield pool
    await pool.close()


@pytest_asyncio.fixture(loop_scope="session")
async def library_id(db: Database) -> UUID:
    return await db.fetchval("INSERT INTO libraries (name) VALUES ('test') RETURNING id")


@pytest.fixture
def photos(tmp_path: Path, fixtures_dir: Path) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir()
    source = fixtures_dir / "photonix"
    shutil.copy(source / "snow.jpg", folder / "snow.jpg")
    shutil.copy(source / "tree.jpg", folder / "tree.jpg")
    (folder / "notes.jpg").write_text("this is not a photo")
    (folder / "truncated.jpg").write_bytes((source / "snow.jpg").read_bytes()[:4000])
    (folder / "README.txt").write_text("ignored: not a photo suffix")
    return folder


def _importer(db: Database, data_dir: Path, pool: PoolClient, bus: MemoryBus) -> Importer:
    config = Config(data_dir=data_dir, workers=1)
    return Importer(db, config, pool, EventService(db, bus))


async def test_import_reconcile_copy_move_change_delete(
        db: Database, data_dir: Path, pool: CountingPool, library_id: UUID,
        photos: Path, fixtures_dir: Path) -> None:
    importer = _importer(db, data_dir, pool, MemoryBus())

    first = await importer.import_directory(library_id, photos)
    assert first.counts == {Outcome.NEW: 2, Outcome.FAILED: 2}
    assert sorted(p for p, _ in first.failures) == [str(photos / "notes.jpg"),
                                                    str(photos / "truncated.jpg")]
    assert await db.fetchval("SELECT count(*) FROM photos") == 2
    errors = await db.fetch("SELECT error FROM photo_files WHERE status = 'error'")
    assert len(errors) == 2
    assert all(r["error"] for r in errors)  # a reason is recorded, not just a status
    logged = await db.fetch(
        "SELECT kind, photo_id FROM events WHERE library_id = $1 ORDER BY sequence", library_id)
    assert sorted(r["kind"] for r in logged) == ["FILE_FAILED", "FILE_FAILED", "PHOTO_ADDED",
                                                 "PHOTO_ADDED"]

    snow_id = await db.fetchval(
        "SELECT photo_id FROM photo_files WHERE path = $1", str(photos / "snow.jpg"))
    key = await db.fetchval("SELECT thumbnail_key FROM photos WHERE id = $1", snow_id)
    preview = data_dir / "thumbnails" / key[:2] / key / "preview.webp"
    assert preview.is_file()
    preview_mtime = preview.stat().st_mtime_ns

    # A rescan of an unchanged folder opens nothing.
    pool.calls.clear()
    again = await importer.import_directory(library_id, photos)
    assert again.counts == {Outcome.UNCHANGED: 4}  # failed files are not retried unchanged
    assert "ingest" not in pool.calls
    assert preview.stat().st_mtime_ns == preview_mtime

    # A copy is a second file of the same photo; a move keeps the photo; neither decodes.
    (photos / "sub").mkdir()
    shutil.copy(photos / "snow.jpg", photos / "sub" / "snow-copy.jpg")
    (photos / "moved").mkdir()
    os.rename(photos / "tree.jpg", photos / "moved" / "tree.jpg")
    tree_id = await db.fetchval(
        "SELECT photo_id FROM photo_files WHERE path = $1", str(photos / "tree.jpg"))
    pool.calls.clear()
    third = await importer.import_directory(library_id, photos)
    assert "ingest" not in pool.calls
    assert third.counts.get(Outcome.COPY) == 1
    assert third.counts.get(Outcome.MOVED) == 1
    assert await db.fetchval("SELECT count(*) FROM photos") == 2
    assert await db.fetchval(
        "SELECT count(*) FROM photo_files WHERE photo_id = $1", snow_id) == 2
    assert await db.fetchval("SELECT photo_id FROM photo_files WHERE path = $1",
                             str(photos / "moved" / "tree.jpg")) == tree_id
    assert await db.fetchval("SELECT count(*) FROM photo_files WHERE path = $1",
                             str(photos / "tree.jpg")) == 0

    # New content at a known path re-reads that photo in place; its rating survives.
    await db.execute("UPDATE photos SET rating = 4 WHERE id = $1", tree_id)
    target = photos / "moved" / "tree.jpg"
    shutil.copy(fixtures_dir / "photonix" / "bad_date.jpg", target)
    os.utime(target, ns=(1, 1_000_000_000))
    fourth = await importer.import_paths(library_id, [str(target)])
    assert fourth.counts == {Outcome.CHANGED: 1}
    row = await db.fetchrow("SELECT rating, taken_at_local FROM photos WHERE id = $1", tree_id)
    assert row["rating"] == 4
    assert row["taken_at_local"].date().isoformat() == "2000-01-01"

    # A deleted file is marked missing; its photo stays.
    os.remove(photos / "sub" / "snow-copy.jpg")
    fifth = await importer.import_directory(library_id, photos)
    assert fifth.missing == [str(photos / "sub" / "snow-copy.jpg")]
    assert await db.fetchval("SELECT status FROM photo_files WHERE path = $1",
                             str(photos / "sub" / "snow-copy.jpg")) == "missing"
    assert await db.fetchval("SELECT count(*) FROM photos") == 2


async def test_identical_files_in_one_batch_become_one_photo(
        db: Database, data_dir: Path, pool: CountingPool, library_id: UUID, tmp_path: Path,
        fixtures_dir: Path) -> None:
    folder = tmp_path / "dupes"
    folder.mkdir()
    for name in ("a.jpg", "b.jpg", "c.jpg"):
        shutil.copy(fixtures_dir / "photonix" / "snow.jpg", folder / name)
    importer = _importer(db, data_dir, pool, MemoryBus())
    summary = await importer.import_directory(library_id, folder)
    assert summary.counts.get(Outcome.NEW) == 1
    assert summary.counts.get(Outcome.COPY) == 2
    assert await db.fetchval("SELECT count(*) FROM photos") == 1
    assert await db.fetchval("SELECT count(DISTINCT photo_id) FROM photo_files") == 1


async def test_every_fixture_imports_without_crashing(
        db: Database, data_dir: Path, pool: CountingPool, library_id: UUID,
        fixtures_dir: Path) -> None:
    """The whole shared collection: broken files are listed with reasons, nothing raises."""
    summary = await _importer(db, data_dir, pool, MemoryBus()).import_directory(
        library_id, fixtures_dir)
    assert summary.counts.get(Outcome.NEW, 0) > 50
    for path, reason in summary.failures:
        assert reason and "Traceback" not in reason, path
    errors = await db.fetchval("SELECT count(*) FROM photo_files WHERE status = 'error'")
    assert errors == len(summary.failures)


async def test_two_importers_racing_on_one_file_store_it_once(
        db: Database, data_dir: Path, pool: CountingPool, library_id: UUID, tmp_path: Path,
        fixtures_dir: Path) -> None:
    """Two server processes watching one folder: one photo, one PHOTO_ADDED, type kept."""
    folder = tmp_path / "shared"
    folder.mkdir()
    target = folder / "snow.jpg"
    shutil.copy(fixtures_dir / "photonix" / "snow.jpg", target)
    other_pool = CountingPool(1)
    try:
        first = _importer(db, data_dir, pool, MemoryBus())
        second = _importer(db, data_dir, other_pool, MemoryBus())
        results = await asyncio.gather(first.import_paths(library_id, [str(target)]),
                                       second.import_paths(library_id, [str(target)]))
    finally:
        await other_pool.close()
    outcomes = sorted(o for r in results for o in r.counts)
    assert outcomes in ([Outcome.NEW, Outcome.UNCHANGED], [Outcome.NEW])  # the loser stays quiet
    assert await db.fetchval("SELECT count(*) FROM photos") == 1
    assert await db.fetchval(
        "SELECT count(*) FROM events WHERE kind = 'PHOTO_ADDED' AND library_id = $1",
        library_id) == 1
    assert await db.fetchval("SELECT mime_type FROM photo_files") == "image/jpeg"


async def test_links_leading_out_of_the_library_folder_are_skipped(
        db: Database, data_dir: Path, pool: CountingPool, library_id: UUID, tmp_path: Path,
        fixtures_dir: Path) -> None:
    folder = tmp_path / "linked"
    folder.mkdir()
    shutil.copy(fixtures_dir / "photonix" / "snow.jpg", folder / "snow.jpg")
    (folder / "inside.jpg").symlink_to(folder / "snow.jpg")
    outside = tmp_path / "private.jpg"
    shutil.copy(fixtures_dir / "photonix" / "tree.jpg", outside)
    (folder / "leak.jpg").symlink_to(outside)
    await db.execute("INSERT INTO library_paths (library_id, path) VALUES ($1, $2)",
                     library_id, str(folder))
    importer = _importer(db, data_dir, pool, MemoryBus())

    summary = await importer.import_directory(library_id, folder)
    assert summary.counts == {Outcome.NEW: 1, Outcome.COPY: 1}
    watched = await importer.import_paths(library_id, [str(folder / "leak.jpg")])
    assert watched.total == 0
    paths = {r["path"] for r in await db.fetch("SELECT path FROM photo_files")}
    assert paths == {str(folder / "snow.jpg"), str(folder / "inside.jpg")}


async def test_a_photo_swapped_for_a_link_out_of_the_library_is_not_read(
        db: Database, data_dir: Path, pool: CountingPool, library_id: UUID, tmp_path: Path,
        fixtures_dir: Path) -> None:
    """Issue 10, finding 4: the watcher's path marks it missing; the workers refuse it."""
    folder = tmp_path / "lib"
    folder.mkdir()
    shutil.copy(fixtures_dir / "photonix" / "snow.jpg", folder / "snow.jpg")
    await db.execute("INSERT INTO library_paths (library_id, path) VALUES ($1, $2)",
                     library_id, str(folder))
    importer = _importer(db, data_dir, pool, MemoryBus())
    assert (await importer.import_directory(library_id, folder)).counts == {Outcome.NEW: 1}

    secret = tmp_path / "secret.jpg"
    shutil.copy(fixtures_dir / "photonix" / "tree.jpg", secret)
    (folder / ".swap").symlink_to(secret)
    os.rename(folder / ".swap", folder / "snow.jpg")
    await importer.import_paths(library_id, [str(folder / "snow.jpg")])
    assert await db.fetchval("SELECT status FROM photo_files WHERE path = $1",
                             str(folder / "snow.jpg")) == "missing"
    assert await db.fetchval("SELECT count(*) FROM photos") == 1

    # Swapped between the check and the read: the worker itself refuses to open it.
    from workers.ingest.hashing import digest_file
    from workers.safe_files import OutsideLibrary
    with pytest.raises(OutsideLibrary):
        digest_file(str(folder / "snow.jpg"), [str(folder)])


async def test_a_sub_folder_swapped_for_a_link_out_of_the_library_is_not_imported(
        db: Database, data_dir: Path, pool: CountingPool, library_id: UUID, tmp_path: Path,
        fixtures_dir: Path) -> None:
    """Issue 10, finding 5: neither the folder scan nor the watcher's paths follow it."""
    folder = tmp_path / "lib"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(fixtures_dir / "photonix" / "snow.jpg", folder / "sub" / "snow.jpg")
    await db.execute("INSERT INTO library_paths (library_id, path) VALUES ($1, $2)",
                     library_id, str(folder))
    importer = _importer(db, data_dir, pool, MemoryBus())
    assert (await importer.import_directory(library_id, folder)).counts == {Outcome.NEW: 1}

    outside = tmp_path / "someone-else"
    outside.mkdir()
    shutil.copy(fixtures_dir / "photonix" / "tree.jpg", outside / "tree.jpg")
    os.rename(folder / "sub", tmp_path / "moved-away")
    (folder / "sub").symlink_to(outside, target_is_directory=True)

    part = await importer.import_directory(library_id, folder / "sub")  # the watcher's reconcile
    assert part.total == 0
    assert part.missing == [str(folder / "sub" / "snow.jpg")]
    watched = await importer.import_paths(library_id, [str(folder / "sub" / "tree.jpg")])
    assert watched.total == 0
    whole = await importer.scan_library(library_id)
    assert whole.total == 0
    paths = {r["path"] for r in await db.fetch(
        "SELECT path FROM photo_files WHERE status <> 'missing'")}
    assert paths == set()
    assert await db.fetchval("SELECT count(*) FROM photos") == 1


class SwappingPool(PoolClient):
    """The real process pool; just before the preview task is handed to it, ``swap`` runs
    (a photo replaced by a link between its ingest and its preview)."""

    def __init__(self, size: int, swap: Any) -> None:
        super().__init__(size)
        self.swap = swap

    async def run(self, fn: Any, *args: Any) -> Any:
        if args[0] == "preview":
            self.swap()
        return await super().run(fn, *args)


async def test_a_photo_swapped_for_a_link_before_its_preview_is_not_read(
        db: Database, data_dir: Path, library_id: UUID, tmp_path: Path,
        fixtures_dir: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    shutil.copy(fixtures_dir / "photonix" / "snow.jpg", folder / "snow.jpg")
    secret = tmp_path / "secret.jpg"
    shutil.copy(fixtures_dir / "photonix" / "tree.jpg", secret)
    await db.execute("INSERT INTO library_paths (library_id, path) VALUES ($1, $2)",
                     library_id, str(folder))

    def swap() -> None:
        (folder / ".swap").symlink_to(secret)
        os.rename(folder / ".swap", folder / "snow.jpg")

    pool = SwappingPool(1, swap)
    try:
        importer = _importer(db, data_dir, pool, MemoryBus())
        # A dropped file (the watcher's path): grid thumbnail first, the preview after.
        summary = await importer.import_paths(library_id, [str(folder / "snow.jpg")])
    finally:
        await pool.close()
    assert summary.counts == {Outcome.NEW: 1}
    assert (folder / "snow.jpg").is_symlink()
    key = (await db.fetchval("SELECT content_hash FROM photos")).hex()
    thumbs = str(Config(data_dir=data_dir).thumbnails_dir)
    assert await asyncio.to_thread(os.path.isfile, thumbnail_path(thumbs, key, "grid"))
    # The secret was not read into the library's preview.
    assert not await asyncio.to_thread(os.path.exists, thumbnail_path(thumbs, key, "preview"))
