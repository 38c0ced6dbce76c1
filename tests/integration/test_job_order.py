"""A new photo's slowest stages are claimed first, so they start at once on free workers."""

from __future__ import annotations

from uuid import UUID

from photonix_rt.services.jobs import SLOW_STAGES_FIRST, JobQueue, Priority
from photonix_rt.store import classifiers as classifiers_store
from photonix_rt.store import jobs as jobs_store
from photonix_rt.store.db import Database
from tests.integration.photo_factory import add_photo


async def test_enqueue_photo_queues_slow_stages_first(db: Database) -> None:
    library_id: UUID = await db.fetchval(
        "INSERT INTO libraries (name) VALUES ('order') RETURNING id")
    stages = ["colour", "event", "face", "location", "object"]
    for stage in stages:
        await classifiers_store.record_classifier(db, stage, "1", True, None)
    await classifiers_store.record_classifier(db, "scene", None, False, "no model")
    photo_id = await add_photo(db, library_id)
    async with db.transaction() as conn:
        assert await JobQueue(db).enqueue_photo(conn, library_id, photo_id,
                                                Priority.HIGH) == len(stages)
    claimed = [j.stage for j in await jobs_store.claim(db, "runner", stages, 2, 60)]
    assert claimed == list(SLOW_STAGES_FIRST)
    rest = [j.stage for j in await jobs_store.claim(db, "runner", stages, 10, 60)]
    assert rest == ["colour", "event", "location"]  # then by name
