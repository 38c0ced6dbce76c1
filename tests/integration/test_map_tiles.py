"""The optional online map background (issue 8): off by default, admins set or clear it,
everyone signed in reads it, the URL and attribution are validated, and the web app's
Content-Security-Policy allows the tile origin for images and fetches only while it is set."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
from tornado.simple_httpclient import SimpleAsyncHTTPClient

from photonix_rt.app import open_services
from photonix_rt.auth.identity import Viewer
from photonix_rt.config import Config
from photonix_rt.store.db import Database
from tests.integration.conftest import Fetch, serving
from tests.integration.own_postgres import OwnPostgres
from tests.integration.photo_factory import Gql, data_of

READ = "query { mapTileSource { url kind attribution origin updatedAt } }"
SET = """mutation($u: String!, $a: String!) { setMapTileSource(url: $u, attribution: $a)
  { url kind attribution origin } }"""
CLEAR = "mutation { clearMapTileSource }"
TILES = "https://tiles.example.org:8443/osm/{z}/{x}/{y}.png?key=abc"
OSM = "© OpenStreetMap contributors"


@pytest.fixture
def config(config: Config, tmp_path: Path) -> Config:
    web = tmp_path / "webapp"
    (web / "assets").mkdir(parents=True)
    (web / "index.html").write_bytes(b"<!doctype html><title>app</title>")
    (web / "assets" / "index-AbC123.js").write_text("console.log('app')")
    return replace(config, web_dir=web)


def _code(body: dict) -> str:
    return body["errors"][0]["extensions"]["code"]


async def test_admins_set_and_clear_it_and_everyone_signed_in_reads_it(gql: Gql, make_user) -> None:
    admin = await make_user("root", admin=True)
    member = await make_user("member")
    assert _code(await gql(READ)) == "UNAUTHENTICATED"
    assert data_of(await gql(READ, token=member))["mapTileSource"] is None  # off by default

    refused = await gql(SET, {"u": TILES, "a": OSM}, token=member)
    assert _code(refused) == "FORBIDDEN"
    assert _code(await gql(SET, {"u": TILES, "a": OSM})) == "UNAUTHENTICATED"
    assert data_of(await gql(READ, token=member))["mapTileSource"] is None

    chosen = data_of(await gql(SET, {"u": f"  {TILES} ", "a": f" {OSM} "}, token=admin))[
        "setMapTileSource"
    ]
    assert chosen == {
        "url": TILES,
        "kind": "TILES",
        "attribution": OSM,
        "origin": "https://tiles.example.org:8443",
    }
    seen = data_of(await gql(READ, token=member))["mapTileSource"]
    assert {k: seen[k] for k in chosen} == chosen and seen["updatedAt"]

    # A style JSON (no braces) replaces it; the default port is left out of the origin.
    style = data_of(
        await gql(
            SET,
            {"u": "https://Maps.Example.net:443/styles/liberty.json", "a": "OpenFreeMap"},
            token=admin,
        )
    )["setMapTileSource"]
    assert style["kind"] == "STYLE" and style["origin"] == "https://maps.example.net"

    assert _code(await gql(CLEAR, token=member)) == "FORBIDDEN"
    assert data_of(await gql(CLEAR, token=admin))["clearMapTileSource"] is True
    assert data_of(await gql(READ, token=member))["mapTileSource"] is None
    assert data_of(await gql(CLEAR, token=admin))["clearMapTileSource"] is False


@pytest.mark.parametrize(
    ("url", "attribution"),
    [
        ("http://tiles.example.org/{z}/{x}/{y}.png", OSM),  # not https
        ("ftp://tiles.example.org/{z}/{x}/{y}.png", OSM),
        ("tiles.example.org/{z}/{x}/{y}.png", OSM),  # no scheme
        ("https:///{z}/{x}/{y}.png", OSM),  # no host
        ("https://me:secret@tiles.example.org/{z}/{x}/{y}.png", OSM),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", OSM),  # a Leaflet-only placeholder
        ("https://[::1]/{z}/{x}/{y}.png", OSM),  # no IPv6 literal in a CSP
        ("https://tiles.example.org;img-src/{z}/{x}/{y}", OSM),  # nothing to smuggle into a CSP
        ("https://tiles.example.org:99999/{z}/{x}/{y}.png", OSM),
        ("https://tiles.example.org/{z}/{x}.png", OSM),  # {y} missing
        ("https://tiles.example.org/{z}/{x}/{y}.png#top", OSM),
        ("https://tiles.example.org/a b/{z}/{x}/{y}.png", OSM),
        ("https://tiles.example.org/" + "a" * 2030 + "/{z}/{x}/{y}", OSM),  # over 2048
        ("", OSM),
        ("https://tiles.example.org/{z}/{x}/{y}.png", ""),  # attribution required
        ("https://tiles.example.org/{z}/{x}/{y}.png", "   "),
        ("https://tiles.example.org/{z}/{x}/{y}.png", "x" * 301),
        ("https://tiles.example.org/{z}/{x}/{y}.png", "line one\nline two"),
    ],
)
async def test_bad_urls_and_attributions_are_refused(
    gql: Gql, make_user, url: str, attribution: str
) -> None:
    admin = await make_user("root", admin=True)
    body = await gql(SET, {"u": url, "a": attribution}, token=admin)
    assert _code(body) == "BAD_USER_INPUT", body
    assert data_of(await gql(READ, token=admin))["mapTileSource"] is None


async def test_limits_are_inclusive(gql: Gql, make_user) -> None:
    admin = await make_user("root", admin=True)
    base = "https://tiles.example.org/{z}/{x}/{y}/"
    longest = base + "a" * (2048 - len(base))
    body = data_of(await gql(SET, {"u": longest, "a": "x" * 300}, token=admin))
    assert body["setMapTileSource"]["url"] == longest


def _directives(csp: str) -> dict[str, list[str]]:
    parts = (d.split() for d in csp.split(";") if d.strip())
    return {p[0]: p[1:] for p in parts}


async def test_the_app_csp_allows_the_tile_origin_only_while_it_is_set(
    fetch: Fetch, gql: Gql, make_user
) -> None:
    admin = await make_user("root", admin=True)
    origin = "https://tiles.example.org:8443"
    before = _directives((await fetch("/map")).headers["Content-Security-Policy"])
    assert before["img-src"] == ["'self'", "data:", "blob:"]
    assert before["connect-src"] == ["'self'", "ws:", "wss:"]

    data_of(await gql(SET, {"u": TILES, "a": OSM}, token=admin))
    for path in ("/", "/map", "/index.html"):
        during = _directives((await fetch(path)).headers["Content-Security-Policy"])
        assert during["img-src"] == [*before["img-src"], origin], path
        assert during["connect-src"] == [*before["connect-src"], origin], path
        # Only those two: scripts, styles, frames and the rest stay this origin's.
        assert {k: v for k, v in during.items() if k not in ("img-src", "connect-src")} == {
            k: v for k, v in before.items() if k not in ("img-src", "connect-src")
        }
    asset = await fetch("/assets/index-AbC123.js")
    assert "Content-Security-Policy" not in asset.headers

    data_of(await gql(CLEAR, token=admin))
    after = _directives((await fetch("/map")).headers["Content-Security-Policy"])
    assert after == before


async def test_the_app_is_still_served_with_the_last_policy_while_the_database_is_down(
    config: Config, own_db: Database, own_postgres: OwnPostgres
) -> None:
    client = SimpleAsyncHTTPClient(force_instance=True)
    settings = replace(config, database_url=own_postgres.url)
    async with open_services(settings, own_db) as services, serving(services) as base:
        try:
            user = await services.users.create("root", "root-pass-phrase", is_admin=True)
            admin = Viewer(user_id=user.id, username="root", is_admin=True)
            await services.map_tiles.set(admin, TILES, OSM)
            online = await client.fetch(base + "/map", raise_error=False)
            assert "https://tiles.example.org:8443" in online.headers["Content-Security-Policy"]

            await asyncio.to_thread(own_postgres.stop)
            down = await client.fetch(base + "/map", raise_error=False, request_timeout=30)
            assert down.code == 200
            assert (
                down.headers["Content-Security-Policy"] == online.headers["Content-Security-Policy"]
            )
        finally:
            await asyncio.to_thread(own_postgres.start)
            client.close()
