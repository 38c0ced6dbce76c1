"""The Settings screen in a real browser: change the password and sign out other sessions
(checked against the server), an owner turns a classifier stage off, rescans, sees the jobs per
stage; an admin creates and disables a user; a viewer sees only their account; axe clean at
the phone profile and at a desktop size.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.web.conftest import PASSWORDS, Site, sign_in
from tests.e2e.web.test_accessibility import check

pytestmark = pytest.mark.slow
LOGIN = """mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
  refreshToken } }"""
REFRESH = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }"


async def _settings(page: Any, site: Site, username: str) -> None:
    await sign_in(page, site, username)
    await page.get_by_role("navigation", name="Main").get_by_role("button", name="More").click()
    await page.get_by_role("link", name="Settings").click()
    await page.wait_for_url(re.compile(r"/settings$"))
    await page.get_by_role("heading", name="Settings").wait_for(timeout=30_000)


async def test_account_password_and_other_sessions(phone: Any, site: Site) -> None:
    other = site.graphql(LOGIN, {"u": "editor", "p": PASSWORDS["editor"]})
    refresh = other["data"]["login"]["refreshToken"]
    page = await phone.new_page()
    await _settings(page, site, "editor")
    await page.get_by_role("button", name="Sign out other sessions").click()
    await page.get_by_text("Your other sessions were signed out").wait_for(timeout=10_000)
    assert site.graphql(REFRESH, {"t": refresh}).get("errors"), "the other session lives on"

    new = "editor-e2e-changed-9"
    await page.get_by_label("Current password").fill(PASSWORDS["editor"])
    await page.get_by_label("New password").fill(new)
    await page.get_by_role("button", name="Change password").click()
    await page.get_by_text("Password changed").wait_for(timeout=10_000)
    assert not site.graphql(LOGIN, {"u": "editor", "p": new}).get("errors")
    assert site.graphql(LOGIN, {"u": "editor", "p": PASSWORDS["editor"]}).get("errors")
    # An editor sees the library's folders and jobs, but cannot switch classifiers.
    await page.get_by_role("heading", name=re.compile(r"^Library")).wait_for()
    assert await page.get_by_role("switch").first.is_disabled()
    assert await page.get_by_role("heading", name="Users").count() == 0
    await check(page, "settings")


async def test_owner_and_admin_settings(desktop: Any, site: Site) -> None:
    page = await desktop.new_page()
    await _settings(page, site, "admin")
    settings = "query($l: ID!) { classifierSettings(libraryId: $l) { stage enabled available } }"
    # Owners switch a stage whether or not a runner has loaded it yet (the setting stays).
    colours = page.get_by_role("switch", name=re.compile(r"^Colours"))
    assert await colours.is_checked()
    await colours.uncheck()
    await page.get_by_text(re.compile(r"^Colours off")).wait_for(timeout=10_000)
    stages = {s["stage"]: s["enabled"] for s in
              site.data(settings, {"l": site.library_id})["classifierSettings"]}
    assert stages["colour"] is False
    await colours.check()
    await page.get_by_text(re.compile(r"^Colours on")).wait_for(timeout=10_000)
    stages = {s["stage"]: s["enabled"] for s in
              site.data(settings, {"l": site.library_id})["classifierSettings"]}
    assert stages["colour"] is True

    # Watching a folder: off, then on again (the server's list follows).
    watch = page.get_by_role("switch", name=re.compile(r"^Watch "))
    paths = "query($l: ID!) { library(id: $l) { paths { watch } } }"
    await watch.uncheck()
    await page.get_by_text("No longer watching the folder").wait_for(timeout=10_000)
    assert site.data(paths, {"l": site.library_id})["library"]["paths"][0]["watch"] is False
    await watch.check()
    await page.get_by_text("Watching the folder", exact=True).wait_for(timeout=10_000)
    assert site.data(paths, {"l": site.library_id})["library"]["paths"][0]["watch"] is True

    await page.get_by_role("button", name="Rescan every folder").click()
    await page.get_by_text(re.compile(r"Rescan started|already running")).wait_for()
    # The server pushes where the scan stands, then what it found (nothing new here).
    await page.get_by_role("status").filter(has_text=re.compile(r"^Rescan done: \d+ files? checked")
                                            ).wait_for(timeout=60_000)
    assert await page.locator("tr[data-stage]").count() == 5  # every stage, jobs or not

    await page.get_by_label("Username", exact=True).fill("carol")
    await page.get_by_label("Password", exact=True).fill("carol-e2e-secret-4")
    await page.get_by_role("button", name="Create user").click()
    row = page.locator('li[data-username="carol"]')
    await row.wait_for(timeout=10_000)
    await row.get_by_role("button", name="Disable carol").click()
    await row.get_by_text("Disabled").wait_for(timeout=10_000)
    users = {u["username"]: u["isActive"] for u in site.data("{ users { username isActive } }")
             ["users"]}
    assert users["carol"] is False
    await check(page, "desktop-settings")


async def test_a_viewer_sees_only_their_account(phone: Any, site: Site) -> None:
    page = await phone.new_page()
    await _settings(page, site, "viewer")
    await page.get_by_role("button", name="Change password").wait_for()
    await page.wait_for_timeout(500)
    assert await page.get_by_role("heading", name=re.compile(r"^Library")).count() == 0
    assert await page.get_by_role("heading", name="Users").count() == 0
