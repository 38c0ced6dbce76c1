"""Debian's nginx with ``deploy/nginx/photonix-rt.conf`` in front of two ``photonix-rt serve``
processes sharing PostgreSQL and Redis, as deploy/README.md sets it up (issue 12).

Through nginx, over HTTPS with a self-signed certificate the test makes:

- HTTP/2 is offered (ALPN), plain HTTP redirects to HTTPS;
- the web app loads (index.html and a hashed asset, the server's caching headers intact);
- GraphQL works (sign in, list libraries);
- a stock ``graphql-ws`` client subscribed over ``wss://`` gets the live PHOTO_ADDED of a
  photo dropped into the watched folder;
- login throttling sees each client's own address (``PHOTONIX_TRUST_PROXY``): a sprayer at
  127.0.0.2, forging X-Forwarded-For/X-Real-IP, is throttled while a client at 127.0.0.3 is
  not; if the servers saw nginx's address (or the forged one) this would fail;
- a body of exactly ``client_max_body_size`` passes, one byte more is refused (413), and that
  limit equals the server's own default ``max_body_bytes``;
- ``/metrics`` is not served through the proxy.

Skipped when nginx, openssl, Node, Redis or the photo fixtures are missing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import ssl
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from tornado.httpclient import HTTPResponse
from tornado.simple_httpclient import SimpleAsyncHTTPClient

from photonix_rt.auth.password_policy import MAX_PASSWORD_LENGTH
from photonix_rt.config import Config
from photonix_rt.store import events as events_store
from photonix_rt.store.db import Database
from tests.e2e.event_follower import EventFollower
from tests.e2e.nginx_proxy import DEPLOY_CONF, NginxProxy, make_certificate, nginx_binary
from tests.e2e.serve_process import (
    ServerProcess,
    free_port,
    photonix_env,
    run_cli,
    scratch_database,
)
from tests.e2e.web.conftest import webapp

__all__ = ["webapp"]

# Deadlines to fail instead of hanging, not timings: two cores shared with other work.
START_S = 180
DELIVER_S = 120
PASSWORD = "pw-proxy-e2e-admin"
LIBRARY = "proxied"
LOGIN = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }"
SPRAYER, CLIENT = "127.0.0.2", "127.0.0.3"  # loopback addresses the test connects from


@pytest_asyncio.fixture
async def proxy_database(server_url: str) -> AsyncIterator[str]:
    async with scratch_database(server_url, "photonix_proxy") as url:
        yield url


@pytest.fixture
def tools() -> None:
    if nginx_binary() is None:
        pytest.skip("nginx is not installed (Debian package 'nginx'; ./dev test installs it)")
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the test's certificate")


def body_limit_bytes() -> int:
    """``client_max_body_size`` of the deploy file, in bytes."""
    match = re.search(r"client_max_body_size\s+(\d+)([kKmM]?);", DEPLOY_CONF.read_text())
    assert match, "deploy/nginx/photonix-rt.conf sets no client_max_body_size"
    scale = {"": 1, "k": 1024, "m": 1024 * 1024}[match.group(2).lower()]
    return int(match.group(1)) * scale


class Via:
    """HTTPS requests through the proxy, from a chosen loopback address."""

    def __init__(self, proxy: NginxProxy, cert: Path) -> None:
        self.proxy = proxy
        self.cert = cert
        self._http = SimpleAsyncHTTPClient(force_instance=True)

    async def fetch(self, path: str, *, source: str = CLIENT, **kwargs: Any) -> HTTPResponse:
        return await self._http.fetch(self.proxy.url + path, raise_error=False,
                                      ca_certs=str(self.cert), network_interface=source,
                                      follow_redirects=False, request_timeout=60, **kwargs)

    async def graphql(self, query: str, variables: dict[str, Any] | None = None, *,
                      token: str | None = None, source: str = CLIENT,
                      headers: dict[str, str] | None = None) -> dict[str, Any]:
        headers = {"Content-Type": "application/json", **(headers or {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = await self.fetch("/graphql", source=source, method="POST", headers=headers,
                                    body=json.dumps({"query": query, "variables": variables}))
        assert response.code == 200, (response.code, response.body)
        return json.loads(response.body)

    async def login_code(self, username: str, password: str, *, source: str,
                         headers: dict[str, str] | None = None) -> str | None:
        body = await self.graphql(LOGIN, {"u": username, "p": password}, source=source,
                                  headers=headers)
        errors = body.get("errors")
        return errors[0]["extensions"]["code"] if errors else None

    def close(self) -> None:
        self._http.close()


async def negotiated_protocol(port: int, cert: Path) -> str | None:
    """The ALPN protocol nginx picks when a client offers HTTP/2 and HTTP/1.1."""
    context = ssl.create_default_context(cafile=str(cert))
    context.set_alpn_protocols(["h2", "http/1.1"])
    _, writer = await asyncio.open_connection("127.0.0.1", port, ssl=context)
    try:
        return writer.get_extra_info("ssl_object").selected_alpn_protocol()
    finally:
        writer.close()
        with contextlib.suppress(OSError, ssl.SSLError):
            await writer.wait_closed()


async def test_nginx_carries_the_app_graphql_sockets_and_client_addresses(
        tools: None, node_scripts: Path, redis_url: str, proxy_database: str,
        fixtures_dir: Path, webapp: Path, tmp_path: Path) -> None:
    seed, dropped = fixtures_dir / "photonix" / "snow.jpg", fixtures_dir / "photonix" / "tree.jpg"
    if not (seed.is_file() and dropped.is_file()):
        pytest.skip("photo fixtures missing")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    await asyncio.to_thread(shutil.copyfile, seed, inbox / "seed.jpg")
    env = photonix_env(database_url=proxy_database, redis_url=redis_url,
                       data_dir=tmp_path / "data", PHOTONIX_TRUST_PROXY="1",
                       PHOTONIX_RESCAN_INTERVAL="3600")
    await run_cli(env, "user", "create", "admin", "--admin", "--password-stdin",
                  stdin=PASSWORD + "\n")
    await run_cli(env, "import", str(inbox), "--library", LIBRARY)
    cert, key = await asyncio.to_thread(make_certificate, tmp_path)

    servers = [ServerProcess.start(env, port=free_port(), log_path=tmp_path / f"serve-{n}.log")
               for n in ("one", "two")]
    proxy = NginxProxy.start(tmp_path, upstreams=[s.port for s in servers], cert=cert, key=key)
    via = Via(proxy, cert)
    db = await Database.connect(proxy_database)
    follower: EventFollower | None = None
    try:
        await proxy.wait_ready(30)
        for server in servers:
            await server.wait_ready(START_S)
        for server in servers:
            await server.wait_watching(inbox, START_S)

        # TLS with HTTP/2 on offer; plain HTTP only redirects.
        assert await negotiated_protocol(proxy.https_port, cert) == "h2"
        plain = await via._http.fetch(f"http://127.0.0.1:{proxy.http_port}/graphql",
                                      follow_redirects=False, raise_error=False)
        assert plain.code == 301
        assert plain.headers["Location"] == "https://127.0.0.1/graphql"

        # The web app, with the server's own caching and security headers.
        page = await via.fetch("/")
        html = page.body.decode()
        assert page.code == 200, html
        assert page.headers["Content-Type"].startswith("text/html")
        assert page.headers["Cache-Control"] == "no-cache"
        assert "default-src 'self'" in page.headers["Content-Security-Policy"]
        script = re.search(r'src="(/assets/[^"]+\.js)"', html)
        assert script, html
        asset = await via.fetch(script.group(1))
        assert asset.code == 200
        assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert asset.body == (webapp / script.group(1).lstrip("/")).read_bytes()
        deep_link = await via.fetch("/people")  # an app route: index.html again
        assert deep_link.code == 200 and deep_link.body == page.body

        # GraphQL.
        login = await via.graphql(LOGIN, {"u": "admin", "p": PASSWORD})
        assert not login.get("errors"), login
        token = login["data"]["login"]["accessToken"]
        libraries = await via.graphql("{ libraries { id name } }", token=token)
        # nginx names each request (X-Request-ID: its $request_id), whatever a client sent.
        named = await via.fetch("/healthz", headers={"X-Request-ID": "client-chosen"})
        assert re.fullmatch(r"[0-9a-f]{32}", named.headers["X-Request-ID"])
        library = next(lib["id"] for lib in libraries["data"]["libraries"]
                       if lib["name"] == LIBRARY)

        # A graphql-ws subscription over wss:// through nginx gets a live event.
        start = await events_store.last_sequence(db)
        follower = await EventFollower.start(
            node_scripts / "follow_events.mjs", proxy.url, token, library, start,
            name="client via nginx", env={**os.environ, "NODE_EXTRA_CA_CERTS": str(cert)})
        target = inbox / "dropped-tree.jpg"
        await asyncio.to_thread(shutil.copyfile, dropped, target)

        def added(events: list[dict[str, Any]]) -> bool:
            return any(e["kind"] == "PHOTO_ADDED"
                       and json.loads(e["payload"])["path"] == str(target) for e in events)

        await follower.wait_for(added, DELIVER_S, "the dropped photo's PHOTO_ADDED")

        # Throttling per real client address. The sprayer sends over-long passwords (counted
        # attempts that cost no hashing) for ever new usernames, and forges the headers the
        # server trusts; nginx must replace them with the address it saw.
        forged = {"X-Forwarded-For": "198.51.100.1", "X-Real-IP": "198.51.100.1"}
        in_a_row = 0
        for i in range(200):
            forged["X-Real-IP"] = forged["X-Forwarded-For"] = f"198.51.100.{i % 250 + 1}"
            code = await via.login_code(f"nobody{i}", "x" * (MAX_PASSWORD_LENGTH + 1),
                                        source=SPRAYER, headers=forged)
            if code == "RATE_LIMITED":
                in_a_row += 1
                if in_a_row == 4:  # round-robin: both processes refuse the sprayer now
                    break
            else:
                assert code == "UNAUTHENTICATED", code
                in_a_row = 0
        assert in_a_row == 4, "the sprayer was never throttled"
        assert await via.login_code("admin", PASSWORD, source=SPRAYER) == "RATE_LIMITED"
        for _ in servers:  # whichever process answers, the other client is not throttled
            assert await via.login_code("admin", PASSWORD, source=CLIENT) is None

        # Bodies: nginx's limit is the server's; exactly the limit passes, one byte more not.
        limit = body_limit_bytes()
        assert limit == Config().max_body_bytes, "nginx and the server disagree on body size"
        envelope = json.dumps({"query": "{ __typename }", "extensions": {"pad": ""}})
        padding = "x" * (limit - len(envelope))
        fits = envelope.replace('"pad": ""', f'"pad": "{padding}"')
        assert len(fits.encode()) == limit
        response = await via.fetch("/graphql", method="POST", body=fits,
                                   headers={"Content-Type": "application/json"})
        assert response.code == 200, response.body[:300]
        assert json.loads(response.body)["data"] == {"__typename": "Query"}
        response = await via.fetch("/graphql", method="POST", body=fits + " ",
                                   headers={"Content-Type": "application/json"})
        assert response.code == 413

        # Metrics stay on the processes' loopback ports.
        assert (await via.fetch("/metrics")).code == 404

        proxy.stop()
        codes = await asyncio.gather(*(server.stop() for server in servers))
        assert codes == [0, 0], [server.log_path.read_text()[-3000:] for server in servers]
    finally:
        if follower is not None:
            await follower.close()
        proxy.stop()
        for server in servers:
            if server.process.poll() is None:
                with contextlib.suppress(AssertionError):
                    await server.stop(60)
            server.kill()
        via.close()
        await db.close()
