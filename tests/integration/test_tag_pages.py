"""Pages of a tag search read the tag's own rows in date order (migration 025): every page
walk returns exactly the photos a plain reading of the rows would, in the connection's order,
whatever happened to the photos and their tags since they were tagged."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from photonix_rt.store import model_tags, trash
from photonix_rt.store.db import Database
from photonix_rt.store.photo_filter import Keyset, PhotoFilter
from photonix_rt.store.photos_query import photos_page
from tests.integration.photo_factory import add_photo

START = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass
class Scene:
    library: UUID
    tags: dict[str, UUID]
    photos: list[UUID] = field(default_factory=list)


@pytest.fixture
async def scene(db: Database) -> Scene:
    library = await db.fetchval("INSERT INTO libraries (name) VALUES ('tags') RETURNING id")
    shuffle = random.Random(25)
    tags = {name: await model_tags.ensure_tag(db, library, name, "object", None)
            for name in ("common", "rare", "other")}
    scene = Scene(library, tags)
    for i in range(40):
        # Ties at one instant (ordered by id), and a few undated photos.
        taken = None if i % 13 == 0 else START + timedelta(days=shuffle.randrange(15))
        scene.photos.append(await add_photo(db, library, taken_at=taken, rating=i % 4,
                                            latitude=48.8 if i % 2 else None,
                                            longitude=2.3 if i % 2 else None))
    rows: list[tuple[UUID, UUID, bool]] = []
    for i, photo in enumerate(scene.photos):
        if i % 5 != 1:
            rows.append((photo, tags["common"], False))
        if i % 2 == 0:
            rows.append((photo, tags["common"], False))  # a second box of the same tag
        if i % 7 == 0:
            rows.append((photo, tags["rare"], False))
        if i % 3 == 0:
            rows.append((photo, tags["other"], i % 9 == 0))  # some hidden
    await db.executemany("INSERT INTO photo_tags (photo_id, tag_id, hidden) VALUES ($1, $2, $3)",
                         rows)
    # After tagging: dates given, changed and taken away; photos into the trash.
    await db.execute("UPDATE photos SET taken_at = $2 WHERE id = $1", scene.photos[0],
                     START + timedelta(days=30))
    await db.execute("UPDATE photos SET taken_at = taken_at - interval '3 days'"
                     " WHERE id = ANY($1::uuid[])", scene.photos[5:12])
    await db.execute("UPDATE photos SET taken_at = NULL WHERE id = $1", scene.photos[14])
    await trash.set_trashed(db, scene.photos[20:23], True)
    return scene


async def _expected(db: Database, library: UUID, f: PhotoFilter) -> list[UUID]:
    """The photos passing the filter, read plainly from the rows, in TAKEN_AT_DESC order."""
    rows = await db.fetch(
        """
        SELECT p.id, p.taken_at FROM photos p
        WHERE p.library_id = $1 AND p.trashed_at IS NULL
          AND (SELECT count(DISTINCT pt.tag_id) FROM photo_tags pt
               WHERE pt.photo_id = p.id AND NOT pt.hidden AND pt.tag_id = ANY($2::uuid[]))
              = cardinality($2::uuid[])
          AND ($3::int IS NULL OR p.rating >= $3)
          AND (NOT $4 OR p.latitude IS NOT NULL)
          AND ($5::timestamptz IS NULL OR p.taken_at >= $5)
          AND ($6::timestamptz IS NULL OR p.taken_at < $6)
        """, library, list(set(f.tag_ids)), f.min_rating, bool(f.has_location),
        f.taken_after, f.taken_before)
    dated = sorted((r for r in rows if r["taken_at"] is not None),
                   key=lambda r: (r["taken_at"], r["id"]), reverse=True)
    undated = sorted((r for r in rows if r["taken_at"] is None), key=lambda r: r["id"],
                     reverse=True)
    return [r["id"] for r in dated + undated]


async def _walk(db: Database, library: UUID, f: PhotoFilter, size: int) -> list[UUID]:
    found: list[UUID] = []
    after = None
    while True:
        page = await photos_page(db, library, f, "TAKEN_AT_DESC", after, size)
        found += [p.id for p in page]
        if len(page) < size or len(found) > 100:  # more than the library: going round
            return found
        after = Keyset(page[-1].taken_at, page[-1].id)


def _filters(tags: dict[str, UUID]) -> list[PhotoFilter]:
    common, rare, other = tags["common"], tags["rare"], tags["other"]
    return [
        PhotoFilter(tag_ids=(common,)),
        PhotoFilter(tag_ids=(rare,)),
        PhotoFilter(tag_ids=(other,)),  # hidden rows do not count
        PhotoFilter(tag_ids=(common, rare)),
        PhotoFilter(tag_ids=(other, common)),
        PhotoFilter(tag_ids=(common,), min_rating=2),
        PhotoFilter(tag_ids=(common,), has_location=True),
        PhotoFilter(tag_ids=(common,), taken_after=START + timedelta(days=4),
                    taken_before=START + timedelta(days=11)),
        PhotoFilter(tag_ids=(rare, common), min_rating=1),
    ]


@pytest.mark.parametrize("size", [1, 3, 100])
async def test_tag_pages_walk_exactly_the_tagged_photos_in_order(db: Database, scene: Scene,
                                                                 size: int) -> None:
    for f in _filters(scene.tags):
        expected = await _expected(db, scene.library, f)
        assert expected, f  # every filter here matches something
        assert await _walk(db, scene.library, f, size) == expected, f


async def test_later_tags_and_date_changes_keep_the_pages_right(db: Database,
                                                                scene: Scene) -> None:
    rare = scene.tags["rare"]
    # Tagged after the fact, moved to another photo, and a photo re-dated in bulk.
    await db.execute("INSERT INTO photo_tags (photo_id, tag_id) VALUES ($1, $2)",
                     scene.photos[39], rare)
    await db.execute("UPDATE photo_tags SET photo_id = $2 WHERE photo_id = $1 AND tag_id = $3",
                     scene.photos[7], scene.photos[8], rare)
    await db.execute("UPDATE photos SET taken_at = $2 WHERE library_id = $1 AND taken_at IS NULL",
                     scene.library, START - timedelta(days=1))
    # Setting a tag's date by hand cannot make it differ from its photo's.
    await db.execute("UPDATE photo_tags SET taken_at = now() WHERE tag_id = $1", rare)
    assert await db.fetchval(
        "SELECT count(*) FROM photo_tags pt JOIN photos p ON p.id = pt.photo_id"
        " WHERE pt.taken_at IS DISTINCT FROM p.taken_at") == 0
    for f in _filters(scene.tags):
        assert await _walk(db, scene.library, f, 2) == await _expected(db, scene.library, f), f

