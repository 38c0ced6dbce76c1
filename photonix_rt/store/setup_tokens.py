"""First-run set-up: hashed one-time tokens (``setup_tokens``) and the first-admin lock."""

from __future__ import annotations

from uuid import UUID

from photonix_rt.store.db import Queryable

__all__ = ["admin_exists", "adopt_ownerless_libraries", "clear_tokens", "insert_token",
           "lock_first_admin", "token_hashes"]

# Any constant: the same in every process, distinct from the migration lock's key.
_FIRST_ADMIN_LOCK_KEY = 0x70686F746F736574  # "photoset"


async def admin_exists(db: Queryable) -> bool:
    """Whether any admin account exists (active or not)."""
    return bool(await db.fetchval("SELECT EXISTS (SELECT 1 FROM users WHERE is_admin)"))


async def insert_token(db: Queryable, token_hash: bytes) -> None:
    await db.execute("INSERT INTO setup_tokens (token_hash) VALUES ($1)", token_hash)


async def token_hashes(db: Queryable) -> list[bytes]:
    """Every unused token's hash (there is one per server start while no admin exists)."""
    return [r["token_hash"] for r in await db.fetch("SELECT token_hash FROM setup_tokens")]


async def clear_tokens(db: Queryable) -> None:
    await db.execute("DELETE FROM setup_tokens")


async def adopt_ownerless_libraries(db: Queryable, user_id: UUID) -> int:
    """Make the user owner of every library without members (``serve --photos`` before any
    admin existed); returns how many."""
    status = await db.execute(
        """
        INSERT INTO library_members (library_id, user_id, role)
        SELECT l.id, $1, 'owner' FROM libraries l
        WHERE NOT EXISTS (SELECT 1 FROM library_members m WHERE m.library_id = l.id)
        """, user_id)
    return int(status.split()[-1])


async def lock_first_admin(db: Queryable) -> None:
    """Serialise first-admin creation until the caller's transaction ends."""
    await db.execute("SELECT pg_advisory_xact_lock($1)", _FIRST_ADMIN_LOCK_KEY)
