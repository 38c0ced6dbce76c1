"""Write a stage's result in the transaction that marks its job done, under the job's lease."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from photonix_rt.events.types import EventKind
from photonix_rt.services.face_grouping import Detection
from photonix_rt.store import faces as faces_store
from photonix_rt.store import jobs as jobs_store
from photonix_rt.store import model_tags
from photonix_rt.store.model_tags import ModelTag

if TYPE_CHECKING:
    from photonix_rt.services.events import EventService
    from photonix_rt.services.face_grouping import FaceGrouper
    from photonix_rt.store.db import Database
    from photonix_rt.store.jobs import Job
    from workers.protocol import ClassifyOutput, StageTag

__all__ = ["STAGE_TAG_TYPES", "ResultWriter"]

log = logging.getLogger(__name__)

# The tag types each stage owns on a photo: a re-run replaces exactly these.
STAGE_TAG_TYPES: dict[str, tuple[str, ...]] = {
    "colour": ("colour",),
    "location": ("location",),
    "event": ("event",),
    "object": ("object", "scene"),
    "face": ("person",),
}


def _model_tag(tag: StageTag) -> ModelTag:
    confidence = float(tag.confidence)
    return ModelTag(
        name=tag.name, type=tag.type, confidence=confidence,
        significance=float(tag.significance) if tag.significance is not None else confidence,
        box=[float(v) for v in tag.box] if tag.box is not None else None, parent=tag.parent)


def _detection(tag: StageTag) -> Detection:
    box = [float(v) for v in tag.box] if tag.box is not None else [0.0, 0.0, 1.0, 1.0]
    confidence = float(tag.confidence)
    return Detection(box, confidence,
                     float(tag.significance) if tag.significance is not None else confidence,
                     [float(v) for v in tag.extra["embedding"]])


class ResultWriter:
    """Commits results only while the lease is ours: a taken-over job cannot commit twice."""

    def __init__(self, db: Database, events: EventService, faces: FaceGrouper) -> None:
        self._db = db
        self._events = events
        self._faces = faces

    async def commit(self, job: Job, owner: str, output: ClassifyOutput) -> bool:
        """Store the output, mark the job done, record PHOTO_TAGGED; False if not ours."""
        detections = plan = None
        if output.stage == "face":
            detections = [_detection(t) for t in output.tags
                          if t.type == "person" and "embedding" in t.extra]
            plan = await self._faces.plan(job.library_id, detections)
        async with self._db.transaction() as conn:
            if await jobs_store.hold(conn, job.id, owner) is None:
                log.warning("job %s (%s of photo %s) is no longer ours; result dropped",
                            job.id, job.stage, job.photo_id)
                return False
            if detections is not None and plan is not None:
                count = await self._faces.write(conn, job.library_id, job.photo_id,
                                                output.version, detections, plan)
            else:
                types = STAGE_TAG_TYPES.get(output.stage) or tuple({t.type for t in output.tags})
                count = await model_tags.replace_stage_tags(
                    conn, job.library_id, job.photo_id, list(types),
                    [_model_tag(t) for t in output.tags], output.version)
            await jobs_store.mark_done(conn, job.id, output.version)
            payload: dict[str, Any] = {"stage": output.stage, "tags": count,
                                       "version": output.version}
            if detections is not None:  # an open person's page updates when it gains a face
                payload["people"] = sorted({str(f.person_id) for f in await
                                            faces_store.faces_of_photo(conn, job.photo_id)
                                            if f.person_id is not None and
                                            f.status != "rejected"})
            message = await self._events.record(
                conn, EventKind.PHOTO_TAGGED, job.library_id, job.photo_id, payload)
        await self._events.publish(message)
        if detections:
            await self._faces.maybe_rebuild(job.library_id)
        return True
