"""The web app in a real browser against a real server: sign in, the timeline, live arrival,
the viewer's permissions. Phone (Pixel 7) and desktop contexts; see conftest.py."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from tests.e2e.serve_process import ServerProcess
from tests.e2e.web.conftest import PASSWORDS, Site, sign_in
from tests.e2e.web.photos import Shot, wall_clock

pytestmark = pytest.mark.slow
LIVE_S = 60  # deadline for a dropped photo to show up (a failure bound, not a timing)


async def tile_ids_in_visual_order(page: Any) -> list[str]:
    """The ids of every tile in the DOM, top to bottom then left to right."""
    return await page.evaluate("""() => [...document.querySelectorAll('[data-photo-id]')]
        .map(el => ({id: el.dataset.photoId, r: el.getBoundingClientRect()}))
        .sort((a, b) => (a.r.top - b.r.top) || (a.r.left - b.r.left))
        .map(t => t.id)""")


SCROLL_TIMELINE = """dy => {
    let el = document.querySelector('[data-photo-id]');
    while (el && !(el.scrollHeight > el.clientHeight
                   && /(auto|scroll)/.test(getComputedStyle(el).overflowY))) {
      el = el.parentElement;
    }
    (el || document.scrollingElement).scrollBy(0, dy);
}"""


async def scroll_timeline(page: Any, dy: int) -> None:
    """Scroll the timeline's own scroller (whichever element that is) by ``dy`` pixels."""
    await page.evaluate(SCROLL_TIMELINE, dy)


async def test_sign_in_and_stay_signed_in_after_reload(phone: Any, site: Site) -> None:
    page = await phone.new_page()
    await sign_in(page, site)
    await page.reload()
    await page.locator("[data-photo-id]").first.wait_for(timeout=30_000)
    assert await page.get_by_role("button", name="Sign in").count() == 0


async def test_wrong_password_is_refused_with_a_message(phone: Any, site: Site) -> None:
    page = await phone.new_page()
    await page.goto(site.url + "/")
    await page.get_by_label("Username").fill("admin")
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("alert").wait_for(timeout=15_000)
    assert await page.locator("[data-photo-id]").count() == 0


async def test_timeline_shows_every_photo_in_date_order(desktop: Any, site: Site) -> None:
    page = await desktop.new_page()
    await sign_in(page, site)
    expected = site.photo_ids()

    async def scroll_through() -> list[str]:
        """Ids in the order they come into view while scrolling down the whole timeline."""
        seen: list[str] = []
        for _ in range(80):
            for photo_id in await tile_ids_in_visual_order(page):
                if photo_id not in seen:
                    seen.append(photo_id)
            if set(expected) <= set(seen):
                break
            await scroll_timeline(page, 500)
            await asyncio.sleep(0.3)
        return seen

    # The first pass loads every month (a month still loading while the next one is already
    # drawn would show its tiles late, out of order); the second reads the order.
    assert set(expected) <= set(await scroll_through())
    await scroll_timeline(page, -10**7)
    await asyncio.sleep(0.3)
    seen = await scroll_through()
    assert seen[:len(expected)] == expected


async def test_dropped_photo_appears_live_and_the_tile_on_screen_does_not_move(
        phone: Any, site: Site) -> None:
    page = await phone.new_page()
    await sign_in(page, site)
    # Scroll so that the newest month is above the viewport: an insertion there must be
    # compensated, so what the person is looking at stays put.
    await scroll_timeline(page, 900)
    await asyncio.sleep(0.5)
    anchor_id = await page.evaluate("""() => {
        const tiles = [...document.querySelectorAll('[data-photo-id]')].filter(el => {
          const r = el.getBoundingClientRect();
          return r.top > 80 && r.bottom < innerHeight - 80; });
        return tiles.length ? tiles[0].dataset.photoId : null; }""")
    assert anchor_id, "no tile fully on screen after scrolling"
    anchor = page.locator(f'[data-photo-id="{anchor_id}"]')
    before = await anchor.bounding_box()
    known = set(site.photo_ids())
    site.drop(Shot(wall_clock(2024, 11, 2, 9, 30)))  # newer than every seed photo
    new_id = await wait_for_new_photo(site, known)
    # The tile exists without a reload (inserted above, or announced by an "N new" pill).
    await page.wait_for_function(
        """id => document.querySelector(`[data-photo-id="${id}"]`)
                 || /\\b1 new\\b/i.test(document.body.innerText)""", arg=new_id,
        timeout=LIVE_S * 1000)
    await asyncio.sleep(1.5)  # past any batching window
    after = await anchor.bounding_box()
    assert before and after
    assert abs(after["y"] - before["y"]) <= 1 and abs(after["x"] - before["x"]) <= 1


