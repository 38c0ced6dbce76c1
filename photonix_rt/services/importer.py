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
from pathlib import Path, PurePath
from uuid import UUID

from photonix_rt.config import Config
from photonix_rt.events.types import EventKind, EventMessage
from photonix_rt.pool_client import PoolClient, WorkerCrashed
from photonix_rt.services.events import EventService
from photonix_rt.services.jobs import JobQueue, Priority
from photonix_rt.services.photo_record import PhotoRecord, photo_from_ingest
from photonix_rt.store import libraries as libraries_store
from photonix_rt.store import photos as store
from photonix_rt.store import trash as trash_store
from photonix_rt.store.db import Database, Queryable
from workers.protocol import FileDigest, IngestResult, run_task
from workers.safe_files import is_inside, real_roots

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
    IGNORED = "ignored"      # a file of a photo forgotten from the trash: not imported again


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


def _escapes(path: str, resolved_roots: list[str]) -> bool:
    """Blocking: whether ``path`` (or a folder on its way) is a link leading out of every root.

    Such files are skipped: a library folder must not expose files from elsewhere on the
    server (a link to another user's photos, or to /etc) through the originals route. Links
    that stay inside the roots are followed. The workers check again when they open the file.
    """
    return not is_inside(os.path.realpath(path), resolved_roots)


def list_photo_files(root: str, resolved_roots: list[str] | None = None) -> list[_Stat]:
    """Blocking: every supported file below ``root`` (hidden folders skipped), with stats.

    Folder links are not walked into; file links leading out of ``resolved_roots`` (default:
    ``root``) are left out.
    """
    roots = resolved_roots if resolved_roots is not None else real_roots([root])
    found: list[_Stat] = []
    if os.path.isfile(root):
        if _escapes(root, roots):
            return []
        st = os.stat(root)
        return [_Stat(root, st.st_size, st.st_mtime_ns)] if _is_candidate(
            os.path.basename(root)) else []
    for folder, dirs, files in os.walk(root, onerror=lambda e: log.warning("cannot list %s", e)):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not _is_candidate(name):
                continue
            path = os.path.join(folder, name)
            if os.path.islink(path) and _escapes(path, roots):
                log.warning("skipping %s: a link to a file outside the library folder", path)
                continue
            try:
                st = os.stat(path)
            except OSError:
                continue
            found.append(_Stat(path, st.st_size, st.st_mtime_ns))
    return found


