"""What each classifier stage reported when a runner's worker processes loaded it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from photonix_rt.store.db import Queryable

__all__ = [
    "ClassifierRow",
    "available_stages",
    "list_classifiers",
    "mark_reconciled",
    "reconciled_version",
    "record_classifier",
]


@dataclass(frozen=True)
class ClassifierRow:
    name: str
    version: str | None
    available: bool
    reason: str | None
    updated_at: datetime


async def record_classifier(db: Queryable, name: str, version: str | None, available: bool,
                            reason: str | None) -> None:
    """Store a runner's report; an 'unavailable' never hides a fresh 'available'.

    Several runners may share the database (a server without TensorFlow, a worker with it):
    a stage is available when some runner has it, until that report is an hour old.
    """
    await db.execute(
        """
        INSERT INTO classifiers (name, version, available, reason, updated_at)
        VALUES ($1, $2, $3, $4, now())
        ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version,
            available = EXCLUDED.available, reason = EXCLUDED.reason, updated_at = now(),
            reconciled_version = CASE WHEN EXCLUDED.available
                                      THEN classifiers.reconciled_version END
        WHERE EXCLUDED.available OR NOT classifiers.available
           OR classifiers.updated_at < now() - interval '1 hour'
        """,
        name, version, available, reason,
    )


async def list_classifiers(db: Queryable) -> list[ClassifierRow]:
    rows = await db.fetch(
        "SELECT name, version, available, reason, updated_at FROM classifiers ORDER BY name")
    return [ClassifierRow(r["name"], r["version"], r["available"], r["reason"], r["updated_at"])
            for r in rows]


async def available_stages(db: Queryable) -> dict[str, str | None]:
    """Stage name -> version, for every available stage."""
    rows = await db.fetch("SELECT name, version FROM classifiers WHERE available")
    return {r["name"]: r["version"] for r in rows}


async def reconciled_version(db: Queryable, name: str) -> str | None:
    """The version whose jobs were last queued for every photo (None: never, or stale)."""
    return await db.fetchval("SELECT reconciled_version FROM classifiers WHERE name = $1 "
                             "AND available", name)


async def mark_reconciled(db: Queryable, name: str, version: str) -> None:
    await db.execute("UPDATE classifiers SET reconciled_version = $2 WHERE name = $1 "
                     "AND available AND version = $2", name, version)
