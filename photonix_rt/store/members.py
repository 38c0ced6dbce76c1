"""Library membership queries (roles per user and library)."""

from __future__ import annotations

from uuid import UUID

from photonix_rt.store.db import Queryable

__all__ = ["add_member", "library_ids_for_user", "members_of", "remove_member", "role_of"]


async def role_of(db: Queryable, library_id: UUID, user_id: UUID) -> str | None:
    """The user's role in the library, or None when not a member (or the account is
    disabled: open sockets re-check this, so a disabled user stops receiving events)."""
    return await db.fetchval(
        """
        SELECT m.role FROM library_members m JOIN users u ON u.id = m.user_id
        WHERE m.library_id = $1 AND m.user_id = $2 AND u.is_active
        """,
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


async def members_of(db: Queryable, library_id: UUID) -> list[tuple[UUID, str, str]]:
    """(user id, username, role) of every member: owners first, then by name."""
    rows = await db.fetch(
        """
        SELECT u.id, u.username, m.role FROM library_members m JOIN users u ON u.id = m.user_id
        WHERE m.library_id = $1
        ORDER BY array_position(ARRAY['owner', 'editor', 'viewer'], m.role), lower(u.username)
        """, library_id)
    return [(r["id"], r["username"], r["role"]) for r in rows]


async def remove_member(db: Queryable, library_id: UUID, user_id: UUID) -> bool:
    status = await db.execute(
        "DELETE FROM library_members WHERE library_id = $1 AND user_id = $2",
        library_id, user_id)
    return status.endswith(" 1")
