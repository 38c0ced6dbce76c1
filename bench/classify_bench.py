"""Classification benchmark: per-classifier speed with 1 and 2 workers, RSS, drop-to-tagged.

Prints, for each pool size, every stage's worker-side ms/image and the pool's images/s, the
resident memory of each worker process, and then the drop-to-tagged latency: a 12 MP JPEG
with a face copied into a watched folder -> the last stage's PHOTO_TAGGED event (p50/p95),
through the real watcher, importer, queue and runner::

    PHOTONIX_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        python bench/classify_bench.py --images 8 --drops 20

Needs a PostgreSQL server URL (a scratch database is created and dropped) and the installed
models (``photonix-rt models install``; PHOTONIX_MODELS_DIR or <repo>/.models).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from uuid import UUID

import asyncpg
import numpy as np
import psutil
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from photonix_rt.app import open_database, open_services  # noqa: E402
from photonix_rt.config import Config  # noqa: E402
from photonix_rt.pool_client import PoolClient  # noqa: E402
from photonix_rt.services.job_runner import JobRunner, RunnerOptions  # noqa: E402
from photonix_rt.services.photo_media import thumbnail_path  # noqa: E402
from photonix_rt.watcher.watch import Watcher  # noqa: E402
from workers.protocol import ClassifyInput, ClassifyOutput, StageStatus, run_task  # noqa: E402

LONDON = ClassifyInput("2019-12-25T10:30:00", 51.5304213, -0.1286445)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _base_image() -> Image.Image:
    """A photo with a person and a face (scikit-image's astronaut, else an LFW fixture)."""
    try:
        from skimage import data

        return Image.fromarray(data.astronaut())
    except ImportError:
        faces = ROOT.parent / "shared" / "fixtures" / "photonix" / "faces"
        return Image.open(next(iter(sorted(faces.glob("*.jpg"))))).convert("RGB")


def make_12mp_jpeg(base: Image.Image, path: Path, seed: int) -> None:
    """4000 x 3000, the base photo in the middle of a noisy frame (unique bytes per seed)."""
    rng = np.random.default_rng(seed)
    canvas = rng.integers(60, 200, size=(3000, 4000, 3), dtype=np.uint8)
    image = Image.fromarray(canvas)
    face = base.resize((2400, 2400))
    image.paste(face, (800, 300))
    image.save(path, "JPEG", quality=90)


def write_previews(thumbnails_dir: Path, count: int, base: Image.Image) -> list[str]:
    paths = []
    for i in range(count):
        key = secrets.token_hex(16)
        path = thumbnail_path(thumbnails_dir, key, "preview")
        path.parent.mkdir(parents=True, exist_ok=True)
        image = base.copy()
        image.paste((i * 37 % 255, 90, 140), (0, 0, 24, 24))  # a little variety
        image.thumbnail((1440, 1440))
        image.save(path, "WEBP", quality=90)
        paths.append(str(path))
    return paths


def worker_rss_mb() -> list[float]:
    return [round(child.memory_info().rss / 2**20) for child in
            psutil.Process().children(recursive=True)
            if "spawn_main" in " ".join(child.cmdline())]  # not the resource tracker


async def bench_pool(models_dir: Path, workers: int, previews: list[str]) -> None:
    pool = PoolClient(workers, run_task, ("init_classifiers", str(models_dir), None, 1))
    try:
        started = time.perf_counter()
        reports: list[list[StageStatus]] = await asyncio.gather(
            *(pool.run(run_task, "classifier_report") for _ in range(workers)))
        load_s = time.perf_counter() - started
        stages = [s.name for s in reports[0] if s.available]
        missing = [f"{s.name} ({s.reason})" for s in reports[0] if not s.available]
        print(f"\n== {workers} worker(s): models loaded in {load_s:.1f} s; stages: "
              f"{', '.join(stages)}" + (f"; unavailable: {', '.join(missing)}" if missing else ""))
        for stage in stages:  # warm up every process (first TensorFlow call is slow)
            await asyncio.gather(*(pool.run(run_task, "classify", stage, previews[0], LONDON)
                                   for _ in range(workers)))
        print(f"{'stage':10} {'ms/image':>9} {'p95 ms':>8} {'images/s':>9}")
        total_ms = 0.0
        for stage in stages:
            started = time.perf_counter()
            outputs: list[ClassifyOutput] = await asyncio.gather(
                *(pool.run(run_task, "classify", stage, p, LONDON) for p in previews))
            wall = time.perf_counter() - started
            per_image = [o.elapsed_ms for o in outputs]
            total_ms += statistics.mean(per_image)
            print(f"{stage:10} {statistics.mean(per_image):9.1f} "
                  f"{_percentile(per_image, 0.95):8.1f} {len(previews) / wall:9.2f}")
        print(f"{'all':10} {total_ms:9.1f}")
        print(f"RSS per worker (MB): {worker_rss_mb()}")
    finally:
        await pool.close()


async def bench_drops(server_url: str, models_dir: Path, drops: int, workers: int,
                      base: Image.Image) -> None:
    name = f"photonix_bench_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(server_url)
    await admin.execute(f'CREATE DATABASE "{name}"')  # our own name, not input
    await admin.close()
    url = server_url.rsplit("/", 1)[0] + "/" + name
    tmp = Path(tempfile.mkdtemp(prefix="photonix-bench-"))
    try:
        watched = tmp / "watched"
        watched.mkdir()
        config = Config(data_dir=tmp / "data", database_url=url, workers=workers,
                        models_dir_override=models_dir, allowed_roots=(tmp,))
        sources = []
        for i in range(drops):
            source = tmp / f"source-{i}.jpg"
            make_12mp_jpeg(base, source, i)
            sources.append(source)
        async with open_database(config) as db, open_services(config, db) as services:
            library_id: UUID = await db.fetchval(
                "INSERT INTO libraries (name) VALUES ('bench') RETURNING id")

            async def load_paths() -> list[tuple[UUID, str]]:
                return [(library_id, str(watched))]

            async with JobRunner.running(db, config, services.events, RunnerOptions()) as runner:
                # Measure a running server, not its start-up: every worker has its models.
                await _wait_for_workers(runner.pool, workers)
                watcher = Watcher(services.importer, load_paths)
                await watcher.start(initial_scan=False)
                try:
                    stages = len(runner.stages)
                    latencies, added = [], []
                    phases: dict[str, list[float]] = {}
                    for i, source in enumerate(sources):
                        target = watched / f"drop-{i}.jpg"
                        t0 = time.time()
                        await asyncio.to_thread(shutil.copy, source, target)
                        latencies.append(await _tagged_after(db, str(target), stages, t0))
                        added.append(await _added_after(db, str(target), t0))
                        for phase, seconds in (await _phases(db, str(target), t0)).items():
                            phases.setdefault(phase, []).append(seconds)
                finally:
                    await watcher.close()
        print(f"\n== drop-to-tagged, {drops} x 12 MP JPEG, {workers} worker(s), "
              f"{stages} stages ({', '.join(runner.stages)})")
        print(f"p50 {_percentile(latencies, 0.5):.2f} s   p95 {_percentile(latencies, 0.95):.2f} s"
              f"   max {max(latencies):.2f} s")
        print(f"(of which drop-to-added, i.e. watcher + ingest: p50 {_percentile(added, 0.5):.2f} s"
              f"   p95 {_percentile(added, 0.95):.2f} s)")
        print("phases, seconds after the copy (p50 / p95): queued = jobs inserted; "
              "<stage> = claimed .. result committed")
        for phase, values in phases.items():
            p50, p95 = _percentile(values, 0.5), _percentile(values, 0.95)
            print(f"  {phase:18} {p50:5.2f} / {p95:5.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        admin = await asyncpg.connect(server_url)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def _hold_pid(seconds: float) -> int:
    """Worker side: stay busy a moment (so concurrent calls spread), return the pid."""
    time.sleep(seconds)
    return os.getpid()


async def _wait_for_workers(pool: PoolClient, count: int) -> None:
    """Until ``count`` distinct processes have run a task (models loaded in each)."""
    seen: set[int] = set()
    async with asyncio.timeout(120):
        while len(seen) < count:
            seen.update(await asyncio.gather(*(pool.run(_hold_pid, 0.2)
                                               for _ in range(count))))


async def _tagged_after(db: object, path: str, stages: int, t0: float) -> float:
    """Seconds from the copy to the commit of the photo's last PHOTO_TAGGED event."""
    async with asyncio.timeout(300):
        while True:
            row = await db.fetchrow(  # type: ignore[attr-defined]
                """
                SELECT count(*) AS n, EXTRACT(EPOCH FROM max(e.created_at))::float8 AS last
                FROM events e JOIN photo_files f ON f.photo_id = e.photo_id
                WHERE f.path = $1 AND e.kind = 'PHOTO_TAGGED'
                """,
                path)
            if row["n"] >= stages:
                return row["last"] - t0
            await asyncio.sleep(0.02)


async def _phases(db: object, path: str, t0: float) -> dict[str, float]:
    """When each job of the photo was queued, claimed and finished, relative to the copy."""
    rows = await db.fetch(  # type: ignore[attr-defined]
        """
        SELECT j.stage, EXTRACT(EPOCH FROM j.queued_at)::float8 AS queued,
               EXTRACT(EPOCH FROM j.started_at)::float8 AS started,
               EXTRACT(EPOCH FROM j.finished_at)::float8 AS finished
        FROM jobs j JOIN photo_files f ON f.photo_id = j.photo_id
        WHERE f.path = $1 ORDER BY j.started_at
        """,
        path)
    phases = {"queued": min(r["queued"] for r in rows) - t0} if rows else {}
    for r in rows:
        phases[f"{r['stage']} claimed"] = r["started"] - t0
        phases[f"{r['stage']} done"] = r["finished"] - t0
    return phases


async def _added_after(db: object, path: str, t0: float) -> float:
    """Seconds from the copy to the commit of the photo's PHOTO_ADDED event."""
    value = await db.fetchval(  # type: ignore[attr-defined]
        """
        SELECT EXTRACT(EPOCH FROM e.created_at)::float8 FROM events e
        JOIN photo_files f ON f.photo_id = e.photo_id
        WHERE f.path = $1 AND e.kind = 'PHOTO_ADDED'
        """,
        path)
    return value - t0


async def run_all(args: argparse.Namespace, models_dir: Path, base: Image.Image,
                  previews: list[str]) -> None:
    for workers in (int(w) for w in args.workers.split(",") if w.strip()):
        await bench_pool(models_dir, workers, previews)
    server_url = os.environ.get("PHOTONIX_TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if args.skip_drops:
        return
    if not server_url:
        print("\n(drop-to-tagged skipped: set PHOTONIX_TEST_DATABASE_URL)")
        return
    await bench_drops(server_url, models_dir, args.drops, os.cpu_count() or 1, base)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=8, help="previews per stage and size")
    parser.add_argument("--drops", type=int, default=20, help="files for drop-to-tagged")
    parser.add_argument("--workers", default="1,2",
                        help="pool sizes to measure (empty: drop-to-tagged only)")
    parser.add_argument("--skip-drops", action="store_true")
    args = parser.parse_args()
    models_dir = Path(os.environ.get("PHOTONIX_MODELS_DIR", ROOT / ".models")).resolve()
    base = _base_image()
    print(f"cpu cores: {os.cpu_count()}; models: {models_dir}")
    with tempfile.TemporaryDirectory(prefix="photonix-bench-") as tmp:
        previews = write_previews(Path(tmp), args.images, base)
        asyncio.run(run_all(args, models_dir, base, previews))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
