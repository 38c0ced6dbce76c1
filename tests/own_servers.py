"""A PostgreSQL and a Redis of the test's own, on free ports, that the test may stop and kill.

The machine's shared servers (127.0.0.1:5432 and :6379) are never touched: a test that takes
a database or Redis away starts one of these.

Usage::

    redis = OwnRedis.start(tmp_path / "redis")      # redis-server on a free port
    redis.kill()                                     # SIGKILL, as a crash
    redis.restart()                                  # same port, empty
    pg = OwnPostgres.start()                         # initdb + pg_ctl start, fsync off
    pg.stop(); pg.start_again()                      # an outage, then recovery
    pg.destroy(); redis.destroy()

PostgreSQL refuses to run as root, so when the tests run as root the cluster belongs to the
``postgres`` account (``runuser``), in a temporary folder that account can reach.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["OwnPostgres", "OwnRedis", "free_port", "postgres_bin", "redis_server_bin"]

_PG_BIN_DIRS = [Path("/usr/lib/postgresql") / v / "bin" for v in ("17", "16", "15", "14")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_bin() -> Path | None:
    """The folder holding initdb and pg_ctl, or None."""
    for folder in _PG_BIN_DIRS:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def redis_server_bin() -> str | None:
    return shutil.which("redis-server")


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait_port(port: int, open_: bool, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while _port_open(port) != open_:
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} on port {port} not {'up' if open_ else 'down'} "
                                 f"after {timeout_s}s")
        time.sleep(0.05)


@dataclass
class OwnRedis:
    """A ``redis-server`` without persistence on a free port (blocking methods)."""

    folder: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @classmethod
    def start(cls, folder: Path) -> OwnRedis:
        folder.mkdir(parents=True, exist_ok=True)
        redis = cls(folder, free_port())
        redis.restart()
        return redis

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def restart(self) -> None:
        """Start (again) on the same port."""
        binary = redis_server_bin()
        assert binary is not None, "redis-server is not installed"
        log = (self.folder / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
        log.close()
        _wait_port(self.port, True, 20, "redis-server")

    def kill(self) -> None:
        """SIGKILL: connections drop at once, nothing is saved."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
        _wait_port(self.port, False, 10, "redis-server")

    def destroy(self) -> None:
        with contextlib.suppress(AssertionError):
            self.kill()


@dataclass
class OwnPostgres:
    """A throw-away PostgreSQL cluster (trust auth, fsync off) on a free port."""

    folder: Path
    port: int
    bin_dir: Path
    _run_as: list[str] = field(default_factory=list)

    @classmethod
    def start(cls) -> OwnPostgres:
        bin_dir = postgres_bin()
        assert bin_dir is not None, "PostgreSQL server binaries are not installed"
        # Not under pytest's tmp_path: that is private to root, and the cluster may have to
        # belong to the postgres account.
        folder = Path(tempfile.mkdtemp(prefix="photonix-own-pg-"))
        run_as: list[str] = []
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(folder, account.pw_uid, account.pw_gid)
            run_as = ["runuser", "-u", "postgres", "--"]
        pg = cls(folder, free_port(), bin_dir, run_as)
        pg._run("initdb", "-D", str(pg.pgdata), "-U", "postgres", "-A", "trust",
                "--no-sync", "-E", "UTF8")
        pg.start_again()
        return pg

    @property
    def pgdata(self) -> Path:
        return self.folder / "data"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def database_url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, tool: str, *args: str) -> None:
        command = [*self._run_as, str(self.bin_dir / tool), *args]
        result = subprocess.run(command, capture_output=True, timeout=120, cwd=self.folder,
                                check=False)
        assert result.returncode == 0, (f"{tool} {' '.join(args)} failed:\n"
                                        f"{result.stdout.decode()}{result.stderr.decode()}")

    def start_again(self) -> None:
        """Start the cluster (first start, or recovery after ``stop``)."""
        options = (f"-p {self.port} -h 127.0.0.1 -k {self.folder} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        self._run("pg_ctl", "start", "-D", str(self.pgdata), "-w", "-t", "60",
                  "-l", str(self.folder / "postgres.log"), "-o", options)

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``fast``: sessions are disconnected; ``immediate``: a crash)."""
        self._run("pg_ctl", "stop", "-D", str(self.pgdata), "-w", "-t", "60", "-m", mode)

    def log(self) -> str:
        try:
            return (self.folder / "postgres.log").read_text(errors="replace")
        except OSError:
            return ""

    def destroy(self) -> None:
        if (self.pgdata / "postmaster.pid").exists():
            with contextlib.suppress(AssertionError, subprocess.TimeoutExpired):
                self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)
