"""Share links for editors and owners: create (token shown once), list, revoke."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from photonix_rt.graphql.context import context_of
from photonix_rt.graphql.plain import attr, iso

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

    from photonix_rt.services.shares import ShareLink as ShareLinkRow

__all__ = ["RESOLVERS", "embed_iframe", "embed_script"]


@dataclass(frozen=True)
class _Created:
    """A link as just made: the row, its token, and the server address to put in snippets."""

    link: ShareLinkRow
    token: str
    server: str

    def __getattr__(self, name: str) -> Any:
        return getattr(self.link, name)


def embed_script(server: str, token: str) -> str:
    """The widget snippet (names outside tools rely on: keep it stable)."""
    s, t = html.escape(server, quote=True), html.escape(token, quote=True)
    return (f'<script type="module" src="{s}/embed/v1/photonix-gallery.js"></script>\n'
            f'<photonix-gallery server="{s}" token="{t}"></photonix-gallery>')


def embed_iframe(server: str, token: str) -> str:
    s, t = html.escape(server, quote=True), html.escape(token, quote=True)
    return (f'<iframe src="{s}/embed/{t}" title="Shared photos" loading="lazy" '
            'style="width:100%;height:480px;border:0"></iframe>')


def _only_created(build: Callable[[_Created], str]) -> Callable[..., str | None]:
    def resolve(obj: Any, _info: GraphQLResolveInfo) -> str | None:
        return build(obj) if isinstance(obj, _Created) else None
    return resolve


async def _share_links(_obj: Any, info: GraphQLResolveInfo, libraryId: str) -> list[Any]:
    context = context_of(info)
    return await context.services.shares.links_of(context.viewer, libraryId)


async def _create(_obj: Any, info: GraphQLResolveInfo, libraryId: str,
                  albumId: str | None = None, filter: dict[str, Any] | None = None,
                  expiresAt: str | None = None, allowedOrigins: list[str] | None = None,
                  showLocation: bool | None = False, showMetadata: bool | None = False,
                  showPeople: bool | None = False, allowDownload: bool | None = False,
                  ) -> _Created:
    context = context_of(info)
    link, token = await context.services.shares.create(
        context.viewer, libraryId, album_id=albumId, filter_input=filter,
        expires_at=expiresAt, allowed_origins=allowedOrigins,
        show_location=bool(showLocation), show_metadata=bool(showMetadata),
        show_people=bool(showPeople), allow_download=bool(allowDownload))
    return _Created(link, token, context.origin or "")


async def _revoke(_obj: Any, info: GraphQLResolveInfo, id: str) -> bool:
    context = context_of(info)
    return await context.services.shares.revoke(context.viewer, id)


RESOLVERS: dict[tuple[str, str], Callable[..., Any]] = {
    ("Query", "shareLinks"): _share_links,
    ("Mutation", "createShareLink"): _create,
    ("Mutation", "revokeShareLink"): _revoke,
    **{("ShareLink", camel): attr(snake) for camel, snake in (
        ("libraryId", "library_id"), ("albumId", "album_id"), ("albumName", "album_name"),
        ("allowedOrigins", "allowed_origins"), ("showLocation", "show_location"),
        ("showMetadata", "show_metadata"), ("showPeople", "show_people"),
        ("allowDownload", "allow_download"), ("viewCount", "view_count"))},
    ("ShareLink", "filter"): lambda obj, _info: (
        json.dumps(obj.filter, separators=(",", ":")) if obj.filter is not None else None),
    ("ShareLink", "token"): _only_created(lambda c: c.token),
    ("ShareLink", "url"): _only_created(lambda c: f"{c.server}/s/{c.token}"),
    ("ShareLink", "embedScript"): _only_created(lambda c: embed_script(c.server, c.token)),
    ("ShareLink", "embedIframe"): _only_created(lambda c: embed_iframe(c.server, c.token)),
    ("ShareLink", "expiresAt"): iso("expires_at"),
    ("ShareLink", "revokedAt"): iso("revoked_at"),
    ("ShareLink", "createdAt"): iso("created_at"),
}
