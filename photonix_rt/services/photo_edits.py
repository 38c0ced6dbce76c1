"""Person edits: rating, user tags, albums. Editor role or above; one event per changed photo.

Each change runs in one transaction that also appends its events; they are published only
after the commit. Mixed into ``PhotoService`` (which provides ``_db``, ``_config``, ``_events``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from photonix_rt.auth.access import Role, require_role
from photonix_rt.errors import Conflict, Invalid, NotFound, Unauthenticated
from photonix_rt.events.types import EventKind, EventMessage
from photonix_rt.services.photo_filters import TAG_TYPES, parse_id
from photonix_rt.store import photo_edits, tags
from photonix_rt.store import photos_query as store

if TYPE_CHECKING:
    from photonix_rt.auth.identity import Viewer
    from photonix_rt.config import Config
    from photonix_rt.services.events import EventService
    from photonix_rt.store.db import Database, Queryable

__all__ = ["PhotoEdits", "clean_name"]

_MAX_NAME = 200


def clean_name(name: str) -> str:
    """A tag or album name, spaces folded; Invalid when empty, too long or odd."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Invalid("the name is empty")
    if len(cleaned) > _MAX_NAME:
        raise Invalid(f"the name is longer than {_MAX_NAME} characters")
    if any(unicodedata.category(c).startswith("C") for c in cleaned):
        raise Invalid("the name contains control characters")
    return cleaned


