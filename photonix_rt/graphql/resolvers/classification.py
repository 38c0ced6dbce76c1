"""Classification in GraphQL: a photo's jobs and faces, people and their edits, classifiers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from photonix_rt.graphql.context import context_of
from photonix_rt.graphql.loaders import loader_for
from photonix_rt.graphql.plain import attr

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

    from photonix_rt.services.jobs import ClassifierRow, Job
    from photonix_rt.services.people import FaceRow, PersonRow

__all__ = ["ENUM_VALUES", "RESOLVERS"]

ENUM_VALUES = {
    "JobStatus": {"QUEUED": "queued", "RUNNING": "running", "DONE": "done", "FAILED": "failed"},
    "FaceStatus": {"AUTO": "auto", "CONFIRMED": "confirmed", "REJECTED": "rejected"},
}


# Photo fields: the photo was access-checked when it was loaded, so batch by id.

async def _photo_jobs(photo: Any, info: GraphQLResolveInfo) -> list[Job]:
    services = context_of(info).services
    return await loader_for(context_of(info), "photo_jobs",
                            services.jobs.jobs_for_photos).load(photo.id)


async def _photo_faces(photo: Any, info: GraphQLResolveInfo) -> list[FaceRow]:
    services = context_of(info).services
    return await loader_for(context_of(info), "photo_faces",
                            services.people.faces_for_photos).load(photo.id)


async def _face_person(face: FaceRow, info: GraphQLResolveInfo) -> PersonRow | None:
    if face.person_id is None:
        return None
    services = context_of(info).services
    return await loader_for(context_of(info), "people",
                            services.people.people_by_ids).load(face.person_id)


async def _person_faces(person: PersonRow, info: GraphQLResolveInfo) -> list[FaceRow]:
    return await context_of(info).services.people.faces_of_person(person)


def _job_updated_at(job: Job, _info: GraphQLResolveInfo) -> str | None:
    when = job.finished_at or job.started_at or job.queued_at
    return when.isoformat() if when is not None else None


# Queries.

async def _people(_obj: Any, info: GraphQLResolveInfo, libraryId: str) -> list[PersonRow]:
    context = context_of(info)
    return await context.services.people.people(context.viewer, libraryId)


async def _person(_obj: Any, info: GraphQLResolveInfo, id: str) -> PersonRow:
    context = context_of(info)
    return await context.services.people.person(context.viewer, id)


async def _classifiers(_obj: Any, info: GraphQLResolveInfo) -> list[ClassifierRow]:
    context = context_of(info)
    return await context.services.jobs.classifiers(context.viewer)


async def _job_progress(_obj: Any, info: GraphQLResolveInfo, libraryId: str) -> dict[str, int]:
    context = context_of(info)
    counts = await context.services.jobs.progress(context.viewer, libraryId)
    return {status: counts.get(status, 0) for status in ("queued", "running", "done", "failed")}


# Mutations.

async def _name_person(_obj: Any, info: GraphQLResolveInfo, personId: str,
                       name: str) -> PersonRow:
    context = context_of(info)
    return await context.services.people.name_person(context.viewer, personId, name)


async def _merge_people(_obj: Any, info: GraphQLResolveInfo, targetId: str,
                        sourceIds: list[str]) -> PersonRow:
    context = context_of(info)
    return await context.services.people.merge_people(context.viewer, targetId, sourceIds)


async def _move_face(_obj: Any, info: GraphQLResolveInfo, faceId: str,
                     personId: str | None = None) -> FaceRow:
    context = context_of(info)
    return await context.services.people.move_face(context.viewer, faceId, personId)


async def _confirm_face(_obj: Any, info: GraphQLResolveInfo, faceId: str) -> FaceRow:
    context = context_of(info)
    return await context.services.people.confirm_face(context.viewer, faceId)


async def _reject_face(_obj: Any, info: GraphQLResolveInfo, faceId: str) -> FaceRow:
    context = context_of(info)
    return await context.services.people.reject_face(context.viewer, faceId)


RESOLVERS: dict[tuple[str, str], Callable[..., Any]] = {
    ("Photo", "jobs"): _photo_jobs,
    ("Photo", "faces"): _photo_faces,
    ("PhotoJob", "error"): attr("last_error"),
    ("PhotoJob", "modelVersion"): attr("model_version"),
    ("PhotoJob", "updatedAt"): _job_updated_at,
    ("Face", "photoId"): attr("photo_id"),
    ("Face", "person"): _face_person,
    ("Person", "libraryId"): attr("library_id"),
    ("Person", "faces"): _person_faces,
    ("Person", "faceCount"): attr("face_count"),
    ("Person", "photoCount"): attr("photo_count"),
    ("Query", "people"): _people,
    ("Query", "person"): _person,
    ("Query", "classifiers"): _classifiers,
    ("Query", "jobProgress"): _job_progress,
    ("Mutation", "namePerson"): _name_person,
    ("Mutation", "mergePeople"): _merge_people,
    ("Mutation", "moveFace"): _move_face,
    ("Mutation", "confirmFace"): _confirm_face,
    ("Mutation", "rejectFace"): _reject_face,
}
