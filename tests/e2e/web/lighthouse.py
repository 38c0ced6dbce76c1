"""Lighthouse (npm ``lighthouse``, pinned in web/package.json) on the signed-in timeline.

Chromium is started by Playwright with a DevTools port and a fresh profile, signed in through
the form (the refresh token lands in the profile's localStorage), then Lighthouse attaches to
that browser (``--port``) with ``--disable-storage-reset`` so the page it loads resumes the
session and paints the timeline, at Lighthouse's mobile profile (its default: a phone screen,
simulated slow 4G and CPU). Nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from typing import Any

from tests.e2e.serve_process import free_port
from tests.e2e.web.conftest import CHROMIUM, CHROMIUM_ARGS, WEB, Site, sign_in

LIGHTHOUSE = WEB / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices")


async def lighthouse_timeline(playwright_api: Any, site: Site, *,
                              timeout_s: float = 180) -> dict[str, Any]:
    """The Lighthouse report (JSON, as a dict) of ``/`` signed in as the admin."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="photonix-lh-") as profile:
        context = await playwright_api.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM),
            args=[*CHROMIUM_ARGS, f"--remote-debugging-port={port}"])
        try:
            page = context.pages[0] if context.pages else await context.new_page()
            await sign_in(page, site)  # Lighthouse emulates the phone in its own tab
            await page.goto("about:blank")  # Lighthouse opens its own tab
            process = await asyncio.create_subprocess_exec(
                str(LIGHTHOUSE), site.url + "/", f"--port={port}", "--disable-storage-reset",
                "--output=json", "--output-path=stdout", "--quiet",
                f"--only-categories={','.join(CATEGORIES)}",
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                env={**os.environ, "CHROME_PATH": str(CHROMIUM)}, cwd=str(WEB))
            try:
                out, err = await asyncio.wait_for(process.communicate(), timeout_s)
            except TimeoutError:
                process.kill()
                await process.wait()
                raise
            assert process.returncode == 0, err.decode(errors="replace")[-3000:]
            return json.loads(out)
        finally:
            await context.close()


def scores(report: dict[str, Any]) -> dict[str, float]:
    """Category scores (0..1) and the figures the issue names."""
    result = {name: report["categories"][name]["score"] for name in CATEGORIES
              if name in report["categories"]}
    audits = report["audits"]
    result["cls"] = audits["cumulative-layout-shift"]["numericValue"]
    result["lcp_ms"] = audits["largest-contentful-paint"]["numericValue"]
    return result


def thumbnails_requested(report: dict[str, Any]) -> int:
    """How many grid thumbnails the audited page loaded (proves it was the timeline)."""
    items = report["audits"]["network-requests"]["details"]["items"]
    return sum(1 for item in items if "/thumbnails/" in item.get("url", ""))


def failing_accessibility_audits(report: dict[str, Any]) -> list[str]:
    refs = report["categories"]["accessibility"]["auditRefs"]
    return [f"{ref['id']}: {report['audits'][ref['id']]['title']}" for ref in refs
            if ref.get("weight") and report["audits"][ref["id"]].get("score") not in (None, 1)]


__all__ = ["LIGHTHOUSE", "failing_accessibility_audits", "lighthouse_timeline", "scores",
           "thumbnails_requested"]
