"""The classification job queue: enqueue, claim under a lease, heartbeat, finish, reclaim.

Every state change is guarded by the lease: ``hold`` locks a running job's row only while
the caller still owns its lease, so a runner whose lease was taken over cannot finish it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from photonix_rt.store.db import Queryable

__all__ = [
    "JOBS_CHANNEL",
    "Job",
    "JobPhoto",
    "RecentFinishes",
    "claim",
    "counts_by_stage",
    "counts_by_status",
    "done_since",
    "enqueue",
    "enqueue_available",
    "finished_recently_by_stage",
    "heartbeat",
    "hold",
    "job_by_photo_stage",
    "job_photo",
    "jobs_for_photos",
    "mark_done",
    "notify",
    "reclaim_expired",
    "reconcile_stage",
    "release_owned",
    "retry_failed",
    "retry_or_fail",
    "seconds_until_next",
]

# LISTEN/NOTIFY channel; the payload is the library id (or '' for "look anyway").
JOBS_CHANNEL = "photonix_jobs"

_COLUMNS = """id, photo_id, library_id, stage, model_version, priority, status, attempts,
    run_after, lease_owner, lease_expires_at, last_error, queued_at, started_at, finished_at"""
# The same columns qualified, for UPDATE ... FROM ... RETURNING.
_J_COLUMNS = """j.id, j.photo_id, j.library_id, j.stage, j.model_version, j.priority, j.status,
    j.attempts, j.run_after, j.lease_owner, j.lease_expires_at, j.last_error, j.queued_at,
    j.started_at, j.finished_at"""


@dataclass(frozen=True)
class Job:
    id: int
    photo_id: UUID
    library_id: UUID
    stage: str
    model_version: str | None
    priority: int
    status: str
    attempts: int
    run_after: datetime
    lease_owner: str | None
    lease_expires_at: datetime | None
    last_error: str | None
    queued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True)
class JobPhoto:
    """What a classifier is fed besides pixels, and where the pixels are."""

    photo_id: UUID
    library_id: UUID
    thumbnail_key: str | None
    taken_at_local: datetime | None
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class RecentFinishes:
    """One stage's jobs finished (done) within a recent window."""

    stage: str
    count: int
    # Seconds from the oldest of them to now: how long the window has really been busy.
    seconds_since_first: float


def _job(r: Any) -> Job:
    return Job(r["id"], r["photo_id"], r["library_id"], r["stage"], r["model_version"],
               r["priority"], r["status"], r["attempts"], r["run_after"], r["lease_owner"],
               r["lease_expires_at"], r["last_error"], r["queued_at"], r["started_at"],
               r["finished_at"])


async def notify(db: Queryable, library_id: UUID | None) -> None:
    """Wake listening runners; inside a transaction it is delivered at commit."""
    await db.execute("SELECT pg_notify($1, $2)", JOBS_CHANNEL,
                     str(library_id) if library_id else "")


async def enqueue(db: Queryable, library_id: UUID, photo_id: UUID,
                  stages: list[tuple[str, str | None]], priority: int) -> int:
    """Queue (or re-queue from scratch) the given stages of one photo; how many rows."""
    if not stages:
        return 0
    status = await db.execute(
        """
        INSERT INTO jobs (photo_id, library_id, stage, model_version, priority)
        SELECT $1, $2, s.stage, s.version, $3
        FROM unnest($4::text[], $5::text[]) AS s(stage, version)
        ON CONFLICT (photo_id, stage) DO UPDATE SET
            status = 'queued', attempts = 0, run_after = now(), last_error = NULL,
            priority = LEAST(jobs.priority, EXCLUDED.priority),
            model_version = EXCLUDED.model_version, queued_at = now(),
            lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        """,
        photo_id, library_id, priority, [s for s, _ in stages], [v for _, v in stages],
    )
    await notify(db, library_id)
    return int(status.split()[-1])


async def enqueue_available(db: Queryable, library_id: UUID, photo_id: UUID,
                            priority: int) -> int:
    """Queue every stage some runner reported available (the importer's call)."""
    status = await db.execute(
        """
        INSERT INTO jobs (photo_id, library_id, stage, model_version, priority)
        SELECT $1, $2, c.name, c.version, $3 FROM classifiers c WHERE c.available
        ON CONFLICT (photo_id, stage) DO UPDATE SET
            status = 'queued', attempts = 0, run_after = now(), last_error = NULL,
            priority = LEAST(jobs.priority, EXCLUDED.priority),
            model_version = EXCLUDED.model_version, queued_at = now(),
            lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        """,
        photo_id, library_id, priority,
    )
    count = int(status.split()[-1])
    if count:
        await notify(db, library_id)
    return count


