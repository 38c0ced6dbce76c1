"""Every photos filter narrows to exactly the photos that match, through the real server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import pytest

from photonix_rt.services.container import Services
from tests.integration.photo_factory import (
    Gql,
    add_photo,
    add_tag,
    data_of,
    floating,
    make_library,
)

PHOTOS_QUERY = """
query($l: ID!, $f: PhotoFilter) {
  photos(libraryId: $l, filter: $f, first: 500) { totalCount edges { node { id } } }
}"""

CET = timezone(timedelta(hours=1))


class Library:
    """A small library with varied metadata; ``ids`` names each photo."""

    def __init__(self, library_id: UUID, token: str, ids: dict[str, UUID],
                 tag_ids: dict[str, UUID]) -> None:
        self.id = library_id
        self.token = token
        self.ids = ids
        self.tag_ids = tag_ids


@pytest.fixture
async def lib(services: Services, gql: Gql, make_user: Any) -> Library:
    token = await make_user("owner")
    library_id = await make_library(gql, token, "filters")
    db = services.db
    ids = {
        "beach": await add_photo(
            db, library_id, taken_at=datetime(2019, 7, 1, 12, 0, tzinfo=CET),
            camera=("Canon", "EOS 5D"), lens="EF 24-70mm", aperture=2.8, iso=100,
            focal_length=35.0, exposure_time=1 / 500, flash=False, rating=5,
            latitude=43.7, longitude=7.26),
        "night": await add_photo(
            db, library_id, taken_at=datetime(2020, 1, 5, 22, 30, tzinfo=CET),
            camera=("Canon", "EOS 5D"), lens="EF 50mm", aperture=1.4, iso=6400,
            focal_length=50.0, exposure_time=1 / 15, flash=True, rating=3),
        "phone": await add_photo(
            db, library_id, taken_at=floating(2021, 3, 10, 9, 0),
            camera=("Apple", "iPhone 12"), aperture=1.6, iso=32, focal_length=4.2,
            exposure_time=1 / 1000, flash=False, rating=0, latitude=-33.86,
            longitude=151.2),
        "fiji": await add_photo(
            db, library_id, taken_at=datetime(2018, 5, 5, 10, 0, tzinfo=UTC),
            aperture=8.0, iso=200, focal_length=18.0, exposure_time=1 / 250, rating=4,
            latitude=-17.7, longitude=179.5),
        "undated": await add_photo(db, library_id),
    }
    tag_ids = {
        "Sea": await add_tag(db, library_id, ids["beach"], "Sea", "scene"),
        "Dog": await add_tag(db, library_id, ids["beach"], "Dog", "object"),
        "Hot Dog_Stand": await add_tag(db, library_id, ids["night"], "Hot Dog_Stand",
                                       "object"),
        "red": await add_tag(db, library_id, ids["night"], "red", "colour"),
        "Sydney": await add_tag(db, library_id, ids["phone"], "Sydney", "location"),
        "hidden-cat": await add_tag(db, library_id, ids["fiji"], "Cat", "object",
                                    hidden=True),
    }
    await add_tag(db, library_id, ids["phone"], "Dog", "object")
    return Library(library_id, token, ids, tag_ids)


async def _names(gql: Gql, lib: Library, photo_filter: dict[str, Any]) -> set[str]:
    data = data_of(await gql(PHOTOS_QUERY, {"l": str(lib.id), "f": photo_filter},
                             token=lib.token))
    by_id = {str(v): k for k, v in lib.ids.items()}
    names = {by_id[e["node"]["id"]] for e in data["photos"]["edges"]}
    assert data["photos"]["totalCount"] == len(names)
    return names


async def test_no_filter_returns_all(gql: Gql, lib: Library) -> None:
    assert await _names(gql, lib, {}) == set(lib.ids)


@pytest.mark.parametrize(("photo_filter", "expected"), [
    ({"tagNames": ["dog"]}, {"beach", "phone"}),
    ({"tagNames": ["Dog", "sea"]}, {"beach"}),
    ({"tagNames": ["Dog"], "tagType": "SCENE"}, set()),
    ({"tagType": "COLOR"}, {"night"}),
    ({"tagType": "LOCATION"}, {"phone"}),
    ({"tagNames": ["cat"]}, set()),  # hidden tags do not count
    ({"text": "dog"}, {"beach", "night", "phone"}),
    ({"text": "DOG sea"}, {"beach"}),
    ({"text": "dog_"}, {"night"}),  # '_' is literal, not a wildcard
    ({"text": "%"}, set()),  # '%' is literal too
    ({"text": "o"}, {"beach", "night", "phone"}),
    ({"aperture": {"min": 1.5, "max": 3}}, {"beach", "phone"}),
    ({"aperture": {"max": 1.4}}, {"night"}),
    ({"iso": {"min": 200}}, {"night", "fiji"}),
    ({"iso": {"min": 100, "max": 200}}, {"beach", "fiji"}),
    ({"focalLength": {"min": 20, "max": 50}}, {"beach", "night"}),
    ({"exposureTime": {"min": 0.01}}, {"night"}),
    ({"exposureTime": {"max": 0.0025}}, {"beach", "phone"}),
    ({"flash": True}, {"night"}),
    ({"flash": False}, {"beach", "phone"}),
    ({"minRating": 4}, {"beach", "fiji"}),
    ({"minRating": 0}, {"beach", "night", "phone", "fiji", "undated"}),
    ({"hasLocation": True}, {"beach", "phone", "fiji"}),
    ({"hasLocation": False}, {"night", "undated"}),
    ({"bbox": {"south": 40, "west": 0, "north": 50, "east": 10}}, {"beach"}),
    ({"bbox": {"south": -40, "west": 150, "north": -10, "east": -170}}, {"phone", "fiji"}),
    ({"bbox": {"south": -20, "west": 170, "north": -10, "east": -170}}, {"fiji"}),
    ({"takenAfter": "2019-07-01T11:00:00+00:00"}, {"beach", "night", "phone"}),
    ({"takenAfter": "2019-07-01T11:00:01+00:00"}, {"night", "phone"}),
    ({"takenBefore": "2019-07-01T11:00:00+00:00"}, {"fiji"}),
    ({"takenAfter": "2020-01-01T00:00:00", "takenBefore": "2021-03-10T09:00:00"}, {"night"}),
    ({"takenAfter": "2021-03-10T09:00:00"}, {"phone"}),  # floating: wall clock compared
    ({"minRating": 3, "hasLocation": True, "flash": False}, {"beach"}),
])
async def test_filter_narrows(gql: Gql, lib: Library, photo_filter: dict[str, Any],
                              expected: set[str]) -> None:
    assert await _names(gql, lib, photo_filter) == expected


async def test_filter_by_tag_ids_needs_all(gql: Gql, lib: Library) -> None:
    dog, sea = str(lib.tag_ids["Dog"]), str(lib.tag_ids["Sea"])
    assert await _names(gql, lib, {"tags": [dog]}) == {"beach", "phone"}
    assert await _names(gql, lib, {"tags": [dog, sea]}) == {"beach"}
    assert await _names(gql, lib, {"tags": [dog, str(lib.tag_ids["red"])]}) == set()


async def test_filter_by_camera_and_lens(gql: Gql, lib: Library) -> None:
    cameras = data_of(await gql(
        "query($l: ID!) { cameras(libraryId: $l) { camera { id make model } photoCount } }",
        {"l": str(lib.id)}, token=lib.token))["cameras"]
    counts = {(c["camera"]["make"], c["camera"]["model"]): c["photoCount"] for c in cameras}
    assert counts == {("Canon", "EOS 5D"): 2, ("Apple", "iPhone 12"): 1}
    canon = next(c["camera"]["id"] for c in cameras if c["camera"]["make"] == "Canon")
    assert await _names(gql, lib, {"cameraId": canon}) == {"beach", "night"}

    lenses = data_of(await gql(
        "query($l: ID!) { lenses(libraryId: $l) { lens { id name } photoCount } }",
        {"l": str(lib.id)}, token=lib.token))["lenses"]
    assert {x["lens"]["name"]: x["photoCount"] for x in lenses} == {"EF 24-70mm": 1,
                                                                   "EF 50mm": 1}
    fifty = next(x["lens"]["id"] for x in lenses if x["lens"]["name"] == "EF 50mm")
    assert await _names(gql, lib, {"lensId": fifty, "cameraId": canon}) == {"night"}


async def test_tag_counts(gql: Gql, lib: Library) -> None:
    data = data_of(await gql(
        "query($l: ID!, $t: TagType) { tags(libraryId: $l, type: $t)"
        " { tag { name type source } photoCount } }",
        {"l": str(lib.id), "t": None}, token=lib.token))
    counts = {(t["tag"]["name"], t["tag"]["type"]): t["photoCount"] for t in data["tags"]}
    assert counts == {("Dog", "OBJECT"): 2, ("Sea", "SCENE"): 1, ("Hot Dog_Stand", "OBJECT"): 1,
                      ("red", "COLOR"): 1, ("Sydney", "LOCATION"): 1, ("Cat", "OBJECT"): 0}
    data = data_of(await gql(
        "query($l: ID!) { tags(libraryId: $l, type: COLOR) { tag { name } photoCount } }",
        {"l": str(lib.id)}, token=lib.token))
    assert [t["tag"]["name"] for t in data["tags"]] == ["red"]


@pytest.mark.parametrize("photo_filter", [
    {"aperture": {"min": 4, "max": 2}},
    {"minRating": 6},
    {"bbox": {"south": 10, "west": 0, "north": -10, "east": 10}},
    {"takenAfter": "not a date"},
    {"tags": ["not-a-uuid"]},
    {"iso": {"min": -1}},
])
async def test_bad_filters_are_refused(gql: Gql, lib: Library,
                                       photo_filter: dict[str, Any]) -> None:
    body = await gql(PHOTOS_QUERY, {"l": str(lib.id), "f": photo_filter}, token=lib.token)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
