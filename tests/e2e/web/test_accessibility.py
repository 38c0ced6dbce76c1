"""axe-core on every screen of the app, at the phone profile: no serious or critical violation.

With ``PHOTONIX_SCREENSHOTS=DIR`` each screen is also saved as ``DIR/<screen>.png`` (how
web/docs/ is made); otherwise nothing is written.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.web.conftest import Site, sign_in

pytestmark = pytest.mark.slow
SHOTS = os.environ.get("PHOTONIX_SCREENSHOTS")


async def check(page: Any, screen: str) -> None:
    from axe_playwright_python.async_playwright import Axe

    await page.wait_for_load_state("networkidle")
    if SHOTS:
        await page.screenshot(path=str(Path(SHOTS) / f"{screen}.png"))
    results = await Axe().run(page)
    serious = [f"{v['id']} ({v['impact']}): {v['help']} at "
               f"{[n['target'] for n in v['nodes']][:3]}"
               for v in results.response["violations"]
               if v.get("impact") in ("serious", "critical")]
    assert not serious, f"{screen}: " + "\n".join(serious)


async def test_signed_out_screens(phone: Any, site: Site) -> None:
    page = await phone.new_page()
    await page.goto(site.url + "/")
    await page.get_by_label("Username").wait_for(timeout=30_000)
    await check(page, "sign-in")
    await page.goto(site.url + "/setup")
    await page.wait_for_timeout(500)
    await check(page, "setup-without-token")


async def test_signed_in_screens(phone: Any, site: Site) -> None:
    page = await phone.new_page()
    await sign_in(page, site)
    await check(page, "photos")
    photo_id = site.photo_ids()[0]
    await page.locator(f'[data-photo-id="{photo_id}"]').click()
    await page.wait_for_url(re.compile(rf"/photos/{photo_id}"))
    await page.get_by_role("dialog").first.wait_for(timeout=30_000)
    await check(page, "viewer")
    info = page.get_by_role("button", name=re.compile(r"^info", re.IGNORECASE))
    if await info.count():
        await info.first.click()
        await page.wait_for_timeout(500)
        await check(page, "viewer-info")
    await page.go_back()
    await page.goto(site.url + "/search")
    await page.get_by_label("Search").wait_for(timeout=30_000)
    await check(page, "search")
    await page.goto(site.url + "/live")
    await page.wait_for_timeout(1000)
    await check(page, "live")
    await page.goto(site.url + "/trash")
    await page.get_by_text("The trash is empty.").wait_for(timeout=30_000)
    await check(page, "trash-empty")


async def test_lighthouse_mobile_on_the_timeline(playwright_api: Any, site: Site) -> None:
    """Issue 7: accessibility >= 0.95 and CLS <= 0.1 at Lighthouse's mobile profile."""
    from tests.e2e.web.lighthouse import (
        LIGHTHOUSE,
        failing_accessibility_audits,
        lighthouse_timeline,
        scores,
        thumbnails_requested,
    )

    if not LIGHTHOUSE.exists():
        pytest.skip("web/node_modules has no lighthouse (npm ci in web/)")
    report = await lighthouse_timeline(playwright_api, site)
    assert thumbnails_requested(report) > 0, "Lighthouse did not see the signed-in timeline"
    figures = scores(report)
    print("lighthouse mobile:", figures)
    assert figures["accessibility"] >= 0.95, failing_accessibility_audits(report)
    assert figures["cls"] <= 0.1, figures


async def test_desktop_screens_and_the_info_panel_beside_the_photo(desktop: Any,
                                                                    site: Site) -> None:
    """At a desktop size: the side rail, and Info opens a panel beside the photo (not over it)."""
    page = await desktop.new_page()
    await sign_in(page, site)
    rail = await page.get_by_role("navigation", name="Main").bounding_box()
    assert rail["height"] > rail["width"], rail  # a rail down the side, not a bottom bar
    await check(page, "desktop-photos")
    photo_id = site.photo_ids()[0]
    await page.locator(f'[data-photo-id="{photo_id}"]').click()
    await page.get_by_role("dialog").first.wait_for(timeout=30_000)
    await page.get_by_role("button", name="Info").click()
    sheet = page.locator("[data-info-sheet]")
    await sheet.wait_for(timeout=10_000)
    await page.wait_for_timeout(300)
    panel = await sheet.bounding_box()
    frame = await page.locator(".slide:not([aria-hidden]) .frame").bounding_box()
    assert panel["x"] >= frame["x"] + frame["width"] - 1, (panel, frame)
    assert panel["height"] >= 0.9 * page.viewport_size["height"], panel
    await check(page, "desktop-viewer-info")
