"""Photo queries and the fields of Photo, its tags, files, camera and lens.

A photo's parts are loaded through per-request batch loaders, so a page of photos costs
one statement per kind of part, however long the page is.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from graphql.execution.collect_fields import collect_sub_fields

from photonix_rt.graphql.context import context_of
from photonix_rt.graphql.fast_execution import plain_resolver
from photonix_rt.graphql.loaders import loader_for
from photonix_rt.graphql.media_urls import media_token, thumbnail_url
from photonix_rt.graphql.plain import attr, iso

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

    from photonix_rt.services.photos import PhotoPage

__all__ = ["ENUM_VALUES", "RESOLVERS", "format_taken_at"]

# GraphQL enum name -> stored value (the schema says COLOR, the database 'colour').
_TAG_TYPES = {"OBJECT": "object", "SCENE": "scene", "PERSON": "person", "COLOR": "colour",
              "LOCATION": "location", "EVENT": "event", "STYLE": "style", "ALBUM": "album",
              "USER": "user"}

ENUM_VALUES = {
    "TagType": _TAG_TYPES,
    "TagSource": {"MODEL": "model", "PERSON": "person"},
}


@lru_cache(maxsize=256)
def _offset_suffix(offset_minutes: int) -> str:
    """What ``isoformat`` appends for a zone of this offset ('+01:00'), made once per offset:
    a month of 4,000 tiles shares a handful, and attaching a zone to each cost a third of
    the month's formatting."""
    zoned = datetime(2000, 1, 1, tzinfo=timezone(timedelta(minutes=offset_minutes)))
    return zoned.isoformat().removeprefix("2000-01-01T00:00:00")


def format_taken_at(local: datetime | None, offset_minutes: int | None,
                    instant: datetime | None) -> str | None:
    """ISO 8601: wall-clock time with its offset, or without one when the time floats."""
    if local is not None:
        if offset_minutes is None:
            return local.isoformat()
        return local.isoformat() + _offset_suffix(offset_minutes)
    return instant.astimezone(UTC).isoformat() if instant is not None else None


# Queries.

async def _photos(_obj: Any, info: GraphQLResolveInfo, libraryId: str,
                  filter: dict[str, Any] | None = None, first: int = 50,
                  after: str | None = None, orderBy: str = "TAKEN_AT_DESC") -> PhotoPage:
    context = context_of(info)
    return await context.services.photos.page(context.viewer, libraryId, filter, first,
                                              after, orderBy)


async def _photo(_obj: Any, info: GraphQLResolveInfo, id: str) -> Any:
    context = context_of(info)
    return await context.services.photos.get(context.viewer, id)


async def _tags(_obj: Any, info: GraphQLResolveInfo, libraryId: str,
                type: str | None = None) -> Any:
    context = context_of(info)
    return await context.services.photos.tag_counts(context.viewer, libraryId, type)


async def _cameras(_obj: Any, info: GraphQLResolveInfo, libraryId: str) -> Any:
    context = context_of(info)
    return await context.services.photos.camera_counts(context.viewer, libraryId)


async def _lenses(_obj: Any, info: GraphQLResolveInfo, libraryId: str) -> Any:
    context = context_of(info)
    return await context.services.photos.lens_counts(context.viewer, libraryId)


# The connection.

async def _total_count(page: PhotoPage, info: GraphQLResolveInfo) -> int:
    return await context_of(info).services.photos.count(page)


def _photo_fields_asked(info: GraphQLResolveInfo) -> set[str]:
    """The Photo fields asked for under ``edges { node { ... } }`` (fragments included)."""
    schema, fragments, variables = info.schema, info.fragments, info.variable_values
    edge_type, photo_type = schema.get_type("PhotoEdge"), schema.get_type("Photo")
    edge_fields = collect_sub_fields(schema, fragments, variables, edge_type,  # type: ignore[arg-type]
                                     list(info.field_nodes))
    nodes = [n for group in edge_fields.values() for n in group if n.name.value == "node"]
    if not nodes:
        return set()
    photo_fields = collect_sub_fields(schema, fragments, variables, photo_type,  # type: ignore[arg-type]
                                      nodes)
    return {n.name.value for group in photo_fields.values() for n in group}


