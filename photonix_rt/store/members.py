"""Library membership queries (roles per user and library)."""

from __future__ import annotations

from uuid import UUID

from photonix_rt.store.db import Queryable

__all__ = ["add_member", "library_ids_for_user", "role_of"]


async def role_of(db: Queryable, library_id: UUID, user_id: UUID) -> str | None:
    """The user's role in the library, or None when not a member."""
    return await db.fetchval(
        "SELECT role FROM library_members WHERE library_id = $1 AND user_id = $2",
        library_id, user_id,
    )


async def library_ids_for_user(db: Queryable, user_id: UUID) -> list[UUID]:
    rows = await db.fetch("SELECT library_id FROM library_members WHERE user_id = $1", user_id)
    return [r["library_id"] for r in rows]


async def add_member(db: Queryable, library_id: UUID, user_id: UUID, role: str) -> None:
    """Add or change a member's role."""
    await db.execute(
        """
        INSERT INTO library_members (library_id, user_id, role) VALUES ($1, $2, $3)
        ON CONFLICT (library_id, user_id) DO UPDATE SET role = EXCLUDED.role
        """,
        library_id, user_id, role,
    )
