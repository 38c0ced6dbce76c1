"""kill -9 of a pool worker (a classifier worker mid-classification, then the ingest worker
mid-import): its work is retried and done once, and the server stays up."""

from __future__ import annotations

import asyncio
import os
import signal
import urllib.request
from collections import Counter

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.serve_process import ServerProcess
from tests.faults.harness import (
    SETTLE_S,
    Deployment,
    child_pids,
    cmdline,
    make_photos,
    process_alive,
    wait_until,
)

pytestmark = [pytest.mark.faults, pytest.mark.slow]


def pool_workers(server: ServerProcess) -> list[int]:
    """Blocking: the server's worker processes (spawned pool children), oldest first."""
    return [pid for pid in child_pids(server.process.pid)
            if "spawn_main" in cmdline(pid) and "resource_tracker" not in cmdline(pid)]


async def test_killed_pool_workers_lose_no_work_and_the_server_stays_up(
        deployment: Deployment) -> None:
    server = await deployment.start_server("one")
    await deployment.create_library(server, deployment.inbox)
    stages = await deployment.wait_stages()
    # Nothing imported yet: the only workers are the classification runner's.
    classifiers = await asyncio.to_thread(pool_workers, server)
    assert len(classifiers) == 1, classifiers  # PHOTONIX_WORKERS=1

    # A classifier worker killed while its jobs run.
    placed = await asyncio.to_thread(make_photos, deployment.inbox, 80, prefix="a")
    await wait_until(lambda: _jobs_under_way(deployment), SETTLE_S, "jobs under way",
                     interval_s=0.05)
    ingest = [p for p in await asyncio.to_thread(pool_workers, server) if p not in classifiers]
    assert len(ingest) == 1, ingest  # the importer's pool, started by the first import
    os.kill(classifiers[0], signal.SIGKILL)
    await wait_until(lambda: _all_jobs_done(deployment), SETTLE_S, "every job done")
    assert not await asyncio.to_thread(process_alive, classifiers[0])
    assert server.process.poll() is None, server.output()
    retried = [j for j in await deployment.jobs() if j["attempts"] > 1]
    assert retried, "no job saw its worker die: the kill missed the classification"

    # The ingest worker killed mid-import.
    more = await asyncio.to_thread(make_photos, deployment.inbox, 60, prefix="b")
    placed += more
    await wait_until(lambda: _some_of(deployment, more, 3), SETTLE_S, "the first new imports",
                     interval_s=0.05)
    os.kill(ingest[0], signal.SIGKILL)
    await wait_until(lambda: _all_ok(deployment, placed), SETTLE_S,
                     "every file imported despite the dead ingest worker")
    await wait_until(lambda: _all_jobs_done(deployment), SETTLE_S, "every job done")
    assert server.process.poll() is None, server.output()

    assert await deployment.photo_count() == len(placed)
    rows = await deployment.jobs()
    assert {(r["stage"], r["status"]) for r in rows} == {(s, "done") for s in stages}
    assert len(rows) == len(placed) * len(stages)
    tagged = await deployment.event_counts("PHOTO_TAGGED")
    assert len(tagged) == len(rows)
    assert {k: n for k, n in tagged.items() if n != 1} == {}, "a stage was committed twice"
    added = Counter(what for (_photo, what) in await deployment.event_counts("PHOTO_ADDED"))
    assert added == Counter(str(p) for p in placed), "a file was not added exactly once"
    assert (await deployment.gql(server, "{ libraries { photoCount } }")).data[
        "libraries"] == [{"photoCount": len(placed)}]
    # Each death replaced its pool once, and /metrics says so (issue 12).
    restarts = await asyncio.to_thread(_worker_restarts, server)
    assert restarts == {"classify": 1.0, "import": 1.0}, restarts


def _worker_restarts(server: ServerProcess) -> dict[str, float]:
    with urllib.request.urlopen(server.url + "/metrics", timeout=30) as response:
        text = response.read().decode()
    return {s.labels["pool"]: s.value for family in text_string_to_metric_families(text)
            for s in family.samples if s.name == "photonix_worker_restarts_total"}


async def _jobs_under_way(deployment: Deployment) -> bool:
    statuses = Counter(j["status"] for j in await deployment.jobs())
    return statuses["done"] >= 3 and statuses["queued"] + statuses["running"] >= 20


async def _all_jobs_done(deployment: Deployment) -> bool:
    rows = await deployment.jobs()
    return bool(rows) and all(r["status"] == "done" for r in rows)


async def _all_ok(deployment: Deployment, placed: list) -> bool:  # type: ignore[type-arg]
    return {str(p) for p in placed} <= await deployment.ok_paths()


async def _some_of(deployment: Deployment, paths: list, n: int) -> bool:  # type: ignore[type-arg]
    return len({str(p) for p in paths} & await deployment.ok_paths()) >= n
