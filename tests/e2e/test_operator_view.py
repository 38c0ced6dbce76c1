"""An operator's view of a real ``photonix-rt serve --log-format json`` process (issue 12):
JSON log lines carrying request ids, ``/metrics`` counting imports and the classification
queue, and ``photonix-rt status`` summing it up while the server runs.

Skipped when PostgreSQL or the photo fixtures are missing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import shutil
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.serve_process import (
    ServerProcess,
    free_port,
    photonix_env,
    run_cli,
    scratch_database,
)

START_S = 180  # deadlines to fail instead of hanging, not timings
PASSWORD = "pw-operations-e2e"
# The start of a text-format log line, the server's or a worker's.
TEXT_RECORD = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ ")


@pytest_asyncio.fixture
async def ops_database(server_url: str) -> AsyncIterator[str]:
    async with scratch_database(server_url, "photonix_ops") as url:
        yield url


def metrics(server: ServerProcess) -> dict[str, float]:
    """Blocking: ``name{labels}`` -> value, from the process's /metrics."""
    with urllib.request.urlopen(server.url + "/metrics", timeout=30) as response:
        text = response.read().decode()
    found = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
            found[f"{s.name}{{{labels}}}"] = s.value
    return found


async def test_json_logs_metrics_and_status_of_a_running_server(
        ops_database: str, fixtures_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    shutil.copyfile(fixtures_dir / "photonix" / "snow.jpg", folder / "snow.jpg")
    env = photonix_env(database_url=ops_database, redis_url=None, data_dir=tmp_path / "data",
                       PHOTONIX_RESCAN_INTERVAL="3600")
    await run_cli(env, "user", "create", "admin", "--admin", "--password-stdin",
                  stdin=PASSWORD + "\n")
    server = ServerProcess.start(env, port=free_port(), log_path=tmp_path / "serve.log",
                                 args=("--log-format", "json", "--photos", str(folder)))
    try:
        await server.wait_ready(START_S)
        await server.wait_watching(folder, START_S)
        new = folder / "tree.jpg"
        await asyncio.to_thread(shutil.copyfile, fixtures_dir / "photonix" / "tree.jpg", new)

        async def counted() -> dict[str, float] | None:
            found = await asyncio.to_thread(metrics, server)
            added = found.get("photonix_events_published_total{kind=PHOTO_ADDED}", 0)
            queued = [k for k in found if k.startswith("photonix_jobs{")]
            return found if added >= 2 and queued else None

        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_S
        while (found := await counted()) is None:
            assert loop.time() < deadline, "imports and the job queue never showed in /metrics"
            await asyncio.sleep(1)
        assert found["photonix_db_pool_connections{state=max}"] == 10
        assert "process_resident_memory_bytes{}" in found  # prometheus-client's own
        assert "photonix_worker_restarts_total{pool=import}" not in found  # none died

        report = await run_cli(env, "status")
        assert "Libraries" in report and "Photos" in report
        library_line = next(line for line in report.splitlines() if "photos" in line
                            and "Photos" in line)
        assert library_line.split()[1] == "2", report
        assert f"{folder}  watched, online" in report
        assert "Classification queue" in report and "Thumbnails:" in report

        assert await server.stop() == 0
        records = []
        for line in server.log_path.read_text().splitlines():
            if line.startswith("{"):
                records.append(json.loads(line))  # every log record is one JSON object
            else:  # console lines (address, setup link) may be text; log records may not
                assert not TEXT_RECORD.match(line), line
        assert any(r["logger"].startswith("photonix_rt.") and r["level"] == "info"
                   for r in records), records
        assert {"time", "level", "logger", "message"} <= set(records[0])
    finally:
        if server.process.poll() is None:
            with contextlib.suppress(AssertionError):
                await server.stop(60)
        server.kill()
