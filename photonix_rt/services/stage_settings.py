"""Per-library classifier settings: each stage on or off for a library (owners decide).

Turning a stage on queues it (at bulk priority) for the library's photos that never had it;
turning it off takes its waiting jobs off the queue and new photos skip it
(``JobQueue.enqueue_photo`` and the runner's version reconciliation read the same table).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from photonix_rt.auth.access import Role, require_role
from photonix_rt.errors import Invalid
from photonix_rt.events.types import EventKind
from photonix_rt.ids import parse_uuid
from photonix_rt.services.jobs import Priority
from photonix_rt.store import classifiers as classifiers_store
from photonix_rt.store import jobs as jobs_store
from photonix_rt.store import library_stages

if TYPE_CHECKING:
    from photonix_rt.auth.identity import Viewer
    from photonix_rt.services.events import EventService
    from photonix_rt.store.db import Database

__all__ = ["STAGES", "StageSetting", "StageSettings"]

# Every classifier stage a library can turn on or off (workers/classifiers).
STAGES = ("object", "face", "colour", "location", "event")


@dataclass(frozen=True)
class StageSetting:
    stage: str
    enabled: bool
    available: bool         # some runner loaded it (its model is installed)
    reason: str | None      # why it is unavailable
    queued: int = 0         # jobs queued by the last change (turning it on)


class StageSettings:
    """Read and change which stages run in a library."""

    def __init__(self, db: Database, events: EventService) -> None:
        self._db = db
        self._events = events

    async def settings(self, viewer: Viewer | None, library_id: Any) -> list[StageSetting]:
        library = parse_uuid(library_id, "library")
        await require_role(self._db, viewer, library, Role.VIEWER)
        off = await library_stages.disabled_stages(self._db, library)
        known = {c.name: c for c in await classifiers_store.list_classifiers(self._db)}
        return [StageSetting(s, s not in off, bool(known.get(s) and known[s].available),
                             known[s].reason if s in known else "no runner has reported it")
                for s in STAGES]

    async def set_enabled(self, viewer: Viewer | None, library_id: Any, stage: str,
                          enabled: bool) -> StageSetting:
        library = parse_uuid(library_id, "library")
        if stage not in STAGES:
            raise Invalid(f"unknown stage; one of {', '.join(STAGES)}")
        queued = 0
        message = None
        async with self._db.transaction() as conn:
            await require_role(conn, viewer, library, Role.OWNER)
            if await library_stages.set_stage_enabled(conn, library, stage, enabled):
                available = await classifiers_store.available_stages(conn)
                if enabled and stage in available:
                    queued = await library_stages.queue_missing(
                        conn, library, stage, available[stage], int(Priority.BULK))
                    if queued:
                        await jobs_store.notify(conn, library)
                elif not enabled:
                    await library_stages.drop_queued(conn, library, stage)
                message = await self._events.record(conn, EventKind.LIBRARY_SETTINGS, library,
                                                    None, {"stage": stage, "enabled": enabled})
        if message is not None:
            await self._events.publish(message)
        current = next(s for s in await self.settings(viewer, library) if s.stage == stage)
        return StageSetting(current.stage, current.enabled, current.available, current.reason,
                            queued)
