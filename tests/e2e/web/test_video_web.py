"""Videos in the web app on a phone (Pixel 7): a tile with the duration, playback in the
viewer from the original (Range), and a clear message for a codec the browser cannot play."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.e2e.web.conftest import Site, sign_in, start_site
from tests.e2e.web.photos import Shot, wall_clock
from tests.media_samples import make_video

pytestmark = pytest.mark.slow
LIVE_S = 60  # deadline for a dropped video to be imported (a failure bound, not a timing)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def site(webapp: Path, fresh_database: str,
               tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Site]:
    # Two seed photos are enough here: the videos are what is looked at.
    site = await start_site(tmp_path_factory.mktemp("video-site"), fresh_database,
                            lambda: [Shot(wall_clock(2024, 3, 1, 12, 0)),
                                     Shot(wall_clock(2024, 2, 1, 12, 0))])
    yield site
    status = await site.server.stop()
    assert status == 0, site.server.output()


async def drop_video(site: Site, name: str, **options: Any) -> str:
    """Encode a clip beside the watched folder, move it in (one rename), wait for its photo."""
    known = set(site.photo_ids())
    staging = site.folder.parent / "staging"
    staging.mkdir(exist_ok=True)
    clip = make_video(staging / name, **options)
    (site.folder / "videos").mkdir(exist_ok=True)
    os.replace(clip, site.folder / "videos" / name)
    for _ in range(LIVE_S * 4):
        new = set(site.photo_ids()) - known
        if new:
            return new.pop()
        await asyncio.sleep(0.25)
    raise AssertionError(f"{name} was not imported within {LIVE_S}s")


async def test_a_video_has_a_tile_with_its_duration_and_plays_in_the_viewer(
        phone: Any, site: Site) -> None:
    video_id = await drop_video(site, "wave.webm", size=(320, 240), seconds=3, fps=10,
                                codec="libvpx-vp9")
    page = await phone.new_page()
    await sign_in(page, site)
    tile = page.locator(f'[data-photo-id="{video_id}"]')
    await tile.wait_for(timeout=30_000)
    assert (await tile.locator(".duration").inner_text()).strip() == "0:03"
    await tile.screenshot(path=str(site.folder.parent / "video-tile.png"))
    await tile.click()
    video = page.locator("video")
    await video.wait_for(timeout=30_000)
    # The browser fetched the original and read its metadata: it can play it.
    duration = await page.wait_for_function(
        "() => { const v = document.querySelector('video');"
        " return v && v.readyState >= 1 && v.duration; }", timeout=30_000)
    assert abs(await duration.json_value() - 3.0) < 0.2
    assert "/originals/" in (await video.get_attribute("src") or "")
    await page.screenshot(path=str(site.folder.parent / "video-viewer.png"))


async def test_a_codec_the_browser_cannot_play_gets_a_message(phone: Any, site: Site) -> None:
    video_id = await drop_video(site, "phone.mov", size=(320, 240), seconds=2,
                                codec="libx265")
    page = await phone.new_page()
    await sign_in(page, site)
    await page.goto(f"{site.url}/photos/{video_id}")
    message = page.get_by_role("status").filter(has_text="cannot play")
    await message.wait_for(timeout=30_000)
    assert "HEVC" in await message.inner_text()
    assert await page.get_by_role("link", name="Download the original").count() == 1
