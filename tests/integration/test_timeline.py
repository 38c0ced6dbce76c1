"""The timeline (timeBuckets, bucketPhotos) agrees with the photos connection; suggestions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import pytest

from photonix_rt.services.container import Services
from photonix_rt.store.photo_filter import PhotoFilter, bound_months, filter_where
from tests.integration.photo_factory import (
    Gql,
    add_photo,
    add_tag,
    data_of,
    floating,
    make_library,
)

PHOTOS = """
query($l: ID!, $f: PhotoFilter, $after: String) {
  photos(libraryId: $l, filter: $f, first: 7, after: $after) {
    totalCount edges { node { id takenAt width height placeholder } }
    pageInfo { hasNextPage endCursor } } }"""
BUCKETS = """query($l: ID!, $f: PhotoFilter) {
  timeBuckets(libraryId: $l, filter: $f) { month count } }"""
BUCKET = """query($l: ID!, $m: String, $f: PhotoFilter) {
  bucketPhotos(libraryId: $l, month: $m, filter: $f) {
    month ids ratios placeholders takenAt thumbnailUrls missing } }"""
SUGGEST = """query($l: ID!, $t: String!, $n: Int) {
  searchSuggestions(libraryId: $l, text: $t, first: $n) {
    kind id label tagType photoCount } }"""

TOKYO = timezone(timedelta(hours=9))
NEW_YORK = timezone(timedelta(hours=-5))


class Library:
    def __init__(self, library_id: UUID, token: str, ids: dict[str, UUID],
                 tags: dict[str, UUID]) -> None:
        self.id = library_id
        self.token = token
        self.ids = ids
        self.tags = tags


@pytest.fixture
async def lib(services: Services, gql: Gql, make_user: Any) -> Library:
    token = await make_user("owner")
    library_id = await make_library(gql, token, "timeline")
    db = services.db
    ids: dict[str, UUID] = {}
    # Two photos at the same instant (ties broken by id), months across years, wall-clock
    # months that differ from the UTC month, floating times and undated photos.
    same = datetime(2021, 5, 20, 10, 0, tzinfo=UTC)
    specs: dict[str, dict[str, Any]] = {
        "may_a": {"taken_at": same, "rating": 5, "camera": ("Canon", "Canon EOS R5")},
        "may_b": {"taken_at": same, "rating": 2},
        "may_c": {"taken_at": datetime(2021, 5, 2, 8, 0, tzinfo=UTC), "width": 3000,
                  "height": 4000},
        # 1 June 00:30 in Tokyo is still May in UTC: it belongs to June (its wall clock).
        "tokyo_june": {"taken_at": datetime(2021, 6, 1, 0, 30, tzinfo=TOKYO), "rating": 4},
        # 31 May 21:00 in New York is 1 June in UTC: it belongs to May.
        "ny_may": {"taken_at": datetime(2021, 5, 31, 21, 0, tzinfo=NEW_YORK)},
        "floating_dec": {"taken_at": floating(2019, 12, 31, 23, 59), "rating": 4},
        "jan": {"taken_at": datetime(2020, 1, 1, 0, 0, tzinfo=UTC), "width": None,
                "height": None},
        "undated_1": {"rating": 5},
        "undated_2": {},
    }
    for name, spec in specs.items():
        ids[name] = await add_photo(db, library_id, thumbnail_key=f"key{name}", **spec)
    for _ in range(8):  # enough for the photos connection to need several pages
        ids[f"bulk_{_}"] = await add_photo(db, library_id,
                                           taken_at=datetime(2020, 8, 1 + _, tzinfo=UTC))
    tags = {
        "cat": await add_tag(db, library_id, ids["may_a"], "Cat"),
        "alice": await add_tag(db, library_id, ids["may_b"], "Alice", "person"),
        "paris": await add_tag(db, library_id, ids["tokyo_june"], "Paris", "location"),
    }
    for name in ("may_c", "undated_1", "bulk_3"):
        await add_tag(db, library_id, ids[name], "Cat")
    # A photo whose only file went missing.
    await db.execute("UPDATE photo_files SET status = 'missing' WHERE photo_id = $1",
                     ids["may_c"])
    # A photo that lost its RAW but keeps its original is not missing.
    await db.execute(
        "INSERT INTO photo_files (library_id, photo_id, path, size, mtime_ns, status, role)"
        " SELECT library_id, photo_id, path || '.dng', size, mtime_ns, 'missing', 'raw'"
        " FROM photo_files WHERE photo_id = $1", ids["may_a"])
    return Library(library_id, token, ids, tags)


async def _connection(gql: Gql, lib: Library, f: dict[str, Any] | None) -> list[dict]:
    nodes: list[dict] = []
    after = None
    while True:
        page = data_of(await gql(PHOTOS, {"l": str(lib.id), "f": f, "after": after},
                                 token=lib.token))["photos"]
        nodes += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


async def _timeline(gql: Gql, lib: Library, f: dict[str, Any] | None) -> tuple[list, list]:
    buckets = data_of(await gql(BUCKETS, {"l": str(lib.id), "f": f},
                                token=lib.token))["timeBuckets"]
    photos = []
    for bucket in buckets:
        one = data_of(await gql(BUCKET, {"l": str(lib.id), "m": bucket["month"], "f": f},
                                token=lib.token))["bucketPhotos"]
        assert one["month"] == bucket["month"]
        assert len(one["ids"]) == bucket["count"]
        for column in ("ratios", "placeholders", "takenAt", "thumbnailUrls", "missing"):
            assert len(one[column]) == bucket["count"], column
        photos.append(one)
    return buckets, photos


FILTERS: list[dict[str, Any] | None] = [
    None,
    {"minRating": 4},
    {"text": "cat"},
    {"takenAfter": "2020-01-01T00:00:00Z"},
    # Instants on one side of a month boundary, wall-clock months on the other: New York's
    # 31 May 21:00 is 1 June in UTC, Tokyo's 1 June 00:30 is 31 May (counts bound months).
    {"takenAfter": "2021-06-01T00:00:00Z"},
    {"takenBefore": "2021-06-01T00:00:00Z"},
    {"tagType": "PERSON"},
    {"minRating": 5, "text": "nothing-has-this"},
    # One tag: a month's tiles read the tag's rows of the instants the month can hold
    # (Tokyo's June photo is May in UTC).
    {"text": "paris"},
    {"text": "cat", "takenBefore": "2021-05-20T10:00:00Z"},
]


@pytest.mark.parametrize("f", FILTERS)
async def test_buckets_hold_the_connections_photos_in_its_order(
        gql: Gql, lib: Library, f: dict[str, Any] | None) -> None:
    nodes = await _connection(gql, lib, f)
    buckets, photos = await _timeline(gql, lib, f)
    assert sum(b["count"] for b in buckets) == len(nodes)
    total = data_of(await gql(PHOTOS, {"l": str(lib.id), "f": f}, token=lib.token))
    assert total["photos"]["totalCount"] == len(nodes)
    flat = [pid for bucket in photos for pid in bucket["ids"]]
    # Same photos; and within each bucket, the connection's relative order.
    assert sorted(flat) == sorted(n["id"] for n in nodes)
    position = {n["id"]: i for i, n in enumerate(nodes)}
    for bucket in photos:
        order = [position[pid] for pid in bucket["ids"]]
        assert order == sorted(order), bucket["month"]
    by_id = {n["id"]: n for n in nodes}
    for bucket in photos:
        for pid, taken in zip(bucket["ids"], bucket["takenAt"], strict=True):
            assert taken == by_id[pid]["takenAt"]


async def test_months_are_wall_clock_newest_first_undated_last(
        gql: Gql, lib: Library) -> None:
    buckets, photos = await _timeline(gql, lib, None)
    assert [(b["month"], b["count"]) for b in buckets] == [
        ("2021-06", 1), ("2021-05", 4), ("2020-08", 8), ("2020-01", 1), ("2019-12", 1),
        (None, 2)]
    june, may = photos[0], photos[1]
    assert june["ids"] == [str(lib.ids["tokyo_june"])]
    assert june["takenAt"] == ["2021-06-01T00:30:00+09:00"]
    tied = sorted([str(lib.ids["may_a"]), str(lib.ids["may_b"])], reverse=True)
    assert may["ids"] == [str(lib.ids["ny_may"]), *tied, str(lib.ids["may_c"])]
    undated = photos[-1]
    assert sorted(undated["ids"]) == sorted([str(lib.ids["undated_1"]),
                                             str(lib.ids["undated_2"])])
    assert undated["takenAt"] == [None, None]


async def test_tile_columns(gql: Gql, lib: Library, fetch: Any, services: Services) -> None:
    may = data_of(await gql(BUCKET, {"l": str(lib.id), "m": "2021-05"},
                            token=lib.token))["bucketPhotos"]
    index = may["ids"].index(str(lib.ids["may_c"]))
    assert may["ratios"][index] == pytest.approx(0.75)
    assert may["missing"] == [pid == str(lib.ids["may_c"]) for pid in may["ids"]]
    assert all(r == pytest.approx(4 / 3) for i, r in enumerate(may["ratios"]) if i != index)
    assert may["placeholders"] == ["placeholder-hash"] * 4
    url = may["thumbnailUrls"][0]
    assert url.startswith(f"/thumbnails/{may['ids'][0]}/grid.webp?v=key")
    assert "token=" in url
    jan = data_of(await gql(BUCKET, {"l": str(lib.id), "m": "2020-01"},
                            token=lib.token))["bucketPhotos"]
    assert jan["ratios"] == [1.0]  # size unknown
    empty = data_of(await gql(BUCKET, {"l": str(lib.id), "m": "1999-01"},
                              token=lib.token))["bucketPhotos"]
    assert empty["ids"] == [] and empty["month"] == "1999-01"


async def test_bad_month_is_invalid(gql: Gql, lib: Library) -> None:
    for month in ("2021-13", "2021-5", "May 2021", "2021-05-01"):
        body = await gql(BUCKET, {"l": str(lib.id), "m": month}, token=lib.token)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", month


ACTORS = {"anonymous": "UNAUTHENTICATED", "outsider": "NOT_FOUND", "viewer": None,
          "owner": None}


async def test_access_matrix(gql: Gql, lib: Library, make_user: Any) -> None:
    tokens: dict[str, str | None] = {"anonymous": None, "owner": lib.token,
                                     "outsider": await make_user("outsider")}
    tokens["viewer"] = await make_user("viewer")
    data_of(await gql(
        """mutation($l: ID!) { addLibraryMember(libraryId: $l, username: "viewer",
           role: VIEWER) { role } }""", {"l": str(lib.id)}, token=lib.token))
    queries = {
        "timeBuckets": (BUCKETS, {"l": str(lib.id)}),
        "bucketPhotos": (BUCKET, {"l": str(lib.id), "m": "2021-05"}),
        "searchSuggestions": (SUGGEST, {"l": str(lib.id), "t": "a"}),
    }
    for actor, refusal in ACTORS.items():
        for name, (query, variables) in queries.items():
            body = await gql(query, variables, token=tokens[actor])
            if refusal is None:
                assert not body.get("errors"), (actor, name, body)
                assert body["data"][name], (actor, name)
            else:
                assert body["errors"][0]["extensions"]["code"] == refusal, (actor, name)
                assert body.get("data") is None, (actor, name)


async def test_search_suggestions(gql: Gql, lib: Library, services: Services) -> None:
    found = data_of(await gql(SUGGEST, {"l": str(lib.id), "t": "A"},
                              token=lib.token))["searchSuggestions"]
    labels = [(s["kind"], s["label"], s["tagType"], s["photoCount"]) for s in found]
    # Most photos first; every label contains "a" ignoring case; kinds by tag type.
    assert labels == [
        ("tag", "Cat", "OBJECT", 4),
        ("person", "Alice", "PERSON", 1),
        ("camera", "Canon EOS R5", None, 1),
        ("place", "Paris", "LOCATION", 1),
    ]
    assert found[0]["id"] == str(lib.tags["cat"])
    one = data_of(await gql(SUGGEST, {"l": str(lib.id), "t": "ca", "n": 1},
                            token=lib.token))["searchSuggestions"]
    assert [s["label"] for s in one] == ["Cat"]
    # LIKE wildcards in the text are taken literally.
    none = data_of(await gql(SUGGEST, {"l": str(lib.id), "t": "%"},
                             token=lib.token))["searchSuggestions"]
    assert none == []
    # A tag on no visible photo is not suggested.
    await services.db.execute("UPDATE photo_tags SET hidden = true WHERE tag_id = $1",
                              lib.tags["paris"])
    after = data_of(await gql(SUGGEST, {"l": str(lib.id), "t": "paris"},
                              token=lib.token))["searchSuggestions"]
    assert after == []


async def test_month_counts_of_a_date_range_read_one_range_of_the_month_index(
        services: Services, lib: Library) -> None:
    """The months of a date range: an index-only range of photos_live_month_idx (023),
    bounded by the months the range can fall in, not a scan of every month."""
    f = PhotoFilter(taken_after=datetime(2020, 1, 1, tzinfo=UTC),
                    taken_before=datetime(2021, 1, 1, tzinfo=UTC))
    where = filter_where(lib.id, f)
    bound_months(where, f)
    await services.db.execute("VACUUM ANALYZE photos")
    async with services.db.connection() as conn:
        await conn.execute("SET enable_seqscan = off")
        try:
            plan = "\n".join(r[0] for r in await conn.fetch(
                f"EXPLAIN SELECT p.taken_month, count(*) FROM photos p WHERE {where.sql()}"
                " GROUP BY p.taken_month", *where.args))
        finally:
            await conn.execute("RESET enable_seqscan")
    assert "Index Only Scan using photos_live_month_idx" in plan, plan
    assert "taken_month >=" in plan and "taken_month <=" in plan, plan
