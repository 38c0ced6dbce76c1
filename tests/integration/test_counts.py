"""Kept counts (migrations 009, 019, 021, 024) equal a fresh recount after every kind of change,
folded or not, and writers sharing a tag never wait for each other's counter rows."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from photonix_rt.services.count_folding import run_count_folding
from photonix_rt.store import counts, faces, libraries, model_tags, timeline, trash
from photonix_rt.store import photos_query as q
from photonix_rt.store.db import Database
from photonix_rt.store.photo_filter import PhotoFilter


def _wall(*parts: int) -> datetime:
    """A wall-clock time (no zone), as taken_at_local and timeline months are."""
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)


async def _library(db: Database, name: str) -> UUID:
    return await db.fetchval("INSERT INTO libraries (name) VALUES ($1) RETURNING id", name)


async def _photos(db: Database, library: UUID, n: int, camera: UUID | None = None,
                  lens: UUID | None = None, start: int = 0) -> list[UUID]:
    rows = await db.fetch(
        """
        INSERT INTO photos (library_id, content_hash, camera_id, lens_id)
        SELECT $1, int4send(g), $2, $3 FROM generate_series($4::int, $5::int) g RETURNING id
        """, library, camera, lens, start, start + n - 1)
    return [r["id"] for r in rows]


async def _tag(db: Database, library: UUID, name: str, tag_type: str = "object") -> UUID:
    return await model_tags.ensure_tag(db, library, name, tag_type, None)


async def _tag_on(db: Database, photo_ids: list[UUID], tag: UUID) -> None:
    await db.execute(
        "INSERT INTO photo_tags (photo_id, tag_id) SELECT unnest($1::uuid[]), $2",
        photo_ids, tag)


async def _recount(db: Database, library: UUID) -> dict[str, dict[Any, int]]:
    """What the old queries counted, straight from the rows."""
    async def grouped(sql: str) -> dict[Any, int]:
        return {r["k"]: r["n"] for r in await db.fetch(sql, library) if r["n"]}

    async def by_month(sql: str) -> dict[Any, int]:
        return {(r["k"], r["month"]): r["n"] for r in await db.fetch(sql, library) if r["n"]}
    return {
        "month": await grouped(
            "SELECT taken_month AS k, count(*) AS n FROM photos WHERE library_id = $1"
            " AND trashed_at IS NULL GROUP BY taken_month"),
        "photos": await grouped(
            "SELECT library_id AS k, count(*) AS n FROM photos WHERE library_id = $1"
            " AND trashed_at IS NULL GROUP BY library_id"),
        "camera": await grouped(
            "SELECT camera_id AS k, count(*) AS n FROM photos WHERE library_id = $1"
            " AND camera_id IS NOT NULL AND trashed_at IS NULL GROUP BY camera_id"),
        "lens": await grouped(
            "SELECT lens_id AS k, count(*) AS n FROM photos WHERE library_id = $1"
            " AND lens_id IS NOT NULL AND trashed_at IS NULL GROUP BY lens_id"),
        "tag": await grouped(
            "SELECT t.id AS k, count(DISTINCT pt.photo_id) FILTER (WHERE NOT pt.hidden) AS n"
            " FROM tags t LEFT JOIN photo_tags pt ON pt.tag_id = t.id AND pt.photo_id IN"
            " (SELECT id FROM photos WHERE trashed_at IS NULL)"
            " WHERE t.library_id = $1 GROUP BY t.id"),
        "person_faces": await grouped(
            "SELECT person_id AS k, count(*) AS n FROM faces WHERE library_id = $1"
            " AND person_id IS NOT NULL AND status <> 'rejected' AND photo_id IN"
            " (SELECT id FROM photos WHERE trashed_at IS NULL) GROUP BY person_id"),
        "person_photos": await grouped(
            "SELECT person_id AS k, count(DISTINCT photo_id) AS n FROM faces"
            " WHERE library_id = $1 AND person_id IS NOT NULL AND status <> 'rejected'"
            " AND photo_id IN (SELECT id FROM photos WHERE trashed_at IS NULL)"
            " GROUP BY person_id"),
        # Per (key, month): what a search for one tag, camera or lens asks first.
        "tag_month": await by_month(
            "SELECT t.id AS k, p.taken_month AS month, count(DISTINCT p.id) AS n"
            " FROM tags t JOIN photo_tags pt ON pt.tag_id = t.id AND NOT pt.hidden"
            " JOIN photos p ON p.id = pt.photo_id AND p.trashed_at IS NULL"
            " WHERE t.library_id = $1 GROUP BY t.id, p.taken_month"),
        "camera_month": await by_month(
            "SELECT camera_id AS k, taken_month AS month, count(*) AS n FROM photos"
            " WHERE library_id = $1 AND camera_id IS NOT NULL AND trashed_at IS NULL"
            " GROUP BY camera_id, taken_month"),
        "lens_month": await by_month(
            "SELECT lens_id AS k, taken_month AS month, count(*) AS n FROM photos"
            " WHERE library_id = $1 AND lens_id IS NOT NULL AND trashed_at IS NULL"
            " GROUP BY lens_id, taken_month"),
        # Per minimum rating (1-5): a search by rating's months and total.
        "rating_month": await by_month(
            "SELECT stars AS k, taken_month AS month, count(*) AS n"
            " FROM photos CROSS JOIN generate_series(1, 5) stars WHERE library_id = $1"
            " AND rating >= stars AND trashed_at IS NULL GROUP BY stars, taken_month"),
        "rating": await grouped(
            "SELECT stars AS k, count(*) AS n FROM photos CROSS JOIN generate_series(1, 5)"
            " stars WHERE library_id = $1 AND rating >= stars AND trashed_at IS NULL"
            " GROUP BY stars"),
    }


async def _months_by_key(db: Database, library: UUID, keys_sql: str,
                         filter_of: Any) -> dict[Any, int]:
    """Each key's month buckets as the timeline reads them (filtered by that key alone)."""
    found: dict[Any, int] = {}
    for row in await db.fetch(keys_sql, library):
        months = await timeline.month_counts(db, library, filter_of(row["id"]))
        found.update({(row["id"], m.month): m.count for m in months})
    return found


