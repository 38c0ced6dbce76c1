"""Put detected faces into people: match against the library's face index, write, rebuild.

For each photo's faces the runner calls ``plan`` (outside any transaction: a worker searches
the Annoy index plus an exact delta of faces added since its build), then ``write`` inside
the transaction that marks the job done. ``write`` takes the library's face lock and compares
exactly against faces committed after the plan's snapshot, so two photos of one new person
processed at once still end up in one person. A re-run keeps what people decided: a face
found again where a confirmed or rejected face is stays as it was; one found again where an
automatic face is keeps its person.
"""

from __future__ import annotations

import asyncio
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

from photonix_rt.store import faces as faces_store
from photonix_rt.store import model_tags
from workers.protocol import FaceMatch, run_task

if TYPE_CHECKING:
    from photonix_rt.config import Config
    from photonix_rt.pool_client import PoolClient
    from photonix_rt.store.db import Database, Queryable
    from photonix_rt.store.faces import FaceRow

__all__ = ["Detection", "FaceGrouper", "MatchPlan", "iou"]

log = logging.getLogger(__name__)

CANDIDATES = 8      # nearest faces asked of the index per query face
SAME_FACE_IOU = 0.5  # a re-run detection this close to a stored face is that face


@dataclass(frozen=True)
class Detection:
    """A face the face stage found."""

    box: list[float]
    confidence: float
    significance: float
    embedding: list[float]


@dataclass(frozen=True)
class MatchPlan:
    """Index candidates per detection, and the largest face id the search covered."""

    seen_up_to: int
    candidates: list[list[FaceMatch]]


def iou(a: list[float], b: list[float]) -> float:
    """Intersection over union of two x, y, w, h boxes."""
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


