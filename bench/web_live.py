"""From a file closing in a watched folder to its thumbnail painted in a phone's browser.

    python bench/web_live.py              # 30 drops, then first paint with 100,000 photos
    python bench/web_live.py --drops 10 --library 0

A real server (``python -m photonix_rt serve``) on a fresh database, Debian's Chromium at the
Pixel 7 profile signed in to the timeline. Photos are written into the watched folder one by
one; for each, the page records (an init script: a MutationObserver plus ``img.decode()``)
the wall-clock moment its tile's image was decoded, and the server's own figure is the
moment the photo's row was committed (``createdAt``), both measured from the moment the
file was closed. Also printed: the JavaScript the page loaded before the timeline's first
tile was painted (bytes on the wire and gzip -9), Lighthouse's mobile scores on the signed-in
timeline, and the time to the first painted tile with a large library (photos inserted in SQL,
no thumbnails: the placeholder is what paints).

Goal (issue 7): file closed -> painted p95 <= 0.5 s (bar: 1 s).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from live_common import percentile  # noqa: E402

from tests.e2e.serve_process import scratch_database  # noqa: E402
from tests.e2e.web.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORDS,
    Site,
    start_site,
)
from tests.e2e.web.lighthouse import LIGHTHOUSE, lighthouse_timeline, scores  # noqa: E402
from tests.e2e.web.photos import Shot, wall_clock, write_jpeg  # noqa: E402

PAINT_RECORDER = """
window.__painted = {};
new MutationObserver(records => {
  for (const record of records) for (const node of record.addedNodes) {
    if (!(node instanceof Element)) continue;
    const tiles = node.matches('[data-photo-id]') ? [node]
      : [...node.querySelectorAll('[data-photo-id]')];
    for (const tile of tiles) {
      const id = tile.dataset.photoId;
      const img = tile.querySelector('img');
      if (!img || id in window.__painted) continue;
      window.__painted[id] = null;
      const done = () => { window.__painted[id] = performance.timeOrigin + performance.now(); };
      (img.complete && img.naturalWidth ? Promise.resolve() : img.decode()).then(done, done);
    }
  }
}).observe(document, { childList: true, subtree: true });
"""


def _server_url() -> str:
    return (os.environ.get("PHOTONIX_TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
            or "postgresql://postgres@127.0.0.1:5432/postgres")


async def sign_in(page: Any, site: Site) -> None:
    await page.goto(site.url + "/")
    await page.get_by_label("Username").fill("admin")
    await page.get_by_label("Password").fill(PASSWORDS["admin"])
    await page.get_by_role("button", name="Sign in").click()
    await page.locator("[data-photo-id] img").first.wait_for(timeout=60_000)


async def measure_drops(page: Any, site: Site, drops: int) -> tuple[list[float], list[float]]:
    painted_s: list[float] = []
    committed_s: list[float] = []
    staging = site.folder.parent / "staging"
    for i in range(drops):
        known = set(site.photo_ids())
        shot = Shot(wall_clock(2025, 6, 1, 12, 0) + timedelta(minutes=i))
        part = write_jpeg(staging / f"live-{i:03}.jpg", shot, seed=50_000 + i)
        target = site.folder / "live" / part.name
        target.parent.mkdir(exist_ok=True)
        os.rename(part, target)  # the file closes (appears complete) in the folder now
        closed = time.time()
        photo_id = None
        for _ in range(200):
            fresh = [p for p in await asyncio.to_thread(site.photo_ids) if p not in known]
            if fresh:
                photo_id = fresh[0]
                break
            await asyncio.sleep(0.05)
        assert photo_id, f"drop {i} was not imported"
        stamp = None
        for _ in range(400):
            stamp = await page.evaluate("id => window.__painted[id] || null", photo_id)
            if stamp:
                break
            await asyncio.sleep(0.025)
        assert stamp, f"drop {i} was never painted"
        painted_s.append(stamp / 1000 - closed)
        created = site.data("query($p: ID!) { photo(id: $p) { createdAt } }",
                            {"p": photo_id})["photo"]["createdAt"]
        committed_s.append(datetime.fromisoformat(created).timestamp() - closed)
        await asyncio.sleep(0.3)
    return painted_s, committed_s


async def first_paint(browser: Any, devices: dict[str, Any], site: Site) -> tuple[float, int,
                                                                                   int]:
    """(seconds to the first painted tile, JS bytes on the wire, JS bytes gzip -9)."""
    context = await browser.new_context(**devices["Pixel 7"])
    page = await context.new_page()
    await sign_in(page, site)  # stores the session; the measured load starts signed in
    scripts: dict[str, int] = {}

    async def on_response(response: Any) -> None:
        if response.url.endswith(".js") or ".js?" in response.url:
            try:
                scripts[response.url] = len(await response.body())
            except Exception:  # noqa: BLE001 (a body gone with its page is not counted)
                scripts[response.url] = 0
    page.on("response", on_response)
    started = time.perf_counter()
    await page.goto(site.url + "/")
    await page.wait_for_function(
        "() => [...document.querySelectorAll('[data-photo-id] img')]"
        ".some(img => img.complete && img.naturalWidth)", timeout=120_000)
    elapsed = time.perf_counter() - started
    await asyncio.sleep(0.5)
    gz = 0
    for url in scripts:
        path = ROOT / "photonix_rt" / "webapp" / urlsplit(url).path.lstrip("/")
        if path.is_file():
            gz += len(gzip.compress(path.read_bytes(), 9))
    await context.close()
    return elapsed, sum(scripts.values()), gz


async def grow_library(site: Site, count: int) -> None:
    """``count`` more photos straight into the database (no files, no thumbnails)."""
    conn = await asyncpg.connect(site.database_url)
    try:
        await conn.execute("""
            INSERT INTO photos (library_id, content_hash, taken_at, taken_at_local, width,
                                height, placeholder)
            SELECT $1::uuid, sha256(int8send(i) || 'weblive'::bytea),
                   timestamptz '2000-01-01 00:00+00' + i * interval '37 minutes',
                   timestamp '2000-01-01 00:00' + i * interval '37 minutes',
                   CASE WHEN i % 3 = 0 THEN 3000 ELSE 4000 END,
                   CASE WHEN i % 3 = 0 THEN 4000 ELSE 3000 END,
                   '3OcRJYB4d3h/iIN+hXiICAAAAAAAAAAAAAAA'
            FROM generate_series(1, $2::bigint) i
        """, site.library_id, count)
        await conn.execute("ANALYZE photos")
    finally:
        await conn.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drops", type=int, default=30)
    parser.add_argument("--library", type=int, default=100_000,
                        help="photos for the first-paint figure (0: skip)")
    args = parser.parse_args()
    from playwright.async_api import async_playwright

    async with scratch_database(_server_url(), "photonix_weblive") as database_url:
        with tempfile.TemporaryDirectory(prefix="photonix-weblive-") as tmp:
            site = await start_site(Path(tmp), database_url)
            try:
                async with async_playwright() as api:
                    browser = await api.chromium.launch(executable_path=str(CHROMIUM),
                                                        args=CHROMIUM_ARGS)
                    context = await browser.new_context(**api.devices["Pixel 7"])
                    await context.add_init_script(PAINT_RECORDER)
                    page = await context.new_page()
                    await sign_in(page, site)
                    painted, committed = await measure_drops(page, site, args.drops)
                    print(f"\nfile closed -> row committed (server): p50 "
                          f"{percentile(committed, 50) * 1000:6.0f} ms  p95 "
                          f"{percentile(committed, 95) * 1000:6.0f} ms")
                    print(f"file closed -> tile painted (phone):   p50 "
                          f"{percentile(painted, 50) * 1000:6.0f} ms  p95 "
                          f"{percentile(painted, 95) * 1000:6.0f} ms  ({len(painted)} drops;"
                          " goal p95 <= 500 ms)")
                    seconds, wire, gz = await first_paint(browser, api.devices, site)
                    print(f"first timeline paint, {len(site.photo_ids())} photos: "
                          f"{seconds * 1000:.0f} ms; JS loaded before it: {wire / 1024:.1f} KB"
                          f" ({gz / 1024:.1f} KB gzip -9; goal <= 60 KB)")
                    if LIGHTHOUSE.exists():
                        figures = scores(await lighthouse_timeline(api, site))
                        print("Lighthouse mobile (timeline, signed in): performance "
                              f"{figures['performance']:.2f}, accessibility "
                              f"{figures['accessibility']:.2f}, best practices "
                              f"{figures['best-practices']:.2f}, CLS {figures['cls']:.3f}, "
                              f"LCP {figures['lcp_ms']:.0f} ms (simulated slow 4G)")
                    else:
                        print("Lighthouse: not measured (npm ci in web/ installs it)")
                    if args.library:
                        await grow_library(site, args.library)
                        seconds, _, _ = await first_paint(browser, api.devices, site)
                        print(f"first timeline paint, +{args.library:,} photos: "
                              f"{seconds * 1000:.0f} ms")
                    await browser.close()
            finally:
                await site.server.stop()


if __name__ == "__main__":
    asyncio.run(main())
