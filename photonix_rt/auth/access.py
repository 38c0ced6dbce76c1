"""Library access checks: every resolver and file route goes through ``require_role``."""

from __future__ import annotations

from enum import IntEnum
from uuid import UUID

from photonix_rt.auth.identity import Viewer
from photonix_rt.errors import Forbidden, NotFound, Unauthenticated
from photonix_rt.store import members
from photonix_rt.store.db import Queryable

__all__ = ["Role", "require_role"]


class Role(IntEnum):
    """Library roles, ordered: a higher role can do all a lower one can."""

    VIEWER = 1
    EDITOR = 2
    OWNER = 3


async def require_role(db: Queryable, viewer: Viewer | None, library_id: UUID,
                       minimum: Role) -> Role:
    """The viewer's role in the library if it is at least ``minimum``.

    Non-members get NotFound rather than Forbidden, so ids of other people's libraries
    reveal nothing. Members below the role get Forbidden.
    """
    if viewer is None:
        raise Unauthenticated("sign in first")
    name = await members.role_of(db, library_id, viewer.user_id)
    if name is None:
        raise NotFound("no such library")
    role = Role[name.upper()]
    if role < minimum:
        raise Forbidden(f"needs the {minimum.name.lower()} role in this library")
    return role
