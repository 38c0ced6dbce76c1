"""Tags on many photos at once (the selection bar): tagPhotos / untagPhotos by role, refused
across libraries, PHOTO_UPDATED per changed photo on the bus and in the log, and the per-tag
counts and tag searches following along."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from photonix_rt.events.types import EventMessage, events_topic
from photonix_rt.services.container import Services
from photonix_rt.store import events as events_store
from photonix_rt.store.db import Database
from tests.integration.photo_factory import Gql, add_photo, add_tag, data_of, make_library

TAG = """mutation($l: ID!, $p: [ID!]!, $n: String!) {
  tagPhotos(libraryId: $l, photoIds: $p, name: $n) { tag { id name type libraryId } photoIds } }"""
UNTAG = """mutation($t: ID!, $p: [ID!]!) {
  untagPhotos(tagId: $t, photoIds: $p) { tag { id name } photoIds } }"""
SEEN = """query($l: ID!, $n: String!) {
  tags(libraryId: $l, type: USER) { tag { name } photoCount }
  found: photos(libraryId: $l, filter: {tagNames: [$n]}) { totalCount edges { node { id } } }
}"""


async def _seen(gql: Gql, token: str, library: str, name: str) -> dict[str, Any]:
    data = data_of(await gql(SEEN, {"l": library, "n": name}, token=token))
    return {
        "counts": {t["tag"]["name"]: t["photoCount"] for t in data["tags"]},
        "found": sorted(e["node"]["id"] for e in data["found"]["edges"]),
        "total": data["found"]["totalCount"],
    }


def _code(body: dict[str, Any]) -> str:
    return body["errors"][0]["extensions"]["code"]


async def _drain(sub: Any, n: int) -> list[EventMessage]:
    return [await asyncio.wait_for(anext(sub), 5) for _ in range(n)]


async def test_tag_and_untag_many(services: Services, db: Database, gql: Gql, make_user) -> None:
    owner = await make_user("owner")
    editor = await make_user("editor")
    viewer = await make_user("viewer")
    library_id = await make_library(gql, owner, "Bulk", {"editor": "EDITOR", "viewer": "VIEWER"})
    other_id = await make_library(gql, owner, "Other", {"editor": "EDITOR"})
    library = str(library_id)
    a, b, c = [str(await add_photo(db, library_id)) for _ in range(3)]
    stranger = str(await add_photo(db, other_id))
    # What other server processes (and so other devices) hear: the bus topic of this database.
    sub = await services.bus.subscribe([events_topic(str(await events_store.channel_id(db)))])
    try:
        # Viewers may not; a photo of another library refuses the whole call.
        assert (
            _code(await gql(TAG, {"l": library, "p": [a, b], "n": "Holiday"}, token=viewer))
            == "FORBIDDEN"
        )
        assert (
            _code(await gql(TAG, {"l": library, "p": [a, stranger], "n": "Holiday"}, token=editor))
            == "NOT_FOUND"
        )
        assert (
            _code(await gql(TAG, {"l": library, "p": [a], "n": "  "}, token=editor))
            == "BAD_USER_INPUT"
        )
        assert (await _seen(gql, viewer, library, "Holiday"))["counts"] == {}

        tagged = data_of(
            await gql(TAG, {"l": library, "p": [a, b], "n": " Holiday "}, token=editor)
        )["tagPhotos"]
        tag = tagged["tag"]
        assert (tag["name"], tag["type"], tag["libraryId"]) == ("Holiday", "USER", library)
        assert sorted(tagged["photoIds"]) == sorted([a, b])
        events = await _drain(sub, 2)
        assert sorted((e.kind, e.photo_id, e.payload["change"]) for e in events) == sorted(
            [("PHOTO_UPDATED", a, "tags"), ("PHOTO_UPDATED", b, "tags")]
        )
        assert await _seen(gql, viewer, library, "holiday") == {
            "counts": {"Holiday": 2},
            "found": sorted([a, b]),
            "total": 2,
        }

        # Same tag by another spelling: only the photo that lacked it changes.
        again = data_of(await gql(TAG, {"l": library, "p": [b, c], "n": "HOLIDAY"}, token=owner))[
            "tagPhotos"
        ]
        assert again["tag"]["id"] == tag["id"] and again["photoIds"] == [c]
        assert [(e.kind, e.photo_id) for e in await _drain(sub, 1)] == [("PHOTO_UPDATED", c)]
        assert (await _seen(gql, viewer, library, "Holiday"))["counts"] == {"Holiday": 3}

        # Removal: viewers refused, other libraries' photos refused, nothing changed by either.
        assert _code(await gql(UNTAG, {"t": tag["id"], "p": [a]}, token=viewer)) == "FORBIDDEN"
        assert (
            _code(await gql(UNTAG, {"t": tag["id"], "p": [a, stranger]}, token=editor))
            == "NOT_FOUND"
        )
        assert (await _seen(gql, viewer, library, "Holiday"))["total"] == 3
        untagged = data_of(await gql(UNTAG, {"t": tag["id"], "p": [a, b]}, token=editor))[
            "untagPhotos"
        ]
        assert sorted(untagged["photoIds"]) == sorted([a, b])
        assert sorted(e.photo_id for e in await _drain(sub, 2)) == sorted([a, b])
        assert await _seen(gql, viewer, library, "Holiday") == {
            "counts": {"Holiday": 1},
            "found": [c],
            "total": 1,
        }
        # Taking it off photos without it changes nothing and records nothing.
        none = data_of(await gql(UNTAG, {"t": tag["id"], "p": [a]}, token=editor))
        assert none["untagPhotos"]["photoIds"] == []
    finally:
        await sub.aclose()

    # A model's tag comes off too (hidden, so a re-run does not put it back); albums do not.
    model_tag = await add_tag(db, library_id, UUID(a), "dog")
    off = data_of(await gql(UNTAG, {"t": str(model_tag), "p": [a]}, token=editor))
    assert off["untagPhotos"]["photoIds"] == [a]
    assert (
        await db.fetchval(
            "SELECT hidden FROM photo_tags WHERE photo_id = $1 AND tag_id = $2", UUID(a), model_tag
        )
        is True
    )
    album = data_of(
        await gql(
            'mutation($l: ID!) { createAlbum(libraryId: $l, name: "Trip") { id } }',
            {"l": library},
            token=editor,
        )
    )["createAlbum"]["id"]
    assert _code(await gql(UNTAG, {"t": album, "p": [a]}, token=editor)) == "BAD_USER_INPUT"
    # The other library's editor cannot reach this library's tag.
    outsider = await make_user("outsider")
    assert _code(await gql(UNTAG, {"t": tag["id"], "p": [c]}, token=outsider)) in (
        "NOT_FOUND",
        "FORBIDDEN",
    )

    logged = await db.fetch(
        "SELECT kind, photo_id FROM events WHERE library_id = $1"
        " AND kind = 'PHOTO_UPDATED' ORDER BY sequence",
        library_id,
    )
    assert len(logged) == 6  # a, b, c tagged; a, b untagged; a's model tag
