"""The web app at ``/``: files, the SPA fallback, what it never answers, caching and headers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from photonix_rt.config import Config
from tests.integration.conftest import Fetch

INDEX = b"<!doctype html><title>app</title><div id=app></div>"


@pytest.fixture
def config(config: Config, tmp_path: Path) -> Config:
    web = tmp_path / "webapp"
    (web / "assets").mkdir(parents=True)
    (web / "index.html").write_bytes(INDEX)
    (web / "assets" / "index-AbC123.js").write_text("console.log('app')")
    (web / "sw.js").write_text("self.addEventListener('fetch', () => {})")
    (web / "icons").mkdir()
    (web / "icons" / "icon-192.png").write_bytes(b"\x89PNG fake")
    return replace(config, web_dir=web)


@pytest.mark.parametrize("path", ["/", "/photos/3f2c", "/search?text=dog", "/live", "/setup",
                                  "/people/abc/def"])
async def test_app_routes_answer_index_html_with_security_headers(fetch: Fetch,
                                                                  path: str) -> None:
    response = await fetch(path)
    assert response.code == 200
    assert response.body == INDEX
    assert response.headers["Cache-Control"] == "no-cache"
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'self'" in csp
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


async def test_hashed_assets_are_immutable_and_the_worker_is_revalidated(fetch: Fetch) -> None:
    asset = await fetch("/assets/index-AbC123.js")
    assert asset.code == 200 and asset.body == b"console.log('app')"
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "javascript" in asset.headers["Content-Type"]
    worker = await fetch("/sw.js")
    assert worker.code == 200 and worker.headers["Cache-Control"] == "no-cache"
    icon = await fetch("/icons/icon-192.png")
    assert icon.code == 200 and icon.headers["Content-Type"] == "image/png"


@pytest.mark.parametrize("path", ["/thumbnails/nope.webp", "/originals/xyz", "/embed/x",
                                  "/s/token", "/api/thing", "/metrics/x", "/graphql/extra"])
async def test_server_paths_are_never_the_app(fetch: Fetch, path: str) -> None:
    response = await fetch(path)
    assert response.code == 404
    assert response.body != INDEX


async def test_metrics_are_metrics_not_the_app(fetch: Fetch) -> None:
    response = await fetch("/metrics")  # from loopback: answered (http/metrics.py)
    assert response.code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.body != INDEX


async def test_paths_cannot_leave_the_web_folder(fetch: Fetch, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("not for you")
    for path in ("/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt"):
        response = await fetch(path)
        assert b"not for you" not in response.body, path


async def test_the_api_still_answers_beside_the_app(fetch: Fetch) -> None:
    assert (await fetch("/healthz")).code == 200
    response = await fetch("/graphql", method="POST", body='{"query": "{ serverVersion }"}',
                           headers={"Content-Type": "application/json"})
    assert response.code == 200 and b"serverVersion" in response.body


async def test_without_a_build_the_root_says_how_to_build(fetch: Fetch, config: Config) -> None:
    (config.web_dir / "index.html").unlink()
    response = await fetch("/")
    assert response.code == 200
    assert b"./dev serve" in response.body
    assert "Content-Security-Policy" in response.headers
