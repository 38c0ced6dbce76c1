"""User accounts: creation (CLI and admins), listing and deactivation (admins only)."""

from __future__ import annotations

import logging
from uuid import UUID

from photonix_rt.auth.identity import Viewer
from photonix_rt.auth.password_policy import MAX_PASSWORD_LENGTH, check_password
from photonix_rt.auth.passwords import hash_password
from photonix_rt.errors import Forbidden, Invalid, NotFound, Unauthenticated
from photonix_rt.services.sessions import Sessions
from photonix_rt.store import tokens as tokens_store
from photonix_rt.store import users as users_store
from photonix_rt.store.db import Database
from photonix_rt.store.users import User

__all__ = ["MAX_PASSWORD_LENGTH", "User", "UserService", "require_admin", "validate_password",
           "validate_username"]

log = logging.getLogger(__name__)

MAX_USERNAME_LENGTH = 64


def require_admin(viewer: Viewer | None) -> Viewer:
    """The viewer if they are an admin; Unauthenticated or Forbidden otherwise."""
    if viewer is None:
        raise Unauthenticated("sign in first")
    if not viewer.is_admin:
        raise Forbidden("only admins may do this")
    return viewer


def validate_username(username: str) -> str:
    """The trimmed name; Invalid when empty, too long or with spaces/control characters."""
    name = username.strip()
    if not name:
        raise Invalid("the username is empty")
    if len(name) > MAX_USERNAME_LENGTH:
        raise Invalid(f"the username is longer than {MAX_USERNAME_LENGTH} characters")
    if any(c.isspace() or not c.isprintable() for c in name):
        raise Invalid("the username may not contain spaces or control characters")
    return name


def validate_password(password: str, username: str) -> None:
    """Refuse weak passwords (``auth/password_policy.py``); Invalid says why."""
    check_password(password, username)


class UserService:
    """Accounts. ``create`` is trusted (the CLI); the ``*_by`` methods check for an admin."""

    def __init__(self, db: Database, sessions: Sessions | None = None) -> None:
        self._db = db
        self._sessions = sessions or Sessions(db, None)

    async def create(self, username: str, password: str, is_admin: bool = False) -> User:
        """A new account; Invalid or Conflict (name taken, ignoring case) otherwise."""
        name = validate_username(username)
        validate_password(password, name)
        user = await users_store.insert_user(self._db, name, await hash_password(password),
                                             is_admin)
        log.info("created %suser %s (%s)", "admin " if is_admin else "", user.username, user.id)
        return user

    async def create_by(self, viewer: Viewer | None, username: str, password: str,
                        is_admin: bool = False) -> User:
        require_admin(viewer)
        return await self.create(username, password, is_admin)

    async def list_by(self, viewer: Viewer | None) -> list[User]:
        require_admin(viewer)
        return await users_store.list_users(self._db)

    async def set_active_by(self, viewer: Viewer | None, user_id: UUID, active: bool) -> User:
        """Enable or disable an account; disabling ends its sessions."""
        admin = require_admin(viewer)
        if user_id == admin.user_id and not active:
            raise Invalid("you cannot disable your own account")
        async with self._db.transaction() as conn:
            user = await users_store.set_active(conn, user_id, active)
            if user is None:
                raise NotFound("no such user")
            if not active:
                await tokens_store.revoke_user_tokens(conn, user_id)
        await self._sessions.ended(user_id)  # open sockets and cached answers, everywhere
        log.info("user %s %s by %s", user_id, "enabled" if active else "disabled", admin.user_id)
        return user

    async def get(self, user_id: UUID) -> User | None:
        return await users_store.get_user(self._db, user_id)

    async def first_admin(self) -> User | None:
        """The oldest active admin: owner of the default library (``serve --photos``)."""
        return await users_store.first_admin(self._db)
