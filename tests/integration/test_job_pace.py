"""The Settings screen's job rate and time left (stageProgress.perMinute and etaSeconds), from
jobs claimed and finished through the queue's own store calls, then aged in the database."""

from __future__ import annotations

from uuid import UUID

import pytest

from photonix_rt.store import jobs as jobs_store
from photonix_rt.store.db import Database
from tests.integration.photo_factory import Gql, add_photo, data_of, make_library

PROGRESS = """query($l: ID!) { stageProgress(libraryId: $l) {
  stage queued running done failed perMinute etaSeconds } }"""


async def _finish(db: Database, owner: str, stage: str, count: int) -> list[int]:
    """Claim ``count`` jobs of the stage and mark them done, as a runner does."""
    claimed = await jobs_store.claim(db, owner, [stage], count, 60)
    for job in claimed:
        async with db.transaction() as conn:
            assert await jobs_store.hold(conn, job.id, owner) is not None
            await jobs_store.mark_done(conn, job.id, "1")
    return [job.id for job in claimed]


async def _progress(gql: Gql, library_id: UUID, token: str) -> dict[str, dict]:
    rows = data_of(await gql(PROGRESS, {"l": str(library_id)}, token=token))["stageProgress"]
    return {row.pop("stage"): row for row in rows}


async def test_rate_and_time_left_follow_finished_jobs(db: Database, gql: Gql, make_user) -> None:
    owner = await make_user("owner")
    viewer = await make_user("viewer")
    library_id = await make_library(gql, owner, "Pace", {"viewer": "VIEWER"})
    for _ in range(10):
        photo = await add_photo(db, library_id)
        async with db.transaction() as conn:
            await jobs_store.enqueue(conn, library_id, photo, [("face", "1"), ("colour", "1")], 50)

    # Nothing finished yet: no rate, so no estimate while work waits.
    before = await _progress(gql, library_id, viewer)
    assert before["face"] == {
        "queued": 10,
        "running": 0,
        "done": 0,
        "failed": 0,
        "perMinute": 0.0,
        "etaSeconds": None,
    }

    # Four face jobs finished just now: counted over the 30 s minimum span, 8 a minute;
    # the 6 left take 45 s. A colour job is running, none finished: no estimate.
    finished = await _finish(db, "runner-a", "face", 4)
    await jobs_store.claim(db, "runner-a", ["colour"], 1, 60)
    now = await _progress(gql, library_id, viewer)
    assert now["face"] == {
        "queued": 6,
        "running": 0,
        "done": 4,
        "failed": 0,
        "perMinute": 8.0,
        "etaSeconds": 45,
    }
    assert now["colour"] == {
        "queued": 9,
        "running": 1,
        "done": 0,
        "failed": 0,
        "perMinute": 0.0,
        "etaSeconds": None,
    }

    # Spread over two minutes, the same jobs make a slower rate; one finished 10 minutes
    # ago is outside the 5-minute window and no longer counts.
    await db.execute(
        "UPDATE jobs SET finished_at = now() - interval '120 seconds' WHERE id = ANY($1::bigint[])",
        finished[:2],
    )
    await db.execute(
        "UPDATE jobs SET finished_at = now() - interval '600 seconds' WHERE id = $1", finished[2]
    )
    spread = (await _progress(gql, library_id, viewer))["face"]
    assert spread["done"] == 4
    assert spread["perMinute"] == pytest.approx(3 * 60 / 120, rel=0.02)  # 1.5 a minute
    assert spread["etaSeconds"] == pytest.approx(6 * 60 / 1.5, rel=0.02)  # 4 minutes

    # A stage whose last jobs all finished long ago: no rate, and nothing left to estimate.
    await _finish(db, "runner-a", "face", 6)
    await db.execute(
        "UPDATE jobs SET finished_at = now() - interval '900 seconds' WHERE stage = 'face'"
    )
    done = (await _progress(gql, library_id, viewer))["face"]
    assert done == {
        "queued": 0,
        "running": 0,
        "done": 10,
        "failed": 0,
        "perMinute": 0.0,
        "etaSeconds": 0,
    }


async def test_failed_jobs_are_not_throughput(db: Database, gql: Gql, make_user) -> None:
    owner = await make_user("owner")
    library_id = await make_library(gql, owner, "Failing")
    for _ in range(3):
        photo = await add_photo(db, library_id)
        async with db.transaction() as conn:
            await jobs_store.enqueue(conn, library_id, photo, [("object", "1")], 50)
    for job in await jobs_store.claim(db, "runner-a", ["object"], 2, 60):
        assert await jobs_store.retry_or_fail(db, job.id, "runner-a", "boom", 1, 1, 1)
    failing = (await _progress(gql, library_id, owner))["object"]
    assert failing == {
        "queued": 1,
        "running": 0,
        "done": 0,
        "failed": 2,
        "perMinute": 0.0,
        "etaSeconds": None,
    }
