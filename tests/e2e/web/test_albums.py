"""Albums and multi-select in a real browser (phone profile, touch): a long-press then a drag
selects a range, a tap extends it, a scroll never starts a selection; the selection becomes a
new album; albums are listed with covers and counts, renamed and deleted (photos stay); trash
with undo; a viewer cannot select; axe clean on the Albums screens at phone and desktop sizes.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import pytest

from tests.e2e.web.conftest import Site, sign_in
from tests.e2e.web.test_accessibility import check

pytestmark = pytest.mark.slow
ALBUMS = "query($l: ID!) { albums(libraryId: $l) { id name photoCount } }"


async def _centre(page: Any, photo_id: str) -> tuple[float, float]:
    box = await page.locator(f'[data-photo-id="{photo_id}"]').bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


async def _touch(cdp: Any, kind: str, x: float | None = None, y: float | None = None) -> None:
    points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
    await cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


async def _press_and_drag(page: Any, cdp: Any, start: str, end: str | None, hold_ms: int = 700,
                          move_first: bool = False) -> None:
    """A finger on `start`: rests hold_ms (or first moves 120 px: a scroll), then slides to
    `end`, and lifts."""
    x, y = await _centre(page, start)
    await _touch(cdp, "touchStart", x, y)
    if move_first:
        for step in range(1, 7):
            await _touch(cdp, "touchMove", x, y - 20 * step)
        y -= 120
    await page.wait_for_timeout(hold_ms)
    if end:
        ex, ey = await _centre(page, end)
        for step in range(1, 9):
            await _touch(cdp, "touchMove", x + (ex - x) * step / 8, y + (ey - y) * step / 8)
            await page.wait_for_timeout(30)
    await _touch(cdp, "touchEnd")


async def _selected(page: Any) -> set[str]:
    return set(await page.locator('[data-selected="true"]').evaluate_all(
        "els => els.map(e => e.dataset.photoId)"))


async def _until(check_: Any, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not await check_():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.2)


async def test_a_multi_selection_becomes_an_album(phone: Any, desktop: Any, site: Site) -> None:
    ids = site.photo_ids()
    page = await phone.new_page()
    cdp = await phone.new_cdp_session(page)
    await sign_in(page, site, "editor")
    await page.locator(f'[data-photo-id="{ids[2]}"]').wait_for()

    # A finger that moves first is scrolling: no selection however long it then rests.
    await _press_and_drag(page, cdp, ids[4], None, move_first=True)
    assert await _selected(page) == set()
    assert await page.get_by_role("toolbar", name="Selection").count() == 0
    await page.evaluate("document.querySelector('.scroller').scrollTop = 0")

    # Long-press the first photo, drag to the third: the three are selected; a tap adds a fifth.
    await _press_and_drag(page, cdp, ids[0], ids[2])
    await _until(lambda: _has(page, ids[:3]))
    assert await _selected(page) == set(ids[:3])
    await page.locator(f'[data-photo-id="{ids[4]}"]').tap()
    chosen = {*ids[:3], ids[4]}
    assert await _selected(page) == chosen
    bar = page.get_by_role("toolbar", name="Selection")
    assert "4 selected" in await bar.inner_text()
    await check(page, "selection")
    assert page.url.endswith("/")  # taps while selecting never opened the viewer

    await bar.get_by_role("button", name="Add to album").click()
    await page.get_by_label("New album").fill("Holiday")
    await page.get_by_role("button", name="Create").click()
    await page.get_by_text("Added 4 to Holiday").wait_for(timeout=10_000)
    assert await _selected(page) == set()
    album = next(a for a in site.data(ALBUMS, {"l": site.library_id})["albums"]
                 if a["name"] == "Holiday")
    assert album["photoCount"] == 4

    # The Albums screen: its card with a cover and the count; the album's page shows the four.
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Albums").click()
    card = page.locator(f'[data-album-id="{album["id"]}"]')
    await card.wait_for(timeout=30_000)
    assert "4 photos" in await card.inner_text()
    await _until(lambda: card.locator("img").evaluate("i => i.complete && i.naturalWidth > 0"))
    await check(page, "albums")
    await card.click()
    await page.wait_for_url(re.compile(rf"/albums/{album['id']}$"))
    # The album's months load one after another: wait for all four, then nothing else.
    await _until(lambda: _tiles_are(page, chosen))
    await check(page, "album")

    other = await desktop.new_page()
    await sign_in(other, site, "admin")
    await other.goto(site.url + "/albums")
    await other.locator(f'[data-album-id="{album["id"]}"]').wait_for(timeout=30_000)
    await check(other, "desktop-albums")

    # Rename on the phone; the desktop's list follows live. Then delete: the photos stay.
    await page.get_by_role("button", name="Rename").click()
    await page.get_by_label("Album name").fill("Summer")
    await page.get_by_role("button", name="Save").click()
    await other.get_by_text("Summer").wait_for(timeout=30_000)
    await page.get_by_role("button", name="Delete album").click()
    await page.get_by_role("button", name="Delete", exact=True).click()
    await page.wait_for_url(re.compile(r"/albums$"))
    await _until(lambda: _gone(other, album["id"]))
    assert not [a for a in site.data(ALBUMS, {"l": site.library_id})["albums"]
                if a["id"] == album["id"]]
    assert set(site.photo_ids()) >= chosen


async def _tiles_are(page: Any, expected: set[str]) -> bool:
    return set(await page.locator("[data-photo-id]").evaluate_all(
        "els => els.map(e => e.dataset.photoId)")) == expected


async def _has(page: Any, ids: list[str]) -> bool:
    return set(ids) <= await _selected(page)


async def _gone(page: Any, album_id: str) -> bool:
    return await page.locator(f'[data-album-id="{album_id}"]').count() == 0


async def test_trash_from_a_selection_and_undo(phone: Any, site: Site) -> None:
    ids = site.photo_ids()
    victim = ids[1]
    page = await phone.new_page()
    cdp = await phone.new_cdp_session(page)
    await sign_in(page, site, "editor")
    await page.locator(f'[data-photo-id="{victim}"]').wait_for()
    await _press_and_drag(page, cdp, victim, None)
    await _until(lambda: _has(page, [victim]))
    await page.get_by_role("toolbar", name="Selection").get_by_role("button", name="Trash").click()
    await page.locator(f'[data-photo-id="{victim}"]').wait_for(state="detached", timeout=10_000)
    assert victim not in site.photo_ids()
    status = page.get_by_role("status").filter(has_text="moved to the trash")
    assert "files stay on disk" in await status.inner_text()
    await status.get_by_role("button", name="Undo").click()
    await page.locator(f'[data-photo-id="{victim}"]').wait_for(timeout=30_000)
    assert victim in site.photo_ids()


async def test_a_viewer_cannot_select(phone: Any, site: Site) -> None:
    ids = site.photo_ids()
    page = await phone.new_page()
    cdp = await phone.new_cdp_session(page)
    await sign_in(page, site, "viewer")
    await page.locator(f'[data-photo-id="{ids[0]}"]').wait_for()
    await _press_and_drag(page, cdp, ids[0], ids[2])
    await page.wait_for_timeout(300)
    assert await page.get_by_role("toolbar", name="Selection").count() == 0
    assert await page.locator("[data-selected]").count() == 0
    refused = site.graphql("mutation($p: [ID!]!) { trashPhotos(photoIds: $p) }",
                           {"p": [ids[0]]}, site.tokens["viewer"])
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", refused
    await page.goto(site.url + "/albums")
    await page.get_by_role("heading", name="Albums").wait_for(timeout=30_000)
    assert await page.get_by_role("button", name="New album").count() == 0
    await page.goto(f"{site.url}/photos/{ids[0]}")
    await page.get_by_role("button", name="Info").wait_for(timeout=30_000)
    assert await page.get_by_role("button", name="Rotate").count() == 0


async def test_rotate_in_the_viewer(phone: Any, site: Site) -> None:
    """Editors turn a photo a quarter turn: stored with the photo, the viewer shows the new
    rendition (a new preview URL, a portrait frame for a landscape photo)."""
    photo_id = site.photo_ids()[5]
    query = "query($id: ID!) { photo(id: $id) { rotation width height } }"
    before = site.data(query, {"id": photo_id})["photo"]
    page = await phone.new_page()
    await sign_in(page, site, "editor")
    await page.goto(f"{site.url}/photos/{photo_id}")
    rotate = page.get_by_role("button", name="Rotate")
    await rotate.wait_for(timeout=30_000)
    await rotate.click()
    await _until(lambda: _rotated(site, photo_id, before["rotation"]))
    after = site.data(query, {"id": photo_id})["photo"]
    assert after["rotation"] == (before["rotation"] + 90) % 360
    assert (after["width"], after["height"]) == (before["height"], before["width"])


async def _rotated(site: Site, photo_id: str, was: int) -> bool:
    photo = site.data("query($id: ID!) { photo(id: $id) { rotation } }", {"id": photo_id})
    return photo["photo"]["rotation"] != was
