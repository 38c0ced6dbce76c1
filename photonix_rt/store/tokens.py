"""Refresh tokens: stored as SHA-256 hashes, grouped in families that rotate on every use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from photonix_rt.store.db import Queryable
from photonix_rt.store.users import User, user_from_row

__all__ = ["RefreshToken", "SessionState", "insert_token", "lock_token", "mark_used",
           "revoke_family", "revoke_user_tokens", "session_state"]


@dataclass(frozen=True)
class RefreshToken:
    id: UUID
    user_id: UUID
    family_id: UUID
    expires_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class SessionState:
    """An account and whether one of its sessions (a refresh-token family) still stands."""

    user: User
    live: bool  # the family exists, belongs to the user, and was never revoked


def _token(r: Any) -> RefreshToken:
    return RefreshToken(r["id"], r["user_id"], r["family_id"], r["expires_at"], r["used_at"],
                        r["revoked_at"])


async def insert_token(db: Queryable, user_id: UUID, family_id: UUID, token_hash: bytes,
                       ttl_s: int) -> RefreshToken:
    row = await db.fetchrow(
        """
        INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
        VALUES ($1, $2, $3, now() + make_interval(secs => $4))
        RETURNING id, user_id, family_id, expires_at, used_at, revoked_at
        """,
        user_id, family_id, token_hash, float(ttl_s),
    )
    return _token(row)


async def lock_token(db: Queryable, token_hash: bytes) -> tuple[RefreshToken, bool] | None:
    """The token row, locked for this transaction, and whether it has expired (DB clock)."""
    row = await db.fetchrow(
        """
        SELECT id, user_id, family_id, expires_at, used_at, revoked_at,
               expires_at <= now() AS expired
        FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE
        """,
        token_hash,
    )
    return (_token(row), row["expired"]) if row else None


async def mark_used(db: Queryable, token_id: UUID) -> None:
    await db.execute("UPDATE refresh_tokens SET used_at = now() WHERE id = $1", token_id)


async def revoke_family(db: Queryable, family_id: UUID) -> None:
    await db.execute(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL",
        family_id,
    )


async def revoke_user_tokens(db: Queryable, user_id: UUID,
                             except_family: UUID | None = None) -> None:
    """Revoke every family of the user, optionally sparing one (the current session)."""
    await db.execute(
        """
        UPDATE refresh_tokens SET revoked_at = now()
        WHERE user_id = $1 AND revoked_at IS NULL
          AND ($2::uuid IS NULL OR family_id <> $2::uuid)
        """,
        user_id, except_family,
    )


async def session_state(db: Queryable, user_id: UUID, family_id: UUID) -> SessionState | None:
    """The user and their session's state in one round trip; None if the user is gone.

    Revoking a family marks all its rows, so any revoked row means the session has ended.
    """
    row = await db.fetchrow(
        """
        SELECT u.id, u.username, u.password_hash, u.is_admin, u.is_active, u.created_at,
               s.known, s.revoked
        FROM users u,
             LATERAL (SELECT count(*) > 0 AS known,
                             coalesce(bool_or(t.revoked_at IS NOT NULL), false) AS revoked
                      FROM refresh_tokens t
                      WHERE t.family_id = $2 AND t.user_id = u.id) s
        WHERE u.id = $1
        """,
        user_id, family_id,
    )
    if row is None:
        return None
    return SessionState(user_from_row(row), row["known"] and not row["revoked"])