async def wait_for_new_photo(site: Site, known: set[str]) -> str:
    for _ in range(LIVE_S * 4):
        new = [i for i in await asyncio.to_thread(site.photo_ids) if i not in known]
        if new:
            return new[0]
        await asyncio.sleep(0.25)
    raise AssertionError(f"the dropped photo was not imported in {LIVE_S}s:\n"
                         f"{site.server.output()[-3000:]}")


async def test_a_dropped_photo_appears_at_the_top_without_reload(desktop: Any,
                                                                 site: Site) -> None:
    page = await desktop.new_page()
    await sign_in(page, site)
    known = set(site.photo_ids())
    site.drop(Shot(wall_clock(2025, 1, 5, 8, 0)))
    new_id = await wait_for_new_photo(site, known)
    tile = page.locator(f'[data-photo-id="{new_id}"]')
    await tile.wait_for(timeout=LIVE_S * 1000)
    image = tile.locator("img")
    await page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                                 arg=await image.element_handle(), timeout=LIVE_S * 1000)
    assert (await tile_ids_in_visual_order(page))[0] == new_id


async def test_a_viewer_sees_no_edit_controls_and_its_edits_are_refused(
        playwright_api: Any, browser: Any, site: Site) -> None:
    photo_id = site.photo_ids()[0]
    edit_controls = re.compile(r"rate|rating|star|add tag|remove tag", re.IGNORECASE)
    for username, expect_controls in (("editor", True), ("viewer", False)):
        # A context each: a signed-in session is kept per browser profile.
        context = await browser.new_context(**playwright_api.devices["Pixel 7"])
        page = await context.new_page()
        await sign_in(page, site, username)
        await page.goto(f"{site.url}/photos/{photo_id}")
        await page.get_by_role("dialog").first.wait_for(timeout=30_000)
        await open_info(page)
        await page.locator("[data-info-sheet]").wait_for(timeout=30_000)
        if expect_controls:
            await page.get_by_role("radio", name=re.compile(r"^1 star")).wait_for(
                timeout=30_000)
        else:
            await page.locator("[data-tag-type]").first.wait_for(timeout=30_000)
        count = await page.get_by_role("button", name=edit_controls).count() \
            + await page.get_by_role("radio", name=edit_controls).count()
        assert (count > 0) == expect_controls, f"{username}: {count} edit controls"
        await context.close()
    body = site.graphql("mutation($p: ID!) { ratePhoto(photoId: $p, rating: 4) { rating } }",
                        {"p": photo_id}, site.tokens["viewer"])
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
    body = site.graphql("mutation($p: ID!) { addPhotoTag(photoId: $p, name: \"x\") { id } }",
                        {"p": photo_id}, site.tokens["viewer"])
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body


async def open_info(page: Any) -> None:
    """Open the viewer's info sheet (a button labelled Info), if it is not open already."""
    if await page.locator("[data-info-sheet]").count():
        return
    await page.get_by_role("button", name=re.compile(r"^info", re.IGNORECASE)).first.click()


