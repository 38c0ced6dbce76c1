"""A real ``python -m photonix_rt`` process for end-to-end tests: run the CLI, serve, stop.

Usage::

    env = photonix_env(database_url=url, redis_url=redis, data_dir=data)
    await run_cli(env, "user", "create", "admin", "--admin", "--password-stdin",
                  stdin="admin-pass-phrase\\n")
    server = ServerProcess.start(env, port=free_port(), log_path=tmp / "one.log")
    await server.wait_ready(timeout_s=120)
    await server.wait_watching(folder, timeout_s=120)
    assert await server.stop() == 0
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit, urlunsplit

import asyncpg

__all__ = ["ServerProcess", "free_port", "inotify_watched_inodes", "photonix_env", "run_cli",
           "scratch_database"]

ROOT = Path(__file__).resolve().parents[2]

# Settings the test sets itself: never inherited from the caller's shell.
_OURS = {"DATABASE_URL", "REDIS_URL"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.asynccontextmanager
async def scratch_database(server_url: str, prefix: str) -> AsyncIterator[str]:
    """An empty database of our own on ``server_url`` (servers migrate it), dropped after."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(server_url, timeout=10)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')  # our own name, not user input
    finally:
        await admin.close()
    try:
        yield urlunsplit(urlsplit(server_url)._replace(path="/" + name))
    finally:
        admin = await asyncpg.connect(server_url, timeout=10)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


def photonix_env(*, database_url: str, redis_url: str | None, data_dir: Path,
                 **settings: str) -> dict[str, str]:
    """The environment of a photonix-rt process: ours, plus PATH and the like."""
    env = {k: v for k, v in os.environ.items()
           if k not in _OURS and not k.startswith("PHOTONIX_")}
    env.update({"DATABASE_URL": database_url, "PHOTONIX_DATA_DIR": str(data_dir),
                "PHOTONIX_WORKERS": "1"})  # two cores shared by everything on this machine
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(settings)
    return env


async def run_cli(env: dict[str, str], *args: str, stdin: str = "",
                  timeout_s: float = 180) -> str:
    """Run ``python -m photonix_rt ARGS``; return its output, fail on a non-zero exit."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "photonix_rt", *args, env=env, cwd=ROOT,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT)
    output, _ = await asyncio.wait_for(process.communicate(stdin.encode()), timeout_s)
    text = output.decode(errors="replace")
    assert process.returncode == 0, f"photonix-rt {' '.join(args)} exited " \
                                    f"{process.returncode}:\n{text}"
    return text


def inotify_watched_inodes(pid: int) -> set[int]:
    """Blocking: the inodes that the process's inotify instances watch (Linux /proc)."""
    inodes: set[int] = set()
    fd_dir = Path(f"/proc/{pid}/fd")
    try:
        fds = list(fd_dir.iterdir())
    except OSError:
        return inodes
    for fd in fds:
        try:
            if os.readlink(fd) != "anon_inode:inotify":
                continue
            info = Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text()
        except OSError:
            continue  # closed meanwhile
        for line in info.splitlines():
            # "inotify wd:1 ino:3e8 sdev:800001 mask:... " (hex numbers)
            if line.startswith("inotify "):
                fields = dict(f.split(":", 1) for f in line.split()[1:] if ":" in f)
                inodes.add(int(fields["ino"], 16))
    return inodes


@dataclass
class ServerProcess:
    """One ``photonix-rt serve``; its output goes to a log file (a pipe could fill up)."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    _log: IO[bytes]

    @classmethod
    def start(cls, env: dict[str, str], *, port: int, log_path: Path,
              args: tuple[str, ...] = ()) -> ServerProcess:
        """``photonix-rt serve ARGS`` on ``port``."""
        log = log_path.open("wb")
        # A process group of its own: a failed test can kill the server with its workers.
        process = subprocess.Popen(
            [sys.executable, "-m", "photonix_rt", "serve", *args],
            env={**env, "PHOTONIX_PORT": str(port)}, cwd=ROOT, start_new_session=True,
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        return cls(process, port, log_path, log)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        if not self._log.closed:  # kill() closes it; the file stays readable
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/readyz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    async def wait_ready(self, timeout_s: float) -> None:
        """Until /readyz answers 200; fails if the process exits or the deadline passes."""
        await self._wait(lambda: asyncio.to_thread(self._ready), timeout_s, "/readyz")

    async def wait_watching(self, folder: Path, timeout_s: float) -> None:
        """Until the process has an inotify watch on ``folder`` (its watcher is running)."""
        inode = (await asyncio.to_thread(folder.stat)).st_ino

        async def watching() -> bool:
            return inode in await asyncio.to_thread(inotify_watched_inodes, self.process.pid)

        await self._wait(watching, timeout_s, f"an inotify watch on {folder}")

    async def _wait(self, check: object, timeout_s: float, what: str) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while loop.time() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server on {self.port} exited {self.process.returncode} "
                                     f"before {what}:\n{self.output()}")
            if await check():  # type: ignore[operator]
                return
            await asyncio.sleep(0.3)
        raise AssertionError(f"server on {self.port}: no {what} in {timeout_s}s:\n"
                             f"{self.output()}")

    async def stop(self, timeout_s: float = 120) -> int:
        """SIGTERM, then the exit status (killed and failed if it does not exit in time)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.to_thread(self.process.wait, timeout_s)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"server on {self.port} ignored SIGTERM for {timeout_s}s:\n"
                                 f"{self.output()}") from None
        finally:
            self._log.close()

    def group(self) -> list[int]:
        """Blocking: the processes still in the server's process group (its workers)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                # "pid (comm) state ppid pgrp ...": comm may hold spaces, so split after ")"
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.process.pid and fields[0] != "Z":
                pids.append(int(stat.parent.name))
        return pids

    async def wait_group_gone(self, timeout_s: float = 30) -> list[int]:
        """Until no process of the group is left; returns those still there at the end."""
        left: list[int] = []
        for _ in range(int(timeout_s / 0.3) + 1):
            left = await asyncio.to_thread(self.group)
            if not left:
                break
            await asyncio.sleep(0.3)
        return left

    def kill(self) -> None:
        """SIGKILL the server and its worker processes (a failed test's clean-up)."""
        if self.process.poll() is None or self.group():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._log.close()
