"""The embedded default: `photonix-rt serve` with no DATABASE_URL runs its own PostgreSQL.

Starts the real command in a subprocess, checks it answers, stops it with SIGTERM and checks
that PostgreSQL stopped too; then the recovery path after a SIGKILL left a server behind.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postmaster_pid(pgdata: Path) -> int | None:
    try:
        return int((pgdata / "postmaster.pid").read_text().split()[0])
    except (FileNotFoundError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) counts as gone.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return False
    return state != "Z"


def _start(data_dir: Path, port: int) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "PHOTONIX_DATA_DIR"}}
    return subprocess.Popen(
        [sys.executable, "-m", "photonix_rt", "serve", "--data-dir", str(data_dir),
         "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_ready(process: subprocess.Popen[str], port: int, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early:\n{process.stdout.read()}")  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                return r.read().decode()
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise AssertionError(f"server not ready in {timeout}s:\n{process.stdout.read()}")  # type: ignore[union-attr]


def _wait_gone(pid: int, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.2)
    return False


def test_serve_on_embedded_postgres_and_stop_cleanly(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    port = _free_port()
    server = _start(data_dir, port)
    _wait_ready(server, port)
    pg_pid = _postmaster_pid(data_dir / "pgdata")
    assert pg_pid is not None and _alive(pg_pid)
    key = data_dir / "secret.key"
    assert key.stat().st_mode & 0o777 == 0o600

    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=60) == 0
    output = server.stdout.read()  # type: ignore[union-attr]
    assert f"http://127.0.0.1:{port}/" in output
    # No admin exists in a new data dir: the one-time set-up link is printed.
    assert f"http://127.0.0.1:{port}/setup#token=" in output
    assert _wait_gone(pg_pid), "embedded PostgreSQL still running after SIGTERM"


def test_restart_after_sigkill_recovers_the_stale_server(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    port = _free_port()
    first = _start(data_dir, port)
    _wait_ready(first, port)
    first.kill()  # SIGKILL: no clean-up ran; PostgreSQL is left behind
    first.wait(timeout=30)

    second = _start(data_dir, port)
    _wait_ready(second, port)
    pg_pid = _postmaster_pid(data_dir / "pgdata")
    assert pg_pid is not None
    second.send_signal(signal.SIGINT)
    assert second.wait(timeout=60) == 0
    assert _wait_gone(pg_pid), "the stale holder kept PostgreSQL running after shutdown"
