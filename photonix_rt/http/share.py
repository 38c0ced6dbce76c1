"""The public share surface: a link's token opens its photos, nothing else.

Routes (``<t>`` is the link's token; media paths in answers are relative to ``/embed/v1/<t>/``):

- ``GET /embed/v1/<t>/photos?first=&after=&order=taken|added&view=1`` the scope, as columns
  (``view=1``: a visitor opened it, counted; refreshes of an open widget leave it out)
- ``GET /embed/v1/<t>/photos/<id>`` one photo, with what the link's switches reveal
- ``GET /embed/v1/<t>/thumbnails/<id>/<size>.webp``, ``/embed/v1/<t>/originals/<id>``
- ``WS  /embed/v1/<t>/live`` added / updated / removed photos, closed with 4403 when it ends
- ``GET /embed/v1/photonix-gallery.js``, ``/embed/<t>`` and ``/s/<t>``: ``http/share_pages.py``

No route reads an ``Authorization`` header: a signed-in session grants nothing more here,
and a share token is never a session anywhere else. Browsers from other origins get the
JSON only when the link allows their origin (CORS echoes it, never with credentials); the
socket checks ``Origin`` the same way; the iframe page says who may frame it in its CSP.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

import tornado.ioloop
import tornado.web
import tornado.websocket

from photonix_rt.auth.identity import Viewer
from photonix_rt.auth.share_tokens import normalize_origin, origin_allowed
from photonix_rt.errors import DomainError, Forbidden, Invalid
from photonix_rt.http.base import BaseHandler
from photonix_rt.http.media import _MediaHandler
from photonix_rt.http.wire import text_frame, write_frame
from photonix_rt.services.photo_media import MediaFile
from photonix_rt.services.share_live import LiveMember
from photonix_rt.services.shares import ShareLink as ShareLinkRow
from photonix_rt.services.shares import compact

__all__ = ["TOKEN", "ShareMixin", "ShareOriginalHandler", "SharePhotoHandler",
           "SharePhotosHandler", "ShareSocketHandler", "ShareThumbnailHandler"]

log = logging.getLogger(__name__)

TOKEN = r"([A-Za-z0-9_-]{32})"
_ORDERS = {"taken": "TAKEN_AT_DESC", "added": "CREATED_AT_DESC"}
MAX_UNSENT = 256  # writes buffered for one slow socket before it is closed (1013)


class ShareMixin:
    """Open the link of the route's token, check the caller's origin, count the request."""

    services: Any
    request: Any
    set_header: Any
    link: ShareLinkRow | None = None

    def own_origin(self) -> str:
        try:
            return normalize_origin(f"{self.request.protocol}://{self.request.host}")
        except Invalid:
            return ""

    def origin_ok(self, link: ShareLinkRow) -> bool:
        return origin_allowed(self.request.headers.get("Origin"), link.allowed_origins,
                              self.own_origin())

    async def open_link(self, token: str) -> ShareLinkRow:
        shares = self.services.shares
        # Counted before the lookup: guessing tokens costs the guesser's address its budget.
        shares.limits.request(token, self.request.remote_ip)
        link = await shares.open(token)
        if not self.origin_ok(link):
            raise Forbidden("this site may not show this link")
        origin = self.request.headers.get("Origin")
        if origin:  # echoed, never with credentials: the token in the URL is the credential
            self.set_header("Access-Control-Allow-Origin", origin)
            self.set_header("Vary", "Origin")
        self.link = link
        return link


class _ShareJsonHandler(ShareMixin, BaseHandler):
    cross_origin_resource_policy = "cross-origin"

    async def prepare(self) -> None:
        self.set_header("Cache-Control", "no-store")

    def options(self, *_args: Any) -> None:
        # Simple GETs need no preflight; a client adding headers gets a plain refusal.
        self.set_status(204)
        self.finish()

    def client_error(self, status: int, message: str, code: str) -> None:
        # An ended or unknown link may say so to any page (it reveals nothing), so the widget
        # can show "no longer shared"; a refused origin learns nothing at all.
        origin = self.request.headers.get("Origin")
        if origin and code in ("SHARE_ENDED", "NOT_FOUND", "RATE_LIMITED"):
            self.set_header("Access-Control-Allow-Origin", origin)
            self.set_header("Vary", "Origin")
        self.write_json({"error": message, "code": code}, status)


def _switches(link: ShareLinkRow) -> dict[str, Any]:
    return {"showLocation": link.show_location, "showMetadata": link.show_metadata,
            "showPeople": link.show_people, "allowDownload": link.allow_download}


class SharePhotosHandler(_ShareJsonHandler):
    async def get(self, token: str) -> None:
        link = await self.open_link(token)
        order = _ORDERS.get(self.get_query_argument("order", "taken"))
        if order is None:
            raise Invalid("order must be 'taken' or 'added'")
        try:
            first = int(self.get_query_argument("first", "60"))
        except ValueError:
            raise Invalid("first must be a number") from None
        after = self.get_query_argument("after", None)
        page = await self.services.shares.page(link, after, first, order)
        if after is None and self.get_query_argument("view", None) == "1":
            await self.services.shares.count_view(link)  # a page or widget opened it
        self.write_json({
            "share": {"title": link.album_name or "Shared photos",
                      "expiresAt": link.expires_at, **_switches(link)},
            "photos": compact(page.photos),
            "next": page.next_cursor,
        })


class SharePhotoHandler(_ShareJsonHandler):
    async def get(self, token: str, photo_id: str) -> None:
        link = await self.open_link(token)
        photo = await self.services.shares.photo(link, photo_id)
        self.write_json(await self.services.shares.details(link, photo))


class _ShareMediaHandler(ShareMixin, _MediaHandler):
    async def prepare(self) -> None:
        return None  # the token in the path is the only credential here

    async def _media_viewer(self) -> Viewer | None:
        return None


class ShareThumbnailHandler(_ShareMediaHandler):
    async def lookup(self, _viewer: Viewer | None, *args: Any) -> MediaFile:
        token, photo_id, size = args
        link = await self.open_link(token)
        return await self.services.shares.thumbnail(link, photo_id, size)


class ShareOriginalHandler(_ShareMediaHandler):
    async def lookup(self, _viewer: Viewer | None, *args: Any) -> MediaFile:
        token, photo_id = args
        link = await self.open_link(token)
        return await self.services.shares.original(link, photo_id)


# The last batch's frames: every member of a group gets the same tuple in one loop.
_last_frames: tuple[tuple[str, ...], bytes] = ((), b"")


def _frames_of(texts: tuple[str, ...]) -> bytes:
    global _last_frames
    if _last_frames[0] is not texts:
        _last_frames = (texts, b"".join(text_frame(text) for text in texts))
    return _last_frames[1]


class ShareSocketHandler(ShareMixin, tornado.websocket.WebSocketHandler, BaseHandler):
    """Live changes of the link's scope as JSON text messages (``{"type": ...}``)."""

    cross_origin_resource_policy = "cross-origin"
    _member: LiveMember | None = None
    _release: Any = None
    _unsent = 0

    async def prepare(self) -> None:
        return None

    async def get(self, *args: Any, **kwargs: Any) -> None:
        (token,) = args
        link = await self.open_link(token)
        # Only one Origin check, the link's: an upgrade never carries credentials here.
        self._release = self.services.shares.limits.open_socket(str(link.id),
                                                                self.request.remote_ip)
        try:
            await super().get(*args, **kwargs)
        finally:
            if self.ws_connection is None and self._release is not None:
                self._release()  # not upgraded (refused origin, bad request)

    def check_origin(self, origin: str) -> bool:
        return self.link is not None and self.origin_ok(self.link)

    def get_compression_options(self) -> dict[str, Any] | None:
        return None  # small messages, many sockets (as on /graphql)

    def open(self, *_args: Any, **_kwargs: Any) -> None:
        assert self.link is not None
        # Small frames to be read at once: don't hold one back until the previous one's ACK
        # comes (Nagle; the client's delayed ACK can cost 40 ms).
        self.set_nodelay(True)
        self._member = LiveMember(send=self._send, end=self._end)
        self.services.shares.live.join(self.link, self._member)
        self._send(('{"type":"ready"}',))
        # Revoked between the check in get() and joining: the group's own checks may have
        # run already, so look once more.
        tornado.ioloop.IOLoop.current().add_callback(self._check_still_live, self.link.id)

    async def _check_still_live(self, link_id: UUID) -> None:
        try:
            if not await self.services.shares.live.still_live(link_id):
                self._end(4403, "no longer shared")
        except DomainError:
            log.debug("re-checking share link %s failed", link_id, exc_info=True)

    def on_message(self, message: str | bytes) -> None:
        return None  # nothing to say to the server; pings are WebSocket control frames

    def _send(self, texts: tuple[str, ...]) -> None:
        try:
            pending = write_frame(self, _frames_of(texts))
        except tornado.websocket.WebSocketClosedError:
            return
        if pending is None:
            return
        # A reader that stops reading must not make the server buffer forever.
        self._unsent += 1
        if self._unsent > MAX_UNSENT:
            self._end(1013, "too slow: reconnect")
            return
        pending.add_done_callback(self._sent)

    def _sent(self, future: Any) -> None:
        self._unsent -= 1
        if not future.cancelled():
            future.exception()  # retrieved: a peer gone meanwhile is on_close's business

    def _end(self, code: int, reason: str) -> None:
        if self.ws_connection is not None and not self.ws_connection.is_closing():
            self.close(code, reason)

    def on_close(self) -> None:
        if self._member is not None and self.link is not None:
            self.services.shares.live.leave(self.link.id, self._member)
            self._member = None
        if self._release is not None:
            self._release()
            self._release = None
