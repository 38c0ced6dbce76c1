"""The runner with a real classifier pool: results and events, a worker killed mid-job, failures.

These use the colour stage (no model files needed), so they run wherever the suite runs.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from uuid import UUID

import pytest
from PIL import Image

from photonix_rt.config import Config
from photonix_rt.services.container import Services
from photonix_rt.services.job_runner import JobRunner, RunnerOptions
from photonix_rt.services.jobs import Priority
from photonix_rt.services.photo_media import thumbnail_path
from photonix_rt.store import classifiers as classifiers_store
from photonix_rt.store import jobs as jobs_store
from photonix_rt.store.db import Database
from tests.integration.photo_factory import Gql, add_photo, add_tag, data_of, make_library
from tests.media_samples import make_camera_jpeg, make_dng

FAST = RunnerOptions(stages=frozenset({"colour"}), lease_s=10, heartbeat_s=1, poll_s=0.5,
                     backoff_s=0.05, backoff_max_s=0.2, max_attempts=3, preview_wait_s=0.1)


async def wait_until(check: Callable[[], Awaitable[bool]], limit_s: float = 120) -> None:
    """Poll until ``check`` holds; fail after ``limit_s`` (a hang, not a timing assertion)."""
    async with asyncio.timeout(limit_s):
        while not await check():  # noqa: ASYNC110 - polling the database, not an event
            await asyncio.sleep(0.05)


def write_preview(config: Config, source: Path | Image.Image) -> str:
    """A preview thumbnail where ingest would have written it; returns its key."""
    key = secrets.token_hex(16)
    path = thumbnail_path(config.thumbnails_dir, key, "preview")
    path.parent.mkdir(parents=True, exist_ok=True)
    image = source if isinstance(source, Image.Image) else Image.open(source)
    image = image.convert("RGB")
    image.thumbnail((1440, 1440))
    image.save(path, "WEBP", quality=90)
    return key


async def _library(db: Database) -> UUID:
    return await db.fetchval("INSERT INTO libraries (name) VALUES ($1) RETURNING id",
                             f"lib-{secrets.token_hex(4)}")


async def _colour_tags(db: Database, photo_id: UUID) -> list[tuple[str, str | None, bool]]:
    rows = await db.fetch(
        """
        SELECT t.name, pt.model_version, pt.hidden FROM photo_tags pt
        JOIN tags t ON t.id = pt.tag_id WHERE pt.photo_id = $1 AND t.type = 'colour'
        ORDER BY t.name
        """,
        photo_id)
    return [(r["name"], r["model_version"], r["hidden"]) for r in rows]


async def _done(db: Database, photo_id: UUID, stage: str = "colour") -> bool:
    job = await jobs_store.job_by_photo_stage(db, photo_id, stage)
    return job is not None and job.status in ("done", "failed")


async def test_colour_results_events_and_kept_decisions(
        config: Config, services: Services, db: Database, fixtures_dir: Path) -> None:
    library_id = await _library(db)
    key = write_preview(config, fixtures_dir / "photonix" / "snow.jpg")
    photo_id = await add_photo(db, library_id, thumbnail_key=key)
    # A person hid one model tag; another is a stale model tag that must go.
    await add_tag(db, library_id, photo_id, "white", tag_type="colour", hidden=True)
    await add_tag(db, library_id, photo_id, "stale-colour", tag_type="colour")
    # The photo predates the runner: start-up queues the stage for it (bulk priority).
    async with JobRunner.running(db, config, services.events, FAST) as runner:
        assert runner.stages == ["colour"]
        await wait_until(lambda: _done(db, photo_id))
    job = await jobs_store.job_by_photo_stage(db, photo_id, "colour")
    assert job is not None and job.status == "done" and job.attempts == 1
    assert job.priority == int(Priority.BULK)
    assert job.model_version == "1"
    tags = await _colour_tags(db, photo_id)
    names = [name for name, _, _ in tags]
    assert "stale-colour" not in names
    assert names.count("white") == 1 and ("white", "test-1", True) in tags  # still hidden
    assert any(version == "1" for _, version, _ in tags), tags
    kinds = [r["kind"] for r in await db.fetch(
        "SELECT kind FROM events WHERE photo_id = $1 ORDER BY sequence", photo_id)]
    assert kinds == ["STAGE_STARTED", "PHOTO_TAGGED"]
    tagged = await db.fetchval(
        "SELECT payload FROM events WHERE photo_id = $1 AND kind = 'PHOTO_TAGGED'", photo_id)
    assert tagged["stage"] == "colour" and tagged["tags"] == len(tags) - 1
    progress = await db.fetch(
        "SELECT payload FROM events WHERE kind = 'JOB_PROGRESS' AND library_id = $1"
        " ORDER BY sequence", library_id)
    assert progress and progress[-1]["payload"]["done"] == 1
    assert progress[-1]["payload"]["queued"] == 0
    statuses = await classifiers_store.list_classifiers(db)
    assert [(s.name, s.available) for s in statuses] == [("colour", True)]


async def test_worker_killed_mid_job_is_replaced_and_job_done_once(
        config: Config, services: Services, db: Database, fixtures_dir: Path,
        tmp_path: Path, gql: Gql, caplog: pytest.LogCaptureFixture) -> None:
    library_id = await _library(db)
    marker = tmp_path / "crash-next"
    marker.write_text("die")
    options = RunnerOptions(**{**FAST.__dict__, "stage_tasks": {
        "colour": ("classify_crash_once_for_tests", (str(marker),))}})
    with caplog.at_level(logging.ERROR, "photonix_rt"):
        async with JobRunner.running(db, config, services.events, options):
            first = await add_photo(db, library_id, thumbnail_key=write_preview(
                config, fixtures_dir / "photonix" / "snow.jpg"))
            await services.jobs.enqueue_stages(library_id, first, [("colour", None)])
            await wait_until(lambda: _done(db, first))
            assert not marker.exists()  # the worker really died on the first attempt
            second = await add_photo(db, library_id, thumbnail_key=write_preview(
                config, fixtures_dir / "photonix" / "tree.jpg"))
            await services.jobs.enqueue_stages(library_id, second, [("colour", None)])
            await wait_until(lambda: _done(db, second))
            # The server kept serving all along.
            assert data_of(await gql("{ serverVersion }"))["serverVersion"]
    assert "worker crashed running job" in caplog.text
    job = await jobs_store.job_by_photo_stage(db, first, "colour")
    assert job is not None and (job.status, job.attempts) == ("done", 2)
    tags = await _colour_tags(db, first)
    assert tags and len(tags) == len({name for name, _, _ in tags})  # written once
    assert await db.fetchval(
        "SELECT count(*) FROM events WHERE photo_id = $1 AND kind = 'PHOTO_TAGGED'", first) == 1
    second_job = await jobs_store.job_by_photo_stage(db, second, "colour")
    assert second_job is not None and (second_job.status, second_job.attempts) == ("done", 1)


async def test_failures_retry_with_backoff_then_show_in_graphql(
        config: Config, services: Services, db: Database, gql: Gql, make_user) -> None:
    token = await make_user("ann")
    library_id = await make_library(gql, token, "Ann's")
    # The preview was never written: every attempt fails reading it.
    photo_id = await add_photo(db, library_id, thumbnail_key=secrets.token_hex(16))
    async with JobRunner.running(db, config, services.events, FAST):
        await wait_until(lambda: _done(db, photo_id))
    body = data_of(await gql(
        "query($id: ID!) { photo(id: $id) { jobs { stage status attempts error } } }",
        {"id": str(photo_id)}, token=token))
    [job] = body["photo"]["jobs"]
    assert (job["stage"], job["status"], job["attempts"]) == ("colour", "FAILED", 3)
    assert "FileNotFoundError" in job["error"] or "No such file" in job["error"]
    classifiers = data_of(await gql("{ classifiers { name version available reason } }",
                                    token=token))["classifiers"]
    assert {"name": "colour", "version": "1", "available": True,
            "reason": None} in classifiers
    progress = data_of(await gql(
        "query($l: ID!) { jobProgress(libraryId: $l) { queued running done failed } }",
        {"l": str(library_id)}, token=token))["jobProgress"]
    assert progress == {"queued": 0, "running": 0, "done": 0, "failed": 1}
    # Strangers see neither the photo nor its jobs.
    other = await make_user("bob")
    denied = await gql("query($id: ID!) { photo(id: $id) { jobs { status } } }",
                       {"id": str(photo_id)}, token=other)
    assert denied["data"]["photo"] is None and denied["errors"]
    denied = await gql("query($l: ID!) { jobProgress(libraryId: $l) { failed } }",
                       {"l": str(library_id)}, token=other)
    assert denied["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_imports_queue_jobs_by_priority_and_get_tagged(
        config: Config, services: Services, db: Database, fixtures_dir: Path,
        tmp_path: Path) -> None:
    library_id = await _library(db)
    await classifiers_store.record_classifier(db, "colour", "1", True, None)
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(fixtures_dir / "photonix" / "tree.jpg", folder / "tree.jpg")
    dropped = tmp_path / "dropped.jpg"
    shutil.copy(fixtures_dir / "photonix" / "snow.jpg", dropped)
    await services.importer.import_directory(library_id, folder)
    await services.importer.import_paths(library_id, [str(dropped)])
    rows = await db.fetch(
        """
        SELECT f.path, j.priority, j.status FROM jobs j
        JOIN photo_files f ON f.photo_id = j.photo_id WHERE j.stage = 'colour'
        """)
    by_path = {Path(r["path"]).name: (r["priority"], r["status"]) for r in rows}
    assert by_path == {"tree.jpg": (int(Priority.NORMAL), "queued"),
                       "dropped.jpg": (int(Priority.HIGH), "queued")}
    async with JobRunner.running(db, config, services.events, FAST):
        await wait_until(lambda: _all_done(db))
    counts = await jobs_store.counts_by_status(db, library_id)
    assert counts == {"done": 2}
    order = await db.fetch(
        """
        SELECT f.path FROM jobs j JOIN photo_files f ON f.photo_id = j.photo_id
        ORDER BY j.started_at
        """)
    assert Path(order[0]["path"]).name == "dropped.jpg"  # the new arrival went first


async def _all_done(db: Database) -> bool:
    return not await db.fetchval(
        "SELECT EXISTS (SELECT 1 FROM jobs WHERE status IN ('queued', 'running'))")


async def test_new_classifier_version_reruns_only_its_stage_at_start(
        config: Config, services: Services, db: Database, fixtures_dir: Path) -> None:
    library_id = await _library(db)
    photo_id = await add_photo(db, library_id, thumbnail_key=write_preview(
        config, fixtures_dir / "photonix" / "tree.jpg"))
    # Done earlier by older versions of two stages.
    async with db.transaction() as conn:
        await jobs_store.enqueue(conn, library_id, photo_id, [("colour", "0"), ("object", "x")],
                                 int(Priority.NORMAL))
    await db.execute("UPDATE jobs SET status = 'done', attempts = 1, finished_at = now()")
    async with JobRunner.running(db, config, services.events, FAST):  # colour is now "1"
        await wait_until(lambda: _done_at(db, photo_id, "colour", "1"))
    colour = await jobs_store.job_by_photo_stage(db, photo_id, "colour")
    other = await jobs_store.job_by_photo_stage(db, photo_id, "object")
    assert colour is not None and (colour.status, colour.priority) == ("done", int(Priority.BULK))
    assert other is not None and (other.status, other.model_version) == ("done", "x")
    assert await _colour_tags(db, photo_id)


async def _done_at(db: Database, photo_id: UUID, stage: str, version: str) -> bool:
    job = await jobs_store.job_by_photo_stage(db, photo_id, stage)
    return job is not None and job.status == "done" and job.model_version == version


async def test_start_up_skips_the_library_pass_while_classifiers_are_unchanged(
        config: Config, services: Services, db: Database, fixtures_dir: Path) -> None:
    library_id = await _library(db)
    key = write_preview(config, fixtures_dir / "photonix" / "tree.jpg")
    first = await add_photo(db, library_id, thumbnail_key=key)  # no jobs: the pass finds it
    async with JobRunner.running(db, config, services.events, FAST):
        await wait_until(lambda: _done_at(db, first, "colour", "1"))

    # Written without jobs, as no import does: only the pass over the library would see it.
    second = await add_photo(db, library_id, thumbnail_key=key)
    async with JobRunner.running(db, config, services.events, FAST):
        await wait_until(lambda: _all_done(db))
    assert await jobs_store.job_by_photo_stage(db, second, "colour") is None  # pass skipped

    # Unavailable for a while: photos imported meanwhile got no colour job, so the next
    # start with it available runs the pass again.
    # (A fresh "available" from some runner outranks an "unavailable" for an hour.)
    await db.execute("UPDATE classifiers SET updated_at = now() - interval '2 hours'")
    await classifiers_store.record_classifier(db, "colour", "1", False, "not installed")
    async with JobRunner.running(db, config, services.events, FAST):
        await wait_until(lambda: _done_at(db, second, "colour", "1"))


async def test_a_lost_preview_is_not_remade_from_a_link_out_of_the_library(
        config: Config, services: Services, db: Database, fixtures_dir: Path,
        tmp_path: Path) -> None:
    """The runner remakes a missing preview from the original, maybe days after the import:
    a photo replaced meanwhile by a link to a file elsewhere is refused, not read."""
    library_id = await _library(db)
    folder = tmp_path / "lib"
    folder.mkdir()
    shutil.copy(fixtures_dir / "photonix" / "snow.jpg", folder / "snow.jpg")
    secret = tmp_path / "secret.jpg"
    shutil.copy(fixtures_dir / "photonix" / "tree.jpg", secret)
    await db.execute("INSERT INTO library_paths (library_id, path) VALUES ($1, $2)",
                     library_id, str(folder))
    await services.importer.import_directory(library_id, folder)
    photo_id, key = await db.fetchrow(
        "SELECT id, thumbnail_key FROM photos WHERE library_id = $1", library_id)
    preview = thumbnail_path(config.thumbnails_dir, key, "preview")
    preview.unlink()  # lost (a cleared cache, a restored backup)
    (folder / ".swap").symlink_to(secret)
    (folder / ".swap").rename(folder / "snow.jpg")
    await classifiers_store.record_classifier(db, "colour", "1", True, None)
    async with JobRunner.running(db, config, services.events, FAST):
        await wait_until(lambda: _done(db, photo_id))
    job = await jobs_store.job_by_photo_stage(db, photo_id, "colour")
    assert job is not None and job.status == "failed"
    assert "not inside the library's folders" in (job.last_error or "")
    assert not preview.exists()


async def test_a_lost_preview_is_remade_from_the_photo_s_own_file_not_its_raw(
        config: Config, services: Services, db: Database, tmp_path: Path) -> None:
    """``IMG_1.dng`` sorts before ``IMG_1.jpg``: the preview still comes from the JPEG."""
    library_id = await _library(db)
    folder = tmp_path / "card"
    folder.mkdir()
    make_dng(folder / "IMG_1.dng", (640, 480))  # RAW_COLOUR, a red
    make_camera_jpeg(folder / "IMG_1.jpg", (640, 480), colour=(40, 160, 60))
    await services.importer.import_directory(library_id, folder)
    photo_id, key = await db.fetchrow(
        "SELECT id, thumbnail_key FROM photos WHERE library_id = $1", library_id)
    assert await db.fetchval("SELECT count(*) FROM photo_files WHERE photo_id = $1",
                             photo_id) == 2
    preview = thumbnail_path(config.thumbnails_dir, key, "preview")
    preview.unlink()
    await classifiers_store.record_classifier(db, "colour", "1", True, None)
    async with JobRunner.running(db, config, services.events, FAST):
        await wait_until(lambda: _done(db, photo_id))
    with Image.open(preview) as remade:
        r, g, b = remade.convert("RGB").getpixel((remade.width // 2, remade.height // 2))
    assert g > r + 60, (r, g, b)  # the JPEG's green, not the RAW's red
