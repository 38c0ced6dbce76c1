"""The route table: URL patterns to handlers, each handler given the services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from photonix_rt.graphql.bind import build
from photonix_rt.http.graphql import GraphQLHandler
from photonix_rt.http.health import HealthHandler, ReadyHandler
from photonix_rt.http.media import FaceCropHandler, OriginalHandler, ThumbnailHandler
from photonix_rt.http.webapp import WebAppHandler

if TYPE_CHECKING:
    from photonix_rt.services.container import Services

__all__ = ["routes"]


def routes(services: Services) -> list[Any]:
    """Every route; one line each (other modules add theirs here)."""
    deps = {"services": services}
    schema = build()
    return [
        (r"/graphql", GraphQLHandler, {**deps, "schema": schema}),
        (r"/healthz", HealthHandler, deps),
        (r"/readyz", ReadyHandler, deps),
        (r"/thumbnails/([0-9a-fA-F-]{36})/([a-z]+)\.webp", ThumbnailHandler, deps),
        (r"/faces/([0-9]{1,19})\.webp", FaceCropHandler, deps),
        (r"/originals/([0-9a-fA-F-]{36})", OriginalHandler, deps),
        # Last: everything else is the web app (its files, or index.html for app routes).
        (r"/(.*)", WebAppHandler, {"path": str(services.config.web_dir)}),
    ]
