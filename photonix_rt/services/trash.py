"""The trash: hide photos (undo-able), list them, and forget them for good.

Editors move photos in and out; emptying the trash forgets its photos (owners only: ratings,
albums and faces go with them) and records their files so later scans skip them. Originals
are never touched. Each photo moved records PHOTO_TRASHED / PHOTO_RESTORED, and each one
forgotten PHOTO_REMOVED, so every open grid drops or regains its tile live.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from photonix_rt.auth.access import Role, require_role
from photonix_rt.errors import Invalid, NotFound, Unauthenticated
from photonix_rt.events.types import EventKind, EventMessage
from photonix_rt.ids import parse_uuid
from photonix_rt.store import faces as faces_store
from photonix_rt.store import photo_edits
from photonix_rt.store import trash as trash_store

if TYPE_CHECKING:
    from photonix_rt.auth.identity import Viewer
    from photonix_rt.config import Config
    from photonix_rt.services.events import EventService
    from photonix_rt.store.db import Database
    from photonix_rt.store.photos_query import PhotoRow

__all__ = ["TrashService", "decode_cursor", "encode_cursor"]


def encode_cursor(photo: PhotoRow) -> str:
    assert photo.trashed_at is not None
    return f"{photo.trashed_at.isoformat()}|{photo.id}"


def decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    when, _, pid = cursor.partition("|")
    try:
        at = datetime.fromisoformat(when)
        return at, UUID(pid)
    except ValueError:
        raise Invalid("after is not a cursor of the trash") from None


class TrashService:
    """Move photos to the trash and back, list it, empty it."""

    def __init__(self, db: Database, config: Config, events: EventService) -> None:
        self._db = db
        self._config = config
        self._events = events

    async def move(self, viewer: Viewer | None, photo_ids: Sequence[Any],
                   trashed: bool) -> list[UUID]:
        """Put photos into the trash (or take them out); the ids that changed."""
        if viewer is None:
            raise Unauthenticated("sign in first")
        pids = sorted({parse_uuid(p, "photo") for p in photo_ids})
        if len(pids) > self._config.max_page_size:
            raise Invalid(f"at most {self._config.max_page_size} photos at once")
        kind = EventKind.PHOTO_TRASHED if trashed else EventKind.PHOTO_RESTORED
        messages: list[EventMessage] = []
        async with self._db.transaction() as conn:
            locked = await photo_edits.lock_photos(conn, pids)
            if len(locked) != len(pids):
                raise NotFound("no such photo")
            for library_id in sorted(set(locked.values()), key=str):
                try:
                    await require_role(conn, viewer, library_id, Role.EDITOR)
                except NotFound:
                    raise NotFound("no such photo") from None
            changed = await trash_store.set_trashed(conn, pids, trashed)
            for pid in changed:
                messages.append(await self._events.record(conn, kind, locked[pid], pid))
        await self._events.publish(*messages)
        return changed

    async def page(self, viewer: Viewer | None, library_id: Any, first: int,
                   after: str | None) -> tuple[list[PhotoRow], int]:
        """A page of the library's trash, most recently trashed first, and its size."""
        library = parse_uuid(library_id, "library")
        await require_role(self._db, viewer, library, Role.VIEWER)
        if first < 1:
            raise Invalid("first must be at least 1")
        cursor = decode_cursor(after) if after else None
        rows = await trash_store.trashed_page(self._db, library, cursor,
                                              min(first, self._config.max_page_size) + 1)
        return rows, await trash_store.trashed_count(self._db, library)

    async def empty(self, viewer: Viewer | None, library_id: Any) -> int:
        """Forget every photo in the library's trash (owners); how many."""
        library = parse_uuid(library_id, "library")
        async with self._db.transaction() as conn:
            await require_role(conn, viewer, library, Role.OWNER)
            await faces_store.lock_library_faces(conn, library)
            forgotten, people = await trash_store.forget_trashed(conn, library)
            if people:
                await faces_store.delete_unused_unnamed(conn, people)
                await faces_store.add_index_changes(conn, library, len(people))
            messages = [await self._events.record(conn, EventKind.PHOTO_REMOVED, library, pid,
                                                  {"reason": "trash emptied"})
                        for pid in forgotten]
        await self._events.publish(*messages)
        return len(forgotten)
