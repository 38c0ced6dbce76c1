"""Watch every library folder with inotify and hand complete files to the importer.

Usage::

    watcher = Watcher(services.importer, load_paths, rescan_interval_s=config.rescan_interval_s)
    await watcher.start()          # watches, then a reconcile scan of every library
    ...
    await watcher.reload()         # after a library folder was added or removed
    await watcher.close()

``load_paths`` returns ``(library_id, folder)`` pairs to watch. A file is imported only when
it is complete: on close-after-write or when moved in, never on create. Events are debounced
into batches. Folders created or moved in are walked and watched; renamed folders keep
correct paths; deleted or moved-out files are marked missing. What inotify cannot see
(network mounts, changes while the server was down, a full watch table) is caught by the
start-up scan and the periodic rescan.

Links: sub-folders are watched with ``DONT_FOLLOW`` and folder links are never walked into,
so a folder swapped for a link to elsewhere is not watched (the importer refuses its files
anyway). A batch that fails (the database is down) is kept and retried with back-off until
it succeeds. A library folder that vanishes (a disk unplugged) is marked offline, its photos
kept; it is polled every ``offline_poll_s`` and, once back, watched and reconciled at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import time
import weakref
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path, PurePath
from typing import Any, Protocol
from uuid import UUID

from asyncinotify import Inotify, Mask

from photonix_rt.waiting import wait_until_set
from photonix_rt.watcher.filters import is_ignored
from photonix_rt.watcher.tree import WatchTree

__all__ = ["ImporterLike", "Watcher"]

log = logging.getLogger(__name__)

MASK = (Mask.CLOSE_WRITE | Mask.MOVED_TO | Mask.MOVED_FROM | Mask.CREATE | Mask.DELETE
        | Mask.DELETE_SELF | Mask.MOVE_SELF | Mask.ONLYDIR | Mask.EXCL_UNLINK)
# Below a library folder, a link swapped in for a folder is not followed (ENOTDIR instead).
MASK_BELOW = MASK | Mask.DONT_FOLLOW

PathsLoader = Callable[[], Awaitable[Iterable[tuple[UUID, str]]]]


class ImporterLike(Protocol):
    """What the watcher needs of ``services.importer``."""

    async def import_paths(self, library_id: UUID, paths: Iterable[str]) -> Any: ...
    async def mark_missing(self, library_id: UUID, paths: list[str]) -> Any: ...
    async def import_directory(self, library_id: UUID, root: Path) -> Any: ...
    async def scan_library(self, library_id: UUID) -> Any: ...
    async def check_folder(self, library_id: UUID, folder: str) -> bool: ...


def _list_dir(folder: str) -> tuple[list[str], list[str]]:
    """Blocking: the visible sub-folders and files of one folder."""
    dirs, files = [], []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if is_ignored(entry.name):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    dirs.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    files.append(entry.path)
    except OSError as error:
        log.debug("cannot list %s: %s", folder, error)
    return dirs, files


def _mtime_or_none(path: str) -> float | None:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None


class Watcher:
    """inotify over every library folder; batches go to the importer, never the store."""

    def __init__(self, importer: ImporterLike, load_paths: PathsLoader, *,
                 rescan_interval_s: float = 900.0, debounce_s: float = 0.1,
                 max_delay_s: float = 0.5, settle_s: float = 2.0,
                 move_pair_s: float = 0.5, offline_poll_s: float = 2.0,
                 retry_min_s: float = 0.5, retry_max_s: float = 10.0) -> None:
        self._importer = importer
        self._load_paths = load_paths
        self._rescan_interval_s = rescan_interval_s
        self._debounce_s = debounce_s
        self._max_delay_s = max_delay_s
        self._settle_s = settle_s
        self._move_pair_s = move_pair_s
        self._offline_poll_s = offline_poll_s
        self._retry_min_s = retry_min_s
        self._retry_max_s = retry_max_s
        self._retry_s = 0.0       # the current back-off after failed batches; 0: none failing
        self._retry_at = 0.0      # no batch is sent before this (monotonic)
        self._offline: dict[str, UUID] = {}  # library folders that cannot be reached now
        self._inotify: Inotify | None = None
        self._tree = WatchTree()
        self._roots: dict[str, UUID] = {}
        # The next batch: files to import, folders to reconcile, files gone.
        self._imports: dict[UUID, set[str]] = {}
        self._reconcile: dict[tuple[UUID, str], None] = {}  # ordered: new path first
        self._missing: dict[UUID, set[str]] = {}
        self._first_event: float | None = None
        self._last_event = 0.0
        # Files found by walking a new folder: imported once their mtime has settled.
        self._settling: dict[str, tuple[UUID, float]] = {}
        # Folders moved away, waiting briefly for their MOVED_TO (a rename) by cookie.
        self._moved_out: dict[int, tuple[UUID, str, float]] = {}
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._busy = 0
        self.degraded = False  # the watch limit was hit: rescans cover the rest

    # ---- lifecycle ---------------------------------------------------------------------

    async def start(self, initial_scan: bool = True) -> None:
        """Watch every folder, then reconcile the libraries with the disk once."""
        try:
            self._inotify = Inotify()
        except OSError as error:
            self._warn_degraded(error)
        await self.reload()
        if self._inotify is not None:
            self._spawn(self._read_loop())
        self._spawn(self._flush_loop())
        self._spawn(self._rescan_loop(initial_scan))
        self._spawn(self._offline_loop())

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._inotify is not None:
            self._inotify.close()
            self._inotify = None

    async def reload(self) -> None:
        """Re-read the library folders: watch new ones, stop watching removed ones."""
        wanted: dict[str, UUID] = {}
        for library_id, folder in await self._load_paths():
            wanted[str(PurePath(folder))] = library_id
        for root in [r for r in self._roots if r not in wanted]:
            self._unwatch(root)
            del self._roots[root]
            self._offline.pop(root, None)
        for root, library_id in wanted.items():
            if root not in self._roots or not self._tree.has_path(root):
                self._roots[root] = library_id
                await self._attach_root(library_id, root)

    async def rewatch(self) -> None:
        """Re-read the folders and walk every reachable one again, adding any watch that was
        lost (an explicit rescan calls this: it always re-establishes the watches)."""
        await self.reload()
        for root, library_id in list(self._roots.items()):
            if root not in self._offline:
                await self._watch_tree(library_id, root, files=None)

    # ---- folders that vanish ------------------------------------------------------------

    async def _attach_root(self, library_id: UUID, root: str) -> bool:
        """Watch a library folder if it can be reached, else mark it offline. A folder that
        was offline is reconciled at once when it comes back."""
        try:
            reachable = await self._importer.check_folder(library_id, root)
        except Exception:  # the database is down: trust the disk, record it later
            log.warning("could not record the state of %s", root, exc_info=True)
            reachable = await asyncio.to_thread(os.path.isdir, root)
        if not reachable:
            self._unwatch(root)
            if root not in self._offline:
                self._offline[root] = library_id
            return False
        await self._watch_tree(library_id, root, files=None)
        if self._offline.pop(root, None) is not None:
            self._reconcile[(library_id, root)] = None
            self._touch()
        return True

    async def _check_root(self, library_id: UUID, root: str) -> None:
        """A library folder's own watch went away (deleted, moved, unmounted)."""
        if self._roots.get(root) != library_id or root in self._offline:
            return  # no longer a library folder, or already known to be gone
        await self._attach_root(library_id, root)

    async def _offline_loop(self) -> None:
        while True:
            await asyncio.sleep(self._offline_poll_s)
            for root, library_id in list(self._offline.items()):
                if self._roots.get(root) != library_id:
                    self._offline.pop(root, None)
                    continue
                try:
                    if await asyncio.to_thread(os.path.isdir, root):
                        await self._attach_root(library_id, root)
                except Exception:  # a task boundary: the next poll tries again
                    log.exception("checking library folder %s failed", root)

    def _root_of(self, path: str) -> str | None:
        found = [r for r in self._roots if path.startswith(r.rstrip("/") + "/")]
        return max(found, key=len) if found else None

    async def _still_reachable(self, library_id: UUID, paths: set[str]) -> set[str]:
        """Of files gone from disk, those whose library folder is still there: when the
        folder itself vanished, its photos are kept and the folder is marked offline."""
        kept: set[str] = set()
        verdicts: dict[str, bool] = {}
        for path in paths:
            root = self._root_of(path)
            if root is None:
                kept.add(path)
                continue
            if root not in verdicts:
                verdicts[root] = root not in self._offline and await asyncio.to_thread(
                    os.path.isdir, root)
                if not verdicts[root]:
                    await self._attach_root(library_id, root)
            if verdicts[root]:
                kept.add(path)
        return kept

    async def rescan(self) -> None:
        """Reconcile every library with the disk now."""
        for library_id in sorted(set(self._roots.values())):
            try:
                await self._importer.scan_library(library_id)
            except Exception:
                log.exception("rescan of library %s failed", library_id)

    async def settled(self, poll_s: float = 0.05) -> None:
        """Wait until nothing is queued, settling or being imported (tests, benchmarks)."""
        # Polled: the state is spread over several fields and only tests wait on it.
        while True:
            if not self._pending_work():
                return
            await asyncio.sleep(poll_s)

    def _pending_work(self) -> bool:
        return bool(self._imports or self._missing or self._reconcile or self._settling
                    or self._moved_out or self._busy)

    @property
    def watch_count(self) -> int:
        return len(self._tree)

    def _spawn(self, coroutine: Any) -> asyncio.Task[Any]:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _spawn_work(self, coroutine: Any) -> None:
        """A task that ``settled()`` waits for."""
        self._busy += 1
        task = self._spawn(coroutine)

        def done(_task: asyncio.Task[Any]) -> None:
            self._busy -= 1
        task.add_done_callback(done)

    # ---- watches -----------------------------------------------------------------------

    def _warn_degraded(self, error: OSError) -> None:
        if not self.degraded:
            self.degraded = True
            log.warning(
                "inotify limit reached (%s): folders beyond it are not watched live; the "
                "rescan every %.0fs picks up their changes. Raise fs.inotify.max_user_watches "
                "(or max_user_instances) to watch everything.", error, self._rescan_interval_s)

    def _add_watch(self, library_id: UUID, folder: str) -> bool:
        if self._inotify is None:
            return False
        try:
            # A library folder may itself be a link (the admin chose it); nothing below it.
            watch = self._inotify.add_watch(folder, MASK if folder in self._roots else MASK_BELOW)
        except OSError as error:
            if error.errno == errno.ENOSPC:
                self._warn_degraded(error)
            elif error.errno not in (errno.ENOENT, errno.ENOTDIR):
                log.warning("cannot watch %s: %s", folder, error)
            return False
        self._tree.add(watch, library_id, folder)
        return True

    async def _watch_tree(self, library_id: UUID, root: str, files: str | None) -> None:
        """Watch ``root`` and every folder below it, each before listing it (so nothing
        created meanwhile slips between). ``files``: None ignores the files found,
        "now" imports them, "settle" imports them once they stop changing."""
        pending = [root]
        while pending:
            folder = pending.pop()
            if not self._add_watch(library_id, folder) and self._inotify is not None \
                    and not self.degraded:
                continue  # vanished or unreadable
            dirs, found = await asyncio.to_thread(_list_dir, folder)
            pending.extend(dirs)
            if files == "now":
                self._queue(self._imports, library_id, found)
            elif files == "settle":
                now = time.monotonic()
                for path in found:
                    self._settling.setdefault(path, (library_id, now))
                self._wake.set()

    def _unwatch(self, folder: str) -> None:
        for entry in self._tree.below(folder):
            self._tree.forget(entry.watch.wd)
            if self._inotify is not None:
                with contextlib.suppress(OSError):  # already gone with its folder
                    self._inotify.rm_watch(entry.watch)

    # ---- events ------------------------------------------------------------------------

    async def _read_loop(self) -> None:
        assert self._inotify is not None
        async for event in self._inotify:
            try:
                self._on_event(event)
            except Exception:
                log.exception("watcher failed on %s", event)

    def _on_event(self, event: Any) -> None:
        mask = event.mask
        if Mask.Q_OVERFLOW in mask:
            log.warning("inotify queue overflowed; rescanning every library")
            self._spawn(self.rescan())
            return
        watch = event.watch
        if isinstance(watch, weakref.ref):
            watch = watch()
        entry = self._tree.get(watch.wd) if watch is not None else None
        if entry is None:
            return
        if Mask.IGNORED in mask or Mask.DELETE_SELF in mask or Mask.MOVE_SELF in mask \
                or Mask.UNMOUNT in mask:
            if Mask.IGNORED in mask:
                self._tree.forget(watch.wd)
            if entry.path in self._roots:
                # Gone, moved or unmounted: offline (photos kept) unless it is still there.
                self._spawn(self._check_root(entry.library_id, entry.path))
            return
        if event.name is None:
            return
        name = str(event.name)
        path = os.path.join(entry.path, name)
        library_id = entry.library_id
        if Mask.ISDIR in mask:
            self._on_folder_event(mask, event.cookie, library_id, path, name)
            return
        if is_ignored(name):
            return
        if Mask.CLOSE_WRITE in mask or Mask.MOVED_TO in mask:
            self._settling.pop(path, None)
            self._discard(self._missing, library_id, path)
            self._queue(self._imports, library_id, [path])
        elif Mask.DELETE in mask or Mask.MOVED_FROM in mask:
            self._settling.pop(path, None)
            self._discard(self._imports, library_id, path)
            self._queue(self._missing, library_id, [path])

    def _on_folder_event(self, mask: Mask, cookie: int, library_id: UUID, path: str,
                         name: str) -> None:
        if is_ignored(name):
            return
        if Mask.CREATE in mask:
            self._spawn_work(self._watch_tree(library_id, path, files="settle"))
        elif Mask.MOVED_FROM in mask:
            self._moved_out[cookie] = (library_id, path, time.monotonic() + self._move_pair_s)
            self._wake.set()
        elif Mask.MOVED_TO in mask:
            source = self._moved_out.pop(cookie, None)
            if source is not None and source[0] == library_id:
                old = source[1]
                self._tree.rename(old, path)
                # Files keep their photos; the importer moves the file rows to new paths.
                self._reconcile[(library_id, path)] = None
                self._reconcile[(library_id, old)] = None
                self._touch()
            else:
                if source is not None:  # moved between libraries
                    self._unwatch(source[1])
                    self._reconcile[(source[0], source[1])] = None
                self._spawn_work(self._watch_tree(library_id, path, files="now"))

    def _queue(self, target: dict[UUID, set[str]], library_id: UUID,
               paths: Iterable[str]) -> None:
        group = target.setdefault(library_id, set())
        before = len(group)
        group.update(p for p in paths if not is_ignored(os.path.basename(p)))
        if len(group) != before:
            self._touch()
        elif not group:
            del target[library_id]

    @staticmethod
    def _discard(target: dict[UUID, set[str]], library_id: UUID, path: str) -> None:
        group = target.get(library_id)
        if group is not None:
            group.discard(path)
            if not group:
                del target[library_id]

    def _touch(self) -> None:
        now = time.monotonic()
        if self._first_event is None:
            self._first_event = now
        self._last_event = now
        self._wake.set()

    # ---- batching ----------------------------------------------------------------------

    def _batch_due(self) -> float | None:
        """When the queued batch should be sent: debounced, and not before a retry is due."""
        if not (self._imports or self._missing or self._reconcile) or self._first_event is None:
            return None
        return max(min(self._last_event + self._debounce_s,
                       self._first_event + self._max_delay_s), self._retry_at)

    def _next_deadline(self) -> float | None:
        deadlines = []
        batch_due = self._batch_due()
        if batch_due is not None:
            deadlines.append(batch_due)
        if self._settling:
            deadlines.append(min(seen for _lib, seen in self._settling.values())
                             + self._settle_s)
        if self._moved_out:
            deadlines.append(min(d for _l, _p, d in self._moved_out.values()))
        return min(deadlines) if deadlines else None

    async def _flush_loop(self) -> None:
        while True:
            deadline = self._next_deadline()
            if deadline is None:
                self._wake.clear()
                await self._wake.wait()
                continue
            delay = deadline - time.monotonic()
            if delay > 0:
                self._wake.clear()
                await wait_until_set(self._wake, delay)
                continue
            now = time.monotonic()
            for cookie, (library_id, old, due) in list(self._moved_out.items()):
                if due <= now:  # no MOVED_TO came: the folder left the library
                    del self._moved_out[cookie]
                    self._unwatch(old)
                    self._reconcile[(library_id, old)] = None
                    self._touch()
            await self._check_settling(now)
            batch_due = self._batch_due()
            if batch_due is not None and batch_due <= now:
                batch = (self._imports, self._reconcile, self._missing)
                self._imports, self._reconcile, self._missing = {}, {}, {}
                self._first_event = None
                self._spawn_work(self._process(*batch))

    async def _check_settling(self, now: float) -> None:
        due = [(p, lib) for p, (lib, seen) in self._settling.items()
               if seen + self._settle_s <= now]
        for path, library_id in due:
            mtime = await asyncio.to_thread(_mtime_or_none, path)
            if path not in self._settling:
                continue  # a close-write event took it meanwhile
            if mtime is None:
                del self._settling[path]
            elif time.time() - mtime >= self._settle_s:
                del self._settling[path]
                self._queue(self._imports, library_id, [path])
            else:
                self._settling[path] = (library_id, time.monotonic())

    async def _process(self, imports: dict[UUID, set[str]],
                       reconcile: dict[tuple[UUID, str], None],
                       missing: dict[UUID, set[str]]) -> None:
        """One batch: imports first (a move shows up as import + missing), then folders
        to reconcile, then files gone."""
        try:
            for library_id, paths in imports.items():
                await self._importer.import_paths(library_id, sorted(paths))
            for library_id, folder in reconcile:
                await self._importer.import_directory(library_id, Path(folder))
            for library_id, paths in missing.items():
                gone = await self._still_reachable(library_id, paths)
                if gone:
                    await self._importer.mark_missing(library_id, sorted(gone))
        except Exception as error:  # the batch's task boundary: keep it and retry
            first = self._retry_s == 0.0
            self._retry_s = min(max(self._retry_s * 2, self._retry_min_s), self._retry_max_s)
            self._retry_at = time.monotonic() + self._retry_s
            log.warning("importing a batch of watched changes failed (%s); retrying in %.1fs",
                        error, self._retry_s, exc_info=first)
            self._requeue(imports, reconcile, missing)
        else:
            if self._retry_s:
                log.info("watched changes are imported again")
            self._retry_s = self._retry_at = 0.0

    def _requeue(self, imports: dict[UUID, set[str]], reconcile: dict[tuple[UUID, str], None],
                 missing: dict[UUID, set[str]]) -> None:
        """Put a failed batch back; what was seen since (a newer import or deletion of the
        same path) wins. Sets, so memory stays bounded by the number of distinct paths."""
        newer_imports = {lib: set(paths) for lib, paths in self._imports.items()}
        newer_missing = {lib: set(paths) for lib, paths in self._missing.items()}
        for library_id, paths in imports.items():
            self._queue(self._imports, library_id,
                        paths - newer_missing.get(library_id, set()))
        for key in reconcile:
            self._reconcile.setdefault(key, None)
        for library_id, paths in missing.items():
            self._queue(self._missing, library_id,
                        paths - newer_imports.get(library_id, set()))
        self._touch()

    async def _rescan_loop(self, initial_scan: bool) -> None:
        if initial_scan:
            await self.rescan()
        while True:
            await asyncio.sleep(self._rescan_interval_s)
            try:
                await self.reload()  # folders that came back, or could not be watched before
            except Exception:  # the database is down: the next round tries again
                log.exception("re-reading the library folders failed")
            await self.rescan()
