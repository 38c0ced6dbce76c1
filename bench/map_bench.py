"""The map's positions query (``mapPositions``) on a library of N photos: p50 per box size,
against a sequential scan of the same library measured in the same run, and the plans.

    python bench/map_bench.py                 # 1,000,000 photos (about a minute to build)
    python bench/map_bench.py --photos 200000 --runs 20

Builds its own scratch database (migrated, photos spread over the land with a few dense
cities, 1% in the trash, 30% without a position) and drops it afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from live_common import percentile  # noqa: E402

from photonix_rt.store import map_positions  # noqa: E402
from photonix_rt.store.db import Database, Queryable  # noqa: E402
from photonix_rt.store.migrate import migrate  # noqa: E402
from photonix_rt.store.photo_filter import Bbox  # noqa: E402

BOXES = {
    "city (Paris, ~1%)": Bbox(48.80, 2.25, 48.92, 2.42),
    "country (France)": Bbox(42.0, -5.0, 51.5, 8.5),
    "pacific (antimeridian)": Bbox(-30.0, 170.0, 0.0, -170.0),
    "world, first 50000": Bbox(-90.0, -180.0, 90.0, 180.0),
}


def _server() -> str:
    return (os.environ.get("PHOTONIX_TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
            or "postgresql://postgres@127.0.0.1:5432/postgres")


async def _fill(db: Database, photos: int) -> uuid.UUID:
    library = await db.fetchval("INSERT INTO libraries (name) VALUES ('map') RETURNING id")
    # 70% with a position: 10% in Paris, the rest anywhere; 1% of all in the trash.
    await db.execute(
        """
        INSERT INTO photos (library_id, content_hash, latitude, longitude, trashed_at)
        SELECT $1, int4send(g),
               CASE WHEN g % 10 < 3 THEN NULL WHEN g % 10 = 3 THEN 48.80 + random() * 0.12
                    ELSE random() * 140 - 60 END,
               CASE WHEN g % 10 < 3 THEN NULL WHEN g % 10 = 3 THEN 2.25 + random() * 0.17
                    ELSE random() * 360 - 180 END,
               CASE WHEN g % 100 = 7 THEN now() END
        FROM generate_series(1, $2) g
        """, library, photos)
    await db.execute("VACUUM ANALYZE photos")
    return library


async def _timed(db: Queryable, library: uuid.UUID, box: Bbox, runs: int) -> tuple[float, int]:
    times, found = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        found = len((await map_positions.positions_in_box(db, library, box, 50_001)).ids)
        times.append(time.perf_counter() - start)
    return percentile(times, 50), found


async def _plan(db: Database, library: uuid.UUID, box: Bbox) -> str:
    sql = ("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT p.id, p.latitude, p.longitude"
           " FROM photos p WHERE p.library_id = $1 AND p.latitude IS NOT NULL"
           " AND p.longitude IS NOT NULL AND p.trashed_at IS NULL"
           " AND p.latitude BETWEEN $2 AND $3 AND p.longitude BETWEEN $4 AND $5 LIMIT 50001")
    rows = await db.fetch(sql, library, box.south, box.north, box.west, box.east)
    return "\n".join("    " + r[0] for r in rows)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    name = f"photonix_map_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(_server())
    await admin.execute(f'CREATE DATABASE "{name}"')  # our own name
    url = urlunsplit(urlsplit(_server())._replace(path="/" + name))
    try:
        db = await Database.connect(url)
        try:
            async with db.connection() as conn:
                await migrate(conn)
            start = time.perf_counter()
            library = await _fill(db, args.photos)
            print(f"{args.photos:,} photos built in {time.perf_counter() - start:.0f} s")
            indexed = {label: await _timed(db, library, box, args.runs)
                       for label, box in BOXES.items()}
            print(await _plan(db, library, BOXES["city (Paris, ~1%)"]))
            async with db.transaction() as conn:  # the baseline: no index at all
                await conn.execute("SET LOCAL enable_indexscan = off; "
                                   "SET LOCAL enable_indexonlyscan = off; "
                                   "SET LOCAL enable_bitmapscan = off")
                baseline = {label: await _timed(conn, library, box, max(3, args.runs // 3))
                            for label, box in BOXES.items()}
            print(f"{'box':26} {'found':>7} {'p50 ms':>8} {'seq scan ms':>12} {'ratio':>6}")
            for label, (t, found) in indexed.items():
                b = baseline[label][0]
                print(f"{label:26} {found:>7} {t * 1000:>8.1f} {b * 1000:>12.1f} "
                      f"{b / t:>6.1f}x")
        finally:
            await db.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
