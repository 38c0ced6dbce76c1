"""Browser tests of the web app: Debian's Chromium driven by Playwright against a real server.

- ``webapp``: the built app in ``photonix_rt/webapp/`` (``npm ci`` + ``npm run build`` in
  ``web/`` when the build is missing or older than its sources).
- ``browser``: Chromium from ``/usr/bin/chromium`` (``PHOTONIX_CHROMIUM``); Playwright never
  downloads a browser. Skipped with a reason when it is not installed.
- ``site``: one real ``python -m photonix_rt serve`` for the module, on a fresh database, with
  a watched library of generated photos and three accounts: an admin (owner), an editor and a
  viewer. ``site.drop(...)`` writes a new photo into the watched folder.
- ``phone`` / ``desktop``: a new browser context at the Pixel 7 profile or 1280x800.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.e2e.serve_process import (
    ServerProcess,
    free_port,
    photonix_env,
    run_cli,
    scratch_database,
)
from tests.e2e.web.photos import Shot, wall_clock, write_jpeg

ROOT = Path(__file__).resolve().parents[3]
WEB = ROOT / "web"
BUILD = ROOT / "photonix_rt" / "webapp"
CHROMIUM = Path(os.environ.get("PHOTONIX_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
START_S = 180  # deadlines to fail instead of hanging, not timings
PASSWORDS = {"admin": "admin-e2e-secret-1", "editor": "editor-e2e-secret-2",
             "viewer": "viewer-e2e-secret-3"}
# The library the generated photos start with: two a month from March 2024 back.
SEED_PHOTOS = 24


def _newest_source_mtime() -> float:
    sources = [WEB / "index.html", WEB / "package-lock.json", WEB / "vite.config.ts"]
    for folder in (WEB / "src", WEB / "public"):
        if folder.is_dir():
            sources += [p for p in folder.rglob("*") if p.is_file()]
    return max(p.stat().st_mtime for p in sources if p.exists())


@pytest.fixture(scope="session")
def webapp() -> Path:
    """The built web app, rebuilt when its sources are newer than the build."""
    index = BUILD / "index.html"
    if index.exists() and index.stat().st_mtime >= _newest_source_mtime():
        return BUILD
    if shutil.which("npm") is None:
        pytest.skip("npm is needed to build the web app")
    if not (WEB / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=WEB, check=True,
                       capture_output=True, timeout=600)
    build = subprocess.run(["npm", "run", "build"], cwd=WEB, capture_output=True, text=True,
                           timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    return BUILD


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def playwright_api() -> AsyncIterator[Any]:
    if not CHROMIUM.exists():  # noqa: ASYNC240 (one stat at session start)
        pytest.skip(f"Chromium not found at {CHROMIUM} (Debian package 'chromium')")
    from playwright.async_api import async_playwright

    async with async_playwright() as api:
        yield api


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser(playwright_api: Any) -> AsyncIterator[Any]:
    browser = await playwright_api.chromium.launch(executable_path=str(CHROMIUM),
                                                   args=CHROMIUM_ARGS)
    yield browser
    await browser.close()


@pytest_asyncio.fixture(loop_scope="session")
async def phone(playwright_api: Any, browser: Any) -> AsyncIterator[Any]:
    context = await browser.new_context(**playwright_api.devices["Pixel 7"])
    yield context
    await context.close()


@pytest_asyncio.fixture(loop_scope="session")
async def desktop(browser: Any) -> AsyncIterator[Any]:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    yield context
    await context.close()


@dataclass
class Site:
    """A running server with a watched library and three accounts."""

    server: ServerProcess
    env: dict[str, str]
    folder: Path
    database_url: str
    library_id: str
    tokens: dict[str, str] = field(default_factory=dict)
    dropped: int = 0

    @property
    def url(self) -> str:
        return self.server.url

    def graphql(self, query: str, variables: dict[str, Any] | None = None,
                token: str | None = None) -> dict[str, Any]:
        """Blocking: one GraphQL request; returns the whole response body."""
        request = urllib.request.Request(
            self.url + "/graphql", method="POST",
            data=json.dumps({"query": query, "variables": variables or {}}).encode(),
            headers={"Content-Type": "application/json",
                     **({"Authorization": f"Bearer {token}"} if token else {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            return json.loads(error.read())

    def data(self, query: str, variables: dict[str, Any] | None = None,
             as_user: str = "admin") -> dict[str, Any]:
        body = self.graphql(query, variables, self.tokens[as_user])
        assert not body.get("errors"), body
        return body["data"]

    def photo_ids(self, filter: dict[str, Any] | None = None) -> list[str]:
        """Every photo of the library, newest first (the timeline's order)."""
        data = self.data(
            """query($l: ID!, $f: PhotoFilter) { photos(libraryId: $l, first: 500, filter: $f)
                 { edges { node { id } } } }""", {"l": self.library_id, "f": filter})
        return [edge["node"]["id"] for edge in data["photos"]["edges"]]

    def drop(self, shot: Shot, name: str | None = None) -> Path:
        """Write a new photo into the watched folder (one rename: a complete file)."""
        self.dropped += 1
        name = name or f"dropped-{self.dropped:03}.jpg"
        return write_jpeg(self.folder / "dropped" / name, shot, seed=10_000 + self.dropped)


def seed_shots() -> list[Shot]:
    start = wall_clock(2024, 3, 20, 12, 0)
    makes = [("Canon", "Canon EOS 40D"), ("NIKON CORPORATION", "NIKON D70")]
    return [Shot(start - timedelta(days=15 * i, hours=i), *makes[i % 2],
                 size=(900, 600) if i % 3 else (600, 900)) for i in range(SEED_PHOTOS)]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def fresh_database(server_url: str) -> AsyncIterator[str]:
    async with scratch_database(server_url, "photonix_web") as url:
        yield url


def login(site_url: str, username: str) -> str:
    request = urllib.request.Request(
        site_url + "/graphql", method="POST", headers={"Content-Type": "application/json"},
        data=json.dumps({"query": "mutation($u: String!, $p: String!) { login(username: $u,"
                                  " password: $p) { accessToken } }",
                         "variables": {"u": username, "p": PASSWORDS[username]}}).encode())
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.loads(response.read())
    assert not body.get("errors"), body
    return body["data"]["login"]["accessToken"]


async def start_site(tmp: Path, database_url: str,
                     shots: Callable[[], list[Shot]] = seed_shots) -> Site:
    """Seed a library through the CLI, then start the server that watches it."""
    folder = tmp / "library"
    for i, shot in enumerate(shots()):
        write_jpeg(folder / f"{shot.taken_at:%Y-%m}" / f"seed-{i:03}.jpg", shot, seed=i)
    # Folders under the site's own directory may be added from the app (admins who own).
    env = photonix_env(database_url=database_url, redis_url=None, data_dir=tmp / "data",
                       PHOTONIX_RESCAN_INTERVAL="3600", PHOTONIX_ALLOWED_ROOTS=str(tmp))
    if "PHOTONIX_MODELS_DIR" in os.environ:
        env["PHOTONIX_MODELS_DIR"] = os.environ["PHOTONIX_MODELS_DIR"]
    await run_cli(env, "user", "create", "admin", "--admin", "--password-stdin",
                  stdin=PASSWORDS["admin"] + "\n")
    await run_cli(env, "import", str(folder), "--library", "Photos")
    server = ServerProcess.start(env, port=free_port(), log_path=tmp / "server.log")
    try:
        await server.wait_ready(timeout_s=START_S)
        await server.wait_watching(folder, timeout_s=START_S)
        site = Site(server, env, folder, database_url, library_id="")
        site.tokens["admin"] = login(site.url, "admin")
        libraries = site.data("{ libraries { id name } }")["libraries"]
        site.library_id = next(lib["id"] for lib in libraries if lib["name"] == "Photos")
        for name, role in (("editor", "EDITOR"), ("viewer", "VIEWER")):
            site.data("mutation($u: String!, $p: String!) { createUser(username: $u,"
                      " password: $p) { id } }", {"u": name, "p": PASSWORDS[name]})
            site.data("mutation($l: ID!, $u: String!, $r: LibraryRole!) { addLibraryMember("
                      "libraryId: $l, username: $u, role: $r) { role } }",
                      {"l": site.library_id, "u": name, "r": role})
            site.tokens[name] = login(site.url, name)
    except BaseException:
        server.kill()
        raise
    return site


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def site(webapp: Path, fresh_database: str,
               tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Site]:
    site = await start_site(tmp_path_factory.mktemp("site"), fresh_database)
    yield site
    status = await site.server.stop()
    assert status == 0, site.server.output()


async def sign_in(page: Any, site: Site, username: str = "admin") -> None:
    """Sign in through the form, as a person does; returns once the app shows the library."""
    await page.goto(site.url + "/")
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(PASSWORDS[username])
    await page.get_by_role("button", name="Sign in").click()
    await page.locator("[data-photo-id]").first.wait_for(timeout=30_000)
