"""The watcher on a real temporary folder, importing through the real importer and workers."""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from uuid import UUID

import pytest
import pytest_asyncio

from photonix_rt.services.container import Services
from photonix_rt.watcher.watch import Watcher


@pytest.fixture
def photos(fixtures_dir: Path) -> list[Path]:
    folder = fixtures_dir / "photonix"
    return [folder / "snow.jpg", folder / "tree.jpg", folder / "photo_no_metadata_1.jpg"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    path = tmp_path / "library"
    path.mkdir()
    return path


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    path = tmp_path / "elsewhere"
    path.mkdir()
    return path


async def make_library(services: Services, root: Path) -> UUID:
    library_id = await services.db.fetchval(
        "INSERT INTO libraries (name) VALUES ('watched') RETURNING id")
    await services.db.execute("INSERT INTO library_paths (library_id, path) VALUES ($1, $2)",
                              library_id, str(root))
    return library_id


@pytest_asyncio.fixture
async def library(services: Services, root: Path) -> UUID:
    return await make_library(services, root)


@pytest_asyncio.fixture
async def watcher(services: Services, library: UUID, root: Path) -> AsyncIterator[Watcher]:
    async def load_paths() -> list[tuple[UUID, str]]:
        return [(library, str(root))]

    opened = Watcher(services.importer, load_paths, rescan_interval_s=3600, settle_s=0.5)
    await opened.start(initial_scan=False)
    yield opened
    await opened.close()


async def files(services: Services) -> dict[str, str]:
    rows = await services.db.fetch("SELECT path, status FROM photo_files")
    return {r["path"]: r["status"] for r in rows}


async def eventually(check: Callable[[], Awaitable[bool]], wait_s: float = 30.0) -> None:
    deadline = time.monotonic() + wait_s
    while not await check():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.1)


async def events_for(services: Services, path: str) -> list[str]:
    rows = await services.db.fetch(
        "SELECT kind FROM events WHERE payload->>'path' = $1 ORDER BY sequence", path)
    return [r["kind"] for r in rows]


def copy(src: Path, dst: Path) -> None:
    shutil.copyfile(src, dst)


async def test_a_copied_file_is_imported(services: Services, watcher: Watcher, root: Path,
                                         photos: list[Path]) -> None:
    target = root / "snow.jpg"
    await asyncio.to_thread(copy, photos[0], target)

    async def imported() -> bool:
        return (await files(services)).get(str(target)) == "ok"
    await eventually(imported)
    assert await events_for(services, str(target)) == ["PHOTO_ADDED"]


