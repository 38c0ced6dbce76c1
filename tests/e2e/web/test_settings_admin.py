"""Settings' administration in Chromium at the phone profile, against a real server.

An owner adds a second user as a viewer, makes them an editor and takes them out (an unknown
name is refused next to the form); the owner picks the uploads folder and an editor can then
upload; viewers and editors get no member or uploads controls and the server refuses their
mutations; the Jobs section shows each stage's rate and time left and follows new jobs live.
With ``PHOTONIX_SCREENSHOTS=DIR``: ``settings-members.png`` and ``settings-jobs.png``.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.e2e.serve_process import run_cli
from tests.e2e.web.conftest import Site
from tests.e2e.web.photos import Shot, wall_clock
from tests.e2e.web.test_accessibility import SHOTS, check
from tests.e2e.web.test_settings import _settings
from tests.e2e.web.test_web_app import LIVE_S

pytestmark = pytest.mark.slow

MEMBERS = "query($l: ID!) { library(id: $l) { members { username role } } }"
UPLOADS = "query($l: ID!) { library(id: $l) { canUpload uploadsFolder { path } } }"
RATE = re.compile(r"(\d+(?:\.\d)?)/min")


@asynccontextmanager
async def _another_phone(playwright_api: Any, browser: Any) -> AsyncIterator[Any]:
    """A second phone (its own storage, so its own sign-in)."""
    context = await browser.new_context(**playwright_api.devices["Pixel 7"])
    try:
        yield context
    finally:
        await context.close()


def _roles(site: Site) -> dict[str, str]:
    members = site.data(MEMBERS, {"l": site.library_id})["library"]["members"]
    return {m["username"]: m["role"] for m in members}


async def _check_and_shoot(page: Any, screen: str, top: Any) -> None:
    """axe on the screen scrolled to ``top``; with PHOTONIX_SCREENSHOTS also a screenshot,
    in 256 colours (small in the repository)."""
    for _ in range(100):  # toasts last 4 s: keep them out of the picture
        if not await page.locator(".toast").count():
            break
        await asyncio.sleep(0.1)
    await top.evaluate("el => el.scrollIntoView({block: 'start'})")
    await check(page, screen)
    if not SHOTS:
        return
    path = Path(SHOTS) / f"{screen}.png"

    def palette() -> None:
        with Image.open(path) as image:
            image.convert("RGB").quantize(256).save(path, optimize=True)

    await asyncio.to_thread(palette)


async def _fits_a_small_phone(page: Any, top: Any) -> None:
    """At 360 px wide nothing sticks out sideways (the page never scrolls horizontally)."""
    size = page.viewport_size
    await page.set_viewport_size({"width": 360, "height": size["height"]})
    try:
        await top.evaluate("el => el.scrollIntoView({block: 'start'})")
        overflow = await page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{overflow} px wider than a 360 px screen"
    finally:
        await page.set_viewport_size(size)


async def test_an_owner_adds_changes_and_removes_a_member(phone: Any, site: Site) -> None:
    site.data(
        "mutation($u: String!, $p: String!) { createUser(username: $u, password: $p) { id } }",
        {"u": "dana", "p": "dana-e2e-secret-5"},
    )
    page = await phone.new_page()
    await _settings(page, site, "admin")
    members = page.get_by_role("list", name="Members")
    await members.locator('li[data-member="editor"]').wait_for(timeout=30_000)
    # Owners first, then by name; the owner's own row has no controls.
    assert await members.locator("li").evaluate_all(
        "items => items.map(li => li.dataset.member)"
    ) == ["admin", "editor", "viewer"]
    me = members.locator('li[data-member="admin"]')
    assert await me.get_by_role("combobox").count() == 0
    assert await me.get_by_role("button").count() == 0

    # An unknown name: refused next to the form, nothing added.
    name = page.get_by_label("Their username")
    await name.fill("nobody")
    await page.get_by_role("button", name="Add member").click()
    refusal = page.locator("#add-member-error")
    await refusal.wait_for(timeout=10_000)
    assert "no active account called “nobody”" in await refusal.inner_text()
    assert "nobody" not in _roles(site)

    await name.fill("dana")
    await page.get_by_label("Role", exact=True).select_option("VIEWER")
    await page.get_by_role("button", name="Add member").click()
    dana = members.locator('li[data-member="dana"]')
    await dana.wait_for(timeout=10_000)
    assert await refusal.count() == 0  # the earlier refusal is gone
    assert _roles(site)["dana"] == "VIEWER"
    assert await name.input_value() == ""

    await page.get_by_label("Role of dana").select_option("EDITOR")
    await page.get_by_text("dana is now an editor").wait_for(timeout=10_000)
    assert _roles(site)["dana"] == "EDITOR"
    await _check_and_shoot(
        page, "settings-members", page.get_by_role("group", name="Uploads folder")
    )
    await _fits_a_small_phone(page, page.get_by_role("heading", name="Members"))

    await dana.get_by_role("button", name="Remove dana").click()
    await dana.wait_for(state="detached", timeout=10_000)
    assert "dana" not in _roles(site)


async def test_the_owner_picks_the_uploads_folder(
    phone: Any, playwright_api: Any, browser: Any, site: Site
) -> None:
    folder = site.folder.parent / "phone-uploads"
    folder.mkdir()
    await run_cli(site.env, "import", str(folder), "--library", "Photos")
    before = site.data(UPLOADS, {"l": site.library_id}, as_user="editor")["library"]
    assert before == {"canUpload": False, "uploadsFolder": None}

    page = await phone.new_page()
    await _settings(page, site, "admin")
    uploads = page.get_by_role("group", name="Uploads folder")
    await uploads.wait_for(timeout=30_000)
    assert "names the server chooses" in await uploads.inner_text()
    assert await uploads.get_by_role("radio", name="No uploads").is_checked()
    await uploads.get_by_role("radio", name=str(folder.resolve())).check()
    await page.get_by_text("Uploads now go to this folder").wait_for(timeout=10_000)
    after = site.data(UPLOADS, {"l": site.library_id}, as_user="editor")["library"]
    assert after == {"canUpload": True, "uploadsFolder": {"path": str(folder.resolve())}}
    # Viewers never upload, whatever the folder.
    assert (
        site.data(UPLOADS, {"l": site.library_id}, as_user="viewer")["library"]["canUpload"]
        is False
    )
    # The choice holds after a reload.
    await page.reload()
    await uploads.get_by_role("radio", name=str(folder.resolve())).wait_for(timeout=30_000)
    assert await uploads.get_by_role("radio", name=str(folder.resolve())).is_checked()

    # The editor reads where uploads go, and can choose nothing.
    async with _another_phone(playwright_api, browser) as other:
        editor = await other.new_page()
        await _settings(editor, site, "editor")
        where = editor.get_by_text("Uploads from phones go to")
        await where.wait_for(timeout=30_000)
        assert str(folder.resolve()) in await where.inner_text()
        assert await editor.get_by_role("radio").count() == 0

    await uploads.get_by_role("radio", name="No uploads").check()
    await page.get_by_text("This library takes no uploads").wait_for(timeout=10_000)
    assert site.data(UPLOADS, {"l": site.library_id}, as_user="editor")["library"] == before


async def test_viewers_and_editors_get_no_admin_controls_and_are_refused(
    playwright_api: Any, browser: Any, site: Site
) -> None:
    uploads_before = site.data(UPLOADS, {"l": site.library_id})["library"]
    roles_before = _roles(site)
    for who in ("viewer", "editor"):
        async with _another_phone(playwright_api, browser) as other:
            page = await other.new_page()
            await _settings(page, site, who)
            await page.get_by_role("button", name="Change password").wait_for()
            if who == "editor":
                await page.get_by_role("heading", name="Jobs").wait_for(timeout=30_000)
            else:
                await page.wait_for_timeout(500)
            assert await page.get_by_role("heading", name="Members").count() == 0
            assert await page.get_by_role("button", name="Add member").count() == 0
            assert await page.get_by_role("combobox").count() == 0
            assert await page.get_by_role("group", name="Uploads folder").count() == 0
            assert await page.get_by_role("radio").count() == 0

    paths = site.data(
        "query($l: ID!) { library(id: $l) { paths { id } } }", {"l": site.library_id}
    )["library"]["paths"]
    ids = {m: site.data("{ me { id } }", as_user=m)["me"]["id"] for m in ("admin", "viewer")}
    refused = [
        ("query($l: ID!) { library(id: $l) { members { username } } }", {}),
        (
            'mutation($l: ID!) { addLibraryMember(libraryId: $l, username: "viewer",'
            " role: OWNER) { role } }",
            {},
        ),
        (
            "mutation($l: ID!, $u: ID!) { removeLibraryMember(libraryId: $l, userId: $u) }",
            {"u": ids["admin"]},
        ),
        (
            "mutation($l: ID!, $p: ID) { setUploadsFolder(libraryId: $l, pathId: $p) { id } }",
            {"p": paths[0]["id"]},
        ),
    ]
    for who in ("viewer", "editor"):
        for query, variables in refused:
            body = site.graphql(query, {"l": site.library_id, **variables}, site.tokens[who])
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (who, query, body)
    assert _roles(site) == roles_before
    assert site.data(UPLOADS, {"l": site.library_id})["library"] == uploads_before


def _stage(site: Site, stage: str) -> dict[str, Any]:
    """One stage's figures as the server reports them (zeros before its first job)."""
    progress = site.data(
        "query($l: ID!) { stageProgress(libraryId: $l) { stage done perMinute etaSeconds } }",
        {"l": site.library_id},
    )["stageProgress"]
    # Never StopIteration here: raised through asyncio.to_thread it leaves the await hanging.
    return next((s for s in progress if s["stage"] == stage), {"done": 0, "perMinute": 0.0})


