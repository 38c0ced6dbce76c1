"""Identical live subscriptions share one stream: each socket still gets exactly its events."""

from __future__ import annotations

import asyncio
from typing import Any

from photonix_rt.http.broadcast import SharedStreams
from photonix_rt.services.container import Services
from tests.integration.photo_factory import Gql, make_library
from tests.integration.test_subscriptions import Client, emit


async def test_sockets_of_one_user_share_a_stream_and_each_gets_its_own_events(
        server: str, services: Services, make_user: Any, gql: Gql) -> None:
    token = await make_user("ann")
    library = await make_library(gql, token, "a")
    early, late = await Client.connect(server), await Client.connect(server)
    for client in (early, late):
        await client.init(token)
    await early.subscribe("x", library=library)
    await early.subscribe("y", library=library)  # same operation, another id, same socket
    await asyncio.sleep(0.2)
    first = await emit(services, library, n=1)
    got_x, got_y = await early.events(1), await early.events(1)
    assert {got_x[0]["sequence"], got_y[0]["sequence"]} == {str(first.sequence)}

    await late.subscribe("x", library=library)  # joins the running group
    await asyncio.sleep(0.2)
    second = await emit(services, library, n=2)
    assert [e["sequence"] for e in await late.events(1)] == [str(second.sequence)]
    assert [e["sequence"] for e in await early.events(2)] == [str(second.sequence)] * 2
    assert await late.quiet()  # nothing from before it joined

    early.close()  # leaving does not end the stream for the one still there
    await asyncio.sleep(0.2)
    third = await emit(services, library, n=3)
    assert [e["sequence"] for e in await late.events(1)] == [str(third.sequence)]
    late.close()


async def test_each_viewer_gets_a_group_of_its_own(
        server: str, services: Services, make_user: Any, gql: Gql) -> None:
    ann, bob = await make_user("ann"), await make_user("bob")
    library = await make_library(gql, ann, "a")
    ann_client, bob_client = await Client.connect(server), await Client.connect(server)
    await ann_client.init(ann)
    await bob_client.init(bob)
    await ann_client.subscribe("1", library=library)
    await bob_client.subscribe("1", library=library)  # same text: bob may not see it
    error = await bob_client.recv()
    assert error is not None and error["type"] == "error", error
    await asyncio.sleep(0.2)
    sent = await emit(services, library)
    assert [e["sequence"] for e in await ann_client.events(1)] == [str(sent.sequence)]
    assert await bob_client.quiet()
    ann_client.close()
    bob_client.close()


async def test_the_last_member_out_stops_the_group() -> None:
    async def scenario() -> tuple[int, bool]:
        streams = SharedStreams()
        closed = asyncio.Event()

        async def source() -> Any:
            try:
                await asyncio.Event().wait()
                yield None
            finally:
                closed.set()

        async def open_source() -> Any:
            return source()

        async def execute(_event: Any) -> str:
            return "{}"

        members = [streams.join(("k",), open_source, execute, str(i), 0, lambda *_: None)
                   for i in range(3)]
        await asyncio.sleep(0.05)
        for member in members[:2]:
            streams.leave(("k",), member)
        still_running = streams.group_count
        streams.leave(("k",), members[2])
        await asyncio.wait_for(closed.wait(), 5)
        return still_running, streams.group_count == 0

    assert await scenario() == (1, True)
