"""Import photos from folders: identify by content, read once, record, announce.

The cheap path comes first: a file whose path, size and mtime match what the database
remembers is not opened at all. Otherwise the worker pool hashes it; content the library
already has becomes another file of the same photo (a copy, or a move: no decoding);
only new content is decoded for metadata and thumbnails. Originals are only ever read.

PHOTO_ADDED is sent once every column a grid tile needs and its grid thumbnail exist, so a
tile appears at its final size at once. For live arrivals (the watcher) the grid thumbnail is
made first and the 1440 px preview right after the announcement (~2x sooner on screen, ~40%
more CPU); bulk imports make both in one decode. The preview route waits briefly for a
missing preview, and the classification runner makes one if it is still missing.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

from photonix_rt.config import Config
from photonix_rt.events.types import EventKind, EventMessage
from photonix_rt.pool_client import PoolClient, WorkerCrashed
from photonix_rt.services.events import EventService
from photonix_rt.services.jobs import JobQueue, Priority
from photonix_rt.services.photo_record import PhotoRecord, photo_from_ingest
from photonix_rt.store import libraries as libraries_store
from photonix_rt.store import photos as store
from photonix_rt.store.db import Database, Queryable
from workers.protocol import FileDigest, IngestResult, run_task

__all__ = ["SUPPORTED_SUFFIXES", "ImportProgress", "ImportSummary", "Importer", "Outcome"]

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".tif", ".tiff", ".heic", ".heif", ".hif"})


class _ContentRaced(Exception):
    """Inside the photo transaction: the content was stored concurrently; roll back."""

    def __init__(self, photo_id: UUID) -> None:
        super().__init__(str(photo_id))
        self.photo_id = photo_id


class Outcome:
    """What importing one file did (string constants, used as summary counters)."""

    NEW = "new"              # new content: decoded, thumbnails made
    COPY = "copy"            # content already known: another file of an existing photo
    MOVED = "moved"          # known content whose old path is gone: file row moved
    CHANGED = "changed"      # a known path with new content: photo re-read in place
    UNCHANGED = "unchanged"  # path, size and mtime as remembered: not opened
    FAILED = "failed"        # unreadable or not a photo: recorded with the reason
    VANISHED = "vanished"    # gone between listing and reading


@dataclass(frozen=True)
class ImportProgress:
    done: int
    total: int
    path: str
    outcome: str


@dataclass
class ImportSummary:
    """Counts per outcome, the failures with their reasons, and files now missing."""

    counts: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def add(self, path: str, outcome: str, error: str | None = None) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1
        if outcome == Outcome.FAILED:
            self.failures.append((path, error or "unknown error"))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class _Stat:
    path: str
    size: int
    mtime_ns: int


def _is_candidate(name: str) -> bool:
    if name.startswith(".") or name.startswith("~$"):
        return False
    return os.path.splitext(name)[1].lower() in SUPPORTED_SUFFIXES


def _escapes(path: str, roots: Iterable[str]) -> bool:
    """Blocking: whether ``path`` is a symlink whose target lies outside every root.

    Such links are skipped: a library folder must not expose files from elsewhere on the
    server (a link to another user's photos, or to /etc) through the originals route.
    """
    if not os.path.islink(path):
        return False
    target = os.path.realpath(path)
    return not any(target == os.path.realpath(r) or target.startswith(
        os.path.realpath(r).rstrip(os.sep) + os.sep) for r in roots)


def list_photo_files(root: str) -> list[_Stat]:
    """Blocking: every supported file below ``root`` (hidden folders skipped), with stats;
    symlinks pointing outside ``root`` are left out."""
    found: list[_Stat] = []
    if os.path.isfile(root):
        st = os.stat(root)
        return [_Stat(root, st.st_size, st.st_mtime_ns)] if _is_candidate(
            os.path.basename(root)) else []
    for folder, dirs, files in os.walk(root, onerror=lambda e: log.warning("cannot list %s", e)):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not _is_candidate(name):
                continue
            path = os.path.join(folder, name)
            if _escapes(path, [root]):
                log.warning("skipping %s: a link to a file outside the library folder", path)
                continue
            try:
                st = os.stat(path)
            except OSError:
                continue
            found.append(_Stat(path, st.st_size, st.st_mtime_ns))
    return found


def _stat_or_none(path: str) -> _Stat | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return _Stat(path, st.st_size, st.st_mtime_ns)


class Importer:
    """Reconciles folders with the library and imports what is new or changed."""

    def __init__(self, db: Database, config: Config, pool: PoolClient,
                 events: EventService, jobs: JobQueue | None = None) -> None:
        self._db = db
        self._config = config
        self._pool = pool
        self._events = events
        self._jobs = jobs  # queues classification in the photo's own transaction
        # Keep the pool busy without queueing the whole folder in memory.
        self._parallel = asyncio.Semaphore(max(2, pool.size * 2))
        # One import per path at a time (a rescan and the watcher may both see a file):
        # a lock per path with the number of tasks holding or awaiting it.
        self._path_locks: dict[tuple[UUID, str], tuple[asyncio.Lock, int]] = {}

    # ---- folders ---------------------------------------------------------------------

    async def import_directory(
        self, library_id: UUID, root: Path,
        progress: Callable[[ImportProgress], None] | None = None,
    ) -> ImportSummary:
        """Import everything below ``root``; files known there but gone are marked missing."""
        root_str = str(await asyncio.to_thread(root.resolve))
        on_disk = await asyncio.to_thread(list_photo_files, root_str)
        known = await store.files_under(self._db, library_id, root_str)
        summary = ImportSummary()
        gone = [p for p, f in known.items() if f.status != "missing"
                and p not in {s.path for s in on_disk}]
        if gone:
            summary.missing = await self.mark_missing(library_id, gone)
        total = len(on_disk)
        done = 0

        async def one(stat: _Stat) -> None:
            nonlocal done
            outcome, error = await self._import_stat(library_id, stat, known.get(stat.path),
                                                     Priority.NORMAL)
            summary.add(stat.path, outcome, error)
            done += 1
            if progress is not None:
                progress(ImportProgress(done, total, stat.path, outcome))

        await asyncio.gather(*(one(s) for s in on_disk))
        return summary

    async def import_paths(self, library_id: UUID, paths: Iterable[str]) -> ImportSummary:
        """Import the given files (the watcher's entry point); missing ones are marked so."""
        summary = ImportSummary()
        gone: list[str] = []
        roots = [lp.path for lp in
                 (await libraries_store.paths_of_libraries(self._db, [library_id]))[0]]

        async def one(path: str) -> None:
            if await asyncio.to_thread(_escapes, path, roots):
                log.warning("skipping %s: a link to a file outside the library", path)
                return
            stat = await asyncio.to_thread(_stat_or_none, path)
            if stat is None:
                gone.append(path)
                return
            known = await store.file_by_path(self._db, library_id, path)
            outcome, error = await self._import_stat(library_id, stat, known, Priority.HIGH)
            summary.add(path, outcome, error)

        await asyncio.gather(*(one(p) for p in paths if _is_candidate(os.path.basename(p))))
        if gone:
            summary.missing = await self.mark_missing(library_id, gone)
        return summary

    async def scan_library(self, library_id: UUID) -> ImportSummary:
        """Reconcile every folder of one library with the disk."""
        summary = ImportSummary()
        for lp in (await libraries_store.paths_of_libraries(self._db, [library_id]))[0]:
            if not await asyncio.to_thread(os.path.isdir, lp.path):
                log.warning("library folder %s is not reachable; skipping it", lp.path)
                continue
            part = await self.import_directory(library_id, Path(lp.path))
            for outcome, n in part.counts.items():
                summary.counts[outcome] = summary.counts.get(outcome, 0) + n
            summary.failures.extend(part.failures)
            summary.missing.extend(part.missing)
        return summary

    async def mark_missing(self, library_id: UUID, paths: list[str]) -> list[str]:
        """Files gone from disk: marked missing, their photos kept (a disk may come back)."""
        async with self._db.transaction() as conn:
            changed = await store.mark_missing(conn, library_id, paths)
            messages = [
                await self._events.record(conn, EventKind.PHOTO_MISSING, library_id, f.photo_id,
                                          {"path": f.path})
                for f in changed if f.photo_id is not None
            ]
        await self._events.publish(*messages)
        return [f.path for f in changed]

    # ---- one file ----------------------------------------------------------------------

    async def _import_stat(self, library_id: UUID, stat: _Stat, known: store.KnownFile | None,
                           priority: Priority = Priority.NORMAL) -> tuple[str, str | None]:
        if (known is not None and known.status != "missing" and known.size == stat.size
                and known.mtime_ns == stat.mtime_ns):
            return Outcome.UNCHANGED, None
        key = (library_id, stat.path)
        lock, users = self._path_locks.get(key, (asyncio.Lock(), 0))
        self._path_locks[key] = (lock, users + 1)
        try:
            async with lock, self._parallel:
                return await self._import_file(library_id, stat, priority)
        except WorkerCrashed as error:
            log.error("worker crashed on %s: %s", stat.path, error)
            await self._record_failure(library_id, stat, None, f"worker crashed: {error}")
            return Outcome.FAILED, f"worker crashed: {error}"
        finally:
            lock, users = self._path_locks[key]
            if users == 1:
                del self._path_locks[key]
            else:
                self._path_locks[key] = (lock, users - 1)

    async def _import_file(self, library_id: UUID, stat: _Stat,
                           priority: Priority = Priority.NORMAL) -> tuple[str, str | None]:
        try:
            digest: FileDigest = await self._pool.run(run_task, "digest", stat.path)
        except OSError as error:
            if not await asyncio.to_thread(os.path.exists, stat.path):
                return Outcome.VANISHED, None
            reason = f"cannot read file: {error.strerror or error}"
            await self._record_failure(library_id, stat, None, reason)
            return Outcome.FAILED, reason
        content_hash = bytes.fromhex(digest.content_hash)
        existing_photo = await store.photo_id_by_hash(self._db, library_id, content_hash)
        if existing_photo is not None:
            return await self._add_copy(library_id, digest, existing_photo)

        grid_first = priority == Priority.HIGH  # someone is watching for this photo
        result: IngestResult = await self._pool.run(
            run_task, "ingest", digest.path, digest.content_hash, str(self._config.thumbnails_dir),
            grid_first)
        if result.error is not None:
            await self._record_failure(library_id, stat, content_hash, result.error,
                                       result.mime_type)
            return Outcome.FAILED, result.error
        record = photo_from_ingest(library_id, content_hash, result, digest.mtime_ns)
        try:
            async with self._db.transaction() as conn:
                # Another server process may be importing this very file: take turns.
                await store.lock_path(conn, library_id, digest.path)
                known = await store.file_by_path(conn, library_id, digest.path)
                if (known is not None and known.photo_id is not None and known.status == "ok"
                        and known.content_hash == content_hash):
                    raise _ContentRaced(known.photo_id)
                outcome, photo_id = await self._store_photo(conn, library_id, record, known)
                await store.upsert_file(
                    conn, library_id=library_id, path=digest.path, photo_id=photo_id,
                    content_hash=content_hash, size=digest.size, mtime_ns=digest.mtime_ns,
                    mime_type=result.mime_type, status="ok", error=None)
                if self._jobs is not None:
                    await self._jobs.enqueue_photo(conn, library_id, photo_id, priority)
                kind = (EventKind.PHOTO_UPDATED if outcome == Outcome.CHANGED
                        else EventKind.PHOTO_ADDED)
                message = await self._events.record(conn, kind, library_id, photo_id,
                                                    {"path": digest.path})
        except _ContentRaced as raced:
            # Another importer (another server process, or another path in this batch)
            # stored this content first: this file is a copy of it, or the very same file.
            return await self._add_copy(library_id, digest, raced.photo_id)
        await self._events.publish(message)
        if grid_first and result.thumbnail_key is not None:
            await self._make_preview(digest.path, result.thumbnail_key)
        return outcome, None

    async def _make_preview(self, path: str, key: str) -> None:
        """The preview thumbnail, after the photo was announced; a failure is only logged
        (the grid thumbnail stands in, and the runner retries before classifying)."""
        try:
            error = await self._pool.run(run_task, "preview", path, key,
                                         str(self._config.thumbnails_dir))
        except WorkerCrashed as crash:  # the photo itself is stored; only the preview is late
            error = f"worker crashed: {crash}"
        if error is not None:
            log.warning("preview of %s failed: %s", path, error)

    async def _store_photo(self, conn: Queryable, library_id: UUID, record: PhotoRecord,
                           known: store.KnownFile | None) -> tuple[str, UUID]:
        """Insert the photo, or re-read in place the photo whose only file changed."""
        if record.camera is not None:
            record.photo.camera_id = await store.upsert_camera(conn, *record.camera)
        if record.lens is not None:
            record.photo.lens_id = await store.upsert_lens(conn, record.lens)
        # The same path now holds other content: re-read the photo in place when this was
        # its only file, so ratings and albums survive an edit.
        if (known is not None and known.photo_id is not None and known.status != "missing"
                and await store.photo_file_count(conn, known.photo_id) == 1):
            await store.update_photo_content(conn, known.photo_id, record.photo)
            return Outcome.CHANGED, known.photo_id
        photo_id, created = await store.insert_photo(conn, record.photo)
        if not created:
            raise _ContentRaced(photo_id)
        return Outcome.NEW, photo_id

    async def _add_copy(self, library_id: UUID, digest: FileDigest,
                        photo_id: UUID) -> tuple[str, str | None]:
        """Known content at a new path: a copy, or a move when an old path has vanished."""
        async with self._db.transaction() as conn:
            # Another server process may be recording this very file: take turns, then
            # look at what is recorded now.
            await store.lock_path(conn, library_id, digest.path)
            known = await store.file_by_path(conn, library_id, digest.path)
            outcome = Outcome.COPY
            siblings = await store.files_of_photo(conn, photo_id)
            mime_type = next((f.mime_type for f in siblings if f.mime_type), None)
            if known is not None and known.photo_id == photo_id:
                outcome = Outcome.UNCHANGED  # touched (mtime), or stored by a racing importer
            else:
                for other in siblings:
                    if other.path != digest.path and not await asyncio.to_thread(
                            os.path.exists, other.path):
                        await store.delete_file(conn, other.id)
                        outcome = Outcome.MOVED
            await store.upsert_file(
                conn, library_id=library_id, path=digest.path, photo_id=photo_id,
                content_hash=bytes.fromhex(digest.content_hash), size=digest.size,
                mtime_ns=digest.mtime_ns, mime_type=mime_type, status="ok", error=None)
            messages: list[EventMessage] = []
            if outcome != Outcome.UNCHANGED:
                messages.append(await self._events.record(
                    conn, EventKind.PHOTO_UPDATED, library_id, photo_id,
                    {"path": digest.path, "change": outcome}))
        await self._events.publish(*messages)
        return outcome, None

    async def _record_failure(self, library_id: UUID, stat: _Stat, content_hash: bytes | None,
                              reason: str, mime_type: str | None = None) -> None:
        async with self._db.transaction() as conn:
            await store.lock_path(conn, library_id, stat.path)
            known = await store.file_by_path(conn, library_id, stat.path)
            if (known is not None and known.status == "error" and known.size == stat.size
                    and known.mtime_ns == stat.mtime_ns):
                return  # another server process recorded this failure already
            await store.upsert_file(
                conn, library_id=library_id, path=stat.path, photo_id=None,
                content_hash=content_hash, size=stat.size, mtime_ns=stat.mtime_ns,
                mime_type=mime_type, status="error", error=reason)
            message = await self._events.record(conn, EventKind.FILE_FAILED, library_id, None,
                                                {"path": stat.path, "error": reason})
        await self._events.publish(message)