async def test_rating_persists_after_reload(phone: Any, site: Site) -> None:
    photo_id = site.photo_ids()[1]
    page = await phone.new_page()
    await sign_in(page, site, "editor")
    await page.goto(f"{site.url}/photos/{photo_id}")
    await open_info(page)
    await page.get_by_role("radio", name=re.compile(r"^4 stars?", re.IGNORECASE)).click()
    for _ in range(40):
        rating = site.data("query($p: ID!) { photo(id: $p) { rating } }", {"p": photo_id})
        if rating["photo"]["rating"] == 4:
            break
        await asyncio.sleep(0.25)
    await page.reload()
    await open_info(page)
    star = page.get_by_role("radio", name=re.compile(r"^4 stars?", re.IGNORECASE))
    await star.wait_for(timeout=30_000)
    assert await star.is_checked()


__all__ = ["PASSWORDS"]


async def test_tags_arrive_in_an_open_viewer_without_reload(phone: Any, site: Site) -> None:
    page = await phone.new_page()
    await sign_in(page, site)
    known = set(site.photo_ids())
    site.drop(Shot(wall_clock(2025, 2, 1, 10, 0)))
    new_id = await wait_for_new_photo(site, known)
    # Open the viewer as soon as the photo exists, before its classifiers are likely done.
    await page.evaluate("id => { history.pushState({}, '', '/photos/' + id);"
                        " dispatchEvent(new PopStateEvent('popstate')); }", new_id)
    await page.get_by_role("dialog").first.wait_for(timeout=30_000)
    await open_info(page)
    loads = []
    page.on("framenavigated", lambda frame: loads.append(frame.url))
    colour = page.locator('[data-info-sheet] [data-tag-type="colour"]').first
    await colour.wait_for(timeout=LIVE_S * 1000)
    assert (await colour.inner_text()).strip()
    assert not loads, f"the page navigated: {loads}"


async def test_a_filter_narrows_the_grid_and_live_photos_outside_it_stay_out(
        desktop: Any, site: Site) -> None:
    cameras = site.data("query($l: ID!) { cameras(libraryId: $l) { camera { id make } } }",
                        {"l": site.library_id})["cameras"]
    canon = next(c["camera"]["id"] for c in cameras if c["camera"]["make"] == "Canon")
    page = await desktop.new_page()
    await sign_in(page, site)
    await page.goto(f"{site.url}/search?camera={canon}:Canon")
    await page.locator("[data-photo-id]").first.wait_for(timeout=30_000)
    expected = set(site.photo_ids({"cameraId": canon}))
    await asyncio.sleep(1)
    shown = set(await tile_ids_in_visual_order(page))
    assert shown and shown <= expected, "a photo outside the filter is in the grid"
    assert len(shown) < len(site.photo_ids())
    known = set(site.photo_ids())
    site.drop(Shot(wall_clock(2025, 3, 1, 9, 0), "NIKON CORPORATION", "NIKON D70"))
    nikon = await wait_for_new_photo(site, known)
    known.add(nikon)
    site.drop(Shot(wall_clock(2025, 3, 2, 9, 0)))  # a Canon: inside the filter
    canon_photo = await wait_for_new_photo(site, known)
    await page.locator(f'[data-photo-id="{canon_photo}"]').wait_for(timeout=LIVE_S * 1000)
    await asyncio.sleep(1.5)  # past the batching window that carried the Nikon too
    assert await page.locator(f'[data-photo-id="{nikon}"]').count() == 0


async def touch(cdp: Any, kind: str, points: list[tuple[float, float]]) -> None:
    """A real touch event (Chromium turns it into pointer events, as on a phone)."""
    touch_points = [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]
    await cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": touch_points})


async def drag(cdp: Any, starts: list[tuple[float, float]], ends: list[tuple[float, float]],
               steps: int = 12) -> None:
    """Fingers down at ``starts``, moved in steps to ``ends``, lifted."""
    await touch(cdp, "touchStart", starts)
    for k in range(1, steps + 1):
        await touch(cdp, "touchMove", [(x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps)
                                       for (x0, y0), (x1, y1) in zip(starts, ends, strict=True)])
        await asyncio.sleep(0.016)
    await cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


CURRENT_FRAME = ".slide:not([aria-hidden]) .frame"


