"""The public share surface: a link's token opens its photos, nothing else.

Routes (``<t>`` is the link's token; media paths in answers are relative to ``/embed/v1/<t>/``):

- ``GET /embed/v1/<t>/photos?first=&after=&order=taken|added&view=1`` the scope, as columns
  (``view=1``: a visitor opened it, counted; refreshes of an open widget leave it out)
- ``GET /embed/v1/<t>/photos/<id>`` one photo, with what the link's switches reveal
- ``GET /embed/v1/<t>/thumbnails/<id>/<size>.webp``, ``/embed/v1/<t>/originals/<id>``
- ``WS  /embed/v1/<t>/live`` added / updated / removed photos, closed with 4403 when it ends
- ``GET /embed/v1/photonix-gallery.js`` the widget; ``/embed/<t>`` the iframe variant and
  ``/s/<t>`` the share page (both HTML pages around the widget)

No route reads an ``Authorization`` header: a signed-in session grants nothing more here,
and a share token is never a session anywhere else. Browsers from other origins get the
JSON only when the link allows their origin (CORS echoes it, never with credentials); the
socket checks ``Origin`` the same way; the iframe page says who may frame it in its CSP.
"""

from __future__ import annotations

import html
import logging
from typing import Any
from uuid import UUID

import tornado.ioloop
import tornado.web
import tornado.websocket

from photonix_rt.auth.identity import Viewer
from photonix_rt.auth.share_tokens import normalize_origin, origin_allowed
from photonix_rt.errors import DomainError, Forbidden, Invalid, NotFound
from photonix_rt.http.base import BaseHandler
from photonix_rt.http.media import _MediaHandler
from photonix_rt.http.wire import text_frame, write_frame
from photonix_rt.services.photo_media import MediaFile
from photonix_rt.services.share_live import LiveMember
from photonix_rt.services.shares import ShareEnded, compact
from photonix_rt.services.shares import ShareLink as ShareLinkRow

__all__ = ["TOKEN", "EmbedPageHandler", "ShareOriginalHandler", "SharePageHandler",
           "SharePhotoHandler", "SharePhotosHandler", "ShareSocketHandler",
           "ShareThumbnailHandler", "WidgetScriptHandler"]

log = logging.getLogger(__name__)

TOKEN = r"([A-Za-z0-9_-]{32})"
_ORDERS = {"taken": "TAKEN_AT_DESC", "added": "CREATED_AT_DESC"}
MAX_UNSENT = 256  # messages buffered for one slow socket before it is closed (1013)


class _ShareMixin:
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


class _ShareJsonHandler(_ShareMixin, BaseHandler):
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


class _ShareMediaHandler(_ShareMixin, _MediaHandler):
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


# The last message's frame: every member of a group gets the same ``str`` in one loop.
_last_frame: tuple[str, bytes] = ("", b"")


def _frame_of(text: str) -> bytes:
    global _last_frame
    if _last_frame[0] is not text:
        _last_frame = (text, text_frame(text))
    return _last_frame[1]


class ShareSocketHandler(_ShareMixin, tornado.websocket.WebSocketHandler, BaseHandler):
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
        self._member = LiveMember(send=self._send, end=self._end)
        self.services.shares.live.join(self.link, self._member)
        self._send('{"type":"ready"}')
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

    def _send(self, text: str) -> None:
        try:
            pending = write_frame(self, _frame_of(text))
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


class WidgetScriptHandler(tornado.web.StaticFileHandler):
    """``/embed/v1/photonix-gallery.js``: other sites load it as a module (CORS mode)."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Access-Control-Allow-Origin", "*")
        self.set_header("Cross-Origin-Resource-Policy", "cross-origin")
        self.set_header("X-Content-Type-Options", "nosniff")
        # One unversioned URL in every snippet: revalidated, so fixes reach every site.
        self.set_header("Cache-Control", "public, max-age=300, must-revalidate")


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>html,body{{margin:0;background:#111318;color:#eef0f4;font:16px/1.4 system-ui,sans-serif}}
{extra}</style>
<script type="module" src="/embed/v1/photonix-gallery.js"></script>
</head><body>{header}
<photonix-gallery token="{token}"{attrs}><a href="/s/{token}">View the shared photos</a>
</photonix-gallery>
</body></html>
"""
_ENDED_PAGE = """<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Not shared</title>
<p style="font:16px system-ui,sans-serif;padding:2rem">{message}</p></html>
"""


class _SharePage(_ShareMixin, BaseHandler):
    """An HTML page around the widget, for one link."""

    async def prepare(self) -> None:
        self.set_header("Cache-Control", "no-store")

    def frame_ancestors(self, link: ShareLinkRow | None) -> str:
        return "'none'"

    def _csp(self, link: ShareLinkRow | None) -> str:
        return ("default-src 'none'; script-src 'self'; connect-src 'self' ws: wss:; "
                "img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
                f"base-uri 'none'; form-action 'none'; frame-ancestors "
                f"{self.frame_ancestors(link)}")

    def page(self, token: str, link: ShareLinkRow) -> str:
        raise NotImplementedError

    async def get(self, token: str) -> None:
        try:
            # Not counted: the widget's first list read counts the view.
            link = await self.services.shares.open(token)
        except (ShareEnded, NotFound) as error:
            self.set_header("Content-Security-Policy", self._csp(None))
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.set_status(410 if isinstance(error, ShareEnded) else 404)
            self.finish(_ENDED_PAGE.format(message="These photos are no longer shared."))
            return
        self.services.shares.limits.request(token, self.request.remote_ip)
        self.set_header("Content-Security-Policy", self._csp(link))
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(self.page(token, link))


class EmbedPageHandler(_SharePage):
    """``/embed/<t>``: the iframe variant; framed only by the link's allowed origins."""

    def frame_ancestors(self, link: ShareLinkRow | None) -> str:
        if link is None:
            return "'none'"
        return " ".join(["'self'", *link.allowed_origins]) if link.allowed_origins else "*"

    def page(self, token: str, link: ShareLinkRow) -> str:
        return _PAGE.format(title="Shared photos", token=html.escape(token, quote=True),
                            extra="html,body{background:transparent}", header="", attrs="")


class SharePageHandler(_SharePage):
    """``/s/<t>``: the share page, phone first: the widget at full size, with its viewer."""

    def page(self, token: str, link: ShareLinkRow) -> str:
        title = html.escape(link.album_name or "Shared photos")
        return _PAGE.format(
            title=title, token=html.escape(token, quote=True),
            extra=("h1{font-size:1.25rem;line-height:1.75rem;margin:0;padding:12px 12px 8px}"
                   "photonix-gallery{display:block;height:calc(100dvh - 3rem);"
                   "--photonix-placeholder:#262a32}"),
            header=f"<h1>{title}</h1>", attrs=' rows="0" page')
