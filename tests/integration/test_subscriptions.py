"""graphql-transport-ws through the real server: protocol, access, resume, origins, slow clients."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import socket
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any
from uuid import UUID

import pytest
import pytest_asyncio
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

from photonix_rt.config import Config
from photonix_rt.events.types import EventKind, EventMessage
from photonix_rt.http.graphql import GraphQLHandler
from photonix_rt.services.container import Services
from tests.integration.photo_factory import Gql, add_photo, make_library

ALLOWED = "http://allowed.example"

EVENTS = """subscription($l: ID, $s: String) {
  events(libraryId: $l, since: $s) { sequence kind libraryId payload }
}"""


@pytest.fixture
def config(config: Config) -> Config:
    return replace(config, allowed_origins=(ALLOWED,))


class Client:
    """A graphql-transport-ws client on a real socket, for protocol-level assertions."""

    def __init__(self, conn: WebSocketClientConnection) -> None:
        self.conn = conn

    @classmethod
    async def connect(cls, server: str, origin: str | None = None,
                      protocols: tuple[str, ...] = ("graphql-transport-ws",)) -> Client:
        headers = {"Origin": origin} if origin else {}
        request = HTTPRequest(server.replace("http", "ws", 1) + "/graphql", headers=headers)
        return cls(await websocket_connect(request, subprotocols=list(protocols)))

    async def send(self, message: dict[str, Any] | str) -> None:
        await self.conn.write_message(message if isinstance(message, str)
                                      else json.dumps(message))

    async def recv(self, wait_s: float = 10.0) -> dict[str, Any] | None:
        raw = await asyncio.wait_for(self.conn.read_message(), wait_s)
        return None if raw is None else json.loads(raw)

    async def closed_with(self, wait_s: float = 10.0) -> int | None:
        while await self.recv(wait_s) is not None:
            pass
        return self.conn.close_code

    async def init(self, token: str | None) -> None:
        await self.send({"type": "connection_init", "payload": {"token": token}})
        assert await self.recv() == {"type": "connection_ack"}

    async def subscribe(self, op_id: str, library: UUID | None = None,
                        since: str | None = None, query: str = EVENTS) -> None:
        await self.send({"id": op_id, "type": "subscribe", "payload": {
            "query": query, "variables": {"l": str(library) if library else None, "s": since}}})

    async def events(self, n: int, wait_s: float = 10.0) -> list[dict[str, Any]]:
        got = []
        while len(got) < n:
            message = await self.recv(wait_s)
            assert message is not None, f"closed after {len(got)} of {n}"
            assert message["type"] == "next", message
            got.append(message["payload"]["data"]["events"])
        return got

    async def quiet(self) -> bool:
        try:
            message = await self.recv(0.5)
        except TimeoutError:
            return True
        return message is None

    def close(self) -> None:
        self.conn.close()


@pytest_asyncio.fixture
async def client(server: str) -> AsyncIterator[Client]:
    opened = await Client.connect(server)
    yield opened
    opened.close()


async def emit(services: Services, library_id: UUID, kind: EventKind = EventKind.PHOTO_ADDED,
               photo_id: UUID | None = None, **payload: Any) -> EventMessage:
    async with services.db.transaction() as conn:
        message = await services.events.record(conn, kind, library_id, photo_id, payload)
    await services.events.publish(message)
    return message


# ---- protocol ----------------------------------------------------------------------------


async def test_subscribe_before_ack_is_closed_4401(client: Client) -> None:
    await client.subscribe("1")
    assert await client.closed_with() == 4401


async def test_bad_or_missing_token_is_closed_4403(server: str) -> None:
    for payload in ({"token": "not-a-token"}, {"Authorization": "Bearer nope"}, {}):
        client = await Client.connect(server)
        await client.send({"type": "connection_init", "payload": payload})
        assert await client.closed_with() == 4403, payload


async def test_token_in_authorization_payload_is_accepted(server: str, make_user: Any) -> None:
    token = await make_user("ann")
    client = await Client.connect(server)
    await client.send({"type": "connection_init",
                       "payload": {"Authorization": f"Bearer {token}"}})
    assert await client.recv() == {"type": "connection_ack"}
    client.close()


async def test_protocol_violations_close_with_their_codes(server: str, make_user: Any) -> None:
    token = await make_user("ann")
    garbage = await Client.connect(server)
    await garbage.send("{not json")
    assert await garbage.closed_with() == 4400

    twice = await Client.connect(server)
    await twice.init(token)
    await twice.send({"type": "connection_init", "payload": {"token": token}})
    assert await twice.closed_with() == 4429

    duplicate = await Client.connect(server)
    await duplicate.init(token)
    await duplicate.subscribe("same")
    await duplicate.subscribe("same")
    assert await duplicate.closed_with() == 4409

    silent = await Client.connect(server)
    assert await silent.closed_with() == 4408  # no connection_init within 3 s

    no_protocol = await Client.connect(server, protocols=("graphql-ws",))
    assert await no_protocol.closed_with() == 4406


async def test_ping_pong_and_a_query_over_the_socket(client: Client, make_user: Any) -> None:
    await client.init(await make_user("ann"))
    await client.send({"type": "ping", "payload": {"t": 1}})
    assert await client.recv() == {"type": "pong", "payload": {"t": 1}}
    await client.send({"id": "q", "type": "subscribe", "payload": {"query": "{ me { username } }"}})
    assert await client.recv() == {"id": "q", "type": "next",
                                   "payload": {"data": {"me": {"username": "ann"}}}}
    assert await client.recv() == {"id": "q", "type": "complete"}


async def test_invalid_operation_gets_an_error_message(client: Client, make_user: Any) -> None:
    await client.init(await make_user("ann"))
    await client.subscribe("bad", query="subscription { events { nope } }")
    message = await client.recv()
    assert message is not None and message["type"] == "error" and message["id"] == "bad"
    assert message["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    await client.subscribe("ahead", since="999999")
    message = await client.recv()
    assert message is not None and message["type"] == "error"
    assert message["payload"][0]["extensions"]["code"] == "BAD_USER_INPUT"


# ---- delivery ------------------------------------------------------------------------------


async def test_two_users_in_two_libraries_receive_only_their_events(
        server: str, services: Services, make_user: Any, gql: Gql) -> None:
    ann_token, bob_token = await make_user("ann"), await make_user("bob")
    lib_a = await make_library(gql, ann_token, "a")
    lib_b = await make_library(gql, bob_token, "b")
    ann, bob = await Client.connect(server), await Client.connect(server)
    await ann.init(ann_token)
    await bob.init(bob_token)
    await ann.subscribe("all")
    await bob.subscribe("all")
    await bob.subscribe("a", library=lib_a)  # not a member: refused
    refused = await bob.recv()
    assert refused is not None and refused["type"] == "error" and refused["id"] == "a"
    assert refused["payload"][0]["extensions"]["code"] == "NOT_FOUND"
    await asyncio.sleep(0.2)  # both subscriptions are registered server-side
    sent = [await emit(services, lib, n=i) for i, lib in enumerate([lib_a, lib_b, lib_a, lib_b])]
    ann_got = await ann.events(2)
    bob_got = await bob.events(2)
    assert [e["sequence"] for e in ann_got] == [str(sent[0].sequence), str(sent[2].sequence)]
    assert [e["sequence"] for e in bob_got] == [str(sent[1].sequence), str(sent[3].sequence)]
    assert {e["libraryId"] for e in ann_got} == {str(lib_a)}
    assert json.loads(ann_got[1]["payload"]) == {"n": 2}
    assert await ann.quiet() and await bob.quiet()
    ann.close()
    bob.close()


async def test_event_photo_is_loaded_for_the_client(
        client: Client, services: Services, make_user: Any, gql: Gql) -> None:
    token = await make_user("ann")
    library = await make_library(gql, token, "a")
    photo_id = await add_photo(services.db, library)
    await client.init(token)
    await client.subscribe("p", library=library, query="""subscription($l: ID) {
        events(libraryId: $l) { kind photoId photo { id libraryId } } }""")
    await asyncio.sleep(0.2)
    await emit(services, library, EventKind.PHOTO_ADDED, photo_id)
    [event] = await client.events(1)
    assert event == {"kind": "PHOTO_ADDED", "photoId": str(photo_id),
                     "photo": {"id": str(photo_id), "libraryId": str(library)}}


async def test_resume_after_cutting_the_socket_misses_and_repeats_nothing(
        server: str, services: Services, make_user: Any, gql: Gql) -> None:
    token = await make_user("ann")
    library = await make_library(gql, token, "a")
    first = await Client.connect(server)
    await first.init(token)
    await first.subscribe("e", library=library)
    await asyncio.sleep(0.2)
    total = 60

    async def produce() -> list[EventMessage]:
        sent = []
        for i in range(total):
            sent.append(await emit(services, library, n=i))
            await asyncio.sleep(0.005)
        return sent

    producer = asyncio.create_task(produce())
    received = await first.events(10)
    first.conn.stream.close()  # cut: no close handshake, the producer keeps going
    await asyncio.sleep(0.05)
    second = await Client.connect(server)
    await second.init(token)
    await second.subscribe("e", library=library, since=received[-1]["sequence"])
    sent = await producer
    received += await second.events(total - 10)
    assert [int(e["sequence"]) for e in received] == [m.sequence for m in sent]
    assert await second.quiet()
    second.close()


async def test_the_event_cursor_lets_a_client_resume_before_its_first_event(
        server: str, services: Services, make_user: Any, gql: Gql) -> None:
    """eventCursor, taken before any event arrived, is a `since` that misses nothing."""
    assert (await gql("{ eventCursor }"))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    token = await make_user("ann")
    library = await make_library(gql, token, "a")
    body = await gql("{ eventCursor }", token=token)
    cursor = body["data"]["eventCursor"]
    sent = [await emit(services, library, n=i) for i in range(3)]  # no socket open meanwhile
    client = await Client.connect(server)
    await client.init(token)
    await client.subscribe("e", library=library, since=cursor)
    received = await client.events(3)
    assert [int(e["sequence"]) for e in received] == [m.sequence for m in sent]
    assert await client.quiet()
    client.close()


async def test_progress_is_coalesced_for_a_client_that_lags(
        server: str, services: Services, make_user: Any, gql: Gql) -> None:
    token = await make_user("ann")
    library = await make_library(gql, token, "a")
    for i in range(30):
        await emit(services, library, EventKind.JOB_PROGRESS, done=i)
    last = await emit(services, library, EventKind.PHOTO_ADDED)
    client = await Client.connect(server)
    await client.init(token)
    await client.subscribe("e", library=library, since="0")
    got = await client.events(2)
    assert [(e["kind"], json.loads(e["payload"]).get("done")) for e in got] == [
        ("JOB_PROGRESS", 29), ("PHOTO_ADDED", None)]
    assert got[1]["sequence"] == str(last.sequence)
    client.close()


# ---- origins and slow clients ------------------------------------------------------------


async def test_cross_origin_sockets_are_refused_unless_allowed(server: str) -> None:
    with pytest.raises(HTTPClientError) as refused:
        await Client.connect(server, origin="http://evil.example")
    assert refused.value.code == 403
    for origin in (ALLOWED, server):  # configured, and same-origin
        client = await Client.connect(server, origin=origin)
        await client.send({"type": "ping"})
        assert await client.recv() == {"type": "pong"}
        client.close()


def _raw_stuck_client(server: str, token: str, op: dict[str, Any]) -> socket.socket:
    """A client that handshakes, subscribes, then never reads (tiny receive buffer)."""
    host, port = server.removeprefix("http://").split(":")
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((host, int(port)))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /graphql HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                  "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n"
                  "\r\n").encode())
    response = b""
    while b"\r\n\r\n" not in response:
        response += sock.recv(1)
    assert b" 101 " in response, response

    def frame(text: str) -> bytes:
        data, mask = text.encode(), os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        length = len(data)
        header = bytes([0x81, 0x80 | length]) if length < 126 else \
            bytes([0x81, 0x80 | 126]) + length.to_bytes(2, "big")
        return header + mask + masked

    sock.sendall(frame(json.dumps({"type": "connection_init", "payload": {"token": token}})))
    sock.sendall(frame(json.dumps(op)))
    return sock


async def test_a_stuck_client_is_disconnected_not_buffered_forever(
        server: str, services: Services, make_user: Any, gql: Gql,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(GraphQLHandler, "max_outbox", 20)
    token = await make_user("ann")
    library = await make_library(gql, token, "a")
    op = {"id": "e", "type": "subscribe", "payload": {
        "query": EVENTS, "variables": {"l": str(library)}}}
    sock = await asyncio.to_thread(_raw_stuck_client, server, token, op)
    await asyncio.sleep(0.3)
    big = "x" * 16_000
    caplog.set_level(logging.INFO, logger="photonix_rt.http.subscriptions")
    async with services.db.transaction() as conn:
        sent = [await services.events.record(conn, EventKind.PHOTO_ADDED, library, None,
                                             {"pad": big}) for _ in range(600)]
    await services.events.publish(*sent)
    for _ in range(100):
        if "frames unread" in caplog.text:
            break
        await asyncio.sleep(0.1)
    assert "frames unread" in caplog.text

    def read_all() -> bytes:
        chunks = []
        sock.settimeout(10)
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)

    data = await asyncio.to_thread(read_all)
    sock.close()
    # The server said why, in a close frame (code 1013), after what it had already sent.
    assert b"\x03\xf5Client too slow" in data
    assert data.count(b'"type":"next"') < len(sent)


async def test_a_disabled_account_stops_receiving_events(
        server: str, services: Services, make_user: Any, gql: Gql,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from photonix_rt.services import events as events_service

    monkeypatch.setattr(events_service, "_ACCESS_TTL_S", 0.0)  # re-check on every event
    admin = await make_user("root", admin=True)
    ann_token = await make_user("ann")
    library = await make_library(gql, ann_token, "a")
    ann = await Client.connect(server)
    await ann.init(ann_token)
    await ann.subscribe("lib", library=library)
    await asyncio.sleep(0.2)
    first = await emit(services, library, n=1)
    assert [e["sequence"] for e in await ann.events(1)] == [str(first.sequence)]

    ann_id = (await gql("{ me { id } }", token=ann_token))["data"]["me"]["id"]
    body = await gql("mutation($id: ID!) { setUserActive(id: $id, active: false) { id } }",
                     {"id": ann_id}, token=admin)
    assert "errors" not in body, body
    await emit(services, library, n=2)
    assert await ann.quiet()
    ann.close()