async def _kept(db: Database, library: UUID) -> dict[str, dict[Any, int]]:
    """The same counts as the app reads them now."""
    people = await faces.people_of_library(db, library)
    months = await timeline.month_counts(db, library, PhotoFilter())
    return {
        "month": {m.month: m.count for m in months},
        "photos": {k: n for k, n in zip([library], await libraries.photo_counts(db, [library]),
                                        strict=True) if n},
        "camera": {c.camera.id: c.photo_count for c in await q.camera_counts(db, library)},
        "lens": {c.lens.id: c.photo_count for c in await q.lens_counts(db, library)},
        "tag": {c.tag.id: c.photo_count for c in await q.tag_counts(db, library, None)
                if c.photo_count},
        "person_faces": {p.id: p.face_count for p in people if p.face_count},
        "person_photos": {p.id: p.photo_count for p in people if p.photo_count},
        "tag_month": await _months_by_key(
            db, library, "SELECT id FROM tags WHERE library_id = $1",
            lambda tag: PhotoFilter(tag_ids=(tag,))),
        "camera_month": await _months_by_key(
            db, library, "SELECT id FROM cameras WHERE $1::uuid IS NOT NULL",
            lambda camera: PhotoFilter(camera_id=camera)),
        "lens_month": await _months_by_key(
            db, library, "SELECT id FROM lenses WHERE $1::uuid IS NOT NULL",
            lambda lens: PhotoFilter(lens_id=lens)),
        "rating_month": await _months_by_key(
            db, library, "SELECT generate_series(1, 5) AS id WHERE $1::uuid IS NOT NULL",
            lambda stars: PhotoFilter(min_rating=stars)),
        "rating": {stars: n for stars in range(1, 6)
                   if (n := await q.count_photos(db, library, PhotoFilter(min_rating=stars)))},
    }


async def _assert_counts(db: Database, library: UUID) -> None:
    expected = await _recount(db, library)
    assert await _kept(db, library) == expected
    assert await q.count_photos(db, library, PhotoFilter()) == sum(expected["photos"].values())
    await counts.fold_count_deltas(db)
    assert await db.fetchval("SELECT count(*) FROM count_deltas") == 0
    assert await db.fetchval("SELECT count(*) FROM month_count_deltas") == 0
    assert await _kept(db, library) == expected