def _has_entries(folder: str) -> bool | None:
    """Blocking: False if ``folder`` is not a readable folder, None if it is empty."""
    try:
        with os.scandir(folder) as entries:
            return True if next(entries, None) is not None else None
    except OSError:
        return False


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

    async def _roots(self, library_id: UUID, fallback: list[str]) -> list[str]:
        """The library's folders with links resolved; ``fallback`` when it has none (a
        direct import of one folder by the CLI or a test)."""
        paths = [lp.path for lp in
                 (await libraries_store.paths_of_libraries(self._db, [library_id]))[0]]
        return await asyncio.to_thread(real_roots, paths or fallback)

    async def import_directory(
        self, library_id: UUID, root: Path,
        progress: Callable[[ImportProgress], None] | None = None,
    ) -> ImportSummary:
        """Import everything below ``root``; files known there but gone are marked missing.

        A folder that now resolves out of the library's folders (swapped for a link to
        elsewhere) is not read: what the library knew there is marked missing.
        """
        roots = await self._roots(library_id, [str(root)])
        root_str = str(await asyncio.to_thread(root.resolve))
        if is_inside(root_str, roots):
            on_disk = await asyncio.to_thread(list_photo_files, root_str, roots)
        else:
            log.warning("not importing %s: it leads out of the library's folders", root)
            root_str, on_disk = str(PurePath(root)), []
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
                                                     roots, Priority.NORMAL)
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
        paths = list(paths)
        roots = await self._roots(library_id, sorted({os.path.dirname(p) for p in paths}))

        async def one(path: str) -> None:
            if await asyncio.to_thread(_escapes, path, roots):
                # Replaced by (or now reached through) a link out of the library: what was
                # there is gone, and the link is not read.
                log.warning("skipping %s: it leads out of the library's folders", path)
                gone.append(path)
                return
            stat = await asyncio.to_thread(_stat_or_none, path)
            if stat is None:
                gone.append(path)
                return
            known = await store.file_by_path(self._db, library_id, path)
            outcome, error = await self._import_stat(library_id, stat, known, roots,
                                                     Priority.HIGH)
            summary.add(path, outcome, error)

        await asyncio.gather(*(one(p) for p in paths if _is_candidate(os.path.basename(p))))
        if gone:
            summary.missing = await self.mark_missing(library_id, gone)
        return summary

    async def set_folder_online(self, library_id: UUID, folder: str, online: bool) -> bool:
        """Record that a library folder vanished (a disk unplugged) or came back, and tell
        the library's members; True if that changed its state. Its photos are untouched."""
        async with self._db.transaction() as conn:
            changed = await libraries_store.set_path_offline(conn, library_id, folder,
                                                             not online)
            if changed is None:
                return False
            kind = EventKind.LIBRARY_PATH_ONLINE if online else EventKind.LIBRARY_PATH_OFFLINE
            message = await self._events.record(conn, kind, library_id, None,
                                                {"path": folder, "pathId": str(changed.id)})
        if online:
            log.info("library folder %s is back", folder)
        else:
            log.warning("library folder %s cannot be reached; its photos are kept and it is "
                        "picked up again when it comes back", folder)
        await self._events.publish(message)
        return True

    async def check_folder(self, library_id: UUID, folder: str) -> bool:
        """Whether a library folder can be reached, recorded (online/offline) with an event
        when that changed. An empty folder where the library knows files counts as
        unreachable: an unmounted disk often leaves its empty mount point behind."""
        reachable = await asyncio.to_thread(_has_entries, folder)
        if reachable is None:  # there and empty: offline only if files were known there
            known = await store.files_under(self._db, library_id, folder)
            reachable = not any(f.status != "missing" for f in known.values())
        await self.set_folder_online(library_id, folder, reachable)
        return reachable

    async def scan_library(self, library_id: UUID) -> ImportSummary:
        """Reconcile every folder of one library with the disk; a folder that cannot be
        reached is marked offline (its photos kept), one that came back online."""
        summary = ImportSummary()
        for lp in (await libraries_store.paths_of_libraries(self._db, [library_id]))[0]:
            if not await self.check_folder(library_id, lp.path):
                continue  # offline: its photos are kept, nothing is marked missing
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
                           roots: list[str], priority: Priority = Priority.NORMAL,
                           ) -> tuple[str, str | None]:
        if (known is not None and known.status != "missing" and known.size == stat.size
                and known.mtime_ns == stat.mtime_ns):
            return Outcome.UNCHANGED, None
        key = (library_id, stat.path)
        lock, users = self._path_locks.get(key, (asyncio.Lock(), 0))
        self._path_locks[key] = (lock, users + 1)
        try:
            async with lock, self._parallel:
                try:
                    return await self._import_file(library_id, stat, roots, priority)
                except WorkerCrashed as error:
                    # A dead worker fails every job in its pool, and it may have been killed
                    # from outside: try once more; a file that kills a worker twice is failed.
                    log.warning("worker crashed on %s (%s); trying it once more", stat.path,
                                error)
                    return await self._import_file(library_id, stat, roots, priority)
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

    async def _import_file(self, library_id: UUID, stat: _Stat, roots: list[str],
                           priority: Priority = Priority.NORMAL) -> tuple[str, str | None]:
        # The workers open the file only if it still lies inside ``roots`` when they read it.
        try:
            digest: FileDigest = await self._pool.run(run_task, "digest", stat.path, roots)
        except OSError as error:
            if not await asyncio.to_thread(os.path.exists, stat.path):
                return Outcome.VANISHED, None
            reason = f"cannot read file: {error.strerror or error}"
            await self._record_failure(library_id, stat, None, reason)
            return Outcome.FAILED, reason
        content_hash = bytes.fromhex(digest.content_hash)
        if await trash_store.is_ignored(self._db, library_id, content_hash=content_hash,
                                        path=digest.path, size=digest.size):
            return Outcome.IGNORED, None
        existing_photo = await store.photo_id_by_hash(self._db, library_id, content_hash)
        if existing_photo is not None:
            return await self._add_copy(library_id, digest, existing_photo)

        grid_first = priority == Priority.HIGH  # someone is watching for this photo
        result: IngestResult = await self._pool.run(
            run_task, "ingest", digest.path, digest.content_hash,
            str(self._config.thumbnails_dir), roots, grid_first)
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

