"""Per-request (or per-socket) state handed to resolvers as ``info.context``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from photonix_rt.errors import Unauthenticated

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

    from photonix_rt.auth.identity import Viewer
    from photonix_rt.services.container import Services

__all__ = ["Context", "context_of", "require_viewer"]


@dataclass
class Context:
    """Who is asking, the services to ask, and this request's batch loaders."""

    services: Services
    viewer: Viewer | None
    client_ip: str | None = None
    # The refresh-token family that issued the access token (changePassword keeps it).
    session_id: UUID | None = None
    # This server's origin as the client reached it ("https://photos.example"): for links.
    origin: str | None = None
    # Loaders are created on first use and live as long as the request (see loaders.py).
    loaders: dict[str, Any] = field(default_factory=dict)


def context_of(info: GraphQLResolveInfo) -> Context:
    """Typed access to ``info.context`` (graphql-core 3.2's info is not generic)."""
    context = info.context
    assert isinstance(context, Context)
    return context


def require_viewer(info: GraphQLResolveInfo) -> Viewer:
    """The signed-in viewer, or Unauthenticated."""
    viewer = context_of(info).viewer
    if viewer is None:
        raise Unauthenticated("sign in first")
    return viewer
