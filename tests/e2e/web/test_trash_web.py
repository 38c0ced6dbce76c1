"""The Trash screen, the More sheet and bulk tags in a real browser (phone profile, touch): a
selection trashed from the timeline appears in /trash (live on another device too), is
restored and is back in the timeline; an owner empties the trash after a confirmation that
says the files stay (and they do); a viewer sees the trash without Restore or Empty; two
selected photos get a tag (a search by it finds them) and lose it again (then it does not).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.web.conftest import Site, sign_in
from tests.e2e.web.test_accessibility import check
from tests.e2e.web.test_albums import _press_and_drag, _selected, _until

pytestmark = pytest.mark.slow
WAIT_MS = 30_000
TRASH = "mutation($p: [ID!]!) { trashPhotos(photoIds: $p) }"
RESTORE = "mutation($p: [ID!]!) { restorePhotos(photoIds: $p) }"
TRASH_PAGE = "query($l: ID!) { trash(libraryId: $l) { totalCount edges { node { id } } } }"


async def _tiles(page: Any) -> set[str]:
    return set(
        await page.locator("[data-photo-id]").evaluate_all("els => els.map(e => e.dataset.photoId)")
    )


async def _open_trash(page: Any) -> None:
    """Through the bar's More sheet, as a person on a phone does."""
    await page.get_by_role("navigation", name="Main").get_by_role("button", name="More").click()
    await page.get_by_role("link", name="Trash").click()
    await page.wait_for_url(re.compile(r"/trash$"))
    await page.get_by_role("heading", name="Trash").wait_for(timeout=WAIT_MS)


def _trashed(site: Site) -> list[str]:
    data = site.data(TRASH_PAGE, {"l": site.library_id})["trash"]
    return [e["node"]["id"] for e in data["edges"]]


async def test_trash_a_selection_then_restore_it(phone: Any, desktop: Any, site: Site) -> None:
    ids = site.photo_ids()
    chosen = set(ids[:2])
    # Another device shows the trash while this happens: it follows along live.
    other = await desktop.new_page()
    await sign_in(other, site, "admin")
    rail = other.get_by_role("navigation", name="Main")
    await rail.get_by_role("link", name="Trash").click()  # the rail lists Trash itself
    await other.get_by_text("The trash is empty.").wait_for(timeout=WAIT_MS)

    page = await phone.new_page()
    cdp = await phone.new_cdp_session(page)
    await sign_in(page, site, "editor")
    await _press_and_drag(page, cdp, ids[0], ids[1])
    await _until(lambda: _has(page, chosen))
    bar = page.get_by_role("toolbar", name="Selection")
    await bar.get_by_role("button", name="Trash").click()
    await page.get_by_text("2 moved to the trash").wait_for(timeout=WAIT_MS)
    await _until(lambda: _lacks(page, chosen))
    assert set(_trashed(site)) == chosen

    await page.get_by_role("navigation", name="Main").get_by_role("button", name="More").click()
    sheet = page.get_by_role("dialog", name="More")
    await sheet.get_by_role("link", name="Live").wait_for(timeout=WAIT_MS)
    for entry in ("Trash", "Share & embed", "Settings"):
        assert await sheet.get_by_role("link", name=entry).count() == 1, entry
    assert await sheet.get_by_role("button", name="Sign out").count() == 1
    await check(page, "more")
    await sheet.get_by_role("link", name="Trash").click()
    await page.wait_for_url(re.compile(r"/trash$"))
    await _until(lambda: _has_tiles(page, chosen))
    assert await _tiles(page) == chosen
    await _until(lambda: _has_tiles(other, chosen))  # live on the desktop
    await check(other, "desktop-trash")
    await page.get_by_text(re.compile(r"^2 photos, most recently trashed first")).wait_for()
    await check(page, "trash")

    # Select both in the trash and restore them: the trash empties, the timeline has them.
    await _press_and_drag(page, cdp, ids[0], ids[1])
    await _until(lambda: _has(page, chosen))
    trash_bar = page.get_by_role("toolbar", name="Selection")
    for absent in ("Trash", "Add to album", "Tag"):
        assert await trash_bar.get_by_role("button", name=absent, exact=True).count() == 0
    await trash_bar.get_by_role("button", name="Restore").click()
    await page.get_by_text("2 photos restored to the timeline").wait_for(timeout=WAIT_MS)
    await page.get_by_text("The trash is empty.").wait_for(timeout=WAIT_MS)
    await other.get_by_text("The trash is empty.").wait_for(timeout=WAIT_MS)
    assert _trashed(site) == []
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Photos").click()
    await _until(lambda: _has_tiles(page, chosen))


