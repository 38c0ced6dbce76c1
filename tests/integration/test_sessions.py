"""Access tokens end with their session: logout, password change and refresh-token reuse take
effect at once, in this process and (through the Redis bus) in every other (issue 10: 7)."""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
import pytest_asyncio
import redis.asyncio as aioredis
from tornado.simple_httpclient import SimpleAsyncHTTPClient

from photonix_rt.app import open_services
from photonix_rt.config import Config
from photonix_rt.events.redis_bus import RedisBus
from photonix_rt.services.container import Services
from photonix_rt.services.sessions import SessionEnded, Sessions
from photonix_rt.store.db import Database
from tests.integration.conftest import serving

REDIS_URL = os.environ.get("PHOTONIX_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

LOGIN = """mutation($u: String!, $p: String!) {
  login(username: $u, password: $p) { accessToken refreshToken user { id } }
}"""
REFRESH = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }"
LOGOUT = "mutation($t: String!) { logout(refreshToken: $t) }"
CHANGE = "mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) }"
ME = "{ me { username } }"
PASSWORD = "alice's pass phrase"


def code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors")
    return errors[0]["extensions"]["code"] if errors else None


async def sign_in(gql: Any) -> dict[str, Any]:
    body = await gql(LOGIN, {"u": "alice", "p": PASSWORD})
    assert "errors" not in body, body
    return body["data"]["login"]


async def test_logout_ends_the_access_token_at_once(gql: Any, services: Services) -> None:
    await services.users.create("alice", PASSWORD)
    session = await sign_in(gql)
    other = await sign_in(gql)
    assert code(await gql(ME, token=session["accessToken"])) is None  # cached as good now
    assert await gql(LOGOUT, {"t": session["refreshToken"]}) == {"data": {"logout": True}}
    assert code(await gql(ME, token=session["accessToken"])) == "UNAUTHENTICATED"
    assert code(await gql(ME, token=other["accessToken"])) is None  # another session


async def test_password_change_ends_the_other_sessions_access_tokens(
        gql: Any, services: Services) -> None:
    await services.users.create("alice", PASSWORD)
    here = await sign_in(gql)
    elsewhere = await sign_in(gql)
    assert code(await gql(ME, token=elsewhere["accessToken"])) is None
    changed = await gql(CHANGE, {"o": PASSWORD, "n": "a brand new pass phrase"},
                        token=here["accessToken"])
    assert changed == {"data": {"changePassword": True}}
    assert code(await gql(ME, token=elsewhere["accessToken"])) == "UNAUTHENTICATED"
    assert code(await gql(ME, token=here["accessToken"])) is None


async def test_refresh_token_reuse_ends_the_familys_access_tokens(
        gql: Any, services: Services) -> None:
    await services.users.create("alice", PASSWORD)
    first = await sign_in(gql)
    rotated = (await gql(REFRESH, {"t": first["refreshToken"]}))["data"]["refreshToken"]
    assert code(await gql(ME, token=rotated["accessToken"])) is None
    assert code(await gql(REFRESH, {"t": first["refreshToken"]})) == "UNAUTHENTICATED"  # reuse
    assert code(await gql(ME, token=first["accessToken"])) == "UNAUTHENTICATED"
    assert code(await gql(ME, token=rotated["accessToken"])) == "UNAUTHENTICATED"


async def test_good_answers_are_cached_until_a_session_ends(
        gql: Any, services: Services, db: Database) -> None:
    user = await services.users.create("alice", PASSWORD)
    session = await sign_in(gql)
    assert code(await gql(ME, token=session["accessToken"])) is None
    # Revoked behind the service's back: no invalidation, so the cached answer still stands
    # (this is what the cache saves: one query per request)...
    await db.execute("UPDATE refresh_tokens SET revoked_at = now()")
    assert code(await gql(ME, token=session["accessToken"])) is None
    # ...until anything that ends a session says so.
    await services.auth.sessions.ended(user.id)
    assert code(await gql(ME, token=session["accessToken"])) == "UNAUTHENTICATED"


# ---- two server processes sharing the Redis bus ---------------------------------------------


@pytest_asyncio.fixture
async def redis_config(config: Config) -> AsyncIterator[Config]:
    client = aioredis.Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (OSError, aioredis.ConnectionError):
        pytest.skip(f"no Redis at {REDIS_URL}")
    finally:
        await client.aclose()
    yield replace(config, redis_url=REDIS_URL)


