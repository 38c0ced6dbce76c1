"""Short-lived signed tokens for media URLs (``?token=``): browsers send no headers for <img>.

A token is ``<user id hex>.<session id hex>.<expiry>.<hmac>``, signed with a key derived from
the server secret, so it cannot be mistaken for any other signature the server makes. Expiry
is rounded up to a whole period, so every URL of one session stays the same for a while and
the browser cache keeps working. A token proves who the viewer is and which session issued
it: the auth service refuses it once that session has ended (logout, password change) or the
account is disabled, and the route still checks membership.

Usage::

    token = issue_media_token(secret, viewer.user_id, session_id)
    claims = verify_media_token(secret, token)   # raises Unauthenticated
    claims.user_id, claims.session_id
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from uuid import UUID

from photonix_rt.errors import Unauthenticated

__all__ = ["PERIOD_S", "MediaClaims", "issue_media_token", "verify_media_token"]

# Tokens live between one and two periods.
PERIOD_S = 3600
_PURPOSE = b"photonix-rt media token v2"  # v2: tied to a session


@dataclass(frozen=True)
class MediaClaims:
    """A verified media token: whose, and which session issued it."""

    user_id: UUID
    session_id: UUID


def _key(secret: bytes) -> bytes:
    return hmac.new(secret, _PURPOSE, hashlib.sha256).digest()


def _signature(secret: bytes, user_hex: str, session_hex: str, expires: int) -> str:
    message = f"{user_hex}.{session_hex}.{expires}".encode("ascii")
    return hmac.new(_key(secret), message, hashlib.sha256).hexdigest()[:32]


def issue_media_token(secret: bytes, user_id: UUID, session_id: UUID, *,
                      now: float | None = None) -> str:
    """A token for this user's session, valid until the end of the next whole period."""
    current = int(time.time() if now is None else now)
    expires = (current // PERIOD_S + 2) * PERIOD_S
    signature = _signature(secret, user_id.hex, session_id.hex, expires)
    return f"{user_id.hex}.{session_id.hex}.{expires}.{signature}"


def verify_media_token(secret: bytes, token: str, *, now: float | None = None) -> MediaClaims:
    """Whose token it is; Unauthenticated if forged, expired or malformed."""
    parts = token.split(".")
    if len(parts) != 4 or not parts[2].isdigit():
        raise Unauthenticated("invalid media token")
    user_hex, session_hex, expires_text, signature = parts
    try:
        user_id, session_id = UUID(hex=user_hex), UUID(hex=session_hex)
    except ValueError:
        raise Unauthenticated("invalid media token") from None
    expected = _signature(secret, user_id.hex, session_id.hex, int(expires_text))
    if not hmac.compare_digest(expected, signature):
        raise Unauthenticated("invalid media token")
    if int(expires_text) < (time.time() if now is None else now):
        raise Unauthenticated("media token expired")
    return MediaClaims(user_id, session_id)
