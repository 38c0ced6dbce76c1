"""A person's page keeps the reader's place when their faces change live (issue 8): scrolled
down a person with many photos, the faces on a photo above the view are taken off them ("not
this person", from another device); the page reloads the person and their grid in place, and
the photo in view stays where it was on the screen instead of the page jumping to the top.

The person's photos are one LFW face fixture saved again with a month each (the face stage
runs for real and groups them into one person).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from PIL import ExifTags, Image

from tests.e2e.web.conftest import Site, sign_in, start_site

pytestmark = pytest.mark.slow
FACE = "Boris_Becker_0003"
COPIES = 16
OTHER_STAGES = ("object", "colour", "location", "event")
PEOPLE = """query($l: ID!) { peoplePage(libraryId: $l, first: 50) {
  edges { node { id photoCount } } } }"""
FACES = """query($l: ID!, $p: ID!) { photos(libraryId: $l, first: 100, filter: {personId: $p})
  { edges { node { id faces { id person { id } } } } } }"""


def _copies(source: Path, folder: Path) -> None:
    """The face photo once a month from January 2020, each a distinct file (one pixel apart)."""
    image = Image.open(source).convert("RGB")
    for i in range(COPIES):
        copy = image.copy()
        copy.putpixel((0, 0), (i * 8, 0, 0))
        exif = Image.Exif()
        stamp = f"{2020 + i // 12}:{i % 12 + 1:02}:15 12:00:00"
        exif[ExifTags.Base.DateTime] = stamp
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = stamp
        target = folder / f"{FACE}-{i:02}.jpg"
        target.parent.mkdir(parents=True, exist_ok=True)
        copy.save(target, "JPEG", quality=95, exif=exif)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def person_site(
    webapp: Path, fresh_database: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Site]:
    source = (
        Path(os.environ.get("PHOTONIX_FIXTURES", "/work/shared/fixtures"))
        / "photonix"
        / "faces"
        / f"{FACE}.jpg"
    )
    if not source.exists():
        pytest.skip(f"LFW face fixture missing: {source}")
    tmp = tmp_path_factory.mktemp("person-scroll")
    _copies(source, tmp / "library" / "faces")
    site = await start_site(tmp, fresh_database, shots=list)
    try:
        for stage in OTHER_STAGES:  # only faces matter here: keep the 2 cores for them
            site.data(
                "mutation($l: ID!, $s: String!) { setClassifierEnabled(libraryId: $l,"
                " stage: $s, enabled: false) { stage } }",
                {"l": site.library_id, "s": stage},
            )
        deadline = time.monotonic() + 600
        while not _faces_done(site):
            assert time.monotonic() < deadline, site.server.output()[-3000:]
            await asyncio.sleep(1)
        yield site
    finally:
        await site.server.stop()


def _faces_done(site: Site) -> bool:
    stages = site.data(
        "query($l: ID!) { stageProgress(libraryId: $l) { stage queued running done failed } }",
        {"l": site.library_id},
    )["stageProgress"]
    face = next((s for s in stages if s["stage"] == "face"), None)
    return (
        bool(face)
        and face["queued"] == face["running"] == 0
        and (face["done"] + face["failed"] >= COPIES)
    )


# Where each tile of the person's grid is on the screen, and how far the grid is scrolled.
_VIEW = """(grid) => ({
  scrollTop: grid.scrollTop,
  viewTop: grid.getBoundingClientRect().top,
  height: grid.clientHeight,
  tiles: [...grid.querySelectorAll('[data-photo-id]')].map((t) => {
    const r = t.getBoundingClientRect();
    return { id: t.dataset.photoId, top: r.top, bottom: r.bottom };
  }),
})"""


async def _settled_view(grid: Any) -> dict[str, Any]:
    """The grid's view once nothing moved for a second (months load as they come near)."""
    last = None
    deadline = time.monotonic() + 30
    while True:
        view = await grid.evaluate(_VIEW)
        if view == last:
            return view
        assert time.monotonic() < deadline, "the grid kept moving"
        last = view
        await asyncio.sleep(1)


async def test_a_face_change_keeps_the_photo_in_view_where_it_was(
    phone: Any, person_site: Site
) -> None:
    site = person_site
    people = site.data(PEOPLE, {"l": site.library_id})["peoplePage"]["edges"]
    person = max(people, key=lambda p: p["node"]["photoCount"])["node"]
    assert person["photoCount"] == COPIES, people

    page = await phone.new_page()
    await sign_in(page, site, "admin")
    await page.goto(f"{site.url}/people/{person['id']}")
    await page.locator("[data-face-id]").first.wait_for(timeout=30_000)
    grid = page.get_by_role("region", name="Photos of Unnamed person")
    await grid.locator("[data-photo-id]").first.wait_for(timeout=30_000)

    # Scroll well down the person's months, and note the photo at the middle of the screen.
    height = await grid.evaluate("g => g.scrollHeight - g.clientHeight")
    assert height > 1500, f"too little to scroll: {height}"
    await grid.evaluate(
        "(g) => { g.scrollTop = Math.round((g.scrollHeight - g.clientHeight) * 0.6); }"
    )
    before = await _settled_view(grid)
    assert before["scrollTop"] > 800, before["scrollTop"]
    middle = before["viewTop"] + before["height"] / 2
    anchor = min(before["tiles"], key=lambda t: abs((t["top"] + t["bottom"]) / 2 - middle))

    # "Not this person" on the newest photo (the top of the grid, far above the view), from
    # another device: the page reloads the person and their photos.
    photos = site.data(FACES, {"l": site.library_id, "p": person["id"]})["photos"]["edges"]
    newest = photos[0]["node"]
    faces = [f["id"] for f in newest["faces"] if (f["person"] or {}).get("id") == person["id"]]
    assert faces, newest
    for face in faces:
        site.data("mutation($f: ID!) { unassignFace(faceId: $f) { id } }", {"f": face})
    for face in faces:
        await page.locator(f'[data-face-id="{face}"]').wait_for(state="detached", timeout=30_000)
    deadline = time.monotonic() + 30
    while newest["id"] in {
        p["node"]["id"]
        for p in site.data(FACES, {"l": site.library_id, "p": person["id"]})["photos"]["edges"]
    }:
        assert time.monotonic() < deadline, newest
        await asyncio.sleep(0.2)
    after = await _settled_view(grid)

    # The photo that was in view is still there, at the same place on the screen.
    kept = next((t for t in after["tiles"] if t["id"] == anchor["id"]), None)
    assert kept is not None, (anchor, after["scrollTop"], after["tiles"][:5])
    assert abs(kept["top"] - anchor["top"]) <= 2, (
        anchor,
        kept,
        before["scrollTop"],
        after["scrollTop"],
    )
    assert after["scrollTop"] > 800, after["scrollTop"]
