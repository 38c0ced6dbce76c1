"""Photo read queries: the filtered keyset page, one photo, and batch loads of its parts.

The page's WHERE clause is assembled only from the fixed clause strings in this module;
every value a client sends travels as a ``$n`` parameter.

Usage::

    rows = await photos_page(db, library_id, PhotoFilter(min_rating=3), "TAKEN_AT_DESC",
                             after=None, limit=51)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from photonix_rt.store import counts
from photonix_rt.store.db import Queryable
from photonix_rt.store.photo_filter import (
    Keyset,
    PhotoFilter,
    Where,
    bound_months,
    filter_where,
    keyset_branches,
    tag_rows,
)
from photonix_rt.store.photos import PhotoColumns
from photonix_rt.store.tag_terms import resolve_tag_terms

__all__ = [
    "ORDERS",
    "CameraCount",
    "CameraRow",
    "FileRow",
    "LensCount",
    "LensRow",
    "PhotoRow",
    "PhotoTagRow",
    "TagCount",
    "TagRow",
    "camera_counts",
    "cameras_by_ids",
    "count_photos",
    "file_by_id",
    "files_for_photos",
    "lens_counts",
    "lenses_by_ids",
    "photo_by_id",
    "photo_columns",
    "photo_from_record",
    "photos_by_ids",
    "photos_page",
    "tag_by_id",
    "tag_counts",
    "tag_row",
    "tags_for_photos",
    "thumbnail_of",
]

# Order name -> (sort column, direction). NULL taken_at sorts last in both directions.
ORDERS: dict[str, tuple[str, str]] = {
    "TAKEN_AT_DESC": ("taken_at", "DESC"),
    "TAKEN_AT_ASC": ("taken_at", "ASC"),
    "CREATED_AT_DESC": ("created_at", "DESC"),
}


@dataclass
class PhotoRow(PhotoColumns):
    """A stored photo as readers see it."""

    id: UUID
    created_at: datetime
    updated_at: datetime
    media_type: str = "photo"  # or "video" (migration 013)
    duration_ms: int | None = None
    trashed_at: datetime | None = None  # in the trash since; hidden from every listing
    rotation: int = 0                   # clockwise degrees chosen in the app


_PHOTO_COLUMNS = """
    p.id, p.library_id, p.taken_at, p.taken_at_local, p.taken_at_offset, p.taken_at_zone,
    p.taken_at_source, p.camera_id, p.lens_id, p.exposure_time, p.aperture, p.iso,
    p.focal_length, p.flash, p.metering_mode, p.latitude, p.longitude, p.altitude,
    p.orientation, p.width, p.height, p.rating, p.artist, p.description, p.keywords,
    p.placeholder, p.thumbnail_key, p.metadata, p.created_at, p.updated_at, p.media_type,
    p.duration_ms, p.trashed_at, p.rotation
