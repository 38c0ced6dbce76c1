"""The web app at ``/``: its built files, and ``index.html`` for every app route (SPA fallback).

Hashed assets are cached for a year (their names change with their content); ``index.html``,
the service worker and the manifest are revalidated on every load, so a new build reaches
every phone at its next visit. HTML answers carry a CSP that allows only this origin, plus
the online map background's origin for images and fetches while an admin has set one
(``services/map_tiles.py``).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import tornado.web

if TYPE_CHECKING:
    from photonix_rt.services.container import Services

__all__ = ["NOT_APP_PREFIXES", "WebAppHandler", "content_security_policy"]

# Paths the app never answers, even when nothing else did (an API 404 stays a 404).
NOT_APP_PREFIXES = ("graphql", "thumbnails/", "originals/", "healthz", "readyz", "embed/",
                    "s/", "api/", "metrics")


def content_security_policy(map_origin: str | None = None) -> str:
    """The app's CSP; ``map_origin`` (an online map background's) may serve images and fetches."""
    extra = f" {map_origin}" if map_origin else ""
    return (
        f"default-src 'self'; script-src 'self'; connect-src 'self' ws: wss:{extra}; "
        f"img-src 'self' data: blob:{extra}; style-src 'self' 'unsafe-inline'; font-src 'self'; "
        "frame-ancestors 'self'; base-uri 'self'; object-src 'none'; manifest-src 'self'; "
        "worker-src 'self'; form-action 'self'")


_NOT_BUILT = """<!doctype html><html lang="en"><meta charset="utf-8">
<title>photonix-rt</title><h1>The web app is not built</h1>
<p>Run <code>./dev serve</code> (it builds the app), or <code>cd web &amp;&amp; npm ci &amp;&amp;
npm run build</code>. GraphQL answers at <a href="/graphql">/graphql</a> meanwhile.</p></html>
"""

_REVALIDATE = {"index.html", "sw.js", "manifest.webmanifest", "registerSW.js"}


def html_security_headers(handler: tornado.web.RequestHandler,
                          map_origin: str | None = None) -> None:
    handler.set_header("Content-Security-Policy", content_security_policy(map_origin))
    handler.set_header("X-Content-Type-Options", "nosniff")
    handler.set_header("Referrer-Policy", "same-origin")


class WebAppHandler(tornado.web.StaticFileHandler):
    """Serves ``Config.web_dir``; an app route that is no file gets ``index.html``."""

    def initialize(self, path: str, default_filename: str | None = None,  # type: ignore[override]
                   services: Services | None = None, **_deps: Any) -> None:
        super().initialize(path, default_filename)
        self._services = services
        self._map_origin: str | None = None

    async def get(self, path: str, include_body: bool = True) -> None:
        if path.startswith(NOT_APP_PREFIXES):
            raise tornado.web.HTTPError(404)
        target = self._file_for(path)
        if (target is None or target.endswith(".html")) and self._services is not None:
            # Asked per page load (not cached): an admin's change holds from the next load.
            self._map_origin = await self._services.map_tiles.csp_origin()
        if target is None:
            html_security_headers(self, self._map_origin)
            self.set_header("Cache-Control", "no-cache")
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.finish(_NOT_BUILT if include_body else None)
            return
        await super().get(target, include_body)

    def _file_for(self, path: str) -> str | None:
        """The file to send: ``path`` itself, else ``index.html`` (None: not built).

        Local stats of the app's few files, as StaticFileHandler itself does them.
        """
        if not os.path.isfile(os.path.join(self.root, "index.html")):
            return None
        if path and not path.endswith("/") and os.path.isfile(os.path.join(self.root, path)):
            return path
        return "index.html"  # an app route: the app's router shows the screen

    def set_extra_headers(self, path: str) -> None:
        name = os.path.basename(path)
        if path.startswith("assets/"):
            self.set_header("Cache-Control", "public, max-age=31536000, immutable")
        elif name in _REVALIDATE:
            self.set_header("Cache-Control", "no-cache")
        else:
            self.set_header("Cache-Control", "public, max-age=3600")
        if name.endswith(".html"):
            html_security_headers(self, self._map_origin)
        else:
            self.set_header("X-Content-Type-Options", "nosniff")

    def compute_etag(self) -> str | None:
        # The "not built" page is no file: no file ETag.
        if getattr(self, "absolute_path", None) is None:
            return None
        return super().compute_etag()
