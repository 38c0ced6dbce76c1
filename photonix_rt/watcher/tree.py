"""The watched folders: inotify watch descriptors <-> current paths, per library.

A watch keeps following its folder when the folder is renamed, but inotify never says the
new name; ``rename`` rewrites the paths of the folder and everything below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

__all__ = ["WatchTree", "WatchedDir"]


@dataclass
class WatchedDir:
    watch: Any          # asyncinotify.Watch
    library_id: UUID
    path: str


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


class WatchTree:
    """Bookkeeping only: adding and removing the kernel watches is the watcher's job."""

    def __init__(self) -> None:
        self._by_wd: dict[int, WatchedDir] = {}
        self._by_path: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._by_wd)

    def add(self, watch: Any, library_id: UUID, path: str) -> None:
        old = self._by_wd.get(watch.wd)
        if old is not None:
            self._by_path.pop(old.path, None)
        self._by_wd[watch.wd] = WatchedDir(watch, library_id, path)
        self._by_path[path] = watch.wd

    def get(self, wd: int) -> WatchedDir | None:
        return self._by_wd.get(wd)

    def has_path(self, path: str) -> bool:
        return path in self._by_path

    def forget(self, wd: int) -> WatchedDir | None:
        entry = self._by_wd.pop(wd, None)
        if entry is not None and self._by_path.get(entry.path) == wd:
            del self._by_path[entry.path]
        return entry

    def below(self, folder: str) -> list[WatchedDir]:
        """The folder's watch and every watch beneath it."""
        return [d for d in self._by_wd.values() if _inside(d.path, folder)]

    def rename(self, old: str, new: str) -> int:
        """A folder moved within the tree: its watches now live under ``new``."""
        moved = self.below(old)
        for entry in moved:
            self._by_path.pop(entry.path, None)
        for entry in moved:
            entry.path = new + entry.path[len(old):]
            entry.watch.path = Path(entry.path)
            self._by_path[entry.path] = entry.watch.wd
        return len(moved)

    def roots(self) -> set[str]:
        return set(self._by_path)
