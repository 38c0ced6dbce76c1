"""``photonix-rt worker``: the classification runner and its pool, without the HTTP server.

Run it on any machine that reaches the same DATABASE_URL (and the same data dir, where the
preview thumbnails and face indexes live) to add classification capacity::

    DATABASE_URL=postgresql://... PHOTONIX_DATA_DIR=/srv/photonix photonix-rt worker --workers 4
"""

from __future__ import annotations

import asyncio
import logging
import signal

from photonix_rt.app import open_bus, open_database
from photonix_rt.config import Config
from photonix_rt.services.events import EventService
from photonix_rt.services.job_runner import JobRunner, RunnerOptions

__all__ = ["run_worker"]

log = logging.getLogger(__name__)


async def run_worker(config: Config, options: RunnerOptions | None = None) -> int:
    """Run until SIGINT/SIGTERM; unfinished jobs are handed back on the way out."""
    if config.database_url is None:
        log.error("photonix-rt worker needs DATABASE_URL (the server's database)")
        return 2
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with open_database(config) as db:
        bus = await open_bus(config)
        try:
            async with JobRunner.running(db, config, EventService(db, bus),
                                         options or RunnerOptions.from_config(config)) as runner:
                log.info("worker %s running stages %s with %s processes", runner.owner,
                         ", ".join(runner.stages) or "(none)", runner.pool.size)
                print(f"photonix-rt worker ready: {', '.join(runner.stages)}",  # noqa: T201
                      flush=True)
                await stop.wait()
        finally:
            await bus.close()
    return 0