async def test_a_slow_copy_is_imported_once_and_complete(
        services: Services, watcher: Watcher, root: Path, photos: list[Path]) -> None:
    data = await asyncio.to_thread(photos[0].read_bytes)
    target = root / "slow.jpg"

    def slow_write() -> None:
        with target.open("wb") as out:
            for start in range(0, len(data), len(data) // 4 + 1):
                out.write(data[start:start + len(data) // 4 + 1])
                out.flush()
                os.fsync(out.fileno())
                time.sleep(0.4)  # a slow disk or network copy: pauses past the debounce

    await asyncio.to_thread(slow_write)

    async def imported() -> bool:
        return (await files(services)).get(str(target)) == "ok"
    await eventually(imported)
    await watcher.settled()
    assert await events_for(services, str(target)) == ["PHOTO_ADDED"]
    size = await services.db.fetchval("SELECT size FROM photo_files WHERE path = $1",
                                      str(target))
    assert size == len(data)  # recorded from the complete file, not a partial one


async def test_hidden_and_temporary_files_are_ignored_until_renamed(
        services: Services, watcher: Watcher, root: Path, photos: list[Path]) -> None:
    await asyncio.to_thread(copy, photos[0], root / ".hidden.jpg")
    await asyncio.to_thread(copy, photos[1], root / "tree.jpg.part")
    await asyncio.sleep(1.0)
    await watcher.settled()
    assert await files(services) == {}
    await asyncio.to_thread(os.rename, root / "tree.jpg.part", root / "tree.jpg")

    async def imported() -> bool:
        return (await files(services)) == {str(root / "tree.jpg"): "ok"}
    await eventually(imported)


async def test_a_folder_moved_in_with_files_is_walked_and_watched(
        services: Services, watcher: Watcher, root: Path, outside: Path,
        photos: list[Path]) -> None:
    album = outside / "album"
    (album / "inner").mkdir(parents=True)
    await asyncio.to_thread(copy, photos[0], album / "a.jpg")
    await asyncio.to_thread(copy, photos[1], album / "inner" / "b.jpg")
    await asyncio.to_thread(os.rename, album, root / "album")
    expected = {str(root / "album" / "a.jpg"): "ok", str(root / "album" / "inner" / "b.jpg"): "ok"}

    async def imported() -> bool:
        return await files(services) == expected
    await eventually(imported)
    # The moved-in folders are watched too: a later copy into the inner one is seen.
    await asyncio.to_thread(copy, photos[2], root / "album" / "inner" / "c.jpg")
    expected[str(root / "album" / "inner" / "c.jpg")] = "ok"
    await eventually(imported)


async def test_a_new_folder_and_files_copied_into_it_are_imported(
        services: Services, watcher: Watcher, root: Path, photos: list[Path]) -> None:
    def make() -> None:
        (root / "new" / "deeper").mkdir(parents=True)
        copy(photos[0], root / "new" / "a.jpg")
        copy(photos[1], root / "new" / "deeper" / "b.jpg")

    await asyncio.to_thread(make)
    expected = {str(root / "new" / "a.jpg"): "ok", str(root / "new" / "deeper" / "b.jpg"): "ok"}

    async def imported() -> bool:
        return await files(services) == expected
    await eventually(imported)
    await watcher.settled()
    for path in expected:
        assert await events_for(services, path) == ["PHOTO_ADDED"]


async def test_a_renamed_folder_keeps_its_photos_at_the_new_paths(
        services: Services, watcher: Watcher, root: Path, photos: list[Path]) -> None:
    (root / "old").mkdir()
    await asyncio.to_thread(copy, photos[0], root / "old" / "a.jpg")
    await asyncio.to_thread(copy, photos[1], root / "old" / "b.jpg")

    async def imported() -> bool:
        return len(await files(services)) == 2
    await eventually(imported)
    await watcher.settled()
    photo_ids = {r["id"] for r in await services.db.fetch("SELECT id FROM photos")}
    await asyncio.to_thread(os.rename, root / "old", root / "new")
    expected = {str(root / "new" / "a.jpg"): "ok", str(root / "new" / "b.jpg"): "ok"}

    async def moved() -> bool:
        return await files(services) == expected
    await eventually(moved)
    assert {r["id"] for r in await services.db.fetch("SELECT id FROM photos")} == photo_ids
    # The watch follows the folder: a new file in it gets the new path.
    await asyncio.to_thread(copy, photos[2], root / "new" / "c.jpg")
    expected[str(root / "new" / "c.jpg")] = "ok"
    await eventually(moved)


async def test_deleted_and_moved_out_files_are_marked_missing(
        services: Services, watcher: Watcher, root: Path, outside: Path,
        photos: list[Path]) -> None:
    (root / "sub").mkdir()
    await asyncio.to_thread(copy, photos[0], root / "a.jpg")
    await asyncio.to_thread(copy, photos[1], root / "sub" / "b.jpg")

    async def imported() -> bool:
        return len(await files(services)) == 2
    await eventually(imported)
    await watcher.settled()
    await asyncio.to_thread(os.remove, root / "a.jpg")
    await asyncio.to_thread(os.rename, root / "sub", outside / "sub")
    expected = {str(root / "a.jpg"): "missing", str(root / "sub" / "b.jpg"): "missing"}

    async def missing() -> bool:
        return await files(services) == expected
    await eventually(missing)
    # The photos are kept: a disconnected disk must lose nothing.
    assert await services.db.fetchval("SELECT count(*) FROM photos") == 2
    assert "PHOTO_MISSING" in await events_for(services, str(root / "a.jpg"))


async def test_start_up_scan_reconciles_what_happened_while_down(
        services: Services, library: UUID, root: Path, photos: list[Path]) -> None:
    await asyncio.to_thread(copy, photos[0], root / "a.jpg")
    await asyncio.to_thread(copy, photos[1], root / "b.jpg")

    async def load_paths() -> list[tuple[UUID, str]]:
        return [(library, str(root))]

    first = Watcher(services.importer, load_paths, rescan_interval_s=3600)
    await first.start()  # the start-up scan imports what is already there

    async def both() -> bool:
        return await files(services) == {str(root / "a.jpg"): "ok", str(root / "b.jpg"): "ok"}
    await eventually(both)
    await first.settled()
    await first.close()
    await asyncio.to_thread(os.remove, root / "b.jpg")  # while the server is down
    second = Watcher(services.importer, load_paths, rescan_interval_s=3600)
    await second.start()

    async def reconciled() -> bool:
        return await files(services) == {str(root / "a.jpg"): "ok",
                                         str(root / "b.jpg"): "missing"}
    try:
        await eventually(reconciled)
    finally:
        await second.close()


def test_ignore_rules() -> None:
    from photonix_rt.watcher.filters import is_ignored

    for name in (".x.jpg", "a.tmp", "a.jpg.part", "~$a.jpg", "A.PART"):
        assert is_ignored(name), name
    for name in ("a.jpg", "part.jpg", "tmp.png"):
        assert not is_ignored(name), name



async def test_a_sub_folder_swapped_for_a_link_out_of_the_library_is_not_followed(
        services: Services, watcher: Watcher, root: Path, outside: Path, tmp_path: Path,
        photos: list[Path]) -> None:
    """Issue 10, finding 5: neither the watcher nor its reconcile scan follows the link."""
    (root / "sub").mkdir()
    await asyncio.to_thread(copy, photos[0], root / "sub" / "a.jpg")

    async def imported() -> bool:
        return (await files(services)).get(str(root / "sub" / "a.jpg")) == "ok"
    await eventually(imported)
    await watcher.settled()
    private = tmp_path / "someone-else"
    private.mkdir()
    await asyncio.to_thread(copy, photos[1], private / "secret.jpg")
    await asyncio.to_thread(os.rename, root / "sub", outside / "sub")
    await asyncio.to_thread(os.symlink, private, root / "sub", True)
    await asyncio.to_thread(copy, photos[2], private / "later.jpg")

    async def gone() -> bool:
        return (await files(services)).get(str(root / "sub" / "a.jpg")) == "missing"
    await eventually(gone)
    await asyncio.sleep(1.0)  # any reconcile or late event has run
    await watcher.settled()
    known = await files(services)
    assert all(status != "ok" for status in known.values()), known
    assert not any(str(private) in path for path in known), known
    assert await services.db.fetchval("SELECT count(*) FROM photos") == 1


async def test_a_vanished_library_folder_goes_offline_and_comes_back_at_once(
        services: Services, watcher: Watcher, library: UUID, root: Path, tmp_path: Path,
        photos: list[Path]) -> None:
    """A folder that vanishes keeps its photos and is marked offline; back, it is watched
    and reconciled without waiting for the periodic rescan."""
    await asyncio.to_thread(copy, photos[0], root / "a.jpg")

    async def imported() -> bool:
        return (await files(services)).get(str(root / "a.jpg")) == "ok"
    await eventually(imported)
    await watcher.settled()

    async def offline_since() -> object:
        return await services.db.fetchval(
            "SELECT offline_since FROM library_paths WHERE library_id = $1", library)

    unplugged = tmp_path / "unplugged"
    await asyncio.to_thread(os.rename, root, unplugged)  # the disk goes away

    async def offline() -> bool:
        return await offline_since() is not None
    await eventually(offline)
    kinds = [r["kind"] for r in await services.db.fetch(
        "SELECT kind FROM events WHERE library_id = $1 ORDER BY sequence", library)]
    assert kinds[-1] == "LIBRARY_PATH_OFFLINE"
    assert await files(services) == {str(root / "a.jpg"): "ok"}  # nothing marked missing
    [path] = await services.libraries.paths(library)
    assert not path.online

    # A rescan meanwhile keeps the photos too.
    await services.importer.scan_library(library)
    assert await files(services) == {str(root / "a.jpg"): "ok"}

    await asyncio.to_thread(copy, photos[1], unplugged / "b.jpg")  # changed while away
    await asyncio.to_thread(os.rename, unplugged, root)  # plugged back in

    async def back() -> bool:
        return await offline_since() is None and await files(services) == {
            str(root / "a.jpg"): "ok", str(root / "b.jpg"): "ok"}
    await eventually(back)
    assert "LIBRARY_PATH_ONLINE" in [r["kind"] for r in await services.db.fetch(
        "SELECT kind FROM events WHERE library_id = $1", library)]
    # Watched again: a file dropped now is imported live.
    await watcher.settled()
    await asyncio.to_thread(copy, photos[2], root / "c.jpg")

    async def live() -> bool:
        return (await files(services)).get(str(root / "c.jpg")) == "ok"
    await eventually(live)


async def test_an_empty_mount_point_counts_as_offline(
        services: Services, library: UUID, root: Path, photos: list[Path]) -> None:
    """An unmounted disk often leaves its empty mount point: its photos are not lost."""
    await asyncio.to_thread(copy, photos[0], root / "a.jpg")
    await services.importer.scan_library(library)
    await asyncio.to_thread(os.remove, root / "a.jpg")  # the folder is now empty
    assert await services.importer.check_folder(library, str(root)) is False
    await services.importer.scan_library(library)
    assert await files(services) == {str(root / "a.jpg"): "ok"}


async def test_an_explicit_rescan_re_establishes_the_watches(
        services: Services, watcher: Watcher, library: UUID, root: Path,
        photos: list[Path]) -> None:
    watcher._unwatch(str(root))  # a lost watch (say, the folder was briefly unmounted)
    services.sync.watcher = watcher
    try:
        await services.sync.rewatch()  # what rescanLibrary does before it scans
    finally:
        services.sync.watcher = None
    await asyncio.to_thread(copy, photos[0], root / "a.jpg")

    async def imported() -> bool:
        return (await files(services)).get(str(root / "a.jpg")) == "ok"
    await eventually(imported, wait_s=10)
