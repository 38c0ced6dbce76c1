"""The job queue in PostgreSQL: claims, leases, reclaim, priorities, retries, versions."""

from __future__ import annotations

import secrets
from uuid import UUID

import pytest

from photonix_rt.services.jobs import Priority
from photonix_rt.store import classifiers as classifiers_store
from photonix_rt.store import jobs as jobs_store
from photonix_rt.store.db import Database
from tests.integration.photo_factory import add_photo


async def _library(db: Database) -> UUID:
    return await db.fetchval("INSERT INTO libraries (name) VALUES ($1) RETURNING id",
                             f"lib-{secrets.token_hex(4)}")


async def _queue(db: Database, library_id: UUID, count: int, stage: str = "colour",
                 priority: Priority = Priority.NORMAL) -> list[UUID]:
    photos = []
    for _ in range(count):
        photo_id = await add_photo(db, library_id)
        async with db.transaction() as conn:
            await jobs_store.enqueue(conn, library_id, photo_id, [(stage, "1")], int(priority))
        photos.append(photo_id)
    return photos


async def test_claims_never_overlap_and_follow_age(db: Database) -> None:
    library_id = await _library(db)
    photos = await _queue(db, library_id, 3)
    first = await jobs_store.claim(db, "runner-a", ["colour"], 2, 60)
    second = await jobs_store.claim(db, "runner-b", ["colour"], 2, 60)
    assert [j.photo_id for j in first] == photos[:2]  # oldest first
    assert [j.photo_id for j in second] == photos[2:]
    assert all(j.status == "running" and j.attempts == 1 for j in first + second)
    assert {j.lease_owner for j in first} == {"runner-a"}
    assert await jobs_store.claim(db, "runner-c", ["colour"], 5, 60) == []
    # Another stage's runner sees nothing of these.
    await _queue(db, library_id, 1, stage="object")
    assert [j.stage for j in await jobs_store.claim(db, "runner-c", ["colour"], 5, 60)] == []


async def test_high_priority_overtakes_queued_bulk_jobs(db: Database) -> None:
    library_id = await _library(db)
    await _queue(db, library_id, 4, priority=Priority.BULK)
    urgent = await _queue(db, library_id, 1, priority=Priority.HIGH)
    normal = await _queue(db, library_id, 1, priority=Priority.NORMAL)
    claimed = await jobs_store.claim(db, "runner-a", ["colour"], 2, 60)
    assert [j.photo_id for j in claimed] == urgent + normal


async def test_heartbeat_extends_and_expired_lease_is_reclaimed(db: Database) -> None:
    library_id = await _library(db)
    await _queue(db, library_id, 1)
    [job] = await jobs_store.claim(db, "runner-a", ["colour"], 1, 60)
    before = job.lease_expires_at
    assert await jobs_store.heartbeat(db, "runner-a", [job.id], 120) == {job.id}
    after = await db.fetchval("SELECT lease_expires_at FROM jobs WHERE id = $1", job.id)
    assert before is not None and after > before
    assert await jobs_store.heartbeat(db, "runner-b", [job.id], 120) == set()  # not b's

    # runner-a stops renewing (killed): its lease runs out and the job goes back.
    await db.execute("UPDATE jobs SET lease_expires_at = now() - interval '1 second'")
    reclaimed = await jobs_store.reclaim_expired(db, max_attempts=5, backoff_s=0,
                                                 backoff_max_s=0)
    assert [(j.id, j.status) for j in reclaimed] == [(job.id, "queued")]
    assert "lease expired" in (reclaimed[0].last_error or "")
    [again] = await jobs_store.claim(db, "runner-b", ["colour"], 1, 60)
    assert again.id == job.id and again.attempts == 2

    # The old owner can neither renew nor commit: its result would be stale.
    assert await jobs_store.heartbeat(db, "runner-a", [job.id], 60) == set()
    async with db.transaction() as conn:
        assert await jobs_store.hold(conn, job.id, "runner-a") is None
        assert await jobs_store.hold(conn, job.id, "runner-b") is not None


