"""Result transactions that share tags neither deadlock nor queue on each other's tag rows."""

from __future__ import annotations

import asyncio
from uuid import UUID

from photonix_rt.store import model_tags
from photonix_rt.store.db import Database


async def _library(db: Database) -> UUID:
    return await db.fetchval("INSERT INTO libraries (name) VALUES ('tags') RETURNING id")


async def test_known_tags_take_no_row_locks(db: Database) -> None:
    library = await _library(db)
    blue = await model_tags.ensure_tag(db, library, "blue", "colour", None)
    grey = await model_tags.ensure_tag(db, library, "grey", "colour", None)
    async with (db.pool.acquire() as first, db.pool.acquire() as second,
                first.transaction(), second.transaction()):
        assert await model_tags.ensure_tag(first, library, "blue", "colour", None) == blue
        assert await model_tags.ensure_tag(second, library, "grey", "colour", None) == grey
        # Crossed order: with row locks, each would now wait for the other (deadlock).
        found = await asyncio.wait_for(asyncio.gather(
            model_tags.ensure_tag(first, library, "grey", "colour", None),
            model_tags.ensure_tag(second, library, "blue", "colour", None)), 5)
    assert found == [grey, blue]


async def test_concurrent_results_creating_the_same_new_tags(db: Database) -> None:
    library = await _library(db)
    photos = [await db.fetchval(
        "INSERT INTO photos (library_id, content_hash) VALUES ($1, $2) RETURNING id",
        library, bytes([i])) for i in range(8)]
    names = ["red", "orange", "yellow", "green", "teal", "blue"]

    async def tag(photo: UUID, order: list[str]) -> int:
        async with db.transaction() as conn:
            tags = [model_tags.ModelTag(n, "colour", 0.5, 0.5, None, None) for n in order]
            return await model_tags.replace_stage_tags(conn, library, photo, ["colour"], tags,
                                                       "1")

    orders = [names if i % 2 else list(reversed(names)) for i in range(len(photos))]
    written = await asyncio.wait_for(
        asyncio.gather(*(tag(p, o) for p, o in zip(photos, orders, strict=True))), 30)
    assert written == [len(names)] * len(photos)
    assert await db.fetchval("SELECT count(*) FROM tags WHERE library_id = $1",
                             library) == len(names)
