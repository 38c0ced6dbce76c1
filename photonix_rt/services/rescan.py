"""A folder and what the library knows below it, compared in one ordered pass.

Both sides come in byte order, a batch at a time: the disk from a walk that sorts each
folder's entries (a folder by its name plus "/", so "a-b.jpg" comes before "a/x.jpg" as
whole paths do), the database from keyset pages of ``store.file_ranges``. Python compares
strings by code point and UTF-8 bytes sort like code points, so both sides agree whatever
the database's locale. One pass yields each file as new, changed, unchanged or vanished:
time linear in the files, memory bounded by the batch size, and the event loop is given
back between batches (the walk itself runs in a thread).

Hardening kept from the plain walk: hidden folders and folder links are not walked into,
file links leading out of the library's folders are left out (the workers check again
when they open a file), and a folder that exists but cannot be listed hides nothing: what
the library knows below it is neither vanished nor re-read.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from itertools import islice
from uuid import UUID

from photonix_rt.store import file_ranges
from photonix_rt.store import photos as photos_store
from photonix_rt.store.db import Queryable
from workers.safe_files import is_inside

__all__ = ["Change", "FileStat", "Kind", "Skipped", "Unlisted", "changes", "count_candidates",
           "merge", "walk_sorted"]

log = logging.getLogger(__name__)

DEFAULT_BATCH = 1000


@dataclass(frozen=True, slots=True)
class FileStat:
    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Unlisted:
    """A folder that exists but could not be listed; ``prefix`` ends with "/"."""

    prefix: str


@dataclass(frozen=True)
class Skipped:
    """A candidate file that cannot be recorded at all (its name is not valid UTF-8)."""

    path: str
    reason: str


DiskItem = FileStat | Unlisted | Skipped


class Kind(StrEnum):
    NEW = "new"              # on disk, unknown
    CHANGED = "changed"      # known, but size or mtime differ, or it was missing
    UNCHANGED = "unchanged"  # known with this size and mtime: not opened
    VANISHED = "vanished"    # known (not missing) and gone from disk
    SKIPPED = "skipped"      # on disk, but cannot be recorded


@dataclass(frozen=True)
class Change:
    kind: Kind
    path: str
    stat: FileStat | None
    known: file_ranges.KnownStat | None
    reason: str | None = None


# ---- the disk ------------------------------------------------------------------------------

def _encodable(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes in the name (surrogate escapes)
        return False
    return True


def _listing(folder: str) -> list[os.DirEntry[str]] | None:
    """Blocking: the folder's entries; [] if it is gone, None if it cannot be listed."""
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except (FileNotFoundError, NotADirectoryError):
        return []  # gone: what the library knew there has vanished
    except OSError as error:
        log.warning("cannot list %s: %s", folder, error)
        return None


def _sorted_entries(entries: list[os.DirEntry[str]], is_candidate: Callable[[str], bool],
                    ) -> list[tuple[str, os.DirEntry[str], bool]]:
    """Folders to walk (not hidden, not links) and candidate files, in whole-path order."""
    keyed = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()  # a link to a folder counts as a folder: not read
        except OSError:
            is_dir = False
        if is_dir:
            if not entry.name.startswith(".") and not entry.is_symlink():
                keyed.append((entry.name + "/", entry, True))
        elif is_candidate(entry.name):
            keyed.append((entry.name, entry, False))
    keyed.sort(key=lambda item: item[0])
    return keyed


def _file_item(entry: os.DirEntry[str], resolved_roots: list[str]) -> DiskItem | None:
    path = entry.path
    if not _encodable(path):
        log.warning("skipping %r: its name is not valid UTF-8", path)
        return Skipped(path, "file name is not valid UTF-8")
    if entry.is_symlink() and not is_inside(os.path.realpath(path), resolved_roots):
        log.warning("skipping %s: a link to a file outside the library folder", path)
        return None
    try:
        st = entry.stat()
    except OSError:  # gone meanwhile, or a broken link
        return None
    return FileStat(path, st.st_size, st.st_mtime_ns)


def walk_sorted(root: str, resolved_roots: list[str], is_candidate: Callable[[str], bool],
                ) -> Iterator[DiskItem]:
    """Blocking generator: the candidate files below ``root`` in byte order of their paths.

    ``root`` may be a single file. Folders that cannot be listed come as ``Unlisted``.
    """
    if os.path.isfile(root):
        if is_candidate(os.path.basename(root)) and is_inside(os.path.realpath(root),
                                                               resolved_roots):
            st = os.stat(root)
            yield FileStat(root, st.st_size, st.st_mtime_ns)
        return
    # An explicit stack of iterators, not recursion: deep trees stay cheap.
    stack: list[Iterator[tuple[str, os.DirEntry[str], bool]]] = []
    listed = _listing(root)
    if listed is None:
        yield Unlisted(root.rstrip("/") + "/")
        return
    stack.append(iter(_sorted_entries(listed, is_candidate)))
    while stack:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
            continue
        _key, entry, is_dir = step
        if is_dir:
            listed = _listing(entry.path)
            if listed is None:
                yield Unlisted(entry.path + "/")
            else:
                stack.append(iter(_sorted_entries(listed, is_candidate)))
            continue
        item = _file_item(entry, resolved_roots)
        if item is not None:
            yield item