async def test_a_tap_opens_the_viewer_and_a_swipe_shows_the_next_photo(
        phone: Any, site: Site) -> None:
    ids = site.photo_ids()
    page = await phone.new_page()
    await sign_in(page, site)
    await page.locator(f'[data-photo-id="{ids[0]}"]').tap()
    await page.wait_for_url(re.compile(rf"/photos/{ids[0]}$"))
    await page.get_by_role("dialog").first.wait_for(timeout=30_000)
    cdp = await phone.new_cdp_session(page)
    width = page.viewport_size["width"]
    height = page.viewport_size["height"]
    # Right to left across most of the screen: the next (older) photo, in the same history entry.
    await drag(cdp, [(width * 0.85, height * 0.5)], [(width * 0.1, height * 0.5)])
    await page.wait_for_url(re.compile(rf"/photos/{ids[1]}$"), timeout=10_000)
    await drag(cdp, [(width * 0.1, height * 0.5)], [(width * 0.85, height * 0.5)])
    await page.wait_for_url(re.compile(rf"/photos/{ids[0]}$"), timeout=10_000)
    # Back closes the viewer onto the grid (the swipes replaced the entry, added none).
    await page.go_back()
    await page.wait_for_url(re.compile(r"/$"), timeout=10_000)
    assert await page.get_by_role("dialog").count() == 0


async def test_pinching_zooms_the_photo_in_the_viewer(phone: Any, site: Site) -> None:
    photo_id = site.photo_ids()[0]
    page = await phone.new_page()
    await sign_in(page, site)
    await page.goto(f"{site.url}/photos/{photo_id}")
    frame = page.locator(CURRENT_FRAME)
    await frame.wait_for(timeout=30_000)
    await page.wait_for_timeout(300)
    before = await frame.bounding_box()
    cx, cy = before["x"] + before["width"] / 2, before["y"] + before["height"] / 2
    cdp = await phone.new_cdp_session(page)
    await drag(cdp, [(cx - 30, cy), (cx + 30, cy)], [(cx - 120, cy), (cx + 120, cy)])
    await page.wait_for_timeout(400)
    after = await frame.bounding_box()
    assert after["width"] > before["width"] * 1.8, (before, after)
    assert page.url.endswith(f"/photos/{photo_id}")  # a pinch is not a swipe


async def test_reduced_motion_is_respected(browser: Any, playwright_api: Any, site: Site) -> None:
    """Tiles fade in and the viewer slides, unless the system asks for less motion."""
    durations = {}
    for motion in ("no-preference", "reduce"):
        context = await browser.new_context(**playwright_api.devices["Pixel 7"],
                                            reduced_motion=motion)
        page = await context.new_page()
        await sign_in(page, site)
        durations[motion] = await page.evaluate("""() => {
            const img = document.querySelector('[data-photo-id] img');
            return parseFloat(getComputedStyle(img).transitionDuration) * 1000;
        }""")
        await context.close()
    assert durations["no-preference"] >= 100, durations
    assert durations["reduce"] < 1, durations


async def test_the_app_reconnects_after_a_server_restart_and_misses_nothing(
        desktop: Any, site: Site) -> None:
    """Last in this module: it replaces the module's server process with a new one."""
    page = await desktop.new_page()
    await sign_in(page, site)
    known = set(site.photo_ids())
    port, env, log = site.server.port, site.env, site.server.log_path
    assert await site.server.stop() == 0
    site.drop(Shot(wall_clock(2025, 4, 1, 8, 0)))  # dropped while the server is down
    site.server = ServerProcess.start(env, port=port, log_path=log.with_name("restarted.log"))
    await site.server.wait_ready(timeout_s=180)
    new_id = await wait_for_new_photo(site, known)  # the start-up rescan imports it
    # The page was never reloaded: it reconnects (its back-off waits up to 30 s between
    # attempts), resumes its event stream and shows the photo.
    await page.locator(f'[data-photo-id="{new_id}"]').wait_for(timeout=LIVE_S * 2000)