async def test_counts_follow_every_change(db: Database) -> None:
    library = await _library(db, "counts")
    other = await _library(db, "other")
    canon = await db.fetchval(
        "INSERT INTO cameras (make, model) VALUES ('Canon', 'A') RETURNING id")
    nikon = await db.fetchval(
        "INSERT INTO cameras (make, model) VALUES ('Nikon', 'B') RETURNING id")
    lens = await db.fetchval("INSERT INTO lenses (name) VALUES ('50mm') RETURNING id")
    first = await _photos(db, library, 6, canon, lens)
    second = await _photos(db, library, 4, nikon, None, start=100)
    await _photos(db, other, 3, canon, lens)
    cat, dog = await _tag(db, library, "cat"), await _tag(db, library, "dog")
    await _assert_counts(db, library)

    # One statement tagging a photo twice, then a second row for photos already tagged.
    await _tag_on(db, first + first[:2], cat)
    await _tag_on(db, first[:3], cat)
    await _tag_on(db, second, dog)
    await _assert_counts(db, library)

    # Hiding one of two rows keeps the photo counted; hiding both does not.
    await db.execute("UPDATE photo_tags SET hidden = true WHERE id = (SELECT id FROM photo_tags"
                     " WHERE photo_id = $1 AND tag_id = $2 LIMIT 1)", first[0], cat)
    await _assert_counts(db, library)
    await db.execute("UPDATE photo_tags SET hidden = true WHERE photo_id = $1", first[1])
    await _assert_counts(db, library)
    await db.execute("UPDATE photo_tags SET hidden = false WHERE photo_id = $1", first[1])
    # A row moved to another tag (a face given to another person).
    await db.execute("UPDATE photo_tags SET tag_id = $2 WHERE id = (SELECT id FROM photo_tags"
                     " WHERE photo_id = $1 AND tag_id = $3 LIMIT 1)", first[2], dog, cat)
    await _assert_counts(db, library)
    await db.execute("DELETE FROM photo_tags WHERE photo_id = $1 AND tag_id = $2",
                     first[3], cat)
    await _assert_counts(db, library)

    # Dates: given, moved to another month, a local time that crosses a month, taken away.
    await db.execute("UPDATE photos SET taken_at = $2 WHERE id = ANY($1::uuid[])",
                     first[:4], datetime(2021, 3, 9, 12, tzinfo=UTC))
    await db.execute("UPDATE photos SET taken_at = $2 WHERE id = ANY($1::uuid[])",
                     second[:2], datetime(1999, 12, 31, 23, tzinfo=UTC))
    await _assert_counts(db, library)
    await db.execute("UPDATE photos SET taken_at_local = $2 WHERE id = $1",
                     second[0], _wall(2000, 1, 1, 1))
    await db.execute("UPDATE photos SET taken_at = NULL WHERE id = $1", first[0])
    await db.execute("UPDATE photos SET taken_at = $2 WHERE id = $1", first[1],
                     datetime(2021, 4, 1, tzinfo=UTC))
    await _assert_counts(db, library)
    months = await timeline.month_counts(db, library, PhotoFilter())
    assert [m.month for m in months] == [_wall(2021, 4, 1), _wall(2021, 3, 1),
                                         _wall(2000, 1, 1), _wall(1999, 12, 1), None]

    # Camera and lens changes, a photo moved to another library, photos deleted.
    await db.execute("UPDATE photos SET camera_id = $2, lens_id = NULL WHERE id = $1",
                     first[4], nikon)
    await db.execute("UPDATE photos SET rating = 3 WHERE library_id = $1", library)
    await _assert_counts(db, library)
    # Ratings changed, some with a new date in the same statement, one taken away.
    await db.execute("UPDATE photos SET rating = 5 WHERE id = ANY($1::uuid[])", first[1:3])
    await db.execute("UPDATE photos SET rating = 1, taken_at = $2 WHERE id = $1", first[2],
                     datetime(2021, 3, 31, 23, tzinfo=UTC))
    await db.execute("UPDATE photos SET rating = 0 WHERE id = $1", first[3])
    await _assert_counts(db, library)
    assert (await _kept(db, library))["rating"] == {1: 9, 2: 8, 3: 8, 4: 1, 5: 1}
    await db.execute("UPDATE photos SET library_id = $2 WHERE id = $1", second[0], other)
    await _assert_counts(db, library)
    await _assert_counts(db, other)
    await db.execute("DELETE FROM photos WHERE id = ANY($1::uuid[])", [first[0], second[1]])
    await _assert_counts(db, library)

    # A deleted tag drops out; its photos stay counted; pruning drops its leftover count.
    await db.execute("DELETE FROM tags WHERE id = $1", dog)
    await _assert_counts(db, library)
    assert await counts.prune_counts(db) >= 1
    assert await db.fetchval("SELECT count(*) FROM library_counts WHERE key = $1", dog) == 0
    await _assert_counts(db, library)


