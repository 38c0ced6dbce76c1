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
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from uuid import UUID

from photonix_rt.config import Config
from photonix_rt.events.types import EventKind, EventMessage
from photonix_rt.pool_client import PoolClient, WorkerCrashed
from photonix_rt.services.events import EventService
from photonix_rt.services.jobs import JobQueue, Priority
from photonix_rt.services.library_roots import library_roots
from photonix_rt.services.pairing import (
    MAX_MOTION_MS,
    SERIAL_KEY,
    SUBSEC_KEY,
    Shot,
    is_motion_clip,
    is_still,
    raw_siblings,
    same_shot,
    shot_of,
    sibling_role,
    still_companion,
)
from photonix_rt.services.photo_media import thumbnail_path
from photonix_rt.services.photo_record import PhotoRecord, photo_from_ingest
from photonix_rt.services.rescan import DEFAULT_BATCH, Kind, changes, count_candidates
from photonix_rt.services.rescan import FileStat as _Stat
from photonix_rt.store import file_ranges
from photonix_rt.store import libraries as libraries_store
from photonix_rt.store import media as media_store
from photonix_rt.store import photos as store
from photonix_rt.store import trash as trash_store
from photonix_rt.store.db import Database, Queryable
from workers.protocol import (
    RAW_MIME_TYPES,
    VIDEO_MIME_TYPES,
    FileDigest,
    IngestResult,
    media_kind,
    run_task,
)
from workers.safe_files import is_inside

__all__ = ["SUPPORTED_SUFFIXES", "ImportProgress", "ImportSummary", "Importer", "Outcome"]

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".tif", ".tiff", ".heic", ".heif", ".hif",
     *RAW_MIME_TYPES, *VIDEO_MIME_TYPES})


