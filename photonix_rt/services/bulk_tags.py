"""Tag many photos at once from the app's multi-selection: add a tag by name, take one off.

Editor role; every photo must belong to the library of the tag. One PHOTO_UPDATED per photo
that changed (recorded in the transaction, published after it), so other devices redraw
those tiles; the per-tag counts follow through the ``photo_tags`` triggers. Mixed into
``PhotoService`` (which provides ``_db``, ``_config``, ``_events``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from photonix_rt.auth.access import Role, require_role
from photonix_rt.errors import Invalid, NotFound, Unauthenticated
from photonix_rt.events.types import EventKind, EventMessage
from photonix_rt.services.photo_edits import clean_name
from photonix_rt.services.photo_filters import parse_id
from photonix_rt.store import photo_edits, tags
from photonix_rt.store import photos_query as store

if TYPE_CHECKING:
    from photonix_rt.auth.identity import Viewer
    from photonix_rt.config import Config
    from photonix_rt.services.events import EventService
    from photonix_rt.store.db import Database, Queryable

__all__ = ["BulkTags", "PhotosTagged"]

# Faces own person tags and albums have their own mutations (with ALBUM_UPDATED events).
_NOT_BULK = frozenset({"person", "album"})


@dataclass(frozen=True)
class PhotosTagged:
    """The tag, and the photos that gained (or lost) it."""

    tag: store.TagRow
    photo_ids: list[UUID]


class BulkTags:
    """tagPhotos / untagPhotos."""

    _db: Database
    _config: Config
    _events: EventService

    def _photo_ids(self, viewer: Viewer | None, photo_ids: Sequence[Any]) -> list[UUID]:
        if viewer is None:
            raise Unauthenticated("sign in first")
        try:
            pids = sorted({parse_id(p, "photoIds") for p in photo_ids})
        except Invalid:
            raise NotFound("no such photo") from None
        if len(pids) > self._config.max_page_size:
            raise Invalid(f"at most {self._config.max_page_size} photos at once")
        return pids

    async def _lock_in_library(self, conn: Queryable, pids: list[UUID], library_id: UUID) -> None:
        """Lock the photos; NotFound unless every one is in the library."""
        locked = await photo_edits.lock_photos(conn, pids)
        if len(locked) != len(pids) or set(locked.values()) - {library_id}:
            raise NotFound("no such photo in this library")

    async def _record(
        self, conn: Queryable, library_id: UUID, changed: list[UUID]
    ) -> list[EventMessage]:
        if changed:
            await photo_edits.touch(conn, changed)
        return [
            await self._events.record(
                conn, EventKind.PHOTO_UPDATED, library_id, pid, {"change": "tags"}
            )
            for pid in changed
        ]

    async def tag_photos(
        self, viewer: Viewer | None, library_id: Any, photo_ids: Sequence[Any], name: str
    ) -> PhotosTagged:
        """Put the user tag `name` (found case-insensitively, or created) on the photos."""
        pids = self._photo_ids(viewer, photo_ids)
        library = parse_id(library_id, "libraryId")
        clean = clean_name(name)
        async with self._db.transaction() as conn:
            await require_role(conn, viewer, library, Role.EDITOR)
            await self._lock_in_library(conn, pids, library)
            tag = await tags.get_or_create_tag(conn, library, clean, "user", "person")
            had = await _carrying(conn, pids, tag.id)
            changed = [p for p in pids if p not in had]
            await tags.attach_many(conn, changed, tag.id)
            messages = await self._record(conn, library, changed)
        await self._events.publish(*messages)
        return PhotosTagged(tag, changed)

    async def untag_photos(
        self, viewer: Viewer | None, tag_id: Any, photo_ids: Sequence[Any]
    ) -> PhotosTagged:
        """Take the tag off those of the photos that carry it."""
        pids = self._photo_ids(viewer, photo_ids)
        try:
            tid = parse_id(tag_id, "tagId")
        except Invalid:
            raise NotFound("no such tag") from None
        async with self._db.transaction() as conn:
            tag = await store.tag_by_id(conn, tid)
            if tag is None:
                raise NotFound("no such tag")
            try:
                await require_role(conn, viewer, tag.library_id, Role.EDITOR)
            except NotFound:
                raise NotFound("no such tag") from None
            if tag.type in _NOT_BULK:
                raise Invalid(f"{tag.type} tags are not removed here")
            await self._lock_in_library(conn, pids, tag.library_id)
            had = await _carrying(conn, pids, tid)
            changed = [p for p in pids if p in had]
            await tags.detach_many(conn, changed, tid)
            messages = await self._record(conn, tag.library_id, changed)
        await self._events.publish(*messages)
        return PhotosTagged(tag, changed)


async def _carrying(conn: Queryable, pids: list[UUID], tag_id: UUID) -> set[UUID]:
    """Which of the photos show the tag now (hidden rows do not count)."""
    return {
        row.photo_id
        for rows in (await store.tags_for_photos(conn, pids)).values()
        for row in rows
        if row.tag_id == tag_id
    }
