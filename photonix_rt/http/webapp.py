"""The web app at ``/``: its built files, and ``index.html`` for every app route (SPA fallback).

Hashed assets are cached for a year (their names change with their content); ``index.html``,
the service worker and the manifest are revalidated on every load, so a new build reaches
every phone at its next visit. HTML answers carry a CSP that allows only this origin.
"""

from __future__ import annotations

import os
from typing import Any

import tornado.web

__all__ = ["NOT_APP_PREFIXES", "WebAppHandler"]

# Paths the app never answers, even when nothing else did (an API 404 stays a 404).
NOT_APP_PREFIXES = ("graphql", "thumbnails/", "originals/", "healthz", "readyz", "embed/",
                    "s/", "api/", "metrics")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; connect-src 'self' ws: wss:; "
    "img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; font-src 'self'; "
    "frame-ancestors 'self'; base-uri 'self'; object-src 'none'; manifest-src 'self'; "
    "worker-src 'self'; form-action 'self'")

_NOT_BUILT = """<!doctype html><html lang="en"><meta charset="utf-8">
<title>photonix-rt</title><h1>The web app is not built</h1>
<p>Run <code>./dev serve</code> (it builds the app), or <code>cd web &amp;&amp; npm ci &amp;&amp;
npm run build</code>. GraphQL answers at <a href="/graphql">/graphql</a> meanwhile.</p></html>
"""

_REVALIDATE = {"index.html", "sw.js", "manifest.webmanifest", "registerSW.js"}


def html_security_headers(handler: tornado.web.RequestHandler) -> None:
    handler.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    handler.set_header("X-Content-Type-Options", "nosniff")
    handler.set_header("Referrer-Policy", "same-origin")


class WebAppHandler(tornado.web.StaticFileHandler):
    """Serves ``Config.web_dir``; an app route that is no file gets ``index.html``."""

    def initialize(self, path: str, default_filename: str | None = None,  # type: ignore[override]
                   **_deps: Any) -> None:
        super().initialize(path, default_filename)

    async def get(self, path: str, include_body: bool = True) -> None:
        if path.startswith(NOT_APP_PREFIXES):
            raise tornado.web.HTTPError(404)
        target = self._file_for(path)
        if target is None:
            html_security_headers(self)
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
            html_security_headers(self)
        else:
            self.set_header("X-Content-Type-Options", "nosniff")

    def compute_etag(self) -> str | None:
        # The "not built" page is no file: no file ETag.
        if getattr(self, "absolute_path", None) is None:
            return None
        return super().compute_etag()
