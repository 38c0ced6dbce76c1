"""Re-create missing thumbnails from the originals, once, after a restore.

A backup leaves thumbnails out (``backup.py``); the restore leaves a marker file in the data
dir, and ``serve`` then makes every thumbnail that is missing, from the photo's file, in the
worker pool, at the pace of one batch at a time. Nothing is re-imported or re-classified:
the photo rows, their keys and their jobs stay as they are. The marker goes once every photo
was visited, so an interrupted rebuild resumes at the next start. Usage::

    await rebuild_thumbnails_if_marked(services)
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

from photonix_rt.services.backup import REBUILD_THUMBNAILS_MARKER
from photonix_rt.services.photo_media import thumbnail_path
from photonix_rt.store import libraries as libraries_store
from photonix_rt.store.thumbnail_sources import ThumbnailSource, thumbnail_sources
from workers.protocol import THUMBNAIL_SIZES, run_task

if TYPE_CHECKING:
    from photonix_rt.services.container import Services

__all__ = ["rebuild_thumbnails_if_marked"]

log = logging.getLogger(__name__)

_BATCH = 200


def _missing(thumbnails_dir: str, source: ThumbnailSource) -> bool:
    return any(not thumbnail_path(Path(thumbnails_dir), source.thumbnail_key, size).exists()
               for size in THUMBNAIL_SIZES)


async def _remake(services: Services, source: ThumbnailSource,
                  roots: dict[UUID, list[str]]) -> str | None:
    if source.library_id not in roots:
        paths = (await libraries_store.paths_of_libraries(services.db, [source.library_id]))[0]
        roots[source.library_id] = [p.path for p in paths]
    return await services.pool.run(run_task, "thumbnails", source.path, source.thumbnail_key,
                                   str(services.config.thumbnails_dir),
                                   roots[source.library_id])


async def rebuild_thumbnails_if_marked(services: Services) -> int:
    """Make the missing thumbnails if the data dir was restored; returns how many photos."""
    marker = services.config.data_dir / REBUILD_THUMBNAILS_MARKER
    if not await asyncio.to_thread(os.path.exists, marker):
        return 0
    thumbnails_dir = str(services.config.thumbnails_dir)
    made = failed = 0
    roots: dict[UUID, list[str]] = {}
    after: UUID | None = None
    while batch := await thumbnail_sources(services.db, after, _BATCH):
        after = batch[-1].photo_id
        todo = [s for s in batch if await asyncio.to_thread(_missing, thumbnails_dir, s)]
        # The whole batch at once: the pool runs as many at a time as it has processes.
        errors = await asyncio.gather(*(_remake(services, s, roots) for s in todo),
                                      return_exceptions=True)
        for source, error in zip(todo, errors, strict=True):
            if error is None:
                made += 1
            else:
                failed += 1
                log.warning("thumbnails of photo %s (%s): %s", source.photo_id, source.path,
                            error)
    await asyncio.to_thread(marker.unlink, missing_ok=True)
    log.info("after the restore: thumbnails re-created for %d photo(s), %d failed", made,
             failed)
    return made
