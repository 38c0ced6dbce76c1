"""Event kinds and the message that travels on the bus (ids and the sequence, not rows)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["EVENTS_TOPIC", "EventKind", "EventMessage", "events_topic", "library_topic"]

# Every committed event is published on one topic per database (this prefix and the
# database's channel id); each process orders the stream by sequence (events/sequencer.py)
# and fans it out per library in memory.
EVENTS_TOPIC = "events"


def events_topic(channel_id: str) -> str:
    """The bus topic of one database's events."""
    return f"{EVENTS_TOPIC}.{channel_id}"


class EventKind(StrEnum):
    """Every kind of change a client can be told about (GraphQL enum ``EventKind``)."""

    PHOTO_ADDED = "PHOTO_ADDED"
    PHOTO_METADATA = "PHOTO_METADATA"
    PHOTO_UPDATED = "PHOTO_UPDATED"
    PHOTO_TAGGED = "PHOTO_TAGGED"
    PHOTO_MISSING = "PHOTO_MISSING"
    PHOTO_REMOVED = "PHOTO_REMOVED"
    FILE_FAILED = "FILE_FAILED"
    STAGE_STARTED = "STAGE_STARTED"
    STAGE_DONE = "STAGE_DONE"
    JOB_PROGRESS = "JOB_PROGRESS"
    RESCAN_PROGRESS = "RESCAN_PROGRESS"
    LIBRARY_PATH_OFFLINE = "LIBRARY_PATH_OFFLINE"
    LIBRARY_PATH_ONLINE = "LIBRARY_PATH_ONLINE"
    PERSON_UPDATED = "PERSON_UPDATED"
    PERSON_REMOVED = "PERSON_REMOVED"
    FACE_UPDATED = "FACE_UPDATED"
    ALBUM_UPDATED = "ALBUM_UPDATED"
    ALBUM_REMOVED = "ALBUM_REMOVED"
    PHOTO_TRASHED = "PHOTO_TRASHED"
    PHOTO_RESTORED = "PHOTO_RESTORED"
    LIBRARY_SETTINGS = "LIBRARY_SETTINGS"


@dataclass(frozen=True)
class EventMessage:
    """What is published: enough to load the rest, small enough to fan out."""

    sequence: int
    kind: str
    library_id: str | None
    photo_id: str | None
    payload: dict[str, Any] = field(default_factory=dict)
    created_at: str | None = None  # ISO 8601, UTC

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EventMessage:
        return cls(**data)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"))

    @classmethod
    def from_json(cls, data: str | bytes) -> EventMessage:
        return cls.from_dict(json.loads(data))


def library_topic(library_id: str) -> str:
    """The in-process fan-out key carrying one library's events."""
    return f"library.{library_id}"