def count_candidates(root: str, is_candidate: Callable[[str], bool]) -> int:
    """Blocking: how many candidate files lie below ``root`` (names only, no stat): the
    progress total, counted before the rescan starts."""
    if os.path.isfile(root):
        return 1 if is_candidate(os.path.basename(root)) else 0
    count = 0
    folders = [root]
    while folders:
        listed = _listing(folders.pop())
        for entry, is_dir in ((e, e.is_dir(follow_symlinks=False)) for e in listed or []):
            if is_dir:
                if not entry.name.startswith("."):
                    folders.append(entry.path)
            elif is_candidate(entry.name):
                count += 1
    return count


async def _disk(root: str, resolved_roots: list[str], is_candidate: Callable[[str], bool],
                batch_size: int) -> AsyncIterator[DiskItem]:
    walk = walk_sorted(root, resolved_roots, is_candidate)

    def read() -> list[DiskItem]:
        return list(islice(walk, batch_size))

    try:
        # One batch ahead: the thread reads the disk while the merge works on this one.
        ahead = asyncio.ensure_future(asyncio.to_thread(read))
        while batch := await ahead:
            ahead = asyncio.ensure_future(asyncio.to_thread(read))
            for item in batch:
                yield item
    finally:
        # Let a read under way finish first: a generator cannot be closed while it runs.
        with contextlib.suppress(Exception):
            await ahead
        with contextlib.suppress(ValueError):  # cancelled while a thread reads a batch
            walk.close()


async def _known(db: Queryable, library_id: UUID, root: str, root_is_file: bool,
                 batch_size: int) -> AsyncIterator[file_ranges.KnownStat]:
    # A file recorded at the root's own path sorts before everything below it.
    exact = await photos_store.file_by_path(db, library_id, root)
    if exact is not None:
        yield file_ranges.KnownStat(exact.path, exact.size, exact.mtime_ns, exact.status)
    if root_is_file:
        return
    page = await file_ranges.files_below_after(db, library_id, root, None, batch_size)
    while page:
        # One page ahead, as on the disk side: the database works while the merge does.
        ahead = (asyncio.ensure_future(file_ranges.files_below_after(
            db, library_id, root, page[-1].path, batch_size))
            if len(page) == batch_size else None)
        try:
            for known in page:
                yield known
        except BaseException:  # closed early (GeneratorExit) or failed: drop the prefetch
            if ahead is not None:
                ahead.cancel()
            raise
        page = await ahead if ahead is not None else []


# ---- the merge -----------------------------------------------------------------------------

async def merge(disk: AsyncIterator[DiskItem],
                known: AsyncIterator[file_ranges.KnownStat]) -> AsyncIterator[Change]:
    """Both sides in byte order of their paths, one pass. A known file under an unlisted
    folder is passed over; a known file already marked missing is only reported again
    when it is back on disk (as changed)."""
    k = await anext(known, None)
    async for item in disk:
        key = item.prefix if isinstance(item, Unlisted) else item.path
        while k is not None and k.path < key:
            if k.status != "missing":
                yield Change(Kind.VANISHED, k.path, None, k)
            k = await anext(known, None)
        if isinstance(item, Unlisted):
            while k is not None and k.path.startswith(item.prefix):
                k = await anext(known, None)
        elif isinstance(item, Skipped):
            yield Change(Kind.SKIPPED, item.path, None, None, item.reason)
        elif k is not None and k.path == item.path:
            same = (k.status != "missing" and k.size == item.size
                    and k.mtime_ns == item.mtime_ns)
            yield Change(Kind.UNCHANGED if same else Kind.CHANGED, item.path, item, k)
            k = await anext(known, None)
        else:
            yield Change(Kind.NEW, item.path, item, None)
    while k is not None:
        if k.status != "missing":
            yield Change(Kind.VANISHED, k.path, None, k)
        k = await anext(known, None)


async def changes(db: Queryable, library_id: UUID, root: str, resolved_roots: list[str],
                  is_candidate: Callable[[str], bool], *, read_disk: bool = True,
                  batch_size: int = DEFAULT_BATCH) -> AsyncIterator[Change]:
    """What differs between the folder (or file) ``root`` and the library, streamed.

    With ``read_disk`` False the disk side is empty (a folder that now leads out of the
    library): every file known there is reported vanished.
    """
    root_is_file = read_disk and await asyncio.to_thread(os.path.isfile, root)

    async def nothing() -> AsyncIterator[DiskItem]:
        return
        yield  # an empty async generator

    disk = (_disk(root, resolved_roots, is_candidate, batch_size) if read_disk
            else nothing())
    async for change in merge(disk, _known(db, library_id, root, root_is_file, batch_size)):
        yield change
