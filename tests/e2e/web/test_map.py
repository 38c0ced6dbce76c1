"""The Map screen in a real browser with no internet: MapLibre draws the build-time country
shapes, the GPS fixtures (Arezzo, Italy) cluster into a button that names its country, a photo
placed in Chukotka (east of the antimeridian) lands in Russia, a tap opens the cluster's photos
in a bottom sheet, and every request the page makes goes to our own server.

With an online background set by an admin in Settings (a tile server of the test's own on
127.0.0.1, over HTTPS with a throw-away certificate), the map asks that server for its tiles
and shows its attribution; other users see no Map section in Settings.
"""

from __future__ import annotations

import http.server
import io
import json
import os
import re
import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar
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
async def webgl_browser(playwright_api: Any) -> AsyncIterator[Any]:
    """A Chromium that may use WebGL (SwiftShader, no GPU needed)."""
    args = [a for a in CHROMIUM_ARGS if a != "--disable-gpu"]
    browser = await playwright_api.chromium.launch(
        executable_path=str(CHROMIUM), args=[*args, "--use-angle=swiftshader",
                                             "--enable-unsafe-swiftshader"])
    yield browser
    await browser.close()


@pytest_asyncio.fixture(loop_scope="session")
async def webgl_phone(playwright_api: Any, webgl_browser: Any) -> AsyncIterator[Any]:
    """The phone profile with WebGL."""
    context = await webgl_browser.new_context(**playwright_api.devices["Pixel 7"])
    yield context
    await context.close()


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
    russia = page.locator('.map-cluster[data-country="Russia"]')
    assert await russia.count() == 1
    # Framed the short way round (173° east across Asia, not 187° west across the Atlantic):
    # Chukotka lies right of Italy, and both are on the screen (a phone's tall map cannot zoom
    # out further than a world as high as itself, so they sit near its edges).
    width = page.viewport_size["width"]
    italy_box, russia_box = await italy.first.bounding_box(), await russia.bounding_box()
    italy_x = italy_box["x"] + italy_box["width"] / 2
    russia_x = russia_box["x"] + russia_box["width"] / 2
    assert 0 < italy_x < russia_x < width, (italy_box, russia_box)
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



TILE_ATTRIBUTION = "Test tiles © Example & Co"
TILE_PATH = re.compile(r"/tiles/\d+/\d+/\d+\.png")


@dataclass
class TileServer:
    url: str  # https://127.0.0.1:PORT
    asked: list[str]  # the paths it was asked for


