"""The Map screen in a real browser with no internet: MapLibre draws the build-time country
shapes, the GPS fixtures (Arezzo, Italy) cluster into a button that names its country, a photo
placed in Chukotka (east of the antimeridian) lands in Russia, a tap opens the cluster's photos
in a bottom sheet, and every request the page makes goes to our own server.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from fractions import Fraction
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from PIL import ExifTags, Image

from tests.e2e.web.conftest import CHROMIUM, CHROMIUM_ARGS, Site, sign_in, start_site
from tests.e2e.web.test_accessibility import check

pytestmark = pytest.mark.slow
ITALY = 9  # the GPS fixtures, all taken around Arezzo


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = Fraction(round(((value - degrees) * 60 - minutes) * 60 * 100), 100)
    return Fraction(degrees), Fraction(minutes), seconds


def _jpeg_at(path: Path, lat: float, lon: float) -> None:
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N" if lat >= 0 else "S"
    gps[ExifTags.GPS.GPSLatitude] = _dms(abs(lat))
    gps[ExifTags.GPS.GPSLongitudeRef] = "E" if lon >= 0 else "W"
    gps[ExifTags.GPS.GPSLongitude] = _dms(abs(lon))
    exif[ExifTags.Base.DateTime] = "2023:07:01 10:00:00"
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (640, 480), (40, 90, 160)).save(path, "JPEG", exif=exif)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def map_site(webapp: Path, fresh_database: str,
                   tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Site]:
    gps = Path(os.environ.get("PHOTONIX_FIXTURES", "/work/shared/fixtures")) / "exif-samples" \
        / "jpg" / "gps"
    files = sorted(gps.glob("DSCN*.jpg"))
    if len(files) != ITALY:
        pytest.skip(f"GPS fixtures missing in {gps}")
    tmp = tmp_path_factory.mktemp("map")
    for file in files:
        target = tmp / "library" / "gps" / file.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(file, target)
    _jpeg_at(tmp / "library" / "far" / "chukotka.jpg", 67.0, -175.0)
    site = await start_site(tmp, fresh_database, shots=list)
    yield site
    await site.server.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def webgl_phone(playwright_api: Any) -> AsyncIterator[Any]:
    """The phone profile in a Chromium that may use WebGL (SwiftShader, no GPU needed)."""
    args = [a for a in CHROMIUM_ARGS if a != "--disable-gpu"]
    browser = await playwright_api.chromium.launch(
        executable_path=str(CHROMIUM), args=[*args, "--use-angle=swiftshader",
                                             "--enable-unsafe-swiftshader"])
    context = await browser.new_context(**playwright_api.devices["Pixel 7"])
    yield context
    await context.close()
    await browser.close()


async def test_the_map_draws_offline_and_a_cluster_opens_its_photos(
        webgl_phone: Any, map_site: Site) -> None:
    site = map_site
    own = urlsplit(site.url).netloc
    hosts: list[str] = []
    page = await webgl_phone.new_page()
    page.on("request", lambda r: hosts.append(urlsplit(r.url).netloc or urlsplit(r.url).scheme))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    await sign_in(page, site, "viewer")
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Map").click()
    await page.wait_for_url(re.compile(r"/map$"))

    italy = page.locator('.map-cluster[data-country="Italy"]')
    await italy.first.wait_for(timeout=60_000)
    counts = [int(c) for c in await italy.evaluate_all("els => els.map(e => e.dataset.count)")]
    assert sum(counts) == ITALY, counts
    # The photo east of the antimeridian is in Russia (a stitched ring would misplace it).
    assert await page.locator('.map-cluster[data-country="Russia"]').count() == 1
    await check(page, "map")

    await italy.first.click()
    sheet = page.get_by_role("dialog")
    await sheet.locator("[data-photo-id]").first.wait_for(timeout=30_000)
    shown = await sheet.locator("[data-photo-id]").count()
    assert shown == counts[0]
    await check(page, "map-cluster")
    # A photo of the sheet opens in the viewer over the map.
    await sheet.locator("[data-photo-id]").first.click()
    await page.wait_for_url(re.compile(r"/photos/"))
    await page.get_by_role("button", name="Info").wait_for(timeout=30_000)

    outside = sorted({h for h in hosts if h not in (own, "data", "blob")})
    assert not outside, outside
    assert not errors, errors