async def reconcile_stage(db: Queryable, stage: str, version: str, priority: int) -> int:
    """Queue this stage for photos lacking it, and re-queue finished jobs of another version
    (in libraries where the stage is not turned off).

    Running and queued jobs keep their place (queued ones take the new version).
    """
    missing = await db.execute(
        """
        INSERT INTO jobs (photo_id, library_id, stage, model_version, priority)
        SELECT p.id, p.library_id, $1, $2, $3 FROM photos p
        WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.photo_id = p.id AND j.stage = $1)
          AND NOT EXISTS (SELECT 1 FROM library_stages ls WHERE ls.library_id = p.library_id
                          AND ls.stage = $1 AND NOT ls.enabled)
        ON CONFLICT (photo_id, stage) DO NOTHING
        """,
        stage, version, priority,
    )
    outdated = await db.execute(
        """
        UPDATE jobs SET status = 'queued', attempts = 0, run_after = now(), last_error = NULL,
            priority = GREATEST(priority, $3), model_version = $2, queued_at = now(),
            updated_at = now()
        WHERE stage = $1 AND status IN ('done', 'failed')
          AND model_version IS DISTINCT FROM $2
          AND NOT EXISTS (SELECT 1 FROM library_stages ls WHERE ls.library_id = jobs.library_id
                          AND ls.stage = $1 AND NOT ls.enabled)
        """,
        stage, version, priority,
    )
    await db.execute(
        "UPDATE jobs SET model_version = $2 WHERE stage = $1 AND status = 'queued'"
        " AND model_version IS DISTINCT FROM $2",
        stage, version,
    )
    count = int(missing.split()[-1]) + int(outdated.split()[-1])
    if count:
        await notify(db, None)
    return count


async def claim(db: Queryable, owner: str, stages: list[str], limit: int,
                lease_s: float) -> list[Job]:
    """Take up to ``limit`` runnable jobs of these stages: priority first, then age."""
    rows = await db.fetch(
        f"""
        WITH next AS (
            SELECT id FROM jobs
            WHERE status = 'queued' AND run_after <= now() AND stage = ANY($1::text[])
            ORDER BY priority, queued_at, id
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        )
        UPDATE jobs j SET status = 'running', attempts = j.attempts + 1, lease_owner = $3,
            lease_expires_at = now() + make_interval(secs => $4), started_at = now(),
            updated_at = now()
        FROM next WHERE j.id = next.id
        RETURNING {_J_COLUMNS}
        """,
        stages, limit, owner, lease_s,
    )
    return sorted((_job(r) for r in rows), key=lambda j: (j.priority, j.queued_at, j.id))


async def heartbeat(db: Queryable, owner: str, job_ids: list[int], lease_s: float) -> set[int]:
    """Extend our leases; the ids we still hold (a missing one was taken over)."""
    rows = await db.fetch(
        """
        UPDATE jobs SET lease_expires_at = now() + make_interval(secs => $3)
        WHERE id = ANY($1::bigint[]) AND lease_owner = $2 AND status = 'running'
        RETURNING id
        """,
        job_ids, owner, lease_s,
    )
    return {r["id"] for r in rows}


async def hold(db: Queryable, job_id: int, owner: str) -> Job | None:
    """Lock our running job's row for the rest of the transaction; None if no longer ours."""
    row = await db.fetchrow(
        f"SELECT {_COLUMNS} FROM jobs WHERE id = $1 AND lease_owner = $2"
        " AND status = 'running' FOR UPDATE",
        job_id, owner,
    )
    return _job(row) if row else None


async def mark_done(db: Queryable, job_id: int, version: str | None) -> None:
    """Finish a job held with ``hold`` (same transaction as its results)."""
    await db.execute(
        """
        UPDATE jobs SET status = 'done', model_version = $2, last_error = NULL,
            lease_owner = NULL, lease_expires_at = NULL, finished_at = now(), updated_at = now()
        WHERE id = $1
        """,
        job_id, version,
    )


async def retry_or_fail(db: Queryable, job_id: int, owner: str, error: str,
                        max_attempts: int, backoff_s: float,
                        backoff_max_s: float) -> Job | None:
    """Requeue with exponential backoff, or fail after ``max_attempts``; None if not ours."""
    row = await db.fetchrow(
        f"""
        UPDATE jobs SET
            status = CASE WHEN attempts >= $4 THEN 'failed' ELSE 'queued' END,
            run_after = now() + make_interval(
                secs => LEAST($6::float8, $5::float8 * power(2, GREATEST(attempts - 1, 0)))),
            finished_at = CASE WHEN attempts >= $4 THEN now() END,
            last_error = $3, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND lease_owner = $2 AND status = 'running'
        RETURNING {_COLUMNS}
        """,
        job_id, owner, error[:2000], max_attempts, backoff_s, backoff_max_s,
    )
    return _job(row) if row else None


