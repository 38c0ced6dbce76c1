"""The photos connection's WHERE clause, assembled from fixed, parameterised clauses.

No client value ever becomes SQL text: filters pick which of the clause strings below are
used, and every value travels as a ``$n`` parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

__all__ = ["Bbox", "Keyset", "PhotoFilter", "Where", "add_keyset", "filter_where",
           "like_pattern"]


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

    def sql(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "true"


def like_pattern(term: str) -> str:
    """An ILIKE pattern (with ESCAPE '\\') matching ``term`` anywhere, taken literally."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


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
    if f.tag_ids:
        ids = sorted(set(f.tag_ids))
        where.add(
            "p.id IN (SELECT pt.photo_id FROM photo_tags pt WHERE pt.tag_id = ANY($?::uuid[])"
            " AND NOT pt.hidden GROUP BY pt.photo_id"
            " HAVING count(DISTINCT pt.tag_id) = $?::int)",
            ids, len(ids))
    if f.tag_names:
        names = sorted({n.lower() for n in f.tag_names})
        where.add(
            "p.id IN (SELECT pt.photo_id FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id"
            " WHERE t.library_id = p.library_id AND lower(t.name) = ANY($?::text[])"
            " AND ($?::text IS NULL OR t.type = $?::text) AND NOT pt.hidden"
            " GROUP BY pt.photo_id HAVING count(DISTINCT lower(t.name)) = $?::int)",
            names, f.tag_type, f.tag_type, len(names))
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
    if f.text_terms:
        where.add(
            "NOT EXISTS (SELECT 1 FROM unnest($?::text[]) AS term(pattern) WHERE NOT EXISTS ("
            "SELECT 1 FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id"
            " WHERE pt.photo_id = p.id AND NOT pt.hidden"
            " AND t.name ILIKE term.pattern ESCAPE '\\'))",
            [like_pattern(t) for t in f.text_terms])
    return where


def add_keyset(where: Where, order: str, after: Keyset) -> None:
    if order == "CREATED_AT_DESC":
        where.add("(p.created_at, p.id) < ($?, $?)", after.value, after.id)
    elif order == "TAKEN_AT_DESC":
        if after.value is None:
            where.add("p.taken_at IS NULL AND p.id < $?", after.id)
        else:
            where.add("((p.taken_at, p.id) < ($?, $?) OR p.taken_at IS NULL)",
                      after.value, after.id)
    elif order == "TAKEN_AT_ASC":
        if after.value is None:
            where.add("p.taken_at IS NULL AND p.id > $?", after.id)
        else:
            where.add("((p.taken_at, p.id) > ($?, $?) OR p.taken_at IS NULL)",
                      after.value, after.id)
    else:
        raise ValueError(order)
