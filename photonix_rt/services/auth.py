"""Sessions: login, refresh-token rotation with reuse detection, logout, password changes.

A session is a refresh-token *family*. Each refresh uses up the presented token and issues the
next one of the family; presenting a used or revoked token means it was copied, so the whole
family is revoked (RFC 6819 / OAuth 2.0 Security BCP, "refresh token rotation").
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from uuid import UUID

from photonix_rt.auth.identity import Viewer
from photonix_rt.auth.media_tokens import issue_media_token, verify_media_token
from photonix_rt.auth.passwords import hash_password, verify_nothing, verify_password
from photonix_rt.auth.ratelimit import LoginRateLimiter
from photonix_rt.auth.tokens import (
    LEEWAY_S,
    AccessClaims,
    decode_access_token,
    hash_refresh_token,
    issue_access_token,
    new_refresh_token,
)
from photonix_rt.config import Config
from photonix_rt.errors import Invalid, Unauthenticated
from photonix_rt.services.sessions import SessionEnded, Sessions
from photonix_rt.services.users import MAX_PASSWORD_LENGTH, validate_password
from photonix_rt.store import tokens as tokens_store
from photonix_rt.store import users as users_store
from photonix_rt.store.db import Database, Queryable
from photonix_rt.store.users import User

__all__ = ["AuthPayload", "AuthService"]

log = logging.getLogger(__name__)

_BAD_LOGIN = "wrong username or password"


@dataclass(frozen=True)
class AuthPayload:
    """What login and refresh return to the client."""

    access_token: str
    refresh_token: str
    expires_in: int
    user: User


class AuthService:
    """Issues and checks credentials; the only place passwords and refresh tokens are handled."""

    def __init__(self, db: Database, config: Config, secret: bytes,
                 limiter: LoginRateLimiter | None = None,
                 sessions: Sessions | None = None) -> None:
        self._db = db
        self._config = config
        self._secret = secret
        self.limiter = limiter or LoginRateLimiter()
        self.sessions = sessions or Sessions(db, None)

    # -- access tokens -------------------------------------------------------------------

    async def authenticate(self, access_token: str) -> Viewer:
        """The viewer an access token stands for; Unauthenticated if invalid or disabled."""
        return (await self.session(access_token)).viewer

    async def session(self, access_token: str) -> AccessClaims:
        """The verified token: its viewer (fresh) and session id.

        The account and the session are checked on every use (``services/sessions.py``), so
        disabling a user, revoking admin, logging out, changing the password or a reused
        refresh token take effect at once rather than when the token expires.
        """
        claims = decode_access_token(self._secret, access_token)
        return await self.recheck(claims)

    async def recheck(self, claims: AccessClaims) -> AccessClaims:
        """Verified claims checked again (each operation on a long-lived socket).

        Raises Unauthenticated when the token has expired since, SessionEnded or
        AccountDisabled (both Unauthenticated) when the session or account no longer stand.
        """
        # The same slack for disagreeing clocks as when the token was first verified.
        if claims.expires_at is not None and claims.expires_at + LEEWAY_S < time.time():
            raise Unauthenticated("access token expired")
        if claims.session_id is None:
            # Every token this server issues names its session; one without cannot be revoked.
            raise SessionEnded("the token has no session; sign in again")
        viewer = await self.sessions.check(claims.viewer.user_id, claims.session_id)
        return AccessClaims(viewer, claims.session_id, claims.expires_at)

    # -- media tokens (``?token=`` on thumbnail and original URLs) ---------------------------

    def media_token(self, viewer: Viewer, session_id: UUID | None) -> str:
        """A media token for the viewer's session (it ends with the session)."""
        if session_id is None:
            raise Unauthenticated("sign in first")
        return issue_media_token(self._secret, viewer.user_id, session_id)

    async def media_viewer(self, token: str) -> Viewer:
        """The viewer of a media token; Unauthenticated if invalid, or its session ended."""
        claims = verify_media_token(self._secret, token)
        return await self.sessions.check(claims.user_id, claims.session_id)

    # -- sessions ------------------------------------------------------------------------

    async def login(self, username: str, password: str, client_ip: str | None) -> AuthPayload:
        """A new session; Unauthenticated on bad credentials, RateLimited when throttled."""
        attempt = self.limiter.begin(username, client_ip)
        if len(password) > MAX_PASSWORD_LENGTH:
            raise Unauthenticated(_BAD_LOGIN)
        user = await users_store.get_user_by_name(self._db, username.strip())
        if user is None:
            await verify_nothing(password)  # same time as a real check: names stay secret
            log.info("failed sign-in for unknown user from %s", client_ip)
            raise Unauthenticated(_BAD_LOGIN)
        ok, rehashed = await verify_password(user.password_hash, password)
        if not ok or not user.is_active:
            # A disabled account gets the same answer whether or not the password was
            # right: otherwise it would confirm a guessed password of a disabled account.
            log.info("failed sign-in for %suser %s from %s",
                     "" if user.is_active else "disabled ", user.id, client_ip)
            raise Unauthenticated(_BAD_LOGIN)
        self.limiter.succeeded(attempt)
        async with self._db.transaction() as conn:
            if rehashed is not None:
                await users_store.set_password_hash(conn, user.id, rehashed)
            payload = await self._issue(conn, user, uuid.uuid4())
        log.info("user %s signed in from %s", user.id, client_ip)
        return payload

    async def refresh(self, refresh_token: str) -> AuthPayload:
        """Use up a refresh token and return the next one of its family with a new access token."""
        stolen: UUID | None = None
        async with self._db.transaction() as conn:
            found = await tokens_store.lock_token(conn, hash_refresh_token(refresh_token))
            if found is None:
                raise Unauthenticated("invalid refresh token")
            token, expired = found
            if token.used_at is not None or token.revoked_at is not None:
                # Someone holds a copy: end the session for both of them.
                await tokens_store.revoke_family(conn, token.family_id)
                stolen = token.family_id
            elif expired:
                raise Unauthenticated("refresh token expired; sign in again")
            else:
                user = await users_store.get_user(conn, token.user_id)
                if user is None or not user.is_active:
                    raise Unauthenticated("this account is disabled")
                await tokens_store.mark_used(conn, token.id)
                payload = await self._issue(conn, user, token.family_id)
        if stolen is not None:
            await self.sessions.ended(token.user_id)
            log.warning("refresh token reused; revoked session family %s", stolen)
            raise Unauthenticated("refresh token already used; the session has been ended")
        return payload

    async def logout(self, refresh_token: str) -> bool:
        """End the session the token belongs to; False when the token is unknown."""
        async with self._db.transaction() as conn:
            found = await tokens_store.lock_token(conn, hash_refresh_token(refresh_token))
            if found is None:
                return False
            await tokens_store.revoke_family(conn, found[0].family_id)
        await self.sessions.ended(found[0].user_id)
        return True

    async def change_password(self, viewer: Viewer | None, old_password: str,
                              new_password: str, session_id: UUID | None = None) -> bool:
        """Set a new password and end every other session of the user."""
        if viewer is None:
            raise Unauthenticated("sign in first")
        user = await users_store.get_user(self._db, viewer.user_id)
        if user is None or not user.is_active:
            raise Unauthenticated("this account is disabled")
        validate_password(new_password, user.username)
        attempt = self.limiter.begin(user.username, None)
        ok, _ = await verify_password(user.password_hash, old_password[:MAX_PASSWORD_LENGTH])
        if not ok:
            raise Invalid("the current password is wrong")
        self.limiter.succeeded(attempt)
        new_hash = await hash_password(new_password)
        async with self._db.transaction() as conn:
            await users_store.set_password_hash(conn, user.id, new_hash)
            await tokens_store.revoke_user_tokens(conn, user.id, except_family=session_id)
        await self.sessions.ended(user.id)
        log.info("user %s changed their password", user.id)
        return True

    async def sign_out_others(self, viewer: Viewer | None, session_id: UUID | None) -> bool:
        """End every session of the viewer but this one (a lost phone, a shared computer)."""
        if viewer is None:
            raise Unauthenticated("sign in first")
        if session_id is None:
            raise Invalid("this request belongs to no session; sign in again")
        async with self._db.transaction() as conn:
            await tokens_store.revoke_user_tokens(conn, viewer.user_id, except_family=session_id)
        await self.sessions.ended(viewer.user_id)
        log.info("user %s signed out of their other sessions", viewer.user_id)
        return True

    async def start_session(self, conn: Queryable, user: User) -> AuthPayload:
        """A new session for a user just created in the caller's transaction (first run)."""
        return await self._issue(conn, user, uuid.uuid4())

    async def _issue(self, conn: Queryable, user: User, family_id: UUID) -> AuthPayload:
        refresh = new_refresh_token()
        await tokens_store.insert_token(conn, user.id, family_id, hash_refresh_token(refresh),
                                        self._config.refresh_token_ttl_s)
        access = issue_access_token(self._secret, user.id, user.username,
                                    is_admin=user.is_admin,
                                    ttl_s=self._config.access_token_ttl_s,
                                    session_id=family_id)
        return AuthPayload(access, refresh, self._config.access_token_ttl_s, user)