def gql_at(client: SimpleAsyncHTTPClient, base: str) -> Any:
    async def do_gql(query: str, variables: dict[str, Any] | None = None,
                     token: str | None = None) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        response = await client.fetch(base + "/graphql", method="POST", headers=headers,
                                      body=json.dumps({"query": query, "variables": variables}),
                                      raise_error=False)
        return json.loads(response.body)

    return do_gql


async def until_refused(gql: Any, token: str, within_s: float) -> float:
    """Seconds until ``me`` with ``token`` is refused; fails after ``within_s``."""
    started = time.monotonic()
    while time.monotonic() - started < within_s:
        if code(await gql(ME, token=token)) == "UNAUTHENTICATED":
            return time.monotonic() - started
        await asyncio.sleep(0.02)
    raise AssertionError(f"the token still works after {within_s} s")


async def test_logout_on_one_process_ends_the_token_on_the_other(
        redis_config: Config, db: Database) -> None:
    client = SimpleAsyncHTTPClient(force_instance=True)
    try:
        async with open_services(redis_config, db) as one, \
                open_services(redis_config, db) as two, \
                serving(one) as base_one, serving(two) as base_two:
            gql_one, gql_two = gql_at(client, base_one), gql_at(client, base_two)
            await one.users.create("alice", PASSWORD)
            session = (await gql_one(LOGIN, {"u": "alice", "p": PASSWORD}))["data"]["login"]
            assert code(await gql_two(ME, token=session["accessToken"])) is None
            assert two.auth.sessions._cache, "process two should have cached the good answer"
            assert await gql_one(LOGOUT, {"t": session["refreshToken"]}) == \
                {"data": {"logout": True}}
            assert await until_refused(gql_two, session["accessToken"], within_s=1.0) < 1.0
    finally:
        client.close()


async def test_disabling_on_one_process_ends_the_token_on_the_other(
        redis_config: Config, db: Database) -> None:
    client = SimpleAsyncHTTPClient(force_instance=True)
    try:
        async with open_services(redis_config, db) as one, \
                open_services(redis_config, db) as two, \
                serving(one) as base_one, serving(two) as base_two:
            gql_one, gql_two = gql_at(client, base_one), gql_at(client, base_two)
            await one.users.create("root", "root's pass phrase", is_admin=True)
            bob = await one.users.create("bob", "bob's pass phrase")
            root = (await gql_one(LOGIN, {"u": "root", "p": "root's pass phrase"}))
            bobs = (await gql_two(LOGIN, {"u": "bob", "p": "bob's pass phrase"}))
            bob_token = bobs["data"]["login"]["accessToken"]
            assert code(await gql_two(ME, token=bob_token)) is None
            await gql_one("mutation($id: ID!) { setUserActive(id: $id, active: false) "
                          "{ isActive } }", {"id": str(bob.id)},
                          token=root["data"]["login"]["accessToken"])
            assert await until_refused(gql_two, bob_token, within_s=1.0) < 1.0
    finally:
        client.close()


async def test_nothing_is_cached_while_the_bus_is_down(redis_config: Config, db: Database,
                                                       services: Services) -> None:
    """A process that may be missing revocations asks the database every time, and when its
    subscription comes back it has every watcher (socket) check again."""
    user = await services.users.create("alice", PASSWORD)
    signed = await services.auth.login("alice", PASSWORD, "127.0.0.1")
    session = (await services.auth.session(signed.access_token)).session_id
    assert session is not None
    name = f"sessions-test-{uuid.uuid4().hex[:8]}"
    bus = RedisBus(REDIS_URL, prefix=name + ":", client_name=name)
    await bus.start()
    sessions = Sessions(db, bus)
    await sessions.start()
    client = aioredis.Redis.from_url(REDIS_URL)
    notices: list[int] = []
    sessions.watch(user.id, lambda: notices.append(1))
    try:
        await until(lambda: sessions._listening)
        await sessions.check(user.id, session)
        assert sessions._cache  # a good answer, cached while the bus is up
        for entry in await client.client_list(_type="pubsub"):
            if entry["name"] == name:
                await client.client_kill_filter(_id=entry["id"])
        await until(lambda: not sessions._listening)
        assert not sessions._cache
        # Revoked where this process cannot hear of it: refused all the same.
        await db.execute("UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1",
                         session)
        with pytest.raises(SessionEnded):
            await sessions.check(user.id, session)
        await until(lambda: sessions._listening, within_s=10)
        assert notices  # back: every socket of every user checks again
    finally:
        await client.aclose()
        await sessions.close()
        await bus.close()


async def until(condition: Any, within_s: float = 5.0) -> None:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < within_s, "condition not met in time"
        await asyncio.sleep(0.02)
