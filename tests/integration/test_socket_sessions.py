"""An open graphql-transport-ws socket keeps checking who it belongs to: closed 4403 when the
account is disabled, 4401 when its session ends or its token expires, and every operation
(mutations included) re-checks the identity first (issue 10: 1)."""

from __future__ import annotations

import contextlib
import time
from typing import Any

from tornado.simple_httpclient import SimpleAsyncHTTPClient
from tornado.websocket import WebSocketClosedError

from photonix_rt.app import open_services
from photonix_rt.auth.tokens import decode_access_token, issue_access_token
from photonix_rt.config import Config
from photonix_rt.services.container import Services
from photonix_rt.store.db import Database
from tests.integration.conftest import serving
from tests.integration.test_sessions import gql_at, redis_config  # noqa: F401 (a fixture)
from tests.integration.test_subscriptions import Client

LOGIN = """mutation($u: String!, $p: String!) {
  login(username: $u, password: $p) { accessToken refreshToken user { id } }
}"""
LOGOUT = "mutation($t: String!) { logout(refreshToken: $t) }"
CHANGE = "mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) }"
SET_ACTIVE = "mutation($id: ID!, $a: Boolean!) { setUserActive(id: $id, active: $a) { isActive } }"
CREATE_USER = """mutation($u: String!, $p: String!) {
  createUser(username: $u, password: $p, isAdmin: true) { username }
}"""
ME = "{ me { username isAdmin } }"


async def sign_in(gql: Any, username: str, password: str) -> dict[str, Any]:
    body = await gql(LOGIN, {"u": username, "p": password})
    assert "errors" not in body, body
    return body["data"]["login"]


