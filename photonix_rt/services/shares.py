"""Share links: editors and owners make, list and revoke them; a token opens exactly its scope.

A link's scope is one album or one saved ``PhotoFilter`` of one library; both become a store
``PhotoFilter`` (an album is its tag), so "is this photo shared?" is always the same clause
set the photos connection uses, plus ``p.id = ...``. Whoever holds the token gets the photos
in scope (also ones added later), their thumbnails, and what the reveal switches allow:
never another photo, the library, its members, or any mutation.

Usage::

    link, token = await shares.create(viewer, library_id, album_id=..., ...)  # token shown once
    link = await shares.open(token)                 # NotFound / ShareEnded
    page = await shares.page(link, after=None, first=60, order="TAKEN_AT_DESC")
    media = await shares.thumbnail(link, photo_id, "grid")
    await shares.revoke(viewer, link.id)            # sockets close with 4403 on every process
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from photonix_rt.auth.access import Role, require_role
from photonix_rt.auth.share_tokens import (
    hash_share_token,
    looks_like_share_token,
    new_share_token,
    normalize_origin,
)
from photonix_rt.errors import Forbidden, Invalid, NotFound, Unauthenticated
from photonix_rt.services.photo_filters import (
    decode_cursor,
    encode_cursor,
    parse_datetime,
    parse_filter,
    parse_id,
)
from photonix_rt.services.photo_media import MediaFile
from photonix_rt.services.share_limits import ShareLimitConfig, ShareLimits
from photonix_rt.store import libraries as libraries_store
from photonix_rt.store import photos_query
from photonix_rt.store import share_links as store
from photonix_rt.store.photo_filter import PhotoFilter

if TYPE_CHECKING:
    from photonix_rt.auth.identity import Viewer
    from photonix_rt.config import Config
    from photonix_rt.services.photos import PhotoService
    from photonix_rt.services.share_live import ShareLive
    from photonix_rt.store.db import Database

__all__ = ["MAX_ORIGINS", "ShareEnded", "ShareLink", "SharePage", "ShareService", "compact",
           "scope_filter"]

MAX_ORIGINS = 20
_MAX_SHARE_PAGE = 200
ShareLink = store.ShareLinkRow


class ShareEnded(Forbidden):
    """The link was revoked or has expired."""

    code = "SHARE_ENDED"


def scope_filter(link: ShareLink) -> PhotoFilter:
    """The photos a link grants, as a store filter of its library."""
    if link.album_id is not None:
        return PhotoFilter(tag_ids=(link.album_id,))
    return parse_filter(link.filter or {})


def _taken(photo: photos_query.PhotoRow) -> str | None:
    """Wall-clock date as the camera knew it (the widget shows days, not zones)."""
    if photo.taken_at_local is not None:
        return photo.taken_at_local.isoformat()
    return photo.taken_at.astimezone(UTC).isoformat() if photo.taken_at else None


def _thumbnail(photo: photos_query.PhotoRow, size: str) -> str | None:
    if photo.thumbnail_key is None:
        return None
    return f"thumbnails/{photo.id}/{size}.webp?v={photo.thumbnail_key}"


def compact(photos: Sequence[photos_query.PhotoRow]) -> dict[str, list[Any]]:
    """Photos as columns (one list per field): small on the wire, what a grid tile needs.

    Media paths are relative to the link's base, ``/embed/v1/<token>/``: the same bytes
    serve every holder of the link (a live frame is built once for all its sockets).
    """
    return {
        "id": [str(p.id) for p in photos],
        "w": [p.width for p in photos],
        "h": [p.height for p in photos],
        "ph": [p.placeholder for p in photos],
        "t": [_taken(p) for p in photos],
        "grid": [_thumbnail(p, "grid") for p in photos],
        "preview": [_thumbnail(p, "preview") for p in photos],
    }


@dataclass(frozen=True)
class SharePage:
    photos: list[photos_query.PhotoRow]
    next_cursor: str | None


def _clean_origins(origins: Sequence[str] | None) -> list[str]:
    cleaned = sorted({normalize_origin(o) for o in origins or ()})
    if len(cleaned) > MAX_ORIGINS:
        raise Invalid(f"at most {MAX_ORIGINS} allowed origins")
    return cleaned


class ShareService:
    """Share links of libraries, and what a token may read."""

    def __init__(self, db: Database, config: Config, photos: PhotoService,
                 live: ShareLive, limits: ShareLimits | None = None) -> None:
        self._db = db
        self._config = config
        self._photos = photos
        self.live = live
        self.limits = limits or ShareLimits(ShareLimitConfig(
            requests_per_address=config.share_requests_per_address,
            sockets_per_address=config.share_sockets_per_address))

    # ---- for editors and owners -------------------------------------------------------------

    async def create(self, viewer: Viewer | None, library_id: Any, *, album_id: Any = None,
                     filter_input: Mapping[str, Any] | None = None, expires_at: Any = None,
                     allowed_origins: Sequence[str] | None = None, show_location: bool = False,
                     show_metadata: bool = False, show_people: bool = False,
                     allow_download: bool = False) -> tuple[ShareLink, str]:
        """A new link and its token (the only time the token is seen)."""
        if viewer is None:
            raise Unauthenticated("sign in first")
        library = parse_id(library_id, "libraryId")
        if (album_id is None) == (filter_input is None):
            raise Invalid("give exactly one of albumId and filter")
        expires = None if expires_at is None else parse_datetime(expires_at, "expiresAt")
        if expires is not None and expires <= datetime.now(UTC):
            raise Invalid("expiresAt is in the past")
        origins = _clean_origins(allowed_origins)
        album = None
        saved_filter: dict[str, Any] | None = None
        if filter_input is not None:
            saved_filter = {k: v for k, v in dict(filter_input).items() if v is not None}
            parse_filter(saved_filter)  # refuse a bad filter now, not at every read
        token = new_share_token()
        async with self._db.transaction() as conn:
            await require_role(conn, viewer, library, Role.EDITOR)
            if album_id is not None:
                album = parse_id(album_id, "albumId")
                tag = await photos_query.tag_by_id(conn, album)
                if tag is None or tag.type != "album" or tag.library_id != library:
                    raise NotFound("no such album in this library")
            link = await store.insert_share_link(conn, store.NewShareLink(
                library_id=library, token_hash=hash_share_token(token), album_id=album,
                filter=saved_filter, expires_at=expires, allowed_origins=origins,
                show_location=show_location, show_metadata=show_metadata,
                show_people=show_people, allow_download=allow_download,
                created_by=viewer.user_id))
        return link, token

    async def links_of(self, viewer: Viewer | None, library_id: Any) -> list[ShareLink]:
        library = parse_id(library_id, "libraryId")
        await require_role(self._db, viewer, library, Role.EDITOR)
        return await store.share_links_of_library(self._db, library)

    async def revoke(self, viewer: Viewer | None, link_id: Any) -> bool:
        """End the link now (its open sockets too, on every process); False if it was."""
        if viewer is None:
            raise Unauthenticated("sign in first")
        try:
            lid = parse_id(link_id, "id")
        except Invalid:
            raise NotFound("no such share link") from None
        async with self._db.transaction() as conn:
            link = await store.share_link_by_id(conn, lid)
            if link is None:
                raise NotFound("no such share link")
            try:
                await require_role(conn, viewer, link.library_id, Role.EDITOR)
            except NotFound:
                raise NotFound("no such share link") from None
            changed = await store.revoke(conn, lid)
        await self.live.ended(lid)  # after the commit: a re-check must see it revoked
        return changed

    # ---- for token holders ------------------------------------------------------------------

    async def open(self, token: str) -> ShareLink:
        """The live link of a token: NotFound for unknown tokens, ShareEnded once it ended."""
        if not looks_like_share_token(token):
            raise NotFound("no such share link")
        link = await store.share_link_by_hash(self._db, hash_share_token(token))
        if link is None:
            raise NotFound("no such share link")
        self.check_live(link)
        return link

    @staticmethod
    def check_live(link: ShareLink) -> None:
        if link.revoked_at is not None:
            raise ShareEnded("this link is no longer shared")
        if link.expires_at is not None and link.expires_at <= datetime.now(UTC):
            raise ShareEnded("this link has expired")

    async def count_view(self, link: ShareLink) -> None:
        await store.count_view(self._db, link.id)

    async def page(self, link: ShareLink, after: str | None, first: int,
                   order: str) -> SharePage:
        """Photos in scope, newest first (or by date added), keyset-paginated."""
        if order not in ("TAKEN_AT_DESC", "CREATED_AT_DESC"):
            raise Invalid("order must be TAKEN_AT_DESC or CREATED_AT_DESC")
        first = max(0, min(first, _MAX_SHARE_PAGE))
        keyset = decode_cursor(after, order) if after else None
        rows = await photos_query.photos_page(self._db, link.library_id, scope_filter(link),
                                              order, keyset, first + 1)
        page = rows[:first]
        column = photos_query.ORDERS[order][0]
        cursor = (encode_cursor(order, getattr(page[-1], column), page[-1].id)
                  if len(rows) > first and page else None)
        return SharePage(page, cursor)

    async def in_scope(self, link: ShareLink,
                       photo_ids: Sequence[UUID]) -> list[photos_query.PhotoRow]:
        return await store.in_scope(self._db, link.library_id, scope_filter(link),
                                    list(photo_ids))

    async def photo(self, link: ShareLink, photo_id: Any) -> photos_query.PhotoRow:
        """One photo of the scope; NotFound for every other id (others' ids included)."""
        try:
            pid = parse_id(photo_id, "photo id")
        except Invalid:
            raise NotFound("no such photo") from None
        found = await self.in_scope(link, [pid])
        if not found:
            raise NotFound("no such photo")
        return found[0]

    async def details(self, link: ShareLink, photo: photos_query.PhotoRow) -> dict[str, Any]:
        """What the viewer of one shared photo may know: the switches decide."""
        body: dict[str, Any] = {key: column[0] for key, column in compact([photo]).items()}
        tags = (await photos_query.tags_for_photos(self._db, [photo.id])).get(photo.id, [])
        if link.show_location:
            body["location"] = {
                "latitude": photo.latitude, "longitude": photo.longitude,
                "places": [t.name for t in tags if t.type == "location"]}
        if link.show_people:
            body["people"] = sorted({t.name for t in tags if t.type == "person" and t.name})
        if link.show_metadata:
            camera = (await photos_query.cameras_by_ids(self._db, [photo.camera_id])
                      ).get(photo.camera_id) if photo.camera_id else None
            lens = (await photos_query.lenses_by_ids(self._db, [photo.lens_id])
                    ).get(photo.lens_id) if photo.lens_id else None
            body["metadata"] = {
                "camera": f"{camera.make} {camera.model}" if camera else None,
                "lens": lens.name if lens else None, "exposureTime": photo.exposure_time,
                "aperture": photo.aperture, "iso": photo.iso,
                "focalLength": photo.focal_length}
        if link.allow_download:
            body["download"] = f"originals/{photo.id}"
        return body

    async def thumbnail(self, link: ShareLink, photo_id: Any, size: str) -> MediaFile:
        photo = await self.photo(link, photo_id)
        return await self._photos.thumbnail_file(photo.thumbnail_key, size)

    async def original(self, link: ShareLink, photo_id: Any) -> MediaFile:
        if not link.allow_download:
            raise NotFound("downloads are not shared")
        photo = await self.photo(link, photo_id)
        files = (await photos_query.files_for_photos(self._db, [photo.id])).get(photo.id, [])
        ready = next((f for f in files if f.status == "ok"), None)
        if ready is None:
            raise NotFound("the file is not available")
        roots = (await libraries_store.paths_of_libraries(self._db, [photo.library_id]))[0]
        return MediaFile(Path(ready.path), ready.mime_type or "application/octet-stream", None,
                         tuple(lp.path for lp in roots))
