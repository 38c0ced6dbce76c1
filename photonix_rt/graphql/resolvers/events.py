"""The ``events`` subscription and the fields of ``Event``."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from photonix_rt.errors import Invalid, NotFound
from photonix_rt.events.types import EventKind
from photonix_rt.graphql.context import context_of, require_viewer
from photonix_rt.graphql.plain import attr

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

    from photonix_rt.events.types import EventMessage

__all__ = ["ENUM_VALUES", "RESOLVERS", "SUBSCRIPTIONS"]

ENUM_VALUES = {"EventKind": {kind.name: kind.value for kind in EventKind}}


def _parse_since(since: str | None) -> int | None:
    if since is None or since == "":
        return None
    try:
        value = int(since)
    except ValueError:
        raise Invalid("since must be a sequence received earlier") from None
    if value < 0:
        raise Invalid("since must be a sequence received earlier")
    return value


def _parse_library(library_id: str | None) -> UUID | None:
    if library_id is None:
        return None
    try:
        return UUID(library_id)
    except ValueError:
        raise NotFound("no such library") from None


async def _subscribe_events(_obj: Any, info: GraphQLResolveInfo, libraryId: str | None = None,
                            since: str | None = None) -> AsyncIterator[EventMessage]:
    viewer = require_viewer(info)
    return await context_of(info).services.events.stream(
        viewer, _parse_library(libraryId), _parse_since(since))


async def _event_cursor(_obj: Any, info: GraphQLResolveInfo) -> str:
    require_viewer(info)
    return str(await context_of(info).services.events.cursor())


def _resolve_event(message: EventMessage, info: GraphQLResolveInfo, **_args: Any) -> EventMessage:
    # One context serves a whole subscription: start each event with fresh loaders so a
    # photo is read as it is now, not as it was at the first event.
    context_of(info).loaders.clear()
    return message


async def _photo(message: EventMessage, info: GraphQLResolveInfo) -> Any:
    if message.photo_id is None:
        return None
    context = context_of(info)
    try:
        return await context.services.photos.get(context.viewer, message.photo_id)
    except NotFound:
        return None  # removed since (or no longer visible): the event still stands


def _payload(message: EventMessage, _info: GraphQLResolveInfo) -> str:
    return json.dumps(message.payload, ensure_ascii=False, separators=(",", ":"))


RESOLVERS: dict[tuple[str, str], Callable[..., Any]] = {
    ("Query", "eventCursor"): _event_cursor,
    ("Event", "sequence"): lambda message, _info: str(message.sequence),
    ("Event", "libraryId"): attr("library_id"),
    ("Event", "photoId"): attr("photo_id"),
    ("Event", "photo"): _photo,
    ("Event", "payload"): _payload,
    ("Event", "createdAt"): attr("created_at"),
}

SUBSCRIPTIONS = {("Subscription", "events"): (_subscribe_events, _resolve_event)}
