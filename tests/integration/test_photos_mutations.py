"""Photo detail, rating, tags and albums through the real server, with their events."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import pytest

from photonix_rt.services.container import Services
from tests.integration.photo_factory import Gql, add_photo, add_tag, data_of, make_library

PHOTO_QUERY = """
query($id: ID!) {
  photo(id: $id) {
    id libraryId takenAt takenAtSource timeZone camera { make model } lens { name }
    exposureTime aperture iso focalLength flash meteringMode latitude longitude altitude
    width height orientation rating artist description keywords placeholder
    grid: thumbnailUrl preview: thumbnailUrl(size: PREVIEW) originalUrl metadata
    files { id path status error size mimeType }
    tags { id name type source confidence significance box verified modelVersion }
    createdAt updatedAt
  }
}"""


class Setup:
    def __init__(self, library_id: UUID, owner: str, photo_id: UUID, other_id: UUID) -> None:
        self.library_id = library_id
        self.owner = owner
        self.photo_id = photo_id
        self.other_id = other_id


@pytest.fixture
async def setup(services: Services, gql: Gql, make_user: Any) -> Setup:
    owner = await make_user("owner")
    library_id = await make_library(gql, owner, "edits")
    photo_id = await add_photo(
        services.db, library_id,
        taken_at=datetime(2018, 2, 28, 7, 16, 25, tzinfo=timezone(timedelta(hours=9))),
        camera=("FUJIFILM", "X-T2"), lens="XF23mmF1.4 R", exposure_time=0.004,
        aperture=1.4, iso=400, focal_length=23.0, flash=False, latitude=35.6586,
        longitude=139.7454, rating=2, keywords=("tokyo", "tower"), thumbnail_key="abcdef0123")
    await add_tag(services.db, library_id, photo_id, "Tower", "object", confidence=0.75)
    other_id = await add_photo(services.db, library_id)
    return Setup(library_id, owner, photo_id, other_id)


async def _photo(gql: Gql, setup: Setup, photo_id: UUID | None = None) -> dict[str, Any]:
    return data_of(await gql(PHOTO_QUERY, {"id": str(photo_id or setup.photo_id)},
                             token=setup.owner))["photo"]


async def _events(services: Services) -> list[tuple[str, UUID | None]]:
    """The photos' events (album-level ALBUM_* events are checked on their own)."""
    rows = await services.db.fetch(
        "SELECT kind, photo_id FROM events WHERE photo_id IS NOT NULL ORDER BY sequence")
    return [(r["kind"], r["photo_id"]) for r in rows]


async def test_photo_has_every_field(gql: Gql, setup: Setup) -> None:
    photo = await _photo(gql, setup)
    assert photo["id"] == str(setup.photo_id)
    assert photo["libraryId"] == str(setup.library_id)
    assert photo["takenAt"] == "2018-02-28T07:16:25+09:00"
    assert photo["takenAtSource"] == "offset"
    assert photo["camera"] == {"make": "FUJIFILM", "model": "X-T2"}
    assert photo["lens"] == {"name": "XF23mmF1.4 R"}
    assert (photo["exposureTime"], photo["aperture"], photo["iso"], photo["focalLength"]) == (
        0.004, 1.4, 400, 23.0)
    assert photo["flash"] is False
    assert (photo["latitude"], photo["longitude"]) == (35.6586, 139.7454)
    assert (photo["width"], photo["height"], photo["rating"]) == (4000, 3000, 2)
    assert photo["keywords"] == ["tokyo", "tower"]
    assert photo["placeholder"] == "placeholder-hash"
    assert photo["grid"].startswith(f"/thumbnails/{setup.photo_id}/grid.webp?v=abcdef0123&token=")
    assert photo["preview"].startswith(f"/thumbnails/{setup.photo_id}/preview.webp?v=abcdef0123")
    assert photo["originalUrl"].startswith(f"/originals/{photo['files'][0]['id']}?token=")
    assert json.loads(photo["metadata"]) == {"EXIF:Make": "Test"}
    assert [(f["status"], f["mimeType"], f["size"]) for f in photo["files"]] == [
        ("ok", "image/jpeg", 1234)]
    (tag,) = photo["tags"]
    assert (tag["name"], tag["type"], tag["source"], tag["confidence"], tag["verified"],
            tag["modelVersion"]) == ("Tower", "OBJECT", "MODEL", 0.75, False, "test-1")


async def test_photo_without_date_or_thumbnail(gql: Gql, setup: Setup) -> None:
    photo = await _photo(gql, setup, setup.other_id)
    assert photo["takenAt"] is None and photo["grid"] is None and photo["camera"] is None


