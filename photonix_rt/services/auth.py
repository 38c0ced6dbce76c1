"""Sessions: login, refresh-token rotation with reuse detection, logout, password changes.

A session is a refresh-token *family*. Each refresh uses up the presented token and issues the
next one of the family; presenting a used or revoked token means it was copied, so the whole
family is revoked (RFC 6819 / OAuth 2.0 Security BCP, "refresh token rotation").
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from uuid import UUID

from photonix_rt.auth.identity import Viewer
from photonix_rt.auth.passwords import hash_password, verify_nothing, verify_password
from photonix_rt.auth.ratelimit import LoginRateLimiter
from photonix_rt.auth.tokens import (
    AccessClaims,
    decode_access_token,
    hash_refresh_token,
    issue_access_token,
    new_refresh_token,
)
from photonix_rt.config import Config
from photonix_rt.errors import Invalid, Unauthenticated
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
                 limiter: LoginRateLimiter | None = None) -> None:
        self._db = db
        self._config = config
        self._secret = secret
        self.limiter = limiter or LoginRateLimiter()

    # -- access tokens -------------------------------------------------------------------

    async def authenticate(self, access_token: str) -> Viewer:
        """The viewer an access token stands for; Unauthenticated if invalid or disabled."""
        return (await self.session(access_token)).viewer

    async def session(self, access_token: str) -> AccessClaims:
        """The verified token: its viewer (fresh from the database) and session id.

        The account is re-read so that disabling a user (or revoking admin) takes effect at
        once rather than when the token expires.
        """
        claims = decode_access_token(self._secret, access_token)
        user = await users_store.get_user(self._db, claims.viewer.user_id)
        if user is None or not user.is_active:
            raise Unauthenticated("this account is disabled")
        viewer = Viewer(user_id=user.id, username=user.username, is_admin=user.is_admin)
        return AccessClaims(viewer, claims.session_id)

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
        if not ok:
            log.info("failed sign-in for user %s from %s", user.id, client_ip)
            raise Unauthenticated(_BAD_LOGIN)
        if not user.is_active:
            raise Unauthenticated("this account is disabled")
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
        return True

    async def change_password(self, viewer: Viewer | None, old_password: str,
                              new_password: str, session_id: UUID | None = None) -> bool:
        """Set a new password and end every other session of the user."""
        if viewer is None:
            raise Unauthenticated("sign in first")
        validate_password(new_password)
        user = await users_store.get_user(self._db, viewer.user_id)
        if user is None or not user.is_active:
            raise Unauthenticated("this account is disabled")
        attempt = self.limiter.begin(user.username, None)
        ok, _ = await verify_password(user.password_hash, old_password[:MAX_PASSWORD_LENGTH])
        if not ok:
            raise Invalid("the current password is wrong")
        self.limiter.succeeded(attempt)
        new_hash = await hash_password(new_password)
        async with self._db.transaction() as conn:
            await users_store.set_password_hash(conn, user.id, new_hash)
            await tokens_store.revoke_user_tokens(conn, user.id, except_family=session_id)
        log.info("user %s changed their password", user.id)
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
