"""The People screens in a real browser on real faces (the server's face stage on LFW fixtures):
cards with face crops, a person's page with their photos, and rename / merge / move a face /
"not this person" through the UI, each seen live in a second browser context; a viewer sees
no edit controls and the server refuses their edits; axe clean at the phone and desktop sizes.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.e2e.web.conftest import Site, sign_in, start_site
from tests.e2e.web.test_accessibility import check

pytestmark = pytest.mark.slow
FACES = ("Barbara_Becker_0001", "Boris_Becker_0003", "Boris_Becker_0004", "Boris_Becker_0005",
         "David_Beckham_0001", "David_Beckham_0002")
OTHER_STAGES = ("object", "colour", "location", "event")
PEOPLE = """query($l: ID!) { peoplePage(libraryId: $l, first: 50) {
  edges { node { id name photoCount } } } }"""
PHOTOS = """query($l: ID!) { photos(libraryId: $l, first: 50) { edges { node {
  id files { path } faces { id box person { id } } } } } }"""


def _fixtures() -> Path:
    return Path(os.environ.get("PHOTONIX_FIXTURES", "/work/shared/fixtures"))


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def face_site(webapp: Path, fresh_database: str,
                    tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Site]:
    faces = _fixtures() / "photonix" / "faces"
    if not all((faces / f"{name}.jpg").exists() for name in FACES):
        pytest.skip(f"LFW face fixtures missing in {faces}")
    tmp = tmp_path_factory.mktemp("faces")
    for name in FACES:
        target = tmp / "library" / "faces" / f"{name}.jpg"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(faces / f"{name}.jpg", target)
    site = await start_site(tmp, fresh_database, shots=list)
    try:
        # Only the face stage matters here: the others would only keep the 2 cores busy.
        for stage in OTHER_STAGES:
            site.data("mutation($l: ID!, $s: String!) { setClassifierEnabled(libraryId: $l,"
                      " stage: $s, enabled: false) { stage } }",
                      {"l": site.library_id, "s": stage})
        deadline = time.monotonic() + 600
        while not _faces_done(site):
            assert time.monotonic() < deadline, site.server.output()[-3000:]
            await asyncio.sleep(1)
        yield site
    finally:
        await site.server.stop()


def _faces_done(site: Site) -> bool:
    stages = site.data("query($l: ID!) { stageProgress(libraryId: $l) { stage queued running"
                       " done failed } }", {"l": site.library_id})["stageProgress"]
    face = next((s for s in stages if s["stage"] == "face"), None)
    return bool(face) and face["queued"] == face["running"] == 0 and (
        face["done"] + face["failed"] >= len(FACES))


def _people(site: Site) -> list[dict[str, Any]]:
    return site.data(PEOPLE, {"l": site.library_id})["peoplePage"]["edges"]


def _faces_by_file(site: Site) -> dict[str, dict[str, Any]]:
    """LFW name -> {photo, face, person} of the photo's main (largest) face."""
    found = {}
    for edge in site.data(PHOTOS, {"l": site.library_id})["photos"]["edges"]:
        node = edge["node"]
        name = Path(node["files"][0]["path"]).stem
        face = max(node["faces"], key=lambda f: f["box"][2] * f["box"][3])
        found[name] = {"photo": node["id"], "face": face["id"], "person": face["person"]["id"]}
    return found


async def _open_person(page: Any, site: Site, person_id: str) -> None:
    await page.goto(f"{site.url}/people/{person_id}")
    await page.locator("[data-face-id]").first.wait_for(timeout=30_000)


async def _tiles(page: Any) -> set[str]:
    return set(await page.locator("[data-photo-id]").evaluate_all(
        "els => els.map(e => e.dataset.photoId)"))


async def _tiles_are(page: Any, expected: set[str]) -> bool:
    return await _tiles(page) == expected


async def _until(check_: Any, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not await check_():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.2)


