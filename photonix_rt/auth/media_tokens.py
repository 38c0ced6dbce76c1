"""Short-lived signed tokens for media URLs (``?token=``): browsers send no headers for <img>.

A token is ``<user id hex>.<expiry>.<hmac>``, signed with a key derived from the server
secret, so it cannot be mistaken for any other signature the server makes. Expiry is rounded
up to a whole period, so every URL of one viewer stays the same for a while and the browser
cache keeps working. A token proves who the viewer is; the route still checks membership.

Usage::

    token = issue_media_token(secret, viewer.user_id)
    user_id = verify_media_token(secret, token)   # raises Unauthenticated
"""

from __future__ import annotations

import hashlib
import hmac
import time
from uuid import UUID

from photonix_rt.errors import Unauthenticated

__all__ = ["PERIOD_S", "issue_media_token", "verify_media_token"]

# Tokens live between one and two periods.
PERIOD_S = 3600
_PURPOSE = b"photonix-rt media token v1"


def _key(secret: bytes) -> bytes:
    return hmac.new(secret, _PURPOSE, hashlib.sha256).digest()


def _signature(secret: bytes, user_hex: str, expires: int) -> str:
    message = f"{user_hex}.{expires}".encode("ascii")
    return hmac.new(_key(secret), message, hashlib.sha256).hexdigest()[:32]


def issue_media_token(secret: bytes, user_id: UUID, *, now: float | None = None) -> str:
    """A token for this user, valid until the end of the next whole period."""
    current = int(time.time() if now is None else now)
    expires = (current // PERIOD_S + 2) * PERIOD_S
    return f"{user_id.hex}.{expires}.{_signature(secret, user_id.hex, expires)}"


def verify_media_token(secret: bytes, token: str, *, now: float | None = None) -> UUID:
    """The user the token was issued to; Unauthenticated if forged, expired or malformed."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[1].isdigit():
        raise Unauthenticated("invalid media token")
    user_hex, expires_text, signature = parts
    try:
        user_id = UUID(hex=user_hex)
    except ValueError:
        raise Unauthenticated("invalid media token") from None
    expected = _signature(secret, user_id.hex, int(expires_text))
    if not hmac.compare_digest(expected, signature):
        raise Unauthenticated("invalid media token")
    if int(expires_text) < (time.time() if now is None else now):
        raise Unauthenticated("media token expired")
    return user_id
