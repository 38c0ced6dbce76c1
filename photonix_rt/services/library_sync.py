"""Keep libraries in step with their folders: background scans, and the watcher told of
folders added or removed.

The folder watcher is an adapter started by ``app.serve`` (the CLI and tests run without
one); it registers itself here so that services never import it.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any, Protocol
from uuid import UUID

from photonix_rt.services.events import EventService
from photonix_rt.services.importer import Importer
from photonix_rt.services.rescan_progress import RescanProgress
from photonix_rt.store import libraries as store
from photonix_rt.store.db import Database

__all__ = ["FolderWatcher", "LibrarySync"]

log = logging.getLogger(__name__)


class FolderWatcher(Protocol):
    """What this service needs of the watcher."""

    async def reload(self) -> None: ...
    async def rewatch(self) -> None: ...


class LibrarySync:
    """Runs scans in the background (one at a time per library and folder) and keeps the
    watcher's folder list current."""

    def __init__(self, db: Database, importer: Importer, events: EventService) -> None:
        self._db = db
        self._importer = importer
        self._events = events
        self._tasks: dict[tuple[UUID, str | None], asyncio.Task[Any]] = {}
        self.watcher: FolderWatcher | None = None

    async def watched_folders(self) -> list[tuple[UUID, str]]:
        """``(library id, folder)`` for every folder marked to be watched."""
        return [(p.library_id, p.path) for p in await store.all_paths(self._db) if p.watch]

    async def folders_changed(self, library_id: UUID) -> None:
        """A folder was added or removed: re-read the watch list and reconcile the library."""
        if self.watcher is not None:
            await self.watcher.reload()
        self.scan_in_background(library_id)

    async def rewatch(self) -> None:
        """Re-establish every watch (an explicit rescan: a folder that came back, or watches
        lost since, are watched again at once)."""
        if self.watcher is not None:
            try:
                await self.watcher.rewatch()
            except Exception:  # the scan still runs; the periodic rescan re-watches later
                log.exception("re-establishing the folder watches failed")

    def scan_in_background(self, library_id: UUID, folder: Path | None = None, *,
                           report_progress: bool = False) -> bool:
        """Start a scan of the library (or one folder of it); False if one is running.

        ``report_progress``: announce where it stands (RESCAN_PROGRESS), for a rescan someone
        asked for and is waiting on; the scans the server starts itself stay quiet."""
        key = (library_id, str(folder) if folder else None)
        running = self._tasks.get(key)
        if running is not None and not running.done():
            return False
        self._tasks[key] = asyncio.create_task(self._scan(library_id, folder, report_progress))
        return True

    async def _scan(self, library_id: UUID, folder: Path | None, report_progress: bool) -> None:
        try:
            progress = (RescanProgress(self._db, self._events, library_id)
                        if report_progress else None)
            update = progress.update if progress else None
            if folder is None:
                summary = await self._importer.scan_library(library_id, update)
            else:
                summary = await self._importer.import_directory(library_id, folder, update)
            if progress:
                await progress.finish(str(folder) if folder else None, summary)
            log.info("scan of library %s%s: %s, %d failed, %d missing", library_id,
                     f" ({folder})" if folder else "", summary.counts, len(summary.failures),
                     len(summary.missing))
        except Exception:  # a task boundary: log it, the server keeps running
            log.exception("scan of library %s failed", library_id)

    async def settled(self) -> None:
        """Wait for the scans running now (tests)."""
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)

    async def close(self) -> None:
        for task in self._tasks.values():
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        self._tasks.clear()
