"""Rotation, per-library classifier settings, the map, and the settings/admin screens."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from photonix_rt.graphql.context import context_of, require_viewer

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

__all__ = ["RESOLVERS"]


async def _rotate_photo(_obj: Any, info: GraphQLResolveInfo, photoId: str,
                        rotation: int) -> Any:
    context = context_of(info)
    return await context.services.rotation.rotate(context.viewer, photoId, rotation)


async def _classifier_settings(_obj: Any, info: GraphQLResolveInfo, libraryId: str) -> Any:
    context = context_of(info)
    return await context.services.stages.settings(context.viewer, libraryId)


async def _set_classifier_enabled(_obj: Any, info: GraphQLResolveInfo, libraryId: str,
                                  stage: str, enabled: bool) -> Any:
    context = context_of(info)
    return await context.services.stages.set_enabled(context.viewer, libraryId, stage,
                                                     enabled)


async def _map_positions(_obj: Any, info: GraphQLResolveInfo, libraryId: str,
                         bbox: dict[str, float], limit: int = 50000) -> dict[str, Any]:
    context = context_of(info)
    found, truncated = await context.services.map.positions(context.viewer, libraryId, bbox,
                                                            limit)
    return {"ids": found.ids, "latitudes": found.latitudes, "longitudes": found.longitudes,
            "truncated": truncated}


async def _stage_progress(_obj: Any, info: GraphQLResolveInfo, libraryId: str) -> Any:
    context = context_of(info)
    return await context.services.jobs.stage_progress(context.viewer, libraryId)


async def _sign_out_other_sessions(_obj: Any, info: GraphQLResolveInfo) -> bool:
    context = context_of(info)
    return await context.services.auth.sign_out_others(require_viewer(info),
                                                       context.session_id)


async def _retry_failed_jobs(_obj: Any, info: GraphQLResolveInfo, libraryId: str,
                             stage: str | None = None) -> int:
    context = context_of(info)
    return await context.services.jobs.retry_failed(context.viewer, libraryId, stage)


async def _library_members(library: Any, info: GraphQLResolveInfo) -> Any:
    context = context_of(info)
    return await context.services.members.members(context.viewer, library.id)


async def _remove_library_member(_obj: Any, info: GraphQLResolveInfo, libraryId: str,
                                 userId: str) -> bool:
    context = context_of(info)
    return await context.services.members.remove(context.viewer, libraryId, userId)


async def _set_library_path_watch(_obj: Any, info: GraphQLResolveInfo, id: str,
                                  watch: bool) -> Any:
    context = context_of(info)
    return await context.services.members.set_watch(context.viewer, id, watch)


RESOLVERS: dict[tuple[str, str], Callable[..., Any]] = {
    ("Mutation", "rotatePhoto"): _rotate_photo,
    ("Query", "classifierSettings"): _classifier_settings,
    ("Mutation", "setClassifierEnabled"): _set_classifier_enabled,
    ("Query", "mapPositions"): _map_positions,
    ("Query", "stageProgress"): _stage_progress,
    ("StageProgress", "perMinute"): lambda progress, _info: progress.per_minute,
    ("StageProgress", "etaSeconds"): lambda progress, _info: progress.eta_seconds,
    ("Mutation", "signOutOtherSessions"): _sign_out_other_sessions,
    ("Mutation", "retryFailedJobs"): _retry_failed_jobs,
    ("Library", "members"): _library_members,
    ("Mutation", "removeLibraryMember"): _remove_library_member,
    ("Mutation", "setLibraryPathWatch"): _set_library_path_watch,
}
