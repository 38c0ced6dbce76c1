"""Access matrix for every photo query and mutation: who is refused, who is let in."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from photonix_rt.services.container import Services
from tests.integration.photo_factory import Gql, add_photo, add_tag, data_of, make_library

ACTORS = ["anonymous", "outsider", "viewer", "editor", "owner"]


class World:
    def __init__(self) -> None:
        self.tokens: dict[str, str | None] = {"anonymous": None}
        self.library_id: UUID
        self.photo_id: UUID
        self.tag_id: UUID
        self.album_id: str


@pytest.fixture
async def world(services: Services, gql: Gql, make_user: Any) -> World:
    w = World()
    for name in ("owner", "editor", "viewer", "outsider"):
        w.tokens[name] = await make_user(name)
    w.library_id = await make_library(gql, w.tokens["owner"], "guarded",
                                      {"editor": "EDITOR", "viewer": "VIEWER"})
    await make_library(gql, w.tokens["outsider"], "elsewhere")  # a member, but not here
    w.photo_id = await add_photo(services.db, w.library_id, camera=("C", "M"), lens="L",
                                 rating=1)
    w.tag_id = await add_tag(services.db, w.library_id, w.photo_id, "Cat")
    album = data_of(await gql(
        "mutation($l: ID!) { createAlbum(libraryId: $l, name: \"A\") { id } }",
        {"l": str(w.library_id)}, token=w.tokens["owner"]))
    w.album_id = album["createAlbum"]["id"]
    return w


READS = {
    "photos": ("query($l: ID!) { photos(libraryId: $l) { totalCount edges { node { id } } } }",
               lambda w: {"l": str(w.library_id)}),
    "photo": ("query($p: ID!) { photo(id: $p) { id } }", lambda w: {"p": str(w.photo_id)}),
    "tags": ("query($l: ID!) { tags(libraryId: $l) { photoCount } }",
             lambda w: {"l": str(w.library_id)}),
    "cameras": ("query($l: ID!) { cameras(libraryId: $l) { photoCount } }",
                lambda w: {"l": str(w.library_id)}),
    "lenses": ("query($l: ID!) { lenses(libraryId: $l) { photoCount } }",
               lambda w: {"l": str(w.library_id)}),
}

WRITES = {
    "ratePhoto": ("mutation($p: ID!) { ratePhoto(photoId: $p, rating: 4) { id } }",
                  lambda w, _a: {"p": str(w.photo_id)}),
    "addPhotoTag": ("mutation($p: ID!, $n: String!) { addPhotoTag(photoId: $p, name: $n)"
                    " { id } }", lambda w, actor: {"p": str(w.photo_id), "n": actor}),
    "removePhotoTag": ("mutation($p: ID!, $t: ID!) { removePhotoTag(photoId: $p, tagId: $t)"
                       " { id } }", lambda w, _a: {"p": str(w.photo_id), "t": str(w.tag_id)}),
    "createAlbum": ("mutation($l: ID!, $n: String!) { createAlbum(libraryId: $l, name: $n)"
                    " { id } }", lambda w, actor: {"l": str(w.library_id), "n": actor}),
    "addToAlbum": ("mutation($a: ID!, $p: ID!) { addToAlbum(albumId: $a, photoIds: [$p])"
                   " { id } }", lambda w, _a: {"a": w.album_id, "p": str(w.photo_id)}),
    "removeFromAlbum": ("mutation($a: ID!, $p: ID!) { removeFromAlbum(albumId: $a,"
                        " photoIds: [$p]) { id } }",
                        lambda w, _a: {"a": w.album_id, "p": str(w.photo_id)}),
}


async def _arrange(services: Services, w: World, operation: str) -> None:
    """Put the photo in a state where the operation would change something."""
    db = services.db
    await db.execute("UPDATE photos SET rating = 1 WHERE id = $1", w.photo_id)
    in_album = await db.fetchval(
        "SELECT count(*) FROM photo_tags WHERE photo_id = $1 AND tag_id = $2",
        w.photo_id, UUID(w.album_id))
    if operation == "addToAlbum" and in_album:
        await db.execute("DELETE FROM photo_tags WHERE tag_id = $1", UUID(w.album_id))
    if operation == "removeFromAlbum" and not in_album:
        await db.execute("INSERT INTO photo_tags (photo_id, tag_id) VALUES ($1, $2)",
                         w.photo_id, UUID(w.album_id))
    await db.execute("UPDATE photo_tags SET hidden = false WHERE tag_id = $1", w.tag_id)


REFUSAL = {"anonymous": "UNAUTHENTICATED", "outsider": "NOT_FOUND", "viewer": "FORBIDDEN"}


def _code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors")
    return errors[0]["extensions"]["code"] if errors else None


async def _state(services: Services, w: World) -> tuple[Any, ...]:
    """Everything a refused write could have changed."""
    db = services.db
    return (
        await db.fetchval("SELECT rating FROM photos WHERE id = $1", w.photo_id),
        await db.fetchval("SELECT count(*) FROM photo_tags"),
        await db.fetchval("SELECT count(*) FROM tags"),
        await db.fetchval("SELECT count(*) FROM events"),
    )


async def test_reads(gql: Gql, world: World) -> None:
    for operation, (query, variables) in READS.items():
        for actor in ACTORS:
            body = await gql(query, variables(world), token=world.tokens[actor])
            if actor in REFUSAL and actor != "viewer":
                assert _code(body) == REFUSAL[actor], (operation, actor, body)
                assert not (body.get("data") or {}).get(operation), (operation, actor)
            else:
                assert _code(body) is None, (operation, actor, body)
                assert body["data"][operation], (operation, actor)


@pytest.mark.parametrize("operation", sorted(WRITES))
async def test_writes(gql: Gql, services: Services, world: World, operation: str) -> None:
    query, variables = WRITES[operation]
    for actor in ACTORS:
        await _arrange(services, world, operation)
        before = await _state(services, world)
        body = await gql(query, variables(world, actor), token=world.tokens[actor])
        if actor in REFUSAL:
            assert _code(body) == REFUSAL[actor], (actor, body)
            assert body.get("data") is None, actor
            assert await _state(services, world) == before, actor
        else:
            assert _code(body) is None, (actor, body)
            assert await _state(services, world) != before, actor


async def test_outsider_cannot_reach_photos_through_ids_from_elsewhere(
        gql: Gql, services: Services, world: World) -> None:
    """An outsider's own album cannot take in this library's photos."""
    theirs = await gql("query { libraries { id } }", token=world.tokens["outsider"])
    library_id = data_of(theirs)["libraries"][0]["id"]
    album = data_of(await gql(
        "mutation($l: ID!) { createAlbum(libraryId: $l, name: \"Loot\") { id } }",
        {"l": library_id}, token=world.tokens["outsider"]))["createAlbum"]["id"]
    body = await gql(WRITES["addToAlbum"][0], {"a": album, "p": str(world.photo_id)},
                     token=world.tokens["outsider"])
    assert _code(body) == "NOT_FOUND"
    counts = await gql("query($l: ID!) { tags(libraryId: $l, type: ALBUM) { photoCount } }",
                       {"l": library_id}, token=world.tokens["outsider"])
    assert data_of(counts)["tags"] == [{"photoCount": 0}]