async def _done(page: Any, stage: str) -> int:
    cells = page.locator(f'tr[data-stage="{stage}"] td')
    return int(await cells.nth(2).inner_text())


async def test_jobs_show_rates_and_follow_new_work_live(phone: Any, site: Site) -> None:
    page = await phone.new_page()
    await _settings(page, site, "admin")
    total = page.locator("[data-jobs-total]")
    await total.wait_for(timeout=30_000)
    colour_done = await _done(page, "colour")

    # A new photo: its colour job runs. Once the server counts more done jobs than the screen
    # showed, job events bring the screen there within seconds (its fallback refresh while
    # work waits is every 30 s).
    site.drop(Shot(wall_clock(2025, 8, 1, 10, 0)))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + LIVE_S
    while (finished := (await asyncio.to_thread(_stage, site, "colour"))["done"]) <= colour_done:
        assert loop.time() < deadline, (
            f"no colour job finished in {LIVE_S}s:\n{site.server.output()[-3000:]}"
        )
        await asyncio.sleep(0.25)
    deadline = loop.time() + 10
    while await _done(page, "colour") < finished:
        assert loop.time() < deadline, "the Jobs section did not follow the finished jobs live"
        await asyncio.sleep(0.25)

    # The seed photos and this one finished in the last 5 minutes: a rate, as the server says.
    pace = await page.locator('tr[data-pace="colour"]').inner_text()
    shown = RATE.search(pace)
    assert shown and float(shown.group(1)) > 0, pace
    rate = (await asyncio.to_thread(_stage, site, "colour"))["perMinute"]
    assert float(shown.group(1)) == pytest.approx(rate, rel=0.5, abs=0.2)
    assert RATE.search(await total.inner_text())
    await _check_and_shoot(page, "settings-jobs", page.get_by_role("heading", name="Jobs"))
    await _fits_a_small_phone(page, page.get_by_role("heading", name="Jobs"))
