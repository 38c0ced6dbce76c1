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
    "1 degree square (sparse)": Bbox(10.0, 10.0, 11.0, 11.0),
    "a district of Paris": Bbox(48.85, 2.34, 48.86, 2.355),
    "pacific (antimeridian)": Bbox(-30.0, 170.0, 0.0, -170.0),
    "France (capped)": Bbox(42.0, -5.0, 51.5, 8.5),
    "world (capped)": Bbox(-90.0, -180.0, 90.0, 180.0),
}
LIMIT = 50_000  # mapPositions' default


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
        found = len((await map_positions.positions_in_box(db, library, box, LIMIT + 1)).ids)
        times.append(time.perf_counter() - start)
    return percentile(times, 50), found


async def _explain(db: Queryable, library: uuid.UUID, box: Bbox) -> tuple[float, str]:
    """(execution ms in the server, the plan) of the query positions_in_box runs."""
    cols = "SELECT p.id, p.latitude, p.longitude FROM photos p WHERE p.library_id = $1" \
        " AND p.latitude IS NOT NULL AND p.longitude IS NOT NULL AND p.trashed_at IS NULL" \
        " AND p.latitude BETWEEN $2 AND $3"
    if box.west <= box.east:  # the same statements as store.map_positions
        query = f"{cols} AND p.longitude BETWEEN $4 AND $5 LIMIT {LIMIT + 1}"
    else:
        query = (f"({cols} AND p.longitude BETWEEN $4 AND 180 LIMIT {LIMIT + 1}) UNION ALL"
                 f" ({cols} AND p.longitude BETWEEN -180 AND $5 LIMIT {LIMIT + 1})"
                 f" LIMIT {LIMIT + 1}")
    sql = f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {query}"
    lines = [r[0] for r in await db.fetch(sql, library, box.south, box.north, box.west,
                                          box.east)]
    ms = float(next(x for x in lines if x.startswith("Execution Time")).split()[2])
    return ms, "\n".join("    " + x for x in lines)


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
            wall = {label: await _timed(db, library, box, args.runs)
                    for label, box in BOXES.items()}
            indexed = {label: await _explain(db, library, box) for label, box in BOXES.items()}
            async with db.transaction() as conn:  # the baseline: the same query, no index
                await conn.execute("SET LOCAL enable_indexscan = off; "
                                   "SET LOCAL enable_indexonlyscan = off; "
                                   "SET LOCAL enable_bitmapscan = off")
                seq = {label: await _explain(conn, library, box) for label, box in BOXES.items()}
            for label in ("a district of Paris", "pacific (antimeridian)"):
                print(f"plan, {label}:\n{indexed[label][1]}")
            print(f"{'box':26} {'found':>6} {'call p50 ms':>12} {'db ms':>7}"
                  f" {'seq scan db ms':>15} {'ratio':>6}")
            for label, (t, found) in wall.items():
                db_ms, seq_ms = indexed[label][0], seq[label][0]
                print(f"{label:26} {found:>6} {t * 1000:>12.1f} {db_ms:>7.1f} {seq_ms:>15.1f}"
                      f" {seq_ms / max(db_ms, 0.001):>5.0f}x")
        finally:
            await db.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
