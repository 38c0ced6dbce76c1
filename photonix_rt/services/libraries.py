"""Libraries, their members and their folders; who may see and change them.

Only admins (who also own the library) add or remove folders over the API: a folder points
the server at the disk, and any user could otherwise reach another user's photos under the
allowed roots. Any signed-in user may create a library and manage its members and albums.
Folders added over the API must already exist, be directories, and lie (after following
symlinks) under one of ``config.allowed_roots``; with no allowed roots, only the CLI (trusted)
can add folders. The filesystem root itself is never a library folder.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from photonix_rt.auth.access import Role, require_role
from photonix_rt.auth.identity import Viewer
from photonix_rt.config import Config
from photonix_rt.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from photonix_rt.services.events import EventService
from photonix_rt.services.library_sync import LibrarySync
from photonix_rt.store import libraries as store
from photonix_rt.store import members
from photonix_rt.store import users as users_store
from photonix_rt.store.db import Database
from photonix_rt.store.libraries import Library, LibraryPath

__all__ = ["Library", "LibraryMember", "LibraryPath", "LibraryService"]

log = logging.getLogger(__name__)

MAX_NAME_LENGTH = 200
_ROLES = ("owner", "editor", "viewer")


@dataclass(frozen=True)
class LibraryMember:
    """A member as the API shows it: who, and with which role."""

    user_id: UUID
    username: str
    role: str


def _resolve_folder(raw: str) -> Path:
    """Blocking: the absolute, symlink-free form of an existing directory, or Invalid."""
    if not raw or "\x00" in raw:
        raise Invalid("the path is empty or malformed")
    path = Path(raw).expanduser()
    if not path.is_absolute():
        raise Invalid("the path must be absolute")
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, unreadable, or a symlink loop
        raise Invalid("the path does not exist") from None
    if not resolved.is_dir():
        raise Invalid("the path is not a folder")
    if resolved == Path(resolved.anchor):
        raise Invalid("the filesystem root cannot be a library folder")
    return resolved


# The one answer for a folder the caller may not learn about (outside the allowed roots,
# missing, or a file): the message must not say which, or it probes the server's disk.
_NOT_ALLOWED = "the server does not allow that folder as a library folder"
_NOT_IN_LIBRARY = "the path is not a folder inside one of this library's folders"


def _lexical_folder(raw: str) -> Path:
    """Blocking: ``raw`` made absolute with symlinks followed where they exist (no checks
    that reveal whether it exists); Invalid for what is malformed on its face."""
    if not raw or "\x00" in raw:
        raise Invalid("the path is empty or malformed")
    path = Path(raw).expanduser()
    if not path.is_absolute():
        raise Invalid("the path must be absolute")
    resolved = Path(os.path.realpath(path))
    if resolved == Path(resolved.anchor):
        raise Invalid("the filesystem root cannot be a library folder")
    return resolved


def _is_under(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)


def _check_allowed(path: Path, roots: Sequence[Path], data_dir: Path) -> None:
    """Blocking: Forbidden unless ``path`` lies under an allowed root and outside the data dir."""
    resolved_roots = [Path(os.path.realpath(r)) for r in roots]
    if not any(_is_under(path, root) for root in resolved_roots):
        raise Forbidden(_NOT_ALLOWED)
    if _is_under(path, Path(os.path.realpath(data_dir))):
        raise Forbidden("the server's own data folder cannot be a library folder")


class LibraryService:
    """Every operation checks the viewer's role first (non-members see NotFound)."""

    def __init__(self, db: Database, config: Config, events: EventService,
                 sync: LibrarySync | None = None) -> None:
        self._db = db
        self._sync = sync
        self._config = config
        self._events = events

    # -- reading -------------------------------------------------------------------------

    async def list_for(self, viewer: Viewer | None) -> list[Library]:
        """The viewer's libraries, each with the viewer's role."""
        if viewer is None:
            raise Unauthenticated("sign in first")
        return await store.libraries_of_user(self._db, viewer.user_id)

    async def get(self, viewer: Viewer | None, library_id: UUID) -> Library:
        """One library the viewer belongs to, with their role; NotFound otherwise."""
        role = await require_role(self._db, viewer, library_id, Role.VIEWER)
        library = await store.get_library(self._db, library_id)
        if library is None:
            raise NotFound("no such library")
        return Library(library.id, library.name, library.created_at, role.name.lower())

    async def paths(self, library_id: UUID) -> list[LibraryPath]:
        """Trusted (importer, watcher, CLI): the library's folders."""
        return (await store.paths_of_libraries(self._db, [library_id]))[0]

    async def paths_of_many(self, library_ids: Sequence[UUID]) -> list[list[LibraryPath]]:
        """Batch form for resolvers, on libraries already checked for the viewer."""
        return await store.paths_of_libraries(self._db, library_ids)

    async def photo_counts(self, library_ids: Sequence[UUID]) -> list[int]:
        """Batch photo counts for resolvers, on libraries already checked for the viewer."""
        return await store.photo_counts(self._db, library_ids)

    # -- changing ------------------------------------------------------------------------

    async def create(self, viewer: Viewer | UUID | None, name: str) -> Library:
        """A new library owned by the viewer (or by the given user id: trusted callers)."""
        if viewer is None:
            raise Unauthenticated("sign in first")
        owner_id = viewer if isinstance(viewer, UUID) else viewer.user_id
        clean = self._check_name(name)
        async with self._db.transaction() as conn:
            library = await store.insert_library(conn, clean)
            await members.add_member(conn, library.id, owner_id, "owner")
        log.info("library %s (%s) created by %s", library.id, clean, owner_id)
        return Library(library.id, library.name, library.created_at, "owner")

    async def ensure_library(self, name: str, owner_user_id: UUID | None) -> Library:
        """Trusted (CLI, ``serve --photos``): the library called ``name``, created if needed."""
        clean = self._check_name(name)
        existing = await store.get_library_by_name(self._db, clean)
        if existing is not None:
            return existing
        if owner_user_id is not None:
            try:
                return await self.create(owner_user_id, clean)
            except Conflict:  # created concurrently by another process
                pass
        else:
            try:
                return await store.insert_library(self._db, clean)
            except Conflict:
                pass
        existing = await store.get_library_by_name(self._db, clean)
        if existing is None:
            raise RuntimeError(f"library {clean!r} vanished while being created")
        return existing

    async def _require_folder_admin(self, viewer: Viewer | None, library_id: UUID) -> None:
        """Owners who are admins (checked in the database, not the token: a demoted admin
        loses this at once) may change which disk folders a library reads."""
        await require_role(self._db, viewer, library_id, Role.OWNER)
        assert viewer is not None  # require_role refuses anonymous viewers
        user = await users_store.get_user(self._db, viewer.user_id)
        if user is None or not user.is_admin or not user.is_active:
            raise Forbidden("only admins may add or remove library folders")

    async def add_path(self, viewer: Viewer | None, library_id: UUID, path: str,
                       watch: bool = True) -> LibraryPath:
        """Add a folder (admins who own the library) that exists and lies under an allowed
        root."""
        await self._require_folder_admin(viewer, library_id)
        resolved = await asyncio.to_thread(self._allowed_folder, path)
        added = await store.insert_path(self._db, library_id, str(resolved), watch)
        log.info("library %s: folder %s added", library_id, resolved)
        if self._sync is not None:
            await self._sync.folders_changed(library_id)
        return added

    def _allowed_folder(self, raw: str) -> Path:
        # Roots first: only under an allowed root may the caller learn what is on disk.
        _check_allowed(_lexical_folder(raw), self._config.allowed_roots, self._config.data_dir)
        resolved = _resolve_folder(raw)
        _check_allowed(resolved, self._config.allowed_roots, self._config.data_dir)
        return resolved

    async def add_path_trusted(self, library_id: UUID, path: str | Path,
                               watch: bool = True) -> LibraryPath:
        """CLI only: add an existing folder without the allowed-roots check (idempotent)."""
        resolved = str(await asyncio.to_thread(_resolve_folder, str(path)))
        existing = await store.get_path_by_value(self._db, library_id, resolved)
        if existing is not None:
            return existing
        try:
            return await store.insert_path(self._db, library_id, resolved, watch)
        except Conflict:  # added concurrently
            found = await store.get_path_by_value(self._db, library_id, resolved)
            assert found is not None
            return found

    async def remove_path(self, viewer: Viewer | None, path_id: UUID) -> bool:
        """Stop importing from a folder (admins who own the library); its photos stay."""
        if viewer is None:
            raise Unauthenticated("sign in first")
        found = await store.get_path(self._db, path_id)
        if found is None:
            raise NotFound("no such library folder")
        try:
            await self._require_folder_admin(viewer, found.library_id)
        except NotFound:
            raise NotFound("no such library folder") from None
        removed = await store.delete_path(self._db, path_id)
        if removed and self._sync is not None:
            await self._sync.folders_changed(found.library_id)
        return removed

    async def rescan(self, viewer: Viewer | None, library_id: UUID,
                     path: str | None = None) -> bool:
        """Reconcile a library (editors and owners), or one folder inside it, with the disk
        in the background. False when that scan is already running."""
        await require_role(self._db, viewer, library_id, Role.EDITOR)
        folder: Path | None = None
        if path is not None:
            # One answer for outside / missing / not a folder: editors may not probe the disk.
            roots = (await store.paths_of_libraries(self._db, [library_id]))[0]
            try:
                folder = await asyncio.to_thread(_resolve_folder, path)
            except Invalid:
                raise Invalid(_NOT_IN_LIBRARY) from None
            if not any(_is_under(folder, Path(root.path)) for root in roots):
                raise Invalid(_NOT_IN_LIBRARY)
        if self._sync is None:
            raise RuntimeError("library scans are not available in this process")
        await self._sync.rewatch()
        return self._sync.scan_in_background(library_id, folder, report_progress=True)

    async def add_member(self, viewer: Viewer | None, library_id: UUID, username: str,
                         role: str) -> LibraryMember:
        """Give a user a role in the library (owners only); changes the role if a member."""
        await require_role(self._db, viewer, library_id, Role.OWNER)
        assert viewer is not None  # require_role refuses anonymous viewers
        if role not in _ROLES:
            raise Invalid(f"role must be one of {', '.join(_ROLES)}")
        user = await users_store.get_user_by_name(self._db, username.strip())
        if user is None or not user.is_active:
            raise NotFound("no such user")
        if user.id == viewer.user_id:
            raise Invalid("you cannot change your own role")
        await members.add_member(self._db, library_id, user.id, role)
        log.info("library %s: %s is now %s", library_id, user.id, role)
        return LibraryMember(user.id, user.username, role)

    @staticmethod
    def _check_name(name: str) -> str:
        clean = name.strip()
        if not clean:
            raise Invalid("the library name is empty")
        if len(clean) > MAX_NAME_LENGTH:
            raise Invalid(f"the library name is longer than {MAX_NAME_LENGTH} characters")
        if not clean.isprintable():
            raise Invalid("the library name may not contain control characters")
        return clean
