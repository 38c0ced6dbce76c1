"""Counts kept up to date by triggers (migration 009): read them, fold their pending deltas.

Triggers append each statement's net change to ``count_deltas``; a count is the folded
``library_counts`` row plus the pending deltas, so it is exact in every snapshot, folded or
not. Folding only keeps the pending part short. Tags, cameras and lenses are also counted
per timeline month (migration 021: ``month_counts``, same scheme), and so are star ratings
(migration 024; months only: a rating's total is the sum of its months).

Usage::

    n = await library_count(db, library_id, PHOTOS, library_id)
    months = await month_counts_of(db, library_id, TAG, [tag_id])
    await fold_count_deltas(db)  # now and then (services.count_folding)
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from photonix_rt.store.db import Queryable
from photonix_rt.store.photo_filter import PhotoFilter

__all__ = [
    "CAMERA",
    "KINDS",
    "LENS",
    "MONTH",
    "PERSON_FACES",
    "PERSON_PHOTOS",
    "PHOTOS",
    "RATING",
    "TAG",
    "counts_of_kind",
    "fold_count_deltas",
    "kept_count_of",
    "kept_months_of",
    "library_count",
    "month_counts_of",
    "prune_counts",
    "rating_key",
]

PHOTOS = "photos"                # key: the library id
CAMERA = "camera"
LENS = "lens"
TAG = "tag"                      # distinct photos with a visible row
PERSON_FACES = "person_faces"    # faces not rejected
PERSON_PHOTOS = "person_photos"  # distinct photos with such a face
MONTH = "month"                  # timeline month (migration 019; key: month_key(month))
RATING = "rating"                # per month only (migration 024; key: rating_key(stars))
KINDS = frozenset({PHOTOS, CAMERA, LENS, TAG, PERSON_FACES, PERSON_PHOTOS, MONTH, RATING})
MAX_RATING = 5


def rating_key(stars: int) -> UUID:
    """The key a rating is counted under (SQL: ``rating_key``)."""
    return UUID(int=stars)


async def library_count(db: Queryable, library_id: UUID, kind: str, key: UUID) -> int:
    """One key's count (0 when nothing was ever counted)."""
    return int(await db.fetchval("SELECT library_count($1, $2, $3)", library_id, kind, key))


async def counts_of_kind(db: Queryable, library_id: UUID, kind: str) -> dict[UUID, int]:
    """Every counted key of one kind in a library (keys at 0 may be missing)."""
    rows = await db.fetch("SELECT key, n FROM library_counts_of($1, $2)", library_id, kind)
    return {r["key"]: int(r["n"]) for r in rows}


def kept_count_of(f: PhotoFilter) -> tuple[str, UUID | None] | None:
    """The kept count (kind, key) equal to the filter's count, when there is one; the key is
    None for the library's own count (``PHOTOS``). Tags, cameras and lenses are also kept per
    month (``month_counts_of``)."""
    if f == PhotoFilter():
        return PHOTOS, None
    if f == PhotoFilter(camera_id=f.camera_id):
        return CAMERA, f.camera_id
    if f == PhotoFilter(lens_id=f.lens_id):
        return LENS, f.lens_id
    if len(set(f.tag_ids)) == 1 and f == PhotoFilter(tag_ids=f.tag_ids):
        return TAG, f.tag_ids[0]
    return None


def kept_months_of(f: PhotoFilter) -> tuple[str, list[UUID]] | None:
    """The kept month counts (kind, keys) whose sum per month is the filter's, when there
    are: one tag, camera or lens, or the ratings from the filter's up (``month_counts_of``)."""
    kept = kept_count_of(f)
    if kept is not None and kept[1] is not None:
        return kept[0], [kept[1]]
    if f.min_rating is not None and f == PhotoFilter(min_rating=f.min_rating) \
            and 1 <= f.min_rating <= MAX_RATING:
        return RATING, [rating_key(stars) for stars in range(f.min_rating, MAX_RATING + 1)]
    return None


async def month_counts_of(db: Queryable, library_id: UUID, kind: str,
                          keys: list[UUID]) -> list[tuple[datetime | None, int]]:
    """Photos per timeline month (None: undated) under any of ``keys`` (which no photo
    shares: each counts under one rating, camera or lens), newest first, undated last;
    months at 0 are left out."""
    rows = await db.fetch(
        "SELECT nullif(c.month, '-infinity') AS month, sum(c.n) AS n"
        " FROM unnest($3::uuid[]) k CROSS JOIN LATERAL month_counts_of($1, $2, k) c"
        " GROUP BY c.month HAVING sum(c.n) > 0 ORDER BY 1 DESC NULLS LAST",
        library_id, kind, keys)
    return [(r["month"], int(r["n"])) for r in rows]


async def fold_count_deltas(db: Queryable) -> int:
    """Move the pending deltas into the counts; how many delta rows were folded."""
    return int(await db.fetchval("SELECT fold_count_deltas()"))


async def prune_counts(db: Queryable) -> int:
    """Drop counts at 0 and those of deleted tags and people; how many rows went.

    A tag deleted with its photo tags leaves its count behind (its deltas are skipped, as
    nothing reads them); this keeps such leftovers from piling up.
    """
    status = await db.execute(
        """
        DELETE FROM library_counts c
        WHERE c.n = 0
           OR (c.kind = 'tag' AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.id = c.key))
           OR (c.kind IN ('person_faces', 'person_photos')
               AND NOT EXISTS (SELECT 1 FROM people p WHERE p.id = c.key))
        """)
    month_status = await db.execute(
        """
        DELETE FROM month_counts c
        WHERE c.n = 0
           OR (c.kind = 'tag' AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.id = c.key))
        """)
    return int(status.split()[-1]) + int(month_status.split()[-1])