async def test_retries_back_off_exponentially_then_fail(db: Database) -> None:
    library_id = await _library(db)
    await _queue(db, library_id, 1)
    delays = []
    for attempt in (1, 2, 3):
        await db.execute("UPDATE jobs SET run_after = now()")  # let it run now
        [job] = await jobs_store.claim(db, "runner-a", ["colour"], 1, 60)
        assert job.attempts == attempt
        updated = await jobs_store.retry_or_fail(db, job.id, "runner-a", f"boom {attempt}",
                                                 max_attempts=3, backoff_s=10,
                                                 backoff_max_s=1000)
        assert updated is not None
        delays.append(await db.fetchval(
            "SELECT EXTRACT(EPOCH FROM run_after - updated_at)::float8 FROM jobs WHERE id = $1",
            job.id))
    assert updated.status == "failed" and updated.last_error == "boom 3"
    assert updated.finished_at is not None
    assert delays[0] == pytest.approx(10, abs=0.5)
    assert delays[1] == pytest.approx(20, abs=0.5)
    assert await jobs_store.claim(db, "runner-a", ["colour"], 1, 60) == []  # failed stays


async def test_retry_by_a_runner_that_lost_the_lease_changes_nothing(db: Database) -> None:
    library_id = await _library(db)
    await _queue(db, library_id, 1)
    [job] = await jobs_store.claim(db, "runner-a", ["colour"], 1, 60)
    await db.execute("UPDATE jobs SET lease_expires_at = now() - interval '1 second'")
    await jobs_store.reclaim_expired(db, 5, 0, 0)
    await jobs_store.claim(db, "runner-b", ["colour"], 1, 60)
    assert await jobs_store.retry_or_fail(db, job.id, "runner-a", "late", 5, 1, 1) is None
    row = await db.fetchrow("SELECT status, lease_owner FROM jobs WHERE id = $1", job.id)
    assert (row["status"], row["lease_owner"]) == ("running", "runner-b")


async def test_new_version_requeues_only_that_stage(db: Database) -> None:
    library_id = await _library(db)
    photos = await _queue(db, library_id, 2, stage="colour")
    for photo_id in photos:
        async with db.transaction() as conn:
            await jobs_store.enqueue(conn, library_id, photo_id, [("object", "a")],
                                     int(Priority.NORMAL))
    await db.execute("UPDATE jobs SET status = 'done', finished_at = now()")
    assert await jobs_store.reconcile_stage(db, "colour", "1", int(Priority.BULK)) == 0
    assert await jobs_store.reconcile_stage(db, "object", "b", int(Priority.BULK)) == 2
    rows = await db.fetch("SELECT stage, status, model_version, priority FROM jobs"
                          " ORDER BY stage, photo_id")
    assert {(r["stage"], r["status"], r["model_version"]) for r in rows} == {
        ("colour", "done", "1"), ("object", "queued", "b")}
    assert {r["priority"] for r in rows if r["stage"] == "object"} == {int(Priority.BULK)}
    # A photo that never had the stage gets it too.
    newcomer = await add_photo(db, library_id)
    assert await jobs_store.reconcile_stage(db, "colour", "1", int(Priority.BULK)) == 1
    assert await jobs_store.job_by_photo_stage(db, newcomer, "colour") is not None


async def test_enqueue_available_uses_reported_classifiers(db: Database) -> None:
    library_id = await _library(db)
    photo_id = await add_photo(db, library_id)
    await classifiers_store.record_classifier(db, "colour", "1", True, None)
    await classifiers_store.record_classifier(db, "object", None, False, "no model")
    async with db.transaction() as conn:
        assert await jobs_store.enqueue_available(conn, library_id, photo_id,
                                                  int(Priority.HIGH)) == 1
    job = await jobs_store.job_by_photo_stage(db, photo_id, "colour")
    assert job is not None and job.priority == int(Priority.HIGH)
    assert await jobs_store.job_by_photo_stage(db, photo_id, "object") is None
    # An 'unavailable' report from a runner without the model hides no fresh 'available'.
    await classifiers_store.record_classifier(db, "colour", None, False, "missing here")
    assert await classifiers_store.available_stages(db) == {"colour": "1"}
