"""The route table: URL patterns to handlers, each handler given the services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from photonix_rt.graphql.bind import build
from photonix_rt.http.graphql import GraphQLHandler
from photonix_rt.http.health import HealthHandler, ReadyHandler
from photonix_rt.http.media import FaceCropHandler, OriginalHandler, ThumbnailHandler
from photonix_rt.http.metrics import MetricsHandler
from photonix_rt.http.share import (
    TOKEN,
    ShareOriginalHandler,
    SharePhotoHandler,
    SharePhotosHandler,
    ShareSocketHandler,
    ShareThumbnailHandler,
)
from photonix_rt.http.share_pages import EmbedPageHandler, SharePageHandler, WidgetScriptHandler
from photonix_rt.http.uploads import UploadHandler
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
        (r"/metrics", MetricsHandler, deps),
        (r"/thumbnails/([0-9a-fA-F-]{36})/([a-z]+)\.webp", ThumbnailHandler, deps),
        # An Android motion photo's clip, cut from the file at import (issue 13).
        (r"/thumbnails/([0-9a-fA-F-]{36})/(motion)\.mp4", ThumbnailHandler, deps),
        (r"/faces/([0-9]{1,19})\.webp", FaceCropHandler, deps),
        (r"/originals/([0-9a-fA-F-]{36})", OriginalHandler, deps),
        # The public share surface (http/share.py): a token, never a session.
        (r"/embed/v1/(photonix-gallery\.js)", WidgetScriptHandler,
         {"path": str(services.config.web_dir / "embed" / "v1")}),
        (rf"/embed/v1/{TOKEN}/photos", SharePhotosHandler, deps),
        (rf"/embed/v1/{TOKEN}/photos/([0-9a-fA-F-]{{36}})", SharePhotoHandler, deps),
        (rf"/embed/v1/{TOKEN}/thumbnails/([0-9a-fA-F-]{{36}})/([a-z]+)\.webp",
         ShareThumbnailHandler, deps),
        (rf"/embed/v1/{TOKEN}/originals/([0-9a-fA-F-]{{36}})", ShareOriginalHandler, deps),
        (rf"/embed/v1/{TOKEN}/live", ShareSocketHandler, deps),
        (rf"/embed/{TOKEN}", EmbedPageHandler, deps),
        (rf"/s/{TOKEN}", SharePageHandler, deps),
        (r"/uploads/([0-9a-fA-F-]{36})", UploadHandler, deps),
        # Last: everything else is the web app (its files, or index.html for app routes).
        (r"/(.*)", WebAppHandler, {**deps, "path": str(services.config.web_dir)}),
    ]
