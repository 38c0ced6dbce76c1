"""kill -9 of the server mid-import and mid-classification, then a restart: every file is
imported once, every stage done once, and no worker process outlives the killed server."""

from __future__ import annotations

import asyncio
import os
import signal
from collections import Counter

import pytest

from tests.e2e.serve_process import ServerProcess
from tests.faults.harness import SETTLE_S, Deployment, make_photos, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.slow]

LEASE_S = "4"  # jobs of the killed server are taken over this long after its last heartbeat


async def kill_server(server: ServerProcess) -> None:
    """SIGKILL the server process alone: its pool workers must die with it by themselves."""
    os.kill(server.process.pid, signal.SIGKILL)
    await asyncio.to_thread(server.process.wait)
    left = await server.wait_group_gone(timeout_s=15)
    assert left == [], f"worker processes outlived the killed server: {left}"


async def test_kill_9_mid_import_and_mid_classification_then_restart(
        deployment: Deployment) -> None:
    deployment.env["PHOTONIX_JOB_LEASE"] = LEASE_S
    server = await deployment.start_server("first")
    await deployment.create_library(server, deployment.inbox)
    stages = await deployment.wait_stages()
    assert stages, "no classifier stage is available"

    # Mid-import: some files are in, most are not.
    placed = await asyncio.to_thread(make_photos, deployment.inbox, 60, prefix="a")
    await wait_until(lambda: _at_least(deployment, 3), SETTLE_S, "the first imports")
    await kill_server(server)
    imported_before = len(await deployment.ok_paths())
    assert imported_before < len(placed), "the import finished before the kill: no test"

    # Restart: the start-up reconcile imports the rest, and classification resumes.
    server = await deployment.start_server("second")
    await wait_until(lambda: _all_ok(deployment, placed), SETTLE_S, "every file imported")

    # Mid-classification: more photos, killed while their jobs are partly done.
    more = await asyncio.to_thread(make_photos, deployment.inbox, 80, prefix="b")
    placed += more
    await wait_until(lambda: _all_ok(deployment, placed), SETTLE_S, "the new files imported")
    await wait_until(lambda: _some_jobs_left(deployment), SETTLE_S, "jobs still queued",
                     interval_s=0.05)
    await kill_server(server)
    jobs = Counter(j["status"] for j in await deployment.jobs())
    assert jobs["done"] and (jobs["queued"] or jobs["running"]), jobs

    server = await deployment.start_server("third")
    await wait_until(lambda: _all_jobs_done(deployment), SETTLE_S, "every job done")

    # Every file imported once: one photo, one PHOTO_ADDED per file.
    assert await deployment.ok_paths() == {str(p) for p in placed}
    assert await deployment.photo_count() == len(placed)
    added = await deployment.event_counts("PHOTO_ADDED")
    per_path = Counter(what for (_photo, what) in added)
    assert set(per_path) == {str(p) for p in placed}
    assert {p: n for (_ph, p), n in added.items() if n != 1} == {}, "PHOTO_ADDED twice"
    assert max(per_path.values()) == 1
    # Every stage done once: one job per photo and stage, done, tagged once.
    rows = await deployment.jobs()
    assert {(r["stage"], r["status"]) for r in rows} == {(s, "done") for s in stages}
    assert len(rows) == len(placed) * len(stages)
    tagged = await deployment.event_counts("PHOTO_TAGGED")
    assert len(tagged) == len(rows)
    assert {k: n for k, n in tagged.items() if n != 1} == {}, "a stage was committed twice"

    assert await server.stop() == 0, server.output()
    assert await server.wait_group_gone() == []


async def _at_least(deployment: Deployment, n: int) -> bool:
    return len(await deployment.ok_paths()) >= n


async def _all_ok(deployment: Deployment, placed: list) -> bool:  # type: ignore[type-arg]
    return {str(p) for p in placed} <= await deployment.ok_paths()


async def _some_jobs_left(deployment: Deployment) -> bool:
    statuses = Counter(j["status"] for j in await deployment.jobs())
    return statuses["done"] >= 5 and statuses["queued"] + statuses["running"] >= 20


async def _all_jobs_done(deployment: Deployment) -> bool:
    rows = await deployment.jobs()
    return bool(rows) and all(r["status"] == "done" for r in rows)
