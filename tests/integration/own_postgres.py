"""A PostgreSQL server of a test's own, on a free port, that the test may stop and restart
(never the shared one). Uses the machine's PostgreSQL binaries; as root, runs them as the
``postgres`` user (initdb refuses root).

Usage::

    with OwnPostgres() as pg:        # initialised and started
        url = pg.url
        pg.stop(); pg.start()        # same port, same data
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

from tornado.testing import bind_unused_port

__all__ = ["OwnPostgres", "postgres_bin"]


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


class OwnPostgres:
    """``initdb`` + ``pg_ctl`` in a temporary folder; trust auth for ``postgres``."""

    def __init__(self) -> None:
        bin_dir = postgres_bin()
        if bin_dir is None:
            raise RuntimeError("no PostgreSQL binaries under /usr/lib/postgresql")
        self._bin = bin_dir
        sock, self.port = bind_unused_port()
        sock.close()
        self._root = Path(tempfile.mkdtemp(prefix="photonix-own-pg-"))
        self._data = self._root / "data"
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self._bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def __enter__(self) -> OwnPostgres:
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self._root, user.pw_uid, user.pw_gid)
        self._run("initdb", "-D", str(self._data), "-U", "postgres", "--auth=trust",
                  "--no-sync")
        self.start()
        return self

    def start(self) -> None:
        options = f"-p {self.port} -k {self._root} -h 127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self._data), "-o", options, "-l",
                  str(self._root / "log"), "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self._data), "-m", "fast", "-w", "stop")

    def __exit__(self, *_exc: type[BaseException] | BaseException | TracebackType | None
                 ) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self._root, ignore_errors=True)
