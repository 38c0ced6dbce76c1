"""The classification queue as the rest of the server sees it: enqueue, re-queue, read.

The importer queues a photo's stages in the transaction that records the photo::

    async with db.transaction() as conn:
        photo_id, _ = await photos_store.insert_photo(conn, record.photo)
        await jobs.enqueue_photo(conn, library_id, photo_id, Priority.HIGH)

The runner (``services.job_runner``) claims and executes them; GraphQL reads them here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from enum import IntEnum
from typing import TYPE_CHECKING
from uuid import UUID

from photonix_rt.auth.access import Role, require_role
from photonix_rt.errors import NotFound, Unauthenticated
from photonix_rt.ids import parse_uuid
from photonix_rt.services.job_pace import WINDOW_S, StageProgress, stage_pace
from photonix_rt.store import classifiers as classifiers_store
from photonix_rt.store import jobs as jobs_store
from photonix_rt.store import library_stages

if TYPE_CHECKING:
    from photonix_rt.auth.identity import Viewer
    from photonix_rt.store.classifiers import ClassifierRow
    from photonix_rt.store.db import Database, Queryable
    from photonix_rt.store.jobs import Job

__all__ = ["JobQueue", "Priority"]

log = logging.getLogger(__name__)

# The slowest stages are queued first, so a new photo's face and object stages start at once
# on the free workers and the quick stages fill in around them (measured per 1440 px
# preview on 2 cores: face ~140 ms, object ~30 ms, colour/location/event under 10 ms).
# Jobs of one photo share priority and queued_at, so their ids decide the claim order.
SLOW_STAGES_FIRST = ("face", "object")


def _queue_order(stage: str) -> tuple[int, str]:
    if stage in SLOW_STAGES_FIRST:
        return SLOW_STAGES_FIRST.index(stage), stage
    return len(SLOW_STAGES_FIRST), stage


class Priority(IntEnum):
    """Lower runs first: a photo dropped into a watched folder overtakes a bulk backfill."""

    HIGH = 0     # new arrivals (the watcher)
    NORMAL = 50  # folder imports
    BULK = 100   # re-runs after a model changed, backfills


class JobQueue:
    """Queue writes that belong in other services' transactions, and reads for GraphQL."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def enqueue_photo(self, conn: Queryable, library_id: UUID, photo_id: UUID,
                            priority: Priority = Priority.NORMAL) -> int:
        """Queue every available stage the library has on, for a new or changed photo
        (caller's transaction)."""
        available = await classifiers_store.available_stages(conn)
        off = await library_stages.disabled_stages(conn, library_id)  # the library's settings
        stages = sorted(((s, v) for s, v in available.items() if s not in off),
                        key=lambda item: _queue_order(item[0]))
        return await jobs_store.enqueue(conn, library_id, photo_id, stages, int(priority))

    async def enqueue_stages(self, library_id: UUID, photo_id: UUID,
                             stages: Sequence[tuple[str, str | None]],
                             priority: Priority = Priority.NORMAL) -> int:
        """Queue (or re-run) named stages of one photo in a transaction of its own."""
        async with self._db.transaction() as conn:
            return await jobs_store.enqueue(conn, library_id, photo_id, list(stages),
                                            int(priority))

    async def jobs_for_photos(self, photo_ids: Sequence[UUID]) -> list[list[Job]]:
        """Each photo's jobs (batch loader; the photos were already access-checked)."""
        found = await jobs_store.jobs_for_photos(self._db, list(photo_ids))
        by_photo: dict[UUID, list[Job]] = {p: [] for p in photo_ids}
        for job in found:
            by_photo[job.photo_id].append(job)
        return [by_photo[p] for p in photo_ids]

    async def classifiers(self, viewer: Viewer | None) -> list[ClassifierRow]:
        """Every stage any runner reported, available or not (signed-in users only)."""
        if viewer is None:
            raise Unauthenticated("sign in first")
        return await classifiers_store.list_classifiers(self._db)

    async def stage_progress(self, viewer: Viewer | None,
                             library_id: str | UUID) -> list[StageProgress]:
        """Each stage's job counts by status, recent rate and time left, for one library
        (viewer role), by stage name."""
        library = parse_uuid(library_id, "library")
        await require_role(self._db, viewer, library, Role.VIEWER)
        by_stage: dict[str, dict[str, int]] = {}
        for (stage, status), n in (await jobs_store.counts_by_stage(self._db, library)).items():
            by_stage.setdefault(stage, {})[status] = n
        recent = {r.stage: r for r in
                  await jobs_store.finished_recently_by_stage(self._db, library, WINDOW_S)}
        return [stage_pace(stage, counts, recent.get(stage))
                for stage, counts in sorted(by_stage.items())]

    async def retry_failed(self, viewer: Viewer | None, library_id: str | UUID,
                           stage: str | None) -> int:
        """Queue the library's failed jobs again (editor role); how many."""
        library = parse_uuid(library_id, "library")
        async with self._db.transaction() as conn:
            await require_role(conn, viewer, library, Role.EDITOR)
            return await jobs_store.retry_failed(conn, library, stage)

    async def progress(self, viewer: Viewer | None, library_id: str | UUID) -> dict[str, int]:
        """Job counts by status for one library (viewer role)."""
        try:
            library = library_id if isinstance(library_id, UUID) else UUID(str(library_id))
        except ValueError:
            raise NotFound("no such library") from None
        await require_role(self._db, viewer, library, Role.VIEWER)
        return await jobs_store.counts_by_status(self._db, library)
