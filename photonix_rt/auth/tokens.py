"""Sign and verify access tokens (JWT, HS256); mint and hash refresh tokens. Pure functions.

Usage::

    token = issue_access_token(secret, user_id, "alice", is_admin=False, ttl_s=900)
    viewer = verify_access_token(secret, token)          # raises Unauthenticated
    claims = decode_access_token(secret, token)          # viewer + session (refresh family)
    refresh = new_refresh_token()                        # give to the client
    stored = hash_refresh_token(refresh)                 # keep only this
"""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from uuid import UUID

import jwt

from photonix_rt.auth.identity import Viewer
from photonix_rt.errors import Unauthenticated

__all__ = ["LEEWAY_S", "AccessClaims", "decode_access_token", "hash_refresh_token",
           "issue_access_token", "new_refresh_token", "verify_access_token"]

_ALGORITHM = "HS256"
_ACCESS = "access"
# A little slack for clocks of several server processes that disagree slightly.
LEEWAY_S = 5


@dataclass(frozen=True)
class AccessClaims:
    """A verified access token: who, and which session (refresh-token family) issued it."""

    viewer: Viewer
    session_id: UUID | None
    expires_at: float | None = None  # the token's ``exp`` (seconds since the epoch)


def issue_access_token(secret: bytes, user_id: UUID, username: str, *, is_admin: bool,
                       ttl_s: int, session_id: UUID | None = None,
                       now: float | None = None) -> str:
    """A signed, short-lived access token for this user (``sid``: the session's family)."""
    issued = int(time.time() if now is None else now)
    claims = {
        "sub": str(user_id),
        "name": username,
        "adm": is_admin,
        "iat": issued,
        "exp": issued + ttl_s,
        "jti": uuid.uuid4().hex,
        "typ": _ACCESS,
    }
    if session_id is not None:
        claims["sid"] = str(session_id)
    return jwt.encode(claims, secret, algorithm=_ALGORITHM)


def verify_access_token(secret: bytes, token: str, *, now: float | None = None) -> Viewer:
    """The viewer the token was issued to; Unauthenticated if forged, expired or malformed."""
    return decode_access_token(secret, token, now=now).viewer


def decode_access_token(secret: bytes, token: str, *, now: float | None = None) -> AccessClaims:
    """The verified claims; Unauthenticated if forged, expired or malformed."""
    options = {"require": ["sub", "exp", "iat", "typ"]}
    try:
        if now is None:
            claims = jwt.decode(token, secret, algorithms=[_ALGORITHM], options=options,
                                leeway=LEEWAY_S)
        else:
            # Explicit clock (tests): check expiry ourselves against it.
            claims = jwt.decode(token, secret, algorithms=[_ALGORITHM],
                                options={**options, "verify_exp": False, "verify_iat": False})
            if int(claims["exp"]) + LEEWAY_S < now:
                raise jwt.ExpiredSignatureError("Signature has expired")
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("access token expired") from None
    except (jwt.InvalidTokenError, ValueError, TypeError, KeyError):
        raise Unauthenticated("invalid access token") from None
    if claims.get("typ") != _ACCESS:
        raise Unauthenticated("not an access token")
    try:
        user_id = UUID(str(claims["sub"]))
        session_id = UUID(str(claims["sid"])) if claims.get("sid") else None
    except ValueError:
        raise Unauthenticated("invalid access token") from None
    viewer = Viewer(user_id=user_id, username=str(claims.get("name", "")),
                    is_admin=bool(claims.get("adm", False)))
    return AccessClaims(viewer, session_id, float(claims["exp"]))


def new_refresh_token() -> str:
    """32 random bytes, URL-safe: the client's half of a refresh token."""
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> bytes:
    """What the database stores: the SHA-256 of the token (it has 256 bits of entropy)."""
    return hashlib.sha256(token.encode("utf-8")).digest()
