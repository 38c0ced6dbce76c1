"""Hitting the inotify watch limit: a clear warning, and rescans still import everything.

The server runs in its own user namespace (``unshare --user --map-root-user``), where the
per-namespace limit ``/proc/sys/user/max_inotify_watches`` can be set low without touching
the machine's own limit.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tornado.httpclient import AsyncHTTPClient

from photonix_rt.services.container import Services
from photonix_rt.store.db import Database

pytestmark = pytest.mark.slow

WATCH_LIMIT = 3


def _namespaces_work() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "--user", "--map-root-user", "sh", "-c",
         "echo 5 > /proc/sys/user/max_inotify_watches"],
        capture_output=True, check=False)
    return probe.returncode == 0


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _wait_imported(db: Database, path: Path, server: asyncio.subprocess.Process) -> None:
    deadline = time.monotonic() + 60
    while not await db.fetchval(
            "SELECT count(*) FROM photo_files WHERE path = $1 AND status = 'ok'", str(path)):
        assert server.returncode is None, "the server died"
        assert time.monotonic() < deadline, f"{path.name} was never imported"
        await asyncio.sleep(0.3)


async def test_watch_limit_warns_and_rescans_import_unwatched_folders(
        services: Services, db: Database, database_url: str, tmp_path: Path,
        fixtures_dir: Path) -> None:
    if not _namespaces_work():
        pytest.skip("user namespaces (unshare --user) are not available here")
    root = tmp_path / "photos"
    deep = root.joinpath(*"abcdef")  # 7 folders: more than the limit allows
    deep.mkdir(parents=True)
    # Imported by the start-up scan: once it is in, later files can only come from the
    # watcher (for watched folders) or the periodic rescan (for the rest).
    marker = root / "tree.jpg"
    shutil.copy(fixtures_dir / "photonix" / "tree.jpg", marker)
    library = await services.libraries.ensure_library("Limited", None)
    await services.libraries.add_path_trusted(library.id, root)

    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "PHOTONIX_RESCAN_INTERVAL": "1",
           "PHOTONIX_WORKERS": "1"}
    env.pop("REDIS_URL", None)
    script = (f"echo {WATCH_LIMIT} > /proc/sys/user/max_inotify_watches && exec "
              f"{sys.executable} -m photonix_rt serve --port {port} "
              f"--data-dir {tmp_path / 'data'}")
    server = await asyncio.create_subprocess_exec(
        "unshare", "--user", "--map-root-user", "sh", "-c", script, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    client = AsyncHTTPClient()
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.returncode is None, "the server exited early"
            try:
                response = await client.fetch(f"http://127.0.0.1:{port}/readyz",
                                              raise_error=False)
                if response.code == 200:
                    break
            except OSError:  # not listening yet
                pass
            assert time.monotonic() < deadline, "server did not become ready"
            await asyncio.sleep(0.3)

        await _wait_imported(db, marker, server)
        target = deep / "snow.jpg"
        shutil.copy(fixtures_dir / "photonix" / "snow.jpg", target)
        await _wait_imported(db, target, server)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            output, _ = await asyncio.wait_for(server.communicate(), 60)
        except TimeoutError:
            server.kill()
            output, _ = await server.communicate()
    text = output.decode(errors="replace")
    assert server.returncode == 0, text
    assert "inotify limit reached" in text