async def test_unknown_photo_is_not_found(gql: Gql, setup: Setup) -> None:
    for bad in ("00000000-0000-0000-0000-000000000000", "nonsense"):
        body = await gql(PHOTO_QUERY, {"id": bad}, token=setup.owner)
        assert body["data"] == {"photo": None}
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


RATE = "mutation($p: ID!, $r: Int!) { ratePhoto(photoId: $p, rating: $r) { id rating } }"


async def test_rate_photo(gql: Gql, services: Services, setup: Setup) -> None:
    data = data_of(await gql(RATE, {"p": str(setup.photo_id), "r": 5}, token=setup.owner))
    assert data["ratePhoto"] == {"id": str(setup.photo_id), "rating": 5}
    assert (await _photo(gql, setup))["rating"] == 5
    assert await _events(services) == [("PHOTO_UPDATED", setup.photo_id)]
    # the same rating again changes nothing and announces nothing
    data_of(await gql(RATE, {"p": str(setup.photo_id), "r": 5}, token=setup.owner))
    assert len(await _events(services)) == 1


@pytest.mark.parametrize("rating", [-1, 6])
async def test_rating_out_of_range(gql: Gql, services: Services, setup: Setup,
                                   rating: int) -> None:
    body = await gql(RATE, {"p": str(setup.photo_id), "r": rating}, token=setup.owner)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert (await _photo(gql, setup))["rating"] == 2
    assert await _events(services) == []


ADD_TAG = """mutation($p: ID!, $n: String!, $t: TagType) {
  addPhotoTag(photoId: $p, name: $n, type: $t) { tags { id name type source verified } } }"""
ADD_TAG_DEFAULT = """mutation($p: ID!, $n: String!) {
  addPhotoTag(photoId: $p, name: $n) { tags { id name type source } } }"""
REMOVE_TAG = """mutation($p: ID!, $t: ID!) {
  removePhotoTag(photoId: $p, tagId: $t) { tags { id name } } }"""


async def test_add_and_remove_user_tags(gql: Gql, services: Services, setup: Setup) -> None:
    pid = str(setup.photo_id)
    tags = data_of(await gql(ADD_TAG_DEFAULT, {"p": pid, "n": "  Holiday  2018 "},
                             token=setup.owner))["addPhotoTag"]["tags"]
    holiday = next(t for t in tags if t["name"] == "Holiday 2018")
    assert (holiday["type"], holiday["source"]) == ("USER", "PERSON")

    # the same name in another case reuses the tag, and adding twice is a no-op
    again = data_of(await gql(ADD_TAG, {"p": pid, "n": "holiday 2018", "t": "USER"},
                              token=setup.owner))["addPhotoTag"]["tags"]
    assert sorted(t["name"] for t in again) == ["Holiday 2018", "Tower"]
    assert len(await _events(services)) == 1

    # the same name on another photo is the same tag
    other = data_of(await gql(ADD_TAG, {"p": str(setup.other_id), "n": "HOLIDAY 2018",
                                        "t": "USER"}, token=setup.owner))
    assert other["addPhotoTag"]["tags"][0]["id"] == holiday["id"]

    colour = data_of(await gql(ADD_TAG, {"p": pid, "n": "teal", "t": "COLOR"},
                               token=setup.owner))["addPhotoTag"]["tags"]
    assert any(t["name"] == "teal" and t["type"] == "COLOR" for t in colour)

    removed = data_of(await gql(REMOVE_TAG, {"p": pid, "t": holiday["id"]},
                                token=setup.owner))["removePhotoTag"]["tags"]
    assert sorted(t["name"] for t in removed) == ["Tower", "teal"]
    # the tag is off this photo only
    left = await _photo(gql, setup, setup.other_id)
    assert [t["name"] for t in left["tags"]] == ["Holiday 2018"]
    assert [k for k, _ in await _events(services)] == ["PHOTO_UPDATED"] * 4


@pytest.mark.parametrize("name", ["", "   ", "x" * 201, "bad\x00name"])
async def test_bad_tag_names(gql: Gql, setup: Setup, name: str) -> None:
    body = await gql(ADD_TAG, {"p": str(setup.photo_id), "n": name, "t": "USER"},
                     token=setup.owner)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


CREATE_ALBUM = """mutation($l: ID!, $n: String!) {
  createAlbum(libraryId: $l, name: $n) { id name type source libraryId } }"""
