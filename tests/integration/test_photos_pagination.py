"""Keyset pagination: every photo exactly once, in order, in each sort; cursors and limits."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import pytest

from photonix_rt.config import Config
from photonix_rt.services.container import Services
from tests.integration.photo_factory import Gql, add_photo, data_of, floating, make_library

PAGE_QUERY = """
query($l: ID!, $first: Int, $after: String, $order: PhotoOrder, $f: PhotoFilter) {
  photos(libraryId: $l, first: $first, after: $after, orderBy: $order, filter: $f) {
    totalCount
    edges { cursor node { id takenAt } }
    pageInfo { hasNextPage endCursor }
  }
}"""


@pytest.fixture
def config(config: Config) -> Config:
    return replace(config, max_page_size=7)  # small, so the cap is exercised


@pytest.fixture
async def library(services: Services, gql: Gql, make_user: Any) -> tuple[UUID, str, list[dict]]:
    """23 photos: ties on taken_at, undated ones, several offsets; returns their sort keys."""
    token = await make_user("walker")
    library_id = await make_library(gql, token, "walk")
    rng = random.Random(7)
    base = datetime(2020, 6, 1, 12, 0, tzinfo=UTC)
    specs: list[datetime | None] = []
    for _ in range(16):
        instant = base + timedelta(hours=rng.choice([0, 1, 2, 3, 5, 8]))  # many ties
        specs.append(instant.astimezone(timezone(timedelta(minutes=rng.choice([0, 60, -300])))))
    specs += [None] * 4
    specs += [floating(2020, 6, 1, 13, 0), floating(2019, 1, 1), floating(2030, 1, 1)]
    rng.shuffle(specs)
    rows = []
    for taken in specs:
        photo_id = await add_photo(services.db, library_id, taken_at=taken)
        if taken is None:
            instant = None
        elif taken.tzinfo is None:
            instant = taken.replace(tzinfo=UTC)
        else:
            instant = taken.astimezone(UTC)
        rows.append({"id": photo_id, "instant": instant})
    created = {r["id"]: r["created_at"] for r in await services.db.fetch(
        "SELECT id, created_at FROM photos WHERE library_id = $1", library_id)}
    for row in rows:
        row["created"] = created[row["id"]]
    return library_id, token, rows


def _expected(rows: list[dict], order: str) -> list[str]:
    dated = [r for r in rows if r["instant"] is not None]
    undated = [r for r in rows if r["instant"] is None]
    if order == "TAKEN_AT_DESC":
        ordered = (sorted(dated, key=lambda r: (r["instant"], r["id"]), reverse=True)
                   + sorted(undated, key=lambda r: r["id"], reverse=True))
    elif order == "TAKEN_AT_ASC":
        ordered = (sorted(dated, key=lambda r: (r["instant"], r["id"]))
                   + sorted(undated, key=lambda r: r["id"]))
    else:
        ordered = sorted(rows, key=lambda r: (r["created"], r["id"]), reverse=True)
    return [str(r["id"]) for r in ordered]


async def _walk(gql: Gql, library_id: UUID, token: str, order: str, first: int,
                photo_filter: dict[str, Any] | None = None) -> tuple[list[str], list[int]]:
    seen: list[str] = []
    totals: list[int] = []
    after = None
    for _ in range(100):
        data = data_of(await gql(PAGE_QUERY, {"l": str(library_id), "first": first,
                                              "after": after, "order": order,
                                              "f": photo_filter}, token=token))["photos"]
        totals.append(data["totalCount"])
        edges = data["edges"]
        assert len(edges) <= min(first, 7)
        seen += [e["node"]["id"] for e in edges]
        if edges:
            assert data["pageInfo"]["endCursor"] == edges[-1]["cursor"]
        if not data["pageInfo"]["hasNextPage"]:
            return seen, totals
        assert len(edges) == min(first, 7)
        after = data["pageInfo"]["endCursor"]
    raise AssertionError("pagination did not end")


@pytest.mark.parametrize("order", ["TAKEN_AT_DESC", "TAKEN_AT_ASC", "CREATED_AT_DESC"])
@pytest.mark.parametrize("first", [1, 3, 7, 50])
async def test_walk_visits_every_photo_once_in_order(gql: Gql, library: Any, order: str,
                                                     first: int) -> None:
    library_id, token, rows = library
    seen, totals = await _walk(gql, library_id, token, order, first)
    assert seen == _expected(rows, order)
    assert len(set(seen)) == len(rows) == 23
    assert set(totals) == {23}


async def test_default_order_is_taken_at_desc_with_undated_last(gql: Gql,
                                                                library: Any) -> None:
    library_id, token, rows = library
    data = data_of(await gql(
        "query($l: ID!) { photos(libraryId: $l) { edges { node { id takenAt } } } }",
        {"l": str(library_id)}, token=token))["photos"]
    ids = [e["node"]["id"] for e in data["edges"]]
    assert ids == _expected(rows, "TAKEN_AT_DESC")[:7]  # capped by max_page_size


async def test_walk_with_filter_counts_only_matches(gql: Gql, library: Any) -> None:
    library_id, token, rows = library
    after = "2020-06-01T14:00:00+00:00"
    seen, totals = await _walk(gql, library_id, token, "TAKEN_AT_ASC", 2,
                               {"takenAfter": after})
    cutoff = datetime.fromisoformat(after)
    expected = [i for i in _expected(rows, "TAKEN_AT_ASC")
                if next(r for r in rows if str(r["id"]) == i)["instant"] is not None
                and next(r for r in rows if str(r["id"]) == i)["instant"] >= cutoff]
    assert seen == expected
    assert set(totals) == {len(expected)}
    assert 0 < len(expected) < 23


async def test_taken_at_keeps_offset_or_floats(gql: Gql, services: Services,
                                               make_user: Any) -> None:
    token = await make_user("clock")
    library_id = await make_library(gql, token, "clock")
    minus_five = timezone(timedelta(hours=-5))
    await add_photo(services.db, library_id, taken_at=datetime(2021, 1, 2, 3, 4, 5,
                                                                tzinfo=minus_five))
    await add_photo(services.db, library_id, taken_at=floating(2021, 1, 1, 8, 0, 0))
    data = data_of(await gql(PAGE_QUERY, {"l": str(library_id)}, token=token))["photos"]
    assert [e["node"]["takenAt"] for e in data["edges"]] == [
        "2021-01-02T03:04:05-05:00", "2021-01-01T08:00:00"]


@pytest.mark.parametrize("cursor", ["garbage", "eyJvIjoiWCJ9", ""])
async def test_malformed_cursor_is_refused(gql: Gql, library: Any, cursor: str) -> None:
    library_id, token, _rows = library
    body = await gql(PAGE_QUERY, {"l": str(library_id), "after": cursor or "e30"},
                     token=token)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_cursor_from_another_order_is_refused(gql: Gql, library: Any) -> None:
    library_id, token, _rows = library
    data = data_of(await gql(PAGE_QUERY, {"l": str(library_id), "first": 2,
                                          "order": "TAKEN_AT_ASC"}, token=token))
    cursor = data["photos"]["pageInfo"]["endCursor"]
    body = await gql(PAGE_QUERY, {"l": str(library_id), "first": 2, "after": cursor,
                                  "order": "CREATED_AT_DESC"}, token=token)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_first_zero_and_negative(gql: Gql, library: Any) -> None:
    library_id, token, _rows = library
    data = data_of(await gql(PAGE_QUERY, {"l": str(library_id), "first": 0}, token=token))
    assert data["photos"]["edges"] == []
    assert data["photos"]["totalCount"] == 23
    assert data["photos"]["pageInfo"]["hasNextPage"] is True
    body = await gql(PAGE_QUERY, {"l": str(library_id), "first": -1}, token=token)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
