"""Uploads from the phone, in Chromium at the phone profile against a real server and models.

An editor uploads a photo from the Upload sheet: it appears in the grid and gets its colour
tags live. A non-image is refused with a clear message, and a hostile ``../../x.jpg`` name
writes nothing outside the uploads folder. The sheet passes axe; a viewer has no Upload button.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from PIL import Image

from tests.e2e.serve_process import run_cli
from tests.e2e.web.conftest import Site, sign_in
from tests.e2e.web.photos import Shot, wall_clock, write_jpeg
from tests.e2e.web.test_accessibility import check
from tests.e2e.web.test_web_app import LIVE_S, open_info, wait_for_new_photo

pytestmark = pytest.mark.slow

DOCS = Path(__file__).resolve().parents[3] / "web" / "docs"


def _data_dir(site: Site) -> Path:
    return Path(site.env["PHOTONIX_DATA_DIR"])  # thumbnails, logs: the server's own files


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def uploads_folder(site: Site) -> Path:
    """An uploads folder added to the library (CLI) and chosen by its owner (GraphQL)."""
    folder = site.folder.parent / "uploads"
    folder.mkdir()
    await run_cli(site.env, "import", str(folder), "--library", "Photos")
    paths = site.data("query($l: ID!) { library(id: $l) { paths { id path } } }",
                      {"l": site.library_id})["library"]["paths"]
    path_id = next(p["id"] for p in paths if p["path"] == str(folder.resolve()))
    chosen = site.data("mutation($l: ID!, $p: ID) { setUploadsFolder(libraryId: $l, "
                       "pathId: $p) { path } }", {"l": site.library_id, "p": path_id})
    assert chosen["setUploadsFolder"]["path"] == str(folder.resolve())
    return folder


async def _open_sheet(page: Any) -> None:
    await page.get_by_role("button", name=re.compile(r"^Upload photos")).click()
    await page.get_by_role("dialog", name="Upload photos").wait_for(timeout=30_000)


async def test_an_upload_from_the_phone_appears_and_gets_tagged(
        phone: Any, site: Site, uploads_folder: Path, tmp_path: Path) -> None:
    photo = write_jpeg(tmp_path / "IMG_2001.jpg", Shot(wall_clock(2025, 6, 1, 9, 30)), seed=77)
    known = set(site.photo_ids())
    page = await phone.new_page()
    await sign_in(page, site, "editor")
    # A flaky connection: the first attempt is cut off; the queue tries again by itself.
    posts: list[str] = []

    async def flaky(route: Any) -> None:
        if route.request.method != "POST":
            await route.continue_()
            return
        posts.append(route.request.url)
        if len(posts) == 1:
            await route.abort("connectionreset")
        else:
            await route.continue_()

    await page.route("**/uploads/**", flaky)
    await page.get_by_role("button", name=re.compile(r"^Upload photos")).wait_for(timeout=30_000)
    await check(page, "upload-button")  # axe on the timeline with the Upload button
    await page.screenshot(path=str(DOCS / "upload-button.png"))
    await asyncio.to_thread(_palette, DOCS / "upload-button.png")
    await _open_sheet(page)
    await page.locator("#upload-files").set_input_files(str(photo))
    await page.locator('[data-upload-status="done"]').wait_for(timeout=LIVE_S * 1000)
    assert len(posts) == 2 and posts[0].endswith("?name=IMG_2001.jpg")
    new_id = await wait_for_new_photo(site, known)
    written = _files(uploads_folder)
    assert len(written) == 1 and next(iter(written)).read_bytes() == photo.read_bytes()
    await page.get_by_role("button", name="Close").click()
    await page.locator(f'[data-photo-id="{new_id}"]').wait_for(timeout=LIVE_S * 1000)
    # Tagged as it would be from any folder: the colour stage's tags show in the viewer.
    await page.locator(f'[data-photo-id="{new_id}"]').click()
    await page.get_by_role("dialog").first.wait_for(timeout=30_000)
    await open_info(page)
    colour = page.locator('[data-info-sheet] [data-tag-type="colour"]').first
    await colour.wait_for(timeout=LIVE_S * 1000)
    assert (await colour.inner_text()).strip()


async def test_non_images_and_hostile_names_are_refused_and_write_nothing_outside(
        phone: Any, site: Site, uploads_folder: Path, tmp_path: Path) -> None:
    everywhere = site.folder.parent
    before = _files(everywhere)
    in_uploads = _files(uploads_folder)
    good = write_jpeg(tmp_path / "IMG_2002.jpg", Shot(wall_clock(2025, 6, 2, 9, 30)), seed=78)
    page = await phone.new_page()
    await sign_in(page, site, "editor")
    await _open_sheet(page)
    await page.locator("#upload-files").set_input_files([
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"shopping list\n" * 50},
        {"name": "../../x.jpg", "mimeType": "image/jpeg", "buffer": b"<?php evil(); ?>" * 9},
        {"name": "IMG_2002.jpg", "mimeType": "image/jpeg", "buffer": good.read_bytes()},
    ])
    failed = page.locator('[data-upload-status="failed"]')
    await failed.nth(1).wait_for(timeout=60_000)
    for i in range(2):
        assert "not one the library can read" in await failed.nth(i).inner_text()
    # A refusal is final: no "Try again" for it.
    assert await failed.get_by_role("button", name="Try again").count() == 0
    await page.locator('[data-upload-status="done"]').wait_for(timeout=LIVE_S * 1000)
    await check(page, "upload")  # axe on the sheet, refusals listed
    shot = DOCS / "upload.png"
    await page.screenshot(path=str(shot))
    await asyncio.to_thread(_palette, shot)
    after = _files(everywhere)
    added = {p for p in after - before if not p.is_relative_to(_data_dir(site))}
    assert added == _files(uploads_folder) - in_uploads  # only the photo, only in there
    assert len(added) == 1 and next(iter(added)).read_bytes() == good.read_bytes()
    # A real photo sent with that hostile name (as any client could) lands inside the uploads
    # folder under a name the server chose.
    image = tmp_path / "real.png"
    Image.new("RGB", (80, 60), (200, 40, 90)).save(image, "PNG")
    status, body = await asyncio.to_thread(_upload_as_editor, site, image.read_bytes(),
                                           "../../x.jpg")
    assert status == 201, body
    new = _files(everywhere) - after
    new = {p for p in new if not p.is_relative_to(_data_dir(site))}
    assert len(new) == 1
    only = next(iter(new))
    assert only.parent == uploads_folder and re.fullmatch(r"x-[0-9a-f]{16}\.png", only.name)
    assert not (everywhere.parent / "x.jpg").exists()


async def test_a_viewer_has_no_upload_button_and_is_refused(phone: Any, site: Site,
                                                            uploads_folder: Path) -> None:
    page = await phone.new_page()
    await sign_in(page, site, "viewer")
    await page.locator("[data-photo-id]").first.wait_for(timeout=30_000)
    assert await page.get_by_role("button", name=re.compile(r"^Upload photos")).count() == 0
    before = _files(uploads_folder)
    status, _body = await asyncio.to_thread(_upload_as, site, "viewer", b"\xff\xd8\xff" * 20,
                                            "v.jpg")
    assert status == 403
    assert _files(uploads_folder) == before


def _upload_as(site: Site, user: str, body: bytes, name: str) -> tuple[int, str]:
    import urllib.error
    import urllib.parse
    import urllib.request
    request = urllib.request.Request(
        f"{site.url}/uploads/{site.library_id}?name={urllib.parse.quote(name)}",
        method="POST", data=body, headers={"Authorization": f"Bearer {site.tokens[user]}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _upload_as_editor(site: Site, body: bytes, name: str) -> tuple[int, str]:
    return _upload_as(site, "editor", body, name)


def _palette(path: Path) -> None:
    """Docs screenshots are 256-colour PNGs (small in the repository)."""
    with Image.open(path) as image:
        image.convert("RGB").quantize(256).save(path, optimize=True)


async def test_photos_shared_to_the_app_are_uploaded(phone: Any, site: Site,
                                                     uploads_folder: Path, tmp_path: Path) -> None:
    """Web Share Target: the share sheet's multipart POST to /share-target is taken by the
    service worker, which lands the person on the upload progress with the files queued."""
    photo = write_jpeg(tmp_path / "shared.jpg", Shot(wall_clock(2025, 7, 1, 8, 0)), seed=79)
    known = set(site.photo_ids())
    page = await phone.new_page()
    await sign_in(page, site, "editor")
    await page.wait_for_function("navigator.serviceWorker.controller !== null",
                                 timeout=30_000)
    # The same request the installed app receives from the phone's share sheet.
    await page.evaluate("""() => {
        const form = Object.assign(document.createElement('form'), {
          method: 'POST', action: '/share-target', enctype: 'multipart/form-data' });
        const input = Object.assign(document.createElement('input'), {
          type: 'file', name: 'photos', id: 'share-input', multiple: true });
        form.append(input);
        document.body.append(form);
    }""")
    await page.locator("#share-input").set_input_files(str(photo))
    await page.evaluate("document.querySelector('#share-input').form.submit()")
    await page.get_by_role("dialog", name="Upload photos").wait_for(timeout=30_000)
    await page.locator('[data-upload-status="done"]').wait_for(timeout=LIVE_S * 1000)
    new_id = await wait_for_new_photo(site, known)
    assert page.url.rstrip("/") == site.url
    await page.get_by_role("button", name="Close").click()
    await page.locator(f'[data-photo-id="{new_id}"]').wait_for(timeout=LIVE_S * 1000)