class FaceGrouper:
    """Runner-side face grouping and the background rebuilds of each library's face index."""

    def __init__(self, db: Database, config: Config, pool: PoolClient, *,
                 threshold: float = 0.6, rebuild_after: int = 256) -> None:
        self._db = db
        self._config = config
        self._pool = pool
        self.threshold = threshold
        self.rebuild_after = rebuild_after
        self._builds: dict[UUID, asyncio.Task[None]] = {}

    def index_dir(self, library_id: UUID) -> Path:
        return self._config.data_dir / "faces" / str(library_id)

    async def plan(self, library_id: UUID, detections: list[Detection]) -> MatchPlan:
        """Ask a worker for each detection's nearest stored faces (index + exact delta)."""
        state = await faces_store.index_state(self._db, library_id)
        delta = await faces_store.live_faces_after(self._db, library_id, state.max_face_id)
        seen_up_to = max([state.max_face_id, *(face_id for face_id, _ in delta)])
        if not detections:
            return MatchPlan(seen_up_to, [])
        candidates: list[list[FaceMatch]] = await self._pool.run(
            run_task, "face_index_match", str(self.index_dir(library_id)),
            [face_id for face_id, _ in delta], [vector for _, vector in delta],
            [d.embedding for d in detections], CANDIDATES)
        return MatchPlan(seen_up_to, candidates)

    async def write(self, conn: Queryable, library_id: UUID, photo_id: UUID,
                    model_version: str | None, detections: list[Detection],
                    plan: MatchPlan) -> int:
        """Store the photo's faces and their people (caller's transaction); faces shown."""
        await faces_store.lock_library_faces(conn, library_id)
        existing = await faces_store.faces_of_photo(conn, photo_id)
        paired = _pair(detections, existing)
        fresh = [i for i in range(len(detections)) if i not in paired]
        updated = 0
        for i, old in paired.items():
            if old.status == "auto":  # found again: new measurements, same person
                d = detections[i]
                await faces_store.update_face_detection(conn, old.id, d.box, d.confidence,
                                                        d.embedding, model_version)
                updated += 1
        matched_old = {old.id for old in paired.values()}
        removed = [f for f in existing if f.status == "auto" and f.id not in matched_old]
        if removed:
            await faces_store.delete_faces(conn, [f.id for f in removed])

        late = await faces_store.live_faces_after(conn, library_id, plan.seen_up_to)
        wanted = {m.face_id for i in fresh for m in plan.candidates[i]} | {f for f, _ in late}
        persons = await faces_store.persons_of_faces(conn, sorted(wanted))
        tags = _PersonTags(conn, library_id)
        added: list[tuple[list[float], UUID]] = []  # faces written now, for later detections
        for i in fresh:
            d = detections[i]
            options = [(m.distance, persons[m.face_id]) for m in plan.candidates[i]
                       if m.face_id in persons]
            options += [(math.dist(d.embedding, v), persons[f]) for f, v in late if f in persons]
            options += [(math.dist(d.embedding, v), p) for v, p in added]
            best = min(options, key=lambda o: o[0], default=None)
            if best is not None and best[0] <= self.threshold:
                person_id = best[1]
            else:
                person_id = await faces_store.create_person(conn, library_id,
                                                            await tags.unnamed())
            face_id = await faces_store.insert_face(conn, library_id, photo_id, person_id,
                                                    d.box, d.confidence, d.embedding,
                                                    model_version)
            photo_tag = await model_tags.insert_photo_tag(
                conn, photo_id, await tags.of_person(person_id), d.confidence, d.significance,
                d.box, model_version)
            await faces_store.set_face_photo_tag(conn, face_id, photo_tag)
            added.append((d.embedding, person_id))
        if removed:
            await faces_store.delete_unused_unnamed(
                conn, sorted({f.person_id for f in removed if f.person_id is not None}))
        changes = len(fresh) + updated + len(removed)
        if changes:
            await faces_store.add_index_changes(conn, library_id, changes)
        removed_ids = {f.id for f in removed}
        kept = [f for f in existing if f.status != "rejected" and f.id not in removed_ids]
        return len(fresh) + len(kept)

    # ---- index builds --------------------------------------------------------------------

    async def maybe_rebuild(self, library_id: UUID) -> None:
        """Start a background rebuild once enough faces changed since the last one."""
        state = await faces_store.index_state(self._db, library_id)
        if state.changes >= self.rebuild_after:
            self.rebuild_in_background(library_id)

    def rebuild_in_background(self, library_id: UUID) -> asyncio.Task[None]:
        task = self._builds.get(library_id)
        if task is None or task.done():
            task = asyncio.create_task(self._rebuild_logged(library_id),
                                       name=f"face-index-{library_id}")
            self._builds[library_id] = task
        return task

    async def _rebuild_logged(self, library_id: UUID) -> None:
        try:
            await self.rebuild(library_id)
        except Exception:
            log.exception("face index rebuild of library %s failed", library_id)

    async def rebuild(self, library_id: UUID) -> int | None:
        """Build the library's index from every stored face; None if another runner is."""
        async with self._db.connection() as conn:
            if not await faces_store.try_lock_index_build(conn, library_id):
                return None
            try:
                ids, vectors, changes = await faces_store.index_snapshot(conn, library_id)
                generation: int = await self._pool.run(
                    run_task, "face_index_build", str(self.index_dir(library_id)), ids, vectors)
                await faces_store.record_index_build(conn, library_id, generation,
                                                     max(ids, default=0), len(ids), changes)
            finally:
                await faces_store.unlock_index_build(conn, library_id)
        log.info("face index of library %s: generation %s, %s faces", library_id,
                 generation, len(ids))
        return generation

    async def close(self) -> None:
        tasks = [t for t in self._builds.values() if not t.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._builds.clear()


def _pair(detections: list[Detection], existing: list[FaceRow]) -> dict[int, FaceRow]:
    """Detection index -> the stored face of this photo it re-finds (greedy by overlap)."""
    pairs = sorted(((iou(d.box, f.box), i, f) for i, d in enumerate(detections)
                    for f in existing), key=lambda p: p[0], reverse=True)
    taken_d: dict[int, FaceRow] = {}
    taken_f: set[int] = set()
    for overlap, i, face in pairs:
        if overlap < SAME_FACE_IOU:
            break
        if i in taken_d or face.id in taken_f:
            continue
        taken_d[i] = face
        taken_f.add(face.id)
    return taken_d


class _PersonTags:
    """PERSON tag ids within one transaction: the person's own, or the unnamed ('') tag."""

    def __init__(self, conn: Queryable, library_id: UUID) -> None:
        self._conn = conn
        self._library_id = library_id
        self._unnamed: UUID | None = None
        self._by_person: dict[UUID, UUID] = {}

    async def unnamed(self) -> UUID:
        if self._unnamed is None:
            self._unnamed = await model_tags.ensure_tag(self._conn, self._library_id, "",
                                                        "person", None)
        return self._unnamed

    async def of_person(self, person_id: UUID) -> UUID:
        tag_id = self._by_person.get(person_id)
        if tag_id is None:
            person = await faces_store.person_by_id(self._conn, person_id)
            assert person is not None
            tag_id = person.tag_id
            if tag_id is None:  # the tag was deleted: give the person one again
                tag_id = (await model_tags.ensure_tag(self._conn, self._library_id,
                                                      person.name, "person", None, "person")
                          if person.name else await self.unnamed())
                await faces_store.set_person_name(self._conn, person_id, person.name, tag_id)
            self._by_person[person_id] = tag_id
        return tag_id
