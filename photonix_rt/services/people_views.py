"""What the People screens read: pages of people, cover faces, the review queue, face crops.

Mixed into ``PeopleService`` (which provides ``_db``, ``_config`` and ``_pool``). Every read
checks the viewer role of the library first; a face crop is served like a thumbnail (the
media token's session must still stand, and the viewer must be a member).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from photonix_rt.auth.access import Role, require_role
from photonix_rt.errors import Invalid, NotFound, Unauthenticated
from photonix_rt.ids import parse_serial, parse_uuid
from photonix_rt.services.photo_media import MediaFile, thumbnail_path
from photonix_rt.store import faces as faces_store
from photonix_rt.store import people_pages
from workers.protocol import run_task

if TYPE_CHECKING:
    from photonix_rt.auth.identity import Viewer
    from photonix_rt.config import Config
    from photonix_rt.pool_client import PoolClient
    from photonix_rt.store.db import Database
    from photonix_rt.store.faces import FaceRow, PersonRow

__all__ = ["REVIEW_MIN_CONFIDENCE", "PeopleViews", "face_crop_name"]

# Detections below this are shown in the review queue even when grouped with someone.
REVIEW_MIN_CONFIDENCE = 0.95
_SAFE_KEY = re.compile(r"[A-Za-z0-9_-]{2,128}")


def face_crop_name(face: FaceRow) -> str:
    """The crop's file name in its photo's thumbnail folder; changes with the box."""
    digest = hashlib.sha256(",".join(f"{v:.5f}" for v in face.box).encode()).hexdigest()[:12]
    return f"face-{face.id}-{digest}"


def _cursor(after: str | None, digits: int) -> int:
    """A list cursor: a plain number (an offset, or the last face id seen)."""
    if after is None:
        return 0
    if not after.isascii() or not after.isdigit() or len(after) > digits:
        raise Invalid("after is not a cursor of this list")
    return int(after)


class PeopleViews:
    """Reads for the People screens."""

    _db: Database
    _config: Config | None
    _pool: PoolClient | None

    async def people_page(self, viewer: Viewer | None, library_id: str, first: int,
                          after: str | None) -> tuple[list[PersonRow], int, int]:
        """(people, total, offset of the first) in the People screen's order."""
        library = parse_uuid(library_id, "library")
        await require_role(self._db, viewer, library, Role.VIEWER)
        if first < 1:
            raise Invalid("first must be at least 1")
        offset = _cursor(after, 9)
        rows, total = await people_pages.people_page(self._db, library, offset,
                                                     min(first, self._page_cap()))
        return rows, total, offset

    async def cover_faces(self, person_ids: Sequence[object]) -> list[FaceRow | None]:
        """Batch loader for ``Person.cover`` (people were reached through checked reads)."""
        ids = [parse_uuid(str(p), "person") for p in person_ids]
        found = await people_pages.cover_faces(self._db, ids)
        return [found.get(p) for p in ids]

    async def review_faces(self, viewer: Viewer | None, library_id: str, first: int,
                           after: str | None) -> list[FaceRow]:
        """Faces to look at (of nobody, unsure, or of an unnamed group), oldest first."""
        library = parse_uuid(library_id, "library")
        await require_role(self._db, viewer, library, Role.VIEWER)
        if first < 1:
            raise Invalid("first must be at least 1")
        after_id = _cursor(after, 19)
        return await people_pages.review_faces(self._db, library, after_id,
                                               min(first, self._page_cap()),
                                               REVIEW_MIN_CONFIDENCE)

    async def face_crop(self, viewer: Viewer | None, face_id: str) -> MediaFile:
        """The face's crop (made from the preview on first use, then kept on disk)."""
        if viewer is None:
            raise Unauthenticated("sign in first")
        face = await faces_store.face_by_id(self._db, parse_serial(face_id, "face"))
        if face is None:
            raise NotFound("no such face")
        try:
            await require_role(self._db, viewer, face.library_id, Role.VIEWER)
        except NotFound:
            raise NotFound("no such face") from None
        key = face.thumbnail_key
        if key is None or not _SAFE_KEY.fullmatch(key):
            raise NotFound("this face's photo has no thumbnail")
        assert self._config is not None and self._pool is not None, "set up without a pool"
        name = face_crop_name(face)
        roots = (str(self._config.thumbnails_dir),)
        path = thumbnail_path(self._config.thumbnails_dir, key, name)
        if await asyncio.to_thread(path.is_file):
            return MediaFile(path, "image/webp", f'"{key}-{name}"', roots)
        try:  # decoding and resizing is CPU work: a worker process does it
            made, from_preview = await self._pool.run(
                run_task, "face_crop", str(self._config.thumbnails_dir), key, name, face.box)
        except FileNotFoundError:
            raise NotFound("this face's photo has no thumbnail") from None
        # Cut from the grid image while the preview is missing: revalidated (no strong
        # ETag), so the sharper crop replaces it once the preview exists.
        return MediaFile(Path(made), "image/webp", f'"{key}-{name}"' if from_preview else None,
                         roots)

    def _page_cap(self) -> int:
        return self._config.max_page_size if self._config is not None else 200
