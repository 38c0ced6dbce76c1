"""The viewer: the signed-in user a request or socket acts for."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

__all__ = ["Viewer"]


@dataclass(frozen=True)
class Viewer:
    """Identity taken from a verified access token."""

    user_id: UUID
    username: str
    is_admin: bool = False