async def _edges(page: PhotoPage, info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    # Load the page's tags, files, cameras and lenses up front, one batch each: the photos'
    # field resolvers then find them ready and return plain values, not awaitables.
    asked = _photo_fields_asked(info)
    loads: list[Any] = []
    if "tags" in asked:
        loads += [_load(info, "photo_tags", p.id) for p in page.photos]
    if asked & {"files", "originalUrl", "videoUrl"}:
        loads += [_load(info, "photo_files", p.id) for p in page.photos]
    if "camera" in asked:
        loads += [_load(info, "cameras", p.camera_id) for p in page.photos
                  if p.camera_id is not None]
    if "lens" in asked:
        loads += [_load(info, "lenses", p.lens_id) for p in page.photos
                  if p.lens_id is not None]
    if loads:
        # A failed batch is reported by each field that needs it, as without the prefetch.
        await asyncio.gather(*loads, return_exceptions=True)
    return [{"cursor": c, "node": p} for c, p in zip(page.cursors, page.photos, strict=True)]


def _page_info(page: PhotoPage, _info: GraphQLResolveInfo) -> dict[str, Any]:
    return {"hasNextPage": page.has_next_page, "endCursor": page.end_cursor}


# Photo fields that need a loader or a URL.

def _loader(info: GraphQLResolveInfo, name: str) -> Any:
    context = context_of(info)
    photos = context.services.photos
    batch = {"photo_files": photos.files_for, "photo_tags": photos.tags_for,
             "cameras": photos.cameras, "lenses": photos.lenses}[name]
    return loader_for(context, name, batch)


def _load(info: GraphQLResolveInfo, name: str, key: Any) -> Any:
    return _loader(info, name).load(key)


def _ready(info: GraphQLResolveInfo, name: str, key: Any) -> Any:
    """The loaded value when the page prefetched it, else an awaitable of it."""
    return _loader(info, name).load_ready(key)


def _files(photo: Any, info: GraphQLResolveInfo) -> Any:
    return _ready(info, "photo_files", photo.id)


def _photo_tags(photo: Any, info: GraphQLResolveInfo) -> Any:
    return _ready(info, "photo_tags", photo.id)


def _camera(photo: Any, info: GraphQLResolveInfo) -> Any:
    return None if photo.camera_id is None else _ready(info, "cameras", photo.camera_id)


def _lens(photo: Any, info: GraphQLResolveInfo) -> Any:
    return None if photo.lens_id is None else _ready(info, "lenses", photo.lens_id)


def _thumbnail_url(photo: Any, info: GraphQLResolveInfo, size: str = "GRID") -> str | None:
    if photo.thumbnail_key is None:
        return None
    return thumbnail_url(photo.id, photo.thumbnail_key, size, media_token(info))


async def _original_url(photo: Any, info: GraphQLResolveInfo) -> str | None:
    files = await _load(info, "photo_files", photo.id)
    readable = [f for f in files if f.status == "ok"]
    if not readable:
        return None
    return f"/originals/{readable[0].id}?token={quote(media_token(info))}"


async def _video_url(photo: Any, info: GraphQLResolveInfo) -> str | None:
    """The video file (a video's own, or a live photo's motion clip), with a media token."""
    if photo.metadata.get("MotionPhoto.Length") and photo.thumbnail_key:
        # An Android motion photo: the clip cut from the file at import.
        return f"/thumbnails/{photo.id}/motion.mp4?token={quote(media_token(info))}"
    files = [f for f in await _load(info, "photo_files", photo.id) if f.status == "ok"]
    clip = next((f for f in files if f.role == "motion"), None)
    if clip is None and photo.media_type == "video":
        clip = next((f for f in files if f.role == "original"), None)
    if clip is None:
        return None
    return f"/originals/{clip.id}?token={quote(media_token(info))}"


@plain_resolver
def _video_codec(photo: Any) -> str | None:
    codec = photo.metadata.get("Video.Codec")
    return codec if isinstance(codec, str) else None


@plain_resolver
def _taken_at(photo: Any) -> str | None:
    return format_taken_at(photo.taken_at_local, photo.taken_at_offset, photo.taken_at)


def _metadata(photo: Any, _info: GraphQLResolveInfo) -> str:
    return json.dumps(photo.metadata, ensure_ascii=False, sort_keys=True)


RESOLVERS: dict[tuple[str, str], Callable[..., Any]] = {
    ("Query", "photos"): _photos,
    ("Query", "photo"): _photo,
    ("Query", "tags"): _tags,
    ("Query", "cameras"): _cameras,
    ("Query", "lenses"): _lenses,
    ("PhotoConnection", "totalCount"): _total_count,
    ("PhotoConnection", "edges"): _edges,
    ("PhotoConnection", "pageInfo"): _page_info,
    ("Photo", "libraryId"): attr("library_id"),
    ("Photo", "takenAt"): _taken_at,
    ("Photo", "takenAtSource"): attr("taken_at_source"),
    ("Photo", "timeZone"): attr("taken_at_zone"),
    ("Photo", "camera"): _camera,
    ("Photo", "lens"): _lens,
    ("Photo", "exposureTime"): attr("exposure_time"),
    ("Photo", "focalLength"): attr("focal_length"),
    ("Photo", "meteringMode"): attr("metering_mode"),
    ("Photo", "files"): _files,
    ("Photo", "thumbnailUrl"): _thumbnail_url,
    ("Photo", "originalUrl"): _original_url,
    ("Photo", "tags"): _photo_tags,
    ("Photo", "metadata"): _metadata,
    ("Photo", "mediaType"): attr("media_type"),
    ("Photo", "durationMs"): attr("duration_ms"),
    ("Photo", "videoCodec"): _video_codec,
    ("Photo", "videoUrl"): _video_url,
    ("Photo", "createdAt"): iso("created_at"),
    ("Photo", "updatedAt"): iso("updated_at"),
    ("PhotoFile", "mimeType"): attr("mime_type"),
    ("PhotoTag", "id"): attr("tag_id"),
    ("PhotoTag", "modelVersion"): attr("model_version"),
    ("Tag", "libraryId"): attr("library_id"),
    ("TagCount", "photoCount"): attr("photo_count"),
    ("CameraCount", "photoCount"): attr("photo_count"),
    ("LensCount", "photoCount"): attr("photo_count"),
}