async def test_a_viewer_sees_the_trash_read_only(phone: Any, site: Site) -> None:
    photo = site.photo_ids()[3]
    site.data(TRASH, {"p": [photo]})
    try:
        page = await phone.new_page()
        cdp = await phone.new_cdp_session(page)
        await sign_in(page, site, "viewer")
        await _open_trash(page)
        await page.locator(f'[data-photo-id="{photo}"]').wait_for(timeout=WAIT_MS)
        assert await page.get_by_role("button", name="Empty trash").count() == 0
        await _press_and_drag(page, cdp, photo, None)
        await page.wait_for_timeout(500)
        assert await _selected(page) == set()
        assert await page.get_by_role("toolbar", name="Selection").count() == 0
        assert await page.get_by_role("button", name="Restore").count() == 0
    finally:
        site.data(RESTORE, {"p": [photo]})


async def test_the_owner_empties_the_trash_and_the_file_stays(phone: Any, site: Site) -> None:
    photo = site.photo_ids()[5]
    files = site.data("query($p: ID!) { photo(id: $p) { files { path } } }", {"p": photo})["photo"][
        "files"
    ]
    path = Path(files[0]["path"])
    path = path if path.is_absolute() else site.folder / path
    before = path.read_bytes()
    site.data(TRASH, {"p": [photo]})

    page = await phone.new_page()
    await sign_in(page, site, "admin")
    await _open_trash(page)
    await page.locator(f'[data-photo-id="{photo}"]').wait_for(timeout=WAIT_MS)
    await page.get_by_role("button", name="Empty trash").click()
    dialog = page.get_by_role("dialog", name="Empty the trash?")
    await dialog.get_by_text("The files on disk are never touched").wait_for(timeout=WAIT_MS)
    assert "later scans ignore those files" in await dialog.inner_text()
    await check(page, "trash-empty-confirm")
    await dialog.get_by_role("button", name="Empty trash").click()
    await page.get_by_text("1 photo forgotten; its file stays on disk").wait_for(timeout=WAIT_MS)
    await page.get_by_text("The trash is empty.").wait_for(timeout=WAIT_MS)
    assert _trashed(site) == []
    gone = site.graphql(
        "query($p: ID!) { photo(id: $p) { id } }", {"p": photo}, site.tokens["admin"]
    )
    assert gone["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert path.read_bytes() == before  # the original is untouched


async def test_tag_two_photos_then_take_the_tag_off(phone: Any, site: Site) -> None:
    ids = site.photo_ids()
    chosen = {ids[6], ids[7]}
    for name in ("Beach", "Best of 2024"):
        site.data(
            "mutation($p: ID!, $n: String!) { addPhotoTag(photoId: $p, name: $n) { id } }",
            {"p": ids[12], "n": name},
        )
    page = await phone.new_page()
    cdp = await phone.new_cdp_session(page)
    await sign_in(page, site, "editor")

    async def select() -> None:
        await page.locator(f'[data-photo-id="{ids[7]}"]').scroll_into_view_if_needed()
        await _press_and_drag(page, cdp, ids[6], ids[7])
        await _until(lambda: _has(page, chosen))
        await (
            page.get_by_role("toolbar", name="Selection")
            .get_by_role("button", name="Tag", exact=True)
            .click()
        )
        await page.get_by_role("dialog", name="Tag 2 photos").wait_for(timeout=WAIT_MS)

    await select()
    await page.get_by_label("Add a tag").fill("B")
    await page.get_by_role("button", name="Add Beach").wait_for(timeout=WAIT_MS)
    await page.get_by_role("button", name="Add Best of 2024").wait_for()
    await check(page, "tag-picker")
    await page.get_by_label("Add a tag").fill("Picnic")
    await page.get_by_role("button", name="Create").click()
    await page.get_by_text("Tagged 2 with Picnic").wait_for(timeout=WAIT_MS)
    assert set(site.photo_ids({"tagNames": ["Picnic"]})) == chosen
    tag = next(
        t["tag"]["id"]
        for t in site.data(
            "query($l: ID!) { tags(libraryId: $l, type: USER) { tag { id name } } }",
            {"l": site.library_id},
        )["tags"]
        if t["tag"]["name"] == "Picnic"
    )

    await page.goto(f"{site.url}/search?tag={tag}:Picnic")
    await _until(lambda: _has_tiles(page, chosen))
    assert await _tiles(page) == chosen

    await page.goto(site.url + "/")
    await page.locator("[data-photo-id]").first.wait_for(timeout=WAIT_MS)
    await select()
    carried = page.get_by_role("button", name="Remove Picnic")
    await carried.wait_for(timeout=WAIT_MS)
    assert "on 2 of 2" in await page.get_by_role("dialog", name="Tag 2 photos").inner_text()
    await carried.click()
    await page.get_by_text("Took Picnic off 2 photos").wait_for(timeout=WAIT_MS)
    assert site.photo_ids({"tagNames": ["Picnic"]}) == []
    await page.goto(f"{site.url}/search?tag={tag}:Picnic")
    await page.get_by_text("No photos match.").wait_for(timeout=WAIT_MS)
    assert await _tiles(page) == set()


async def _has(page: Any, ids: set[str]) -> bool:
    return ids <= await _selected(page)


async def _has_tiles(page: Any, ids: set[str]) -> bool:
    return ids <= await _tiles(page)


async def _lacks(page: Any, ids: set[str]) -> bool:
    return not (ids & await _tiles(page))