async def operation(client: Client, op_id: str, query: str,
                    variables: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """Send one query or mutation; its first answer (None if the socket closed)."""
    if client.conn.close_code is not None:
        return None  # closed already (Tornado's client would wait forever to read)
    with contextlib.suppress(WebSocketClosedError):
        await client.send({"id": op_id, "type": "subscribe",
                           "payload": {"query": query, "variables": variables or {}}})
    return await client.recv()


async def close_code(client: Client) -> int | None:
    """How the socket was (or is now being) closed."""
    if client.conn.close_code is None:
        return await client.closed_with()
    return client.conn.close_code


async def admins(services: Services) -> tuple[Any, Any]:
    root = await services.users.create("root", "root's pass phrase", is_admin=True)
    alice = await services.users.create("alice", "alice's pass phrase", is_admin=True)
    return root, alice


async def test_disabled_admins_socket_is_closed_and_cannot_mutate(
        server: str, gql: Any, services: Services, db: Database) -> None:
    _root, alice = await admins(services)
    root_token = (await sign_in(gql, "root", "root's pass phrase"))["accessToken"]
    alice_token = (await sign_in(gql, "alice", "alice's pass phrase"))["accessToken"]
    socket = await Client.connect(server)
    await socket.init(alice_token)
    assert await operation(socket, "me", ME) == {
        "id": "me", "type": "next", "payload": {"data": {"me": {"username": "alice",
                                                                 "isAdmin": True}}}}
    assert await socket.recv() == {"id": "me", "type": "complete"}

    disabled = await gql(SET_ACTIVE, {"id": str(alice.id), "a": False}, token=root_token)
    assert disabled == {"data": {"setUserActive": {"isActive": False}}}
    # What the attack did next over its still-open socket: a new admin, and itself back on.
    answers = [await operation(socket, "new", CREATE_USER, {"u": "mallory",
                                                            "p": "mallory's pass phrase"}),
               await operation(socket, "back", SET_ACTIVE, {"id": str(alice.id), "a": True})]
    for answer in answers:
        assert answer is None or answer["type"] == "error", answer
    assert await close_code(socket) == 4403
    assert await db.fetchval("SELECT count(*) FROM users WHERE username = 'mallory'") == 0
    assert await db.fetchval("SELECT is_active FROM users WHERE id = $1", alice.id) is False


async def test_disabling_closes_an_idle_socket_at_once(server: str, gql: Any,
                                                       services: Services) -> None:
    _root, alice = await admins(services)
    root_token = (await sign_in(gql, "root", "root's pass phrase"))["accessToken"]
    socket = await Client.connect(server)
    await socket.init((await sign_in(gql, "alice", "alice's pass phrase"))["accessToken"])
    await socket.subscribe("live")  # waiting for events, sending nothing
    await gql(SET_ACTIVE, {"id": str(alice.id), "a": False}, token=root_token)
    started = time.monotonic()
    assert await socket.closed_with(wait_s=5) == 4403
    assert time.monotonic() - started < 1.0


async def test_logout_closes_that_sessions_sockets_only(server: str, gql: Any,
                                                        services: Services) -> None:
    await services.users.create("alice", "alice's pass phrase")
    ending = await sign_in(gql, "alice", "alice's pass phrase")
    staying = await sign_in(gql, "alice", "alice's pass phrase")
    ended_socket, other_socket = await Client.connect(server), await Client.connect(server)
    await ended_socket.init(ending["accessToken"])
    await other_socket.init(staying["accessToken"])
    assert await gql(LOGOUT, {"t": ending["refreshToken"]}) == {"data": {"logout": True}}
    assert await ended_socket.closed_with(wait_s=5) == 4401
    answer = await operation(other_socket, "me", ME)
    assert answer is not None and answer["payload"]["data"]["me"]["username"] == "alice"
    other_socket.close()


async def test_password_change_closes_the_other_sessions_sockets(server: str, gql: Any,
                                                                 services: Services) -> None:
    await services.users.create("alice", "alice's pass phrase")
    here = await sign_in(gql, "alice", "alice's pass phrase")
    elsewhere = await sign_in(gql, "alice", "alice's pass phrase")
    here_socket, elsewhere_socket = await Client.connect(server), await Client.connect(server)
    await here_socket.init(here["accessToken"])
    await elsewhere_socket.init(elsewhere["accessToken"])
    # Changed over the socket itself: the socket's own session survives.
    answer = await operation(here_socket, "pw", CHANGE, {"o": "alice's pass phrase",
                                                        "n": "a new pass phrase"})
    assert answer == {"id": "pw", "type": "next", "payload": {"data": {"changePassword": True}}}
    assert await elsewhere_socket.closed_with(wait_s=5) == 4401
    assert await here_socket.recv() == {"id": "pw", "type": "complete"}
    assert await here_socket.quiet()
    here_socket.close()


async def test_socket_closes_when_its_token_expires(server: str, gql: Any,
                                                    services: Services) -> None:
    user = await services.users.create("alice", "alice's pass phrase")
    signed = await sign_in(gql, "alice", "alice's pass phrase")
    secret = bytes.fromhex(services.config.secret_key_path.read_text().strip())
    session = decode_access_token(secret, signed["accessToken"]).session_id
    short = issue_access_token(secret, user.id, "alice", is_admin=False, ttl_s=2,
                               session_id=session)
    socket = await Client.connect(server)
    await socket.init(short)
    await socket.subscribe("live")
    started = time.monotonic()
    assert await socket.closed_with(wait_s=6) == 4401
    assert 1.0 < time.monotonic() - started < 4.0


async def test_every_operation_rechecks_even_without_a_notice(
        config: Config, db: Database) -> None:
    """Two processes that do not share a bus: the socket's process hears nothing of the
    disabling, and still refuses the next mutation (its cache is off, as when Redis is down)."""
    async with open_services(config, db) as one, open_services(config, db) as two, \
            serving(one) as base_one, serving(two) as base_two:
        client = SimpleAsyncHTTPClient(force_instance=True)
        try:
            gql_one = gql_at(client, base_one)
            _root, alice = await admins(one)
            root_token = (await sign_in(gql_one, "root", "root's pass phrase"))["accessToken"]
            alice_token = (await sign_in(gql_one, "alice", "alice's pass phrase"))["accessToken"]
            two.auth.sessions.ttl_s = 0  # nothing cached in process two
            socket = await Client.connect(base_two)
            await socket.init(alice_token)
            await gql_one(SET_ACTIVE, {"id": str(alice.id), "a": False}, token=root_token)
            assert await socket.quiet()  # no notice reached process two
            answer = await operation(socket, "new", CREATE_USER,
                                     {"u": "mallory", "p": "mallory's pass phrase"})
            assert answer is None or answer["type"] == "error", answer
            assert await close_code(socket) == 4403
            assert await db.fetchval("SELECT count(*) FROM users WHERE username = 'mallory'") \
                == 0
        finally:
            client.close()


async def test_disabling_on_one_process_closes_the_socket_on_the_other(
        redis_config: Config, db: Database) -> None:  # noqa: F811
    client = SimpleAsyncHTTPClient(force_instance=True)
    try:
        async with open_services(redis_config, db) as one, \
                open_services(redis_config, db) as two, \
                serving(one) as base_one, serving(two) as base_two:
            gql_one = gql_at(client, base_one)
            _root, alice = await admins(one)
            root_token = (await sign_in(gql_one, "root", "root's pass phrase"))["accessToken"]
            alice_token = (await sign_in(gql_one, "alice", "alice's pass phrase"))["accessToken"]
            socket = await Client.connect(base_two)
            await socket.init(alice_token)
            await gql_one(SET_ACTIVE, {"id": str(alice.id), "a": False}, token=root_token)
            started = time.monotonic()
            assert await socket.closed_with(wait_s=5) == 4403
            assert time.monotonic() - started < 1.0
    finally:
        client.close()
