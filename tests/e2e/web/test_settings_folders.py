"""Library folders from the Settings screen: an admin who owns the library adds a folder (its
photos are imported and appear), a folder outside the allowed roots is refused with the
server's message, and removing a folder asks first and keeps its photos; an owner who is not
an admin, and editors, get no such controls.
"""

from __future__ import annotations

import asyncio
import re
import time
from datetime import timedelta
from typing import Any

import pytest

from tests.e2e.web.conftest import Site, sign_in
from tests.e2e.web.photos import Shot, wall_clock, write_jpeg
from tests.e2e.web.test_accessibility import check

pytestmark = pytest.mark.slow
PATHS = "query($l: ID!) { library(id: $l) { paths { id path } } }"


async def _settings(page: Any, site: Site, username: str) -> None:
    await sign_in(page, site, username)
    await page.goto(site.url + "/settings")
    await page.get_by_role("heading", name="Settings").wait_for(timeout=30_000)


async def _until(check_: Any, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not check_():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.3)


async def test_an_admin_owner_adds_and_removes_a_folder(desktop: Any, site: Site) -> None:
    before = set(site.photo_ids())
    extra = site.folder.parent / "extra"
    start = wall_clock(2019, 6, 1, 10, 0)
    for i in range(2):
        write_jpeg(extra / f"extra-{i}.jpg",
                   Shot(start + timedelta(hours=i), "Canon", "Canon EOS 40D"), seed=900 + i)

    page = await desktop.new_page()
    await _settings(page, site, "admin")
    folder = page.get_by_label("Add a folder on the server")

    await folder.fill("/etc")  # outside the allowed roots: the server's message, inline
    await page.get_by_role("button", name="Add", exact=True).click()
    await page.get_by_role("alert").filter(has_text=re.compile("allowed|folder")).wait_for(
        timeout=10_000)
    assert len(site.data(PATHS, {"l": site.library_id})["library"]["paths"]) == 1

    await folder.fill(str(extra))
    await page.get_by_role("button", name="Add", exact=True).click()
    await page.get_by_text(re.compile(r"^Added .*importing")).wait_for(timeout=10_000)
    await page.locator(f'li[data-path="{extra}"]').wait_for(timeout=10_000)
    await _until(lambda: len(set(site.photo_ids()) - before) == 2)
    added = set(site.photo_ids()) - before

    # Removing asks first and says the photos stay; they do.
    row = page.locator(f'li[data-path="{extra}"]')
    await row.get_by_role("button", name=f"Remove {extra}").click()
    await row.get_by_text("Its photos stay in the library").wait_for()
    await row.scroll_into_view_if_needed()
    await check(page, "desktop-settings-folders")  # axe, and a screenshot when asked
    await row.get_by_role("button", name="Remove", exact=True).click()
    await page.get_by_text(re.compile(r"removed; its photos stay")).wait_for(timeout=10_000)
    await row.wait_for(state="detached", timeout=10_000)
    paths = site.data(PATHS, {"l": site.library_id})["library"]["paths"]
    assert [p["path"] for p in paths] == [str(site.folder)]
    assert added <= set(site.photo_ids())


async def test_editors_get_no_folder_controls(phone: Any, site: Site) -> None:
    page = await phone.new_page()
    await _settings(page, site, "editor")
    await page.get_by_role("heading", name=re.compile(r"^Library")).wait_for(timeout=30_000)
    assert await page.get_by_label("Add a folder on the server").count() == 0
    assert await page.get_by_role("button", name=re.compile(r"^Remove \S")).count() == 0