async def test_person_counts_follow_faces(db: Database) -> None:
    library = await _library(db, "people")
    photo_ids = await _photos(db, library, 4)
    ana = await faces.create_person(db, library, None, "Ana")
    ben = await faces.create_person(db, library, None, "Ben")
    box = [0.1, 0.1, 0.2, 0.2]
    ids = [await faces.insert_face(db, library, photo, person, box, 0.9, [0.0] * 128, "1")
           for photo, person in [(photo_ids[0], ana), (photo_ids[0], ana),
                                 (photo_ids[1], ana), (photo_ids[2], ben)]]
    await _assert_counts(db, library)
    await faces.set_face(db, ids[0], ana, "rejected")  # the photo still has Ana's other face
    await _assert_counts(db, library)
    await faces.set_face(db, ids[1], ben, "confirmed")
    await _assert_counts(db, library)
    await faces.move_faces_of_people(db, [ben], ana)
    await faces.delete_faces(db, [ids[2]])
    await _assert_counts(db, library)
    await db.execute("DELETE FROM photos WHERE id = $1", photo_ids[2])
    await _assert_counts(db, library)
    await faces.delete_people(db, [ana])
    await _assert_counts(db, library)


async def test_trashed_photos_leave_every_kept_count(db: Database) -> None:
    """Trash (migration 015): out of every count while in the trash, whatever changes on
    the photo meanwhile; back on restore; nothing subtracted twice when forgotten."""
    library = await _library(db, "trash")
    camera = await db.fetchval(
        "INSERT INTO cameras (make, model) VALUES ('Trash', 'T') RETURNING id")
    photo_ids = await _photos(db, library, 4, camera)
    await db.execute("UPDATE photos SET rating = 4 WHERE id = ANY($1::uuid[])", photo_ids[1:])
    cat, dog = await _tag(db, library, "cat"), await _tag(db, library, "dog")
    await _tag_on(db, photo_ids + photo_ids[:1], cat)
    ana = await faces.create_person(db, library, None, "Ana")
    box = [0.1, 0.1, 0.2, 0.2]
    face_ids = [await faces.insert_face(db, library, photo, ana, box, 0.9, [0.0] * 128, "1")
                for photo in (photo_ids[0], photo_ids[0], photo_ids[1])]
    await _assert_counts(db, library)
    assert await trash.set_trashed(db, photo_ids[:2], True) == sorted(photo_ids[:2])
    await _assert_counts(db, library)
    assert (await _kept(db, library))["person_photos"] == {}
    # Changes to a photo while it is in the trash.
    await _tag_on(db, photo_ids[:1], dog)
    await db.execute("UPDATE photo_tags SET hidden = true WHERE photo_id = $1", photo_ids[1])
    await faces.set_face(db, face_ids[2], ana, "rejected")
    await db.execute("UPDATE photos SET camera_id = NULL WHERE id = $1", photo_ids[0])
    await db.execute("UPDATE photos SET rating = 2 WHERE id = ANY($1::uuid[])", photo_ids[:2])
    await _assert_counts(db, library)
    assert await trash.set_trashed(db, photo_ids[:2], True) == []  # already there
    assert await trash.set_trashed(db, photo_ids[1:2], False) == [photo_ids[1]]
    await _assert_counts(db, library)
    assert await trash.set_trashed(db, photo_ids, True) == sorted(photo_ids[1:])
    await trash.set_trashed(db, photo_ids[3:], False)
    forgotten, people = await trash.forget_trashed(db, library)
    assert sorted(forgotten) == sorted(photo_ids[:3]) and people == [ana]
    await _assert_counts(db, library)
    assert (await _kept(db, library))["photos"] == {library: 1}