class _SameShot(Exception):
    """Inside the photo transaction: this RAW is another file of a still's photo (same
    folder, capture time and camera); roll back and add it to that photo."""

    def __init__(self, photo_id: UUID) -> None:
        super().__init__(str(photo_id))
        self.photo_id = photo_id


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
    """``phase`` is "counting" (the total is not known yet) then "importing"."""

    done: int
    total: int
    path: str
    outcome: str
    phase: str = "importing"


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
        return await library_roots(self._db, library_id, fallback)

    async def import_directory(
        self, library_id: UUID, root: Path,
        progress: Callable[[ImportProgress], None] | None = None,
        batch_size: int = DEFAULT_BATCH,
    ) -> ImportSummary:
        """Import everything below ``root``; files known there but gone are marked missing.

        One ordered pass over the folder and the library (services/rescan.py): unchanged
        files cost a comparison, new and changed ones go through a bounded queue to a fixed
        number of import tasks, vanished ones are marked missing ``batch_size`` at a time.
        A folder that now resolves out of the library's folders (swapped for a link to
        elsewhere) is not read: what the library knew there is marked missing.
        """
        roots = await self._roots(library_id, [str(root)])
        root_str = str(await asyncio.to_thread(root.resolve))
        read_disk = is_inside(root_str, roots)
        if not read_disk:
            log.warning("not importing %s: it leads out of the library's folders", root)
            root_str = str(PurePath(root))
        summary = ImportSummary()
        total = 0
        if progress is not None and read_disk:
            progress(ImportProgress(0, 0, root_str, "", phase="counting"))
            total = await asyncio.to_thread(count_candidates, root_str, _is_candidate)
        done = 0

        # Stills that a RAW or clip of this scan pulled in before their own turn came.
        pulled: dict[str, str] = {}

        def report(path: str, outcome: str) -> None:
            nonlocal done, total
            done += 1
            total = max(total, done)  # files may arrive after the count
            if progress is not None:
                progress(ImportProgress(done, total, path, outcome))

        queue: asyncio.Queue[_Stat | None] = asyncio.Queue(maxsize=batch_size)

        async def importer() -> None:
            while (stat := await queue.get()) is not None:
                # Known to be new or changed: no "unchanged" check left to make.
                outcome, error = await self._import_stat(library_id, stat, None, roots,
                                                         Priority.NORMAL, pulled)
                if outcome == Outcome.UNCHANGED:  # unless a RAW of it just pulled it in
                    outcome = pulled.pop(stat.path, outcome)
                summary.add(stat.path, outcome, error)
                report(stat.path, outcome)

        async def walk() -> None:
            gone: list[str] = []
            seen = 0
            async for change in changes(self._db, library_id, root_str, roots, _is_candidate,
                                        read_disk=read_disk, batch_size=batch_size):
                seen += 1
                if seen % 200 == 0:  # a batch is in memory: give the event loop a turn
                    await asyncio.sleep(0)
                if change.kind == Kind.UNCHANGED:
                    outcome = pulled.pop(change.path, Outcome.UNCHANGED)
                    summary.add(change.path, outcome)
                    report(change.path, outcome)
                elif change.kind == Kind.VANISHED:
                    gone.append(change.path)
                    if len(gone) >= batch_size:
                        summary.missing.extend(await self.mark_missing(library_id, gone))
                        gone = []
                elif change.kind == Kind.SKIPPED:
                    summary.add(change.path, Outcome.FAILED, change.reason)
                    report(change.path, Outcome.FAILED)
                else:
                    assert change.stat is not None
                    await queue.put(change.stat)
            for _ in range(tasks):
                await queue.put(None)
            if gone:
                summary.missing.extend(await self.mark_missing(library_id, gone))

        # As many import tasks as the pool can keep busy, not one per file.
        tasks = max(2, self._pool.size * 2)
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(walk())
                for _ in range(tasks):
                    group.create_task(importer())
        except BaseExceptionGroup as failed:  # the first failure, as a plain gather raised it
            raise failed.exceptions[0] from None
        return summary

    async def import_paths(self, library_id: UUID, paths: Iterable[str]) -> ImportSummary:
        """Import the given files (the watcher's entry point); missing ones are marked so."""
        summary = ImportSummary()
        gone: list[str] = []
        paths = list(paths)
        roots = await self._roots(library_id, sorted({os.path.dirname(p) for p in paths}))
        pulled: dict[str, str] = {}

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
                                                     Priority.HIGH, pulled)
            if outcome == Outcome.UNCHANGED:  # unless a RAW of it just pulled it in
                outcome = pulled.pop(path, outcome)
            summary.add(path, outcome, error)

        await asyncio.gather(*(one(p) for p in paths if _is_candidate(os.path.basename(p))))
        for path, outcome in pulled.items():  # stills pulled in by a RAW or clip of the batch
            summary.add(path, outcome, None)
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
            reachable = not await file_ranges.any_file_below(self._db, library_id, folder)
        await self.set_folder_online(library_id, folder, reachable)
        return reachable

    async def scan_library(
        self, library_id: UUID, progress: Callable[[ImportProgress], None] | None = None,
    ) -> ImportSummary:
        """Reconcile every folder of one library with the disk; a folder that cannot be
        reached is marked offline (its photos kept), one that came back online."""
        summary = ImportSummary()
        for lp in (await libraries_store.paths_of_libraries(self._db, [library_id]))[0]:
            if not await self.check_folder(library_id, lp.path):
                continue  # offline: its photos are kept, nothing is marked missing
            part = await self.import_directory(library_id, Path(lp.path), progress)
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
        for photo_id in dict.fromkeys(f.photo_id for f in changed if f.photo_id is not None):
            await self._face_with_companion(library_id, photo_id)
        return [f.path for f in changed]

    async def _face_with_companion(self, library_id: UUID, photo_id: UUID) -> None:
        """A photo whose still is gone but whose RAW or motion clip is still there keeps
        that file as its own (re-read from it: thumbnails, metadata, a clip becomes a
        video; ratings and albums kept) rather than showing a still that no longer exists.
        The still's record goes: if it comes back it re-faces the photo again."""
        left = await media_store.lone_companion(self._db, photo_id)
        if left is None:
            return
        roots = await self._roots(library_id, [os.path.dirname(left)])
        try:
            digest: FileDigest = await self._pool.run(run_task, "digest", left, roots)
            result: IngestResult = await self._pool.run(
                run_task, "ingest", left, digest.content_hash,
                str(self._config.thumbnails_dir), roots, False)
        except (OSError, WorkerCrashed) as error:  # gone too (a disk going away): keep all
            log.info("%s stays as it was: %s", left, error)
            return
        if result.error is not None:
            log.warning("%s stays as it was: %s", left, result.error)
            return
        content_hash = bytes.fromhex(digest.content_hash)
        record = photo_from_ingest(library_id, content_hash, result, digest.mtime_ns)
        async with self._db.transaction() as conn:
            await store.lock_path(conn, library_id, left)
            if (await media_store.lone_companion(conn, photo_id) != left
                    or await store.photo_id_by_hash(conn, library_id, content_hash)):
                return  # changed meanwhile, or this content is a photo already
            old_key = await media_store.thumbnail_key_of(conn, photo_id)
            await media_store.delete_missing_files(conn, photo_id)
            if record.camera is not None:
                record.photo.camera_id = await store.upsert_camera(conn, *record.camera)
            if record.lens is not None:
                record.photo.lens_id = await store.upsert_lens(conn, record.lens)
            await store.update_photo_content(conn, photo_id, record.photo)
            file_id = await store.upsert_file(
                conn, library_id=library_id, path=left, photo_id=photo_id,
                content_hash=content_hash, size=digest.size, mtime_ns=digest.mtime_ns,
                mime_type=result.mime_type, status="ok", error=None)
            await media_store.set_file_role(conn, file_id, "original")
            await media_store.set_media(conn, photo_id, result.media_type, result.duration_ms)
            if self._jobs is not None:
                await self._jobs.enqueue_photo(conn, library_id, photo_id, Priority.NORMAL)
            # Like a re-read file (no "change"): clients refresh the tile's new thumbnail.
            message = await self._events.record(conn, EventKind.PHOTO_UPDATED, library_id,
                                                photo_id, {"path": left})
        await self._events.publish(message)
        if old_key is not None and old_key != result.thumbnail_key:
            await self._drop_thumbnails(old_key)

    # ---- one file ----------------------------------------------------------------------

    async def _import_stat(self, library_id: UUID, stat: _Stat, known: store.KnownFile | None,
                           roots: list[str], priority: Priority = Priority.NORMAL,
                           pulled: dict[str, str] | None = None) -> tuple[str, str | None]:
        """Import one file. ``pulled`` collects what happened to stills imported here first
        for their RAW or clip (the batch reports them under their own path)."""
        if (known is not None and known.status != "missing" and known.size == stat.size
                and known.mtime_ns == stat.mtime_ns):
            return Outcome.UNCHANGED, None
        # A RAW (or a live photo's MOV) with a JPEG/HEIC beside it joins that photo: the
        # still is imported first, before this file takes a turn in the pool (a file
        # waiting there for it would block it).
        companion = await asyncio.to_thread(still_companion, stat.path, roots)
        if companion is not None:
            await self._import_companion(library_id, companion, roots, priority, pulled)
        key = (library_id, stat.path)
        lock, users = self._path_locks.get(key, (asyncio.Lock(), 0))
        self._path_locks[key] = (lock, users + 1)
        try:
            async with lock, self._parallel:
                try:
                    return await self._import_file(library_id, stat, roots, priority,
                                                   companion)
                except WorkerCrashed as error:
                    # A dead worker fails every job in its pool, and it may have been killed
                    # from outside: try once more; a file that kills a worker twice is failed.
                    log.warning("worker crashed on %s (%s); trying it once more", stat.path,
                                error)
                    return await self._import_file(library_id, stat, roots, priority,
                                                   companion)
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
                           priority: Priority = Priority.NORMAL, companion: str | None = None,
                           ) -> tuple[str, str | None]:
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
        if companion is not None and media_kind(digest.path) == "raw":
            paired = await media_store.photo_of_path(self._db, library_id, companion)
            if paired is not None:
                suffix = os.path.splitext(digest.path)[1].lower()
                return await self._add_paired(library_id, digest, paired, "raw",
                                              RAW_MIME_TYPES.get(suffix))
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
        if companion is not None and result.media_type == "video":
            paired = await media_store.photo_of_path(self._db, library_id, companion)
            if paired is not None and is_motion_clip(
                    result.duration_ms, result.metadata.raw if result.metadata else {},
                    await media_store.photo_metadata(self._db, paired)):
                return await self._add_paired(library_id, digest, paired, "motion",
                                              result.mime_type)
        record = photo_from_ingest(library_id, content_hash, result, digest.mtime_ns)
        raws = await asyncio.to_thread(raw_siblings, digest.path)
        # A RAW with no still of its name (or a still with no RAW of its name) may still
        # have one taken at the same moment by the same camera in its folder.
        shot = None if companion is not None or raws else shot_of(
            digest.path, record.photo.taken_at_local, record.photo.taken_at_source,
            record.camera, result.metadata.raw if result.metadata else {})
        replaced_key: str | None = None
        try:
            async with self._db.transaction() as conn:
                # Another server process may be importing this very file: take turns.
                await store.lock_path(conn, library_id, digest.path)
                known = await store.file_by_path(conn, library_id, digest.path)
                if (known is not None and known.photo_id is not None and known.status == "ok"
                        and known.content_hash == content_hash):
                    raise _ContentRaced(known.photo_id)
                # A JPEG arriving after its RAW or live-photo clip (imported alone) becomes
                # that photo's face.
                lone = None if known is not None else await self._lone_sibling(
                    conn, library_id, raws)
                if known is None and lone is None and shot is not None:
                    match = await self._same_shot(conn, library_id, digest.path, shot)
                    if match is not None and media_kind(digest.path) == "raw":
                        raise _SameShot(match.photo_id)
                    if match is not None:
                        lone = await store.file_by_path(conn, library_id, match.path)
                if lone is not None and lone.photo_id is not None:
                    replaced_key = await media_store.thumbnail_key_of(conn, lone.photo_id)
                outcome, photo_id = await self._store_photo(conn, library_id, record,
                                                            known or lone)
                if lone is not None:
                    await media_store.set_file_role(conn, lone.id, sibling_role(lone.path))
                if result.media_type != "photo" or outcome == Outcome.CHANGED:
                    await media_store.set_media(conn, photo_id, result.media_type,
                                                result.duration_ms)
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
        except _SameShot as same:
            # Its thumbnails were made for nothing: the still's photo keeps its own.
            await self._drop_thumbnails(digest.content_hash)
            suffix = os.path.splitext(digest.path)[1].lower()
            return await self._add_paired(library_id, digest, same.photo_id, "raw",
                                          RAW_MIME_TYPES.get(suffix))
        await self._events.publish(message)
        if replaced_key is not None and replaced_key != result.thumbnail_key:
            await self._drop_thumbnails(replaced_key)  # the RAW's or clip's, now re-faced
        if grid_first and result.thumbnail_key is not None:
            await self._make_preview(digest.path, result.thumbnail_key, roots)
        return outcome, None

    async def _drop_thumbnails(self, key: str) -> None:
        """Remove a thumbnail set no photo shows any more (keys are content hashes, shared
        by the libraries holding one file: kept while any photo still uses it)."""
        if await media_store.thumbnail_key_in_use(self._db, key):
            return
        folder = thumbnail_path(self._config.thumbnails_dir, key, "grid").parent
        await asyncio.to_thread(shutil.rmtree, folder, ignore_errors=True)

    async def _same_shot(self, conn: Queryable, library_id: UUID, path: str,
                         shot: Shot) -> media_store.ShotFile | None:
        """For a RAW, the still (without a RAW yet) of the same shot in its folder; for a
        still, the RAW recorded alone as its own photo. None when there is none, or more
        than one (a burst within one second that sub-seconds do not tell apart)."""
        await media_store.lock_shot(conn, library_id, shot.folder, shot.second)
        found = await media_store.shot_files(conn, library_id, shot.folder, shot.second,
                                             shot.make, shot.model, SUBSEC_KEY, SERIAL_KEY)
        if media_kind(path) == "raw":
            fits = [f for f in found if is_still(f.path) and f.role == "original"
                    and not f.has_raw]
        else:
            fits = [f for f in found if media_kind(f.path) == "raw" and f.files == 1]
        fits = [f for f in fits if f.path != path and same_shot(shot, f.subsec, f.serial)]
        if media_kind(path) == "raw":
            # A still whose own RAW (by name) is on disk but not imported yet is that RAW's.
            fits = [f for f in fits if not await asyncio.to_thread(raw_siblings, f.path)]
        return fits[0] if len({f.photo_id for f in fits}) == 1 else None

    async def _make_preview(self, path: str, key: str, roots: list[str]) -> None:
        """The preview thumbnail, after the photo was announced; a failure is only logged
        (the grid thumbnail stands in, and the runner retries before classifying)."""
        try:
            error = await self._pool.run(run_task, "preview", path, key,
                                         str(self._config.thumbnails_dir), roots)
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

    async def _lone_sibling(self, conn: Queryable, library_id: UUID,
                            siblings: list[str]) -> store.KnownFile | None:
        """A RAW or live-photo clip of ``siblings`` recorded as the only file of its own
        photo (a clip: if short enough), if any."""
        for path in siblings:
            found = await store.file_by_path(conn, library_id, path)
            if (found is None or found.photo_id is None or found.status != "ok"
                    or await store.photo_file_count(conn, found.photo_id) != 1):
                continue
            if sibling_role(path) == "motion":
                duration = await media_store.duration_of(conn, found.photo_id)
                if duration is None or duration > MAX_MOTION_MS:
                    continue
            return found
        return None

    async def _import_companion(self, library_id: UUID, path: str, roots: list[str],
                                priority: Priority, pulled: dict[str, str] | None) -> None:
        """Import the JPEG of a RAW+JPEG pair (a no-op when it is recorded as it is); a new
        or changed one is noted in ``pulled``: its own turn will find it unchanged."""
        stat = await asyncio.to_thread(_stat_or_none, path)
        if stat is not None:
            known = await store.file_by_path(self._db, library_id, path)
            outcome, _ = await self._import_stat(library_id, stat, known, roots, priority)
            if pulled is not None and outcome in (Outcome.NEW, Outcome.CHANGED):
                pulled[path] = outcome

    async def _add_paired(self, library_id: UUID, digest: FileDigest, photo_id: UUID,
                          role: str, mime_type: str | None) -> tuple[str, str | None]:
        """The RAW of a RAW+JPEG pair, or a live photo's clip, becomes another file (role
        'raw' or 'motion') of the still's photo."""
        async with self._db.transaction() as conn:
            await store.lock_path(conn, library_id, digest.path)
            known = await store.file_by_path(conn, library_id, digest.path)
            file_id = await store.upsert_file(
                conn, library_id=library_id, path=digest.path, photo_id=photo_id,
                content_hash=bytes.fromhex(digest.content_hash), size=digest.size,
                mtime_ns=digest.mtime_ns, mime_type=mime_type, status="ok", error=None)
            await media_store.set_file_role(conn, file_id, role)
            if known is not None and known.photo_id == photo_id:
                return Outcome.UNCHANGED, None  # touched, or recorded by a racing importer
            message = await self._events.record(conn, EventKind.PHOTO_UPDATED, library_id,
                                                photo_id, {"path": digest.path, "change": role})
        await self._events.publish(message)
        return Outcome.COPY, None

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