class PhotoEdits:
    """Rating, tagging and album changes."""

    _db: Database
    _config: Config
    _events: EventService

    async def _editable_photo(self, conn: Queryable, viewer: Viewer | None,
                              photo_id: Any) -> tuple[UUID, UUID]:
        """Lock the photo and check the viewer may edit it: (photo id, library id)."""
        if viewer is None:
            raise Unauthenticated("sign in first")
        try:
            pid = parse_id(photo_id, "photoId")
        except Invalid:
            raise NotFound("no such photo") from None
        library_id = await photo_edits.lock_photo(conn, pid)
        if library_id is None:
            raise NotFound("no such photo")
        try:
            await require_role(conn, viewer, library_id, Role.EDITOR)
        except NotFound:
            raise NotFound("no such photo") from None
        return pid, library_id

    async def _photo_after(self, photo_id: UUID) -> store.PhotoRow:
        photo = await store.photo_by_id(self._db, photo_id)
        if photo is None:
            raise NotFound("no such photo")  # deleted right after the edit
        return photo

    async def _edit_photo(self, viewer: Viewer | None, photo_id: Any, change: str,
                          apply: Callable[[Queryable, UUID, UUID], Awaitable[bool]],
                          ) -> store.PhotoRow:
        """Lock and check the photo, ``apply(conn, photo, library)``; when it changed
        something, record PHOTO_UPDATED in the same transaction and publish it after."""
        event: EventMessage | None = None
        async with self._db.transaction() as conn:
            pid, library_id = await self._editable_photo(conn, viewer, photo_id)
            if await apply(conn, pid, library_id):
                event = await self._events.record(conn, EventKind.PHOTO_UPDATED, library_id,
                                                  pid, {"change": change})
        if event is not None:
            await self._events.publish(event)
        return await self._photo_after(pid)

    async def rate(self, viewer: Viewer | None, photo_id: Any, rating: int) -> store.PhotoRow:
        """Set the photo's rating (0-5)."""
        if not 0 <= rating <= 5:
            raise Invalid("rating must lie in 0..5")

        async def apply(conn: Queryable, pid: UUID, _library_id: UUID) -> bool:
            return await photo_edits.set_rating(conn, pid, rating)

        return await self._edit_photo(viewer, photo_id, "rating", apply)

    async def add_tag(self, viewer: Viewer | None, photo_id: Any, name: str,
                      tag_type: str) -> store.PhotoRow:
        """Put a tag (found by name, or created) on the photo."""
        if tag_type not in TAG_TYPES:
            raise Invalid("unknown tag type")
        clean = clean_name(name)

        async def apply(conn: Queryable, pid: UUID, library_id: UUID) -> bool:
            tag = await tags.get_or_create_tag(conn, library_id, clean, tag_type, "person")
            if not await tags.attach(conn, pid, tag.id):
                return False
            await photo_edits.touch(conn, [pid])
            return True

        return await self._edit_photo(viewer, photo_id, "tags", apply)

    async def remove_tag(self, viewer: Viewer | None, photo_id: Any,
                         tag_id: Any) -> store.PhotoRow:
        """Take a tag off the photo (a no-op when it is not there)."""
        try:
            tid = parse_id(tag_id, "tagId")
        except Invalid:
            raise NotFound("no such tag") from None

        async def apply(conn: Queryable, pid: UUID, _library_id: UUID) -> bool:
            if not await tags.detach(conn, pid, tid):
                return False
            await photo_edits.touch(conn, [pid])
            return True

        return await self._edit_photo(viewer, photo_id, "tags", apply)

    async def create_album(self, viewer: Viewer | None, library_id: Any,
                           name: str) -> store.TagRow:
        """A new, empty album; Conflict when the library has one of that name."""
        library = parse_id(library_id, "libraryId")
        clean = clean_name(name)
        async with self._db.transaction() as conn:
            await require_role(conn, viewer, library, Role.EDITOR)
            if await tags.find_tag(conn, library, clean, "album") is not None:
                raise Conflict("an album of that name exists")
            album = await tags.create_tag(conn, library, clean, "album", "person")
            if album is None:
                raise Conflict("an album of that name exists")
        return album

    async def _album_change(self, viewer: Viewer | None, album_id: Any,
                            photo_ids: Sequence[Any], add: bool) -> store.TagRow:
        if viewer is None:
            raise Unauthenticated("sign in first")
        try:
            aid = parse_id(album_id, "albumId")
            pids = sorted({parse_id(p, "photoIds") for p in photo_ids})
        except Invalid:
            raise NotFound("no such album or photo") from None
        if len(pids) > self._config.max_page_size:
            raise Invalid(f"at most {self._config.max_page_size} photos at once")
        messages: list[EventMessage] = []
        async with self._db.transaction() as conn:
            album = await store.tag_by_id(conn, aid)
            if album is None or album.type != "album":
                raise NotFound("no such album")
            try:
                await require_role(conn, viewer, album.library_id, Role.EDITOR)
            except NotFound:
                raise NotFound("no such album") from None
            locked = await photo_edits.lock_photos(conn, pids)
            if len(locked) != len(pids) or set(locked.values()) - {album.library_id}:
                raise NotFound("no such photo in this album's library")
            before = {p.photo_id for rows in (await store.tags_for_photos(conn, pids)).values()
                      for p in rows if p.tag_id == aid}
            changed = [p for p in pids if (p in before) != add]
            if add:
                await tags.attach_many(conn, changed, aid)
            else:
                await tags.detach_many(conn, changed, aid)
            if changed:
                await photo_edits.touch(conn, changed)
            for pid in changed:
                messages.append(await self._events.record(
                    conn, EventKind.PHOTO_UPDATED, album.library_id, pid, {"change": "tags"}))
            if changed:  # the Albums screen's count and cover
                messages.append(await self._events.record(
                    conn, EventKind.ALBUM_UPDATED, album.library_id, None,
                    {"albumId": str(aid), "change": "photos"}))
        await self._events.publish(*messages)
        return album

    async def add_to_album(self, viewer: Viewer | None, album_id: Any,
                           photo_ids: Sequence[Any]) -> store.TagRow:
        """Put photos of the album's library into the album."""
        return await self._album_change(viewer, album_id, photo_ids, add=True)

    async def remove_from_album(self, viewer: Viewer | None, album_id: Any,
                                photo_ids: Sequence[Any]) -> store.TagRow:
        """Take photos out of the album."""
        return await self._album_change(viewer, album_id, photo_ids, add=False)
