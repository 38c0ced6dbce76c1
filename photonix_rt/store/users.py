"""User accounts: rows of ``users``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from photonix_rt.errors import Conflict
from photonix_rt.store.db import Queryable

__all__ = ["User", "first_admin", "get_user", "get_user_by_name", "insert_user", "list_users",
           "set_active", "set_password_hash", "user_from_row", "users_by_ids"]


@dataclass(frozen=True)
class User:
    id: UUID
    username: str
    password_hash: str
    is_admin: bool
    is_active: bool
    created_at: datetime


def user_from_row(r: Any) -> User:
    """A ``User`` from a row with the users columns (also used by ``store/tokens.py``)."""
    return User(r["id"], r["username"], r["password_hash"], r["is_admin"], r["is_active"],
                r["created_at"])


async def insert_user(db: Queryable, username: str, password_hash: str,
                      is_admin: bool) -> User:
    """A new user; Conflict when the name is taken (names are unique ignoring case)."""
    try:
        row = await db.fetchrow(
            """
            INSERT INTO users (username, password_hash, is_admin) VALUES ($1, $2, $3)
            RETURNING id, username, password_hash, is_admin, is_active, created_at
            """,
            username, password_hash, is_admin,
        )
    except asyncpg.UniqueViolationError:
        raise Conflict(f"the username {username!r} is taken") from None
    return user_from_row(row)


async def get_user(db: Queryable, user_id: UUID) -> User | None:
    row = await db.fetchrow(
        """
        SELECT id, username, password_hash, is_admin, is_active, created_at
        FROM users WHERE id = $1
        """,
        user_id,
    )
    return user_from_row(row) if row else None


async def get_user_by_name(db: Queryable, username: str) -> User | None:
    """Case-insensitive, like the unique index."""
    if "\x00" in username:  # PostgreSQL text cannot hold NUL: no user has such a name
        return None
    row = await db.fetchrow(
        """
        SELECT id, username, password_hash, is_admin, is_active, created_at
        FROM users WHERE lower(username) = lower($1)
        """,
        username,
    )
    return user_from_row(row) if row else None


async def users_by_ids(db: Queryable, ids: Sequence[UUID]) -> list[User | None]:
    """Users in the order of ``ids`` (None where missing): a batch loader's function."""
    rows = await db.fetch(
        """
        SELECT id, username, password_hash, is_admin, is_active, created_at
        FROM users WHERE id = ANY($1::uuid[])
        """,
        list(ids),
    )
    found = {r["id"]: user_from_row(r) for r in rows}
    return [found.get(i) for i in ids]


async def list_users(db: Queryable) -> list[User]:
    rows = await db.fetch(
        """
        SELECT id, username, password_hash, is_admin, is_active, created_at
        FROM users ORDER BY lower(username)
        """
    )
    return [user_from_row(r) for r in rows]


async def first_admin(db: Queryable) -> User | None:
    """The oldest active admin (owner of the default library)."""
    row = await db.fetchrow(
        """
        SELECT id, username, password_hash, is_admin, is_active, created_at
        FROM users WHERE is_admin AND is_active ORDER BY created_at, id LIMIT 1
        """
    )
    return user_from_row(row) if row else None


async def set_active(db: Queryable, user_id: UUID, active: bool) -> User | None:
    row = await db.fetchrow(
        """
        UPDATE users SET is_active = $2 WHERE id = $1
        RETURNING id, username, password_hash, is_admin, is_active, created_at
        """,
        user_id, active,
    )
    return user_from_row(row) if row else None


async def set_password_hash(db: Queryable, user_id: UUID, password_hash: str) -> None:
    await db.execute("UPDATE users SET password_hash = $2 WHERE id = $1", user_id, password_hash)
