"""The worker pool: workers die with the server, even when it is killed with SIGKILL."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from photonix_rt.pool_client import PoolClient, WorkerCrashed

SERVER = """
import asyncio, os, sys
from photonix_rt.pool_client import PoolClient

async def main() -> None:
    pool = PoolClient(2)
    pids = await asyncio.gather(*(pool.run(os.getpid) for _ in range(4)))
    print(" ".join(str(p) for p in sorted(set(pids))), flush=True)
    os.kill(os.getpid(), 9)  # no clean-up runs: the OOM killer does the same

if __name__ == "__main__":
    asyncio.run(main())
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_workers_exit_when_the_server_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "server.py"
    script.write_text(SERVER)
    output = tmp_path / "pids.txt"
    with output.open("w") as out:  # a file, not a pipe: orphans would hold a pipe open
        process = subprocess.run([sys.executable, str(script)], stdout=out,
                                 stderr=subprocess.DEVNULL, timeout=120, check=False,
                                 env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert process.returncode == -9
    pids = [int(p) for p in output.read_text().split()]
    assert pids, "the workers never answered"
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in pids if _alive(pid)], "orphaned pool workers"


async def test_closing_kills_a_worker_stuck_in_a_call_after_the_grace_period() -> None:
    pool = PoolClient(1)
    pid = await pool.run(os.getpid)
    stuck = asyncio.ensure_future(pool.run(time.sleep, 3600))
    await asyncio.sleep(0.5)  # the sleep is running in the worker, not queued
    await asyncio.wait_for(pool.close(grace_s=1), 60)  # a hang limit; unkilled: an hour
    assert not _alive(pid)
    with pytest.raises(WorkerCrashed):
        await stuck