async def test_filter_counts_read_the_kept_counts(db: Database) -> None:
    library = await _library(db, "filters")
    camera = await db.fetchval(
        "INSERT INTO cameras (make, model) VALUES ('Fuji', 'X') RETURNING id")
    lens = await db.fetchval("INSERT INTO lenses (name) VALUES ('23mm') RETURNING id")
    photo_ids = await _photos(db, library, 5, camera, lens) + await _photos(db, library, 2,
                                                                            start=50)
    tag = await _tag(db, library, "tree")
    await _tag_on(db, photo_ids[:3] + photo_ids[:1], tag)
    for f, expected in [(PhotoFilter(), 7), (PhotoFilter(camera_id=camera), 5),
                        (PhotoFilter(lens_id=lens), 5), (PhotoFilter(tag_ids=(tag, tag)), 3),
                        (PhotoFilter(tag_ids=(tag,), camera_id=camera), 3),
                        (PhotoFilter(min_rating=1), 0)]:
        assert await q.count_photos(db, library, f) == expected, f


async def test_tag_names_and_words_naming_one_tag_count_like_that_tag(db: Database) -> None:
    library = await _library(db, "names")
    photo_ids = await _photos(db, library, 6)
    tree = await _tag(db, library, "tree")
    await _tag_on(db, photo_ids[:3], tree)
    await _tag_on(db, photo_ids[3:4], await _tag(db, library, "Tree", "location"))
    street = await _tag(db, library, "street")
    await _tag_on(db, photo_ids[4:5], street)
    for f, expected in [
            (PhotoFilter(tag_names=("TREE",)), 4),  # two tags of that name
            (PhotoFilter(tag_names=("tree",), tag_type="object"), 3),
            (PhotoFilter(tag_names=("tree", "street")), 0),
            (PhotoFilter(text_terms=("stree",)), 1),
            (PhotoFilter(text_terms=("ree",)), 5),  # tree, Tree and street
            (PhotoFilter(text_terms=("tre", "stre")), 1),
            (PhotoFilter(text_terms=("stree",), tag_ids=(tree,)), 0),
            (PhotoFilter(tag_names=("nothing",)), 0),
            (PhotoFilter(text_terms=("stree",), min_rating=1), 0)]:
        assert await q.count_photos(db, library, f) == expected, f
    # A word naming one tag is answered by that tag's kept count (made visibly off here).
    await db.execute("INSERT INTO count_deltas (library_id, kind, key, n)"
                     " VALUES ($1, 'tag', $2, 10)", library, street)
    assert await q.count_photos(db, library, PhotoFilter(text_terms=("stree",))) == 11
    assert await q.count_photos(db, library, PhotoFilter(text_terms=("ree",))) == 5


async def test_writers_sharing_a_tag_do_not_wait_for_each_other(db: Database) -> None:
    library = await _library(db, "shared")
    photo_ids = await _photos(db, library, 2)
    red, blue = await _tag(db, library, "red", "colour"), await _tag(db, library, "blue",
                                                                      "colour")
    async with (db.pool.acquire() as first, db.pool.acquire() as second,
                first.transaction(), second.transaction()):
        await _tag_on(first, [photo_ids[0]], red)
        await _tag_on(second, [photo_ids[1]], blue)
        # Crossed: with a counter row updated in place, each would wait for the other.
        await asyncio.wait_for(asyncio.gather(_tag_on(first, [photo_ids[0]], blue),
                                              _tag_on(second, [photo_ids[1]], red)), 5)
        # A fold meanwhile leaves the uncommitted changes for later.
        await counts.fold_count_deltas(db)
    await _assert_counts(db, library)
    assert {c.tag.name: c.photo_count for c in await q.tag_counts(db, library, "colour")} == {
        "red": 2, "blue": 2}


async def test_a_deleted_library_leaves_nothing_to_fold(db: Database) -> None:
    library = await _library(db, "gone")
    await _photos(db, library, 3)
    await db.execute("DELETE FROM libraries WHERE id = $1", library)
    await counts.fold_count_deltas(db)
    assert await db.fetchval(
        "SELECT count(*) FROM library_counts WHERE library_id = $1", library) == 0


async def test_the_folding_task_empties_the_deltas(db: Database) -> None:
    library = await _library(db, "folded")
    await _photos(db, library, 3)
    task = asyncio.create_task(run_count_folding(db, interval_s=0.05, prune_every=2))
    try:
        for _ in range(100):
            if not await db.fetchval("SELECT count(*) FROM count_deltas"):
                break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert await db.fetchval("SELECT count(*) FROM count_deltas") == 0
    assert await db.fetchval("SELECT n FROM library_counts WHERE library_id = $1"
                             " AND kind = 'photos'", library) == 3
