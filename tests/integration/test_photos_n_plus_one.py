"""A page of photos with every nested part costs the same number of SQL statements at any size."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest_asyncio

from photonix_rt.services.container import Services
from photonix_rt.store.db import Database
from tests.integration.photo_factory import Gql, add_photo, add_tag, data_of, make_library

FULL_PAGE = """
query($l: ID!, $first: Int) {
  photos(libraryId: $l, first: $first) {
    totalCount
    edges { cursor node {
      id takenAt camera { id make model } lens { id name }
      files { id path status } tags { id name type confidence }
      thumbnailUrl originalUrl
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""


@pytest_asyncio.fixture(loop_scope="session")
async def db(db: Database) -> AsyncIterator[Database]:
    """The emptied test database through a one-connection pool.

    With one connection, asyncpg's per-connection extras (type introspection, codec set-up)
    happen once in the warm-up, so the counts below are the request's own statements.
    """
    single = await Database.connect(db.url, min_size=1, max_size=1)
    try:
        yield single
    finally:
        await single.close()


async def _library_of(services: Services, gql: Gql, token: str, name: str,
                      count: int) -> UUID:
    library_id = await make_library(gql, token, name)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for i in range(count):
        photo_id = await add_photo(
            services.db, library_id, taken_at=start + timedelta(minutes=i),
            camera=("Make", f"Model {i % 7}"), lens=f"Lens {i % 5}", thumbnail_key=f"k{i:04d}")
        await add_tag(services.db, library_id, photo_id, f"tag {i % 11}")
        await add_tag(services.db, library_id, photo_id, f"other {i % 3}", "scene")
    return library_id


async def _statements_for_page(services: Services, gql: Gql, token: str, library_id: UUID,
                               first: int, query: str = FULL_PAGE) -> tuple[int, dict[str, Any]]:
    before = services.db.statement_count
    data = data_of(await gql(query, {"l": str(library_id), "first": first}, token=token))
    return services.db.statement_count - before, data


async def test_statement_count_does_not_grow_with_page_size(services: Services, gql: Gql,
                                                            make_user: Any) -> None:
    token = await make_user("counter")
    small = await _library_of(services, gql, token, "small", 10)
    large = await _library_of(services, gql, token, "large", 100)

    await _statements_for_page(services, gql, token, small, 10)  # warm-up (see ``db``)

    small_count, small_data = await _statements_for_page(services, gql, token, small, 10)
    large_count, large_data = await _statements_for_page(services, gql, token, large, 100)

    assert len(small_data["photos"]["edges"]) == 10
    assert len(large_data["photos"]["edges"]) == 100
    for edge in large_data["photos"]["edges"]:  # every part really was loaded
        node = edge["node"]
        assert node["camera"]["make"] == "Make" and node["lens"]["name"].startswith("Lens")
        assert len(node["files"]) == 1 and len(node["tags"]) == 2
        assert node["thumbnailUrl"].startswith(f"/thumbnails/{node['id']}/grid.webp?v=k")
        assert node["originalUrl"] == (f"/originals/{node['files'][0]['id']}?token="
                                       + node["thumbnailUrl"].split("token=")[1])
    assert small_count == large_count
    # access check, page, count, files, tags, cameras, lenses: 7 statements, plus the
    # pool's reset statement after each of them; a little slack for the auth service.
    assert large_count <= 16, large_count


# The same parts asked for through fragments: the page still loads them in one batch each.
FRAGMENT_PAGE = """
fragment Parts on Photo { camera { make } tags { name } ...Files }
fragment Files on Photo { files { id } }
query($l: ID!, $first: Int) {
  photos(libraryId: $l, first: $first) {
    edges { ... on PhotoEdge { node { id ...Parts lens { name } } } }
  }
}"""


async def test_parts_asked_for_through_fragments_are_loaded_in_batches(
        services: Services, gql: Gql, make_user: Any) -> None:
    token = await make_user("fragments")
    small = await _library_of(services, gql, token, "small", 10)
    large = await _library_of(services, gql, token, "large", 60)
    await _statements_for_page(services, gql, token, small, 10, FRAGMENT_PAGE)  # warm-up

    small_count, _ = await _statements_for_page(services, gql, token, small, 10, FRAGMENT_PAGE)
    large_count, data = await _statements_for_page(services, gql, token, large, 60,
                                                   FRAGMENT_PAGE)
    nodes = [edge["node"] for edge in data["photos"]["edges"]]
    assert len(nodes) == 60
    for node in nodes:
        assert node["camera"]["make"] == "Make" and node["lens"]["name"].startswith("Lens")
        assert len(node["files"]) == 1
        assert sorted(t["name"] for t in node["tags"])[0].startswith("other ")
    assert small_count == large_count
