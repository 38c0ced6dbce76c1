"""Classifier stages turned on or off per library (no row: on)."""

from __future__ import annotations

from uuid import UUID

from photonix_rt.store.db import Queryable

__all__ = ["disabled_stages", "drop_queued", "queue_missing", "set_stage_enabled"]


async def disabled_stages(db: Queryable, library_id: UUID) -> set[str]:
    rows = await db.fetch(
        "SELECT stage FROM library_stages WHERE library_id = $1 AND NOT enabled", library_id)
    return {r["stage"] for r in rows}


async def set_stage_enabled(db: Queryable, library_id: UUID, stage: str,
                            enabled: bool) -> bool:
    """True when the setting changed."""
    before = await db.fetchval(
        "SELECT enabled FROM library_stages WHERE library_id = $1 AND stage = $2 FOR UPDATE",
        library_id, stage)
    await db.execute(
        """
        INSERT INTO library_stages (library_id, stage, enabled) VALUES ($1, $2, $3)
        ON CONFLICT (library_id, stage) DO UPDATE SET enabled = $3, updated_at = now()
        """, library_id, stage, enabled)
    return (before if before is not None else True) != enabled


async def queue_missing(db: Queryable, library_id: UUID, stage: str, version: str | None,
                        priority: int) -> int:
    """Queue the stage for the library's photos that have no job of it (one statement)."""
    status = await db.execute(
        """
        INSERT INTO jobs (photo_id, library_id, stage, model_version, priority)
        SELECT p.id, p.library_id, $2, $3, $4 FROM photos p
        WHERE p.library_id = $1
          AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.photo_id = p.id AND j.stage = $2)
        ON CONFLICT (photo_id, stage) DO NOTHING
        """, library_id, stage, version, priority)
    return int(status.split()[-1])


async def drop_queued(db: Queryable, library_id: UUID, stage: str) -> int:
    """Take the stage's waiting jobs of the library off the queue (running ones finish)."""
    status = await db.execute(
        "DELETE FROM jobs WHERE library_id = $1 AND stage = $2 AND status = 'queued'",
        library_id, stage)
    return int(status.split()[-1])
