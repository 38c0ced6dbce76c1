"""First run: a one-time set-up link creates the first admin from the web app.

While no admin exists, each server start adds a random token (stored hashed, printed only to
that process's console) and ``create_first_admin`` accepts any unused one. Creating the admin
uses up every token, and a database lock makes two concurrent calls create one admin only.
The command line (``photonix-rt user create NAME --admin``) keeps working as before.

    token = await first_run.start()          # None once an admin exists
    payload = await first_run.create_first_admin(token, "alice", "a long password")
"""

from __future__ import annotations

import hmac
import logging
import secrets
from typing import TYPE_CHECKING

from photonix_rt.auth.passwords import hash_password
from photonix_rt.auth.tokens import hash_refresh_token
from photonix_rt.errors import Conflict, Forbidden
from photonix_rt.services.users import validate_password, validate_username
from photonix_rt.store import setup_tokens as store
from photonix_rt.store import users as users_store

if TYPE_CHECKING:
    from photonix_rt.services.auth import AuthPayload, AuthService
    from photonix_rt.store.db import Database

__all__ = ["FirstRun"]

log = logging.getLogger(__name__)


class FirstRun:
    """Set-up tokens and the guarded creation of the first admin."""

    def __init__(self, db: Database, auth: AuthService) -> None:
        self._db = db
        self._auth = auth

    async def setup_required(self) -> bool:
        """True while no admin account exists."""
        return not await store.admin_exists(self._db)

    async def start(self) -> str | None:
        """A new one-time set-up token while no admin exists; None otherwise."""
        if await store.admin_exists(self._db):
            return None
        token = secrets.token_urlsafe(32)
        await store.insert_token(self._db, hash_refresh_token(token))
        return token

    async def create_first_admin(self, setup_token: str, username: str,
                                 password: str) -> AuthPayload:
        """Create the first admin and sign them in; refused once any admin exists or when
        the token is not one this server printed."""
        name = validate_username(username)
        validate_password(password, name)
        password_hash = await hash_password(password)  # slow: before taking the lock
        presented = hash_refresh_token(setup_token)
        async with self._db.transaction() as conn:
            await store.lock_first_admin(conn)
            if await store.admin_exists(conn):
                raise Conflict("an admin already exists; sign in instead")
            known = await store.token_hashes(conn)
            # Compare with every stored hash in constant time (no early exit on a match).
            matches = [hmac.compare_digest(presented, h) for h in known]
            if not any(matches):
                log.warning("first-admin creation refused: wrong set-up token")
                raise Forbidden("this set-up link is not valid; use the link the server "
                                "printed at start-up")
            user = await users_store.insert_user(conn, name, password_hash, True)
            await store.clear_tokens(conn)
            # The folders given with --photos before any admin existed become theirs.
            adopted = await store.adopt_ownerless_libraries(conn, user.id)
            payload = await self._auth.start_session(conn, user)
        log.info("first admin %s (%s) created through the set-up link; owns %s library(ies)",
                 user.username, user.id, adopted)
        return payload
