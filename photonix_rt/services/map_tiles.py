"""The online map background (issue 8): off by default; admins may set a tile or style URL.

When set, the Map screen draws that provider's tiles (a raster template with ``{z}``, ``{x}``
and ``{y}``) or style JSON instead of the offline country shapes, and shows the attribution;
the app's Content-Security-Policy then allows that one origin for images and fetches
(``csp_origin``). When unset, no map request leaves the server's origin.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from photonix_rt.errors import Invalid, QueryTimeout, Unauthenticated, Unavailable
from photonix_rt.services.users import require_admin
from photonix_rt.store import map_tiles as store

if TYPE_CHECKING:
    from photonix_rt.auth.identity import Viewer
    from photonix_rt.store.db import Database

__all__ = [
    "MAX_ATTRIBUTION_LENGTH",
    "MAX_URL_LENGTH",
    "MapTileKind",
    "MapTileSource",
    "MapTiles",
    "validate_attribution",
    "validate_url",
]

log = logging.getLogger(__name__)

MAX_URL_LENGTH = 2048
MAX_ATTRIBUTION_LENGTH = 300
_TEMPLATE = ("{z}", "{x}", "{y}")
# A DNS name or an IPv4 address: what a CSP host-source can name (no IPv6 literal there).
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


class MapTileKind(Enum):
    TILES = "TILES"  # a raster tile template
    STYLE = "STYLE"  # a MapLibre style JSON


@dataclass(frozen=True)
class MapTileSource:
    url: str
    attribution: str
    kind: MapTileKind
    origin: str  # what the CSP allows: scheme, host and port of ``url``
    updated_at: datetime


def _text_ok(value: str) -> bool:
    return all(c.isprintable() for c in value)


def validate_url(value: str) -> tuple[str, MapTileKind, str]:
    """(url, kind, origin) of an acceptable URL; Invalid says what is wrong."""
    url = value.strip()
    if not url:
        raise Invalid("the map URL is empty")
    if len(url) > MAX_URL_LENGTH:
        raise Invalid(f"the map URL is longer than {MAX_URL_LENGTH} characters")
    if not _text_ok(url) or any(c.isspace() for c in url):
        raise Invalid("the map URL may not contain spaces or control characters")
    parts = urlsplit(url)
    if parts.scheme.lower() != "https":
        raise Invalid("the map URL must start with https://")
    if parts.username is not None or parts.password is not None:
        raise Invalid("the map URL may not hold a user name or password")
    host = (parts.hostname or "").lower()
    if not _HOST.match(host):
        raise Invalid("the map URL needs a host name (or an IPv4 address)")
    try:
        port = parts.port
    except ValueError:
        raise Invalid("the map URL's port is not a number from 0 to 65535") from None
    if parts.fragment:
        raise Invalid("the map URL may not have a #fragment")
    rest = url[len(f"{parts.scheme}://{parts.netloc}") :]
    if all(p in rest for p in _TEMPLATE):
        kind = MapTileKind.TILES
    elif "{" in url or "}" in url:
        raise Invalid("a tile URL needs {z}, {x} and {y}; a style URL has no braces")
    else:
        kind = MapTileKind.STYLE
    origin = f"https://{host}" + (f":{port}" if port is not None and port != 443 else "")
    return url, kind, origin


def validate_attribution(value: str) -> str:
    """The trimmed attribution; Invalid when empty, too long or with control characters."""
    text = value.strip()
    if not text:
        raise Invalid("the attribution is required: map providers ask to be named")
    if len(text) > MAX_ATTRIBUTION_LENGTH:
        raise Invalid(f"the attribution is longer than {MAX_ATTRIBUTION_LENGTH} characters")
    if not _text_ok(text):
        raise Invalid("the attribution is one line of text, without control characters")
    return text


def _source(row: store.MapTileRow) -> MapTileSource:
    url, kind, origin = validate_url(row.url)
    return MapTileSource(url, row.attribution, kind, origin, row.updated_at)


class MapTiles:
    """Read (anyone signed in) and change (admins) the online map background."""

    def __init__(self, db: Database) -> None:
        self._db = db
        # What the CSP used last, for when the database cannot be asked (see ``csp_origin``).
        self._last_origin: str | None = None

    async def get(self, viewer: Viewer | None) -> MapTileSource | None:
        if viewer is None:
            raise Unauthenticated("sign in first")
        row = await store.get_map_tiles(self._db)
        return _source(row) if row else None

    async def set(self, viewer: Viewer | None, url: str, attribution: str) -> MapTileSource:
        admin = require_admin(viewer)
        clean_url, _kind, _origin = validate_url(url)
        row = await store.set_map_tiles(
            self._db, clean_url, validate_attribution(attribution), admin.user_id
        )
        log.info("map tiles set to %s by %s", _origin, admin.user_id)
        return _source(row)

    async def clear(self, viewer: Viewer | None) -> bool:
        admin = require_admin(viewer)
        cleared = await store.clear_map_tiles(self._db)
        if cleared:
            log.info("map tiles cleared (offline map) by %s", admin.user_id)
        return cleared

    async def csp_origin(self) -> str | None:
        """The origin the app's pages may load map tiles from; None: only their own.

        Server-internal (the web app's CSP header). While the database is unreachable the
        last answer stands, so the app's shell is still served.
        """
        try:
            row = await store.get_map_tiles(self._db)
        except (Unavailable, QueryTimeout):
            return self._last_origin
        self._last_origin = _source(row).origin if row else None
        return self._last_origin
