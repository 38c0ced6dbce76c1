"""Photos for a viewer: the filtered page, one photo, its parts, tag/camera/lens counts.

Every entry point that takes a viewer checks library membership first (``require_role``).
The batch loaders (``*_for``) take ids of photos the request already proved it may see.
Edits live in ``photo_edits.py`` and media files in ``media.py``; this class gathers them
so handlers and resolvers reach everything through ``services.photos``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from photonix_rt.auth.access import Role, require_role
from photonix_rt.auth.identity import Viewer
from photonix_rt.config import Config
from photonix_rt.errors import Invalid, NotFound, Unauthenticated
from photonix_rt.services.bulk_tags import BulkTags
from photonix_rt.services.events import EventService
from photonix_rt.services.photo_edits import PhotoEdits
from photonix_rt.services.photo_filters import (
    TAG_TYPES,
    decode_cursor,
    encode_cursor,
    parse_filter,
    parse_id,
)
from photonix_rt.services.photo_media import PhotoMedia
from photonix_rt.services.photo_timeline import PhotoTimeline
from photonix_rt.store import photos_query as store
from photonix_rt.store.db import Database
from photonix_rt.store.photo_filter import PhotoFilter

__all__ = ["PhotoPage", "PhotoService"]


@dataclass(frozen=True)
class PhotoPage:
    """One page of the connection, plus what is needed to count the whole result."""

    photos: list[store.PhotoRow]
    cursors: list[str]
    has_next_page: bool
    library_id: UUID
    filter: PhotoFilter

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None


class PhotoService(PhotoEdits, BulkTags, PhotoMedia, PhotoTimeline):
    """Reads here; edits (``PhotoEdits``, ``BulkTags``), media files (``PhotoMedia``) and the
    timeline (``PhotoTimeline``) mixed in."""

    def __init__(self, db: Database, config: Config, events: EventService) -> None:
        self._db = db
        self._config = config
        self._events = events

    async def page(self, viewer: Viewer | None, library_id: Any,
                   filter_input: Mapping[str, Any] | None, first: int, after: str | None,
                   order: str) -> PhotoPage:
        """Up to ``first`` photos after the cursor (keyset pagination, never OFFSET)."""
        library = parse_id(library_id, "libraryId")
        await require_role(self._db, viewer, library, Role.VIEWER)
        if order not in store.ORDERS:
            raise Invalid("unknown orderBy")
        if first < 0:
            raise Invalid("first must not be negative")
        first = min(first, self._config.max_page_size)
        photo_filter = parse_filter(filter_input)
        keyset = decode_cursor(after, order) if after else None
        rows = await store.photos_page(self._db, library, photo_filter, order, keyset,
                                       first + 1)
        column = store.ORDERS[order][0]
        page = rows[:first]
        cursors = [encode_cursor(order, getattr(r, column), r.id) for r in page]
        return PhotoPage(page, cursors, len(rows) > first, library, photo_filter)

    async def count(self, page: PhotoPage) -> int:
        """How many photos match the page's filter (access was checked making the page)."""
        return await store.count_photos(self._db, page.library_id, page.filter)

    async def get(self, viewer: Viewer | None, photo_id: Any) -> store.PhotoRow:
        """The photo, if the viewer may see it; NotFound otherwise (also for others' ids)."""
        if viewer is None:
            raise Unauthenticated("sign in first")
        try:
            pid = parse_id(photo_id, "id")
        except Invalid:
            raise NotFound("no such photo") from None
        photo = await store.photo_by_id(self._db, pid)
        if photo is None:
            raise NotFound("no such photo")
        try:
            await require_role(self._db, viewer, photo.library_id, Role.VIEWER)
        except NotFound:
            raise NotFound("no such photo") from None
        return photo

    # Batch loads for graphql/loaders.py: one statement per call, values in key order.

    async def photos_by_ids(self, photo_ids: Sequence[UUID]) -> list[store.PhotoRow | None]:
        """Photos reached through an access-checked parent (an album's cover, say)."""
        found = await store.photos_by_ids(self._db, list(photo_ids))
        return [found.get(p) for p in photo_ids]

    async def files_for(self, photo_ids: Sequence[UUID]) -> list[list[store.FileRow]]:
        found = await store.files_for_photos(self._db, list(photo_ids))
        return [found.get(i, []) for i in photo_ids]

    async def tags_for(self, photo_ids: Sequence[UUID]) -> list[list[store.PhotoTagRow]]:
        found = await store.tags_for_photos(self._db, list(photo_ids))
        return [found.get(i, []) for i in photo_ids]

    async def cameras(self, ids: Sequence[UUID]) -> list[store.CameraRow | None]:
        found = await store.cameras_by_ids(self._db, list(ids))
        return [found.get(i) for i in ids]

    async def lenses(self, ids: Sequence[UUID]) -> list[store.LensRow | None]:
        found = await store.lenses_by_ids(self._db, list(ids))
        return [found.get(i) for i in ids]

    # Lists with counts.

    async def tag_counts(self, viewer: Viewer | None, library_id: Any,
                         tag_type: str | None) -> list[store.TagCount]:
        library = parse_id(library_id, "libraryId")
        await require_role(self._db, viewer, library, Role.VIEWER)
        if tag_type is not None and tag_type not in TAG_TYPES:
            raise Invalid("unknown tag type")
        return await store.tag_counts(self._db, library, tag_type)

    async def camera_counts(self, viewer: Viewer | None,
                            library_id: Any) -> list[store.CameraCount]:
        library = parse_id(library_id, "libraryId")
        await require_role(self._db, viewer, library, Role.VIEWER)
        return await store.camera_counts(self._db, library)

    async def lens_counts(self, viewer: Viewer | None, library_id: Any) -> list[store.LensCount]:
        library = parse_id(library_id, "libraryId")
        await require_role(self._db, viewer, library, Role.VIEWER)
        return await store.lens_counts(self._db, library)