"""


def _photo(r: Any) -> PhotoRow:
    return PhotoRow(**{name: r[name] for name in PhotoRow.__dataclass_fields__})


def photo_columns() -> str:
    """The select list of a PhotoRow from ``photos p`` (for other store modules' queries)."""
    return _PHOTO_COLUMNS


def photo_from_record(r: Any) -> PhotoRow:
    """A PhotoRow from a record selected with ``photo_columns()``."""
    return _photo(r)


@dataclass(frozen=True)
class FileRow:
    id: UUID
    library_id: UUID
    photo_id: UUID | None
    path: str
    size: int
    mtime_ns: int
    mime_type: str | None
    status: str
    error: str | None
    role: str = "original"  # or "raw", "motion" (migration 013)


@dataclass(frozen=True)
class PhotoTagRow:
    """A tag as attached to one photo."""

    photo_id: UUID
    tag_id: UUID
    name: str
    type: str
    source: str
    confidence: float
    significance: float
    box: list[float] | None
    model_version: str | None
    verified: bool


@dataclass(frozen=True)
class TagRow:
    id: UUID
    library_id: UUID
    name: str
    type: str
    source: str
    parent_id: UUID | None


@dataclass(frozen=True)
class CameraRow:
    id: UUID
    make: str
    model: str


@dataclass(frozen=True)
class LensRow:
    id: UUID
    name: str


@dataclass(frozen=True)
class TagCount:
    tag: TagRow
    photo_count: int


@dataclass(frozen=True)
class CameraCount:
    camera: CameraRow
    photo_count: int


@dataclass(frozen=True)
class LensCount:
    lens: LensRow
    photo_count: int


_ORDER_BY = {
    "TAKEN_AT_DESC": "p.taken_at DESC NULLS LAST, p.id DESC",
    "TAKEN_AT_ASC": "p.taken_at ASC NULLS LAST, p.id ASC",
    "CREATED_AT_DESC": "p.created_at DESC, p.id DESC",
}


async def photos_page(db: Queryable, library_id: UUID, f: PhotoFilter, order: str,
                      after: Keyset | None, limit: int) -> list[PhotoRow]:
    """Up to ``limit`` photos after the keyset, in ``order`` (one of ORDERS)."""
    resolved = await resolve_tag_terms(db, library_id, f)
    if resolved is None:
        return []
    order_by = _ORDER_BY[order]
    driving = (await _rarest_tag(db, library_id, resolved.tag_ids)
               if order == "TAKEN_AT_DESC" and _tags_alone(resolved) else None)
    # A driving tag is joined, not probed as well: with both, PostgreSQL matched the two
    # sets by hash and sorted them (a rare tag's page: 440 ms against 8).
    rest = resolved if driving is None else replace(
        resolved, tag_ids=tuple(t for t in resolved.tag_ids if t != driving))
    where = filter_where(library_id, rest)
    matching = where.sql()
    limit_param = where.param(limit)
    parts = (_photo_ordered_parts(where, matching, order, after, limit_param) if driving is None
             else _tag_ordered_parts(where, matching, driving, resolved, after, limit_param))
    # The page's ids first, then their rows: where an index holds the filter's and the
    # order's columns (a box's, migration 022; a tag's, 025), the ids come from the index
    # alone and only the photos shown are read. Each part is an index range of its own, read
    # in order and cut at the limit.
    ids = parts[0][1:-1] if len(parts) == 1 else (
        f"SELECT * FROM ({' UNION ALL '.join(parts)}) p ORDER BY {order_by}"
        f" LIMIT {limit_param}")
    sql = (f"SELECT {_PHOTO_COLUMNS} FROM ({ids}) page JOIN photos p ON p.id = page.id"
           f" ORDER BY {order_by}")
    return [_photo(r) for r in await db.fetch(sql, *where.args)]


def _photo_ordered_parts(where: Where, matching: str, order: str, after: Keyset | None,
                         limit_param: str) -> list[str]:
    """The page's ids read from the photos in ``order`` (one part per keyset branch)."""
    branches = keyset_branches(where, order, after) if after is not None else ["true"]
    sort_column = ORDERS[order][0]
    return [f"(SELECT p.id, p.{sort_column} FROM photos p WHERE {matching} AND {branch}"
            f" ORDER BY {_ORDER_BY[order]} LIMIT {limit_param})" for branch in branches]


def _tag_ordered_parts(where: Where, matching: str, tag_id: UUID, f: PhotoFilter,
                       after: Keyset | None, limit_param: str) -> list[str]:
    """The page's ids read from one tag's rows newest first (they carry their photo's date,
    migration 025), each joined to its photo for the rest of the filter: a rare tag's page
    reads its own rows, not the library's photos. A photo with two rows of the tag (two
    boxes) is one photo: its rows are neighbours in this order, DISTINCT ON keeps one."""
    branches = (keyset_branches(where, "TAKEN_AT_DESC", after, alias="d", id_column="photo_id")
                if after is not None else ["true"])
    rows = tag_rows(where, "d", tag_id, f)
    return [f"(SELECT DISTINCT ON (d.taken_at, d.photo_id) d.photo_id AS id, d.taken_at"
            f" FROM photo_tags d JOIN photos p ON p.id = d.photo_id"
            f" WHERE {rows} AND {matching} AND {branch}"
            f" ORDER BY d.taken_at DESC NULLS LAST, d.photo_id DESC LIMIT {limit_param})"
            for branch in branches]


def _tags_alone(f: PhotoFilter) -> bool:
    """Tags and at most a date range: then reading a tag's rows in date order is the page.
    With other conditions PostgreSQL chooses the order to read in (measured: dog + rated +
    located read through the tag's rows, 25 rows per photo shown, 40 -> 160 ms)."""
    return bool(f.tag_ids) and replace(f, tag_ids=(), taken_after=None,
                                       taken_before=None) == PhotoFilter()


async def _rarest_tag(db: Queryable, library_id: UUID, tag_ids: tuple[UUID, ...]) -> UUID:
    """The tag on the fewest photos (kept counts): its rows are the fewest to read."""
    if len(tag_ids) == 1:
        return tag_ids[0]
    found = await counts.counts_of_kind(db, library_id, counts.TAG)
    return min(sorted(tag_ids), key=lambda tag_id: found.get(tag_id, 0))


async def count_photos(db: Queryable, library_id: UUID, f: PhotoFilter) -> int:
    """How many photos of the library pass the filter."""
    resolved = await resolve_tag_terms(db, library_id, f)
    if resolved is None:
        return 0
    f = resolved
    kept = counts.kept_count_of(f)
    if kept is not None:
        kind, key = kept
        return await counts.library_count(db, library_id, kind, key or library_id)
    kept_months = counts.kept_months_of(f)
    if kept_months is not None:  # ratings are kept per month only
        kind, keys = kept_months
        return sum(n for _, n in await counts.month_counts_of(db, library_id, kind, keys))
    where = filter_where(library_id, f)
    bound_months(where, f)
    return int(await db.fetchval(f"SELECT count(*) FROM photos p WHERE {where.sql()}",
                                 *where.args))


async def photo_by_id(db: Queryable, photo_id: UUID) -> PhotoRow | None:
    row = await db.fetchrow(f"SELECT {_PHOTO_COLUMNS} FROM photos p WHERE p.id = $1", photo_id)
    return _photo(row) if row else None


async def photos_by_ids(db: Queryable, photo_ids: list[UUID]) -> dict[UUID, PhotoRow]:
    rows = await db.fetch(f"SELECT {_PHOTO_COLUMNS} FROM photos p WHERE p.id = ANY($1::uuid[])",
                          photo_ids)
    return {r["id"]: _photo(r) for r in rows}


async def thumbnail_of(db: Queryable, photo_id: UUID) -> tuple[UUID, str | None] | None:
    """(library id, thumbnail key) of a photo, or None: what a thumbnail request needs."""
    row = await db.fetchrow("SELECT library_id, thumbnail_key FROM photos WHERE id = $1",
                            photo_id)
    return (row["library_id"], row["thumbnail_key"]) if row else None


_FILE_COLUMNS = ("id, library_id, photo_id, path, size, mtime_ns, mime_type, status, error,"
                 " role")


def _file(r: Any) -> FileRow:
    return FileRow(**{name: r[name] for name in FileRow.__dataclass_fields__})


async def files_for_photos(db: Queryable, photo_ids: list[UUID]) -> dict[UUID, list[FileRow]]:
    rows = await db.fetch(
        f"SELECT {_FILE_COLUMNS} FROM photo_files WHERE photo_id = ANY($1::uuid[])"
        # Readable first, then the photo's own file before its RAW or motion clip (the first
        # readable file is what "original" means to a viewer).
        " ORDER BY photo_id, (status = 'ok') DESC, (role = 'original') DESC, path", photo_ids)
    out: dict[UUID, list[FileRow]] = {}
    for r in rows:
        out.setdefault(r["photo_id"], []).append(_file(r))
    return out


async def file_by_id(db: Queryable, file_id: UUID) -> FileRow | None:
    row = await db.fetchrow(f"SELECT {_FILE_COLUMNS} FROM photo_files WHERE id = $1", file_id)
    return _file(row) if row else None


async def tags_for_photos(db: Queryable,
                          photo_ids: list[UUID]) -> dict[UUID, list[PhotoTagRow]]:
    """Visible (not hidden) tags of each photo, most significant first."""
    rows = await db.fetch(
        """
        SELECT pt.photo_id, t.id AS tag_id, t.name, t.type, t.source, pt.confidence,
               pt.significance, pt.box, pt.model_version, pt.verified
        FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id
        WHERE pt.photo_id = ANY($1::uuid[]) AND NOT pt.hidden
        ORDER BY pt.photo_id, pt.significance DESC, t.name, t.id
        """, photo_ids)
    out: dict[UUID, list[PhotoTagRow]] = {}
    for r in rows:
        out.setdefault(r["photo_id"], []).append(PhotoTagRow(
            r["photo_id"], r["tag_id"], r["name"], r["type"], r["source"], r["confidence"],
            r["significance"], list(r["box"]) if r["box"] is not None else None,
            r["model_version"], r["verified"]))
    return out


def tag_row(r: Any) -> TagRow:
    """A TagRow from a record with the tag columns."""
    return TagRow(r["id"], r["library_id"], r["name"], r["type"], r["source"], r["parent_id"])


async def tag_by_id(db: Queryable, tag_id: UUID) -> TagRow | None:
    row = await db.fetchrow(
        "SELECT id, library_id, name, type, source, parent_id FROM tags WHERE id = $1", tag_id)
    return tag_row(row) if row else None


async def cameras_by_ids(db: Queryable, ids: list[UUID]) -> dict[UUID, CameraRow]:
    rows = await db.fetch("SELECT id, make, model FROM cameras WHERE id = ANY($1::uuid[])", ids)
    return {r["id"]: CameraRow(r["id"], r["make"], r["model"]) for r in rows}


async def lenses_by_ids(db: Queryable, ids: list[UUID]) -> dict[UUID, LensRow]:
    rows = await db.fetch("SELECT id, name FROM lenses WHERE id = ANY($1::uuid[])", ids)
    return {r["id"]: LensRow(r["id"], r["name"]) for r in rows}


# Counts come from the kept counts (store.counts): a recount read every photo or photo tag.

async def tag_counts(db: Queryable, library_id: UUID, tag_type: str | None) -> list[TagCount]:
    """The library's tags (of one type, or all) with how many photos carry each visibly."""
    rows = await db.fetch(
        """
        SELECT t.id, t.library_id, t.name, t.type, t.source, t.parent_id,
               coalesce(c.n, 0) AS n
        FROM tags t LEFT JOIN library_counts_of($1, 'tag') c ON c.key = t.id
        WHERE t.library_id = $1 AND ($2::text IS NULL OR t.type = $2::text)
        ORDER BY n DESC, lower(t.name), t.id
        """, library_id, tag_type)
    return [TagCount(tag_row(r), r["n"]) for r in rows]


async def camera_counts(db: Queryable, library_id: UUID) -> list[CameraCount]:
    rows = await db.fetch(
        """
        SELECT cam.id, cam.make, cam.model, c.n
        FROM library_counts_of($1, 'camera') c JOIN cameras cam ON cam.id = c.key
        WHERE c.n > 0 ORDER BY c.n DESC, cam.make, cam.model
        """, library_id)
    return [CameraCount(CameraRow(r["id"], r["make"], r["model"]), r["n"]) for r in rows]


async def lens_counts(db: Queryable, library_id: UUID) -> list[LensCount]:
    rows = await db.fetch(
        """
        SELECT l.id, l.name, c.n
        FROM library_counts_of($1, 'lens') c JOIN lenses l ON l.id = c.key
        WHERE c.n > 0 ORDER BY c.n DESC, l.name
        """, library_id)
    return [LensCount(LensRow(r["id"], r["name"]), r["n"]) for r in rows]
