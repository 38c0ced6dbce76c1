"""Media files for a viewer: which thumbnail or original to stream.

File paths come only from the database (never from the client). Mixed into ``PhotoService``
(which provides ``_db`` and ``_config``). Media URL tokens belong to the auth service, since
they end with the session that issued them.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from photonix_rt.auth.access import Role, require_role
from photonix_rt.auth.identity import Viewer
from photonix_rt.errors import Invalid, NotFound, Unauthenticated
from photonix_rt.services.photo_filters import parse_id
from photonix_rt.store import libraries as libraries_store
from photonix_rt.store import photos_query as store
from workers.protocol import THUMBNAIL_SIZES

if TYPE_CHECKING:
    from photonix_rt.config import Config
    from photonix_rt.store.db import Database

__all__ = ["PREVIEW_WAIT_S", "MediaFile", "PhotoMedia", "thumbnail_path", "wait_for_file"]

# An Android motion photo's clip (workers/ingest/motion.py), served like a thumbnail.
MOTION_CLIP = "motion"
# Thumbnail keys are written by our workers; anything else in the column is refused.
_SAFE_KEY = re.compile(r"[A-Za-z0-9_-]{2,128}")
# A photo is announced before its preview exists (made ~0.1 s later): a preview request
# waits this long for it, then gets the grid image, revalidated, until the preview is there.
PREVIEW_WAIT_S = 3.0
_PREVIEW_POLL_S = 0.05


async def wait_for_file(path: Path, within_s: float) -> bool:
    """Whether ``path`` exists now or comes to exist within ``within_s`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within_s
    while not await asyncio.to_thread(path.is_file):
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(_PREVIEW_POLL_S)
    return True


@dataclass(frozen=True)
class MediaFile:
    """A file the viewer may read, with the validators its response should carry."""

    path: Path
    mime_type: str
    etag: str | None  # strong ETag for immutable files; None: derive from size and mtime
    # The folders the file must still lie inside when it is opened (links are resolved
    # then, not now: a photo may have been swapped for a link since it was imported).
    roots: tuple[str, ...] = ()


def thumbnail_path(thumbnails_dir: Path, key: str, size: str) -> Path:
    """Where the worker wrote a thumbnail: ``<dir>/<key[:2]>/<key>/<size>.webp``."""
    return thumbnails_dir / key[:2] / key / f"{size}.webp"


class PhotoMedia:
    """Thumbnail and original lookups with access checks."""

    _db: Database
    _config: Config

    async def thumbnail(self, viewer: Viewer | None, photo_id: Any, size: str) -> MediaFile:
        """The photo's thumbnail of this size, if the viewer may see the photo."""
        if viewer is None:
            raise Unauthenticated("sign in first")
        if size not in THUMBNAIL_SIZES and size != MOTION_CLIP:
            raise NotFound("no such thumbnail size")
        try:
            pid = parse_id(photo_id, "photo id")
        except Invalid:
            raise NotFound("no such photo") from None
        found = await store.thumbnail_of(self._db, pid)
        if found is None:
            raise NotFound("no such photo")
        library_id, key = found
        try:
            await require_role(self._db, viewer, library_id, Role.VIEWER)
        except NotFound:
            raise NotFound("no such photo") from None
        return await self.thumbnail_file(key, size)

    async def thumbnail_file(self, key: str | None, size: str) -> MediaFile:
        """The thumbnail of this key and size, for a caller that has checked access."""
        if size not in THUMBNAIL_SIZES and size != MOTION_CLIP:
            raise NotFound("no such thumbnail size")
        if key is None or not _SAFE_KEY.fullmatch(key):
            raise NotFound("this photo has no thumbnail")
        roots = (str(self._config.thumbnails_dir),)
        if size == MOTION_CLIP:  # written beside the thumbnails by the importer
            clip = self._config.thumbnails_dir / key[:2] / key / "motion.mp4"
            return MediaFile(clip, "video/mp4", f'"{key}-motion"', roots)
        path = thumbnail_path(self._config.thumbnails_dir, key, size)
        if size == "preview" and not await wait_for_file(path, PREVIEW_WAIT_S):
            grid = thumbnail_path(self._config.thumbnails_dir, key, "grid")
            # No strong ETag: the stand-in is revalidated, so the preview replaces it.
            return MediaFile(grid, "image/webp", None, roots)
        return MediaFile(path, "image/webp", f'"{key}-{size}"', roots)

    async def original(self, viewer: Viewer | None, file_id: Any) -> MediaFile:
        """An original file, if the viewer may see its library and it is readable."""
        if viewer is None:
            raise Unauthenticated("sign in first")
        try:
            fid = parse_id(file_id, "file id")
        except Invalid:
            raise NotFound("no such file") from None
        row = await store.file_by_id(self._db, fid)
        if row is None:
            raise NotFound("no such file")
        try:
            await require_role(self._db, viewer, row.library_id, Role.VIEWER)
        except NotFound:
            raise NotFound("no such file") from None
        if row.status != "ok" or row.photo_id is None:
            raise NotFound("the file is not available")
        roots = (await libraries_store.paths_of_libraries(self._db, [row.library_id]))[0]
        return MediaFile(Path(row.path), row.mime_type or "application/octet-stream", None,
                         tuple(lp.path for lp in roots))
