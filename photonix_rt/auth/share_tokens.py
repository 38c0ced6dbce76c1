"""Share-link tokens and the origins a link may be embedded from.

A token is 32 random URL-safe characters (192 bits), shown once when the link is made;
only its SHA-256 is stored, so a database dump grants nothing. Origins are compared in
their serialised form (``scheme://host[:port]``, lower case, default ports dropped), the
form browsers send in ``Origin``.

Usage::

    token = new_share_token()
    row.token_hash = hash_share_token(token)
    looks_like_share_token(path_part)   # cheap shape check before any database read
    normalize_origin("HTTPS://Example.org:443/")  # -> "https://example.org"
"""

from __future__ import annotations

import hashlib
import re
import secrets
from urllib.parse import urlsplit

from photonix_rt.errors import Invalid

__all__ = ["hash_share_token", "looks_like_share_token", "new_share_token", "normalize_origin",
           "origin_allowed"]

_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def new_share_token() -> str:
    return secrets.token_urlsafe(24)


def hash_share_token(token: str) -> bytes:
    return hashlib.sha256(token.encode("ascii", "replace")).digest()


def looks_like_share_token(text: str) -> bool:
    return _TOKEN.fullmatch(text) is not None


def normalize_origin(text: str) -> str:
    """The serialised origin of ``text``; Invalid unless it is an http(s) origin."""
    raw = text.strip()
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise Invalid(f"not an origin: {raw!r}") from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host or parts.username or parts.password:
        raise Invalid(f"not an http(s) origin: {raw!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise Invalid(f"an origin has no path, query or fragment: {raw!r}")
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def origin_allowed(origin: str | None, allowed: list[str], own_origin: str) -> bool:
    """Whether a request from ``origin`` (the ``Origin`` header) may use a link.

    No header (a same-origin GET, a non-browser client), the server's own origin, and any
    origin when the link has no allow-list are accepted; otherwise it must be listed.
    """
    if origin is None:
        return True
    try:
        origin = normalize_origin(origin)
    except Invalid:
        return False  # "null" (sandboxed frames, file:) and garbage
    if origin == own_origin or not allowed:
        return True
    return origin in allowed
