"""The Albums screen's server side: albums with counts and covers, rename, delete (the photos
stay), with the editor role for changes and ALBUM_* events for other devices."""

from __future__ import annotations

from datetime import UTC, datetime

from photonix_rt.store.db import Database
from tests.integration.photo_factory import Gql, add_photo, data_of, make_library

ALBUMS = """query($l: ID!) { albums(libraryId: $l) {
  id name libraryId photoCount cover { id thumbnailUrl } } }"""


async def _album(gql: Gql, token: str, library: str, name: str, photos: list[str]) -> str:
    album = data_of(await gql(
        "mutation($l: ID!, $n: String!) { createAlbum(libraryId: $l, name: $n) { id } }",
        {"l": library, "n": name}, token=token))["createAlbum"]["id"]
    if photos:
        data_of(await gql("mutation($a: ID!, $p: [ID!]!) { addToAlbum(albumId: $a, "
                          "photoIds: $p) { id } }", {"a": album, "p": photos}, token=token))
    return album


async def test_albums_list_rename_delete(gql: Gql, db: Database, make_user) -> None:
    owner = await make_user("owner")
    viewer = await make_user("viewer")
    editor = await make_user("editor")
    outsider = await make_user("outsider")
    library_id = await make_library(gql, owner, "Albums",
                                    {"viewer": "VIEWER", "editor": "EDITOR"})
    library = str(library_id)
    old = str(await add_photo(db, library_id, taken_at=datetime(2020, 1, 1, tzinfo=UTC),
                              thumbnail_key="oldkey"))
    new = str(await add_photo(db, library_id, taken_at=datetime(2024, 1, 1, tzinfo=UTC),
                              thumbnail_key="newkey"))
    summer = await _album(gql, owner, library, "Summer", [old, new])
    empty = await _album(gql, owner, library, "already empty", [])

    albums = data_of(await gql(ALBUMS, {"l": library}, token=viewer))["albums"]
    assert [(a["id"], a["name"], a["photoCount"]) for a in albums] == [
        (empty, "already empty", 0), (summer, "Summer", 2)]
    assert albums[0]["cover"] is None
    assert albums[1]["cover"]["id"] == new  # the newest photo
    assert "/thumbnails/" + new in albums[1]["cover"]["thumbnailUrl"]
    denied = await gql(ALBUMS, {"l": library}, token=outsider)
    assert denied["errors"][0]["extensions"]["code"] in ("NOT_FOUND", "FORBIDDEN")

    rename = ("mutation($a: ID!, $n: String!) { renameAlbum(albumId: $a, name: $n) "
              "{ id name type } }")
    refused = await gql(rename, {"a": summer, "n": "Winter"}, token=viewer)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    clash = await gql(rename, {"a": summer, "n": "ALREADY empty"}, token=editor)
    assert clash["errors"][0]["extensions"]["code"] == "CONFLICT"
    blank = await gql(rename, {"a": summer, "n": "   "}, token=editor)
    assert blank["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    renamed = data_of(await gql(rename, {"a": summer, "n": " Summer  2024 "},
                                token=editor))["renameAlbum"]
    assert renamed == {"id": summer, "name": "Summer 2024", "type": "ALBUM"}

    delete = "mutation($a: ID!) { deleteAlbum(albumId: $a) }"
    refused = await gql(delete, {"a": summer}, token=viewer)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    not_album = await gql(delete, {"a": library}, token=owner)
    assert not_album["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert data_of(await gql(delete, {"a": summer}, token=editor))["deleteAlbum"] is True
    albums = data_of(await gql(ALBUMS, {"l": library}, token=viewer))["albums"]
    assert [a["id"] for a in albums] == [empty]
    # The photos stay.
    count = data_of(await gql("query($l: ID!) { library(id: $l) { photoCount } }",
                              {"l": library}, token=viewer))["library"]["photoCount"]
    assert count == 2
    photo = data_of(await gql("query($p: ID!) { photo(id: $p) { id tags { type } } }",
                              {"p": old}, token=viewer))["photo"]
    assert photo["id"] == old and {"type": "ALBUM"} not in photo["tags"]

    kinds = [(r["kind"], r["payload"]) for r in await db.fetch(
        "SELECT kind, payload FROM events WHERE library_id = $1 AND kind LIKE 'ALBUM_%'"
        " ORDER BY sequence", library_id)]
    assert [k for k, _ in kinds] == ["ALBUM_UPDATED", "ALBUM_UPDATED", "ALBUM_REMOVED"]
    assert kinds[1][1] == {"albumId": summer, "change": "name"}
    assert kinds[2][1] == {"albumId": summer}
