"""A library's owners' settings screen: list members, remove one, watch a folder or not.

Adding a member or changing a role is ``LibraryService.add_member``. A removed member's
open event streams stop within the event service's access cache time (a few seconds).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from photonix_rt.auth.access import Role, require_role
from photonix_rt.errors import Invalid, NotFound, Unauthenticated
from photonix_rt.ids import parse_uuid
from photonix_rt.services.libraries import LibraryMember
from photonix_rt.store import libraries as libraries_store
from photonix_rt.store import members

if TYPE_CHECKING:
    from photonix_rt.auth.identity import Viewer
    from photonix_rt.services.library_sync import LibrarySync
    from photonix_rt.store.db import Database
    from photonix_rt.store.libraries import LibraryPath

__all__ = ["LibraryMembers"]

log = logging.getLogger(__name__)


class LibraryMembers:
    """Owners' reads and removals of a library's members, and folder watching."""

    def __init__(self, db: Database, sync: LibrarySync | None = None) -> None:
        self._db = db
        self._sync = sync

    async def set_watch(self, viewer: Viewer | None, path_id: Any,
                        watch: bool) -> LibraryPath:
        """Pick up a folder's changes while the server runs, or stop (owners)."""
        if viewer is None:
            raise Unauthenticated("sign in first")  # before any lookup: no probing ids
        found = await libraries_store.get_path(self._db, parse_uuid(path_id,
                                                                    "library folder"))
        if found is None:
            raise NotFound("no such library folder")
        try:
            await require_role(self._db, viewer, found.library_id, Role.OWNER)
        except NotFound:
            raise NotFound("no such library folder") from None
        changed = await libraries_store.set_path_watch(self._db, found.id, watch)
        if changed is None:
            raise NotFound("no such library folder")
        if changed.watch != found.watch and self._sync is not None:
            await self._sync.folders_changed(found.library_id)  # re-read the watch list
        return changed

    async def members(self, viewer: Viewer | None, library_id: Any) -> list[LibraryMember]:
        library = parse_uuid(library_id, "library")
        await require_role(self._db, viewer, library, Role.OWNER)
        return [LibraryMember(user_id, username, role)
                for user_id, username, role in await members.members_of(self._db, library)]

    async def remove(self, viewer: Viewer | None, library_id: Any, user_id: Any) -> bool:
        """Take a user out of the library (owners; not themselves). False if not a member."""
        library = parse_uuid(library_id, "library")
        user = parse_uuid(user_id, "user")
        await require_role(self._db, viewer, library, Role.OWNER)
        assert viewer is not None  # require_role refuses anonymous viewers
        if user == viewer.user_id:
            raise Invalid("you cannot remove yourself; another owner can")
        removed = await members.remove_member(self._db, library, user)
        if removed:
            log.info("library %s: %s is no longer a member", library, user)
        return removed
