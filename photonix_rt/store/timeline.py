"""Timeline reads: photo counts per month, one month's tiles, and search-box suggestions.

A photo's month is the stored ``photos.taken_month`` (its wall-clock month; NULL when the
photo has no date). Both month queries reuse the photos connection's filter clauses, so a
bucket holds exactly the photos the connection would list, in its TAKEN_AT_DESC order.

    buckets = await month_counts(db, library_id, PhotoFilter())
    tiles = await month_tiles(db, library_id, datetime(2024, 5, 1), PhotoFilter())
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from photonix_rt.store import counts
from photonix_rt.store.db import Queryable
from photonix_rt.store.photo_filter import (
    PhotoFilter,
    bound_months,
    filter_where,
    like_pattern,
    within_month,
)
from photonix_rt.store.tag_terms import resolve_tag_terms

__all__ = ["MonthCount", "MonthTiles", "Suggestion", "month_counts", "month_tiles", "suggestions"]


@dataclass(frozen=True)
class MonthCount:
    month: datetime | None  # first instant of the month (naive, wall clock); None: undated
    count: int


@dataclass(frozen=True)
class MonthTiles:
    """What a month's grid tiles need before their thumbnails arrive, as parallel columns
    (one entry per photo, in order): a month can hold thousands of photos, and one object
    per photo cost a fifth of answering for it."""

    ids: tuple[str, ...] = ()  # as text: the API sends them so (str(UUID) cost 2 µs each)
    widths: tuple[int | None, ...] = ()
    heights: tuple[int | None, ...] = ()
    placeholders: tuple[str | None, ...] = ()
    thumbnail_keys: tuple[str | None, ...] = ()
    taken_at: tuple[datetime | None, ...] = ()
    taken_at_local: tuple[datetime | None, ...] = ()
    taken_at_offset: tuple[int | None, ...] = ()
    duration_ms: tuple[int | None, ...] = ()  # videos (migration 013)
    missing: tuple[bool, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    kind: str  # tag, person, place, camera or lens
    id: UUID
    label: str
    tag_type: str | None
    photo_count: int


async def month_counts(db: Queryable, library_id: UUID, f: PhotoFilter) -> list[MonthCount]:
    """Photos per month passing the filter, newest month first, undated last.

    Unfiltered, or filtered by one tag, camera or lens (names and words resolved) or by
    rating alone, they are kept counts (migrations 019, 021 and 024); any other filter counts
    its photos.
    """
    if f == PhotoFilter():
        rows = await db.fetch(
            "SELECT key_month(key) AS taken_month, n FROM library_counts_of($1, $2)"
            " WHERE n > 0 ORDER BY 1 DESC NULLS LAST", library_id, counts.MONTH)
        return [MonthCount(r["taken_month"], r["n"]) for r in rows]
    resolved = await resolve_tag_terms(db, library_id, f)
    if resolved is None:
        return []
    kept = counts.kept_months_of(resolved)
    if kept is not None:
        kind, keys = kept
        return [MonthCount(month, n)
                for month, n in await counts.month_counts_of(db, library_id, kind, keys)]
    where = filter_where(library_id, resolved)
    bound_months(where, resolved)
    rows = await db.fetch(
        f"SELECT p.taken_month, count(*) AS n FROM photos p WHERE {where.sql()}"
        " GROUP BY p.taken_month ORDER BY p.taken_month DESC NULLS LAST", *where.args)
    return [MonthCount(r["taken_month"], r["n"]) for r in rows]


async def month_tiles(db: Queryable, library_id: UUID, month: datetime | None,
                      f: PhotoFilter) -> MonthTiles:
    """The tiles of one month (None: the undated photos), in TAKEN_AT_DESC order."""
    resolved = await resolve_tag_terms(db, library_id, f)
    if resolved is None:
        return MonthTiles()
    if month is not None and resolved.tag_ids:
        resolved = within_month(resolved, month)
    where = filter_where(library_id, resolved)
    if month is None:
        where.add("p.taken_month IS NULL")
    else:
        where.add("p.taken_month = $?::timestamp", month)
    # The select list is in MonthTiles' field order: rows transpose into its columns.
    rows = await db.fetch(
        "SELECT p.id::text, p.width, p.height, p.placeholder, p.thumbnail_key, p.taken_at,"
        " p.taken_at_local, p.taken_at_offset, p.duration_ms,"
        # Missing: every file of the photo is; only photos with a missing file can be
        # (migration 020 indexes those), so the others skip the probe of their files.
        " p.id IN (SELECT g.photo_id FROM photo_files g WHERE g.status = 'missing')"
        " AND NOT EXISTS (SELECT 1 FROM photo_files pf WHERE pf.photo_id = p.id"
        "                 AND pf.status <> 'missing') AS missing"
        f" FROM photos p WHERE {where.sql()}"
        " ORDER BY p.taken_at DESC NULLS LAST, p.id DESC", *where.args)
    return MonthTiles(*zip(*rows, strict=True)) if rows else MonthTiles()


# Tag types as the search box names them; every other type is a plain "tag".
_TAG_KINDS = "CASE t.type WHEN 'person' THEN 'person' WHEN 'location' THEN 'place' ELSE 'tag' END"


# A camera's label: its model, prefixed by the make unless the model already names it.
_CAMERA_LABEL = ("CASE WHEN cam.model ILIKE cam.make || '%' THEN cam.model"
                 " ELSE cam.make || ' ' || cam.model END")


async def suggestions(db: Queryable, library_id: UUID, text: str,
                      limit: int) -> list[Suggestion]:
    """Tags, cameras and lenses of the library whose label contains ``text`` (ignoring
    case) and that some photo carries, most photos first. The numbers are the kept counts:
    the box asks at every keystroke, and counting a common tag's photos took half a second
    at a million photos."""
    rows = await db.fetch(
        f"""
        SELECT kind, id, label, tag_type, n FROM (
            SELECT {_TAG_KINDS} AS kind, t.id, t.name AS label, t.type AS tag_type, c.n
            FROM tags t JOIN library_counts_of($1, $4) c ON c.key = t.id
            WHERE t.library_id = $1 AND t.name ILIKE $2 ESCAPE '\\' AND c.n > 0
          UNION ALL
            SELECT 'camera', cam.id, {_CAMERA_LABEL}, NULL, c.n
            FROM cameras cam JOIN library_counts_of($1, $5) c ON c.key = cam.id
            WHERE ({_CAMERA_LABEL}) ILIKE $2 ESCAPE '\\' AND c.n > 0
          UNION ALL
            SELECT 'lens', l.id, l.name, NULL, c.n
            FROM lenses l JOIN library_counts_of($1, $6) c ON c.key = l.id
            WHERE l.name ILIKE $2 ESCAPE '\\' AND c.n > 0
        ) found
        ORDER BY n DESC, lower(label), id LIMIT $3
        """, library_id, like_pattern(text), limit, counts.TAG, counts.CAMERA, counts.LENS)
    return [Suggestion(r["kind"], r["id"], r["label"], r["tag_type"], r["n"]) for r in rows]
