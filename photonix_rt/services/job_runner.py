"""The classification runner: claim jobs, run them in the classifier pool, commit the results.

One runner per process (the server, or ``photonix-rt worker``); any number may share a
database. Start-up asks a pool process what it loaded, records it in ``classifiers``, and
re-queues the stages whose version changed. Then three loops run until ``close``:

- dispatch: claim up to ``pool.size`` jobs (FOR UPDATE SKIP LOCKED), run each in the pool;
  woken by NOTIFY on a dedicated connection, by a finished job, or by a slow poll;
- leases: renew our leases (heartbeat) and put back jobs whose runner stopped renewing;
- progress: JOB_PROGRESS per library, rate-limited.

A worker that dies fails only its pool's in-flight jobs, which are retried with backoff.
Usage::

    async with JobRunner.running(db, config, events, RunnerOptions()) as runner:
        ...
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

import asyncpg

from photonix_rt.events.types import EventKind
from photonix_rt.metrics import MeteredPool
from photonix_rt.pool_client import WorkerCrashed
from photonix_rt.services.face_grouping import FaceGrouper
from photonix_rt.services.job_progress import ProgressReporter
from photonix_rt.services.job_results import ResultWriter
from photonix_rt.services.jobs import Priority
from photonix_rt.services.library_roots import library_roots
from photonix_rt.services.photo_media import thumbnail_path, wait_for_file
from photonix_rt.store import classifiers as classifiers_store
from photonix_rt.store import jobs as jobs_store
from photonix_rt.store import photos_query
from photonix_rt.waiting import wait_until_set
from workers.protocol import ClassifyInput, ClassifyOutput, StageStatus, run_task

if TYPE_CHECKING:
    from photonix_rt.config import Config
    from photonix_rt.services.events import EventService
    from photonix_rt.store.db import Database
    from photonix_rt.store.jobs import Job

__all__ = ["JobRunner", "RunnerOptions"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunnerOptions:
    """Knobs of a runner; the defaults suit production, tests shorten the timings."""

    lease_s: float = 60.0
    heartbeat_s: float = 15.0
    poll_s: float = 5.0
    max_attempts: int = 5
    backoff_s: float = 5.0
    backoff_max_s: float = 600.0
    stages: frozenset[str] | None = None  # load only these stages (None: every one)
    tf_threads: int = 1  # TensorFlow intra/inter-op threads per worker process
    progress_interval_s: float = 0.5  # at most ~2 JOB_PROGRESS events per second per library
    face_threshold: float = 0.6  # dlib Euclidean distance: same person at or below
    face_index_rebuild_after: int = 256  # face changes before the Annoy index is rebuilt
    # A missing preview is usually being made by the importer: wait this long for it
    # before making it here (after a crash between announcing a photo and its preview).
    preview_wait_s: float = 3.0
    # Test hook: stage -> (task name, leading args) instead of ("classify", ()).
    stage_tasks: Mapping[str, tuple[str, tuple[Any, ...]]] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Config) -> RunnerOptions:
        """The defaults, with the lease the operator chose (heartbeats well within it)."""
        return cls(lease_s=config.job_lease_s, heartbeat_s=min(15.0, config.job_lease_s / 4))


class JobRunner:
    """Owns the classifier pool, the LISTEN connection and the loops of one process."""

    def __init__(self, db: Database, config: Config, events: EventService,
                 options: RunnerOptions | None = None) -> None:
        self._db = db
        self._config = config
        self._events = events
        self.options = options or RunnerOptions()
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        only = sorted(self.options.stages) if self.options.stages is not None else None
        self.pool = MeteredPool("classify", config.workers, run_task,
                               ("init_classifiers", str(config.models_dir), only,
                                self.options.tf_threads, config.log_level == "debug",
                                config.log_format))
        self.faces = FaceGrouper(db, config, self.pool, threshold=self.options.face_threshold,
                                 rebuild_after=self.options.face_index_rebuild_after)
        self._results = ResultWriter(db, events, self.faces)
        self.progress = ProgressReporter(db, events, self.options.progress_interval_s)
        self.statuses: list[StageStatus] = []
        self.stages: list[str] = []
        self._wake = asyncio.Event()
        self._running: dict[int, asyncio.Task[None]] = {}
        self._previews: dict[str, asyncio.Future[None]] = {}
        self._loops: list[asyncio.Task[None]] = []
        self._listener: asyncpg.Connection | None = None

    @classmethod
    @contextlib.asynccontextmanager
    async def running(cls, db: Database, config: Config, events: EventService,
                      options: RunnerOptions | None = None, *,
                      wait: bool = True) -> AsyncIterator[JobRunner]:
        """A started runner; with ``wait=False`` it loads its models in the background."""
        runner = cls(db, config, events, options)
        try:
            if wait:
                await runner.start()
            else:
                runner.start_in_background()
            yield runner
        finally:
            await runner.close()

    # ---- lifecycle -----------------------------------------------------------------------

    def start_in_background(self) -> None:
        """Start without waiting (the server listens while the models load)."""

        async def boot() -> None:
            try:
                await self.start()
            except Exception:
                log.exception("the classification runner did not start")

        self._loops.append(asyncio.create_task(boot(), name="jobs-start"))

    async def start(self) -> None:
        """Load the classifiers in the pool, record them, re-queue outdated stages, run."""
        # One report per process: ProcessPoolExecutor spawns a process only when a task
        # finds none idle, so after a single report the pool kept one process until two
        # tasks met, and a new photo's stages then ran one after another on it while the
        # second process was still loading its models.
        reports = await asyncio.gather(*(self.pool.run(run_task, "classifier_report")
                                         for _ in range(self.pool.size)))
        self.statuses = reports[0]
        available = [s.name for s in self.statuses if s.available]
        log.info("classifiers available: %s", ", ".join(available) or "none")
        for status in self.statuses:
            if status.available:
                log.debug("classifier %s %s available", status.name, status.version)
            else:
                log.warning("classifier %s unavailable: %s", status.name, status.reason)
            await classifiers_store.record_classifier(
                self._db, status.name, status.version, status.available, status.reason)
        self.stages = sorted(s.name for s in self.statuses if s.available)
        await self._reconcile()
        await self._listen()
        self._loops += [
            asyncio.create_task(self._dispatch_loop(), name="jobs-dispatch"),
            asyncio.create_task(self._lease_loop(), name="jobs-leases"),
            asyncio.create_task(self.progress.run(), name="jobs-progress"),
        ]
        self._wake.set()

    async def _reconcile(self) -> None:
        """A stage new here, or at a new version: queue it for every photo (bulk).

        A stage reconciled at this version before, and available ever since, is skipped:
        every photo imported meanwhile got its job then, and the pass reads the whole
        library (seconds at a million photos, on every start)."""
        for status in self.statuses:
            if not status.available or status.version is None:
                continue
            if await classifiers_store.reconciled_version(self._db,
                                                          status.name) == status.version:
                continue
            async with self._db.long_transaction() as conn:
                count = await jobs_store.reconcile_stage(conn, status.name, status.version,
                                                         int(Priority.BULK))
                await classifiers_store.mark_reconciled(conn, status.name, status.version)
            if count:
                log.info("queued %s %s job(s) for classifier version %s", count, status.name,
                         status.version)

    async def close(self) -> None:
        """Stop claiming, give our unfinished jobs back, stop the pool."""
        current = asyncio.current_task()
        loops = [t for t in self._loops if t is not current]
        for task in loops:
            task.cancel()
        await asyncio.gather(*loops, return_exceptions=True)
        self._loops = []
        running = list(self._running.values())
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        with contextlib.suppress(Exception):
            # Not an attempt: we stopped, the job did nothing wrong.
            await jobs_store.release_owned(self._db, self.owner)
        with contextlib.suppress(Exception):
            await self.progress.flush()
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.close()
            self._listener = None
        await self.faces.close()
        await self.pool.close()

    # ---- waking --------------------------------------------------------------------------

    async def _listen(self) -> None:
        try:
            self._listener = await asyncpg.connect(self._db.url)
            await self._listener.add_listener(jobs_store.JOBS_CHANNEL, self._notified)
        except (OSError, asyncpg.PostgresError):
            log.warning("cannot LISTEN for new jobs; polling every %s s", self.options.poll_s,
                        exc_info=True)
            self._listener = None

    def _notified(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        self._wake.set()
        if payload:
            with contextlib.suppress(ValueError):
                self.progress.touch(UUID(payload))

    async def _sleep_until_woken(self) -> None:
        timeout = self.options.poll_s
        if self.stages:
            due = await jobs_store.seconds_until_next(self._db, self.stages)
            if due is not None:
                timeout = min(timeout, max(0.01, due))
        await wait_until_set(self._wake, timeout)

    # ---- dispatch ------------------------------------------------------------------------

    async def _dispatch_loop(self) -> None:
        while True:
            try:
                self._wake.clear()  # before claiming: a NOTIFY during the claim is kept
                free = self.pool.size - len(self._running)
                if free > 0 and self.stages:
                    claimed = await self._claim(free)
                    if claimed:
                        continue
                if self._listener is not None and self._listener.is_closed():
                    await self._listen()
                await self._sleep_until_woken()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("job dispatch failed; retrying")
                await asyncio.sleep(self.options.poll_s)

    async def _claim(self, limit: int) -> int:
        async with self._db.transaction() as conn:
            jobs = await jobs_store.claim(conn, self.owner, self.stages, limit,
                                          self.options.lease_s)
            messages = [
                await self._events.record(conn, EventKind.STAGE_STARTED, job.library_id,
                                          job.photo_id,
                                          {"stage": job.stage, "attempt": job.attempts})
                for job in jobs
            ]
        await self._events.publish(*messages)
        for job in jobs:
            self._running[job.id] = asyncio.create_task(self._run(job),
                                                        name=f"job-{job.id}-{job.stage}")
            self.progress.touch(job.library_id)
        return len(jobs)

    async def _run(self, job: Job) -> None:
        try:
            output = await self._execute(job)
            if output is not None:
                await self._results.commit(job, self.owner, output)
        except asyncio.CancelledError:
            raise
        except WorkerCrashed as error:
            log.error("worker crashed running job %s (%s of photo %s)", job.id, job.stage,
                      job.photo_id)
            await self._retry(job, f"worker crashed: {error}")
        except Exception as error:
            log.warning("job %s (%s of photo %s) failed: %s", job.id, job.stage, job.photo_id,
                        error, exc_info=True)
            await self._retry(job, f"{type(error).__name__}: {error}")
        finally:
            self._running.pop(job.id, None)
            self.progress.touch(job.library_id)
            self._wake.set()

    async def _execute(self, job: Job) -> ClassifyOutput | None:
        photo = await jobs_store.job_photo(self._db, job.photo_id)
        if photo is None:
            return None  # deleted meanwhile; its jobs went with it
        if not photo.thumbnail_key:
            msg = "the photo has no preview thumbnail"
            raise LookupError(msg)
        path = thumbnail_path(self._config.thumbnails_dir, photo.thumbnail_key, "preview")
        if not await wait_for_file(path, self.options.preview_wait_s):
            await self._make_preview(job.library_id, photo.photo_id, photo.thumbnail_key)
        photo_input = ClassifyInput(
            photo.taken_at_local.isoformat() if photo.taken_at_local else None,
            photo.latitude, photo.longitude)
        task, leading = self.options.stage_tasks.get(job.stage, ("classify", ()))
        return await self.pool.run(run_task, task, *leading, job.stage, str(path), photo_input)

    async def _make_preview(self, library_id: UUID, photo_id: UUID, key: str) -> None:
        """Make a photo's missing preview from its first readable file (once at a time per
        photo in this process: its stages may run side by side)."""
        pending = self._previews.get(key)
        if pending is None:
            pending = asyncio.ensure_future(self._write_preview(library_id, photo_id, key))
            self._previews[key] = pending
            pending.add_done_callback(lambda done: self._preview_done(key, done))
        await asyncio.shield(pending)

    def _preview_done(self, key: str, done: asyncio.Future[None]) -> None:
        self._previews.pop(key, None)
        if not done.cancelled():
            done.exception()  # retrieved here too: every awaiting job may have gone

    async def _write_preview(self, library_id: UUID, photo_id: UUID, key: str) -> None:
        # The photo's own file (the JPEG whose rendering the grid thumbnail shows), not its
        # RAW or motion clip, which may sort first by name.
        found = (await photos_query.files_for_photos(self._db, [photo_id])).get(photo_id, [])
        files = [f for f in found if f.status == "ok"]
        if not files:
            msg = f"No such file: photo {photo_id} has no readable file for its preview"
            raise FileNotFoundError(msg)
        # The original is read again, maybe long after its import: only inside the library.
        roots = await library_roots(self._db, library_id, [os.path.dirname(files[0].path)])
        error = await self.pool.run(run_task, "preview", files[0].path, key,
                                    str(self._config.thumbnails_dir), roots)
        if error is not None:
            msg = f"preview of {files[0].path}: {error}"
            raise OSError(msg)
        log.info("made the missing preview of photo %s", photo_id)

    async def _retry(self, job: Job, error: str) -> None:
        try:
            updated = await jobs_store.retry_or_fail(
                self._db, job.id, self.owner, error, self.options.max_attempts,
                self.options.backoff_s, self.options.backoff_max_s)
        except Exception:
            log.exception("could not record the failure of job %s; its lease will expire",
                          job.id)
            return
        if updated is not None and updated.status == "failed":
            log.error("job %s (%s of photo %s) failed after %s attempts: %s", job.id,
                      job.stage, job.photo_id, updated.attempts, error)

    # ---- leases --------------------------------------------------------------------------

    async def _lease_loop(self) -> None:
        interval = min(self.options.heartbeat_s, self.options.lease_s / 3)
        while True:
            await asyncio.sleep(interval)
            try:
                await self._heartbeat()
                await self._reclaim()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("lease upkeep failed", exc_info=True)

    async def _heartbeat(self) -> None:
        ids = list(self._running)
        if not ids:
            return
        held = await jobs_store.heartbeat(self._db, self.owner, ids, self.options.lease_s)
        for lost in set(ids) - held:
            if lost in self._running:
                log.warning("lease of job %s was taken over; its result will be dropped", lost)

    async def _reclaim(self) -> list[Job]:
        reclaimed = await jobs_store.reclaim_expired(
            self._db, self.options.max_attempts, self.options.backoff_s,
            self.options.backoff_max_s)
        for job in reclaimed:
            log.warning("job %s (%s of photo %s) reclaimed from a runner that stopped: %s",
                        job.id, job.stage, job.photo_id, job.status)
            self.progress.touch(job.library_id)
        if reclaimed:
            self._wake.set()
        return reclaimed
