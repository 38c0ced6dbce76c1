"""A library of 5,000 photos: the timeline keeps a bounded number of tiles in the DOM while
scrolling to the oldest month (a windowed grid, not one element per photo)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import pytest_asyncio

from tests.e2e.web.conftest import Site, sign_in, start_site

pytestmark = pytest.mark.slow
EXTRA = 5000
MAX_TILES = 600  # a few screens' worth at the densest layout; 5,000 would mean no windowing


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def big_site(webapp: Path, fresh_database: str,
                   tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Site]:
    site = await start_site(tmp_path_factory.mktemp("big"), fresh_database)
    conn = await asyncpg.connect(site.database_url)
    try:  # rows only (no files, no thumbnails): the placeholder is what each tile draws
        await conn.execute("""
            INSERT INTO photos (library_id, content_hash, taken_at, taken_at_local, width,
                                height, placeholder)
            SELECT $1::uuid, sha256(int8send(i) || 'e2e-big'::bytea),
                   timestamptz '2010-01-01 00:00+00' + i * interval '97 minutes',
                   timestamp '2010-01-01 00:00' + i * interval '97 minutes',
                   CASE WHEN i % 3 = 0 THEN 3000 ELSE 4000 END,
                   CASE WHEN i % 3 = 0 THEN 4000 ELSE 3000 END,
                   '3OcRJYB4d3h/iIN+hXiICAAAAAAAAAAAAAAA'
            FROM generate_series(1, $2::int) i""", site.library_id, EXTRA)
    finally:
        await conn.close()
    yield site
    assert await site.server.stop() == 0


async def test_tiles_in_the_dom_stay_bounded_down_to_the_oldest_month(
        phone: Any, big_site: Site) -> None:
    page = await phone.new_page()
    await sign_in(page, big_site)
    most = 0
    for _ in range(400):
        state = await page.evaluate("""() => {
            let el = window.__timelineScroller || document.querySelector('[data-photo-id]');
            while (el && !(el.scrollHeight > el.clientHeight
                           && /(auto|scroll)/.test(getComputedStyle(el).overflowY))) {
              el = el.parentElement; }
            window.__timelineScroller = el;  // tiles come and go; the scroller stays
            el.scrollBy(0, el.clientHeight * 2);
            return {tiles: document.querySelectorAll('[data-photo-id]').length,
                    end: el.scrollTop + el.clientHeight >= el.scrollHeight - 2}; }""")
        most = max(most, state["tiles"])
        if state["end"]:
            break
        await asyncio.sleep(0.1)
    assert state["end"], "never reached the end of the timeline"
    await asyncio.sleep(1)
    text = await page.evaluate("() => document.body.innerText")
    assert "2010" in text, "the oldest month (January 2010) is not shown at the end"
    assert 0 < most <= MAX_TILES, f"{most} tiles in the DOM at once"
