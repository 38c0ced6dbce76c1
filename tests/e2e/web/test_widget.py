"""The embeddable gallery (issue 9) in Debian's Chromium, across two origins.

The host page is served from a second loopback address (``127.0.0.2``: another origin than
the photonix server on ``127.0.0.1``) and embeds the widget with the snippet that
``createShareLink`` returned, as a site owner would paste it.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from tests.e2e.web.conftest import Site, sign_in
from tests.e2e.web.photos import Shot, wall_clock

SHOTS = os.environ.get("PHOTONIX_SCREENSHOTS")  # a folder: save what the tests look at
BUDGET_GZIP = 35 * 1024
WAIT_MS = 30_000
CREATE = """mutation($l: ID!, $a: ID!, $o: [String!]) {
  createShareLink(libraryId: $l, albumId: $a, allowedOrigins: $o) {
    id token embedScript embedIframe } }"""
ADD = "mutation($a: ID!, $p: [ID!]!) { addToAlbum(albumId: $a, photoIds: $p) { id } }"
REMOVE = "mutation($a: ID!, $p: [ID!]!) { removeFromAlbum(albumId: $a, photoIds: $p) { id } }"
REVOKE = "mutation($id: ID!) { revokeShareLink(id: $id) }"


class HostSite:
    """Pages of a web site on another origin; ``pages[path] = html``."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(self.path.split("?")[0])
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write((body or "not found").encode())

            def log_message(self, *_args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
        self.origin = f"http://127.0.0.2:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def page(self, path: str, html: str) -> str:
        self.pages[path] = html
        return self.origin + path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def host() -> Iterator[HostSite]:
    site = HostSite()
    yield site
    site.close()


def host_page(snippet: str) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>A blog</title></head><body style="font-family:sans-serif">
<h1>Our garden</h1><p>Photos from the garden, live:</p>
{snippet}
<p id="after">Text after the gallery that must never move.</p></body></html>"""


def album(site: Site, name: str, photo_ids: list[str]) -> str:
    album_id = site.data("mutation($l: ID!, $n: String!) { createAlbum(libraryId: $l, "
                         "name: $n) { id } }", {"l": site.library_id, "n": name}
                         )["createAlbum"]["id"]
    site.data(ADD, {"a": album_id, "p": photo_ids})
    return album_id


def share(site: Site, album_id: str, origins: list[str]) -> dict[str, Any]:
    return site.data(CREATE, {"l": site.library_id, "a": album_id, "o": origins},
                     as_user="editor")["createShareLink"]


async def tile_ids(page: Any) -> set[str]:
    # Playwright's CSS locators pierce open shadow roots: these are the widget's tiles.
    return set(await page.locator("photonix-gallery [data-photo-id]").evaluate_all(
        "tiles => tiles.map(t => t.dataset.photoId)"))


async def wait_tiles(page: Any, expected: set[str]) -> None:
    await page.wait_for_function(
        """ids => {
             const root = document.querySelector('photonix-gallery')?.shadowRoot;
             if (!root) return false;
             const shown = [...root.querySelectorAll('[data-photo-id]')]
               .map(t => t.dataset.photoId);
             return shown.length === ids.length && ids.every(id => shown.includes(id));
           }""", arg=sorted(expected), timeout=WAIT_MS)


async def assert_accessible(page: Any, screen: str) -> None:
    """axe-core (it enters open shadow roots): no serious or critical violation."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page)
    serious = [f"{v['id']} ({v['impact']}): {v['help']} at "
               f"{[n['target'] for n in v['nodes']][:3]}"
               for v in results.response["violations"]
               if v.get("impact") in ("serious", "critical")]
    assert not serious, f"{screen}: " + "\n".join(serious)


def test_the_widget_fits_its_size_budget(webapp: Path) -> None:
    script = webapp / "embed" / "v1" / "photonix-gallery.js"
    size = len(gzip.compress(script.read_bytes(), compresslevel=9))
    assert size <= BUDGET_GZIP, f"{size} bytes gzipped > {BUDGET_GZIP}"


async def test_an_album_embedded_on_another_origin_updates_live(
        desktop: Any, site: Site, host: HostSite) -> None:
    ids = site.photo_ids()
    inside, outside = ids[:4], ids[4:]
    album_id = album(site, "Garden", inside)
    link = share(site, album_id, [host.origin])
    url = host.page("/garden.html", host_page(link["embedScript"]))
    page = await desktop.new_page()
    sockets: list[Any] = []
    page.on("websocket", lambda ws: sockets.append(ws))
    await page.goto(url)
    await wait_tiles(page, set(inside))
    after = await page.locator("#after").bounding_box()
    assert sockets and "/live" in sockets[0].url

    # A photo of the library put into the album appears without a reload...
    site.data(ADD, {"a": album_id, "p": [outside[0]]}, as_user="editor")
    await wait_tiles(page, {*inside, outside[0]})
    # ...and so does a new file dropped into the library, then added to the album.
    site.drop(Shot(wall_clock(2024, 6, 1, 9, 30)))
    new_ids = [i for i in site.photo_ids() if i not in ids]
    for _ in range(300):
        if new_ids:
            break
        await page.wait_for_timeout(100)
        new_ids = [i for i in site.photo_ids() if i not in ids]
    assert len(new_ids) == 1, "the dropped file was not imported"
    site.data(ADD, {"a": album_id, "p": new_ids}, as_user="editor")
    await wait_tiles(page, {*inside, outside[0], new_ids[0]})
    if SHOTS:
        await page.screenshot(path=str(Path(SHOTS) / "widget.png"))
    # The host page's content never moved (the widget's box has a fixed height).
    assert await page.locator("#after").bounding_box() == after
    # Nothing outside the album ever showed up; one taken out goes.
    assert not (await tile_ids(page)) & set(outside[1:])
    site.data(REMOVE, {"a": album_id, "p": [inside[0]]}, as_user="editor")
    await wait_tiles(page, {*inside[1:], outside[0], new_ids[0]})
    # A thumbnail outside the scope cannot be loaded with the token, from the page itself
    # (as an <img>, the way the widget loads them; one in scope can).
    load = """async ([server, token, id]) => await new Promise(done => {
                const img = new Image();
                img.onload = () => done('loaded');
                img.onerror = () => done('refused');
                img.src = `${server}/embed/v1/${token}/thumbnails/${id}/grid.webp`;
              })"""
    assert await page.evaluate(load, [site.url, link["token"], outside[1]]) == "refused"
    assert await page.evaluate(load, [site.url, link["token"], inside[1]]) == "loaded"

    # Revoking closes the socket at once and the widget says so (no reload, no retry).
    site.data(REVOKE, {"id": link["id"]}, as_user="editor")
    await page.locator("photonix-gallery").get_by_text(
        "These photos are no longer shared.").wait_for(timeout=WAIT_MS)
    assert await tile_ids(page) == set()
    assert sockets[-1].is_closed()
    await page.close()


async def test_a_site_not_on_the_allow_list_gets_nothing(
        desktop: Any, site: Site, host: HostSite) -> None:
    album_id = album(site, "Private", site.photo_ids()[:2])
    link = share(site, album_id, ["https://only-this.example"])
    page = await desktop.new_page()
    await page.goto(host.page("/other.html", host_page(link["embedScript"])))
    # Refused without CORS headers, the page cannot even read why: the widget just says
    # it could not load them.
    await page.locator("photonix-gallery").get_by_text(
        "The photos could not be loaded.").wait_for(timeout=WAIT_MS)
    assert await tile_ids(page) == set()
    read = await page.evaluate(
        """url => fetch(url).then(r => r.status, () => 'blocked')""",
        f"{site.url}/embed/v1/{link['token']}/photos")
    assert read == "blocked"
    # The socket is refused too (the widget never tries once the list was refused).
    opened = await page.evaluate(
        """url => new Promise(done => { const ws = new WebSocket(url);
             ws.onopen = () => done(true); ws.onerror = () => done(false); })""",
        site.url.replace("http", "ws") + f"/embed/v1/{link['token']}/live")
    assert opened is False
    # The iframe variant is refused by this parent (CSP frame-ancestors), and allowed where listed.
    async with page.expect_console_message(
            lambda m: "frame-ancestors" in m.text, timeout=WAIT_MS) as refusal:
        await page.goto(host.page("/framed.html", host_page(link["embedIframe"])))
    assert "has been blocked" in (await refusal.value).text
    assert await page.frame_locator("iframe").locator("photonix-gallery").count() == 0
    await page.close()


async def test_the_iframe_variant_shows_the_album_where_allowed(
        desktop: Any, site: Site, host: HostSite) -> None:
    inside = site.photo_ids()[:3]
    link = share(site, album(site, "Framed", inside), [host.origin])
    page = await desktop.new_page()
    await page.goto(host.page("/iframe.html", host_page(link["embedIframe"])))
    frame = page.frame_locator("iframe")
    await frame.locator("photonix-gallery [data-photo-id]").first.wait_for(timeout=WAIT_MS)
    shown = set(await frame.locator("photonix-gallery [data-photo-id]").evaluate_all(
        "tiles => tiles.map(t => t.dataset.photoId)"))
    assert shown == set(inside)
    await page.close()


async def test_the_widget_is_accessible_inside_its_shadow_root(
        phone: Any, site: Site, host: HostSite) -> None:
    inside = site.photo_ids()[:5]
    link = share(site, album(site, "Axe", inside), [host.origin])
    page = await phone.new_page()
    await page.goto(host.page("/axe.html", host_page(link["embedScript"])))
    await wait_tiles(page, set(inside))
    for screen in ("grid", "lightbox"):
        if screen == "lightbox":
            await page.locator("photonix-gallery [data-photo-id]").first.click()
            await page.locator("photonix-gallery [role=dialog]").wait_for(timeout=WAIT_MS)
            if SHOTS:
                await page.screenshot(path=str(Path(SHOTS) / "widget-lightbox.png"))
        await assert_accessible(page, screen)
    await page.close()




async def test_the_share_page_shows_the_album_on_a_phone(phone: Any, site: Site) -> None:
    inside = site.photo_ids()[:6]
    link = share(site, album(site, "Holiday", inside), [])
    page = await phone.new_page()
    await page.goto(f"{site.url}/s/{link['token']}")
    await page.get_by_role("heading", name="Holiday").wait_for(timeout=WAIT_MS)
    await wait_tiles(page, set(inside))
    if SHOTS:
        await page.screenshot(path=str(Path(SHOTS) / "share-page.png"))
    await page.locator("photonix-gallery [data-photo-id]").first.click()
    dialog = page.locator("photonix-gallery [role=dialog]")
    await dialog.wait_for(timeout=WAIT_MS)
    await page.keyboard.press("Escape")
    await dialog.wait_for(state="detached", timeout=WAIT_MS)
    await page.close()


async def test_editors_share_an_album_from_the_app(phone: Any, site: Site) -> None:
    inside = site.photo_ids()[:2]
    album(site, "Birthday", inside)
    page = await phone.new_page()
    await sign_in(page, site, "editor")
    await page.evaluate("() => { history.pushState({}, '', '/share');"
                        " dispatchEvent(new PopStateEvent('popstate')); }")
    await page.get_by_role("heading", name="Share & embed").wait_for(timeout=WAIT_MS)
    await page.get_by_label("What to share").select_option(label="Birthday (2)")
    await page.get_by_label("Location").check()
    await page.get_by_role("button", name="Create link").click()
    snippet = page.get_by_label("Embed (script)")
    await snippet.wait_for(timeout=WAIT_MS)
    assert '<photonix-gallery server="' in await snippet.input_value()
    await wait_tiles(page, set(inside))  # the live preview is the real widget
    if SHOTS:
        await page.screenshot(path=str(Path(SHOTS) / "share-screen.png"), full_page=True)
    await assert_accessible(page, "share screen")
    page.on("dialog", lambda d: asyncio.ensure_future(d.accept()))
    await page.get_by_role("button", name="Revoke").first.click()
    await page.get_by_text("revoked").first.wait_for(timeout=WAIT_MS)
    await page.close()


async def test_the_widget_connects_only_once_it_is_on_screen(desktop: Any, site: Site,
                                                             host: HostSite) -> None:
    inside = site.photo_ids()[:3]
    link = share(site, album(site, "Below the fold", inside), [host.origin])
    html = host_page('<div style="height:3000px">Long article</div>' + link["embedScript"])
    page = await desktop.new_page()
    sockets: list[Any] = []
    page.on("websocket", lambda ws: sockets.append(ws))
    await page.goto(host.page("/long.html", html))
    await wait_tiles(page, set(inside))  # the list is read; the socket waits for the eyes
    assert sockets == []
    async with page.expect_websocket(timeout=WAIT_MS) as opened:
        await page.locator("#after").scroll_into_view_if_needed()
    assert "/live" in (await opened.value).url
    await page.close()


BLOCKED_SOCKETS = """
// As behind a proxy that drops WebSocket upgrades: every socket fails before it opens.
window.WebSocket = class extends EventTarget {
  constructor(url) { super(); this.url = url; setTimeout(() => this.onclose?.({ code: 1006 }), 5); }
  close() {}
};
"""


async def test_blocked_sockets_fall_back_to_gentle_polling(desktop: Any, site: Site,
                                                           host: HostSite) -> None:
    inside = site.photo_ids()[:2]
    link = share(site, album(site, "No sockets", inside), [host.origin])
    page = await desktop.new_page()
    await page.add_init_script(BLOCKED_SOCKETS)
    await page.goto(host.page("/blocked.html", host_page(link["embedScript"])))
    await wait_tiles(page, set(inside))
    await page.locator("photonix-gallery").get_by_text("Live updates paused").wait_for(
        timeout=WAIT_MS)
    await page.close()


async def test_a_hidden_tab_lets_go_of_its_socket(desktop: Any, site: Site,
                                                  host: HostSite) -> None:
    inside = site.photo_ids()[:2]
    link = share(site, album(site, "Hidden tab", inside), [host.origin])
    page = await desktop.new_page()
    async with page.expect_websocket(timeout=WAIT_MS) as opened:
        await page.goto(host.page("/hidden.html", host_page(link["embedScript"])))
    socket = await opened.value
    # Headless Chromium never hides a tab; say so the way a browser does when one is hidden.
    hide = """hidden => { Object.defineProperty(document, 'hidden', { value: hidden,
                                                                 configurable: true });
                          document.dispatchEvent(new Event('visibilitychange')); }"""
    await page.evaluate(hide, True)
    await socket.wait_for_event("close", timeout=WAIT_MS)
    async with page.expect_websocket(timeout=WAIT_MS):
        await page.evaluate(hide, False)  # shown again: back on line
    await page.close()


async def test_new_photos_above_a_scrolled_widget_show_a_pill_and_keep_the_rows_in_view(
        desktop: Any, site: Site, host: HostSite) -> None:
    ids = site.photo_ids()  # newest first: ids[0] will sort above the album's photos
    album_id = album(site, "Scrolled", ids[1:13])
    link = share(site, album_id, [host.origin])
    snippet = link["embedScript"].replace("></photonix-gallery>", ' rows="1"></photonix-gallery>')
    page = await desktop.new_page()
    await page.goto(host.page("/scrolled.html", host_page(snippet)))
    await wait_tiles(page, set(ids[1:13]))
    # Scroll inside the widget, then note where the tile at the top of its box is on screen.
    watched = await page.evaluate("""() => {
        const root = document.querySelector('photonix-gallery').shadowRoot;
        const box = root.querySelector('.scroller');
        box.scrollTop = box.scrollHeight / 2;
        const top = box.getBoundingClientRect().top;
        const tile = [...root.querySelectorAll('[data-photo-id]')]
          .find(t => t.getBoundingClientRect().bottom > top + 1);
        return tile.dataset.photoId;
    }""")
    tile = page.locator(f'photonix-gallery [data-photo-id="{watched}"]')
    before = await tile.bounding_box()
    site.data(ADD, {"a": album_id, "p": [ids[0]]}, as_user="editor")
    pill = page.locator("photonix-gallery").get_by_role("button", name="1 new")
    await pill.wait_for(timeout=WAIT_MS)
    await wait_tiles(page, set(ids[:13]))
    # Inserted above: the rows in view stay at their height on screen (the justified rows
    # re-flow sideways, as a justified grid does when a photo joins).
    after = await tile.bounding_box()
    assert after is not None and before is not None
    assert abs(after["y"] - before["y"]) <= 1
    await pill.click()
    await pill.wait_for(state="detached", timeout=WAIT_MS)
    await page.locator(f'photonix-gallery [data-photo-id="{ids[0]}"]').wait_for(
        timeout=WAIT_MS)
    await page.close()


async def test_search_results_are_shared_from_their_share_action(desktop: Any, site: Site,
                                                                 host: HostSite) -> None:
    cameras = site.data("query($l: ID!) { cameras(libraryId: $l) { camera { id make } } }",
                        {"l": site.library_id})["cameras"]
    canon = next(c["camera"]["id"] for c in cameras if c["camera"]["make"] == "Canon")
    page = await desktop.new_page()
    await sign_in(page, site, "editor")
    await page.goto(f"{site.url}/search?camera={canon}:Canon")
    await page.locator("[data-photo-id]").first.wait_for(timeout=WAIT_MS)
    if SHOTS:
        await page.screenshot(path=str(Path(SHOTS) / "search-share-action.png"))
    await page.get_by_role("button", name="Share these results").click()
    await page.get_by_role("heading", name="Share & embed").wait_for(timeout=WAIT_MS)
    query = await page.evaluate("() => [location.pathname, new URLSearchParams("
                                "location.search).get('filter')]")
    assert query[0] == "/share"
    assert json.loads(query[1]) == {"cameraId": canon}  # the search's PhotoFilter, as is
    # The choice is made once the screen has read the library's albums.
    await expect(page.get_by_label("What to share")).to_have_value("search",
                                                                  timeout=WAIT_MS)
    await page.get_by_role("button", name="Create link").click()
    snippet = page.get_by_label("Embed (script)")
    await snippet.wait_for(timeout=WAIT_MS)
    embed = await snippet.input_value()
    await page.close()
    expected = set(site.photo_ids({"cameraId": canon}))
    assert expected and len(expected) < len(site.photo_ids())  # a real narrowing
    visitor = await desktop.new_page()
    await visitor.goto(host.page("/search-share.html", host_page(embed)))
    await wait_tiles(visitor, expected)  # exactly the search's photos, no other
    await visitor.close()
