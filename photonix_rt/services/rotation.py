"""Rotate a photo in the app: stored with the photo, never written to its file.

The thumbnails are redrawn from the unrotated set under a new key (so every cached URL
changes), face and tag boxes turn with the image, and the object and face stages are queued
again for the new orientation. Editor role; PHOTO_UPDATED tells the other devices.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from photonix_rt.auth.access import Role, require_role
from photonix_rt.errors import Invalid, NotFound, Unauthenticated
from photonix_rt.events.types import EventKind
from photonix_rt.ids import parse_uuid
from photonix_rt.services.jobs import Priority
from photonix_rt.store import classifiers as classifiers_store
from photonix_rt.store import jobs as jobs_store
from photonix_rt.store import library_stages, photo_edits, rotation
from photonix_rt.store import photos_query as photos_store
from workers.protocol import run_task

if TYPE_CHECKING:
    from photonix_rt.auth.identity import Viewer
    from photonix_rt.config import Config
    from photonix_rt.pool_client import PoolClient
    from photonix_rt.services.events import EventService
    from photonix_rt.store.db import Database
    from photonix_rt.store.photos_query import PhotoRow

__all__ = ["RERUN_STAGES", "RotationService", "rotated_key"]

RERUN_STAGES = ("face", "object")  # the stages whose results depend on the orientation
_ROTATED = re.compile(r"-r(90|180|270)$")
_SAFE_KEY = re.compile(r"[A-Za-z0-9_-]{2,120}")


def rotated_key(key: str, degrees: int) -> tuple[str, str]:
    """(unrotated key, key of the set turned ``degrees``)."""
    base = _ROTATED.sub("", key)
    return base, base if degrees == 0 else f"{base}-r{degrees}"


class RotationService:
    """``rotate``: the only way a photo's rotation changes."""

    def __init__(self, db: Database, config: Config, pool: PoolClient,
                 events: EventService) -> None:
        self._db = db
        self._config = config
        self._pool = pool
        self._events = events

    async def rotate(self, viewer: Viewer | None, photo_id: Any, degrees: int) -> PhotoRow:
        """Show the photo turned ``degrees`` clockwise (0, 90, 180 or 270) from its file."""
        if viewer is None:
            raise Unauthenticated("sign in first")
        if degrees not in (0, 90, 180, 270):
            raise Invalid("rotation must be 0, 90, 180 or 270")
        pid = parse_uuid(photo_id, "photo")
        photo = await photos_store.photo_by_id(self._db, pid)
        if photo is None:
            raise NotFound("no such photo")
        try:
            await require_role(self._db, viewer, photo.library_id, Role.EDITOR)
        except NotFound:
            raise NotFound("no such photo") from None
        if photo.rotation == degrees:
            return photo
        key, placeholder = photo.thumbnail_key, None
        if key is not None and _SAFE_KEY.fullmatch(key):
            base, key = rotated_key(key, degrees)
            # Decoding and encoding images is CPU work: a worker process does it.
            placeholder = await self._pool.run(run_task, "rotate_thumbnails",
                                               str(self._config.thumbnails_dir), base, key,
                                               degrees) or None
        async with self._db.transaction() as conn:
            if await photo_edits.lock_photo(conn, pid) is None:
                raise NotFound("no such photo")
            current = await photos_store.photo_by_id(conn, pid)
            assert current is not None
            turns = (degrees - current.rotation) % 360 // 90
            await rotation.set_rotation(conn, pid, degrees, key, placeholder, turns % 2 == 1)
            await rotation.rotate_boxes(conn, pid, turns)
            available = await classifiers_store.available_stages(conn)
            off = await library_stages.disabled_stages(conn, photo.library_id)
            stages = [(s, available[s]) for s in RERUN_STAGES if s in available and s not in off]
            await jobs_store.enqueue(conn, photo.library_id, pid, stages, int(Priority.HIGH))
            message = await self._events.record(conn, EventKind.PHOTO_UPDATED,
                                                photo.library_id, pid, {"change": "rotation"})
        await self._events.publish(message)
        rotated = await photos_store.photo_by_id(self._db, pid)
        if rotated is None:
            raise NotFound("no such photo")
        return rotated
