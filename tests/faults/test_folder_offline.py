"""A library folder renamed away and back (an unplugged disk, a moved mount): its photos are not
marked missing meanwhile, and once it is back it is watched again and reconciled at once (a
file added while it was away is imported without waiting for a periodic rescan).

GraphQL shows it too: ``LibraryPath.online`` turns false while the folder is away and true once
it is back, with LIBRARY_PATH_OFFLINE / LIBRARY_PATH_ONLINE events in the log.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.faults.harness import SETTLE_S, Deployment, make_photos, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.slow]

AWAY_S = 5        # long enough for a watcher to notice and (wrongly) mark things missing
BACK_S = 20       # the file added while away is imported this soon after the folder returns


async def test_a_library_folder_renamed_away_and_back_is_offline_then_reconciled(
        deployment: Deployment) -> None:
    server = await deployment.start_server("one")
    folder = deployment.tmp / "library"
    folder.mkdir()
    library = await deployment.create_library(server, folder)
    before = await asyncio.to_thread(make_photos, folder, 4, prefix="a")

    async def imported(paths: list[Path]) -> bool:
        return {str(p) for p in paths} <= await deployment.ok_paths()

    await wait_until(lambda: imported(before), SETTLE_S, "the photos before")
    paths_query = "query($l: ID!) { library(id: $l) { paths { path online } } }"

    async def online() -> bool:
        answer = await deployment.gql(server, paths_query, {"l": library})
        return bool(answer.data["library"]["paths"][0]["online"])

    away = deployment.tmp / "library.away"
    await asyncio.to_thread(folder.rename, away)
    await wait_until(lambda: _negate(online), SETTLE_S, "the folder shown offline")
    await asyncio.sleep(AWAY_S)
    added_away = await asyncio.to_thread(make_photos, away, 2, prefix="while-away")

    files = await deployment.files()
    assert {files[str(p)][0] for p in before} == {"ok"}, f"marked while away: {files}"
    assert await deployment.event_counts("PHOTO_MISSING") == {}
    listed = await deployment.gql(server, "query($l: ID!) { library(id: $l) { photoCount } }",
                                  {"l": library})
    assert listed.data["library"]["photoCount"] == len(before)

    await asyncio.to_thread(away.rename, folder)
    back = [folder / p.name for p in added_away]
    took = await wait_until(lambda: imported(back), BACK_S,
                            "the file added while away imported once the folder is back")
    assert {files[str(p)][0] for p in before} == {"ok"}
    await server.wait_watching(folder, SETTLE_S)  # watched again (its new inode)
    later = await asyncio.to_thread(make_photos, folder, 1, prefix="after")
    await wait_until(lambda: imported(later), BACK_S, "a new file in the restored folder")
    assert await deployment.event_counts("PHOTO_MISSING") == {}
    print(f"reconciled {took:.1f}s after the folder came back")
    assert await online()
    kinds = set((await deployment.event_counts("LIBRARY_PATH_OFFLINE")).values()) | set(
        (await deployment.event_counts("LIBRARY_PATH_ONLINE")).values())
    assert kinds, "no LIBRARY_PATH_OFFLINE/ONLINE events in the log"


async def _negate(check) -> bool:  # type: ignore[no-untyped-def]
    return not await check()
