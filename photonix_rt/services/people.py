"""People and faces as people edit them: name, merge, move a face, confirm, reject.

Every edit checks the library role first (viewers read, editors edit), runs in one
transaction under the library's face lock (the runner's grouping takes the same lock), and
announces the photos it changed with PHOTO_UPDATED after commit. A face a person moved or
confirmed becomes 'confirmed' and no re-run of the face stage replaces it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING
from uuid import UUID

from photonix_rt.auth.access import Role, require_role
from photonix_rt.errors import Invalid, NotFound, Unauthenticated
from photonix_rt.events.types import EventKind
from photonix_rt.ids import parse_serial, parse_uuid
from photonix_rt.services.people_views import PeopleViews
from photonix_rt.store import faces as faces_store
from photonix_rt.store import model_tags, people_pages

if TYPE_CHECKING:
    from photonix_rt.auth.identity import Viewer
    from photonix_rt.config import Config
    from photonix_rt.events.types import EventMessage
    from photonix_rt.pool_client import PoolClient
    from photonix_rt.services.events import EventService
    from photonix_rt.store.db import Database, Queryable
    from photonix_rt.store.faces import FaceRow, PersonRow

__all__ = ["PeopleService"]

log = logging.getLogger(__name__)

MAX_NAME = 200


def _uuid(value: str | UUID, what: str) -> UUID:
    return parse_uuid(value, what)


def _face_id(value: str | int) -> int:
    return parse_serial(value, "face")


async def _require_role_of(db: Database, viewer: Viewer | None, library_id: UUID,
                           minimum: Role, what: str) -> None:
    """The role check for a thing found by id: outsiders learn only "no such <what>"."""
    try:
        await require_role(db, viewer, library_id, minimum)
    except NotFound:
        raise NotFound(f"no such {what}") from None


class PeopleService(PeopleViews):
    """Reads for GraphQL and the corrections people make to the automatic grouping.

    Besides PHOTO_UPDATED for each photo whose tags changed, every edit records
    PERSON_UPDATED / PERSON_REMOVED for the people and FACE_UPDATED for the faces it
    changed, so other devices showing a person or the review queue follow live.
    """

    def __init__(self, db: Database, events: EventService, *, config: Config | None = None,
                 pool: PoolClient | None = None) -> None:
        self._db = db
        self._events = events
        self._config = config
        self._pool = pool

    # ---- reads ---------------------------------------------------------------------------

    async def faces_for_photos(self, photo_ids: Sequence[UUID]) -> list[list[FaceRow]]:
        """Each photo's faces (batch loader; the photos were already access-checked)."""
        found = await faces_store.faces_for_photos(self._db, list(photo_ids))
        by_photo: dict[UUID, list[FaceRow]] = {p: [] for p in photo_ids}
        for face in found:
            by_photo[face.photo_id].append(face)
        return [by_photo[p] for p in photo_ids]

    async def people_by_ids(self, person_ids: Sequence[UUID]) -> list[PersonRow | None]:
        """Batch loader for ``Face.person`` (faces were reached through checked photos)."""
        found = {p.id: p for p in await faces_store.people_by_ids(self._db, list(person_ids))}
        return [found.get(p) for p in person_ids]

    async def people(self, viewer: Viewer | None, library_id: str) -> list[PersonRow]:
        library = _uuid(library_id, "library")
        await require_role(self._db, viewer, library, Role.VIEWER)
        return await faces_store.people_of_library(self._db, library)

    async def person(self, viewer: Viewer | None, person_id: str) -> PersonRow:
        if viewer is None:
            raise Unauthenticated("sign in first")  # before any lookup: no probing ids
        person = await faces_store.person_by_id(self._db, _uuid(person_id, "person"))
        if person is None:
            raise NotFound("no such person")
        await _require_role_of(self._db, viewer, person.library_id, Role.VIEWER, "person")
        return person

    async def faces_of_person(self, person: PersonRow) -> list[FaceRow]:
        return await faces_store.faces_of_person(self._db, person.id)

    # ---- edits ---------------------------------------------------------------------------

    async def name_person(self, viewer: Viewer | None, person_id: str, name: str) -> PersonRow:
        """Name (or, with an empty name, unname) a person; its PERSON tag follows."""
        person = await self._editable_person(viewer, person_id)
        clean = " ".join(name.split())
        if len(clean) > MAX_NAME:
            raise Invalid(f"a name has at most {MAX_NAME} characters")
        async with self._db.transaction() as conn:
            await faces_store.lock_library_faces(conn, person.library_id)
            tag_id = await self._tag_for(conn, person.library_id, clean or None)
            await faces_store.set_person_name(conn, person.id, clean or None, tag_id)
            await faces_store.retag_person_faces(conn, person.id, tag_id)
            messages = await self._photos_changed(conn, person.library_id,
                                                  await faces_store.faces_of_person(conn,
                                                                                    person.id))
            messages.append(await self._person_event(conn, person, "name"))
        await self._events.publish(*messages)
        return await self._reload(person.id)

    async def merge_people(self, viewer: Viewer | None, target_id: str,
                           source_ids: Sequence[str]) -> PersonRow:
        """Move every face of the sources to the target and delete the sources."""
        target = await self._editable_person(viewer, target_id)
        sources = [await self._editable_person(viewer, s) for s in source_ids]
        if any(s.library_id != target.library_id for s in sources):
            raise Invalid("people of different libraries cannot be merged")
        source_uuids = sorted({s.id for s in sources} - {target.id})
        async with self._db.transaction() as conn:
            await faces_store.lock_library_faces(conn, target.library_id)
            tag_id = await self._tag_for(conn, target.library_id, target.name)
            if tag_id != target.tag_id:
                await faces_store.set_person_name(conn, target.id, target.name, tag_id)
            await faces_store.move_faces_of_people(conn, source_uuids, target.id)
            await faces_store.retag_person_faces(conn, target.id, tag_id)
            await faces_store.delete_people(conn, source_uuids)
            messages = await self._photos_changed(conn, target.library_id,
                                                  await faces_store.faces_of_person(conn,
                                                                                    target.id))
            for source in source_uuids:
                messages.append(await self._events.record(
                    conn, EventKind.PERSON_REMOVED, target.library_id, None,
                    {"personId": str(source), "into": str(target.id)}))
            messages.append(await self._person_event(conn, target, "merge"))
        await self._events.publish(*messages)
        return await self._reload(target.id)

    async def move_face(self, viewer: Viewer | None, face_id: str | int,
                        person_id: str | None) -> FaceRow:
        """Put a face into another person, or a new one (``person_id`` None): confirmed."""
        face = await self._editable_face(viewer, face_id)
        target: PersonRow | None = None
        if person_id is not None:
            target = await self._editable_person(viewer, person_id)
            if target.library_id != face.library_id:
                raise Invalid("the person belongs to another library")
        async with self._db.transaction() as conn:
            await faces_store.lock_library_faces(conn, face.library_id)
            if target is None:
                tag_id = await self._tag_for(conn, face.library_id, None)
                new_person = await faces_store.create_person(conn, face.library_id, tag_id)
            else:
                new_person = target.id
                tag_id = await self._tag_for(conn, target.library_id, target.name)
            await self._assign(conn, face, new_person, tag_id, "confirmed")
            messages = await self._photos_changed(conn, face.library_id, [face])
            messages += await self._face_events(conn, face, new_person, "confirmed")
        await self._events.publish(*messages)
        return await self._reload_face(face.id)

    async def unassign_face(self, viewer: Viewer | None, face_id: str | int) -> FaceRow:
        """"Not this person": the face leaves its person for nobody (it waits in the review
        queue) and keeps that status through re-runs until someone moves it."""
        face = await self._editable_face(viewer, face_id)
        async with self._db.transaction() as conn:
            await faces_store.lock_library_faces(conn, face.library_id)
            await faces_store.set_face(conn, face.id, None, "confirmed")
            if face.photo_tag_id is not None:
                await model_tags.delete_photo_tag(conn, face.photo_tag_id)
                await faces_store.set_face_photo_tag(conn, face.id, None)
            if face.person_id is not None:
                await faces_store.delete_unused_unnamed(conn, [face.person_id])
            await faces_store.add_index_changes(conn, face.library_id, 1)
            messages = await self._photos_changed(conn, face.library_id, [face])
            messages += await self._face_events(conn, face, None, "confirmed")
        await self._events.publish(*messages)
        return await self._reload_face(face.id)

    async def set_cover(self, viewer: Viewer | None, person_id: str,
                        face_id: str | int) -> PersonRow:
        """Show this face of the person on the People screen."""
        person = await self._editable_person(viewer, person_id)
        face = await self._editable_face(viewer, face_id)
        if face.person_id != person.id or face.status == "rejected":
            raise Invalid("the face is not one of this person's")
        async with self._db.transaction() as conn:
            await people_pages.set_cover(conn, person.id, face.id)
            message = await self._person_event(conn, person, "cover")
        await self._events.publish(message)
        return await self._reload(person.id)

    async def confirm_face(self, viewer: Viewer | None, face_id: str | int) -> FaceRow:
        """The face is who it is grouped with: a re-run will not change it."""
        face = await self._editable_face(viewer, face_id)
        if face.person_id is None:
            raise Invalid("a rejected face has no person to confirm; move it to one")
        async with self._db.transaction() as conn:
            await faces_store.lock_library_faces(conn, face.library_id)
            await faces_store.set_face(conn, face.id, face.person_id, "confirmed")
            messages = await self._face_events(conn, face, face.person_id, "confirmed")
        await self._events.publish(*messages)
        return await self._reload_face(face.id)

    async def reject_face(self, viewer: Viewer | None, face_id: str | int) -> FaceRow:
        """Not a face, or not anyone to group: off its person and the photo's tags, for good."""
        face = await self._editable_face(viewer, face_id)
        async with self._db.transaction() as conn:
            await faces_store.lock_library_faces(conn, face.library_id)
            await faces_store.set_face(conn, face.id, None, "rejected")
            if face.photo_tag_id is not None:
                await model_tags.delete_photo_tag(conn, face.photo_tag_id)
            if face.person_id is not None:
                await faces_store.delete_unused_unnamed(conn, [face.person_id])
            await faces_store.add_index_changes(conn, face.library_id, 1)
            messages = await self._photos_changed(conn, face.library_id, [face])
            messages += await self._face_events(conn, face, None, "rejected")
        await self._events.publish(*messages)
        return await self._reload_face(face.id)

    # ---- helpers -------------------------------------------------------------------------

    async def _assign(self, conn: Queryable, face: FaceRow, person_id: UUID, tag_id: UUID,
                      status: str) -> None:
        await faces_store.set_face(conn, face.id, person_id, status)
        if face.photo_tag_id is None:  # it was rejected: show it on the photo again
            photo_tag = await model_tags.insert_photo_tag(
                conn, face.photo_id, tag_id, face.confidence, face.confidence, face.box,
                face.model_version)
            await faces_store.set_face_photo_tag(conn, face.id, photo_tag)
        else:
            await model_tags.set_photo_tag_tag(conn, face.photo_tag_id, tag_id)
        if face.person_id is not None and face.person_id != person_id:
            await faces_store.delete_unused_unnamed(conn, [face.person_id])
        await faces_store.add_index_changes(conn, face.library_id, 1)

    async def _tag_for(self, conn: Queryable, library_id: UUID, name: str | None) -> UUID:
        """The PERSON tag for a name (people share a tag per name; unnamed ones share '')."""
        if name:
            return await model_tags.ensure_tag(conn, library_id, name, "person", None, "person")
        return await model_tags.ensure_tag(conn, library_id, "", "person", None)

    async def _person_event(self, conn: Queryable, person: PersonRow,
                            change: str) -> EventMessage:
        return await self._events.record(conn, EventKind.PERSON_UPDATED, person.library_id,
                                         None, {"personId": str(person.id), "change": change})

    async def _face_events(self, conn: Queryable, face: FaceRow, person_id: UUID | None,
                           status: str) -> list[EventMessage]:
        """FACE_UPDATED, then PERSON_UPDATED for the person it left and the one it joined."""
        messages = [await self._events.record(
            conn, EventKind.FACE_UPDATED, face.library_id, face.photo_id,
            {"faceId": str(face.id), "personId": str(person_id) if person_id else None,
             "previousPersonId": str(face.person_id) if face.person_id else None,
             "status": status})]
        for changed in sorted({p for p in (face.person_id, person_id) if p is not None},
                              key=str):
            if await faces_store.person_by_id(conn, changed) is None:
                # An unnamed group left without faces is deleted with its last one.
                messages.append(await self._events.record(
                    conn, EventKind.PERSON_REMOVED, face.library_id, None,
                    {"personId": str(changed), "into": None}))
                continue
            messages.append(await self._events.record(
                conn, EventKind.PERSON_UPDATED, face.library_id, None,
                {"personId": str(changed), "change": "faces"}))
        return messages

    async def _photos_changed(self, conn: Queryable, library_id: UUID,
                              faces: Sequence[FaceRow]) -> list[EventMessage]:
        return [await self._events.record(conn, EventKind.PHOTO_UPDATED, library_id, photo_id,
                                          {"change": "people"})
                for photo_id in sorted({f.photo_id for f in faces})]

    async def _editable_person(self, viewer: Viewer | None, person_id: str) -> PersonRow:
        if viewer is None:
            raise Unauthenticated("sign in first")  # before any lookup: no probing ids
        person = await faces_store.person_by_id(self._db, _uuid(person_id, "person"))
        if person is None:
            raise NotFound("no such person")
        await _require_role_of(self._db, viewer, person.library_id, Role.EDITOR, "person")
        return person

    async def _editable_face(self, viewer: Viewer | None, face_id: str | int) -> FaceRow:
        if viewer is None:
            raise Unauthenticated("sign in first")  # before any lookup: no probing ids
        face = await faces_store.face_by_id(self._db, _face_id(face_id))
        if face is None:
            raise NotFound("no such face")
        await _require_role_of(self._db, viewer, face.library_id, Role.EDITOR, "face")
        return face

    async def _reload(self, person_id: UUID) -> PersonRow:
        person = await faces_store.person_by_id(self._db, person_id)
        assert person is not None
        return person

    async def _reload_face(self, face_id: int) -> FaceRow:
        face = await faces_store.face_by_id(self._db, face_id)
        assert face is not None
        return face
