"""Share links (stored hashed) and the photos in a link's scope.

A scope is always a ``PhotoFilter`` of one library (an album is its tag id), so the photos a
link grants are read with the same fixed, parameterised clauses as the photos connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from photonix_rt.store.db import Queryable
from photonix_rt.store.photo_filter import PhotoFilter, filter_where
from photonix_rt.store.photos_query import PhotoRow, photo_columns, photo_from_record

__all__ = [
    "NewShareLink",
    "ShareLinkRow",
    "count_view",
    "in_scope",
    "insert_share_link",
    "revoke",
    "scope_ids",
    "share_link_by_hash",
    "share_link_by_id",
    "share_links_of_library",
]


@dataclass(frozen=True)
class NewShareLink:
    library_id: UUID
    token_hash: bytes
    album_id: UUID | None
    filter: dict[str, Any] | None
    expires_at: datetime | None
    allowed_origins: list[str]
    show_location: bool
    show_metadata: bool
    show_people: bool
    allow_download: bool
    created_by: UUID | None


@dataclass(frozen=True)
class ShareLinkRow:
    id: UUID
    library_id: UUID
    album_id: UUID | None
    album_name: str | None
    filter: dict[str, Any] | None
    expires_at: datetime | None
    revoked_at: datetime | None
    allowed_origins: list[str]
    show_location: bool
    show_metadata: bool
    show_people: bool
    allow_download: bool
    view_count: int
    created_at: datetime


_COLUMNS = """
    s.id, s.library_id, s.album_id, t.name AS album_name, s.filter, s.expires_at,
    s.revoked_at, s.allowed_origins, s.show_location, s.show_metadata, s.show_people,
    s.allow_download, s.view_count, s.created_at
"""
_FROM = "share_links s LEFT JOIN tags t ON t.id = s.album_id"


def _row(r: Any) -> ShareLinkRow:
    values = {name: r[name] for name in ShareLinkRow.__dataclass_fields__}
    values["allowed_origins"] = list(r["allowed_origins"])
    return ShareLinkRow(**values)


async def insert_share_link(db: Queryable, new: NewShareLink) -> ShareLinkRow:
    row = await db.fetchrow(
        f"""
        WITH s AS (
            INSERT INTO share_links (library_id, token_hash, album_id, filter, expires_at,
                                     allowed_origins, show_location, show_metadata,
                                     show_people, allow_download, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *)
        SELECT {_COLUMNS} FROM s LEFT JOIN tags t ON t.id = s.album_id
        """,
        new.library_id, new.token_hash, new.album_id, new.filter, new.expires_at,
        new.allowed_origins, new.show_location, new.show_metadata, new.show_people,
        new.allow_download, new.created_by)
    return _row(row)


async def share_links_of_library(db: Queryable, library_id: UUID) -> list[ShareLinkRow]:
    rows = await db.fetch(f"SELECT {_COLUMNS} FROM {_FROM} WHERE s.library_id = $1"
                          " ORDER BY s.created_at DESC, s.id", library_id)
    return [_row(r) for r in rows]


async def share_link_by_id(db: Queryable, link_id: UUID) -> ShareLinkRow | None:
    row = await db.fetchrow(f"SELECT {_COLUMNS} FROM {_FROM} WHERE s.id = $1", link_id)
    return _row(row) if row else None


async def share_link_by_hash(db: Queryable, token_hash: bytes) -> ShareLinkRow | None:
    row = await db.fetchrow(f"SELECT {_COLUMNS} FROM {_FROM} WHERE s.token_hash = $1",
                            token_hash)
    return _row(row) if row else None


async def revoke(db: Queryable, link_id: UUID) -> bool:
    """Revoke the link now; False when it was already revoked."""
    status = await db.execute(
        "UPDATE share_links SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL",
        link_id)
    return status.split()[-1] != "0"


async def count_view(db: Queryable, link_id: UUID) -> None:
    await db.execute("UPDATE share_links SET view_count = view_count + 1 WHERE id = $1",
                     link_id)


async def in_scope(db: Queryable, library_id: UUID, f: PhotoFilter,
                   photo_ids: list[UUID]) -> list[PhotoRow]:
    """Those of ``photo_ids`` that are in the library and pass the filter."""
    where = filter_where(library_id, f)
    ids = where.param(photo_ids)
    rows = await db.fetch(f"SELECT {photo_columns()} FROM photos p WHERE {where.sql()}"
                          f" AND p.id = ANY({ids}::uuid[])", *where.args)
    return [photo_from_record(r) for r in rows]


async def scope_ids(db: Queryable, library_id: UUID, f: PhotoFilter, limit: int) -> set[UUID]:
    """The ids of (up to ``limit``) photos in scope: what a live feed starts from."""
    where = filter_where(library_id, f)
    cap = where.param(limit)
    rows = await db.fetch(f"SELECT p.id FROM photos p WHERE {where.sql()} LIMIT {cap}",
                          *where.args)
    return {r["id"] for r in rows}
