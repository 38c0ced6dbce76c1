"""A started runner has every pool process running, not just the one that answered first."""

from __future__ import annotations

from dataclasses import replace

import psutil

from photonix_rt.config import Config
from photonix_rt.services.container import Services
from photonix_rt.services.job_runner import JobRunner, RunnerOptions
from photonix_rt.store.db import Database


def _pool_processes() -> set[int]:
    return {child.pid for child in psutil.Process().children(recursive=True)
            if "spawn_main" in " ".join(child.cmdline())}  # not the resource tracker


async def test_start_spawns_every_worker_process(db: Database, config: Config,
                                                 services: Services) -> None:
    before = _pool_processes()
    options = RunnerOptions(stages=frozenset({"event"}), poll_s=0.5)  # no model files
    async with JobRunner.running(db, replace(config, workers=2), services.events,
                                 options) as runner:
        assert runner.stages == ["event"]
        assert len(_pool_processes() - before) == 2
