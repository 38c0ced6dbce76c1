"""The photos connection's WHERE clause, assembled from fixed, parameterised clauses.

No client value ever becomes SQL text: filters pick which of the clause strings below are
used, and every value travels as a ``$n`` parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from workers.protocol import MAX_OFFSET_MINUTES

__all__ = ["Bbox", "Keyset", "PhotoFilter", "Where", "bound_months", "filter_where",
           "keyset_branches", "like_pattern", "tag_rows", "within_month"]


@dataclass(frozen=True)
class Bbox:
    """Degrees; west > east means the box crosses the antimeridian."""

    south: float
    west: float
    north: float
    east: float


@dataclass(frozen=True)
class PhotoFilter:
    """Every filter the photos connection accepts; None (or empty) means 'not filtered'."""

    tag_ids: tuple[UUID, ...] = ()       # all must be on the photo
    tag_names: tuple[str, ...] = ()      # all must be on the photo (case-insensitive)
    tag_type: str | None = None          # some tag of this type (and the type of tag_names)
    camera_id: UUID | None = None
    lens_id: UUID | None = None
    taken_after: datetime | None = None  # inclusive
    taken_before: datetime | None = None  # exclusive
    aperture: tuple[float | None, float | None] = (None, None)
    iso: tuple[int | None, int | None] = (None, None)
    focal_length: tuple[float | None, float | None] = (None, None)
    exposure_time: tuple[float | None, float | None] = (None, None)
    flash: bool | None = None
    min_rating: int | None = None
    has_location: bool | None = None
    bbox: Bbox | None = None
    text_terms: tuple[str, ...] = ()     # each must match part of some tag name
    person_id: UUID | None = None        # a face of this person is on the photo
    ids: tuple[UUID, ...] | None = None  # one of these photos (None: any)


@dataclass(frozen=True)
class Keyset:
    """Where the previous page ended: its last sort value and id."""

    value: datetime | None
    id: UUID


class Where:
    """Collect fixed clause strings, numbering their ``$?`` placeholders in order."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.args: list[Any] = []

    def add(self, clause: str, *values: Any) -> None:
        parts = clause.split("$?")
        assert len(parts) == len(values) + 1, clause
        text = parts[0]
        for value, rest in zip(values, parts[1:], strict=True):
            self.args.append(value)
            text += f"${len(self.args)}{rest}"  # a parameter number, never a value
        self.clauses.append(text)

    def param(self, value: Any) -> str:
        """A placeholder for ``value`` without a clause (for SQL built around the clauses)."""
        self.args.append(value)
        return f"${len(self.args)}"

    def sql(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "true"


def like_pattern(term: str) -> str:
    """An ILIKE pattern (with ESCAPE '\\') matching ``term`` anywhere, taken literally."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _tags_matching(where: Where, library_id: UUID, name_clause: str, name_value: str,
                   tag_type: str | None) -> None:
    """The photo carries some tag whose name matches: names are resolved to tag ids once
    (the tags table is small), then probed per photo like a tag id. When no tag matches, a
    one-time filter ends the query before it reads a single photo."""
    tags = (f"SELECT t.id FROM tags t WHERE t.library_id = $? AND {name_clause}"
            " AND ($?::text IS NULL OR t.type = $?::text)")
    where.add(f"EXISTS ({tags})", library_id, name_value, tag_type, tag_type)
    where.add("EXISTS (SELECT 1 FROM photo_tags pt WHERE pt.photo_id = p.id AND NOT pt.hidden"
              f" AND pt.tag_id = ANY(ARRAY({tags})))", library_id, name_value, tag_type,
              tag_type)


def tag_rows(where: Where, alias: str, tag_id: UUID, f: PhotoFilter) -> str:
    """The visible rows of one tag, as a condition on ``photo_tags {alias}``. They carry
    their photo's date (migration 025), so the filter's date range bounds them too: a
    range of the tag's date index, not the tag's every row."""
    # alias is one of our fixed names, never a client's
    clause = f"{alias}.tag_id = {where.param(tag_id)} AND NOT {alias}.hidden"
    if f.taken_after is not None:
        clause += f" AND {alias}.taken_at >= {where.param(f.taken_after)}"
    if f.taken_before is not None:
        clause += f" AND {alias}.taken_at < {where.param(f.taken_before)}"
    return clause


def _range(where: Where, column: str, bounds: tuple[Any, Any], cast: str) -> None:
    low, high = bounds
    # column and cast come from the fixed calls below, never from a client
    if low is not None:
        where.add(f"p.{column} >= $?::{cast}", low)
    if high is not None:
        where.add(f"p.{column} <= $?::{cast}", high)


def filter_where(library_id: UUID, f: PhotoFilter) -> Where:
    where = Where()
    where.add("p.library_id = $?", library_id)
    where.add("p.trashed_at IS NULL")  # photos in the trash are in no listing or search
    # One EXISTS per tag: the planner can probe a photo's tags through (photo_id) or start
    # from a rare tag's (tag_id, photo_id) range; a grouped IN (...) counted every carrier.
    for tag_id in sorted(set(f.tag_ids)):
        where.add(f"EXISTS (SELECT 1 FROM photo_tags pt WHERE pt.photo_id = p.id"
                  f" AND {tag_rows(where, 'pt', tag_id, f)})")
    if f.tag_names:
        for name in sorted({n.lower() for n in f.tag_names}):
            _tags_matching(where, library_id, "lower(t.name) = $?", name, f.tag_type)
    elif f.tag_type is not None:
        where.add(
            "EXISTS (SELECT 1 FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id"
            " WHERE pt.photo_id = p.id AND t.type = $?::text AND NOT pt.hidden)",
            f.tag_type)
    if f.camera_id is not None:
        where.add("p.camera_id = $?", f.camera_id)
    if f.lens_id is not None:
        where.add("p.lens_id = $?", f.lens_id)
    if f.taken_after is not None:
        where.add("p.taken_at >= $?", f.taken_after)
    if f.taken_before is not None:
        where.add("p.taken_at < $?", f.taken_before)
    _range(where, "aperture", f.aperture, "float8")
    _range(where, "iso", f.iso, "int")
    _range(where, "focal_length", f.focal_length, "float8")
    _range(where, "exposure_time", f.exposure_time, "float8")
    if f.flash is not None:
        where.add("p.flash = $?", f.flash)
    if f.min_rating is not None:
        where.add("p.rating >= $?::int", f.min_rating)
    if f.has_location is True:
        where.add("p.latitude IS NOT NULL AND p.longitude IS NOT NULL")
    elif f.has_location is False:
        where.add("(p.latitude IS NULL OR p.longitude IS NULL)")
    if f.bbox is not None:
        b = f.bbox
        where.add("p.latitude BETWEEN $? AND $?", b.south, b.north)
        if b.west <= b.east:
            where.add("p.longitude BETWEEN $? AND $?", b.west, b.east)
        else:
            where.add("(p.longitude >= $? OR p.longitude <= $?)", b.west, b.east)
    if f.ids is not None:
        where.add("p.id = ANY($?::uuid[])", list(f.ids))
    if f.person_id is not None:  # by face, not tag: unnamed people share one '' tag
        where.add("EXISTS (SELECT 1 FROM faces f WHERE f.photo_id = p.id AND f.person_id = $?"
                  " AND f.status <> 'rejected')", f.person_id)
    for term in f.text_terms:
        _tags_matching(where, library_id, "t.name ILIKE $? ESCAPE '\\'", like_pattern(term),
                       None)
    return where


# A photo's instant is its wall clock less its UTC offset, which is never larger than this.
_CLOCK_SLACK = timedelta(minutes=MAX_OFFSET_MINUTES)


def _month_of(instant: datetime, shift: timedelta) -> datetime:
    """The wall-clock month (as ``photos.taken_month`` stores it) of ``instant + shift``."""
    if instant.tzinfo is not None:
        instant = instant.astimezone(UTC).replace(tzinfo=None)
    return (instant + shift).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def bound_months(where: Where, f: PhotoFilter) -> None:
    """The months a date range can fall in, added to ``where``: redundant for the result,
    they let a count read one range of the month index (migration 023) instead of every
    month. For counts and month lists; a page keeps its date order from the date index."""
    if f.taken_after is not None:
        where.add("p.taken_month >= $?::timestamp", _month_of(f.taken_after, -_CLOCK_SLACK))
    if f.taken_before is not None:
        where.add("p.taken_month <= $?::timestamp", _month_of(f.taken_before, _CLOCK_SLACK))


def within_month(f: PhotoFilter, month: datetime) -> PhotoFilter:
    """The filter, narrowed to the instants a photo of this wall-clock month can have (its
    wall clock less at most the largest offset): the same photos pass a month's condition,
    and a tag's rows (which carry the date) are read for those days only."""
    first = month.replace(tzinfo=UTC) - _CLOCK_SLACK
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    last = following.replace(tzinfo=UTC) + _CLOCK_SLACK
    after = first if f.taken_after is None else max(f.taken_after, first)
    before = last if f.taken_before is None else min(f.taken_before, last)
    return replace(f, taken_after=after, taken_before=before)


def keyset_branches(where: Where, order: str, after: Keyset, alias: str = "p",
                    id_column: str = "id") -> list[str]:
    """What follows the cursor, as conditions whose results, concatenated in order, are the
    rest of the ordering. Photos without a date sort last, so after a dated cursor come the
    earlier dated photos, then the undated ones: two index ranges, where one condition with
    ``OR taken_at IS NULL`` made PostgreSQL read the whole library.

    The conditions read ``{alias}.taken_at`` (or created_at) and ``{alias}.{id_column}``:
    photos, or photo tags (which carry their photo's date, migration 025)."""
    # alias and id_column are our fixed names, never a client's
    taken, row_id = f"{alias}.taken_at", f"{alias}.{id_column}"
    if order == "CREATED_AT_DESC":
        return [f"({alias}.created_at, {row_id}) < ({where.param(after.value)},"
                f" {where.param(after.id)})"]
    if order not in ("TAKEN_AT_DESC", "TAKEN_AT_ASC"):
        raise ValueError(order)
    beyond = "<" if order == "TAKEN_AT_DESC" else ">"
    if after.value is None:
        return [f"{taken} IS NULL AND {row_id} {beyond} {where.param(after.id)}"]
    return [f"{taken} IS NOT NULL AND ({taken}, {row_id}) {beyond} "
            f"({where.param(after.value)}, {where.param(after.id)})",
            f"{taken} IS NULL"]
