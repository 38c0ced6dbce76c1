"""The HTML side of the share surface: the widget script and two pages around it.

- ``GET /embed/v1/photonix-gallery.js``: the widget (built by web/vite.widget.config.ts), a
  module other sites load cross-origin (so CORS ``*``: it is the same public file for all).
- ``GET /embed/<t>``: the iframe variant, for sites that strip scripts; its CSP
  ``frame-ancestors`` lists the link's allowed origins (any when the link has none).
- ``GET /s/<t>``: the share page, phone first: the widget at full size with its viewer.

An ended or unknown link gets a short page saying so (410 / 404), never the widget.
"""

from __future__ import annotations

import html

import tornado.web

from photonix_rt.errors import NotFound
from photonix_rt.http.base import BaseHandler
from photonix_rt.http.share import ShareMixin
from photonix_rt.services.shares import ShareEnded
from photonix_rt.services.shares import ShareLink as ShareLinkRow

__all__ = ["EmbedPageHandler", "SharePageHandler", "WidgetScriptHandler"]


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


class _SharePage(ShareMixin, BaseHandler):
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
