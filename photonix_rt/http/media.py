"""Thumbnail and original file routes: access-checked, streamed, cache- and Range-aware.

``/thumbnails/<photo id>/<size>.webp`` and ``/originals/<file id>``. The path on disk always
comes from the database row for that id, never from the request. Besides the Bearer header,
a ``?token=`` media token is accepted, because browsers send no headers for ``<img>``.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import os
from typing import Any
from urllib.parse import quote

import aiofiles
import tornado.web
from tornado.iostream import StreamClosedError

from photonix_rt.auth.identity import Viewer
from photonix_rt.http.base import BaseHandler
from photonix_rt.services.photo_media import MediaFile
from workers.safe_files import OutsideLibrary, open_inside

__all__ = ["FaceCropHandler", "OriginalHandler", "ThumbnailHandler", "parse_range"]

log = logging.getLogger(__name__)

_CHUNK = 256 * 1024
_IMMUTABLE = "private, max-age=31536000, immutable"
_REVALIDATE = "private, no-cache"


def parse_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """The one byte range ``(start, end inclusive)`` a ``Range`` header asks for.

    None: serve the whole file (no header, not bytes, several ranges, or malformed: RFC 9110
    lets a server ignore those). False: the range cannot be satisfied (416).
    """
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash or not (first.isdigit() or first == "") or not (last.isdigit() or last == ""):
        return None
    if first == "":
        if last == "":
            return None
        suffix = int(last)
        if suffix == 0 or size == 0:
            return False
        return (max(0, size - suffix), size - 1)
    start = int(first)
    end = size - 1 if last == "" else min(int(last), size - 1)
    if last != "" and int(last) < start:
        return None  # syntactically invalid: ignore
    if start >= size:
        return False
    return (start, end)


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    # If-None-Match uses weak comparison: W/"x" matches "x".
    return any(tag.strip().removeprefix("W/") == etag for tag in header.split(","))


class _MediaHandler(BaseHandler):
    """Override ``lookup`` to find the file for the route's id."""

    # The embeddable widget shows these in <img> on other sites (access needs a token).
    cross_origin_resource_policy = "cross-origin"

    def compute_etag(self) -> str | None:
        return None  # we set ETags from the stored file, not a hash of what was written

    async def _media_viewer(self) -> Viewer | None:
        if self.viewer is not None:
            return self.viewer
        token = self.get_query_argument("token", None)
        if token is None:
            return None
        return await self.services.auth.media_viewer(token)

    async def lookup(self, viewer: Viewer | None, *args: str) -> MediaFile:
        raise NotImplementedError

    async def get(self, *args: str) -> None:
        await self._serve(*args, body=True)

    async def head(self, *args: str) -> None:
        await self._serve(*args, body=False)

    async def _serve(self, *args: str, body: bool) -> None:
        # Domain errors (401/403/404) become JSON responses in BaseHandler.write_error.
        media = await self.lookup(await self._media_viewer(), *args)
        # Opened once, here: a file swapped for a link since it was imported is refused,
        # and the bytes streamed are those of the file checked.
        try:
            fd = await asyncio.to_thread(open_inside, media.roots, str(media.path))
        except OutsideLibrary:
            log.warning("refusing %s: it leads out of the library's folders", media.path)
            raise tornado.web.HTTPError(404, reason="file not found") from None
        except (FileNotFoundError, NotADirectoryError):
            log.warning("media file gone from disk: %s", media.path)
            raise tornado.web.HTTPError(404, reason="file not found") from None
        try:
            await self._respond(media, fd, body)
        finally:
            os.close(fd)  # fd-only calls: never blocks

    async def _respond(self, media: MediaFile, fd: int, body: bool) -> None:
        stat = os.fstat(fd)  # on the descriptor: no path lookup, does not block
        etag = media.etag or f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
        self.set_header("ETag", etag)
        self.set_header("Cache-Control", _IMMUTABLE if media.etag else _REVALIDATE)
        self.set_header("Accept-Ranges", "bytes")
        self.set_header("X-Content-Type-Options", "nosniff")
        if _etag_matches(self.request.headers.get("If-None-Match"), etag):
            self.set_status(304)
            return
        start, end = 0, stat.st_size - 1
        requested = self._requested_range(etag, stat.st_size)
        if requested is False:
            self.set_status(416)
            self.set_header("Content-Range", f"bytes */{stat.st_size}")
            return
        if requested is not None:
            assert isinstance(requested, tuple)
            start, end = requested
            self.set_status(206)
            self.set_header("Content-Range", f"bytes {start}-{end}/{stat.st_size}")
        self._set_type(media)
        self.set_header("Content-Length", str(end - start + 1))
        if body:
            await self._stream(media, fd, start, end - start + 1)

    def _requested_range(self, etag: str, size: int) -> tuple[int, int] | bool | None:
        header = self.request.headers.get("Range")
        if not header:
            return None
        if_range = self.request.headers.get("If-Range")
        if if_range is not None and if_range.strip() != etag:
            return None  # the client's copy is stale: send it all
        return parse_range(header, size)

    def _set_type(self, media: MediaFile) -> None:
        mime = media.mime_type
        if mime == "application/octet-stream":
            mime = mimetypes.guess_type(media.path.name)[0] or mime
        self.set_header("Content-Type", mime)
        if isinstance(self, OriginalHandler):
            name = os.path.basename(media.path)
            self.set_header("Content-Disposition", f"inline; filename*=UTF-8''{quote(name)}")

    async def _stream(self, media: MediaFile, fd: int, start: int, length: int) -> None:
        try:
            async with aiofiles.open(fd, "rb", closefd=False) as handle:
                await handle.seek(start)
                while length > 0:
                    chunk = await handle.read(min(_CHUNK, length))
                    if not chunk:
                        break  # the file shrank under us; the connection will be cut short
                    length -= len(chunk)
                    self.write(chunk)
                    await self.flush()
        except StreamClosedError:
            log.debug("client went away while streaming %s", media.path)


class ThumbnailHandler(_MediaHandler):
    """``/thumbnails/<photo id>/<size>.webp``: immutable, so cached for a year."""

    async def lookup(self, viewer: Viewer | None, *args: Any) -> MediaFile:
        photo_id, size = args
        return await self.services.photos.thumbnail(viewer, photo_id, size)


class FaceCropHandler(_MediaHandler):
    """``/faces/<face id>.webp``: a crop cut from the preview; immutable like thumbnails."""

    async def lookup(self, viewer: Viewer | None, *args: Any) -> MediaFile:
        (face_id,) = args
        return await self.services.people.face_crop(viewer, face_id)


class OriginalHandler(_MediaHandler):
    """``/originals/<file id>``: the file as it is on disk, with Range support."""

    async def lookup(self, viewer: Viewer | None, *args: Any) -> MediaFile:
        (file_id,) = args
        return await self.services.photos.original(viewer, file_id)