async def reclaim_expired(db: Queryable, max_attempts: int, backoff_s: float,
                          backoff_max_s: float) -> list[Job]:
    """Jobs whose runner stopped renewing its lease: back in the queue (or failed)."""
    rows = await db.fetch(
        f"""
        WITH expired AS (
            SELECT id FROM jobs WHERE status = 'running' AND lease_expires_at < now()
            FOR UPDATE SKIP LOCKED
        )
        UPDATE jobs j SET
            status = CASE WHEN j.attempts >= $1 THEN 'failed' ELSE 'queued' END,
            run_after = now() + make_interval(
                secs => LEAST($3::float8, $2::float8 * power(2, GREATEST(j.attempts - 1, 0)))),
            finished_at = CASE WHEN j.attempts >= $1 THEN now() END,
            last_error = 'lease expired: the runner or its worker stopped (was '
                || coalesce(j.lease_owner, '?') || ')',
            lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        FROM expired WHERE j.id = expired.id
        RETURNING {_J_COLUMNS}
        """,
        max_attempts, backoff_s, backoff_max_s,
    )
    return [_job(r) for r in rows]


async def seconds_until_next(db: Queryable, stages: list[str]) -> float | None:
    """Seconds until the earliest queued job of these stages is runnable (<= 0: now)."""
    return await db.fetchval(
        """
        SELECT EXTRACT(EPOCH FROM min(run_after) - now())::float8 FROM jobs
        WHERE status = 'queued' AND stage = ANY($1::text[])
        """,
        stages,
    )


async def release_owned(db: Queryable, owner: str) -> int:
    """A runner stopping cleanly hands its running jobs back; the attempt does not count."""
    status = await db.execute(
        """
        UPDATE jobs SET status = 'queued', attempts = GREATEST(attempts - 1, 0),
            lease_owner = NULL, lease_expires_at = NULL, run_after = now(), updated_at = now()
        WHERE lease_owner = $1 AND status = 'running'
        """,
        owner,
    )
    count = int(status.split()[-1])
    if count:
        await notify(db, None)
    return count


async def counts_by_status(db: Queryable, library_id: UUID) -> dict[str, int]:
    rows = await db.fetch(
        "SELECT status, count(*) AS n FROM jobs WHERE library_id = $1 GROUP BY status",
        library_id,
    )
    return {r["status"]: r["n"] for r in rows}


async def counts_by_stage(db: Queryable, library_id: UUID) -> dict[tuple[str, str], int]:
    """(stage, status) -> jobs of the library."""
    rows = await db.fetch(
        "SELECT stage, status, count(*) AS n FROM jobs WHERE library_id = $1"
        " GROUP BY stage, status", library_id)
    return {(r["stage"], r["status"]): r["n"] for r in rows}


async def retry_failed(db: Queryable, library_id: UUID, stage: str | None) -> int:
    """Queue the library's failed jobs (of one stage, or all) again from scratch."""
    status = await db.execute(
        """
        UPDATE jobs SET status = 'queued', attempts = 0, run_after = now(), last_error = NULL,
            queued_at = now(), lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE library_id = $1 AND status = 'failed' AND ($2::text IS NULL OR stage = $2)
        """, library_id, stage)
    count = int(status.split()[-1])
    if count:
        await notify(db, library_id)
    return count


async def done_since(db: Queryable, library_id: UUID, seconds: float) -> int:
    """Jobs of the library finished in the last ``seconds`` (recent throughput)."""
    return await db.fetchval(
        """
        SELECT count(*) FROM jobs WHERE library_id = $1 AND status = 'done'
          AND finished_at > now() - make_interval(secs => $2)
        """,
        library_id, seconds,
    )


async def finished_recently_by_stage(db: Queryable, library_id: UUID,
                                     seconds: float) -> list[RecentFinishes]:
    """Per stage, the library's jobs done in the last ``seconds`` (the range scan of
    ``jobs_finished_idx``, whose predicate is ``status = 'done'``)."""
    rows = await db.fetch(
        """
        SELECT stage, count(*) AS n,
               EXTRACT(EPOCH FROM now() - min(finished_at))::float8 AS since_first
        FROM jobs
        WHERE library_id = $1 AND status = 'done'
          AND finished_at > now() - make_interval(secs => $2)
        GROUP BY stage
        """,
        library_id, seconds,
    )
    return [RecentFinishes(r["stage"], r["n"], max(0.0, r["since_first"])) for r in rows]


async def jobs_for_photos(db: Queryable, photo_ids: list[UUID]) -> list[Job]:
    rows = await db.fetch(
        f"SELECT {_COLUMNS} FROM jobs WHERE photo_id = ANY($1::uuid[]) ORDER BY photo_id, id",
        photo_ids,
    )
    return [_job(r) for r in rows]


async def job_by_photo_stage(db: Queryable, photo_id: UUID, stage: str) -> Job | None:
    row = await db.fetchrow(
        f"SELECT {_COLUMNS} FROM jobs WHERE photo_id = $1 AND stage = $2", photo_id, stage)
    return _job(row) if row else None


async def job_photo(db: Queryable, photo_id: UUID) -> JobPhoto | None:
    row = await db.fetchrow(
        """
        SELECT id, library_id, thumbnail_key, taken_at_local, latitude, longitude
        FROM photos WHERE id = $1
        """,
        photo_id,
    )
    if row is None:
        return None
    return JobPhoto(row["id"], row["library_id"], row["thumbnail_key"], row["taken_at_local"],
                    row["latitude"], row["longitude"])
