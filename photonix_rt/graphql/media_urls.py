"""Media URLs for resolvers: thumbnail paths carrying one media token per request."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from photonix_rt.graphql.context import context_of, require_viewer

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

__all__ = ["media_token", "thumbnail_url"]


def media_token(info: GraphQLResolveInfo) -> str:
    """The viewer's ``?token=`` for media URLs; one per request, cached with the loaders.

    Synchronous on purpose: a page of 100 photos asks for it once per URL field, and an
    awaitable per field costs graphql-core a coroutine and a gather slot each."""
    context = context_of(info)
    token = context.loaders.get("media_token")
    if token is None:
        token = context.services.auth.media_token(require_viewer(info), context.session_id)
        context.loaders["media_token"] = token
    return token


def thumbnail_url(photo_id: Any, thumbnail_key: str, size: str, token: str) -> str:
    """``/thumbnails/<id>/<size>.webp``; ``v`` changes when the content does (cache key)."""
    return (f"/thumbnails/{photo_id}/{size.lower()}.webp"
            f"?v={quote(thumbnail_key)}&token={_quoted_token(token)}")


@lru_cache(maxsize=64)
def _quoted_token(token: str) -> str:
    """A request's URLs all carry one token: quote it once."""
    return quote(token)
