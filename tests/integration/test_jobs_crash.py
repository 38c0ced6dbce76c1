"""A whole runner process killed with SIGKILL mid-job: another runner finishes it, exactly once."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from uuid import UUID

from photonix_rt.store import jobs as jobs_store
from photonix_rt.store.db import Database
from tests.integration.photo_factory import add_photo
from tests.integration.test_jobs_runner import _library, wait_until, write_preview

ROOT = Path(__file__).resolve().parents[2]

# `photonix-rt worker`, with test timings: the same run_worker, options from argv.
WORKER = """
import asyncio, json, sys
from pathlib import Path
from photonix_rt.config import load_config
from photonix_rt.logs import setup_logging
from photonix_rt.services.job_runner import RunnerOptions
from photonix_rt.worker_main import run_worker

opts = json.loads(sys.argv[1])
setup_logging(verbose=False)
config = load_config(data_dir=Path(opts.pop("data_dir")), workers=1)
tasks = {k: (v[0], tuple(v[1])) for k, v in opts.pop("stage_tasks").items()}
options = RunnerOptions(stages=frozenset(opts.pop("stages")), stage_tasks=tasks, **opts)
sys.exit(asyncio.run(run_worker(config, options)))
"""


def _start_worker(database_url: str, data_dir: Path,
                  stage_tasks: dict[str, list]) -> subprocess.Popen:
    options = {"data_dir": str(data_dir), "stages": ["colour"], "stage_tasks": stage_tasks,
               "lease_s": 2.0, "heartbeat_s": 0.5, "poll_s": 0.5, "backoff_s": 0.05,
               "backoff_max_s": 0.1}
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.Popen([sys.executable, "-c", WORKER, json.dumps(options)], cwd=ROOT,
                            env=env, start_new_session=True)


def _kill_group(process: subprocess.Popen) -> None:
    """Tidy up whatever is left of a runner (its pool processes included)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)


async def _job_state(db: Database, photo_id: UUID) -> tuple[str, str | None, int]:
    job = await jobs_store.job_by_photo_stage(db, photo_id, "colour")
    if job is None:  # the runner has not queued it yet
        return "absent", None, 0
    return job.status, job.lease_owner, job.attempts


async def test_runner_killed_mid_job_another_finishes_it_once(
        db: Database, database_url: str, tmp_path: Path, fixtures_dir: Path, config) -> None:
    library_id = await _library(db)
    photo_id = await add_photo(db, library_id, thumbnail_key=write_preview(
        config, fixtures_dir / "photonix" / "snow.jpg"))
    doomed = _start_worker(database_url, config.data_dir,
                           {"colour": ["classify_slow_for_tests", [60]]})
    try:
        async def in_flight() -> bool:
            status, owner, _ = await _job_state(db, photo_id)
            return status == "running" and f":{doomed.pid}:" in (owner or "")

        await wait_until(in_flight)
        os.kill(doomed.pid, signal.SIGKILL)  # the runner itself, mid-job
        assert doomed.wait(30) == -signal.SIGKILL
    finally:
        _kill_group(doomed)
    status, _, attempts = await _job_state(db, photo_id)
    assert (status, attempts) == ("running", 1)  # nobody finished it

    rescuer = _start_worker(database_url, config.data_dir, {})
    try:
        async def finished() -> bool:
            return (await _job_state(db, photo_id))[0] in ("done", "failed")

        await wait_until(finished)
        rescuer.send_signal(signal.SIGTERM)
        assert rescuer.wait(60) == 0  # a clean stop
    finally:
        _kill_group(rescuer)
    job = await jobs_store.job_by_photo_stage(db, photo_id, "colour")
    assert job is not None and (job.status, job.attempts) == ("done", 2)
    assert await db.fetchval(
        "SELECT count(*) FROM events WHERE photo_id = $1 AND kind = 'PHOTO_TAGGED'",
        photo_id) == 1
    names = [r["name"] for r in await db.fetch(
        "SELECT t.name FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id"
        " WHERE pt.photo_id = $1 AND t.type = 'colour'", photo_id)]
    assert names and len(names) == len(set(names))