class _TileHandler(http.server.BaseHTTPRequestHandler):
    """One 256 px PNG for every /tiles/z/x/y.png; remembers what it was asked for."""

    png = b""
    asked: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.asked.append(self.path)
        if self.path == "/style.json":  # a MapLibre style drawing this server's tiles
            tiles = f"https://{self.headers['Host']}/tiles/{{z}}/{{x}}/{{y}}.png"
            style = {"version": 8, "sources": {"base": {"type": "raster", "tiles": [tiles],
                                                        "tileSize": 256}},
                     "layers": [{"id": "base", "type": "raster", "source": "base"}]}
            self._send("application/json", json.dumps(style).encode())
        elif TILE_PATH.fullmatch(self.path):
            self._send("image/png", self.png)
        else:
            self.send_error(404)

    def _send(self, content_type: str, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")  # as public tile servers do
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture
def tile_server(tmp_path: Path) -> Iterator[TileServer]:
    """A tile server in a thread on 127.0.0.1, over HTTPS with a self-signed certificate."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    tile = io.BytesIO()
    Image.new("RGB", (256, 256), (90, 160, 90)).save(tile, "PNG")
    asked: list[str] = []
    handler = type("Tiles", (_TileHandler,), {"png": tile.getvalue(), "asked": asked})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield TileServer(f"https://127.0.0.1:{server.server_address[1]}", asked)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


async def test_an_online_background_set_in_settings_draws_its_tiles_with_attribution(
        playwright_api: Any, webgl_browser: Any, map_site: Site,
        tile_server: TileServer) -> None:
    site = map_site
    own = urlsplit(site.url).netloc
    tiles = urlsplit(tile_server.url).netloc
    phone = playwright_api.devices["Pixel 7"]
    viewer = await webgl_browser.new_context(**phone)
    context = await webgl_browser.new_context(**phone, ignore_https_errors=True)
    try:
        # A viewer's Settings have no Map section, and the server refuses them anyway.
        page = await viewer.new_page()
        await sign_in(page, site, "viewer")
        await page.goto(site.url + "/settings")
        await page.get_by_role("heading", name="Settings").wait_for(timeout=30_000)
        await page.get_by_role("heading", name="Account").wait_for()
        assert await page.get_by_role("heading", name="Map").count() == 0
        refused = site.graphql(
            'mutation { setMapTileSource(url: "https://example.org/{z}/{x}/{y}.png",'
            ' attribution: "x") { url } }', token=site.tokens["viewer"])
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

        # The admin turns it on in Settings.
        page = await context.new_page()
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        await sign_in(page, site, "admin")
        await page.goto(site.url + "/settings")
        section = page.get_by_role("region", name="Map")
        await section.get_by_text("Offline").wait_for(timeout=30_000)
        await section.get_by_label("Online tile or style URL").fill(
            tile_server.url + "/tiles/{z}/{x}/{y}.png")
        await section.get_by_label("Attribution").fill(TILE_ATTRIBUTION)
        await section.get_by_role("button", name="Use online map").click()
        await page.get_by_text("The map uses the online tiles").wait_for(timeout=10_000)
        await section.get_by_text(f"Online: tiles from {tile_server.url}").wait_for()
        assert site.data("{ mapTileSource { url } }")["mapTileSource"]["url"] == \
            tile_server.url + "/tiles/{z}/{x}/{y}.png"
        await section.scroll_into_view_if_needed()
        await check(page, "map-online-setting")

        # The map (this page's policy predates the setting: it loads again by itself, once).
        await page.get_by_role("navigation", name="Main").get_by_role("link", name="Map").click()
        await page.wait_for_url(re.compile(r"/map$"))
        attribution = page.locator(".maplibregl-ctrl-attrib-inner")
        await attribution.get_by_text(TILE_ATTRIBUTION).wait_for(timeout=60_000)
        await page.locator('.map-cluster[data-country="Italy"]').first.wait_for(timeout=60_000)
        # Asked again once the map has settled: the page may have reloaded itself meanwhile.
        await attribution.get_by_text(TILE_ATTRIBUTION).wait_for(state="visible",
                                                                timeout=30_000)
        deadline = time.monotonic() + 60
        while not any(TILE_PATH.fullmatch(p) for p in tile_server.asked):
            assert time.monotonic() < deadline, (tile_server.asked, requested[-20:])
            await page.wait_for_timeout(200)
        assert all(TILE_PATH.fullmatch(p) for p in tile_server.asked), tile_server.asked
        # Nothing else leaves the machine: our server and the chosen tile server only.
        outside = sorted({urlsplit(u).netloc or urlsplit(u).scheme for u in requested}
                         - {own, tiles, "data", "blob"})
        assert not outside, outside
        assert not errors, errors
        await check(page, "map-online")
    finally:
        await viewer.close()
        await context.close()
        site.data("mutation { clearMapTileSource }")


async def test_an_online_style_draws_its_tiles_and_a_broken_one_falls_back_offline(
        playwright_api: Any, webgl_browser: Any, map_site: Site,
        tile_server: TileServer) -> None:
    site = map_site
    set_source = """mutation($u: String!, $a: String!) { setMapTileSource(url: $u,
      attribution: $a) { kind } }"""
    kind = site.data(set_source, {"u": tile_server.url + "/style.json",
                                  "a": TILE_ATTRIBUTION})["setMapTileSource"]["kind"]
    assert kind == "STYLE"
    context = await webgl_browser.new_context(**playwright_api.devices["Pixel 7"],
                                              ignore_https_errors=True)
    try:
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        await sign_in(page, site, "viewer")
        await page.goto(site.url + "/map")
        attribution = page.locator(".maplibregl-ctrl-attrib-inner")
        await attribution.get_by_text(TILE_ATTRIBUTION).wait_for(timeout=60_000)
        # The photos are drawn over the style's own layers.
        await page.locator('.map-cluster[data-country="Italy"]').first.wait_for(timeout=60_000)
        deadline = time.monotonic() + 60
        while not any(TILE_PATH.fullmatch(p) for p in tile_server.asked):
            assert time.monotonic() < deadline, tile_server.asked
            await page.wait_for_timeout(200)
        assert tile_server.asked[0] == "/style.json", tile_server.asked[:3]

        # A style that cannot be had leaves the offline map, and says so.
        site.data(set_source, {"u": tile_server.url + "/gone.json", "a": TILE_ATTRIBUTION})
        await page.reload()
        await page.get_by_text("The online map could not be loaded").wait_for(timeout=60_000)
        await page.locator('.map-cluster[data-country="Italy"]').first.wait_for(timeout=60_000)
        assert "/gone.json" in tile_server.asked
        assert not errors, errors
    finally:
        await context.close()
        site.data("mutation { clearMapTileSource }")
