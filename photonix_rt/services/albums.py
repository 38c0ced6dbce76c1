"""Albums as the Albums screen uses them: list with covers and counts, rename, delete.

Creating albums and adding or removing photos live with the other photo edits
(``services.photo_edits``). Reads need the viewer role, changes the editor role; each change
records ALBUM_UPDATED / ALBUM_REMOVED in its transaction and publishes it after commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from photonix_rt.auth.access import Role, require_role
from photonix_rt.errors import Conflict, NotFound, Unauthenticated
from photonix_rt.events.types import EventKind
from photonix_rt.ids import parse_uuid
from photonix_rt.services.photo_edits import clean_name
from photonix_rt.store import albums as albums_store
from photonix_rt.store import photos_query

if TYPE_CHECKING:
    from photonix_rt.auth.identity import Viewer
    from photonix_rt.services.events import EventService
    from photonix_rt.store.albums import AlbumRow
    from photonix_rt.store.db import Database, Queryable
    from photonix_rt.store.photos_query import TagRow

__all__ = ["AlbumService"]


class AlbumService:
    """The Albums screen's reads and album-level edits."""

    def __init__(self, db: Database, events: EventService) -> None:
        self._db = db
        self._events = events

    async def albums(self, viewer: Viewer | None, library_id: Any) -> list[AlbumRow]:
        library = parse_uuid(library_id, "library")
        await require_role(self._db, viewer, library, Role.VIEWER)
        return await albums_store.albums_of_library(self._db, library)

    async def rename(self, viewer: Viewer | None, album_id: Any, name: str) -> TagRow:
        clean = clean_name(name)
        async with self._db.transaction() as conn:
            album = await self._editable_album(conn, viewer, album_id)
            if not await albums_store.rename_album(conn, album.id, clean):
                raise Conflict("an album of that name exists")
            message = await self._events.record(conn, EventKind.ALBUM_UPDATED,
                                                 album.library_id, None,
                                                 {"albumId": str(album.id), "change": "name"})
        await self._events.publish(message)
        renamed = await photos_query.tag_by_id(self._db, album.id)
        if renamed is None:
            raise NotFound("no such album")  # deleted right after
        return renamed

    async def delete(self, viewer: Viewer | None, album_id: Any) -> bool:
        """Delete the album; its photos stay in the library."""
        async with self._db.transaction() as conn:
            album = await self._editable_album(conn, viewer, album_id)
            await albums_store.delete_album(conn, album.id)
            message = await self._events.record(conn, EventKind.ALBUM_REMOVED,
                                                 album.library_id, None,
                                                 {"albumId": str(album.id)})
        await self._events.publish(message)
        return True

    async def _editable_album(self, conn: Queryable, viewer: Viewer | None,
                              album_id: Any) -> TagRow:
        if viewer is None:
            raise Unauthenticated("sign in first")  # before any lookup: no probing ids
        album: TagRow | None = await photos_query.tag_by_id(conn, parse_uuid(album_id,
                                                                             "album"))
        if album is None or album.type != "album":
            raise NotFound("no such album")
        try:
            await require_role(conn, viewer, album.library_id, Role.EDITOR)
        except NotFound:
            raise NotFound("no such album") from None
        return album