async def test_people_cards_and_a_person_edited_on_a_phone_live_on_a_desktop(
        phone: Any, desktop: Any, face_site: Site) -> None:
    site = face_site
    faces = _faces_by_file(site)
    boris = faces["Boris_Becker_0003"]["person"]
    barbara = faces["Barbara_Becker_0001"]["person"]
    boris_photos = {faces[n]["photo"] for n in FACES if n.startswith("Boris")}
    assert {faces[n]["person"] for n in FACES if n.startswith("Boris")} == {boris}

    page = await phone.new_page()
    await sign_in(page, site, "editor")
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    await page.wait_for_url(re.compile(r"/people$"))
    cards = page.locator("[data-person-id]")
    await cards.first.wait_for(timeout=30_000)
    # Boris first (most photos), every card with a face crop that loaded.
    assert await cards.first.get_attribute("data-person-id") == boris
    assert "3 photos" in await cards.first.inner_text()
    await _until(lambda: page.locator("[data-person-id] img").evaluate_all(
        "imgs => imgs.length >= 3 && imgs.every(i => i.complete && i.naturalWidth > 0)"))
    await check(page, "people")

    # A person's page: exactly their photos in the grid.
    await cards.first.click()
    await page.wait_for_url(re.compile(rf"/people/{boris}$"))
    await _until(lambda: _tiles_are(page, boris_photos))

    other = await desktop.new_page()
    await sign_in(other, site, "admin")
    await _open_person(other, site, boris)

    # Rename on the phone: the desktop's heading follows live.
    await page.get_by_role("button", name="Add a name").click()
    await page.get_by_role("textbox", name="Name").fill("Boris Becker")
    await page.get_by_role("button", name="Save").click()
    await other.get_by_role("heading", name="Boris Becker").wait_for(timeout=30_000)
    await check(page, "person")
    await check(other, "desktop-person")

    # Merge Barbara into Boris on the phone: it lands on Boris with four photos; the desktop,
    # on Barbara's page, follows to Boris.
    await _open_person(other, site, barbara)
    await _open_person(page, site, barbara)
    await page.get_by_role("button", name="Merge into…").click()
    await page.get_by_role("button", name=re.compile(r"^Boris Becker")).click()
    await page.wait_for_url(re.compile(rf"/people/{boris}$"))
    await other.wait_for_url(re.compile(rf"/people/{boris}$"), timeout=30_000)
    barbara_photo = faces["Barbara_Becker_0001"]["photo"]
    await _until(lambda: _has_tile(other, barbara_photo))

    # Barbara's face was wrong here: move it to someone new. Both grids lose her photo.
    await page.locator(f'[data-face-id="{faces["Barbara_Becker_0001"]["face"]}"]').click()
    await page.get_by_role("button", name="Move to another person").click()
    await page.get_by_role("button", name="Someone new").click()
    for view in (page, other):
        await _until(lambda view=view: _no_tile(view, barbara_photo))
    # (The grid reloads when its person's faces change: wait for it, not just for a gap.)
    await _until(lambda: _tiles_are(other, boris_photos))

    # "Not Boris Becker" on one of his faces: it leaves his page on both devices.
    gone = faces["Boris_Becker_0005"]
    await page.locator(f'[data-face-id="{gone["face"]}"]').click()
    await page.get_by_role("button", name="Not Boris Becker").click()
    for view in (page, other):
        await _until(lambda view=view: _no_tile(view, gone["photo"]))
    people = {p["node"]["id"]: p["node"] for p in _people(site)}
    assert people[boris]["name"] == "Boris Becker"
    assert people[boris]["photoCount"] == 2

    # The review queue holds that face; giving it back to Boris there brings the photo back
    # to his page on the desktop, live.
    await page.goto(site.url + "/people")
    await page.get_by_role("link", name="Review faces").click()
    await page.wait_for_url(re.compile(r"/people/review$"))
    shown = page.locator(".face[data-face-id]")
    await shown.wait_for(timeout=30_000)
    for _ in range(10):
        if await shown.get_attribute("data-face-id") == gone["face"]:
            break
        await page.get_by_role("button", name="Skip").click()
    assert await shown.get_attribute("data-face-id") == gone["face"]
    await check(page, "face-review")
    await page.get_by_role("button", name="Boris Becker").click()
    await page.get_by_text("Given to Boris Becker").wait_for(timeout=10_000)
    await _until(lambda: _has_tile(other, gone["photo"]))
    people = {p["node"]["id"]: p["node"] for p in _people(site)}
    assert people[boris]["photoCount"] == 3
    # The desktop People screen at its size.
    await other.goto(site.url + "/people")
    await other.locator("[data-person-id]").first.wait_for(timeout=30_000)
    await check(other, "desktop-people")


async def _has_tile(page: Any, photo_id: str) -> bool:
    return await page.locator(f'[data-photo-id="{photo_id}"]').count() > 0


async def _no_tile(page: Any, photo_id: str) -> bool:
    return not await _has_tile(page, photo_id)


async def test_a_viewer_sees_people_but_no_edit_controls(phone: Any, face_site: Site) -> None:
    site = face_site
    person = _people(site)[0]["node"]["id"]
    page = await phone.new_page()
    await sign_in(page, site, "viewer")
    await _open_person(page, site, person)
    await page.locator("[data-photo-id]").first.wait_for(timeout=30_000)
    for name in ("Rename", "Add a name", "Merge into…"):
        assert await page.get_by_role("button", name=name).count() == 0, name
    await page.locator("[data-face-id]").first.click()
    await page.get_by_role("button", name="Open the photo").wait_for()
    assert await page.get_by_role("button", name="Move to another person").count() == 0
    assert await page.get_by_role("button", name="Not a face").count() == 0
    refused = site.graphql("mutation($p: ID!) { namePerson(personId: $p, name: \"X\") { id } }",
                           {"p": person}, site.tokens["viewer"])
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", refused
