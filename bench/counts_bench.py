"""The kept counts (migration 009) at the store, without HTTP and GraphQL: p50/p95 per read.

    python bench/counts_bench.py                   # on photonix_scale_1000000 (scale_bench's)
    python bench/counts_bench.py --runs 50 --recount  # also time the old recounts once each

Reads the scratch database bench/scale_bench.py builds (run that first). It separates the
database's share from the server's: on a loaded machine the round trip through a real server
is mostly waiting for a core.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from live_common import percentile  # noqa: E402

from photonix_rt.store import faces, libraries  # noqa: E402
from photonix_rt.store import photos_query as q  # noqa: E402
from photonix_rt.store.db import Database  # noqa: E402
from photonix_rt.store.photo_filter import PhotoFilter  # noqa: E402

# The queries the counts replaced, to time once for comparison.
RECOUNTS = {
    "tags with counts": """
        SELECT t.id, count(DISTINCT pt.photo_id) FILTER (WHERE NOT pt.hidden) AS n
        FROM tags t LEFT JOIN photo_tags pt ON pt.tag_id = t.id
        WHERE t.library_id = $1 GROUP BY t.id""",
    "cameras with counts": "SELECT camera_id, count(*) FROM photos WHERE library_id = $1"
                           " AND camera_id IS NOT NULL GROUP BY camera_id",
    "lenses with counts": "SELECT lens_id, count(*) FROM photos WHERE library_id = $1"
                          " AND lens_id IS NOT NULL GROUP BY lens_id",
    "whole library count": "SELECT count(*) FROM photos WHERE library_id = $1",
    "people": """
        SELECT p.id, (SELECT count(*) FROM faces f WHERE f.person_id = p.id
                      AND f.status <> 'rejected'),
               (SELECT count(DISTINCT f.photo_id) FROM faces f WHERE f.person_id = p.id
                      AND f.status <> 'rejected')
        FROM people p WHERE p.library_id = $1""",
}


def _url(photos: int) -> str:
    server = (os.environ.get("PHOTONIX_TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
              or "postgresql://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path=f"/photonix_scale_{photos}"))


async def _timed(call: Callable[[], Awaitable[Any]], runs: int) -> list[float]:
    await call()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        times.append((time.perf_counter() - started) * 1000)
    return times


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--recount", action="store_true", help="time the old recounts once")
    args = parser.parse_args()
    db = await Database.connect(_url(args.photos))
    try:
        library = await db.fetchval(
            "SELECT library_id FROM photos GROUP BY library_id ORDER BY count(*) DESC LIMIT 1")
        reads: dict[str, Callable[[], Awaitable[Any]]] = {
            "tags with counts": lambda: q.tag_counts(db, library, None),
            "cameras with counts": lambda: q.camera_counts(db, library),
            "lenses with counts": lambda: q.lens_counts(db, library),
            "whole library count": lambda: q.count_photos(db, library, PhotoFilter()),
            "library photoCount": lambda: libraries.photo_counts(db, [library]),
            "people": lambda: faces.people_of_library(db, library),
        }
        print(f"{'read':<24}{'p50 ms':>9}{'p95 ms':>9}{'recount ms':>12}")
        for name, call in reads.items():
            times = await _timed(call, args.runs)
            recount = "-"
            if args.recount and name in RECOUNTS:
                started = time.perf_counter()
                await db.fetch(RECOUNTS[name], library)
                recount = f"{(time.perf_counter() - started) * 1000:.0f}"
            print(f"{name:<24}{percentile(times, 50):>9.1f}{percentile(times, 95):>9.1f}"
                  f"{recount:>12}", flush=True)
    finally:
        await db.close()


if __name__ == "__main__":
    asyncio.run(main())
