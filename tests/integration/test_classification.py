"""Every stage with the real models, end to end: import -> queue -> pool -> tags in GraphQL."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from photonix_rt.config import Config
from photonix_rt.services.container import Services
from photonix_rt.services.job_runner import JobRunner, RunnerOptions
from photonix_rt.store.db import Database
from tests.integration.photo_factory import Gql, add_photo, data_of, make_library
from tests.integration.test_jobs_runner import wait_until, write_preview
from tests.unit.models_fixture import installed_models

STAGES = ("colour", "event", "face", "location", "object")
OPTIONS = RunnerOptions(lease_s=300, heartbeat_s=5, poll_s=0.5, backoff_s=0.1,
                        backoff_max_s=1, max_attempts=2)


@pytest.fixture
def model_config(config: Config) -> Config:
    """The harness config, reading the installed models (``photonix-rt models install``)."""
    return dataclasses.replace(config, models_dir_override=installed_models())


def _astronaut() -> Image.Image:
    data = pytest.importorskip("skimage.data", reason="scikit-image provides the test photo")
    return Image.fromarray(data.astronaut())


async def _pending(db: Database) -> bool:
    return await db.fetchval(
        "SELECT EXISTS (SELECT 1 FROM jobs WHERE status IN ('queued', 'running'))")


async def test_every_stage_tags_real_photos(
        model_config: Config, services: Services, db: Database, gql: Gql, make_user,
        fixtures_dir: Path, tmp_path: Path) -> None:
    token = await make_user("owner")
    library_id = await make_library(gql, token, "Everything")
    # The astronaut, "taken" on Christmas Day in London.
    astronaut = str(await add_photo(
        db, library_id, thumbnail_key=write_preview(model_config, _astronaut()),
        taken_at=datetime(2019, 12, 25, 10, 30),  # noqa: DTZ001 - a floating local time
        latitude=51.5304213, longitude=-0.1286445))
    # Every fixture photo through the real importer (real previews), odd files included.
    folder = tmp_path / "fixtures"
    shutil.copytree(fixtures_dir / "photonix", folder)
    await services.importer.import_directory(library_id, folder)

    async with JobRunner.running(db, model_config, services.events, OPTIONS) as runner:
        assert runner.stages == list(STAGES), runner.statuses
        await wait_until(lambda: _not_pending(db), 900)

    failed = await db.fetch("SELECT stage, last_error FROM jobs WHERE status <> 'done'")
    assert [dict(r) for r in failed] == []
    photos = await db.fetchval("SELECT count(*) FROM photos")
    assert await db.fetchval("SELECT count(*) FROM jobs") == photos * len(STAGES)

    body = data_of(await gql(
        """query($id: ID!) { photo(id: $id) {
             tags { name type confidence box }
             faces { box confidence person { id name } }
             jobs { stage status modelVersion } } }""",
        {"id": astronaut}, token=token))["photo"]
    tags = {(t["type"], t["name"]) for t in body["tags"]}
    assert ("OBJECT", "person") in tags
    assert ("EVENT", "Christmas Day") in tags
    assert ("LOCATION", "London") in tags
    assert ("PERSON", "") in tags  # an unnamed person until someone names it
    assert any(t == "COLOR" for t, _ in tags)
    [person_box] = [t["box"] for t in body["tags"] if t["type"] == "OBJECT"
                    and t["name"] == "person"]
    assert person_box and all(0 <= v <= 1 for v in person_box)
    assert len(body["faces"]) == 1 and body["faces"][0]["confidence"] > 0.9
    assert {j["stage"]: j["status"] for j in body["jobs"]} == dict.fromkeys(STAGES, "DONE")
    assert all(j["modelVersion"] for j in body["jobs"])
    # London sits under its country in the tag hierarchy.
    parent = await db.fetchval(
        "SELECT p.name FROM tags t JOIN tags p ON p.id = t.parent_id"
        " WHERE t.type = 'location' AND t.name = 'London'")
    assert parent == "United Kingdom"
    classifiers = data_of(await gql("{ classifiers { name available version } }",
                                    token=token))["classifiers"]
    assert sorted(c["name"] for c in classifiers if c["available"]) == list(STAGES)


async def _not_pending(db: Database) -> bool:
    return not await _pending(db)
