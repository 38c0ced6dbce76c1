"""The People screens in GraphQL: pages of people with covers, the review queue, crops."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from photonix_rt.graphql.context import context_of
from photonix_rt.graphql.loaders import loader_for
from photonix_rt.graphql.media_urls import media_token
from photonix_rt.services.people_views import face_crop_name

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

    from photonix_rt.services.people import FaceRow, PersonRow

__all__ = ["RESOLVERS"]


def _face_crop_url(face: FaceRow, info: GraphQLResolveInfo) -> str | None:
    if face.thumbnail_key is None:
        return None
    name = face_crop_name(face)
    token = media_token(info)
    # ``v`` names the crop's content (photo thumbnails and box): the URL is cacheable forever.
    return (f"/faces/{face.id}.webp?v={quote(face.thumbnail_key)}-{quote(name)}"
            f"&token={quote(token)}")


async def _person_cover(person: PersonRow, info: GraphQLResolveInfo) -> FaceRow | None:
    services = context_of(info).services
    return await loader_for(context_of(info), "person_covers",
                            services.people.cover_faces).load(person.id)


async def _people_page(_obj: Any, info: GraphQLResolveInfo, libraryId: str, first: int = 50,
                       after: str | None = None) -> dict[str, Any]:
    context = context_of(info)
    rows, total, offset = await context.services.people.people_page(
        context.viewer, libraryId, first, after)
    edges = [{"cursor": str(offset + i + 1), "node": row} for i, row in enumerate(rows)]
    end = offset + len(rows)
    return {"totalCount": total, "edges": edges,
            "pageInfo": {"hasNextPage": end < total,
                         "endCursor": str(end) if edges else after}}


async def _face_review(_obj: Any, info: GraphQLResolveInfo, libraryId: str, first: int = 50,
                       after: str | None = None) -> dict[str, Any]:
    context = context_of(info)
    wanted = max(first, 1)
    faces = await context.services.people.review_faces(context.viewer, libraryId, wanted + 1,
                                                       after)
    page = faces[:wanted]
    edges = [{"cursor": str(face.id), "node": face} for face in page]
    return {"edges": edges,
            "pageInfo": {"hasNextPage": len(faces) > wanted,
                         "endCursor": edges[-1]["cursor"] if edges else after}}


async def _set_person_cover(_obj: Any, info: GraphQLResolveInfo, personId: str,
                            faceId: str) -> PersonRow:
    context = context_of(info)
    return await context.services.people.set_cover(context.viewer, personId, faceId)


async def _unassign_face(_obj: Any, info: GraphQLResolveInfo, faceId: str) -> FaceRow:
    context = context_of(info)
    return await context.services.people.unassign_face(context.viewer, faceId)


RESOLVERS: dict[tuple[str, str], Callable[..., Any]] = {
    ("Face", "cropUrl"): _face_crop_url,
    ("Person", "cover"): _person_cover,
    ("Query", "peoplePage"): _people_page,
    ("Query", "faceReview"): _face_review,
    ("Mutation", "setPersonCover"): _set_person_cover,
    ("Mutation", "unassignFace"): _unassign_face,
}