ADD_TO = """mutation($a: ID!, $p: [ID!]!) { addToAlbum(albumId: $a, photoIds: $p) { id } }"""
REMOVE_FROM = """mutation($a: ID!, $p: [ID!]!) {
  removeFromAlbum(albumId: $a, photoIds: $p) { id } }"""
ALBUMS = """query($l: ID!) { tags(libraryId: $l, type: ALBUM) { tag { id name } photoCount } }"""


async def test_albums(gql: Gql, services: Services, setup: Setup, make_user: Any) -> None:
    lib = str(setup.library_id)
    album = data_of(await gql(CREATE_ALBUM, {"l": lib, "n": "Japan"},
                              token=setup.owner))["createAlbum"]
    assert (album["name"], album["type"], album["source"], album["libraryId"]) == (
        "Japan", "ALBUM", "PERSON", lib)
    body = await gql(CREATE_ALBUM, {"l": lib, "n": "japan"}, token=setup.owner)
    assert body["errors"][0]["extensions"]["code"] == "CONFLICT"

    both = [str(setup.photo_id), str(setup.other_id)]
    data_of(await gql(ADD_TO, {"a": album["id"], "p": both}, token=setup.owner))
    albums = data_of(await gql(ALBUMS, {"l": lib}, token=setup.owner))["tags"]
    assert albums == [{"tag": {"id": album["id"], "name": "Japan"}, "photoCount": 2}]
    assert len(await _events(services)) == 2
    data_of(await gql(ADD_TO, {"a": album["id"], "p": both}, token=setup.owner))
    assert len(await _events(services)) == 2  # already in: nothing changed
    assert await services.db.fetchval(  # one for the Albums screen's count and cover
        "SELECT count(*) FROM events WHERE kind = 'ALBUM_UPDATED'") == 1

    data_of(await gql(REMOVE_FROM, {"a": album["id"], "p": [str(setup.other_id)]},
                      token=setup.owner))
    page = data_of(await gql(
        "query($l: ID!, $t: [ID!]) { photos(libraryId: $l, filter: {tags: $t}) "
        "{ totalCount edges { node { id } } } }", {"l": lib, "t": [album["id"]]},
        token=setup.owner))["photos"]
    assert page["totalCount"] == 1
    assert page["edges"][0]["node"]["id"] == str(setup.photo_id)
    assert [p for _, p in await _events(services)] == [
        *sorted([setup.photo_id, setup.other_id]), setup.other_id]

    # photos of another library cannot go in, and a failed change leaves nothing behind
    stranger = await make_user("stranger")
    foreign_lib = await make_library(gql, stranger, "foreign")
    foreign = await add_photo(services.db, foreign_lib)
    body = await gql(ADD_TO, {"a": album["id"], "p": [str(setup.other_id), str(foreign)]},
                     token=setup.owner)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    albums = data_of(await gql(ALBUMS, {"l": lib}, token=setup.owner))["tags"]
    assert albums[0]["photoCount"] == 1
    assert len(await _events(services)) == 3


async def test_add_to_album_needs_an_album(gql: Gql, setup: Setup) -> None:
    tower = (await _photo(gql, setup))["tags"][0]["id"]  # an object tag, not an album
    body = await gql(ADD_TO, {"a": tower, "p": [str(setup.photo_id)]}, token=setup.owner)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_removing_a_model_tag_hides_it(gql: Gql, services: Services, setup: Setup) -> None:
    """A classifier's tag taken off by a person stays off: hidden, not deleted."""
    pid = str(setup.photo_id)
    tower = (await _photo(gql, setup))["tags"][0]
    left = data_of(await gql(REMOVE_TAG, {"p": pid, "t": tower["id"]},
                             token=setup.owner))["removePhotoTag"]["tags"]
    assert left == []
    rows = await services.db.fetch("SELECT hidden FROM photo_tags WHERE photo_id = $1",
                                   setup.photo_id)
    assert [r["hidden"] for r in rows] == [True]
    counts = data_of(await gql("query($l: ID!) { tags(libraryId: $l) { photoCount } }",
                               {"l": str(setup.library_id)}, token=setup.owner))["tags"]
    assert counts == [{"photoCount": 0}]
    # a person putting it back makes it visible and verified
    back = data_of(await gql(ADD_TAG, {"p": pid, "n": "tower", "t": "OBJECT"},
                             token=setup.owner))["addPhotoTag"]["tags"]
    assert [(t["id"], t["verified"]) for t in back] == [(tower["id"], True)]
    assert len(await _events(services)) == 2
